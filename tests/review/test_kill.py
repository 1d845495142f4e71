"""SIGKILL the real server mid-call: after a restart the transcript up to the last final utterance is in the
database and the call is marked interrupted."""

from __future__ import annotations

import httpx
import pytest

from assistant.store import crud
from assistant.store.db import Store

TURNS = [
    ("caseworker", "Goddag, det er Mette fra Borgerservice. Jeg ringer om din klage."),
    ("citizen", "Jeg har ventet tre måneder på et svar, og mit CPR er 0101901234."),
    ("caseworker", "Det er for lang tid, og det beklager jeg. Jeg sender dig svaret inden fredag."),
]


@pytest.mark.slow
def test_sigkill_mid_call_keeps_final_utterances_and_marks_the_call_interrupted(server_factory):
    server = server_factory()
    call = httpx.post(server.url + "/calls", json={"source": "text", "analysis": False}, timeout=30).json()
    call_id = call["call_id"]
    for speaker, text in TURNS:
        response = httpx.post(f"{server.url}/calls/{call_id}/turns", json={"speaker": speaker, "text": text}, timeout=30)
        assert response.status_code < 300, response.text
    server.kill()  # SIGKILL: no shutdown handler runs, the call is never ended
    assert server.process.returncode == -9

    restarted = server_factory()
    stored = {c["call_id"]: c for c in httpx.get(restarted.url + "/api/review/calls", timeout=30).json()["data"]}
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
