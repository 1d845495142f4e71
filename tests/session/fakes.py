"""Stand-ins for the model and the analysis, so the call session and manager are tested fast and without a model.

The transcription service, the VAD segmenter, the audio sources and the events stay real; only the Whisper
model (`FakeEngine`) and the spaCy analysis (`FakeAnalyzer`) are replaced.
"""

from __future__ import annotations

import numpy as np

from assistant.analysis.types import (
    AnalysisUpdate,
    Assessment,
    CallSignals,
    Coaching,
    Suggestion,
    TurnAnalysis,
)
from assistant.transcription.types import DecodeOptions, GuardOptions, Transcript

# The fake text is not speech-like, so the hallucination guard must not judge it.
NO_GUARD = DecodeOptions(detect_language=False, guard=GuardOptions(
    no_speech_threshold=1.0, log_prob_threshold=-1e9, min_words_per_second=0.0, compression_ratio_threshold=1e9,
    min_repeats=10_000, min_rms=0.0, phantom_phrases=False))


class FakeEngine:
    """Names the length of the audio it was given, e.g. "lyd på 1.5 sekunder"."""

    name = "fake"

    def __init__(self) -> None:
        self.calls = 0

    def transcribe(self, audio: np.ndarray, *, options: DecodeOptions, context: str = "") -> Transcript:
        self.calls += 1
        seconds = len(audio) / 16_000
        return Transcript(text=f"lyd på {seconds:.1f} sekunder", language=options.language, duration=seconds,
                          engine=self.name)


class FakeAnalyzer:
    """Records the turns it is given and answers each with one question suggestion per turn."""

    def __init__(self, *, fail_on: str | None = None) -> None:
        self.turns: list[tuple[str, str]] = []
        self.marked: list[tuple[str, str]] = []
        self.fail_on = fail_on

    def add_turn(self, speaker: str, text: str, *, asr=None) -> AnalysisUpdate:  # noqa: ANN001
        if self.fail_on is not None and self.fail_on in text:
            raise ValueError("kan ikke analysere")
        index = len(self.turns)
        self.turns.append((speaker, text))
        return AnalysisUpdate(
            turn=TurnAnalysis(index=index, speaker=speaker), call=CallSignals(), assessment=Assessment(level="green"),
            suggestions=[Suggestion(suggestion_id=f"s{index}", kind="question", text="Hvad skete der så?")],
            coaching=Coaching(), changed=["suggestions"])

    def mark_suggestion(self, suggestion_id: str, action: str) -> None:
        self.marked.append((suggestion_id, action))
