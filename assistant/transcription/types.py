"""Value types of the transcription stage: decode options, the engine protocol and its result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

import numpy as np

from assistant.config import DEFAULT_LANGUAGES

WordTimestamps = Literal["aligned", "estimated", "none"]
EncoderWindow = Literal["auto", "full"]


@dataclass(frozen=True)
class GuardOptions:
    """When to drop or clean text that Whisper invents on silence and noise.

    Attributes:
        no_speech_threshold: Drop the text when the no-speech probability is above this ...
        log_prob_threshold: ... and the average log-probability is below this (Whisper's own rule) ...
        min_words_per_second: ... unless the text has at least this many words per second of audio:
            phantom text on noise is short ("you", "Det er en kæmpe."), while synthetic Danish speech
            can score no-speech 0.69 / log-prob -1.45 and still be 25 words of real content.
        compression_ratio_threshold: Text that gzip-compresses better than this is a loop; it is
            cleaned, and dropped if still above after cleaning.
        min_repeats: An n-gram (1–8 words) repeated this many times in a row is a loop; one copy is kept.
        min_rms: Audio quieter than this RMS is silence and is not decoded at all.
        phantom_phrases: Drop known phantom phrases ("Tak fordi du så med", …) from the text; the list
            is `phantom_phrases.txt` next to this module.
    """

    no_speech_threshold: float = 0.6
    log_prob_threshold: float = -1.0
    min_words_per_second: float = 2.0
    compression_ratio_threshold: float = 2.4
    min_repeats: int = 3
    min_rms: float = 0.002
    phantom_phrases: bool = True


@dataclass(frozen=True)
class DecodeOptions:
    """How an engine decodes one utterance. Defaults are the measured low-latency choices.

    Attributes:
        language: Default decoding language (ISO 639-1); Danish.
        languages: Languages that language identification may answer; others are ignored and the
            probabilities are renormalised over this set.
        language_switch_threshold: Decode in another allowed language only when its (renormalised)
            probability is at least this; otherwise decode in `language`. Probabilities are reported
            either way.
        language_switch_min_share: ... and only when the model gave that language at least this share
            of its whole (unrestricted) distribution. Renormalising inflates a weak answer when most
            mass sat on excluded languages (synthetic Danish: Thai 0.45, English 0.12 → English 0.8 of
            the allowed set); clear English speech scores ~0.97 unrestricted.
        detect_language: Run language identification (on the same encoder output; ~0.02 s).
        beam_size: 1 = greedy, which is what keeps a CPU real-time; 5 is Whisper's offline default.
        word_timestamps: `aligned` (cross-attention alignment, ~0.05–0.15 s extra), `estimated`
            (spread over the voiced part by word length; free) or `none`.
        encoder_window: `auto` encodes only a window of `window_factor` × the utterance's mel frames
            (at least `window_floor_frames`) instead of Whisper's fixed 3000 (30 s) and falls back to
            the full window when the result looks bad (empty text that is not silence, a loop, or an
            average log-probability below `window_fallback_log_prob`); `full` always pads to 30 s.
        window_factor: Window size relative to the utterance's frames in `auto` mode. On the 71
            utterances of the sample calls 1.3× decoded 13 % faster than 2× at the same word error rate
            (69.7 % vs 71.2 %); 1.0× (no room after the speech) rose to 82.7 % with loops.
        window_floor_frames: Smallest window in `auto` mode (100 frames = 1 s). 600 decoded speech as
            well as 1000 but turned 3 s of white noise or mains hum into a made-up Danish phrase, which
            800 and 1000 left empty; 400 drifted into loops and other languages (83 %).
        window_fallback_log_prob: Retry with the full window below this average log-probability.
            Synthetic Danish decodes at -0.9…-1.6 at both window sizes (the full window was not
            better), noise at -1.3…-2.2 (dropped by the guard either way), so Whisper's usual -1.0
            would double the cost of most utterances for nothing; only a broken result retries.
        no_repeat_ngram_size: Forbid repeating any n-gram of this many tokens (0 = off). Greedy Whisper
            base falls into loops ("være med til at være med til at …"), more often with the short
            window; each loop runs to the token cap and then costs a full-window retry. On 36
            synthetic Danish clips 3 cut decode CPU by 15 % with equal word error rate (70.3 % vs
            71.1 %); a legitimately repeated three-token phrase gets reworded.
        repetition_penalty: Penalty on tokens already generated (1.0 = off).
        max_tokens_per_second: Cap on generated tokens per second of audio (+ 16), which bounds the
            cost of a repetition loop; Danish speech needs about 5.
        guard: The hallucination guard.
    """

    language: str = "da"
    languages: tuple[str, ...] = tuple(DEFAULT_LANGUAGES)
    language_switch_threshold: float = 0.8
    language_switch_min_share: float = 0.5
    detect_language: bool = True
    beam_size: int = 1
    word_timestamps: WordTimestamps = "aligned"
    encoder_window: EncoderWindow = "auto"
    window_factor: float = 1.3
    window_floor_frames: int = 800
    window_fallback_log_prob: float = -2.0
    no_repeat_ngram_size: int = 3
    repetition_penalty: float = 1.0
    max_tokens_per_second: float = 12.0
    guard: GuardOptions = field(default_factory=GuardOptions)

    @classmethod
    def from_settings(cls, settings, **overrides) -> DecodeOptions:
        """Options from the app settings (language, allowed languages, threshold, beam size)."""
        values = dict(language=settings.language, languages=tuple(settings.languages),
                      language_switch_threshold=settings.language_switch_threshold,
                      beam_size=settings.beam_size)
        for name in ("word_timestamps", "encoder_window"):
            if hasattr(settings, name):  # optional settings fields
                values[name] = getattr(settings, name)
        values.update(overrides)
        return cls(**values)


@dataclass(frozen=True)
class TranscriptWord:
    """One word with times in seconds relative to the start of the decoded audio."""

    start: float
    end: float
    word: str
    probability: float


@dataclass(frozen=True)
class Transcript:
    """What an engine returns for one piece of audio.

    Attributes:
        text: The text ("" when the guard dropped it).
        words: Words with times relative to the audio start (empty without word timestamps).
        language: Language the text was decoded in.
        language_probs: Language identification over the allowed languages, renormalised, highest
            first (empty if the engine cannot identify languages).
        avg_logprob: Average token log-probability (None if the engine has none).
        no_speech_prob: Probability of the no-speech token (None if the engine has none).
        compression_ratio: gzip ratio of the text (high = repetitive).
        dropped: Why the guard dropped or cleaned text (`silence`, `no-speech`, `phantom`, `repetition`,
            `compression`), else None.
        encoder_frames: Mel frames the encoder saw (Whisper engines; 3000 = full window).
        duration: Seconds of audio decoded.
        engine: Engine and model label.
    """

    text: str
    words: list[TranscriptWord] = field(default_factory=list)
    language: str = "da"
    language_probs: dict[str, float] = field(default_factory=dict)
    avg_logprob: float | None = None
    no_speech_prob: float | None = None
    compression_ratio: float | None = None
    dropped: str | None = None
    encoder_frames: int | None = None
    duration: float = 0.0
    engine: str = ""


@runtime_checkable
class TranscriptionEngine(Protocol):
    """Anything that turns 16 kHz float32 mono audio into a `Transcript`."""

    name: str

    def transcribe(self, audio: np.ndarray, *, options: DecodeOptions, context: str = "") -> Transcript:
        """Transcribe one utterance (16 kHz float32 mono).

        `context` is text spoken just before this audio (the earlier part of the same utterance); engines
        that can condition on it (Whisper's previous-text prompt) do, others ignore it.
        """
        ...
