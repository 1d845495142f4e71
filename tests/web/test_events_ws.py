"""`WS /calls/{id}/events` with a real client: replay after N, live events, reconnect, unknown ids, pings."""

from __future__ import annotations

import json

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from assistant.events import parse_event
from web.conftest import read_events


def _say(server, call_id: str, speaker: str, text: str) -> None:
    response = server.http.post(f"/calls/{call_id}/turns", json={"speaker": speaker, "text": text})
    assert response.status_code == 200, response.text


def test_replay_from_start_and_from_a_sequence_number(server):
    call_id = server.start_call(source="text", analysis=False)
    for i in range(3):
        _say(server, call_id, "citizen" if i % 2 else "caseworker", f"Replik {i}")
    with connect(f"{server.ws_url}/calls/{call_id}/events?after=0") as ws:
        events = read_events(ws, count=4)
    assert [e["seq"] for e in events] == [1, 2, 3, 4]
    assert [e["type"] for e in events] == ["call-start"] + ["utterance-final"] * 3
    assert all(parse_event(json.dumps(e)).seq == e["seq"] for e in events)  # every message is a typed event

    with connect(f"{server.ws_url}/calls/{call_id}/events?after=2") as ws:
        tail = read_events(ws, count=2)
    assert [e["seq"] for e in tail] == [3, 4]
    assert [e["utterance"]["text"] for e in tail] == ["Replik 1", "Replik 2"]


def test_live_events_then_call_end(server):
    call_id = server.start_call(source="text", analysis=False)
    with connect(f"{server.ws_url}/calls/{call_id}/events") as ws:
        assert read_events(ws, count=1)[0]["type"] == "call-start"
        _say(server, call_id, "citizen", "Nu siger jeg noget")
        live = read_events(ws, count=1)[0]
        assert live["type"] == "utterance-final" and live["utterance"]["text"] == "Nu siger jeg noget"
        server.http.post(f"/calls/{call_id}/end")
        end = read_events(ws, until="call-end")[-1]
        assert end["reason"] == "stopped" and end["seq"] == 3


def test_reconnect_mid_call_loses_and_repeats_nothing(server):
    call_id = server.start_call(source="text", analysis=False)
    seen: list[int] = []
    with connect(f"{server.ws_url}/calls/{call_id}/events?after=0") as ws:
        _say(server, call_id, "caseworker", "Første")
        seen += [e["seq"] for e in read_events(ws, count=2)]
    # While no panel is connected the call goes on.
    _say(server, call_id, "citizen", "Anden")
    _say(server, call_id, "caseworker", "Tredje")
    with connect(f"{server.ws_url}/calls/{call_id}/events?after={seen[-1]}") as ws:
        seen += [e["seq"] for e in read_events(ws, count=2)]
        _say(server, call_id, "citizen", "Fjerde")
        seen += [e["seq"] for e in read_events(ws, count=1)]
    last = server.snapshot(call_id)["last_seq"]
    assert seen == list(range(1, last + 1))


def test_unknown_call_closes_with_4404(server):
    with connect(f"{server.ws_url}/calls/nope/events") as ws:
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd.code == 4404
    assert closed.value.rcvd.reason.startswith("call-not-found")


def test_ping_gets_a_pong_with_the_last_seq(server):
    call_id = server.start_call(source="text", analysis=False)
    with connect(f"{server.ws_url}/calls/{call_id}/events?after=1") as ws:
        ws.send("not json")  # ignored: the events socket takes no commands
        ws.send(json.dumps({"type": "ping"}))
        assert json.loads(ws.recv(timeout=10)) == {"type": "pong", "last_seq": 1}
