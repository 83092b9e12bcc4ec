"""Alembic environment: the URL comes from the caller or from MDR_* settings."""

from __future__ import annotations

from alembic import context

from mdr.db.base import metadata
from mdr.db.engine import make_engine, resolve_database
from mdr.settings import get_settings
from migrations import models  # noqa: F401  - registers every feature's tables on the metadata

config = context.config
target_metadata = metadata


def _url() -> str:
    url = config.attributes.get("database_url")
    if url:
        return str(url)
    return resolve_database(get_settings()).url


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(_url(), "migrate", pooled=False)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
