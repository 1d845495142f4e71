"""`install_security(app, services)`: the gate, hardening middleware and the daily retention
purge, added to the app built by `create_app` (which also adds the login and admin routes). Nothing here
imports the web layer; `security.deps.current_user` resolves the logged-in user for the routes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI

from assistant.privacy.scheduler import purge_now, purge_periodically
from assistant.security.gate import AccessGate
from assistant.security.headers import SecurityHeadersMiddleware
from assistant.security.limits import SizeLimitMiddleware
from assistant.security.services import AppServices
from assistant.store.db import Store
from assistant.store.models import User

log = logging.getLogger(__name__)


def install_security(app: FastAPI, services: AppServices) -> None:
    """Protect every route of `app` (call once, from `create_app`, after the routes are added).

    Middleware, outermost first: trusted proxy headers (when configured) → security headers → size limits →
    the access gate → the app's routes. The gate refuses any route without a rule in `security.policy`.

    Args:
        app: The app, with `services` stored on it (the gate reads the authenticator and the manager there).
        services: The app's services; their settings say the auth, cookie, limit and purge options.
    """
    settings = services.settings
    app.add_middleware(AccessGate)
    app.add_middleware(SizeLimitMiddleware, max_body_bytes=settings.max_body_bytes,
                       max_ws_message_bytes=settings.max_ws_message_bytes)
    app.add_middleware(SecurityHeadersMiddleware, frame_ancestors=settings.frame_ancestors)
    if settings.trusted_proxies:
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies))
    _add_purge_to_lifespan(app, services)


def _add_purge_to_lifespan(app: FastAPI, services: AppServices) -> None:
    """Run the retention purge at start and every `purge_interval_hours` while the app runs (0: never), and
    say at start how to create the first user when nobody can log in yet."""
    inner = app.router.lifespan_context
    settings, store = services.settings, services.store

    @contextlib.asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[object]:
        async with inner(application) as state:
            _hint_when_nobody_can_log_in(store)
            task = None
            if settings.purge_interval_hours > 0:
                task = asyncio.create_task(purge_periodically(
                    lambda: purge_now(store, retention_days=settings.retention_days, manager=services.manager),
                    interval_hours=settings.purge_interval_hours), name="retention-purge")
            try:
                yield state
            finally:
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task

    app.router.lifespan_context = lifespan


def _hint_when_nobody_can_log_in(store: Store) -> None:
    from sqlalchemy import func, select

    with store.session() as session:
        users = session.scalar(select(func.count()).select_from(User).where(User.active.is_(True),
                                                                          User.username != "anonymous"))
    if not users:
        log.warning("Ingen brugere kan logge ind endnu. Opret en: assistant users add NAVN --role caseworker "
                    "(eller --role supervisor / admin).")
