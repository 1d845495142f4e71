"""The `AudioSource` protocol and the re-blocking that turns any audio into 32 ms `AudioFrame`s."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from assistant.audio.frames import SAMPLE_RATE, SPEAKERS, AudioFrame, Speaker
from assistant.errors import AudioError

FRAME_SAMPLES = 512
"""Samples per frame: 32 ms at 16 kHz, exactly one Silero VAD window, so the segmenter runs once per frame."""

FRAME_SECONDS = FRAME_SAMPLES / SAMPLE_RATE

DEFAULT_CHANNEL_SPEAKERS: tuple[Speaker, Speaker] = ("caseworker", "citizen")
"""Left channel = caseworker, right channel = citizen, unless configured otherwise."""


@runtime_checkable
class AudioSource(Protocol):
    """Anything that yields a call's audio as 16 kHz float32 frames, one channel per speaker.

    Frames of one channel come in time order and without gaps; frames of different channels are
    interleaved (for a file: channel 0 then channel 1 for each 32 ms block).
    """

    speakers: list[Speaker]
    """Speaker per channel, index = `AudioFrame.channel`."""

    description: str
    """Human-readable origin (file name, device names), for logs and the panel."""

    def frames(self) -> Iterator[AudioFrame]:
        """Yield frames until the audio ends or `close()` is called."""
        ...

    def close(self) -> None:
        """Stop producing frames and release files or devices. Safe to call twice."""
        ...


def speakers_for_channels(channels: int, channel_speakers: Sequence[str]) -> list[Speaker]:
    """Map a channel count to speakers: mono is `unknown`, stereo follows `channel_speakers`.

    Raises:
        AudioError: more than two channels, or a speaker name that is not known.
    """
    if channels == 1:
        return ["unknown"]
    if channels != 2:
        raise AudioError(
            f"Ikke-understøttet antal kanaler (unsupported channel count): {channels}. "
            "Kun mono (1) eller stereo (2: sagsbehandler venstre, borger højre) kan bruges.",
            code="audio-unsupported-channels",
        )
    mapped = list(channel_speakers)[:2]
    if len(mapped) != 2:
        raise AudioError(f"Kanalopsætningen skal nævne to talere (channel_speakers), fik {list(channel_speakers)}.",
                         code="audio-channel-mapping")
    for speaker in mapped:
        if speaker not in SPEAKERS:
            raise AudioError(f"Ukendt taler i kanalopsætningen: {speaker!r} (kendte: {', '.join(SPEAKERS)}).",
                             code="audio-channel-mapping")
    return mapped  # type: ignore[return-value]


class FrameBlocker:
    """Cuts one channel's stream of 16 kHz samples into `FRAME_SAMPLES` blocks stamped with call time.

    The call time comes from counting samples, so it never drifts against the audio itself.
    """

    def __init__(self, *, speaker: Speaker, channel: int, start: float = 0.0) -> None:
        self.speaker = speaker
        self.channel = channel
        self._next_start = start
        self._pending: list[np.ndarray] = []
        self._pending_len = 0

    def push(self, samples: np.ndarray) -> list[AudioFrame]:
        """Add samples; return every complete frame."""
        if len(samples) == 0:
            return []
        self._pending.append(np.asarray(samples, dtype=np.float32))
        self._pending_len += len(samples)
        if self._pending_len < FRAME_SAMPLES:
            return []
        buffer = np.concatenate(self._pending) if len(self._pending) > 1 else self._pending[0]
        complete = (len(buffer) // FRAME_SAMPLES) * FRAME_SAMPLES
        frames = [self._frame(buffer[i:i + FRAME_SAMPLES]) for i in range(0, complete, FRAME_SAMPLES)]
        rest = buffer[complete:]
        self._pending = [rest] if len(rest) else []
        self._pending_len = len(rest)
        return frames

    def flush(self) -> list[AudioFrame]:
        """Return the last, shorter frame (if any samples are left)."""
        if not self._pending_len:
            return []
        buffer = np.concatenate(self._pending)
        self._pending, self._pending_len = [], 0
        return [self._frame(buffer)]

    def _frame(self, samples: np.ndarray) -> AudioFrame:
        # Copy so a frame never aliases a buffer the producer reuses.
        frame = AudioFrame(speaker=self.speaker, channel=self.channel, start=self._next_start,
                           samples=np.array(samples, dtype=np.float32, copy=True))
        self._next_start += len(samples) / SAMPLE_RATE
        return frame
