"""Retention: after a purge, data older than the period is gone from the database, the API, exports and the
review pages; approved notes and the audit log remain; `assistant purge` and the automatic purge do it."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select, text

from assistant.config import Settings
from assistant.privacy.retention import purge_expired
from assistant.store.models import AuditEntry, Note, NoteVersion, SuggestionRow, TurnSignal, UtteranceRow
from security.helpers import CASEWORKER, SUPERVISOR, ensure_role_users, login
from store.builders import CALM_CALL, THREAT_CALL, call_events, feed

OLD_WORDS = ("banker hende", "ventet tre måneder", "boligstøtten er sat ned")
"""Phrases of the old calls' transcripts, signals and evidence that must be gone."""


def _seed(store) -> None:  # noqa: ANN001
    from assistant.store.recorder import CallRecorder

    ensure_role_users(store)
    recorder = CallRecorder(store, caseworker_username=CASEWORKER)
    now = datetime.now(timezone.utc)
    feed(recorder, call_events("oldthreat", THREAT_CALL, kind="afgoerelse", started_at=now - timedelta(days=45)))
    feed(recorder, call_events("oldcalm", CALM_CALL, started_at=now - timedelta(days=40)))
    feed(recorder, call_events("fresh", CALM_CALL, started_at=now - timedelta(days=2)))


@pytest.fixture
def app(tmp_path):
    from assistant.web.app import create_app

    application = create_app(Settings(data_dir=tmp_path, purge_interval_hours=0))
    _seed(application.state.services.store)
    return application


def _clients(app):  # noqa: ANN001, ANN202
    caseworker, supervisor = TestClient(app), TestClient(app)
    login(caseworker, CASEWORKER)
    login(supervisor, SUPERVISOR)
    return caseworker, supervisor


def _approve_note(client, call_id: str, markdown: str) -> None:  # noqa: ANN001
    assert client.get(f"/api/notes/{call_id}").status_code == 200
    version = client.put(f"/api/notes/{call_id}", json={"markdown": markdown}).json()["current"]["version"]
    assert client.post(f"/api/notes/{call_id}/approve", json={"version": version}).status_code == 200


def _all_text(engine) -> str:  # noqa: ANN001
    """Every text and JSON value in every table but the audit log, as one string (reads the DB directly)."""
    parts = []
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            if table in ("audit_log", "alembic_version"):
                continue
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                parts.extend(str(value) for value in row)
    return "\n".join(parts)


def test_a_purge_deletes_old_content_and_keeps_approved_notes(app):
    caseworker, supervisor = _clients(app)
    _approve_note(caseworker, "oldcalm", "# Telefonnotat\nBorgeren trak klagen tilbage. Godkendt tekst.")
    caseworker.get("/api/notes/oldthreat")  # a draft only: it goes with the purge
    store = app.state.services.store
    assert all(word in _all_text(store.engine) for word in OLD_WORDS)

    with store.session() as session:
        report = purge_expired(session, retention_days=30)
    assert report.calls == 2 and report.utterances == len(THREAT_CALL) + len(CALM_CALL)
    assert report.notes == 1 and report.draft_versions == 1

    with store.session() as session:
        for model in (UtteranceRow, TurnSignal, SuggestionRow):
            assert session.scalars(select(model).where(model.call_id.in_(["oldthreat", "oldcalm"]))).all() == []
        assert len(session.scalars(select(UtteranceRow).where(UtteranceRow.call_id == "fresh")).all()) == len(CALM_CALL)
        assert session.scalar(select(Note).where(Note.call_id == "oldthreat")) is None
        kept = session.scalars(select(NoteVersion).join(Note).where(Note.call_id == "oldcalm")).all()
        assert [(v.status, v.markdown.splitlines()[1]) for v in kept] == [
            ("approved", "Borgeren trak klagen tilbage. Godkendt tekst.")]
        purge_entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "purge")).one()
        assert purge_entry.username == "system" and "utterances=9" in purge_entry.detail
    remaining = _all_text(store.engine)
    old_only = [w for w in OLD_WORDS if w != "ventet tre måneder"]  # the fresh call says that too
    assert not any(word in remaining for word in old_only)

    # ... and through everything that could show it: the review pages, statistics exports, note export.
    review = supervisor.get("/api/review/calls/oldthreat").json()
    assert review["transcript"] == [] and all(f["evidence"] == [] for f in review["flags"])
    queue = supervisor.get("/api/review/queue").text
    assert not any(word in queue for word in old_only)
    for table in ("flags", "categories", "resolved", "deadlines"):
        csv = supervisor.get(f"/api/stats/export.csv?table={table}")
        assert csv.status_code == 200 and not any(word in csv.text for word in old_only)
    assert "afgoerelse" in supervisor.get("/api/stats/export.csv?table=categories").text  # categories are kept
    assert supervisor.get("/api/review/calls/fresh").json()["transcript"]  # newer calls untouched
    export = caseworker.get("/api/notes/oldcalm/export?format=md")
    assert export.status_code == 200 and "Godkendt tekst." in export.text
    assert caseworker.get("/api/notes/oldthreat/export?format=md").status_code == 409


