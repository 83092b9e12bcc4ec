"""Fixtures of the reconciliation tests; the database ones live in ``conftest_db``."""

from tests.reconciliation.conftest_db import *  # noqa: F403
