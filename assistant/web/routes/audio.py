"""`WS /calls/{id}/audio`: a remote capture client streams PCM16 into a `stream` call (see `web.protocol`).

A live source cannot run ahead of real time, so neither may a client: audio may lead real time by at most
`settings.audio_max_lead_s` (counted per call, from its first audio, over reconnects too). A message that
would go further is held back until real time catches up (the server stops reading: back-pressure). A client
further ahead than twice the lead gets the error `audio-too-fast` and is closed with 4429. One user may have
at most `settings.audio_max_streams_per_user` audio connections open, and a call one. A connection whose
login ends (logout, disabled user) is closed with 4401, like the events socket.
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, WebSocket
from pydantic import BaseModel

from assistant.audio.push_source import ALLOWED_SAMPLE_RATES
from assistant.errors import AssistantError
from assistant.security.gate import CLOSE_UNAUTHENTICATED
from assistant.security.services import app_services
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
from assistant.web.routes.events import LOGIN_ENDED_REASON, accept_call, close_reason, watch_login

log = logging.getLogger(__name__)

router = APIRouter(tags=["calls"])

CLOSE_PROTOCOL_ABUSE = 4400
"""Close code after too many protocol errors on one connection."""
CLOSE_NOT_STREAM = 4409
"""Close code when the call cannot take audio (not a `stream` call, or already ended)."""
CLOSE_TOO_MUCH_AUDIO = 4429
"""Close code for a client that sends audio too far ahead of real time, or opens too many audio streams."""
MAX_PROTOCOL_ERRORS = 10
"""Bad messages tolerated per connection before it is closed (each one is answered with an error)."""


class TooMuchAudio(ProtocolError):
    """The client pushes more than real time allows (or more streams than a user may have): closes the socket."""


class _AudioConnection:
    """State of one client connection: the announced format, bytes received, errors so far."""

    def __init__(self, websocket: WebSocket, call: CallSession, *, max_lead_s: float) -> None:
        self.websocket = websocket
        self.call = call
        self.max_lead_s = max_lead_s
        self.format: AudioStart | None = None
        self.bytes_received = 0
        self.errors = 0
        self.stopped = False
        self.refused: AssistantError | None = None  # why the server closed the connection, if it did

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
        expected = len(self.call.source.speakers)
        if start.channels != expected:
            raise ProtocolError(f"Opkaldet forventer {expected} kanal(er), fik {start.channels}.",
                                code="bad-channels")
        if start.rate not in ALLOWED_SAMPLE_RATES:
            allowed = ", ".join(str(r) for r in sorted(ALLOWED_SAMPLE_RATES))
            raise ProtocolError(f"Samplerate {start.rate} Hz understøttes ikke; tilladt: {allowed}.", code="bad-rate")

    async def on_bytes(self, payload: bytes) -> None:
        if self.format is None:
            raise ProtocolError("Lyd før audio-start: send først audio-start.", code="not-started")
        if not payload or len(payload) % self.format.frame_bytes:
            raise ProtocolError(f"Lydblokken er {len(payload)} bytes; den skal være et helt antal sample-frames "
                                f"á {self.format.frame_bytes} bytes (width × channels).", code="bad-frame-size")
        await self._keep_to_real_time(len(payload) / (self.format.frame_bytes * self.format.rate))
        for channel, pcm in enumerate(deinterleave(payload, self.format.channels)):
            self.call.source.push(channel, pcm, self.format.rate)
        self.bytes_received += len(payload)

    async def _keep_to_real_time(self, seconds: float) -> None:
        """Back-pressure: hold the message (and so stop reading the socket) until it is within the lead;
        refuse a client that is more than twice the lead ahead."""
        wait = self.call.source.pacing_wait(seconds, max_lead_s=self.max_lead_s)
        if wait > self.max_lead_s:
            raise TooMuchAudio(f"Lyden kommer hurtigere end realtid ({wait + self.max_lead_s:.0f} s foran; højst "
                               f"{self.max_lead_s:g} s er tilladt). Send lyden i det tempo, den optages.",
                               code="audio-too-fast")
        if wait > 0:
            await asyncio.sleep(wait)


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
    services = app_services(websocket.app)
    streams = services.audio_streams
    user = call.owner or ""
    refusal = _stream_refusal(streams.get(user, set()), call_id, services.settings)
    if refusal is not None:
        await websocket.send_text(WireError(code=refusal.code, message=refusal.message).model_dump_json())
        await websocket.close(code=CLOSE_NOT_STREAM if refusal.code == "audio-busy" else CLOSE_TOO_MUCH_AUDIO,
                              reason=refusal.code)
        return
    streams.setdefault(user, set()).add(call_id)
    try:
        await _receive_audio(websocket, call)
    finally:
        streams[user].discard(call_id)
        if not streams[user]:
            del streams[user]


async def _next_message(websocket: WebSocket, login: asyncio.Task) -> dict | None:
    """The client's next message, or None once `login` (a `watch_login` task) has found the login ended."""
    receiving = asyncio.ensure_future(websocket.receive())
    done, _ = await asyncio.wait({receiving, login}, return_when=asyncio.FIRST_COMPLETED)
    if receiving in done:
        return receiving.result()
    receiving.cancel()
    return None


