"""The app's long-lived services (settings, call manager, store, login), kept once on `app.state.services`.

`assistant.web.app.create_app` builds them; the access gate, the route dependencies and the routes read typed
attributes through `app_services(app)` (or the `ServicesDep` dependency) instead of string-keyed `app.state`
lookups. Defined here, in security, because security is the lowest layer that reads them (the gate needs the
manager and the authenticator, `security.deps` the store) and it must not import the web layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends
from starlette.applications import Starlette
from starlette.requests import HTTPConnection

from assistant.config import Settings
from assistant.security.oidc import OidcLogin
from assistant.security.sessions import Authenticator
from assistant.store.db import Store

if TYPE_CHECKING:  # a type only: `assistant users ...` and the gate need not import the call pipeline
    from assistant.session import CallManager


@dataclass
class AppServices:
    """What one running app holds for all its requests.

    Attributes:
        settings: The settings the app was built with.
        manager: The running calls (ended calls are read from the store).
        store: The opened, migrated database.
        auth: Logins, sessions and one-time login links.
        oidc: The municipality's single sign-on (disabled unless configured).
        audio_streams: Per user name, the call ids with an open audio WebSocket (to cap streams per user).
    """

    settings: Settings
    manager: CallManager
    store: Store
    auth: Authenticator
    oidc: OidcLogin
    audio_streams: dict[str, set[str]] = field(default_factory=dict)


def app_services(app: Starlette) -> AppServices:
    """The services `create_app` stored on `app`."""
    return app.state.services


def get_services(connection: HTTPConnection) -> AppServices:
    """Route dependency: the services of the app serving this request."""
    return app_services(connection.app)


ServicesDep = Annotated[AppServices, Depends(get_services)]
