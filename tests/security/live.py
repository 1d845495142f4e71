"""A real uvicorn server for one test: `with live_server(app) as (url, http): ...` (http logged in by the test)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from web.conftest import free_port, run_server


@contextmanager
def live_server(app) -> Iterator[str]:  # noqa: ANN001
    """Serve `app` on a free localhost port until the block ends; yields its base URL."""
    port = free_port()
    server, thread = run_server(app, port=port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def http_client(url: str) -> httpx.Client:
    return httpx.Client(base_url=url, timeout=60)
