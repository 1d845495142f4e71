"""The note API tells the editor whether a new draft would replace the caseworker's own changes."""

from __future__ import annotations

from fastapi.testclient import TestClient
from security.helpers import ensure_user, login


def test_current_edited_is_true_only_after_changes_by_hand(app_client):
    fresh = app_client.get("/api/notes/calmcall").json()
    assert fresh["current_edited"] is False, "a fresh draft holds no edits: redrafting loses nothing"
    text = fresh["current"]["markdown"] + "\nTilføjet af sagsbehandleren.\n"
    edited = app_client.put("/api/notes/calmcall", json={"markdown": text, "outcome": "lagt_ned"}).json()
    assert edited["current_edited"] is True
    redrafted = app_client.post("/api/notes/calmcall/regenerate", json={"outcome": "lagt_ned"}).json()
    assert redrafted["current_edited"] is False
    assert "Tilføjet af sagsbehandleren." not in redrafted["current"]["markdown"]
    approved = app_client.post("/api/notes/calmcall/approve", json={"version": redrafted["current"]["version"]})
    assert approved.json()["current_edited"] is False, "an approved version is never replaced by a redraft"


def test_the_note_page_of_a_call_the_user_cannot_open_is_a_plain_not_found_page(app_client):
    own = app_client.get("/notes/calmcall")
    assert own.status_code == 200 and 'id="note-text"' in own.text
    unknown = app_client.get("/notes/no-such-call")
    assert unknown.status_code == 404 and "Opkaldet findes ikke" in unknown.text and "note-text" not in unknown.text
    # Another caseworker's call answers exactly like an unknown one
    other = TestClient(app_client.for_role("caseworker").app)
    ensure_user(app_client.store, "anden", "caseworker")
    login(other, "anden")
    foreign = other.get("/notes/calmcall")
    assert foreign.status_code == 404 and "note-text" not in foreign.text
