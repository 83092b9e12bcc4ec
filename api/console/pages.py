"""Console routes: sign-in, home, record browser, inspector pages, steward inbox, users.

Every handler is a thin caller of services (:mod:`reconciliation.inbox`,
:mod:`mdr.quality.scorecards`, :mod:`mdr.quality.report`) or of a few read-only
SQL queries; pages are Jinja2 templates. Listings mask personal values for every
role; the record or work item a member of staff opens shows them, and the read is
logged under their name and their role's purpose (:mod:`mdr.access.gate`). No
personal identifier travels in a URL or a form: searches are POSTed, a record page is
addressed by a version id, and the next-page cursor is opaque and bound to the session.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Form, Query, Request
from sqlalchemy import text
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from api.console import views
from api.console.auth import (
    COOKIE,
    PRE_COOKIE,
    check_csrf,
    current_user,
    require,
    set_pre_cookie,
    set_session_cookie,
    tokens_equal,
)
from api.console.web import render
from api.deps import WRITE_SESSION
from entities.registry import DATASETS, get_dataset
from mdr.access.staff import StaffUser, delayed_until, session_user, sign_in, sign_out
from mdr.errors import MdrError
from mdr.quality import scorecards as quality
from mdr.quality.models import DIMENSIONS
from mdr.quality.report import build_report
from reconciliation import inbox
from reconciliation.models import ACTIONS, ITEM_KINDS

router = APIRouter(prefix="/console", include_in_schema=False)

SessionDep = Annotated[Session, WRITE_SESSION]
Anyone = Annotated[StaffUser, Depends(current_user)]
Steward = Annotated[StaffUser, require("steward", "administrator")]
Inspector = Annotated[StaffUser, require("inspector", "administrator")]
Admin = Annotated[StaffUser, require("administrator")]
CsrfField = Annotated[str, Form()]

PAGE: Final = 50


# ----------------------------------------------------------------------------- sign-in


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, session: SessionDep) -> Response:
    if session_user(session, request.cookies.get(COOKIE)) is not None:
        return RedirectResponse("/console/", status_code=303)
    return _login_page(request)


def _login_page(
    request: Request, error: str | None = None, username: str = "", status: int = 200,
    retry_after: int | None = None,
) -> Response:
    pre = secrets.token_urlsafe(24)
    response = render(
        request, "login.html", None, status_code=status,
        pre_token=pre, error=error, username=username,
    )
    set_pre_cookie(response, request, pre)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    session: SessionDep,
    csrf_token: CsrfField,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    if not tokens_equal(csrf_token, request.cookies.get(PRE_COOKIE)):
        return _login_page(
            request, "양식이 만료되었습니다. 다시 시도하세요 · The form expired (CSRF check "
            "failed); please try again.", username, status=403,
        )
    result = sign_in(session, username, password,
                     source=request.client.host if request.client else None,
                     secret=request.app.state.secret)
    if result.retry_after is not None:  # the same for any name, known or not
        return _login_page(
            request, f"시도가 너무 많습니다. {result.retry_after}초 뒤에 다시 시도하세요 · "
            f"Too many attempts: try again in {result.retry_after} seconds.", username,
            status=429, retry_after=result.retry_after,
        )
    if not result.ok or result.token is None:
        return _login_page(
            request, "사용자 이름 또는 비밀번호가 틀렸습니다 · Wrong user name or password.",
            username, status=401,
        )
    response = RedirectResponse("/console/", status_code=303)
    set_session_cookie(response, request, result.token)
    response.delete_cookie(PRE_COOKIE, path="/console")
    return response


@router.post("/logout")
def logout(
    request: Request, session: SessionDep, user: Anyone, csrf_token: CsrfField
) -> Response:
    check_csrf(user, csrf_token)
    sign_out(session, request.cookies.get(COOKIE) or "")
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(COOKIE, path="/console")
    return response


@router.get("")
def bare_console() -> Response:
    # The API redirects no slashes (a path may hold a key); the console's own address may.
    return RedirectResponse("/console/", status_code=308)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, user: Anyone) -> Response:
    return render(request, "home.html", user)


@router.get("/admin/users", response_class=HTMLResponse)
def users(request: Request, session: SessionDep, user: Admin) -> Response:
    rows = session.execute(text(
        "SELECT username, role, created_at, last_sign_in_at FROM staff_user ORDER BY username"
    )).mappings().all()
    delayed = delayed_until(session, [row["username"] for row in rows], request.app.state.secret)
    return render(request, "users.html", user, users=[
        {**row, "delayed_until": delayed.get(row["username"])} for row in rows])


# ----------------------------------------------------------------------------- records


@router.get("/records", response_class=HTMLResponse)
def records(
    request: Request, user: Anyone, dataset: Annotated[str | None, Query()] = None
) -> Response:
    spec = get_dataset(dataset) if dataset else None
    return render(
        request, "records.html", user, datasets=list(DATASETS.values()), spec=spec,
        results=None, search=None, params={},
    )


async def form_values(request: Request) -> dict[str, str]:
    """The whole posted form (a search's fields depend on the dataset's search types)."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


