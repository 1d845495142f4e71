"""Runs several calls at once on one shared transcription model."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from assistant import audio
from assistant.analysis.analyzer import CallAnalyzer
from assistant.config import Settings
from assistant.errors import SessionError
from assistant.events import CallEnded, CallEvent
from assistant.masking import MaskingOptions
from assistant.paths import SAMPLES_DIR
from assistant.session.call import CallSession, EventListener
from assistant.session.pieces import PieceOptions
from assistant.transcription.service import TranscriptionService

log = logging.getLogger(__name__)


class CallRequest(BaseModel):
    """How to start a call (the body of `POST /calls`)."""

    source: Literal["file", "device", "stream", "text"] = Field(
        "file", description="file: replay a recording; device: capture here; stream: PCM over WebSocket; text: typed turns")
    path: str | None = Field(None, max_length=500,
                             description="For 'file': a sample name from recordings_sample/ or a path on the server")
    realtime: bool = Field(True, description="For 'file': pace the replay at real time like a live call")
    max_seconds: float | None = Field(None, gt=0, description="For 'file': replay at most this many seconds")
    devices: list[str] = Field(default_factory=list, max_length=2,
                               description="For 'device': one stereo device or two (headset, call loopback)")
    sample_rate: int = Field(16000, description="For 'stream': sample rate of the PCM16 frames")
    channels: int = Field(2, ge=1, le=2, description="For 'stream': number of channels")
    citizen_informed: bool = Field(False, description="The caseworker told the citizen about the assistant")
    analysis: bool = Field(True, description="Analyse the call (off: transcript only)")


def resolve_sample_path(name: str, *, allowed_dirs: list[Path] | None = None) -> Path:
    """A sample name (`calm_waiting` or `calm_waiting.wav`) or a path → the file's path.

    Args:
        name: A sample name or a file path.
        allowed_dirs: Folders a path may point into (a caller of the API must not make the server open
            arbitrary files); None allows any path (the command line, run by the machine's own user).

    Raises:
        SessionError: `file-not-found`. For an API caller (`allowed_dirs` given) a file outside the allowed
            folders gets the same answer as a missing one, decided before the file system is asked whether it
            exists, and the message names no server path: a caller cannot probe which files the server has.
    """
    candidates = [Path(name), SAMPLES_DIR / name, SAMPLES_DIR / f"{name}.wav"]
    roots = [SAMPLES_DIR, *(allowed_dirs or [])]
    for candidate in candidates:
        resolved = candidate.resolve()
        if allowed_dirs is not None and not any(resolved.is_relative_to(root.resolve()) for root in roots):
            continue
        if resolved.is_file():
            return resolved
    known = ", ".join(sorted(p.stem for p in SAMPLES_DIR.glob("*.wav"))) or "ingen"
    if allowed_dirs is None:
        raise SessionError(f"Lydfilen '{name}' findes ikke. Kendte eksempler: {known}", code="file-not-found")
    raise SessionError("Lydfilen findes ikke, eller den ligger uden for de mapper serveren må læse "
                       f"(ASSISTANT_AUDIO_DIRS). Kendte eksempler: {known}", code="file-not-found")


class CallManager:
    """Owns the shared transcription service and the running calls.

    Only running calls are held in memory (with the event history reconnecting panels replay): a call is
    dropped the moment it has ended and its `call-end` has reached the listeners (the store), so its
    transcript does not outlive the retention period in a running server. Ended calls are read from the store.

    Args:
        settings: Application settings (engine, model, channel mapping).
        transcriber: A ready service to share; loaded from settings on first audio call when None.
    """

    def __init__(self, settings: Settings, *, transcriber: TranscriptionService | None = None) -> None:
        self.settings = settings
        self._transcriber = transcriber
        self._transcriber_lock = asyncio.Lock()
        self._calls: dict[str, CallSession] = {}
        self._listeners: list[EventListener] = []
        self.started_at = datetime.now(timezone.utc)

    def add_listener(self, listener: EventListener) -> None:
        """Attach `listener` to every call started from now on (e.g. the store's recorder)."""
        self._listeners.append(listener)

    async def transcriber(self) -> TranscriptionService:
        """The shared service; the model is loaded once, off the event loop."""
        async with self._transcriber_lock:
            if self._transcriber is None:
                self._transcriber = await asyncio.to_thread(lambda: TranscriptionService(settings=self.settings))
            return self._transcriber

    def find(self, call_id: str) -> CallSession | None:
        """The running call with this id, or None (unknown, or ended: ended calls are in the store)."""
        return self._calls.get(call_id)

    def get(self, call_id: str) -> CallSession:
        try:
            return self._calls[call_id]
        except KeyError:
            raise SessionError(f"Opkaldet '{call_id}' findes ikke.", code="call-not-found") from None

    def calls(self) -> list[CallSession]:
        return list(self._calls.values())

    async def start_call(self, request: CallRequest, *, call_id: str | None = None,
                         owner: str | None = None, description: str | None = None,
                         replay: bool = False) -> CallSession:
        """Open the source, create the session, attach listeners and start it.

        `owner` is the user name of the caseworker starting the call (the web layer passes the logged-in
        user); only that user may follow or steer the call. `description` and `replay` name a demo call
        that replays a sample's script (see `assistant.session.replay`).

        Raises:
            SessionError / AudioError: the file or device cannot be opened (nothing is started).
        """
        if call_id is not None and call_id in self._calls:
            raise SessionError(f"Opkaldet '{call_id}' findes allerede.", code="call-exists")
        source = await asyncio.to_thread(self._open_source, request)
        transcriber = await self.transcriber() if source is not None else None
        analyzer = None
        if request.analysis:
            analyzer = await asyncio.to_thread(CallAnalyzer.create)
        session = CallSession(source=source, transcriber=transcriber, analyzer=analyzer, call_id=call_id,
                              citizen_informed=request.citizen_informed, owner=owner,
                              piece_options=PieceOptions.from_settings(self.settings),
                              masking=MaskingOptions.from_settings(self.settings),
                              description=description, replay=replay)
        for listener in self._listeners:
            session.add_listener(listener)
        session.add_listener(self._forget_when_ended)  # last: after the store has written the end
        self._calls[session.call_id] = session
        await session.start()
        return session

    def _open_source(self, request: CallRequest):
        speakers = tuple(self.settings.channel_speakers)
        if request.source == "text":
            return None
        if request.source == "file":
            if not request.path:
                raise SessionError("Angiv en lydfil (path).", code="file-missing")
            return audio.FileSource(resolve_sample_path(request.path, allowed_dirs=self.settings.audio_dirs),
                                    realtime=request.realtime,
                                    channel_speakers=speakers, max_seconds=request.max_seconds)
        if request.source == "device":
            return audio.CaptureSource(devices=request.devices or None, channel_speakers=speakers)
        # The rate is announced by the client's audio-start and checked per push (PushSource has no fixed rate).
        return audio.PushSource(speakers=list(speakers[: request.channels]) if request.channels == 2 else ["unknown"])

    def _forget_when_ended(self, event: CallEvent) -> None:
        if isinstance(event, CallEnded):
            self._calls.pop(event.call_id, None)

    def forget_ended(self, *, before: datetime) -> list[str]:
        """Drop ended calls that started before `before` from memory (retention); returns their ids.

        Calls are dropped when they end, so this finds one only if its end did not reach the manager."""
        old = [cid for cid, call in self._calls.items() if call.status != "running" and call.started_at < before]
        for call_id in old:
            del self._calls[call_id]
        return old

    async def shutdown(self) -> None:
        """End every running call (the transcript so far is kept by the listeners)."""
        await asyncio.gather(*(call.end("stopped") for call in self._calls.values() if call.status == "running"),
                             return_exceptions=True)
