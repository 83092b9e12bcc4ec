"""The public catalogue of datasets and the standard vocabulary (no key needed)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy.orm import Session

from api.deps import READ_SESSION, ReadRetryRoute
from entities.catalogue import describe_dataset, list_datasets, vocabulary

router = APIRouter(prefix="/v1", tags=["catalogue"], route_class=ReadRetryRoute)


@router.get("/datasets", summary="The 14 national master datasets")
def datasets(session: Session = READ_SESSION) -> dict[str, Any]:
    return {"datasets": list_datasets(session)}


@router.get("/datasets/{dataset}", summary="One dataset's spec, vocabulary and relations")
def dataset(dataset: str, session: Session = READ_SESSION) -> dict[str, Any]:
    return describe_dataset(session, dataset)


@router.get("/vocabulary", summary="The standard vocabulary (terms, Korean and English names)")
def terms(session: Session = READ_SESSION) -> dict[str, Any]:
    return {"terms": vocabulary(session)}