@router.post("/records/{dataset}/search", response_class=HTMLResponse)
def record_search(
    request: Request,
    dataset: str,
    session: SessionDep,
    user: Anyone,
    values: Annotated[dict[str, str], Depends(form_values)],
) -> Response:
    check_csrf(user, values.get("csrf_token"))
    spec = get_dataset(dataset)
    search_name = values.get("search", "")
    error = None
    try:
        found = views.search_records(session, spec, search_name, values,
                                     after=values.get("after") or None, limit=PAGE, user=user,
                                     secret=request.app.state.secret)
    except MdrError as exc:
        found, error = None, exc.detail
    return render(
        request, "records.html", user, status_code=200 if error is None else 422,
        datasets=list(DATASETS.values()), spec=spec, results=found, search=search_name,
        params=values, error=error,
    )


@router.get("/records/{dataset}/version/{version_id}", response_class=HTMLResponse)
def record_page(
    request: Request, dataset: str, version_id: int, session: SessionDep, user: Anyone
) -> Response:
    spec = get_dataset(dataset)
    record = views.record(session, spec, version_id, user, request.app.state.log_keys)
    return render(request, "record.html", user, spec=spec, record=record)


# ----------------------------------------------------------------------------- quality


@router.get("/quality", response_class=HTMLResponse)
def quality_dashboard(request: Request, session: SessionDep, user: Inspector) -> Response:
    cards = quality.scorecards(session)
    charts = views.trend_charts(session)
    return render(
        request, "quality.html", user, cards=cards, charts=charts, dimensions=DIMENSIONS,
        accuracy=quality.accuracy(session), accuracy_charts=views.accuracy_charts(session),
        pct=views.pct,
    )


@router.get("/quality/datasets/{dataset}", response_class=HTMLResponse)
def quality_dataset(
    request: Request,
    dataset: str,
    session: SessionDep,
    user: Inspector,
    dimension: Annotated[str | None, Query()] = None,
) -> Response:
    spec = get_dataset(dataset)
    if dimension is not None and dimension not in DIMENSIONS:
        dimension = None
    drill = views.drill_down(session, spec, dimension)
    return render(
        request, "quality_dataset.html", user, spec=spec, drill=drill, dimension=dimension,
        dimensions=DIMENSIONS, pct=views.pct,
    )


@router.get("/quality/report")
def quality_report(session: SessionDep, user: Inspector) -> Response:
    document = build_report(session)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
    return HTMLResponse(
        document,
        headers={"Content-Disposition": f'attachment; filename="mdr-quality-report-{stamp}.html"',
                 "Cache-Control": "no-store"},
    )


# ----------------------------------------------------------------------------- inbox


