"""Issue 11, findings 6 and 7, against a real uvicorn server configured as `assistant serve` configures it.

6: an ended login (logout, disable + enable) stays ended after a restart and after re-enabling, and an open
   events WebSocket is closed (4401) when its login ends.
7: X-Forwarded-For is believed only from ASSISTANT_TRUSTED_PROXIES, so rotating it does not escape the
   per-address login throttle; the throttle's counts survive a restart.

"Restart" here is a new app (new authenticator, empty process memory) on the same data dir, served by a new
uvicorn server on the same port: what a restarted process has.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from assistant.config import Settings
from assistant.security.gate import CLOSE_UNAUTHENTICATED
from assistant.security.users import set_active
from assistant.web.serving import serving_in_thread, uvicorn_server
from security.conftest import build_app
from security.helpers import CASEWORKER, TEST_PASSWORD, cookie_header, login
from tests.web.conftest import free_port


@pytest.fixture
def settings(tmp_path) -> Settings:
    # A short re-check, so a test waits a fraction of a second for a socket to notice an ended login.
    return Settings(data_dir=tmp_path, purge_interval_hours=0, login_recheck_s=0.2, login_max_failures=2)


@contextmanager
def running(settings: Settings, port: int) -> Iterator[str]:
    """The real app served by uvicorn exactly as `assistant serve` builds it; yields the base URL."""
    with serving_in_thread(uvicorn_server(build_app(settings), host="127.0.0.1", port=port, log_level="warning")):
        yield f"http://127.0.0.1:{port}"


def _logged_in(base: str, username: str = CASEWORKER) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    login(client, username)
    return client


def _me_status(base: str, cookie: str) -> int:
    return httpx.get(f"{base}/auth/me", headers={"Cookie": cookie}, timeout=30).status_code


def _disable_and_enable(settings: Settings, username: str) -> None:
    """What `assistant users disable NAME` and `… enable NAME` do, in their own store sessions."""
    from assistant.store.db import Store

    store = Store.open(settings.resolved_database_url)
    try:
        for active in (False, True):
            with store.session() as session:
                set_active(session, username=username, active=active)
    finally:
        store.close()


def test_a_logged_out_cookie_stays_dead_after_a_restart(settings):
    port = free_port()
    with running(settings, port) as base:
        client = _logged_in(base)
        stolen = cookie_header(client)
        assert _me_status(base, stolen) == 200
        assert client.post("/auth/logout").status_code == 204
        assert _me_status(base, stolen) == 401
    with running(settings, port) as base:
        assert _me_status(base, stolen) == 401


def test_disable_and_enable_ends_the_old_login_also_after_a_restart(settings):
    port = free_port()
    with running(settings, port) as base:
        cookie = cookie_header(_logged_in(base))
        _disable_and_enable(settings, CASEWORKER)
        assert _me_status(base, cookie) == 401  # re-enabled user, but the old login stays ended
        fresh = cookie_header(_logged_in(base))
        assert _me_status(base, fresh) == 200  # the user can log in again
    with running(settings, port) as base:
        assert _me_status(base, cookie) == 401
        assert _me_status(base, fresh) == 200  # a login that was not ended survives a restart


def _events_socket(base: str, client: httpx.Client):  # noqa: ANN202
    """A connected events socket of a new text call of the client's user (after its `call-start`)."""
    response = client.post("/calls", json={"source": "text", "analysis": False})
    assert response.status_code == 201, response.text
    call_id = response.json()["call_id"]
    return connect(f"{base.replace('http', 'ws')}/calls/{call_id}/events",
                   additional_headers={"Cookie": cookie_header(client)})


def _close_code(ws) -> int:  # noqa: ANN001
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            ws.recv(timeout=30)  # a deadline against hanging only; the close comes within login_recheck_s
    return closed.value.rcvd.code


def test_an_open_events_socket_is_closed_when_its_login_ends(settings):
    from assistant.store.db import Store

    with running(settings, free_port()) as base:
        by_logout, by_disable = _logged_in(base), _logged_in(base, "kollega")
        with _events_socket(base, by_logout) as ws_logout, _events_socket(base, by_disable) as ws_disable:
            for ws in (ws_logout, ws_disable):
                assert '"call-start"' in ws.recv(timeout=30)
            assert by_logout.post("/auth/logout").status_code == 204
            assert _close_code(ws_logout) == CLOSE_UNAUTHENTICATED
            store = Store.open(settings.resolved_database_url)  # like `assistant users disable` in another process
            with store.session() as session:
                set_active(session, username="kollega", active=False)
            store.close()
            assert _close_code(ws_disable) == CLOSE_UNAUTHENTICATED


def _fail_login(base: str, username: str, *, forwarded_for: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    response = httpx.post(f"{base}/auth/login", json={"username": username, "password": "forkert-kode"},
                          headers=headers, timeout=30)
    return response.status_code


def test_a_forged_forwarded_for_does_not_escape_the_address_lockout(settings):
    per_address = settings.login_max_failures * 4  # ThrottleOptions.address_factor
    with running(settings, free_port()) as base:
        codes = [_fail_login(base, f"gæt{n}", forwarded_for=f"203.0.113.{n}") for n in range(per_address + 1)]
    assert codes[:per_address] == [401] * per_address
    assert codes[per_address] == 429  # one client address (127.0.0.1), whatever the header claims


def test_forwarded_for_is_believed_from_a_configured_proxy(settings):
    trusted = settings.model_copy(update={"trusted_proxies": ["127.0.0.1"]})
    per_address = settings.login_max_failures * 4
    with running(trusted, free_port()) as base:
        codes = [_fail_login(base, f"gæt{n}", forwarded_for=f"203.0.113.{n}") for n in range(per_address + 1)]
    assert codes == [401] * (per_address + 1)  # the proxy says each attempt came from another address


def test_a_lockout_survives_a_restart(settings):
    port = free_port()
    with running(settings, port) as base:
        for _ in range(settings.login_max_failures):
            assert _fail_login(base, CASEWORKER) == 401
    with running(settings, port) as base:
        locked = httpx.post(f"{base}/auth/login", json={"username": CASEWORKER, "password": TEST_PASSWORD}, timeout=30)
    assert locked.status_code == 429 and locked.json()["code"] == "login-throttled"
