"""The audit log records views and exports (who, when) and admins can read and export it; contact details
are masked when configured; CPR numbers never reach the panel; voice cues are announced when on."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from assistant.config import Settings
from security.helpers import ADMIN, CASEWORKER, SUPERVISOR, ensure_role_users, login


def _app(tmp_path, **overrides):  # noqa: ANN001, ANN202
    from assistant.web.app import create_app

    app = create_app(Settings(data_dir=tmp_path, purge_interval_hours=0, **overrides))
    ensure_role_users(app.state.services.store)
    return app


def _client(app, username: str) -> TestClient:  # noqa: ANN001
    client = TestClient(app)
    login(client, username)
    return client


def test_views_and_exports_are_audited_and_admins_can_read_and_export_the_log(tmp_path):
    app = _app(tmp_path)
    caseworker, supervisor, admin = (_client(app, u) for u in (CASEWORKER, SUPERVISOR, ADMIN))
    call_id = caseworker.post("/calls", json={"source": "text", "analysis": False}).json()["call_id"]
    caseworker.post(f"/calls/{call_id}/turns", json={"speaker": "citizen", "text": "Jeg vil klage."})
    caseworker.post(f"/calls/{call_id}/end")
    note = caseworker.get(f"/api/notes/{call_id}").json()
    caseworker.post(f"/api/notes/{call_id}/approve", json={"version": note["current"]["version"]})
    caseworker.get(f"/api/notes/{call_id}/export?format=md")
    supervisor.get(f"/api/review/calls/{call_id}")
    supervisor.get("/api/stats/export.csv?table=flags")

    log = admin.get("/api/admin/audit?limit=50").json()["data"]
    seen = {(e["username"], e["action"], e["object_type"], e["object_id"]) for e in log}
    assert {(CASEWORKER, "view", "note", call_id), (CASEWORKER, "export", "note", call_id),
            (SUPERVISOR, "view", "call", call_id), (SUPERVISOR, "export", "stats", "")} <= seen
    assert all(e["at"] for e in log)
    only_exports = admin.get("/api/admin/audit?action=export").json()["data"]
    assert only_exports and {e["action"] for e in only_exports} == {"export"}

    exported = admin.get("/api/admin/audit/export.csv")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert any(r["username"] == CASEWORKER and r["action"] == "export" and r["object_id"] == call_id for r in rows)
    # Reading and exporting the log is itself audited, and only admins may do either.
    actions = {(e["username"], e["action"], e["object_type"]) for e in admin.get("/api/admin/audit").json()["data"]}
    assert {(ADMIN, "view", "audit-log"), (ADMIN, "export", "audit-log")} <= actions
    for other in (caseworker, supervisor):
        assert other.get("/api/admin/audit").status_code == 403
        assert other.get("/api/admin/audit/export.csv").status_code == 403


def test_the_settings_switch_masking_on_for_the_store_and_the_panel(tmp_path):
    app = _app(tmp_path, mask_phone_numbers=True, mask_emails=True)
    caseworker = _client(app, CASEWORKER)
    call_id = caseworker.post("/calls", json={"source": "text", "analysis": False}).json()["call_id"]
    caseworker.post(f"/calls/{call_id}/turns", json={
        "speaker": "citizen", "text": "Mit CPR er 010190-1234, ring på 20304050 eller skriv til mig@mail.dk"})
    shown = caseworker.get(f"/calls/{call_id}").json()["utterances"][0]["text"]
    assert shown == "Mit CPR er 010190-XXXX, ring på XX XX XX XX eller skriv til …@mail.dk"
    caseworker.post(f"/calls/{call_id}/end")
    from assistant.store import crud

    with app.state.services.store.session() as session:
        assert crud.transcript(session, call_id)[0].text == shown
    # Another app built without the options in the same process does not mask contact details.
    plain = _client(_app(tmp_path / "plain"), CASEWORKER)
    other = plain.post("/calls", json={"source": "text", "analysis": False}).json()["call_id"]
    plain.post(f"/calls/{other}/turns", json={"speaker": "citizen", "text": "Ring på 20304050"})
    assert plain.get(f"/calls/{other}").json()["utterances"][0]["text"] == "Ring på 20304050"


def test_cpr_numbers_never_reach_the_panel(tmp_path):
    app = _app(tmp_path)
    caseworker = _client(app, CASEWORKER)
    call_id = caseworker.post("/calls", json={"source": "text", "analysis": False}).json()["call_id"]
    caseworker.post(f"/calls/{call_id}/turns", json={"speaker": "citizen", "text": "Mit cpr er 0101901234."})
    with caseworker.websocket_connect(f"/calls/{call_id}/events?after=0") as ws:
        events = [ws.receive_json(), ws.receive_json()]
    final = next(e for e in events if e["type"] == "utterance-final")
    assert final["utterance"]["text"] == "Mit cpr er 010190-XXXX." and final["utterance"]["words"] == []


def test_voice_emotion_cues_are_announced_to_the_panel_when_on(tmp_path):
    app = _app(tmp_path, voice_emotion_cues=True)
    assert _client(app, CASEWORKER).get("/auth/me").json()["voice_emotion_cues"] is True
    from assistant.web.static_files import STATIC_DIR

    assert "Stemmebaserede følelsessignaler er slået til" in (STATIC_DIR / "panel.js").read_text(encoding="utf-8")
    off = _app(tmp_path / "off")
    assert _client(off, CASEWORKER).get("/auth/me").json()["voice_emotion_cues"] is False