@router.get("/inbox", response_class=HTMLResponse)
def inbox_page(
    request: Request,
    *,
    session: SessionDep,
    user: Steward,
    dataset: Annotated[str | None, Query()] = None,
    agency: Annotated[str | None, Query()] = None,
    kind: Annotated[str | None, Query()] = None,
    status: Annotated[str, Query()] = "open",
    overdue: Annotated[bool, Query()] = False,
    min_age: Annotated[int | None, Query(ge=0, le=3650)] = None,
    after: Annotated[int | None, Query()] = None,
    notice: Annotated[str | None, Query()] = None,
) -> Response:
    status = status if status in inbox.STATUSES else "open"
    filters: dict[str, Any] = {
        "dataset": dataset or None, "agency": agency or None, "kind": kind or None,
        "status": status, "overdue": overdue, "min_age": min_age,
    }
    page = inbox.list_items(
        session.connection(), dataset=dataset or None, agency=agency or None,
        kind=kind or None, status=status, overdue=overdue, min_age_days=min_age,
        after=after, limit=PAGE,
    )
    counts = views.inbox_counts(session, filters)
    agencies = session.execute(
        text("SELECT DISTINCT agency FROM steward_item ORDER BY agency")
    ).scalars().all()
    return render(
        request, "inbox.html", user, page=page, counts=counts, filters=filters,
        datasets=list(DATASETS), agencies=agencies, kinds=ITEM_KINDS, actions=ACTIONS,
        statuses=inbox.STATUSES, notice=notice, next_query=views.query_string(
            filters, after=page["next_after"]) if page["next_after"] else None,
    )


@router.get("/inbox/{item_id}", response_class=HTMLResponse)
def item_page(
    request: Request,
    item_id: int,
    session: SessionDep,
    user: Steward,
    notice: Annotated[str | None, Query()] = None,
) -> Response:
    return _item_page(request, session, user, item_id, notice=notice)


def _item_page(
    request: Request,
    session: Session,
    user: StaffUser,
    item_id: int,
    *,
    notice: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    detail = inbox.item_detail(session.connection(), item_id, views.viewer(user),
                               keys=request.app.state.log_keys, route="console item")
    spec = get_dataset(detail["dataset"])
    version_id = views.master_version(session, spec.name, item_id)
    # The item has logged its master record as read: the same record, shown beside it.
    master = (views.record(session, spec, version_id, user, request.app.state.log_keys,
                           logged=True) if version_id is not None else None)
    return render(
        request, "item.html", user, status_code=status, item=detail, actions=ACTIONS,
        chart=views.evidence_chart(detail["evidence"]), master=master,
        record_link=f"/console/records/{spec.name}/version/{version_id}" if version_id else None,
        notice=notice, error=error,
    )


@router.post("/inbox/{item_id}/resolve", response_class=HTMLResponse)
def resolve(
    request: Request,
    *,
    item_id: int,
    session: SessionDep,
    user: Steward,
    csrf_token: CsrfField,
    action: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    master_key: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(user, csrf_token)
    try:
        with session.begin_nested():
            inbox.resolve_item(
                session.connection(), item_id, action=action, reason=reason,
                steward=user.username, master_key=master_key.strip() or None,
            )
    except MdrError as exc:
        return _item_page(request, session, user, item_id, error=exc.detail,
                          status=exc.status if exc.status < 500 else 422)
    return RedirectResponse(f"/console/inbox/{item_id}?notice=resolved", status_code=303)


@router.post("/inbox/bulk", response_class=HTMLResponse)
def resolve_bulk(
    request: Request,
    *,
    session: SessionDep,
    user: Steward,
    csrf_token: CsrfField,
    item_ids: Annotated[list[int] | None, Form()] = None,
    action: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(user, csrf_token)
    ids = sorted(set(item_ids or []))
    try:
        views.check_bulk(session, ids, action)
        with session.begin_nested():
            for item_id in ids:
                inbox.resolve_item(session.connection(), item_id, action=action, reason=reason,
                                   steward=user.username)
    except MdrError as exc:
        return render(request, "message.html", user, status_code=exc.status,
                      heading="일괄 처리 실패 · Bulk resolution refused", message=exc.detail)
    return RedirectResponse(f"/console/inbox?notice=resolved-{len(ids)}", status_code=303)