def _stream_refusal(open_calls: set[str], call_id: str, settings) -> ProtocolError | None:  # noqa: ANN001
    """Why another audio connection of this user (for this call) is refused, or None."""
    if call_id in open_calls:
        return ProtocolError("Opkaldet har allerede en lydforbindelse; luk den først.", code="audio-busy")
    if len(open_calls) >= settings.audio_max_streams_per_user:
        return ProtocolError(f"Du har allerede {len(open_calls)} lydforbindelser åbne (højst "
                             f"{settings.audio_max_streams_per_user}).", code="audio-too-many-streams")
    return None


async def _receive_audio(websocket: WebSocket, call: CallSession) -> None:
    """The message loop of one audio connection (see `call_audio`)."""
    call_id = call.call_id
    conn = _AudioConnection(websocket, call, max_lead_s=app_services(websocket.app).settings.audio_max_lead_s)
    login = asyncio.create_task(watch_login(websocket), name=f"ws-audio-{call_id}-login")
    try:
        while not conn.stopped:
            message = await _next_message(websocket, login)
            if message is None:  # the login ended (logout, disabled user): no more audio from this client
                conn.refused = ProtocolError("Dit login er afsluttet.", code="login-ended")
                await websocket.close(code=CLOSE_UNAUTHENTICATED, reason=close_reason(LOGIN_ENDED_REASON))
                return
            if message["type"] == "websocket.disconnect":
                break
            try:
                if message.get("bytes") is not None:
                    await conn.on_bytes(message["bytes"])
                elif message.get("text") is not None:
                    await conn.on_text(message["text"])
            except AssistantError as err:  # ProtocolError or the source's AudioError
                if isinstance(err, TooMuchAudio) or err.code == "audio-buffer-full":
                    conn.refused = err
                    await conn.send(WireError(code=err.code, message=err.message))
                    await websocket.close(code=CLOSE_TOO_MUCH_AUDIO, reason=err.code)
                    return
                if not await conn.reject(err):
                    await websocket.close(code=CLOSE_PROTOCOL_ABUSE, reason="too many protocol errors")
                    return
        if conn.stopped:
            await websocket.close(code=1000)
    except Exception as err:  # the socket broke while we answered: same as a drop
        log.info("Audio client of call %s went away: %s", call_id, err)
    finally:
        login.cancel()
        if conn.refused is not None and call.status == "running":
            await call.report_error(conn.refused.code, f"Lydklienten blev afbrudt: {conn.refused.message} "
                                    "Opkaldet fortsætter med det, der allerede er modtaget.", stage="audio")
        elif not conn.stopped and call.status == "running" and conn.bytes_received:
            await call.report_error(
                "audio-client-lost",
                "Forbindelsen til lydklienten blev afbrudt. Opkaldet fortsætter, og transskriptionen er bevaret; "
                "klienten kan genoptage eller opkaldet kan afsluttes.",
                stage="audio",
            )
