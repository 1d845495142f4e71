"""Issue 11, finding 4: the database files are the owner's alone, and a purge leaves no purged text in them.
Both are measured on the real SQLite files (modes from `stat`, content from their bytes)."""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant.config import Settings
from assistant.store.db import Store
from security.helpers import ADMIN, login
from privacy.test_retention import OLD_WORDS, _approve_note, _clients, _seed

PURGED = [word.encode("utf-8") for word in OLD_WORDS if word != "ventet tre måneder"]  # the fresh call says that
"""Bytes of the old calls' transcripts and signals that a purge must remove from the files."""


@contextmanager
def _umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _files(db: Path) -> list[Path]:
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


def _bytes(db: Path) -> bytes:
    return b"".join(path.read_bytes() for path in _files(db) if path.exists())


def test_the_data_folder_and_the_database_files_are_the_owners_only(tmp_path):
    from assistant.web.app import create_app

    data = tmp_path / "data"
    with _umask(0o022):  # the usual umask: without care every file would be world-readable (0644)
        app = create_app(Settings(data_dir=data, purge_interval_hours=0))
        _seed(app.state.services.store)  # writes, so the -wal and -shm files exist
    db = data / "assistant.db"
    assert _mode(data) == 0o700
    assert {path.name: _mode(path) for path in _files(db)} == {
        "assistant.db": 0o600, "assistant.db-wal": 0o600, "assistant.db-shm": 0o600}
    app.state.services.store.close()


def test_an_older_readable_database_is_made_private_when_opened(tmp_path):
    db = tmp_path / "old" / "assistant.db"
    with _umask(0o022):
        Store.open(f"sqlite:///{db}").close()
        for path in _files(db):
            if path.exists():
                path.chmod(0o644)  # as an earlier version left it
        Store.open(f"sqlite:///{db}").close()
    assert all(_mode(path) == 0o600 for path in _files(db) if path.exists())


def _seeded_app(tmp_path):  # noqa: ANN202
    from assistant.web.app import create_app

    app = create_app(Settings(data_dir=tmp_path, purge_interval_hours=0))
    _seed(app.state.services.store)
    caseworker, supervisor = _clients(app)
    _approve_note(caseworker, "oldcalm", "# Telefonnotat\nGodkendt tekst.")
    caseworker.get("/api/notes/oldthreat")  # a draft that the purge deletes
    supervisor.post("/api/review/calls/oldthreat/flags/threat/verdict",
                    json={"verdict": "right", "comment": "banker hende er en trussel"})
    db = tmp_path / "assistant.db"
    assert all(word in _bytes(db) for word in PURGED)  # before: the words are in the files
    return app, db


def test_the_purge_command_leaves_no_purged_text_in_the_database_files(tmp_path):
    from assistant.cli import app as cli

    app, db = _seeded_app(tmp_path)  # the server's store stays open, as when a running server is purged
    result = CliRunner().invoke(cli, ["purge", "--days", "30", "--database-url", f"sqlite:///{db}"])
    assert result.exit_code == 0, result.output
    left = _bytes(db)
    assert [word for word in PURGED if word in left] == []
    assert b"Godkendt tekst." in left  # the approved note is kept
    app.state.services.store.close()


def test_the_admins_purge_leaves_no_purged_text_in_the_database_files(tmp_path):
    app, db = _seeded_app(tmp_path)
    with TestClient(app) as admin:
        login(admin, ADMIN)
        assert admin.post("/api/admin/purge").status_code == 200
    left = _bytes(db)
    assert [word for word in PURGED if word in left] == []
    app.state.services.store.close()
