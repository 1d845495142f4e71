"""Who may use which route: one table, keyed by the route's path template. A route missing here is refused.

Roles (see docs/databeskyttelse.md): a *caseworker* runs calls and sees only their own calls and notes;
a *supervisor* sees the review queue, reviews and statistics of their unit (never coaching data); an
*admin* manages users and reads settings and the audit log, and sees no call content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

ROLES: frozenset[str] = frozenset({"caseworker", "supervisor", "admin"})

HOME_BY_ROLE = {"caseworker": "/panel", "supervisor": "/review", "admin": "/admin"}
"""The page each role lands on after login."""


@dataclass(frozen=True)
class Access:
    """The rule for one route.

    Attributes:
        public: Anyone, logged in or not (the login page, static assets).
        roles: Roles allowed (ignored when public).
        live_call_param: Path parameter naming a live call that must belong to the user (caseworker routes on
            `/calls/{call_id}…`); a call of someone else answers as if it did not exist.
    """

    public: bool = False
    roles: frozenset[str] = frozenset()
    live_call_param: str | None = None

    def allows(self, role: str) -> bool:
        return self.public or role in self.roles


PUBLIC = Access(public=True)
ANY_USER = Access(roles=ROLES)
CASEWORKER = Access(roles=frozenset({"caseworker"}))
CASEWORKER_LIVE_CALL = Access(roles=frozenset({"caseworker"}), live_call_param="call_id")
SUPERVISOR = Access(roles=frozenset({"supervisor"}))
ADMIN = Access(roles=frozenset({"admin"}))

ROUTE_ACCESS: dict[str, Access] = {
    # login, logout and what the login page needs
    "/login": PUBLIC,
    "/auth/login": PUBLIC,
    "/auth/link/{token}": PUBLIC,
    "/auth/oidc": PUBLIC,
    "/auth/oidc/login": PUBLIC,
    "/auth/oidc/callback": PUBLIC,
    "/auth/logout": ANY_USER,
    "/logout": ANY_USER,
    "/auth/me": ANY_USER,
    "/static": PUBLIC,  # the panel's and login page's HTML/CSS/JS: no data
    "/review/static": PUBLIC,
    "/favicon.ico": PUBLIC,
    "/vocabulary.js": PUBLIC,  # the Danish names of categories, flags, outcomes (assistant.vocabulary): no data
    # API documentation: only for people who may use the API at all
    "/openapi.json": ANY_USER,
    "/docs": ANY_USER,
    "/docs/oauth2-redirect": ANY_USER,
    "/redoc": ANY_USER,
    # the caseworker: live calls (own only), samples, side-panel, notes
    "/": ANY_USER,
    "/calls": CASEWORKER,
    "/calls/{call_id}": CASEWORKER_LIVE_CALL,
    "/calls/{call_id}/end": CASEWORKER_LIVE_CALL,
    "/calls/{call_id}/turns": CASEWORKER_LIVE_CALL,
    "/calls/{call_id}/suggestions/{suggestion_id}": CASEWORKER_LIVE_CALL,
    "/calls/{call_id}/events": CASEWORKER_LIVE_CALL,
    "/calls/{call_id}/audio": CASEWORKER_LIVE_CALL,
    "/samples": CASEWORKER,
    "/panel": CASEWORKER,
    "/panel/{call_id}": CASEWORKER,
    "/api/notes/{call_id}": CASEWORKER,
    "/api/notes/{call_id}/regenerate": CASEWORKER,
    "/api/notes/{call_id}/approve": CASEWORKER,
    "/api/notes/{call_id}/export": CASEWORKER,
    "/api/notes/{call_id}/case": CASEWORKER,
    "/notes/{call_id}": CASEWORKER,
    # the supervisor: review and statistics of their unit
    "/api/review/queue": SUPERVISOR,
    "/api/review/calls": SUPERVISOR,
    "/api/review/calls/{call_id}": SUPERVISOR,
    "/api/review/calls/{call_id}/flags/{kind}/verdict": SUPERVISOR,
    "/review": SUPERVISOR,
    "/review/calls/{call_id}": SUPERVISOR,
    "/review/stats": SUPERVISOR,
    "/api/stats": SUPERVISOR,
    "/api/stats/export.csv": SUPERVISOR,
    # the admin: users, settings, audit log
    "/admin": ADMIN,
    "/api/admin/users": ADMIN,
    "/api/admin/users/{username}": ADMIN,
    "/api/admin/users/{username}/password": ADMIN,
    "/api/admin/requests": ADMIN,
    "/api/admin/requests/{request_id}/approve": ADMIN,
    "/api/admin/requests/{request_id}/reject": ADMIN,
    "/api/admin/settings": ADMIN,
    "/api/admin/audit": ADMIN,
    "/api/admin/audit/export.csv": ADMIN,
    "/api/admin/purge": ADMIN,
}


@dataclass(frozen=True)
class RouteEntry:
    """A route of the app as the gate sees it.

    Attributes:
        path: The path template (`/calls/{call_id}`), the key into `ROUTE_ACCESS`.
        regex: The compiled template.
        methods: HTTP methods (None for WebSockets and mounts).
        websocket: A WebSocket route.
        mount: A mounted sub-application (static files): matches both HTTP and WebSocket scopes.
        access: Its rule, or None when the table has none (the gate then refuses it).
    """

    path: str
    regex: re.Pattern[str]
    methods: frozenset[str] | None
    websocket: bool
    mount: bool
    access: Access | None


def route_entries(routes: list[Any]) -> list[RouteEntry]:
    """Every route of an app (included routers flattened), with its rule from `ROUTE_ACCESS`."""
    from fastapi.routing import iter_route_contexts
    from starlette.routing import Mount, WebSocketRoute

    entries = []
    for context in iter_route_contexts(routes):
        original = context.original_route
        path = context.path or ""
        websocket = isinstance(original, WebSocketRoute) or type(original).__name__ == "APIWebSocketRoute"
        methods = context.methods
        entries.append(RouteEntry(path=path, regex=context.path_regex, websocket=websocket,
                                  mount=isinstance(original, Mount),
                                  methods=frozenset(methods) if methods else None, access=ROUTE_ACCESS.get(path)))
    return entries


def match_route(entries: list[RouteEntry], *, path: str, method: str | None, websocket: bool
                ) -> tuple[RouteEntry, dict[str, str]] | None:
    """The route a request goes to (as Starlette would pick it) and its path parameters; None when none matches.

    A route whose path matches but not its method still counts (the app answers 405), so that a wrong method
    is not a way around the rule.
    """
    partial: tuple[RouteEntry, dict[str, str]] | None = None
    for entry in entries:
        if not entry.mount and entry.websocket != websocket:
            continue
        found = entry.regex.match(path)
        if not found:
            continue
        params = found.groupdict()
        if entry.mount or websocket or entry.methods is None or method in entry.methods:
            return entry, params
        if partial is None:
            partial = (entry, params)
    return partial
