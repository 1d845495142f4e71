"""`WS /calls/{id}/audio` with real clients: the wire protocol, bad input, a dropped client, the file client.

These start `stream` calls, so the server loads the bundled Whisper model (once per session).
"""

from __future__ import annotations

import asyncio
import json

import numpy as np
import pytest
import soundfile
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from assistant.paths import SAMPLES_DIR
from assistant.web.routes.audio import MAX_PROTOCOL_ERRORS
from security.helpers import CASEWORKER, TEST_PASSWORD
from web.conftest import read_events

pytestmark = pytest.mark.slow

SAMPLE = SAMPLES_DIR / "01_ventetid_rolig.wav"


def _reply(ws) -> dict:
    return json.loads(ws.recv(timeout=30))


def _stream_call(server) -> str:
    return server.start_call(source="stream", channels=2, sample_rate=16000)


def test_protocol_errors_are_answered_and_the_connection_stays(server):
    call_id = _stream_call(server)
    with connect(f"{server.ws_url}/calls/{call_id}/audio") as ws:
        ws.send(b"\x00\x00\x00\x00")
        assert _reply(ws)["code"] == "not-started"
        ws.send("{not json")
        assert _reply(ws) == {"type": "error", "code": "bad-json", "message": "Beskeden er ikke gyldig JSON."}
        ws.send(json.dumps({"type": "audio-chunk"}))
        assert _reply(ws)["code"] == "unknown-type"
        ws.send(json.dumps({"type": "audio-start", "rate": 16000, "width": 2, "channels": 1}))
        assert _reply(ws)["code"] == "bad-channels"  # the call was opened with two channels
        ws.send(json.dumps({"type": "audio-start", "rate": 16000, "width": 2, "channels": 2}))
        assert _reply(ws) == {"type": "audio-ready", "call_id": call_id}
        ws.send(b"\x01\x02\x03")  # not a whole stereo sample frame (4 bytes)
        bad = _reply(ws)
        assert bad["type"] == "error" and bad["code"] == "bad-frame-size" and "3 bytes" in bad["message"]
        ws.send(np.zeros(2 * 1600, dtype="<i2").tobytes())  # 0.1 s of stereo silence: accepted silently
        ws.send(json.dumps({"type": "audio-stop"}))
        assert _reply(ws) == {"type": "audio-done", "seconds": 0.1}
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=30)
        assert closed.value.rcvd.code == 1000
    snap = server.wait_status(call_id)
    assert snap["status"] == "ended" and snap["utterances"] == []  # silence: the call completes with no turns


def test_repeated_abuse_closes_with_4400_and_the_call_goes_on(server):
    call_id = _stream_call(server)
    with connect(f"{server.ws_url}/calls/{call_id}/audio") as ws:
        codes = []
        with pytest.raises(ConnectionClosed) as closed:
            for _ in range(MAX_PROTOCOL_ERRORS + 5):
                ws.send("garbage")
                codes.append(_reply(ws)["code"])
        assert closed.value.rcvd.code == 4400
    assert codes == ["bad-json"] * MAX_PROTOCOL_ERRORS  # each answered, then the connection is closed
    assert server.snapshot(call_id)["status"] == "running"
    server.http.post(f"/calls/{call_id}/end")


def test_unknown_call_and_non_stream_call_are_refused(server):
    with connect(f"{server.ws_url}/calls/nope/audio") as ws:
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
        assert closed.value.rcvd.code == 4404
    text_call = server.start_call(source="text", analysis=False)
    with connect(f"{server.ws_url}/calls/{text_call}/audio") as ws:
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
        assert closed.value.rcvd.code == 4409 and closed.value.rcvd.reason.startswith("call-not-stream")


def test_client_that_drops_mid_call_keeps_the_transcript(server):
    audio, rate = soundfile.read(SAMPLE, dtype="int16")
    assert rate == 16000 and audio.shape[1] == 2
    call_id = _stream_call(server)
    with connect(f"{server.ws_url}/calls/{call_id}/events") as events:
        with connect(f"{server.ws_url}/calls/{call_id}/audio") as ws:
            ws.send(json.dumps({"type": "audio-start", "rate": 16000, "width": 2, "channels": 2}))
            assert _reply(ws)["type"] == "audio-ready"
            first_part = audio[: 25 * rate]  # the first 25 s: a few complete turns
            for start in range(0, len(first_part), rate // 10):
                ws.send(first_part[start:start + rate // 10].tobytes())
            ws.socket.close()  # drop the TCP connection without audio-stop or a close frame
        seen = read_events(events, until="error", timeout=120)
    lost = seen[-1]
    assert lost["code"] == "audio-client-lost" and lost["stage"] == "audio"
    snap = server.snapshot(call_id)
    assert snap["status"] == "running"  # the call goes on; a client may reconnect and continue
    finals = [e for e in seen if e["type"] == "utterance-final"]
    ended = server.http.post(f"/calls/{call_id}/end").json()
    assert ended["status"] == "ended"
    kept = [u["utterance_id"] for u in ended["utterances"]]
    assert kept[: len(finals)] == [e["utterance"]["utterance_id"] for e in finals]
    assert kept, "the turns heard before the drop are kept"


def test_stream_file_client_sends_a_whole_call(server, tmp_path):
    from assistant.web.audio_client import stream_file

    audio, rate = soundfile.read(SAMPLE, dtype="int16")
    short = tmp_path / "short.wav"
    soundfile.write(short, audio[: 30 * rate], rate, subtype="PCM_16")
    result = asyncio.run(stream_file(server.url, short, realtime=False, credentials=(CASEWORKER, TEST_PASSWORD)))
    assert result.server_errors == []
    assert result.seconds_sent == pytest.approx(30.0, abs=0.1)
    assert result.panel_url == f"{server.url}/panel/{result.call_id}"
    snap = server.wait_status(result.call_id)
    assert snap["status"] == "ended"
    assert {u["speaker"] for u in snap["utterances"]} == {"caseworker", "citizen"}
