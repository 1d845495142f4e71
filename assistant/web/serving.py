"""Serving the app with uvicorn: the server `assistant serve` runs, and the same server in a background thread
(the latency benchmark and the tests that need a real server use it)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from assistant.errors import ConfigError

WS_IMPLEMENTATION = "websockets-sansio"
"""uvicorn's WebSocket protocol implementation (the legacy `websockets` one is deprecated)."""
WS_PING_INTERVAL_S = 20.0
"""Protocol-level pings to every WebSocket client, so dead connections are noticed and closed."""


def uvicorn_server(app: FastAPI, *, host: str, port: int, log_level: str) -> uvicorn.Server:
    """The uvicorn server for `app`, configured as `assistant serve` runs it."""
    # proxy_headers=False: uvicorn would otherwise believe X-Forwarded-For from 127.0.0.1 (its default
    # FORWARDED_ALLOW_IPS), so any local client could pick the address the login throttle counts. Forwarded
    # headers are trusted only from ASSISTANT_TRUSTED_PROXIES (security.install adds that middleware).
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, ws=WS_IMPLEMENTATION,
                            ws_ping_interval=WS_PING_INTERVAL_S, ws_ping_timeout=WS_PING_INTERVAL_S,
                            proxy_headers=False, forwarded_allow_ips="")
    return uvicorn.Server(config)


@contextmanager
def serving_in_thread(server: uvicorn.Server, *, start_timeout_s: float = 30.0,
                      stop_timeout_s: float = 30.0) -> Iterator[uvicorn.Server]:
    """Run `server` in a daemon thread until the block ends, then stop it and wait for the thread.

    Raises:
        ConfigError: `server-start-failed` when the server has not started within `start_timeout_s` (or its
            thread ended first: uvicorn has logged why, e.g. a busy port).
    """
    thread = threading.Thread(target=server.run, name=f"uvicorn-{server.config.port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout_s
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise ConfigError(f"Serveren kunne ikke starte på {server.config.host}:{server.config.port}.",
                              code="server-start-failed")
        time.sleep(0.02)
    try:
        yield server
    finally:
        server.should_exit = True
        thread.join(timeout=stop_timeout_s)
