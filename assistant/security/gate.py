"""The access gate: one ASGI middleware in front of every route and WebSocket of the app.

For each request it finds the route (as Starlette will), looks up its rule in `policy.ROUTE_ACCESS`
and refuses before any route code runs: a route without a rule (403 `route-without-policy`), an
anonymous user (401, or a redirect to /login for a browser page; WebSocket close 4401), a user of the
wrong role (403; close 4403), a state-changing request without the login's CSRF token or from another
origin (403), and a live call that is not the caseworker's own (404 / close 4404, as if it did not exist).
The identity it found is put in `request.state.identity` for `security.deps.current_user`.
"""

from __future__ import annotations

import logging
from http.cookies import SimpleCookie
from urllib.parse import quote

import anyio
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.errors import SessionError
from assistant.security.limits import send_json
from assistant.security.policy import HOME_BY_ROLE, Access, RouteEntry, match_route, route_entries
from assistant.security.services import app_services
from assistant.security.sessions import CSRF_HEADER, SESSION_COOKIE, Authenticator, Identity

log = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def _cookie(scope: Scope, name: str) -> str | None:
    raw = _header(scope, b"cookie")
    if not raw:
        return None
    jar = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # a malformed Cookie header is the same as none
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def same_origin(scope: Scope) -> bool:
    """False when the request names an Origin that is not this server (cross-site form, WebSocket hijacking)."""
    origin = _header(scope, b"origin")
    if origin is None:
        return True  # non-browser clients send none; browsers always send it where it matters
    host = _header(scope, b"host") or ""
    scheme = {"ws": "http", "wss": "https"}.get(scope.get("scheme", "http"), scope.get("scheme", "http"))
    return origin.lower().rstrip("/") == f"{scheme}://{host}".lower()


class AccessGate:
    """Refuses every request its route's rule does not allow (see the module docstring).

    Args:
        app: The wrapped ASGI app (the FastAPI app's router stack).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._entries: list[RouteEntry] | None = None
        self._entries_version: object = None

    def entries(self, fastapi_app) -> list[RouteEntry]:  # noqa: ANN001
        """The app's routes with their rules (recomputed when routes are added)."""
        router = fastapi_app.router
        version = router._get_routes_version() if hasattr(router, "_get_routes_version") else len(router.routes)
        if self._entries is None or version != self._entries_version:
            self._entries = route_entries(fastapi_app.routes)
            self._entries_version = version
        return self._entries

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        fastapi_app = scope["app"]
        websocket = scope["type"] == "websocket"
        found = match_route(self.entries(fastapi_app), path=scope["path"], method=scope.get("method"),
                            websocket=websocket)
        if found is None:  # nothing here: the app answers 404 without touching any data
            await self.app(scope, receive, send)
            return
        entry, params = found
        refusal = await self._check(scope, fastapi_app, entry, params)
        if refusal is None:
            await self.app(scope, receive, send)
        elif websocket:
            await self._refuse_websocket(receive, send, *refusal)
        else:
            await self._refuse_http(scope, send, *refusal)

    async def _check(self, scope: Scope, fastapi_app, entry: RouteEntry,  # noqa: ANN001
                     params: dict[str, str]) -> tuple[int, str, str] | None:
        """None to let the request through, else (HTTP status, code, message)."""
        access: Access | None = entry.access
        if access is None:
            log.error("Route %s has no access rule in assistant.security.policy; refused", entry.path)
            return 403, "route-without-policy", "Ruten har ingen adgangsregel og er derfor lukket."
        if access.public:
            return None
        auth: Authenticator = app_services(fastapi_app).auth
        identity: Identity | None = await anyio.to_thread.run_sync(auth.identify, _cookie(scope, SESSION_COOKIE))
        if identity is None:
            return 401, "not-authenticated", "Du skal logge ind."
        if not access.allows(identity.role):
            return 403, "forbidden", "Din rolle giver ikke adgang til dette."
        websocket = scope["type"] == "websocket"
        if (websocket or scope.get("method") not in SAFE_METHODS) and not same_origin(scope):
            return 403, "cross-origin", "Forespørgslen kommer fra et andet website og er afvist."
        if not websocket and scope.get("method") not in SAFE_METHODS:
            sent = _header(scope, CSRF_HEADER.encode())
            import hmac

            if not sent or not hmac.compare_digest(sent, identity.csrf_token):
                return 403, "csrf-failed", "CSRF-token mangler eller er forkert; genindlæs siden."
        if access.live_call_param and access.live_call_param in params:
            if not self._owns_live_call(fastapi_app, params[access.live_call_param], identity):
                call_id = params[access.live_call_param]
                return 404, "call-not-found", f"Opkaldet '{call_id}' findes ikke."
        scope.setdefault("state", {})["identity"] = identity
        return None

    @staticmethod
    def _owns_live_call(fastapi_app, call_id: str, identity: Identity) -> bool:  # noqa: ANN001
        """True when the call is the user's own, or unknown (the route then answers 404 itself)."""

        try:
            call = app_services(fastapi_app).manager.get(call_id)
        except SessionError:
            return True
        return getattr(call, "owner", None) == identity.username

    @staticmethod
    async def _refuse_http(scope: Scope, send: Send, status: int, code: str, message: str) -> None:
        accept = _header(scope, b"accept") or ""
        browser_page = scope.get("method") in ("GET", "HEAD") and "text/html" in accept
        if browser_page and status == 401:
            target = scope["path"] + (f"?{scope['query_string'].decode('latin-1')}" if scope.get("query_string") else "")
            location = f"/login?next={quote(target, safe='')}"
            await send({"type": "http.response.start", "status": 303,
                        "headers": [(b"location", location.encode("latin-1")), (b"content-length", b"0")]})
            await send({"type": "http.response.body", "body": b""})
            return
        if browser_page and status == 403:
            await _send_forbidden_page(send, message)
            return
        headers = [(b"www-authenticate", b'Cookie realm="assistant"')] if status == 401 else []
        await send_json(send, status, {"code": code, "message": message}, headers)

    @staticmethod
    async def _refuse_websocket(receive: Receive, send: Send, status: int, code: str, message: str) -> None:
        # Accept, then close with an application code, so the client learns why (a refused handshake says 403 only).
        connect = await receive()
        if connect["type"] != "websocket.connect":
            return
        close_code = {401: CLOSE_UNAUTHENTICATED, 404: CLOSE_NOT_FOUND}.get(status, CLOSE_FORBIDDEN)
        await send({"type": "websocket.accept"})
        reason = f"{code}: {message}".encode()[:123].decode("utf-8", errors="ignore")
        await send({"type": "websocket.close", "code": close_code, "reason": reason})


async def _send_forbidden_page(send: Send, message: str) -> None:
    from html import escape

    links = " · ".join(f'<a href="{path}">{escape(label)}</a>' for label, path in
                       (("Panel", HOME_BY_ROLE["caseworker"]), ("Gennemgang", HOME_BY_ROLE["supervisor"]),
                        ("Administration", HOME_BY_ROLE["admin"]), ("Log ind som en anden", "/login")))
    body = (f'<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Ingen adgang</title>'
            f'<link rel="stylesheet" href="/static/login.css"></head><body><main class="login">'
            f"<h1>Ingen adgang</h1><p>{escape(message)}</p><p>{links}</p></main></body></html>").encode()
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
