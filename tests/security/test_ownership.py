"""A caseworker sees only their own calls (live and stored); a supervisor only their unit's; an admin none."""

from __future__ import annotations

from starlette.websockets import WebSocketDisconnect

from assistant.security.gate import CLOSE_NOT_FOUND
from security.helpers import ADMIN, CASEWORKER, SUPERVISOR


def _text_call(client) -> str:  # noqa: ANN001
    response = client.post("/calls", json={"source": "text", "analysis": False, "citizen_informed": True})
    assert response.status_code == 201, response.text
    call_id = response.json()["call_id"]
    turn = client.post(f"/calls/{call_id}/turns", json={"speaker": "citizen", "text": "Jeg har ventet i tre måneder."})
    assert turn.status_code == 200
    assert client.post(f"/calls/{call_id}/end").status_code == 200
    return call_id


def test_live_calls_belong_to_the_caseworker_who_started_them(client_for, app):
    owner, colleague = client_for(CASEWORKER), client_for("kollega")
    call_id = _text_call(owner)
    assert app.state.services.manager.find(call_id) is None  # ended: read from the store (issue 11, finding 12)
    assert [c["call_id"] for c in owner.get("/calls").json()["data"]] == [call_id]
    assert colleague.get("/calls").json()["data"] == []
    for method, path, body in [("GET", f"/calls/{call_id}", None), ("POST", f"/calls/{call_id}/end", None),
                               ("POST", f"/calls/{call_id}/turns", {"speaker": "citizen", "text": "hej"}),
                               ("POST", f"/calls/{call_id}/suggestions/s1", {"action": "used"})]:
        response = colleague.request(method, path, json=body)
        assert response.status_code == 404 and response.json()["code"] == "call-not-found", path
    try:
        with colleague.websocket_connect(f"/calls/{call_id}/events") as ws:
            code = ws.receive()["code"]
    except WebSocketDisconnect as closed:
        code = closed.code
    assert code == CLOSE_NOT_FOUND
    with owner.websocket_connect(f"/calls/{call_id}/events?after=0") as ws:
        first = ws.receive_json()
    assert first["type"] == "call-start" and first["owner"] == CASEWORKER


def test_the_stored_call_records_its_caseworker(client_for, app):
    from assistant.store import crud

    call_id = _text_call(client_for(CASEWORKER))
    with app.state.services.store.session() as session:
        assert crud.get_call(session, call_id).caseworker.username == CASEWORKER


def test_notes_of_another_caseworker_are_not_found(client_for):
    owner, colleague = client_for(CASEWORKER), client_for("kollega")
    call_id = _text_call(owner)
    assert owner.get(f"/api/notes/{call_id}").status_code == 200
    for method, path in [("GET", f"/api/notes/{call_id}"), ("GET", f"/api/notes/{call_id}/export"),
                         ("POST", f"/api/notes/{call_id}/regenerate")]:
        response = colleague.request(method, path, json={} if method == "POST" else None)
        assert response.status_code == 404, (path, response.text)


def _flagged_call(app, call_id: str, caseworker: str) -> None:
    """A stored, flagged call of `caseworker` (through the real recorder)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from store.builders import THREAT_CALL, call_events, feed

    from assistant.store.recorder import CallRecorder

    feed(CallRecorder(app.state.services.store, caseworker_username=caseworker), call_events(call_id, THREAT_CALL))


def test_supervisors_see_their_own_unit_only(client_for, app):
    _flagged_call(app, "mycall", CASEWORKER)
    _flagged_call(app, "jobcall", "jobsagsbehandler")
    mine, other = client_for(SUPERVISOR), client_for("jobleder")
    assert [c["call_id"] for c in mine.get("/api/review/queue").json()["data"]] == ["mycall"]
    assert [c["call_id"] for c in other.get("/api/review/queue").json()["data"]] == ["jobcall"]
    assert [c["call_id"] for c in mine.get("/api/review/calls").json()["data"]] == ["mycall"]
    assert mine.get("/api/review/calls/jobcall").status_code == 404
    assert other.get("/api/review/calls/mycall").status_code == 404
    verdict = other.post("/api/review/calls/mycall/flags/threat/verdict", json={"verdict": "right"})
    assert verdict.status_code == 404
    threat = {f["kind"]: f for f in other.get("/api/stats").json()["flags"]}["threat"]
    assert threat["raised"] == 1  # only the other unit's call is counted
    review = mine.get("/api/review/calls/mycall").json()
    assert any("banker hende" in turn["text"] for turn in review["transcript"])


def test_admins_manage_users_but_see_no_call_content(client_for, app):
    _flagged_call(app, "mycall", CASEWORKER)
    admin = client_for(ADMIN)
    for path in ("/api/review/queue", "/api/review/calls/mycall", "/api/notes/mycall", "/calls", "/api/stats"):
        assert admin.get(path).status_code == 403, path
    created = admin.post("/api/admin/users", json={"username": "ny.bruger", "role": "caseworker", "unit": "X"})
    assert created.status_code == 201 and len(created.json()["password"]) >= 16
    names = [u["username"] for u in admin.get("/api/admin/users").json()["data"]]
    assert "ny.bruger" in names and "anonymous" not in names
    disabled = admin.patch("/api/admin/users/ny.bruger", json={"active": False})
    assert disabled.status_code == 200 and disabled.json()["active"] is False
    assert admin.post("/api/admin/users/ny.bruger/password").json()["password"]
    settings = admin.get("/api/admin/settings").json()
    assert settings["retention_days"] == 30 and settings.get("secret_key") in (None, "***")


def test_two_caseworkers_can_link_their_calls_to_the_same_case(client_for):
    first, second = client_for(CASEWORKER), client_for("kollega")
    case = {"reference": "K-2026-9", "received_date": "2026-11-20"}
    for client in (first, second):
        call_id = _text_call(client)
        linked = client.put(f"/api/notes/{call_id}/case", json=case)
        assert linked.status_code == 200 and linked.json()["reference"] == "K-2026-9", linked.text
