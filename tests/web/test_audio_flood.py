"""Issue 11, finding 1: a client pushing audio faster than real time cannot grow the server's memory.

A real `assistant serve` process; the test measures its resident memory (psutil) before and after a flood of
9 s PCM blocks sent as fast as the socket takes them (the probe's attack), and after the call has ended.
The numbers are printed (`-s`) for the closing note. Loads the bundled Whisper model (a `stream` call).
"""

from __future__ import annotations

import json
import time

import httpx
import numpy as np
import psutil
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from assistant.config import Settings
from assistant.web.routes.audio import CLOSE_TOO_MUCH_AUDIO
from security.helpers import CASEWORKER, cookie_header, ensure_role_users, login
from tests.web.conftest import free_port
from tests.web.test_restart_after_kill import _wait_until_answering
from tests.web.test_server_commands import _read_until, _spawn, _stop

pytestmark = pytest.mark.slow

RATE = 16_000
FLOOD_BLOCK_S = 9.0
FLOOD_FOR_S = 15.0
"""Like the probe: 9 s blocks for 15 s (it got ~7,000 s of audio accepted and ~860 MB more memory)."""
MAX_GROWTH_MB = 100
"""Generous: the server keeps a few seconds of audio (a few MB) plus the first decode's work space (~40 MB
measured); the unfixed server grew by 128 MB on the loaded 2-core test machine (860 MB in the probe)."""


def _noise_block(seconds: float) -> bytes:
    rng = np.random.default_rng(0)  # speech-like energy, so the segmenter has something to cut
    return (rng.standard_normal(int(seconds * RATE) * 2) * 3000).astype("<i2").tobytes()


def _rss_mb(pid: int) -> float:
    return psutil.Process(pid).memory_info().rss / 2**20


@pytest.fixture
def served(tmp_path):
    """`assistant serve` on a fresh data dir with the test users; yields (base URL, pid, logged-in client)."""
    from assistant.store.db import Store

    store = Store.open(Settings(data_dir=tmp_path).resolved_database_url)
    ensure_role_users(store)
    store.close()
    port = free_port()
    proc = _spawn(["serve", "--port", str(port), "--log-level", "warning"], tmp_path)
    _read_until(proc, r"Panelet: ")
    base = f"http://127.0.0.1:{port}"
    _wait_until_answering(f"{base}/login", proc)
    client = httpx.Client(base_url=base, timeout=120)
    login(client, CASEWORKER)
    try:
        yield base, proc.pid, client
    finally:
        client.close()
        _stop(proc)


def _flood(ws, block: bytes) -> tuple[float, int | None, list[dict]]:
    """Send `block` as fast as the socket takes it for FLOOD_FOR_S; returns (seconds sent, close code, replies)."""
    sent_s, started = 0.0, time.monotonic()
    try:
        while time.monotonic() - started < FLOOD_FOR_S:
            ws.send(block)
            sent_s += FLOOD_BLOCK_S
    except ConnectionClosed:
        pass
    replies = []
    try:
        while True:
            replies.append(json.loads(ws.recv(timeout=30)))
    except ConnectionClosed as closed:
        return sent_s, closed.rcvd.code if closed.rcvd else None, replies


def test_audio_faster_than_real_time_is_refused_and_memory_stays_bounded(served):
    base, pid, client = served
    call_id = client.post("/calls", json={"source": "stream", "channels": 2, "sample_rate": RATE}).json()["call_id"]
    events_url = f"{base.replace('http', 'ws')}/calls/{call_id}/events"
    headers = {"Cookie": cookie_header(client)}
    before = _rss_mb(pid)
    with connect(f"{base.replace('http', 'ws')}/calls/{call_id}/audio", additional_headers=headers) as ws:
        ws.send(json.dumps({"type": "audio-start", "rate": RATE, "width": 2, "channels": 2}))
        assert json.loads(ws.recv(timeout=30))["type"] == "audio-ready"
        sent_s, close_code, replies = _flood(ws, _noise_block(FLOOD_BLOCK_S))
    after_flood = _rss_mb(pid)
    assert close_code == CLOSE_TOO_MUCH_AUDIO
    assert [r["code"] for r in replies if r.get("type") == "error"] == ["audio-too-fast"]
    with connect(events_url, additional_headers=headers) as events:  # the panel hears why the audio stopped
        seen = []
        while not any(e.get("code") == "audio-too-fast" for e in seen):
            seen.append(json.loads(events.recv(timeout=60)))
    assert after_flood - before < MAX_GROWTH_MB

    ended = client.post(f"/calls/{call_id}/end")
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    process = psutil.Process(pid)
    process.cpu_percent(None)
    time.sleep(3)  # a measurement window for the report, not an assertion
    cpu_after_end = process.cpu_percent(None)
    after_end = _rss_mb(pid)
    print(f"\naudio flood: sent {sent_s:.0f} s of audio in {FLOOD_FOR_S:.0f} s; server RSS {before:.0f} MB before, "
          f"{after_flood:.0f} MB after the flood (+{after_flood - before:.0f} MB), {after_end:.0f} MB after the call "
          f"ended; CPU {cpu_after_end:.0f} % in the 3 s after the end")


def test_a_fast_client_is_held_back_to_real_time_not_refused(served):
    """Small blocks sent faster than real time: the server stops reading (back-pressure) and takes all of it."""
    base, pid, client = served
    call_id = client.post("/calls", json={"source": "stream", "channels": 2, "sample_rate": RATE}).json()["call_id"]
    headers = {"Cookie": cookie_header(client)}
    total_s, block_s = 8.0, 0.5
    block = _noise_block(block_s)
    started = time.monotonic()
    with connect(f"{base.replace('http', 'ws')}/calls/{call_id}/audio", additional_headers=headers) as ws:
        ws.send(json.dumps({"type": "audio-start", "rate": RATE, "width": 2, "channels": 2}))
        assert json.loads(ws.recv(timeout=30))["type"] == "audio-ready"
        for _ in range(int(total_s / block_s)):
            ws.send(block)
        ws.send(json.dumps({"type": "audio-stop"}))
        done = json.loads(ws.recv(timeout=120))
    took = time.monotonic() - started
    assert done == {"type": "audio-done", "seconds": total_s}  # nothing refused, nothing lost
    print(f"\nback-pressure: {total_s:.0f} s of audio sent at once was taken in {took:.1f} s "
          f"(lead allowed: {Settings().audio_max_lead_s:g} s)")
    client.post(f"/calls/{call_id}/end")
