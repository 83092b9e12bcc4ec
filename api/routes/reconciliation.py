"""Reconciliation over HTTP: agencies upload copies, stewards work the inbox.

Thin routes over :mod:`reconciliation.service`, :mod:`reconciliation.disclosure`,
:mod:`reconciliation.inbox` and :mod:`reconciliation.metrics`. Every route needs an
API key (``Authorization: Bearer``), checked before any byte of a body is read.

* ``POST /v1/reconciliation/runs`` (multipart, fields before the file): a key with a
  grant for the dataset, declaring one of its purposes (``X-Purpose``), uploads its
  own agency's copy (the ``steward`` role may upload for any agency). The gate
  (:func:`reconciliation.service.prepare_run`) checks the request as soon as the
  fields before the file are read, so a refused upload is never stored. The run
  compares only granted fields. It is answered ``202`` with its id and carried out
  by a worker process (:mod:`reconciliation.queue`); ``GET
  /v1/reconciliation/runs/{run_id}`` polls it. Runs of one agency's copy of one
  dataset queue behind each other.
* Run summaries and metrics are visible to the run's agency and to the ``steward``
  and ``inspector`` roles; results files to the run's agency (within its grant, every
  revealed record logged) and stewards (:mod:`reconciliation.disclosure`).
* ``/v1/steward/...`` needs the ``steward`` role; the steward is recorded as
  ``<agency>/<key id>``, and an item's values, shown unmasked, are logged as read by
  that key for ``stewardship``.

Uploads are kept under ``MDR_DATA_DIR/reconciliation/uploads`` (the original
file, as DESIGN.md section 7 asks); their size is bounded by the upload limit
(``MDR_MAX_UPLOAD_BYTES``, default 2 GiB: a national agency copy is large), not by
the request body limit of the other routes.
"""

from __future__ import annotations

import logging
import re
import shutil
import uuid
from pathlib import Path
from typing import IO, Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.deps import WRITE_SESSION
from api.deps_access import as_staff, read_context
from api.json import json_response
from api.records_service import ReadContext
from api.uploads import MultipartReader
from entities.mapping import load_mapping
from entities.registry import get_dataset
from mdr.access.keys import Principal
from mdr.errors import Forbidden, InvalidInput, scrubbed, shown
from reconciliation import disclosure, inbox, metrics, service

log = logging.getLogger(__name__)

router = APIRouter(tags=["reconciliation"])

RunId = Annotated[int, PathParam(ge=1, le=2**63 - 1, description="Run id.")]
ItemId = Annotated[int, PathParam(ge=1, le=2**63 - 1, description="Work item id.")]
STEWARD = "steward"
INSPECTOR = "inspector"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _roles(principal: Principal) -> set[str]:
    return {STEWARD, INSPECTOR} & set(principal.grants)


def _require_steward(principal: Principal) -> str:
    if STEWARD not in principal.grants:
        raise Forbidden("this key does not hold the steward role")
    return f"{principal.agency_code}/{principal.key_id}"


def _may_see(principal: Principal, agency: str) -> None:
    if not _roles(principal) and principal.agency_code != agency:
        raise Forbidden(
            "only the agency that uploaded a copy, stewards and inspectors may "
            "see its reconciliation"
        )


def public_name(filename: str) -> str:
    """An uploaded file's name as the run keeps, logs and shows it: without its folder,
    and without a part shaped like a registration number (a copy named after a person
    must not carry the number into messages, logs and run records)."""
    return scrubbed(Path(filename.replace("\\", "/")).name, "redacted")  # also C:\\...


def _stored_name(filename: str, fallback: str) -> str:
    """A safe file name for an upload: its extension kept (it decides the format); a
    name in Hangul becomes ``upload``."""
    original = Path(public_name(filename or fallback))
    stem = _SAFE_NAME.sub("_", original.stem).strip("._") or "upload"
    return f"{stem}{_SAFE_NAME.sub('_', original.suffix.lower())}"


_UPLOAD_FIELDS = {
    "dataset": {"type": "string", "description": "Dataset the copy is of, e.g. resident."},
    "agency": {"type": "string", "description": "Code of the agency whose copy this is (the "
               "key's own agency unless the key holds the steward role)."},
    "encoding": {"type": "string", "description": "CSV encoding, e.g. cp949."},
    "scope": {"type": "array", "items": {"type": "string"},
              "description": "FIELD=VALUE[,VALUE...] the copy covers (repeatable), on granted "
              "fields, e.g. region_code=11110."},
    "file": {"type": "string", "format": "binary",
             "description": "The copy: CSV (UTF-8 or CP949) or Parquet. Send it after the "
             "fields above."},
    "mapping": {"type": "string", "format": "binary",
                "description": "Optional YAML mapping of the copy's columns to fields."},
}
MAX_MAPPING_BYTES = 1 << 20


