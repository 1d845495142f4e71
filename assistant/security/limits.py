"""Request size limits: HTTP bodies (413) and WebSocket messages (close 1009)."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CLOSE_MESSAGE_TOO_BIG = 1009
"""RFC 6455: the endpoint is closing because a message was too big to process."""


async def send_json(send: Send, status: int, body: dict, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    """Answer an HTTP request with a small JSON body (used before the app sees the request)."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": data})


class SizeLimitMiddleware:
    """Refuses HTTP bodies over `max_body_bytes` and WebSocket messages over `max_ws_message_bytes`.

    A declared Content-Length over the limit is refused before reading; a chunked body is counted as it
    arrives, and the request fails with 413 as soon as it passes the limit.

    Args:
        app: The wrapped ASGI app.
        max_body_bytes: Largest HTTP request body.
        max_ws_message_bytes: Largest WebSocket message (text or binary).
    """

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_ws_message_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_ws_message_bytes = max_ws_message_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self._http(scope, receive, send)
        elif scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    def _too_large_body(self) -> dict:
        return {"code": "request-too-large",
                "message": f"Forespørgslen er for stor (højst {self.max_body_bytes} bytes)."}

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await send_json(send, 400, {"code": "bad-content-length", "message": "Ugyldig Content-Length."})
                    return
                if declared > self.max_body_bytes:
                    await send_json(send, 413, self._too_large_body())
                    return
        received = 0
        started = False
        refused = False

        async def limited_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    # Answer 413 now and tell the app the client went away (it must not parse a cut body).
                    if not started and not refused:
                        refused = True
                        await send_json(send, 413, self._too_large_body())
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 has been sent; whatever the app answers after the disconnect is dropped
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, limited_receive, tracking_send)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        closed = False

        async def limited_receive() -> Message:
            nonlocal closed
            message = await receive()
            if message["type"] == "websocket.receive":
                size = len(message.get("bytes") or b"") + len((message.get("text") or "").encode("utf-8"))
                if size > self.max_ws_message_bytes:
                    if not closed:
                        closed = True
                        await send({"type": "websocket.close", "code": CLOSE_MESSAGE_TOO_BIG,
                                    "reason": "message too big"})
                    # The app sees the connection end, as if the client had gone away.
                    return {"type": "websocket.disconnect", "code": CLOSE_MESSAGE_TOO_BIG}
            return message

        async def guarded_send(message: Message) -> None:
            if closed and message["type"] in ("websocket.send", "websocket.close"):
                return  # already closed by the limit
            await send(message)

        await self.app(scope, limited_receive, guarded_send)
