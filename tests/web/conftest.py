"""Fixtures for the web tests: a real uvicorn server on a free port, HTTP/WebSocket helpers, a browser."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from assistant.config import Settings
from chromium import launch_chromium
from security.helpers import CASEWORKER, browser_login, cookie_header, ensure_role_users, login

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"



def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    """A running server: its base URLs and an HTTP client."""

    host: str
    port: int
    http: httpx.Client

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{self.host}:{self.port}"

    def start_call(self, **body) -> str:
        response = self.http.post("/calls", json=body)
        assert response.status_code == 201, response.text
        return response.json()["call_id"]

    def snapshot(self, call_id: str) -> dict:
        response = self.http.get(f"/calls/{call_id}")
        assert response.status_code == 200, response.text
        return response.json()

    def wait_status(self, call_id: str, *, statuses=("ended", "failed", "interrupted"), timeout: float = 120) -> dict:
        """Poll until the call leaves `running` (a deadline only guards against hanging, not a timing check)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            snap = self.snapshot(call_id)
            if snap["status"] in statuses:
                return snap
            time.sleep(0.2)
        raise AssertionError(f"call {call_id} still {snap['status']} after {timeout} s")


def run_server(app, *, port: int) -> tuple[object, threading.Thread]:
    import uvicorn

    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="websockets-sansio",
                            lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    return server, thread


@pytest.fixture(scope="session")
def web_settings(tmp_path_factory) -> Settings:
    # Tests write damaged recordings to their tmp dirs: allow file calls from there.
    return Settings(data_dir=tmp_path_factory.mktemp("web-data"), audio_dirs=[tmp_path_factory.getbasetemp()])


@pytest.fixture(scope="session")
def server(web_settings) -> Iterator[LiveServer]:
    """One real uvicorn server for the web tests (calls are independent, so they can share it)."""
    from assistant.web.app import create_app

    port = free_port()
    app = create_app(web_settings)
    ensure_role_users(app.state.services.store)  # access control: the tests act as a logged-in caseworker
    uv, thread = run_server(app, port=port)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        login(client, CASEWORKER)
        yield LiveServer("127.0.0.1", port, client)
    uv.should_exit = True
    thread.join(timeout=15)


def read_events(ws, *, until: str | None = None, count: int | None = None, timeout: float = 60) -> list[dict]:
    """Read JSON events from a sync websockets connection until an event type or a count is reached."""
    events: list[dict] = []
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"no {until or count} within {timeout} s; got {[e.get('type') for e in events]}")
        event = json.loads(ws.recv(timeout=remaining))
        events.append(event)
        if until is not None and event.get("type") == until:
            return events
        if count is not None and len(events) >= count:
            return events


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture(autouse=True)
def _websockets_log_in(request):
    """Access control: `connect(...)` in a web test module sends the logged-in caseworker's cookies."""
    connect = getattr(request.module, "connect", None)
    if connect is None or "server" not in request.fixturenames:
        yield
        return
    server = request.getfixturevalue("server")

    def connect_logged_in(uri, *args, **kwargs):
        headers = dict(kwargs.pop("additional_headers", None) or {})
        headers.setdefault("Cookie", cookie_header(server.http))
        return connect(uri, *args, additional_headers=headers, **kwargs)

    request.module.connect = connect_logged_in
    yield
    request.module.connect = connect


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 400, "height": 900}, locale="da-DK")
    browser_login(context, server.url)  # access control: the panel is the logged-in caseworker's
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.js_errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