def _one(fields: dict[str, list[str]], name: str) -> str | None:
    values = fields.get(name) or []
    if len(values) > 1:
        raise InvalidInput(f"give the {name} field once")
    return values[0].strip() or None if values else None


@router.post(
    "/v1/reconciliation/runs",
    status_code=202,
    summary="Upload an agency copy; a worker reconciles it",
    openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {
        "schema": {"type": "object", "required": ["dataset", "agency", "file"],
                   "properties": _UPLOAD_FIELDS},
        "encoding": {"scope": {"style": "form", "explode": True}}}}}},
)
async def create_run(request: Request, ctx: ReadContext = Depends(read_context)) -> Response:
    principal = ctx.principal
    if STEWARD in principal.grants:
        principal = as_staff(principal, STEWARD)
    settings = request.app.state.settings
    folder = Path(settings.data_dir) / "reconciliation" / "uploads" / uuid.uuid4().hex
    prepared: list[service.PreparedRun] = []
    stored: dict[str, Path] = {}  # part -> where it was written
    names: dict[str, str] = {}  # part -> its file's name as given (messages name it so)
    source = "copy.csv"  # the copy's name as the agency gave it (no number in it)

    def open_file(part: str, filename: str, fields: dict[str, list[str]]) -> IO[bytes]:
        nonlocal source
        if part == "file":
            dataset, agency = _one(fields, "dataset"), _one(fields, "agency")
            if dataset is None or agency is None:
                raise InvalidInput("send the dataset and agency fields before the file",
                                   errors=[{"field": "file", "message": "before its fields"}])
            source = public_name(filename or "copy.csv")
            # The gate, before a byte of the copy is kept.
            prepared.append(service.prepare_run(
                principal, dataset, agency=agency, purpose=ctx.purpose,
                scope=fields.get("scope"), source=source, encoding=_one(fields, "encoding")))
            target = folder / _stored_name(filename, "copy.csv")
        elif part == "mapping" and filename:
            target = folder / "mapping" / _stored_name(filename, "mapping.yaml")
        else:
            raise InvalidInput(f"unexpected file part {shown(part)!r}; send file and mapping")
        target.parent.mkdir(parents=True, exist_ok=True)
        stored[part], names[part] = target, public_name(filename or target.name)
        return target.open("wb")

    reader = MultipartReader(request.headers.get("content-type", ""), open_file,
                             max_file_bytes={"mapping": MAX_MAPPING_BYTES})
    try:
        await reader.read(request.stream())
        if not prepared:
            raise InvalidInput("the upload has no file part",
                               errors=[{"field": "file", "message": "required"}])
        run = prepared[0]
        mapping_dict = None
        if "mapping" in stored:
            mapping_dict = await run_in_threadpool(load_mapping, stored["mapping"],
                                                   spec=run.spec, name=names["mapping"])
        options = {"encoding": _one(reader.fields, "encoding"), "mapping": mapping_dict}
        run_id = await run_in_threadpool(service.queue_run, run, source,
                                         engine=request.app.state.engine,
                                         upload_path=stored["file"], options=options)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # refused: keep nothing of it
        raise
    where = f"/v1/reconciliation/runs/{run_id}"
    return json_response(
        {"run_id": run_id, "status": "queued", "poll": where},
        status_code=202,
        headers={"Location": where},
    )


@router.get("/v1/reconciliation/runs/{run_id}", summary="A run's status and summary")
def get_run(
    run_id: RunId, ctx: ReadContext = Depends(read_context), session: Session = WRITE_SESSION
) -> dict[str, Any]:
    summary = service.run_summary(session.connection(), run_id)
    _may_see(ctx.principal, summary["agency"])
    return summary


