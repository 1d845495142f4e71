"""Security fixtures: the real app on a temp data dir, users of every role in two units, logged-in clients."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ (helpers, store builders)

from security.helpers import ROLE_USERS, ensure_user, login  # noqa: E402,F401

from assistant.config import Settings  # noqa: E402

OTHER_UNIT = "Jobcenter"
"""A second unit: its supervisor must not see the first unit's calls."""


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path, purge_interval_hours=0)


def build_app(settings: Settings):
    """The real app (create_app) with a caseworker, supervisor and admin in unit TEST_UNIT, a second caseworker
    ("kollega") in that unit, and a caseworker and supervisor in another unit."""
    from assistant.web.app import create_app

    application = create_app(settings)
    store = application.state.services.store
    for role, username in ROLE_USERS.items():
        ensure_user(store, username, role)
    ensure_user(store, "kollega", "caseworker")
    ensure_user(store, "jobleder", "supervisor", unit=OTHER_UNIT)
    ensure_user(store, "jobsagsbehandler", "caseworker", unit=OTHER_UNIT)
    return application


@pytest.fixture
def app(settings):
    return build_app(settings)


@pytest.fixture
def anon(app) -> Iterator:
    """A client that is not logged in (the lifespan runs with it)."""
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        yield client


@pytest.fixture
def client_for(app, anon):
    """`client_for(username)`: a new TestClient logged in as that user (CSRF header set)."""
    from fastapi.testclient import TestClient

    def make(username: str):
        client = TestClient(app)
        login(client, username)
        return client

    return make


@pytest.fixture
def clients(client_for) -> dict:
    """role → a logged-in client."""
    return {role: client_for(username) for role, username in ROLE_USERS.items()}
