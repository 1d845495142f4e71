"""Issue 11, finding 1: audio connections are counted per call (one at a time) and per user (at most
`audio_max_streams_per_user`); a refused one gets a clear error and a close code. Real server and clients."""

from __future__ import annotations

import json
import time

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from assistant.web.routes.audio import CLOSE_NOT_STREAM, CLOSE_TOO_MUCH_AUDIO

pytestmark = pytest.mark.slow  # stream calls load the Whisper model


def _refusal(ws) -> tuple[dict, int]:  # noqa: ANN001
    reply = json.loads(ws.recv(timeout=30))
    with pytest.raises(ConnectionClosed) as closed:
        ws.recv(timeout=30)
    return reply, closed.value.rcvd.code


def _accepted_once_others_closed(url: str) -> bool:
    """Closed connections stop counting once the server has seen them go (polled; a guard, not a timing check)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with connect(url) as ws:
            ws.send(json.dumps({"type": "audio-start", "rate": 16000, "width": 2, "channels": 2}))
            if json.loads(ws.recv(timeout=30))["type"] == "audio-ready":
                return True
        time.sleep(0.2)
    return False


def test_one_audio_connection_per_call_and_a_few_per_user(server, web_settings):
    limit = web_settings.audio_max_streams_per_user
    assert limit == 2  # the default; the test holds two connections open
    body = {"source": "stream", "channels": 2, "sample_rate": 16000}
    # the first stream call loads the model: give a busy machine time for that
    calls = [server.http.post("/calls", json=body, timeout=600).json()["call_id"] for _ in range(limit + 1)]
    url = f"{server.ws_url}/calls/{{}}/audio"
    with connect(url.format(calls[0])) as first, connect(url.format(calls[1])) as second:
        for ws in (first, second):
            ws.send(json.dumps({"type": "audio-start", "rate": 16000, "width": 2, "channels": 2}))
            assert json.loads(ws.recv(timeout=30))["type"] == "audio-ready"
        with connect(url.format(calls[0])) as again:
            reply, code = _refusal(again)
        assert reply["code"] == "audio-busy" and code == CLOSE_NOT_STREAM
        with connect(url.format(calls[limit])) as extra:
            reply, code = _refusal(extra)
        assert reply["code"] == "audio-too-many-streams" and code == CLOSE_TOO_MUCH_AUDIO
    assert _accepted_once_others_closed(url.format(calls[limit]))
    for call_id in calls:
        server.http.post(f"/calls/{call_id}/end")


def test_the_audio_connection_closes_when_its_login_ends(server, web_settings):
    import httpx

    from assistant.security.gate import CLOSE_UNAUTHENTICATED
    from security.helpers import CASEWORKER, cookie_header, login

    with httpx.Client(base_url=server.url, timeout=600) as own:  # a login of its own, to log out
        login(own, CASEWORKER)
        call_id = own.post("/calls", json={"source": "stream", "channels": 2, "sample_rate": 16000}).json()["call_id"]
        with connect(f"{server.ws_url}/calls/{call_id}/audio", additional_headers={"Cookie": cookie_header(own)}) as ws:
            ws.send(json.dumps({"type": "audio-start", "rate": 16000, "width": 2, "channels": 2}))
            assert json.loads(ws.recv(timeout=30))["type"] == "audio-ready"
            assert own.post("/auth/logout").status_code == 204
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    ws.recv(timeout=web_settings.login_recheck_s + 30)
        assert closed.value.rcvd.code == CLOSE_UNAUTHENTICATED
    server.http.post(f"/calls/{call_id}/end")
