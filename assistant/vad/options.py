"""`VadOptions`: how the streaming segmenter decides where an utterance starts and ends."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.errors import SegmenterError


@dataclass(frozen=True)
class VadOptions:
    """Options of `StreamingSegmenter`. Times are in ms or s as the name says.

    Defaults are tuned on the sample calls (espeak-ng Danish, 135–180 words/min) and on what is known about
    pauses in natural Danish speech: pauses at commas and breaths are mostly 100–400 ms, between sentences
    of one turn up to ~500 ms, turn gaps on the phone 0.5–1.2 s. On the samples a 450 ms gap split 6 of 62
    turns between sentences, 500 ms split 4, 550 ms none (the slowest voice pauses ~520 ms at full stops);
    600 ms keeps that margin. The latency cost of the longer gap is taken back by the pause hint at 192 ms
    (the shortest the 192 ms padding allows): the session starts decoding then, 408 ms before the final
    segment, and reuses the result (on the samples every final segment had an identical hint before it).
    In `assistant bench` (2 calls at once) moving the hint from 288 to 192 ms took p50 from 1.54 to 1.10 s.

    Attributes:
        threshold: Silero speech probability at or above which a 32 ms window counts as speech.
        neg_threshold: Below this a window counts as silence; between the two, a running utterance is
            continued but a silence already started is not ended (hysteresis). None = threshold - 0.15.
        min_silence_ms: Silence after the last voiced window that ends an utterance (the end-of-utterance gap).
            Shorter = lower latency but a risk of splitting sentences at commas/hesitations.
        speech_pad_ms: Audio kept before the first and after the last voiced window, so word onsets and
            endings are not clipped. Must not exceed `min_silence_ms`.
        min_speech_ms: Utterances with less voiced audio than this (clicks, coughs, line noise) are dropped.
        max_utterance_s: Longest utterance; a longer one is cut at the quietest point in the last
            `cut_window_s` before this limit, and continues as a new utterance with a new id. 15 s stays well
            inside Whisper's 30 s window and keeps a reduced encoder window (audio_ctx) cheap.
        cut_window_s: How far back from `max_utterance_s` the segmenter looks for the quietest point.
        partial_every_s: Emit an interim segment (final=False, same id, all audio so far) every this many
            seconds of a running utterance, for partial text; None = no interim segments.
        pause_hint_ms: When speech has paused this long (but not yet `min_silence_ms`), emit an interim
            segment whose samples are exactly those of the final segment if speech does not resume, so a
            transcriber may start decoding early and reuse the result when the final segment (same
            `segment_id` and `speech_end`) follows. None = no pause hints.
    """

    threshold: float = 0.5
    neg_threshold: float | None = None
    min_silence_ms: int = 600
    speech_pad_ms: int = 192
    min_speech_ms: int = 160
    max_utterance_s: float = 15.0
    cut_window_s: float = 3.0
    partial_every_s: float | None = 4.0
    pause_hint_ms: int | None = 192

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold < 1.0:
            raise SegmenterError(f"VadOptions.threshold skal ligge mellem 0 og 1, fik {self.threshold}")
        if self.neg_threshold is not None and not 0.0 <= self.neg_threshold <= self.threshold:
            raise SegmenterError("VadOptions.neg_threshold skal ligge mellem 0 og threshold")
        if self.min_silence_ms < 32:
            raise SegmenterError("VadOptions.min_silence_ms skal være mindst 32 ms (ét VAD-vindue)")
        if not 0 <= self.speech_pad_ms <= self.min_silence_ms:
            raise SegmenterError("VadOptions.speech_pad_ms skal ligge mellem 0 og min_silence_ms")
        if self.max_utterance_s < 2 * self.cut_window_s or self.cut_window_s <= 0:
            raise SegmenterError("VadOptions.max_utterance_s skal være mindst 2 × cut_window_s (og cut_window_s > 0)")
        if self.partial_every_s is not None and self.partial_every_s <= 0:
            raise SegmenterError("VadOptions.partial_every_s skal være positiv eller None")
        if self.pause_hint_ms is not None and not 0 < self.pause_hint_ms < self.min_silence_ms:
            raise SegmenterError("VadOptions.pause_hint_ms skal ligge mellem 0 og min_silence_ms (eller None)")

    @property
    def effective_neg_threshold(self) -> float:
        return self.neg_threshold if self.neg_threshold is not None else max(self.threshold - 0.15, 0.01)
