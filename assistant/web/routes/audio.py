"""`WS /calls/{id}/audio`: a remote capture client streams PCM16 into a `stream` call (see `web.protocol`)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, WebSocket
from pydantic import BaseModel

from assistant.errors import AssistantError
from assistant.session import CallSession
from assistant.web.protocol import (
    AudioDone,
    AudioReady,
    AudioStart,
    AudioStop,
    ProtocolError,
    WireError,
    deinterleave,
    parse_client_message,
)
from assistant.web.routes.events import accept_call, close_reason

log = logging.getLogger(__name__)

router = APIRouter(tags=["calls"])

CLOSE_PROTOCOL_ABUSE = 4400
"""Close code after too many protocol errors on one connection."""
CLOSE_NOT_STREAM = 4409
"""Close code when the call cannot take audio (not a `stream` call, or already ended)."""
MAX_PROTOCOL_ERRORS = 10
"""Bad messages tolerated per connection before it is closed (each one is answered with an error)."""


class _AudioConnection:
    """State of one client connection: the announced format, bytes received, errors so far."""

    def __init__(self, websocket: WebSocket, call: CallSession) -> None:
        self.websocket = websocket
        self.call = call
        self.format: AudioStart | None = None
        self.bytes_received = 0
        self.errors = 0
        self.stopped = False

    async def send(self, message: BaseModel) -> None:
        await self.websocket.send_text(message.model_dump_json())

    async def reject(self, err: AssistantError) -> bool:
        """Tell the client what was wrong; returns False when the connection should be closed."""
        self.errors += 1
        await self.send(WireError(code=err.code, message=err.message))
        return self.errors < MAX_PROTOCOL_ERRORS

    async def on_text(self, text: str) -> None:
        message = parse_client_message(text)
        if isinstance(message, AudioStop):
            if self.format is None:
                raise ProtocolError("audio-stop før audio-start.", code="not-started")
            self.stopped = True
            self.call.source.close()  # the session finishes the utterances heard and ends the call
            seconds = self.bytes_received / (self.format.frame_bytes * self.format.rate)
            await self.send(AudioDone(seconds=round(seconds, 3)))
            return
        self._check_format(message)
        self.format = message
        await self.send(AudioReady(call_id=self.call.call_id))

    def _check_format(self, start: AudioStart) -> None:
        from assistant.audio.push_source import ALLOWED_SAMPLE_RATES

        expected = len(self.call.source.speakers)
        if start.channels != expected:
            raise ProtocolError(f"Opkaldet forventer {expected} kanal(er), fik {start.channels}.",
                                code="bad-channels")
        if start.rate not in ALLOWED_SAMPLE_RATES:
            allowed = ", ".join(str(r) for r in sorted(ALLOWED_SAMPLE_RATES))
            raise ProtocolError(f"Samplerate {start.rate} Hz understøttes ikke; tilladt: {allowed}.", code="bad-rate")

    def on_bytes(self, payload: bytes) -> None:
        if self.format is None:
            raise ProtocolError("Lyd før audio-start: send først audio-start.", code="not-started")
        if not payload or len(payload) % self.format.frame_bytes:
            raise ProtocolError(f"Lydblokken er {len(payload)} bytes; den skal være et helt antal sample-frames "
                                f"á {self.format.frame_bytes} bytes (width × channels).", code="bad-frame-size")
        for channel, pcm in enumerate(deinterleave(payload, self.format.channels)):
            self.call.source.push(channel, pcm, self.format.rate)
        self.bytes_received += len(payload)


@router.websocket("/calls/{call_id}/audio", name="call_audio")
async def call_audio(websocket: WebSocket, call_id: str) -> None:
    """Receive a client's audio for a `stream` call; bad messages get an error reply, the call goes on."""
    call = await accept_call(websocket, call_id)
    if call is None:
        return
    if not hasattr(call.source, "push") or call.status != "running":
        reason = "call-not-stream: opkaldet tager ikke lyd" if call.status == "running" else "call-ended"
        await websocket.close(code=CLOSE_NOT_STREAM, reason=close_reason(reason))
        return
    conn = _AudioConnection(websocket, call)
    try:
        while not conn.stopped:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            try:
                if message.get("bytes") is not None:
                    conn.on_bytes(message["bytes"])
                elif message.get("text") is not None:
                    await conn.on_text(message["text"])
            except AssistantError as err:  # ProtocolError or the source's AudioError
                if not await conn.reject(err):
                    await websocket.close(code=CLOSE_PROTOCOL_ABUSE, reason="too many protocol errors")
                    return
        if conn.stopped:
            await websocket.close(code=1000)
    except Exception as err:  # the socket broke while we answered: same as a drop
        log.info("Audio client of call %s went away: %s", call_id, err)
    finally:
        if not conn.stopped and call.status == "running" and conn.bytes_received:
            await call.report_error(
                "audio-client-lost",
                "Forbindelsen til lydklienten blev afbrudt. Opkaldet fortsætter, og transskriptionen er bevaret; "
                "klienten kan genoptage eller opkaldet kan afsluttes.",
                stage="audio",
            )
