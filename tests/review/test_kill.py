"""SIGKILL the real server mid-call: after a restart the transcript up to the last final utterance is in the
database and the call is marked interrupted."""

from __future__ import annotations

import httpx
import pytest

from assistant.store import crud
from assistant.store.db import Store
from security.helpers import CASEWORKER, SUPERVISOR, ensure_role_users, login

TURNS = [
    ("caseworker", "Goddag, det er Mette fra Borgerservice. Jeg ringer om din klage."),
    ("citizen", "Jeg har ventet tre måneder på et svar, og mit CPR er 0101901234."),
    ("caseworker", "Det er for lang tid, og det beklager jeg. Jeg sender dig svaret inden fredag."),
]


@pytest.mark.slow
def test_sigkill_mid_call_keeps_final_utterances_and_marks_the_call_interrupted(server_factory):
    server = server_factory()
    store = Store.open(f"sqlite:///{server_factory.data_dir / 'assistant.db'}", migrate=False)
    ensure_role_users(store)  # access control: the call is made by a logged-in caseworker
    store.close()
    caseworker = httpx.Client(base_url=server.url, timeout=30)
    login(caseworker, CASEWORKER)
    call = caseworker.post("/calls", json={"source": "text", "analysis": False}).json()
    call_id = call["call_id"]
    for speaker, text in TURNS:
        response = caseworker.post(f"/calls/{call_id}/turns", json={"speaker": speaker, "text": text})
        assert response.status_code < 300, response.text
    caseworker.close()
    server.kill()  # SIGKILL: no shutdown handler runs, the call is never ended
    assert server.process.returncode == -9

    restarted = server_factory()
    with httpx.Client(base_url=restarted.url, timeout=30) as supervisor:
        login(supervisor, SUPERVISOR)
        stored = {c["call_id"]: c for c in supervisor.get("/api/review/calls").json()["data"]}
    assert stored[call_id]["status"] == "interrupted"
    assert stored[call_id]["turns"] == len(TURNS)
    restarted.stop()

    store = Store.open(f"sqlite:///{server_factory.data_dir / 'assistant.db'}", migrate=False)
    try:
        with store.session() as session:
            rows = crud.transcript(session, call_id)
            assert [(r.speaker, r.text) for r in rows] == [
                (s, t.replace("0101901234", "010190-XXXX")) for s, t in TURNS]
            call_row = crud.get_call(session, call_id)
            assert call_row.status == "interrupted" and call_row.ended_at is not None
    finally:
        store.close()
