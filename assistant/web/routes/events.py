"""`WS /calls/{id}/events`: the call's events to the panel, replayed from a sequence number, then live.

Protocol (server → client): one JSON text message per `CallEvent` (`model_dump_json`), in sequence
order. On connect the server first sends every event with `seq > after`, then each new one, so a panel
that reconnects with its last seen `seq` misses nothing and sees nothing twice. Keepalive: the server
sends WebSocket pings (uvicorn's `ws_ping_interval`); a client that wants an application-level check
sends `{"type": "ping"}` and gets `{"type": "pong", "last_seq": N}` back (only such clients ever see a
non-event message). An unknown call id is closed with code 4404.

An ended call is no longer in the server's memory: its panel gets what the store keeps (the transcript and
`call-end`, see `web.ended_calls`) and the socket is closed normally. The socket is also closed, with 4401,
when its login ends (logout, a disabled user, changed credentials); the login is checked every
`settings.login_recheck_s` seconds.
"""

from __future__ import annotations

import asyncio
import json
import logging

import anyio
from fastapi import APIRouter, Query, WebSocket
from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocketDisconnect, WebSocketState

from assistant.errors import SessionError
from assistant.security.deps import current_identity
from assistant.security.gate import CLOSE_UNAUTHENTICATED
from assistant.security.services import app_services
from assistant.security.sessions import SESSION_COOKIE
from assistant.session import CallSession
from assistant.web.ended_calls import ended_call_events, ended_call_snapshot

log = logging.getLogger(__name__)

router = APIRouter(tags=["calls"])

CLOSE_NOT_FOUND = 4404
"""Close code for an unknown call id (4000–4999 are free for applications; 404 echoes HTTP)."""
CLOSE_CALL_ENDED = 4409
"""Close code when the call has ended and the socket cannot be used for it (e.g. audio for an ended call)."""
LOGIN_ENDED_REASON = "login-ended: Dit login er afsluttet; log ind igen."


def close_reason(text: str) -> str:
    """A close reason within the protocol's 123-byte limit, cut at a character boundary."""
    data = text.encode("utf-8")[:123]
    return data.decode("utf-8", errors="ignore")


async def accept_call(websocket: WebSocket, call_id: str) -> CallSession | None:
    """Accept the socket and find the running call; else close it (4409 for the user's ended call, 4404 for
    an unknown one) and return None."""
    await websocket.accept()
    call = app_services(websocket.app).manager.find(call_id)
    if call is not None:
        return call
    try:
        await run_in_threadpool(ended_call_snapshot, app_services(websocket.app), call_id,
                                username=current_identity(websocket).username)
    except SessionError as err:
        await websocket.close(code=CLOSE_NOT_FOUND, reason=close_reason(f"{err.code}: {err.message}"))
        return None
    await websocket.close(code=CLOSE_CALL_ENDED, reason="call-ended: Opkaldet er afsluttet.")
    return None


async def watch_login(websocket: WebSocket) -> None:
    """Return once the connection's login has ended (logout, disabled user, changed credentials)."""
    services = app_services(websocket.app)
    auth, interval = services.auth, services.settings.login_recheck_s
    cookie = websocket.cookies.get(SESSION_COOKIE)
    while True:
        await asyncio.sleep(interval)
        if await anyio.to_thread.run_sync(auth.identify, cookie) is None:
            return


async def _send_ended_call(websocket: WebSocket, call_id: str, after: int) -> None:
    """Serve an ended call's panel from the store, then close normally; unknown calls get 4404."""
    try:
        events = await run_in_threadpool(ended_call_events, app_services(websocket.app), call_id,
                                         username=current_identity(websocket).username, after=after)
    except SessionError as err:
        await websocket.close(code=CLOSE_NOT_FOUND, reason=close_reason(f"{err.code}: {err.message}"))
        return
    for event in events:
        await websocket.send_text(event.model_dump_json())
    await websocket.close(code=1000, reason="call-ended")


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
    """Send every event after `after`, then live events, until the client goes away or its login ends."""
    await websocket.accept()
    call = app_services(websocket.app).manager.find(call_id)
    if call is None:
        await _send_ended_call(websocket, call_id, max(after, 0))
        return
    queue = call.subscribe(after_seq=max(after, 0))
    reader = asyncio.create_task(_answer_pings(websocket, call), name=f"ws-events-{call_id}-reader")
    login = asyncio.create_task(watch_login(websocket), name=f"ws-events-{call_id}-login")
    getter: asyncio.Task | None = None
    try:
        while True:
            getter = asyncio.create_task(queue.get())
            done, _ = await asyncio.wait({getter, reader, login}, return_when=asyncio.FIRST_COMPLETED)
            if login in done:
                await websocket.close(code=CLOSE_UNAUTHENTICATED, reason=close_reason(LOGIN_ENDED_REASON))
                break
            if getter not in done:  # the client went away (or its reader failed)
                break
            await websocket.send_text(getter.result().model_dump_json())
            getter = None
    except (WebSocketDisconnect, RuntimeError):
        pass  # the client closed while we were sending
    finally:
        call.unsubscribe(queue)
        for task in (getter, reader, login):
            if task is not None and not task.done():
                task.cancel()
        if reader.done() and not reader.cancelled() and reader.exception() is not None:
            log.debug("Events reader of call %s ended: %s", call_id, reader.exception())
        if websocket.client_state == WebSocketState.CONNECTED:
            try:
                await websocket.close()
            except RuntimeError:
                pass
