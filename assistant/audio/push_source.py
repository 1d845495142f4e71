"""`PushSource`: audio that arrives in pieces (PCM16 over a WebSocket) turned into 16 kHz frames."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator, Sequence

import numpy as np

from assistant.audio.frames import SPEAKERS, AudioFrame, Speaker
from assistant.audio.resample import StreamResampler
from assistant.audio.source import FrameBlocker
from assistant.errors import AudioError

ALLOWED_SAMPLE_RATES = frozenset({8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000})
"""Rates a client may push; 8 kHz is telephone audio, 48 kHz what browsers record."""

MAX_PUSH_SECONDS = 10.0
"""Largest single push accepted, so one bad client message cannot allocate without bound."""

DEFAULT_MAX_BUFFERED_S = 60.0
"""Audio (per channel) waiting to be read before `push()` refuses more: a bound on memory, never reached by
a client that keeps to real time (`pacing_wait`) unless the reader has stalled."""

_CLOSED = object()


class PushSource:
    """An `AudioSource` fed by `push()` calls, e.g. from a WebSocket handler, and read through `frames()`.

    `push()` may be called from any thread (or the event loop); `frames()` blocks in its own thread until
    audio arrives or the source is closed. Call time per channel is counted from the samples pushed.

    Args:
        speakers: Speaker per channel, e.g. ["caseworker", "citizen"] or ["unknown"].
        description: Human-readable origin for logs and the panel.
        max_buffered_s: Seconds of audio per channel that may wait to be read; `push()` refuses more
            (`audio-buffer-full`), so a stalled reader cannot make memory grow without bound.
        clock: Monotonic time source for `pacing_wait` (tests pass a fake one).
    """

    def __init__(self, speakers: Sequence[str], *, description: str = "WebSocket-lyd",
                 max_buffered_s: float = DEFAULT_MAX_BUFFERED_S, clock=time.monotonic) -> None:  # noqa: ANN001
        if not 1 <= len(speakers) <= 2:
            raise AudioError(f"Ikke-understøttet antal kanaler (unsupported channel count): {len(speakers)}",
                             code="audio-unsupported-channels")
        for speaker in speakers:
            if speaker not in SPEAKERS:
                raise AudioError(f"Ukendt taler: {speaker!r} (kendte: {', '.join(SPEAKERS)}).", code="audio-channel-mapping")
        self.speakers: list[Speaker] = list(speakers)  # type: ignore[arg-type]
        self.description = description
        self._queue: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._closed = False
        self._rates: list[int | None] = [None] * len(self.speakers)
        self._resamplers: list[StreamResampler | None] = [None] * len(self.speakers)
        self._blockers = [FrameBlocker(speaker=s, channel=i) for i, s in enumerate(self.speakers)]
        self.max_buffered_s = max_buffered_s
        self._buffered_s = [0.0] * len(self.speakers)  # per channel: frames queued and not yet read
        self._pushed_s = [0.0] * len(self.speakers)
        self._clock = clock
        self._first_push_at: float | None = None

    def push(self, channel: int, pcm16: bytes, sample_rate: int) -> None:
        """Add little-endian signed 16-bit mono PCM for one channel.

        Args:
            channel: Channel index (0 = caseworker/left, 1 = citizen/right).
            pcm16: Raw PCM16LE bytes; a whole number of samples.
            sample_rate: Rate of this audio; must be allowed and stay the same per channel.

        Raises:
            AudioError: closed source, channel out of range, odd byte count, unsupported or changed rate.
        """
        samples = self._validate(channel, pcm16, sample_rate)
        with self._lock:  # resampler and blocker state are per channel but pushes may race
            if self._closed:
                raise AudioError("Lydkilden er lukket (push after close).", code="audio-closed")
            if self._buffered_s[channel] + len(samples) / sample_rate > self.max_buffered_s:
                raise AudioError(f"Der venter allerede {self.max_buffered_s:.0f} s lyd på at blive behandlet; "
                                 "mere tages ikke imod (buffer full).", code="audio-buffer-full")
            if self._resamplers[channel] is None:
                self._rates[channel] = sample_rate
                self._resamplers[channel] = StreamResampler(sample_rate)
            if self._first_push_at is None:
                self._first_push_at = self._clock()
            self._pushed_s[channel] += len(samples) / sample_rate
            for frame in self._blockers[channel].push(self._resamplers[channel].process(samples)):
                self._put(frame)

    def _put(self, frame: AudioFrame) -> None:
        self._buffered_s[frame.channel] += frame.duration
        self._queue.put(frame)

    def pacing_wait(self, seconds: float, *, max_lead_s: float) -> float:
        """How long to hold back `seconds` more audio so the stream stays at most `max_lead_s` ahead of real
        time (0 when it may go in now). Real time runs from the first push, so it counts per call, also over
        a reconnecting client. A live source cannot run ahead, so only a client sending too fast waits.
        """
        with self._lock:
            if self._first_push_at is None:  # real time starts when the first audio arrives, not after its wait
                self._first_push_at = self._clock()
            elapsed = self._clock() - self._first_push_at
            return max(max(self._pushed_s) + seconds - elapsed - max_lead_s, 0.0)

    @property
    def buffered_seconds(self) -> float:
        """Audio pushed and not yet read by `frames()`, per channel (the frames held in memory)."""
        with self._lock:
            return max(self._buffered_s)

    def discard(self) -> None:
        """Close and drop every frame not yet read (the call has ended: nothing more is transcribed)."""
        self.close()
        with self._lock:
            while True:
                try:
                    self._queue.get_nowait()
                except queue.Empty:
                    break
            self._buffered_s = [0.0] * len(self.speakers)
            self._queue.put(_CLOSED)

    def _validate(self, channel: int, pcm16: bytes, sample_rate: int) -> np.ndarray:
        if not isinstance(channel, int) or not 0 <= channel < len(self.speakers):
            raise AudioError(f"Ugyldig kanal {channel!r}: kilden har {len(self.speakers)} kanal(er) "
                             f"(channel out of range 0..{len(self.speakers) - 1}).", code="audio-bad-channel")
        if sample_rate not in ALLOWED_SAMPLE_RATES:
            allowed = ", ".join(str(r) for r in sorted(ALLOWED_SAMPLE_RATES))
            raise AudioError(f"Samplerate {sample_rate!r} Hz understøttes ikke (unsupported sample rate); "
                             f"tilladt: {allowed}.", code="audio-bad-rate")
        known = self._rates[channel]
        if known is not None and known != sample_rate:
            raise AudioError(f"Samplerate på kanal {channel} skiftede fra {known} til {sample_rate} Hz "
                             "(sample rate changed mid-stream).", code="audio-bad-rate")
        if not isinstance(pcm16, (bytes, bytearray, memoryview)):
            raise AudioError(f"Lyddata skal være bytes (PCM16), fik {type(pcm16).__name__}.", code="audio-bad-frame")
        size = len(pcm16)
        if size % 2:
            raise AudioError(f"Lydblokken er {size} bytes; PCM16 kræver et lige antal bytes "
                             "(frame size must be a multiple of 2 bytes).", code="audio-bad-frame")
        if size > MAX_PUSH_SECONDS * sample_rate * 2:
            raise AudioError(f"Lydblokken er for stor ({size} bytes > {MAX_PUSH_SECONDS:.0f} s).", code="audio-bad-frame")
        return np.frombuffer(pcm16, dtype="<i2").astype(np.float32) / 32768.0

    def close(self) -> None:
        """End the stream: remaining audio is flushed as frames, then `frames()` returns."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for resampler, blocker in zip(self._resamplers, self._blockers):
                tail = resampler.flush() if resampler is not None else np.zeros(0, dtype=np.float32)
                for frame in blocker.push(tail) + blocker.flush():
                    self._put(frame)
            self._queue.put(_CLOSED)

    def frames(self, *, timeout: float | None = None) -> Iterator[AudioFrame]:
        """Yield frames as they become complete; blocks until data arrives or the source is closed.

        Args:
            timeout: Give up (return) after this many seconds without audio; None waits forever.
        """
        while True:
            try:
                item = self._queue.get(timeout=timeout)
            except queue.Empty:
                return
            if item is _CLOSED:
                self._queue.put(_CLOSED)  # a second reader also ends
                return
            with self._lock:
                self._buffered_s[item.channel] = max(self._buffered_s[item.channel] - item.duration, 0.0)
            yield item

    @property
    def closed(self) -> bool:
        return self._closed
