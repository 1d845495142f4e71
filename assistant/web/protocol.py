"""The audio wire protocol of `WS /calls/{id}/audio` (Wyoming-like: small typed JSON messages + binary PCM).

Client → server:
    1. text  `{"type": "audio-start", "rate": 16000, "width": 2, "channels": 2}`
    2. binary frames: interleaved little-endian signed 16-bit PCM, `width * channels` bytes per sample
       frame (left = caseworker, right = citizen; one channel = unknown speaker)
    3. text  `{"type": "audio-stop"}`: the stream ends; the server finishes the call's utterances.
Server → client (text):
    `{"type": "audio-ready", "call_id": …}` after a valid audio-start,
    `{"type": "error", "code": …, "message": …}` for a bad message (the connection stays open),
    `{"type": "audio-done", "seconds": …}` after audio-stop, then the server closes normally.
A client may send `audio-start` again after reconnecting; audio continues the same call.
"""

from __future__ import annotations

import json
from typing import Annotated, Literal, Union

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from assistant.errors import AssistantError


class ProtocolError(AssistantError):
    """A message that breaks the wire protocol; reported to the client, the call goes on."""

    code = "protocol-error"


class AudioStart(BaseModel):
    """Opens the stream and fixes its format."""

    type: Literal["audio-start"] = "audio-start"
    rate: int = Field(16000, description="Sample rate in Hz")
    width: Literal[2] = Field(2, description="Bytes per sample (PCM16 only)")
    channels: int = Field(2, ge=1, le=2, description="Interleaved channels: 2 = caseworker, citizen")

    @property
    def frame_bytes(self) -> int:
        """Bytes of one sample frame (all channels)."""
        return self.width * self.channels


class AudioStop(BaseModel):
    """Ends the stream."""

    type: Literal["audio-stop"] = "audio-stop"


ClientMessage = Annotated[Union[AudioStart, AudioStop], Field(discriminator="type")]
_client_message = TypeAdapter(ClientMessage)


class AudioReady(BaseModel):
    type: Literal["audio-ready"] = "audio-ready"
    call_id: str


class AudioDone(BaseModel):
    type: Literal["audio-done"] = "audio-done"
    seconds: float = Field(description="Seconds of audio received on this connection")


class WireError(BaseModel):
    type: Literal["error"] = "error"
    code: str
    message: str


def parse_client_message(text: str) -> AudioStart | AudioStop:
    """Parse one text message from an audio client.

    Raises:
        ProtocolError: code `bad-json`, `unknown-type` or `invalid-message`.
    """
    try:
        data = json.loads(text)
    except ValueError:
        raise ProtocolError("Beskeden er ikke gyldig JSON.", code="bad-json") from None
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise ProtocolError("Beskeden skal være et JSON-objekt med et 'type'-felt.", code="invalid-message")
    if data["type"] not in ("audio-start", "audio-stop"):
        raise ProtocolError(f"Ukendt beskedtype '{data['type'][:40]}'; forventet audio-start eller audio-stop.",
                            code="unknown-type")
    try:
        return _client_message.validate_python(data)
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in err.errors())
        raise ProtocolError(f"Ugyldig {data['type']}: {problems}", code="invalid-message") from None


def deinterleave(payload: bytes, channels: int) -> list[bytes]:
    """Split interleaved PCM16 into one byte string per channel (the caller checked the frame size)."""
    if channels == 1:
        return [bytes(payload)]
    import numpy as np

    samples = np.frombuffer(payload, dtype="<i2").reshape(-1, channels)
    return [samples[:, c].tobytes() for c in range(channels)]
