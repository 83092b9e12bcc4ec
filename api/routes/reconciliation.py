"""Reconciliation over HTTP: agencies upload copies, stewards work the inbox.

Thin routes over :mod:`reconciliation.service`, :mod:`reconciliation.inbox` and
:mod:`reconciliation.metrics`. Every route needs an API key
(``Authorization: Bearer``); ``X-Purpose`` is not needed here, as nothing is read
from the master on the caller's behalf.

* ``POST /v1/reconciliation/runs`` (multipart): a key with a grant for the dataset
  uploads its own agency's copy (the ``steward`` role may upload for any agency).
  The run is recorded and answered ``202`` with its id; it proceeds in the
  background (a worker thread) and ``GET /v1/reconciliation/runs/{run_id}`` polls
  it. Runs of one agency's copy of one dataset queue behind each other.
* Runs, their results and metrics are visible to the run's agency and to the
  ``steward`` and ``inspector`` roles.
* ``/v1/steward/...`` needs the ``steward`` role; the steward is recorded as
  ``<agency>/<key id>``.

Uploads are kept under ``MDR_DATA_DIR/reconciliation/uploads`` (the original
file, as DESIGN.md section 7 asks); their size is bounded by the upload limit
(``MDR_MAX_UPLOAD_BYTES``, default 2 GiB: a national agency copy is large), not by
the request body limit of the other routes.
"""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
import traceback
import uuid
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import (
    APIRouter,
    BackgroundTasks,
    Depends,
    File,
    Form,
    Query,
    Request,
    UploadFile,
)
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.deps import WRITE_SESSION
from api.deps_access import read_context
from api.json import json_response
from api.records_service import ReadContext
from entities.registry import get_dataset
from mdr.access.keys import Principal
from mdr.errors import PERSONAL_NUMBER, Forbidden, InvalidInput, MdrError, NoGrant, NotFound
from mdr.tabular import normalise_encoding
from reconciliation import inbox, intake, metrics, service

log = logging.getLogger(__name__)

router = APIRouter(tags=["reconciliation"])

RunId = Annotated[int, PathParam(ge=1, le=2**63 - 1, description="Run id.")]
ItemId = Annotated[int, PathParam(ge=1, le=2**63 - 1, description="Work item id.")]
STEWARD = "steward"
INSPECTOR = "inspector"
_CHUNK = 1 << 20
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


def _optional_file(schema: dict[str, Any]) -> None:
    """Document an optional upload as a file part that may be left out, not as a null."""
    description = schema.get("description")
    schema.clear()
    schema.update({"type": "string", "format": "binary"})
    if description:
        schema["description"] = description


def public_name(filename: str) -> str:
    """An uploaded file's name as the run keeps, logs and shows it: without its folder,
    and without a part shaped like a registration number (a copy named after a person
    must not carry the number into messages, logs and run records)."""
    return PERSONAL_NUMBER.sub("redacted", Path(filename).name)


async def _store(upload: UploadFile, folder: Path, fallback: str) -> Path:
    """Write an upload to ``folder`` in chunks, under a safe version of its name.

    The extension is kept (it decides the format); a name in Hangul becomes ``upload``.
    """
    original = Path(public_name(upload.filename or fallback))
    stem = _SAFE_NAME.sub("_", original.stem).strip("._") or "upload"
    suffix = _SAFE_NAME.sub("_", original.suffix.lower())
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{stem}{suffix}"
    with target.open("wb") as fh:
        while chunk := await upload.read(_CHUNK):
            fh.write(chunk)
    return target


async def _run(engine: Engine, run_id: int, path: Path, **options: Any) -> None:
    """The background part of an upload; the run records its own failure."""
    try:
        await asyncio.to_thread(service.execute_run, engine, run_id, path, **options)
    except MdrError as exc:
        log.info("reconciliation run failed", extra={"run_id": run_id, "error": exc.detail})
    except Exception as exc:
        # Not log.exception: a database error's text can quote the agency's rows.
        log.error("reconciliation run failed", extra={
            "run_id": run_id, "error": service.error_text(exc),
            "trace": "".join(traceback.format_tb(exc.__traceback__)[-6:])})


