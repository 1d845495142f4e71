"""Case deadlines on the note page's API: Danish dates, passed deadlines, the acknowledgement date the
caseworker enters, and working days with Danish public holidays when the municipality promises them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from review.conftest import seed_calls
from security.helpers import CASEWORKER, SUPERVISOR, login

from assistant.config import Settings


@pytest.fixture
def working_days_client(tmp_path, monkeypatch):
    """The real app, seeded, in a municipality that promises its deadlines in working days (caseworker login)."""
    from fastapi.testclient import TestClient

    from assistant.web.app import create_app

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path))
    app = create_app(Settings(data_dir=tmp_path, purge_interval_hours=0, deadline_working_days=True))
    seed_calls(app.state.services.store)
    with TestClient(app) as client:
        login(client, CASEWORKER)
        yield client


def test_acknowledgement_is_the_date_entered_not_the_call_time(app_client):
    linked = app_client.put("/api/notes/calmcall/case",
                            json={"reference": "S-10", "received_date": "2026-11-20"}).json()
    assert linked["acknowledged_at"] is None, "the call's time must not be taken as the acknowledgement silently"
    assert linked["acknowledgement"]["due_text"] == "22. november 2026"
    assert linked["answer"]["due_text"] == "2. december 2026"
    linked = app_client.put("/api/notes/calmcall/case", json={
        "reference": "S-10", "received_date": "2026-11-20", "acknowledged_date": "2026-11-21"}).json()
    assert linked["acknowledged_at"].startswith("2026-11-21")
    assert linked["acknowledgement"] == {"due": "2026-11-22", "due_text": "22. november 2026",
                                         "done_on": "2026-11-21", "passed": False}
    assert not linked["working_days"]


def test_passed_deadlines_are_marked_passed(app_client):
    long_ago = date.today() - timedelta(days=60)
    note = app_client.put("/api/notes/calmcall/case", json={
        "reference": "S-11", "received_date": long_ago.isoformat(),
        "acknowledged_date": (long_ago + timedelta(days=5)).isoformat()})
    assert note.status_code == 200
    case = app_client.get("/api/notes/calmcall").json()["case"]
    assert case["acknowledgement"]["passed"], "acknowledged 5 days after receipt: later than 2 days"
    assert case["answer"]["passed"] and case["answer"]["done_on"] is None, "open 60 days after receipt"
    upcoming = app_client.put("/api/notes/calmcall/case",
                              json={"reference": "S-12", "received_date": date.today().isoformat()}).json()
    assert not upcoming["acknowledgement"]["passed"] and not upcoming["answer"]["passed"]


def test_answer_deadline_counts_working_days_over_christmas(working_days_client):
    # Received Friday 18 December 2026: 12 working days skip weekends, 25 December and 1 January.
    case = working_days_client.put("/api/notes/calmcall/case",
                                   json={"reference": "S-13", "received_date": "2026-12-18"}).json()
    assert case["working_days"]
    assert case["acknowledgement"]["due"] == "2026-12-22"
    assert case["answer"]["due"] == "2027-01-07"
    assert case["answer"]["due_text"] == "7. januar 2027"


def test_the_statistics_deadline_table_follows_the_working_days_setting(working_days_client):
    working_days_client.put("/api/notes/calmcall/case", json={"reference": "S-14", "received_date": "2026-12-18"})
    login(working_days_client, SUPERVISOR)
    deadlines = working_days_client.get("/api/stats").json()["deadlines"]
    assert deadlines["working_days"] and (deadlines["acknowledgement_days"], deadlines["answer_days"]) == (2, 12)
    assert [(c["reference"], c["answer_deadline"]) for c in deadlines["cases"]] == [("S-14", "2027-01-07")]
    csv_text = working_days_client.get("/api/stats/export.csv?table=deadlines").text
    assert "S-14" in csv_text and "2027-01-07" in csv_text


def test_the_statistics_deadline_table_says_calendar_days_by_default(app_client):
    app_client.put("/api/notes/calmcall/case", json={"reference": "S-15", "received_date": "2026-12-18"})
    deadlines = app_client.get("/api/stats").json()["deadlines"]
    assert not deadlines["working_days"]
    assert [(c["reference"], c["answer_deadline"]) for c in deadlines["cases"]] == [("S-15", "2026-12-30")]
