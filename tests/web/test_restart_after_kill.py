"""Issue 11, finding 5: a server killed with open connections comes back on the same port at once.

A real `assistant serve` process holds keep-alive HTTP connections and a WebSocket-sized raw connection; it is
killed with SIGKILL, the clients then close their ends (which leaves the server's side of each connection in
TIME-WAIT on the port), and the same command is started again immediately.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time

import httpx

from tests.web.conftest import free_port
from tests.web.test_server_commands import _read_until, _spawn, _stop


def _wait_until_answering(url: str, proc: subprocess.Popen, *, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        assert proc.poll() is None, f"the server exited with {proc.returncode}: {proc.stdout.read()}"
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            assert time.monotonic() < deadline, "the server did not answer"
            time.sleep(0.05)


def _time_wait_sockets(port: int) -> int:
    """Connections on `port` in TIME-WAIT, as the kernel lists them (what blocked the old port check)."""
    out = subprocess.run(["ss", "-tan", "state", "time-wait", f"( sport = :{port} )"], capture_output=True,
                         text=True, check=False).stdout
    return max(len(out.strip().splitlines()) - 1, 0)


def test_a_killed_server_with_open_connections_restarts_at_once(tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}/login"
    first = _spawn(["serve", "--port", str(port), "--log-level", "warning"], tmp_path)
    _read_until(first, r"Panelet: ")
    _wait_until_answering(url, first)
    clients = [httpx.Client(timeout=5) for _ in range(3)]
    for client in clients:  # keep-alive: each keeps its connection to the server open
        assert client.get(url).status_code == 200
    raw = socket.create_connection(("127.0.0.1", port))

    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    for client in clients:  # the server's ends were closed first, so they wait in TIME-WAIT now
        client.close()
    raw.close()
    lingering = _time_wait_sockets(port)

    started = time.monotonic()
    second = _spawn(["serve", "--port", str(port), "--log-level", "warning"], tmp_path)
    try:
        _read_until(second, r"Panelet: ", timeout=90)
        _wait_until_answering(url, second)
        came_back_s = time.monotonic() - started
    finally:
        code, rest = _stop(second)
    print(f"\nrestart after kill -9: {lingering} connection(s) in TIME-WAIT on the port; "
          f"answering again after {came_back_s:.2f} s")
    assert "port-unavailable" not in rest
    assert code == 0, rest
