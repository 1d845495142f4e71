"""The note API tells the editor whether a new draft would replace the caseworker's own changes."""

from __future__ import annotations


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
