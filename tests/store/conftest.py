"""Store fixtures: every store test runs on SQLite and on a real PostgreSQL server (started here)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ (for pg.py and the builders)

import pg  # noqa: E402

from assistant.store.db import Store  # noqa: E402


@pytest.fixture(scope="session")
def postgres():
    """The session's throwaway PostgreSQL server (initdb + pg_ctl in a temp dir), stopped at the end."""
    if pg.postgres_bin_dir() is None:
        pytest.skip("PostgreSQL server binaries are not installed (Debian package postgresql)")
    cluster = pg.postgres_cluster()
    yield cluster
    pg.stop_postgres_cluster()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'assistant.db'}"
    return request.getfixturevalue("postgres").create_database()


@pytest.fixture
def store(db_url) -> Iterator[Store]:
    """An opened, migrated store on a fresh database."""
    opened = Store.open(db_url)
    yield opened
    opened.close()