def test_a_second_purge_finds_nothing_more(app):
    store = app.state.services.store
    with store.session() as session:
        purge_expired(session, retention_days=30)
    with store.session() as session:
        again = purge_expired(session, retention_days=30)
    assert (again.utterances, again.turn_signals, again.suggestions, again.draft_versions) == (0, 0, 0, 0)


def test_the_purge_command_uses_the_configured_database(app, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from assistant.cli import app as cli

    url = app.state.services.store.options.url
    result = CliRunner().invoke(cli, ["purge", "--days", "30", "--database-url", url])
    assert result.exit_code == 0, result.output
    assert "Slettet fra 2 opkald ældre end 30 dage: 9 udskriftslinjer" in result.output
    with app.state.services.store.session() as session:
        assert session.scalars(select(UtteranceRow).where(UtteranceRow.call_id == "oldcalm")).all() == []


def test_the_server_purges_at_start_and_on_a_schedule(tmp_path):
    from assistant.web.app import create_app

    app = create_app(Settings(data_dir=tmp_path, purge_interval_hours=24))
    _seed(app.state.services.store)
    with TestClient(app):  # the lifespan starts the purge task
        deadline = time.monotonic() + 30
        while True:
            with app.state.services.store.session() as session:
                left = session.scalars(select(UtteranceRow).where(UtteranceRow.call_id == "oldthreat")).all()
            if not left:
                break
            assert time.monotonic() < deadline, "the start-up purge did not run"
            time.sleep(0.1)
        with app.state.services.store.session() as session:
            assert session.scalars(select(UtteranceRow).where(UtteranceRow.call_id == "fresh")).all()


def test_ended_calls_leave_the_servers_memory_and_are_purged_in_the_store(app):
    """Issue 11, finding 12: an ended call is read from the store at once, so the purge removes its transcript
    from what the running server shows too."""
    from assistant.privacy.scheduler import purge_now
    from assistant.store.models import Call

    caseworker, _ = _clients(app)
    call_id = caseworker.post("/calls", json={"source": "text", "analysis": False}).json()["call_id"]
    caseworker.post(f"/calls/{call_id}/turns", json={"speaker": "citizen", "text": "Jeg har ventet længe."})
    caseworker.post(f"/calls/{call_id}/end")
    assert app.state.services.manager.find(call_id) is None
    assert len(caseworker.get(f"/calls/{call_id}").json()["utterances"]) == 1
    with app.state.services.store.session() as session:
        session.get(Call, call_id).started_at -= timedelta(days=31)
    purge_now(app.state.services.store, retention_days=30, manager=app.state.services.manager)
    snap = caseworker.get(f"/calls/{call_id}").json()
    assert snap["status"] == "ended" and snap["utterances"] == []
