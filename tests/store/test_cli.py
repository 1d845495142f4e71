"""`assistant db upgrade|current`, `assistant calls` and `assistant note CALL_ID` on a real SQLite file."""

from __future__ import annotations

import subprocess
import sys

import docx
from typer.testing import CliRunner

from assistant.cli import app
from assistant.config import get_settings
from assistant.store.db import Store
from assistant.store.migrate import head_revision
from assistant.store.recorder import CallRecorder
from store.builders import CALM_CALL, call_events, feed


def test_db_upgrade_calls_and_note(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    result = runner.invoke(app, ["db", "upgrade", "--database-url", url])
    head = head_revision()  # the newest migration the package ships
    assert result.exit_code == 0 and f"revision {head}" in result.output
    assert f"Database: {head}" in runner.invoke(app, ["db", "current", "--database-url", url]).output
    store = Store.open(url)
    feed(CallRecorder(store), call_events("clicall", CALM_CALL))
    store.close()
    assert "clicall" in runner.invoke(app, ["calls", "--database-url", url]).output
    note = runner.invoke(app, ["note", "clicall", "--database-url", url])
    assert note.exit_code == 0
    assert note.output.startswith("# Telefonnotat") and "Sagsbehandlingstid: har ventet tre måneder" in note.output
    out = tmp_path / "n.docx"
    assert runner.invoke(app, ["note", "clicall", "--database-url", url, "-o", str(out)]).exit_code == 0
    assert out.read_bytes()[:2] == b"PK"


def test_unknown_call_is_a_clear_error_without_traceback(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = subprocess.run([sys.executable, "-m", "assistant.cli", "note", "nope", "--database-url", url],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "call-not-found" in result.stderr and "Traceback" not in result.stderr


def test_an_exported_note_names_the_municipality_as_author_not_the_program(tmp_path, monkeypatch):
    # The same author as the web export: the caseworker (none recorded here) and the municipality setting.
    monkeypatch.setenv("ASSISTANT_MUNICIPALITY", "Eksempel Kommune")
    get_settings.cache_clear()
    try:
        url = f"sqlite:///{tmp_path / 'cli.db'}"
        store = Store.open(url)
        feed(CallRecorder(store), call_events("clicall", CALM_CALL))
        store.close()
        runner = CliRunner()
        for fresh in ([], ["--fresh"]):
            out = tmp_path / f"note{len(fresh)}.docx"
            result = runner.invoke(app, ["note", "clicall", "--database-url", url, "-o", str(out), *fresh])
            assert result.exit_code == 0, result.output
            assert docx.Document(str(out)).core_properties.author == "Eksempel Kommune"
    finally:
        get_settings.cache_clear()
