"""The web app: `create_app()` builds the FastAPI app with the call routes, WebSockets and the side-panel."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from assistant.config import Settings, get_settings
from assistant.session import CallManager
from assistant.web.errors import install_error_handlers
from assistant.web.routes import audio, calls, events, panel, samples
from assistant.web.static_files import STATIC_DIR

DESCRIPTION = """
Lokal opkaldsassistent til styrket borgerkontakt.

* `POST /calls` starts a call; `GET /calls/{id}` is its state so far; `/panel/{id}` is the caseworker's side-panel.
* `WS /calls/{id}/events?after=N`: one JSON text message per event (`call-start`, `utterance-partial`,
  `utterance-final`, `analysis-update`, `error`, `suggestion-action`, `call-end`), each with the call's
  sequence number `seq`. Every event with `seq > N` is sent first, then live ones: reconnect with the last
  `seq` seen and nothing is lost or repeated. `{"type": "ping"}` is answered with
  `{"type": "pong", "last_seq": N}`. Unknown call: close code 4404.
* `WS /calls/{id}/audio` (a `stream` call; `assistant listen --server URL`): send
  `{"type": "audio-start", "rate": 16000, "width": 2, "channels": 2}`, then binary frames of interleaved
  PCM16 LE (left = caseworker, right = citizen), then `{"type": "audio-stop"}`. The server answers
  `audio-ready`, `audio-done` and, for a bad message, `{"type": "error", "code", "message"}` (the
  connection stays; after 10 bad messages it is closed with 4400). Not a stream call: 4409.
"""


def create_app(settings: Settings | None = None, *, manager: CallManager | None = None) -> FastAPI:
    """Build the app.

    Args:
        settings: Application settings; `get_settings()` when None.
        manager: A call manager to use (e.g. sharing an already loaded model); a new one when None.
            The app's lifespan shuts it down (ending running calls) when the server stops.

    Returns:
        The FastAPI app, with `app.state.manager` and `app.state.settings` set.
    """
    settings = settings or get_settings()
    # Created here rather than in the lifespan so post-call features can attach listeners at build
    # time; constructing it is cheap (the model loads on the first audio call).
    manager = manager or CallManager(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await manager.shutdown()

    app = FastAPI(title="Borgerkontakt-assistent", description=DESCRIPTION, version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.manager = manager
    install_error_handlers(app)
    for module in (calls, events, audio, samples, panel):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    from assistant.web.postcall import install_postcall

    install_postcall(app, manager=manager, settings=settings)

    _install_login_and_security(app, settings)
    return app


def _install_login_and_security(app: FastAPI, settings: Settings) -> None:
    """The login and admin routes, then the access gate and hardening (`install_security`), which must see
    every route (a route without a rule in security.policy is refused)."""
    from assistant.security import install_security
    from assistant.security.gate import AUTH_STATE_ATTR
    from assistant.security.oidc import OidcLogin
    from assistant.web.routes import admin, auth

    app.include_router(auth.router)
    app.include_router(admin.api_router)
    app.include_router(admin.page_router)
    install_security(app, settings)
    setattr(app.state, auth.OIDC_STATE_ATTR, OidcLogin(settings, getattr(app.state, AUTH_STATE_ATTR).signer))
