"""Shared fixtures of the explorer tests: one app (and its worker pools) per session."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from mlhood.explorer import create_app


@pytest.fixture(scope="session")
def client():
    with TestClient(create_app()) as test_client:
        yield test_client