@router.get(
    "/v1/reconciliation/runs/{run_id}/results.csv",
    response_class=Response,
    responses={
        200: {
            "description": "The results CSV (DESIGN.md section 6), or the master-only keys",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
    summary="A finished run's results CSV (or its master-only records)",
)
def run_results(
    request: Request,
    run_id: RunId,
    part: Literal["outcomes", "master_only"] = Query(default="outcomes"),
    ctx: ReadContext = Depends(read_context),
    session: Session = WRITE_SESSION,
) -> Response:
    principal = ctx.principal
    if STEWARD in principal.grants:
        principal = as_staff(principal, STEWARD)
    disclosed = disclosure.results(
        session.connection(), run_id, principal, ctx.purpose, master_only=part == "master_only",
        keys=request.app.state.log_keys, request_id=ctx.request_id, route=ctx.route)
    return Response(disclosed.body, media_type="text/csv; charset=utf-8")


@router.get(
    "/v1/reconciliation/metrics",
    summary="Accuracy of agency copies: agreement, outcome shares, drift",
)
def get_metrics(
    dataset: str | None = Query(default=None),
    agency: str | None = Query(default=None),
    history: int = Query(default=metrics.DEFAULT_HISTORY, ge=1, le=100),
    ctx: ReadContext = Depends(read_context),
    session: Session = WRITE_SESSION,
) -> dict[str, Any]:
    principal = ctx.principal
    if not _roles(principal):
        if agency is not None and agency != principal.agency_code:
            raise Forbidden(
                "without the steward or inspector role a key sees only its own agency's metrics"
            )
        agency = principal.agency_code
    if dataset is not None:
        dataset = get_dataset(dataset).name
    return metrics.accuracy(session.connection(), dataset=dataset, agency=agency, history=history)


# ------------------------------------------------------------------------ steward


class ResolveBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["master_right", "master_wrong", "wrong_link", "not_an_issue"]
    reason: str = Field(min_length=1, max_length=2000, description="Why (recorded).")
    master_key: str | None = Field(
        default=None, description="wrong_link: the master record to link the agency record to."
    )


class ReopenBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=2000)


@router.get("/v1/steward/items", tags=["steward"], summary="The steward inbox, a page at a time")
def list_items(
    dataset: str | None = Query(default=None),
    agency: str | None = Query(default=None),
    outcome: Literal["match_with_differences", "ambiguous", "agency_only", "master_only"]
    | None = Query(default=None),
    status: Literal["open", "resolved", "all"] = Query(default="open"),
    overdue: bool = Query(default=False, description="Only open items past their due date."),
    after: int | None = Query(
        default=None, ge=0, le=2**63 - 1, description="next_after of the previous page."
    ),
    limit: int = Query(default=inbox.PAGE_DEFAULT, ge=1, le=inbox.PAGE_MAX),
    ctx: ReadContext = Depends(read_context),
    session: Session = WRITE_SESSION,
) -> dict[str, Any]:
    _require_steward(ctx.principal)
    return inbox.list_items(
        session.connection(),
        dataset=dataset,
        agency=agency,
        kind=outcome,
        status=status,
        overdue=overdue,
        after=after,
        limit=limit,
    )


@router.get(
    "/v1/steward/items/{item_id}",
    tags=["steward"],
    summary="One item: values side by side (unmasked, logged), evidence, history",
)
def get_item(
    request: Request,
    item_id: ItemId,
    ctx: ReadContext = Depends(read_context),
    session: Session = WRITE_SESSION,
) -> dict[str, Any]:
    return inbox.item_detail(session.connection(), item_id, as_staff(ctx.principal, STEWARD),
                             keys=request.app.state.log_keys, request_id=ctx.request_id,
                             route=ctx.route)


@router.post(
    "/v1/steward/items/{item_id}:resolve",
    tags=["steward"],
    summary="Resolve an item with a recorded decision",
)
def resolve_item(
    item_id: ItemId,
    body: ResolveBody,
    ctx: ReadContext = Depends(read_context),
    session: Session = WRITE_SESSION,
) -> dict[str, Any]:
    steward = _require_steward(ctx.principal)
    return inbox.resolve_item(
        session.connection(),
        item_id,
        action=body.action,
        reason=body.reason,
        steward=steward,
        master_key=body.master_key,
    )


@router.post(
    "/v1/steward/items/{item_id}:reopen",
    tags=["steward"],
    summary="Reverse the decision on a resolved item and open it again",
)
def reopen_item(
    item_id: ItemId,
    body: ReopenBody,
    ctx: ReadContext = Depends(read_context),
    session: Session = WRITE_SESSION,
) -> dict[str, Any]:
    steward = _require_steward(ctx.principal)
    return inbox.reopen_item(session.connection(), item_id, reason=body.reason, steward=steward)
