"""Alembic migrations: the only way any mdr schema is created, tests included."""
