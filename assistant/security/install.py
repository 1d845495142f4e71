"""`install_security(app, settings)`: the gate, hardening middleware and the daily retention
purge, added to the app built by `create_app` (which also adds the login and admin routes). Nothing here
imports the web layer; `security.deps.current_user` resolves the logged-in user for the routes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI

from assistant.config import Settings
from assistant.security.gate import AUTH_STATE_ATTR, AccessGate
from assistant.security.headers import SecurityHeadersMiddleware
from assistant.security.limits import SizeLimitMiddleware
from assistant.security.sessions import Authenticator

log = logging.getLogger(__name__)


def install_security(app: FastAPI, settings: Settings) -> None:
    """Protect every route of `app` (call once, from `create_app`, after the routes are added).

    Middleware, outermost first: trusted proxy headers (when configured) → security headers → size limits →
    the access gate → the app's routes. The gate refuses any route without a rule in `security.policy`.

    Args:
        app: The app; its store (`install_postcall`) may be added before or after this call.
        settings: Auth, cookie, limit, OIDC and purge settings.
    """
    from assistant.security.deps import STORE_STATE_ATTR

    def store_session():  # noqa: ANN202 - the store is opened by install_postcall, maybe after this call
        return getattr(app.state, STORE_STATE_ATTR).session()

    if getattr(app.state, AUTH_STATE_ATTR, None) is not None:
        return  # already installed
    authenticator = Authenticator(settings, store_session)
    setattr(app.state, AUTH_STATE_ATTR, authenticator)

    app.add_middleware(AccessGate)
    app.add_middleware(SizeLimitMiddleware, max_body_bytes=settings.max_body_bytes,
                       max_ws_message_bytes=settings.max_ws_message_bytes)
    app.add_middleware(SecurityHeadersMiddleware, frame_ancestors=settings.frame_ancestors)
    if settings.trusted_proxies:
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies))
    _add_purge_to_lifespan(app, settings)


def _add_purge_to_lifespan(app: FastAPI, settings: Settings) -> None:
    """Run the retention purge at start and every `purge_interval_hours` while the app runs (0: never), and
    say at start how to create the first user when nobody can log in yet."""
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[object]:
        from assistant.privacy.scheduler import purge_now, purge_periodically
        from assistant.security.deps import STORE_STATE_ATTR

        async with inner(application) as state:
            store = getattr(application.state, STORE_STATE_ATTR, None)
            if store is not None:
                _hint_when_nobody_can_log_in(store)
            task = None
            if store is not None and settings.purge_interval_hours > 0:
                manager = getattr(application.state, "manager", None)
                task = asyncio.create_task(purge_periodically(
                    lambda: purge_now(store, retention_days=settings.retention_days, manager=manager),
                    interval_hours=settings.purge_interval_hours), name="retention-purge")
            try:
                yield state
            finally:
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task

    app.router.lifespan_context = lifespan


def _hint_when_nobody_can_log_in(store) -> None:  # noqa: ANN001
    from sqlalchemy import func, select

    from assistant.store.models import User

    with store.session() as session:
        users = session.scalar(select(func.count()).select_from(User).where(User.active.is_(True),
                                                                          User.username != "anonymous"))
    if not users:
        log.warning("Ingen brugere kan logge ind endnu. Opret en: assistant users add NAVN --role caseworker "
                    "(eller --role supervisor / admin).")