@router.post(
    "/v1/reconciliation/runs",
    status_code=202,
    summary="Upload an agency copy; the run proceeds in the background",
)
async def create_run(
    request: Request,
    background: BackgroundTasks,
    dataset: Annotated[
        str, Form(min_length=1, description="Dataset the copy is of, e.g. resident.")
    ],
    agency: Annotated[
        str,
        Form(
            min_length=1,
            description="Code of the agency whose copy this is (the "
            "key's own agency unless the key holds the steward role).",
        ),
    ],
    file: Annotated[UploadFile, File(description="The copy: CSV (UTF-8 or CP949) or Parquet.")],
    mapping: Annotated[
        UploadFile | None,
        File(
            description="Optional YAML mapping of the copy's columns to fields.",
            json_schema_extra=_optional_file,
        ),
    ] = None,
    encoding: Annotated[str | None, Form(description="CSV encoding, e.g. cp949.")] = None,
    scope: Annotated[
        list[str] | None,
        Form(
            description="FIELD=VALUE[,VALUE...] the copy covers (repeatable), "
            "e.g. region_code=11110."
        ),
    ] = None,
    ctx: ReadContext = Depends(read_context),
) -> Response:
    from sync.mapping import load_mapping

    principal = ctx.principal
    spec = get_dataset(dataset)
    agency = service.check_agency(agency)
    steward = STEWARD in principal.grants
    if spec.name not in principal.grants and not steward:
        raise NoGrant(f"this key has no grant for {spec.name}")
    if agency != principal.agency_code and not steward:
        raise Forbidden(
            f"this key belongs to {principal.agency_code}; it may upload only that agency's copies"
        )
    scope_map = intake.parse_scope(spec, scope)
    if encoding:
        normalise_encoding(encoding)
    folder = (
        Path(request.app.state.settings.data_dir)
        / "reconciliation"
        / "uploads"
        / (uuid.uuid4().hex)
    )
    source = public_name(file.filename or "copy.csv")
    intake.file_format(Path(source))
    path = await _store(file, folder, "copy.csv")
    mapping_dict = None
    if mapping is not None and mapping.filename:
        try:
            mapping_path = await _store(mapping, folder / "mapping", "mapping.yaml")
            mapping_dict = await run_in_threadpool(load_mapping, mapping_path, spec=spec)
        except MdrError:
            shutil.rmtree(folder, ignore_errors=True)  # refused: keep nothing of it
            raise
    engine: Engine = request.app.state.engine
    run_id = await run_in_threadpool(
        service.create_run, engine, spec.name, agency, source, scope_map
    )
    background.add_task(
        _run,
        engine,
        run_id,
        path,
        encoding=encoding or None,
        mapping=mapping_dict,
        source_name=source,
    )
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
    run_id: RunId,
    part: Literal["outcomes", "master_only"] = Query(default="outcomes"),
    ctx: ReadContext = Depends(read_context),
    session: Session = WRITE_SESSION,
) -> Response:
    conn = session.connection()
    row = conn.execute(
        text("SELECT agency, status FROM reconciliation_run WHERE run_id = :r"), {"r": run_id}
    ).first()
    if row is None:
        raise NotFound(f"no reconciliation run {run_id}")
    _may_see(ctx.principal, row.agency)
    if row.status != "finished":
        raise InvalidInput(f"run {run_id} is {row.status}; results exist once it is finished")
    body = service.export_results(conn, run_id, master_only=part == "master_only")
    return Response(body, media_type="text/csv; charset=utf-8")


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
    summary="One item: values side by side, evidence, history (masked)",
)
def get_item(
    item_id: ItemId,
    ctx: ReadContext = Depends(read_context),
    session: Session = WRITE_SESSION,
) -> dict[str, Any]:
    _require_steward(ctx.principal)
    return inbox.item_detail(session.connection(), item_id)


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
