"""Console fixtures: the app (from tests/conftest.py) with the console installed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.console import install_console


@pytest.fixture
def console(app: FastAPI) -> Iterator[TestClient]:
    """A client of the console on the rolled-back test session."""
    install_console(app)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
