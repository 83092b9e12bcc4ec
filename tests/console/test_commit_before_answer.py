"""A change is committed before its answer leaves the server.

FastAPI ends a ``yield`` dependency after the answer is sent unless its scope is
``function``; a steward's browser then followed the 303 and saw the item still
open (CI caught it once, in the browser test). Here the app runs on a database of
its own with real commits, and the moment the answer starts another connection
looks at the item: deterministic, where a browser only sometimes wins the race.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import text
from starlette.types import Message, Receive, Scope, Send

from api import deps
from api.app import create_app
from mdr.db.engine import Database, session_factory, unit_of_work
from mdr.settings import Settings
from tests.console.seed import add_item, add_user, csrf_of, sign_in
from tests.helpers import migrated_engine

pytestmark = pytest.mark.db


def _app(url: str, data_dir: Any) -> FastAPI:
    """The app as ``mdr serve`` builds it (the console included)."""
    settings = Settings(data_dir=data_dir, secret_key="commit-test-secret-of-32-characters",
                        log_level="WARNING")
    app = create_app(settings, Database(url, embedded=False))
    return app


@pytest.fixture
def committed_console(scratch_database, tmp_path) -> Iterator[dict[str, Any]]:
    url = scratch_database("commit_order")
    engine = migrated_engine(url, pool_size=2)
    with unit_of_work(session_factory(engine)) as session:
        add_user(session, "steward1", "steward")
        item = add_item(session)
    yield {"app": _app(url, tmp_path / "data"), "engine": engine, "item": item}
    engine.dispose()


def test_a_resolved_item_is_committed_before_the_redirect_is_sent(committed_console) -> None:
    app, engine, item = (committed_console[k] for k in ("app", "engine", "item"))
    seen_at_answer: list[str] = []

    async def watching(scope: Scope, receive: Receive, send: Send) -> None:
        async def send_and_look(message: Message) -> None:
            if (message["type"] == "http.response.start" and scope["method"] == "POST"
                    and scope["path"].endswith("/resolve")):
                with engine.connect() as other:
                    seen_at_answer.append(other.execute(
                        text("SELECT status FROM steward_item WHERE item_id = :i"),
                        {"i": item["item_id"]}).scalar_one())
            await send(message)

        await app(scope, receive, send_and_look)

    with TestClient(watching) as client:
        assert sign_in(client, "steward1").status_code == 200
        page = client.get(f"/console/inbox/{item['item_id']}")
        answer = client.post(f"/console/inbox/{item['item_id']}/resolve", data={
            "csrf_token": csrf_of(page.text), "action": "master_wrong",
            "reason": "family court record shows the new name"}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert seen_at_answer == ["resolved"]


def _session_dependencies(dependant: Any) -> Iterator[Any]:
    for sub in dependant.dependencies:
        if sub.call in (deps.get_session, deps.get_read_session):
            yield sub
        yield from _session_dependencies(sub)


def test_every_route_ends_its_session_before_answering(tmp_path) -> None:
    app = _app("postgresql://unused@127.0.0.1:1/none", tmp_path / "data")
    routes = [context.original_route for context in iter_route_contexts(app.routes)
              if isinstance(context.original_route, APIRoute)]
    with_sessions = {r.path: list(_session_dependencies(r.dependant)) for r in routes}
    with_sessions = {path: found for path, found in with_sessions.items() if found}
    assert len(with_sessions) > 10  # the console's pages and the reconciliation routes
    late = sorted(path for path, found in with_sessions.items()
                  if any(d.scope != "function" for d in found))
    assert late == []
