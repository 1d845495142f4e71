"""Review fixtures: the real app on a temp data dir (TestClient), a live uvicorn process, seeded calls."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ (for the store builders)

from security.helpers import CASEWORKER, RoleClient, ensure_role_users, login  # noqa: E402
from store.builders import CALM_CALL, THREAT_CALL, call_events, feed  # noqa: E402

from assistant.config import Settings  # noqa: E402
from assistant.store.db import Store  # noqa: E402
from assistant.store.recorder import CallRecorder  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def seed_calls(store: Store) -> None:
    """Two stored calls: a threat call (severity 5, unresolved) last month and a calm one (high frustration)."""
    from assistant.notes.rules import classify_outcome

    ensure_role_users(store)  # access control: the calls are the test caseworker's, reviewed by the test supervisor
    recorder = CallRecorder(store, caseworker_username=CASEWORKER, outcome_classifier=classify_outcome)
    now = datetime.now(timezone.utc)
    feed(recorder, call_events("threatcall", THREAT_CALL, kind="afgoerelse", started_at=now - timedelta(days=30)))
    feed(recorder, call_events("calmcall", CALM_CALL, started_at=now - timedelta(hours=2)))


@pytest.fixture
def app_client(tmp_path, monkeypatch):
    """The real app (create_app) with its store in a temp data dir, seeded with two calls."""
    from fastapi.testclient import TestClient

    from assistant.web.app import create_app

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path))
    # purge_interval_hours=0: the seeded 30-day-old threat call would be purged at start-up (see start_server).
    app = create_app(Settings(data_dir=tmp_path, purge_interval_hours=0))
    seed_calls(app.state.services.store)
    with TestClient(app) as client:
        # access control: each request goes out as the role its path is for (caseworker or supervisor)
        clients = {"caseworker": client, "supervisor": TestClient(app), "admin": TestClient(app)}
        for role, role_client in clients.items():
            login(role_client, {"caseworker": CASEWORKER, "supervisor": "leder", "admin": "admin"}[role])
        role_client = RoleClient(clients)
        role_client.store = app.state.services.store  # type: ignore[attr-defined]
        yield role_client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ServerProcess:
    """A real `uvicorn` process serving create_app on a free port."""

    process: subprocess.Popen
    url: str
    log_path: Path

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def start_server(data_dir: Path, log_path: Path) -> ServerProcess:
    """Start `python -m uvicorn --factory assistant.web.app:create_app` and wait until it answers."""
    port = free_port()
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir), "ASSISTANT_DATABASE_URL": ""}
    env.pop("ASSISTANT_DATABASE_URL")
    # The seeded threat call is 30 days old: the retention purge that runs at server start would delete its
    # transcript (tests/privacy covers the purge), so these servers run without it.
    env["ASSISTANT_PURGE_INTERVAL_HOURS"] = "0"
    log = log_path.open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "assistant.web.app:create_app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = ServerProcess(process, f"http://127.0.0.1:{port}", log_path)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log_path.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(server.url + "/login", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"server did not start: {log_path.read_text(errors='replace')[-2000:]}")


@pytest.fixture
def server_factory(tmp_path) -> Iterator:
    """Start servers on one data dir; every one still running is stopped at the end."""
    started: list[ServerProcess] = []
    data_dir = tmp_path / "data"
    data_dir.mkdir()

    def start() -> ServerProcess:
        server = start_server(data_dir, tmp_path / "server.log")
        started.append(server)
        return server

    start.data_dir = data_dir  # type: ignore[attr-defined]
    yield start
    for server in started:
        server.stop()
