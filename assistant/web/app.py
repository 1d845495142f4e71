"""The web app: `create_app()` builds the FastAPI app with the call routes, WebSockets and the side-panel."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from assistant.config import Settings, get_settings
from assistant.notes.rules import classify_outcome
from assistant.security import install_security
from assistant.security.oidc import OidcLogin
from assistant.security.services import AppServices
from assistant.security.sessions import Authenticator
from assistant.session import CallManager
from assistant.store import CallRecorder, Store, crud
from assistant.web.errors import install_error_handlers
from assistant.web.routes import admin, audio, auth, calls, events, notes, panel, review, samples, stats, vocabulary
from assistant.web.static_files import REVIEW_STATIC_DIR, STATIC_DIR

log = logging.getLogger(__name__)

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
        The FastAPI app, with its `AppServices` (settings, manager, store, login) on `app.state.services`.

    Raises:
        StoreError: the database cannot be opened or migrated (the server should not start without it).
    """
    settings = settings or get_settings()
    # Created here rather than in the lifespan so the store's recorder attaches at build time; constructing
    # it is cheap (the model loads on the first audio call).
    manager = manager or CallManager(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await manager.shutdown()

    app = FastAPI(title="Borgerkontakt-assistent", description=DESCRIPTION, version="0.1.0", lifespan=lifespan)
    services = _open_services(settings, manager)
    app.state.services = services
    install_error_handlers(app)
    _include_routes(app)
    # Last: the access gate must see every route (a route without a rule in security.policy is refused).
    install_security(app, services)
    return app


def _open_services(settings: Settings, manager: CallManager) -> AppServices:
    """Open the store, record every call of `manager` in it, and set up the logins."""
    store = Store.from_settings(settings)
    with store.session() as session:
        interrupted = crud.mark_running_calls_interrupted(session)
    if interrupted:
        log.warning("Marked %d call(s) left running by a previous server as interrupted: %s",
                    len(interrupted), ", ".join(interrupted))
    manager.add_listener(CallRecorder(store, outcome_classifier=classify_outcome))
    auth = Authenticator(settings, store.session)
    return AppServices(settings=settings, manager=manager, store=store, auth=auth,
                       oidc=OidcLogin(settings, auth.signer))


def _include_routes(app: FastAPI) -> None:
    """The call routes and the panel, the post-call pages (notes, review, statistics), login and admin."""
    for module in (calls, events, audio, samples, panel):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (notes, review, stats, vocabulary):
        app.include_router(module.api_router)
        app.include_router(module.page_router)
    app.mount("/review/static", StaticFiles(directory=REVIEW_STATIC_DIR), name="review-static")
    app.include_router(auth.router)
    app.include_router(admin.api_router)
    app.include_router(admin.page_router)
