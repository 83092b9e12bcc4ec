"""Alembic, driven from code: the only way any schema is created."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine, text

import migrations
from mdr.db.engine import make_engine
from mdr.db.sql import advisory_key
from mdr.errors import InvalidInput

MIGRATIONS_DIR = Path(migrations.__file__).parent
#: Name of the advisory lock every upgrade and downgrade holds (key: mdr.db.sql.advisory_key).
MIGRATION_LOCK = "mdr-migrate"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option(
        "file_template",
        "%%(year)d-%%(month).2d-%%(day).2d_%%(slug)s",
    )
    cfg.attributes["database_url"] = url
    return cfg


@functools.cache  # reading every migration script takes ~15 ms; they do not change under us
def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("")).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def is_current(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()


def upgrade(url: str, revision: str = "head") -> None:
    _migrate(command.upgrade, url, revision)


def downgrade(url: str, revision: str) -> None:
    _migrate(command.downgrade, url, revision)


def _migrate(step: Callable[[Config, str], None], url: str, revision: str) -> None:
    """Run an alembic command under the migration lock, on the connection holding it.

    Processes started together on a fresh database (``mdr serve`` and ``mdr scheduler``)
    would otherwise both create ``alembic_version`` and all but one fail; with the lock
    the others wait, then find the schema already at the revision and do nothing.
    """
    engine = make_engine(url, "migrate", pooled=False)
    try:
        with engine.connect() as conn:
            # A session lock: it outlives the transactions alembic commits and goes with
            # the connection, also when a migration fails.
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": advisory_key(MIGRATION_LOCK)})
            conn.commit()  # alembic then runs (and commits) its own transaction
            config = alembic_config(url)
            config.attributes["connection"] = conn
            try:
                step(config, revision)
            except CommandError as exc:
                raise InvalidInput(f"cannot migrate to revision {revision!r}: {exc}") from None
    finally:
        engine.dispose()
