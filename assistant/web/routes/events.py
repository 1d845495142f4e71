"""`WS /calls/{id}/events`: the call's events to the panel, replayed from a sequence number, then live.

Protocol (server → client): one JSON text message per `CallEvent` (`model_dump_json`), in sequence
order. On connect the server first sends every event with `seq > after`, then each new one, so a panel
that reconnects with its last seen `seq` misses nothing and sees nothing twice. Keepalive: the server
sends WebSocket pings (uvicorn's `ws_ping_interval`); a client that wants an application-level check
sends `{"type": "ping"}` and gets `{"type": "pong", "last_seq": N}` back (only such clients ever see a
non-event message). An unknown call id is closed with code 4404.
"""

from __future__ import annotations

import asyncio
import json
import logging

from fastapi import APIRouter, Query, WebSocket
from starlette.websockets import WebSocketDisconnect, WebSocketState

from assistant.errors import SessionError
from assistant.session import CallSession

log = logging.getLogger(__name__)

router = APIRouter(tags=["calls"])

CLOSE_NOT_FOUND = 4404
"""Close code for an unknown call id (4000–4999 are free for applications; 404 echoes HTTP)."""


def close_reason(text: str) -> str:
    """A close reason within the protocol's 123-byte limit, cut at a character boundary."""
    data = text.encode("utf-8")[:123]
    return data.decode("utf-8", errors="ignore")


async def accept_call(websocket: WebSocket, call_id: str) -> CallSession | None:
    """Accept the socket and find the call; an unknown id is closed with 4404 and None returned."""
    await websocket.accept()
    try:
        return websocket.app.state.manager.get(call_id)
    except SessionError as err:
        await websocket.close(code=CLOSE_NOT_FOUND, reason=close_reason(f"{err.code}: {err.message}"))
        return None


async def _answer_pings(websocket: WebSocket, call: CallSession) -> None:
    """Read what the client sends until it disconnects; answer `{"type": "ping"}` with a pong."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        text = message.get("text")
        if not text:
            continue
        try:
            kind = json.loads(text).get("type")
        except (ValueError, AttributeError):
            continue  # the events socket takes no commands; anything else is ignored
        if kind == "ping":
            await websocket.send_text(json.dumps({"type": "pong", "last_seq": len(call.history)}))


@router.websocket("/calls/{call_id}/events", name="call_events")
async def call_events(websocket: WebSocket, call_id: str,
                      after: int = Query(0, description="Last sequence number the client has seen")) -> None:
    """Send every event after `after`, then live events, until the client goes away."""
    call = await accept_call(websocket, call_id)
    if call is None:
        return
    queue = call.subscribe(after_seq=max(after, 0))
    reader = asyncio.create_task(_answer_pings(websocket, call), name=f"ws-events-{call_id}-reader")
    getter: asyncio.Task | None = None
    try:
        while True:
            getter = asyncio.create_task(queue.get())
            done, _ = await asyncio.wait({getter, reader}, return_when=asyncio.FIRST_COMPLETED)
            if getter not in done:  # the client went away (or its reader failed)
                break
            await websocket.send_text(getter.result().model_dump_json())
            getter = None
    except (WebSocketDisconnect, RuntimeError):
        pass  # the client closed while we were sending
    finally:
        call.unsubscribe(queue)
        for task in (getter, reader):
            if task is not None and not task.done():
                task.cancel()
        if reader.done() and not reader.cancelled() and reader.exception() is not None:
            log.debug("Events reader of call %s ended: %s", call_id, reader.exception())
        if websocket.client_state == WebSocketState.CONNECTED:
            try:
                await websocket.close()
            except RuntimeError:
                pass
