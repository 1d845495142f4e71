"""The value type the segmenter emits: one speaker's utterance audio, cut where speech ended."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.audio.frames import SAMPLE_RATE, Speaker


@dataclass(frozen=True)
class SpeechSegment:
    """One utterance of one speaker, ready to transcribe.

    Attributes:
        speaker: Who spoke.
        start: Call time of the first sample (seconds), padding included.
        samples: 16 kHz mono float32 audio of the utterance.
        speech_end: Call time of the last voiced frame; latency is measured from here.
        final: False for an interim segment of a still-running utterance (partial text only).
        segment_id: Stable id per utterance; interim segments share the id of their final one.
        pause_hint: An interim segment sent because speech paused: it holds exactly the audio of the
            final segment that follows if speech does not resume, so decoding it early pays off.
    """

    speaker: Speaker
    start: float
    samples: np.ndarray
    speech_end: float
    final: bool = True
    segment_id: str = ""
    pause_hint: bool = False

    @property
    def duration(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    @property
    def end(self) -> float:
        return self.start + self.duration
