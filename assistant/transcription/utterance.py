"""What the transcriber produces for one speaker's utterance: its text, words and timing in call time."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.audio.frames import Speaker


class Word(BaseModel):
    start: float
    end: float
    word: str
    probability: float


class Utterance(BaseModel):
    """One speaker's transcribed utterance.

    Attributes:
        utterance_id: Stable id; partial and final text of one utterance share it.
        speaker: Who spoke (from the channel mapping).
        text: The transcript ("" if the guard dropped a hallucination).
        start / end: Call time of the audio in seconds.
        speech_end: Call time of the last voiced frame (latency is measured from here).
        words: Word timings in call time.
        language: The language the text was decoded in (ISO 639-1).
        language_probs: Language identification over the allowed languages, highest first.
        avg_logprob / no_speech_prob: The decoder's confidence.
        engine: Which engine and model produced it.
    """

    utterance_id: str
    speaker: Speaker
    text: str
    start: float
    end: float
    speech_end: float
    words: list[Word] = Field(default_factory=list)
    language: str = "da"
    language_probs: dict[str, float] = Field(default_factory=dict)
    avg_logprob: float | None = None
    no_speech_prob: float | None = None
    engine: str = ""
