"""Issue 11, finding 12: an ended call leaves the server's memory; its panel and state come from the store,
and after the retention purge its transcript is gone from the running server too. Real uvicorn server."""

from __future__ import annotations

import gc
import json
import weakref

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from assistant.config import Settings
from assistant.privacy.scheduler import purge_now
from security.helpers import CASEWORKER, cookie_header, ensure_role_users, ensure_user, login
from tests.web.conftest import free_port, run_server

TURNS = [("caseworker", "Goddag, jeg kontakter dig, fordi vi har fået din henvendelse."),
         ("citizen", "Ja, jeg har ventet i fire måneder på svar.")]


@pytest.fixture
def live(tmp_path):
    """(app, base URL, the caseworker's client, a colleague's client) on a real server."""
    from assistant.web.app import create_app

    app = create_app(Settings(data_dir=tmp_path, purge_interval_hours=0))
    ensure_role_users(app.state.services.store)
    ensure_user(app.state.services.store, "kollega", "caseworker")
    port = free_port()
    server, thread = run_server(app, port=port)
    base = f"http://127.0.0.1:{port}"
    owner, colleague = httpx.Client(base_url=base, timeout=60), httpx.Client(base_url=base, timeout=60)
    login(owner, CASEWORKER)
    login(colleague, "kollega")
    try:
        yield app, base, owner, colleague
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def _events(base: str, client: httpx.Client, call_id: str, *, after: int) -> tuple[list[dict], int]:
    """Every message of the events socket until the server closes it; returns (events, close code)."""
    url = f"{base.replace('http', 'ws')}/calls/{call_id}/events?after={after}"
    events = []
    with connect(url, additional_headers={"Cookie": cookie_header(client)}) as ws:
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                events.append(json.loads(ws.recv(timeout=30)))
    return events, closed.value.rcvd.code


def test_an_ended_call_is_served_from_the_store_and_purged_there(live):
    app, base, owner, colleague = live
    call_id = owner.post("/calls", json={"source": "text", "analysis": False}).json()["call_id"]
    for speaker, text in TURNS:
        assert owner.post(f"/calls/{call_id}/turns", json={"speaker": speaker, "text": text}).status_code == 200
    session = weakref.ref(app.state.services.manager.find(call_id))

    assert owner.post(f"/calls/{call_id}/end").json()["status"] == "ended"
    gc.collect()
    assert app.state.services.manager.find(call_id) is None and app.state.services.manager.calls() == []
    assert session() is None  # nothing holds the ended call's session, its history or its transcript

    snap = owner.get(f"/calls/{call_id}").json()
    assert snap["status"] == "ended" and [(u["speaker"], u["text"]) for u in snap["utterances"]] == TURNS
    listed = owner.get("/calls").json()["data"]
    assert [(c["call_id"], c["status"], c["turns"]) for c in listed] == [(call_id, "ended", 2)]

    replay, code = _events(base, owner, call_id, after=0)  # a panel opened after the end
    assert [e["type"] for e in replay] == ["call-start", "utterance-final", "utterance-final", "call-end"]
    assert [e["utterance"]["text"] for e in replay if e["type"] == "utterance-final"] == [t for _, t in TURNS]
    assert code == 1000 and [e["seq"] for e in replay] == sorted({e["seq"] for e in replay})
    tail, code = _events(base, owner, call_id, after=replay[-2]["seq"])  # a panel that reconnects
    assert [e["type"] for e in tail] == ["call-end"] and code == 1000
    assert owner.post(f"/calls/{call_id}/turns", json={"speaker": "citizen", "text": "Hallo?"}).status_code == 409
    assert owner.post(f"/calls/{call_id}/end").json()["status"] == "ended"  # a no-op, as before
    assert colleague.get(f"/calls/{call_id}").status_code == 404  # still only the owner's

    purge_now(app.state.services.store, retention_days=0, manager=app.state.services.manager)
    assert owner.get(f"/calls/{call_id}").json()["utterances"] == []
    after_purge, _ = _events(base, owner, call_id, after=0)
    assert [e["type"] for e in after_purge] == ["call-start", "call-end"]
