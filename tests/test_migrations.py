"""Migrations: the only way the schema is made; they go up, down and up again."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from mdr.db.base import metadata
from mdr.db.engine import make_engine
from mdr.db.migrate import MIGRATIONS_DIR, current_revision, downgrade, head_revision, upgrade
from migrations import models  # noqa: F401 - complete metadata

pytestmark = [pytest.mark.db, pytest.mark.smoke]


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_up_down_up(scratch_database) -> None:
    url = scratch_database("updown")
    engine = make_engine(url, "test", pooled=False)
    try:
        upgrade(url)
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            extensions = set(conn.execute(text("SELECT extname FROM pg_extension")).scalars())
        assert {"btree_gist", "pg_trgm"} <= extensions
        assert {"scheduler_jobs", "scheduler_heartbeat"} <= _tables(engine)

        downgrade(url, "base")
        assert current_revision(engine) is None
        assert _tables(engine) == set()

        upgrade(url)
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_migrations_match_the_models(engine: Engine) -> None:
    """A model change without its migration (or the reverse) fails here."""
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_migration_files_are_named_by_date_and_slug() -> None:
    import re

    names = [p.name for p in (MIGRATIONS_DIR / "versions").glob("*.py") if p.name != "__init__.py"]
    assert names
    for name in names:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}_[a-z0-9_]+\.py", name), name
