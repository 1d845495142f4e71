"""The value type every audio source yields: one channel's 16 kHz float32 samples at a call time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

SAMPLE_RATE = 16_000
"""Every stage after the source works at 16 kHz mono float32 in [-1, 1]."""

Speaker = Literal["caseworker", "citizen", "unknown"]
SPEAKERS: tuple[Speaker, ...] = ("caseworker", "citizen", "unknown")


@dataclass(frozen=True)
class AudioFrame:
    """A block of one channel's audio.

    Attributes:
        speaker: Who speaks on this channel (from the channel mapping).
        channel: Index of the channel in the source (0 = left).
        start: Call time of the first sample, in seconds since the call started.
        samples: 16 kHz mono float32 samples in [-1, 1].
    """

    speaker: Speaker
    channel: int
    start: float
    samples: np.ndarray

    @property
    def duration(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    @property
    def end(self) -> float:
        return self.start + self.duration
