"""Security headers on every HTTP response: a CSP without inline script, frame-ancestors, nosniff, HSTS."""

from __future__ import annotations

import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DOCS_PATHS = ("/docs", "/redoc")
"""FastAPI's API documentation pages load Swagger/ReDoc from a CDN with an inline bootstrap script."""


def content_security_policy(frame_ancestors: str) -> str:
    """The policy for the app's own pages: everything from this server, scripts only as files."""
    return ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            f"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {frame_ancestors}")


def docs_policy(frame_ancestors: str) -> str:
    return ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
            f"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors {frame_ancestors}")


_FRAME_ANCESTORS = re.compile(r"frame-ancestors[^;]*")


class SecurityHeadersMiddleware:
    """Adds the headers unless a route set its own; a route's own CSP gets the configured frame-ancestors.

    Args:
        app: The wrapped ASGI app.
        frame_ancestors: CSP frame-ancestors sources (`settings.frame_ancestors`).
        hsts: Send Strict-Transport-Security on HTTPS requests.
    """

    def __init__(self, app: ASGIApp, *, frame_ancestors: str = "'self'", hsts: bool = True) -> None:
        self.app = app
        self.frame_ancestors = frame_ancestors
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                csp = headers.get("content-security-policy")
                if csp is None:
                    docs = path in DOCS_PATHS
                    headers["Content-Security-Policy"] = (docs_policy if docs else content_security_policy)(
                        self.frame_ancestors)
                else:
                    headers["Content-Security-Policy"] = _FRAME_ANCESTORS.sub(
                        f"frame-ancestors {self.frame_ancestors}", csp)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
                headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
                headers.setdefault("Permissions-Policy", "camera=(), geolocation=(), payment=(), usb=()")
                if "'none'" in self.frame_ancestors:
                    headers.setdefault("X-Frame-Options", "DENY")
                # Personal data must not linger in shared caches or the browser's disk cache.
                if not path.startswith(("/static/", "/review/static/")):
                    headers.setdefault("Cache-Control", "no-store")
                if https and self.hsts:
                    headers.setdefault("Strict-Transport-Security", "max-age=31536000")
            await send(message)

        await self.app(scope, receive, send_with_headers)
