"""`StreamingSegmenter`: one channel's 32 ms frames in, `SpeechSegment`s out when an utterance ends."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from assistant.audio.frames import SAMPLE_RATE, AudioFrame, Speaker
from assistant.errors import SegmenterError
from assistant.vad.options import VadOptions
from assistant.vad.segment import SpeechSegment
from assistant.vad.silero import WINDOW_SAMPLES, SileroStream

_WINDOW_S = WINDOW_SAMPLES / SAMPLE_RATE
_GAP_TOLERANCE_S = 0.002  # frame starts are float sums; anything larger is a real gap in the audio


@dataclass
class _Window:
    start: float
    samples: np.ndarray
    prob: float
    rms: float


class StreamingSegmenter:
    """Turns one speaker's frames into utterances with Silero VAD, frame by frame.

    Per 32 ms window it costs one small ONNX call (~0.2 ms here); the model is shared by all segmenters,
    the LSTM state is per segmenter. Emits:

    - a final `SpeechSegment` when `min_silence_ms` of silence follow speech (or at `max_utterance_s`,
      cut at the quietest point, or at `flush()`);
    - interim segments (`final=False`, same `segment_id`) every `partial_every_s` of a long utterance;
    - a pause hint (`final=False`) after `pause_hint_ms` of silence, with exactly the samples the final
      segment will have if speech does not resume.

    Args:
        speaker: Speaker of this channel (copied into every segment).
        options: Segmentation options; defaults are tuned for Danish phone calls.
        id_prefix: Prefix of segment ids; default the speaker's first two letters ("ca", "ci", "un").
    """

    def __init__(self, speaker: Speaker, options: VadOptions | None = None, *, id_prefix: str | None = None) -> None:
        self.speaker = speaker
        self.options = options or VadOptions()
        self._prefix = id_prefix if id_prefix is not None else speaker[:2]
        self._vad = SileroStream()
        self._neg = self.options.effective_neg_threshold
        self._pad_windows = math.ceil(self.options.speech_pad_ms / 1000 / _WINDOW_S)
        self._silence_windows = math.ceil(self.options.min_silence_ms / 1000 / _WINDOW_S)
        hint = self.options.pause_hint_ms
        self._hint_windows = None if hint is None else max(self._pad_windows, math.ceil(hint / 1000 / _WINDOW_S))
        self._max_windows = int(self.options.max_utterance_s / _WINDOW_S)
        self._cut_windows = int(self.options.cut_window_s / _WINDOW_S)
        self._min_voiced = math.ceil(self.options.min_speech_ms / 1000 / _WINDOW_S)
        self._partial_windows = (None if self.options.partial_every_s is None
                                 else max(1, round(self.options.partial_every_s / _WINDOW_S)))
        self._count = 0
        self._next_time: float | None = None  # call time of the next sample expected
        self._pending = np.zeros(0, dtype=np.float32)
        self._preroll: deque[_Window] = deque(maxlen=max(1, self._pad_windows))
        self._reset_utterance()

    # -- public --------------------------------------------------------------------------------

    def push(self, frame: AudioFrame) -> list[SpeechSegment]:
        """Feed the next frame of this channel.

        Returns:
            Segments completed by this frame (usually none).

        Raises:
            SegmenterError: the frame starts before the previous one ended (frames out of order).
        """
        out: list[SpeechSegment] = []
        expected = self._next_time
        if expected is not None and abs(frame.start - expected) > _GAP_TOLERANCE_S:
            if frame.start < expected:
                raise SegmenterError(f"Lydblokke i forkert rækkefølge: {frame.start:.3f} s efter {expected:.3f} s "
                                     "(frames out of order).", code="vad-frame-order")
            out.extend(self.flush())  # a gap in the audio ends the utterance; start counting anew
            expected = None
        if expected is None:
            self._pending = np.zeros(0, dtype=np.float32)
            self._anchor, self._windows_seen = frame.start, 0  # window times = anchor + n × 32 ms: no drift
            self._vad.reset()
        self._next_time = frame.end
        samples = frame.samples if not len(self._pending) else np.concatenate([self._pending, frame.samples])
        usable = (len(samples) // WINDOW_SAMPLES) * WINDOW_SAMPLES
        self._pending = samples[usable:]
        if usable == 0:
            return out
        windows = samples[:usable].reshape(-1, WINDOW_SAMPLES)
        probs = self._vad.probabilities(windows)
        for i in range(windows.shape[0]):
            window = windows[i]
            rms = float(np.sqrt(np.dot(window, window) / WINDOW_SAMPLES))
            start = self._anchor + self._windows_seen * _WINDOW_S
            self._windows_seen += 1
            out.extend(self._step(_Window(start, window, float(probs[i]), rms)))
        return out

    def flush(self) -> list[SpeechSegment]:
        """End of audio: emit the running utterance (if it has enough speech) and reset."""
        out = []
        if self._windows and self._voiced >= self._min_voiced:
            out.append(self._final(upto=min(len(self._windows), self._last_voiced + 1 + self._pad_windows)))
        self._reset_utterance()
        self._preroll.clear()
        self._next_time = None
        return out

    @property
    def in_speech(self) -> bool:
        """Whether an utterance is running (speech started and has not ended yet)."""
        return bool(self._windows)

    # -- state machine -------------------------------------------------------------------------

    def _reset_utterance(self) -> None:
        self._windows: list[_Window] = []
        self._last_voiced = -1  # index of the last window that counts as speech (with hysteresis)
        self._voiced = 0  # windows at or above threshold
        self._in_silence = False
        self._hinted_at = -1  # last_voiced value a pause hint was sent for
        self._partial_at = 0  # number of windows when the last interim segment was sent

    def _step(self, window: _Window) -> list[SpeechSegment]:
        if not self._windows:
            if window.prob < self.options.threshold:
                self._preroll.append(window)
                return []
            self._windows = list(self._preroll)[-self._pad_windows:] if self._pad_windows else []
            self._preroll.clear()
        return self._after_step(self._add_window(window))

    def _add_window(self, window: _Window) -> int:
        """Append a window to the utterance and update the speech bookkeeping; returns its index."""
        self._windows.append(window)
        index = len(self._windows) - 1
        if window.prob >= self.options.threshold:
            self._voiced += 1
            self._last_voiced, self._in_silence = index, False
        elif window.prob < self._neg:
            self._in_silence = True
        elif not self._in_silence:
            self._last_voiced = index  # in the hysteresis band: speech goes on until a clear silence
        return index

    def _after_step(self, index: int) -> list[SpeechSegment]:
        silent = index - self._last_voiced
        if silent >= self._silence_windows:
            return self._end_utterance()
        if len(self._windows) >= self._max_windows:
            return self._cut()
        if self._voiced < self._min_voiced:
            return []
        if (self._hint_windows is not None and silent >= self._hint_windows
                and self._hinted_at != self._last_voiced):
            self._hinted_at = self._last_voiced
            return [self._segment(upto=self._last_voiced + 1 + self._pad_windows, final=False, pause_hint=True)]
        if (self._partial_windows is not None and silent == 0
                and len(self._windows) - self._partial_at >= self._partial_windows):
            self._partial_at = len(self._windows)
            return [self._segment(upto=len(self._windows), final=False)]
        return []

    def _end_utterance(self) -> list[SpeechSegment]:
        out = []
        if self._voiced >= self._min_voiced:
            out.append(self._final(upto=self._last_voiced + 1 + self._pad_windows))
        # The trailing silence becomes the pre-roll of the next utterance.
        tail = self._windows[-self._pad_windows:] if self._pad_windows else []
        self._reset_utterance()
        self._preroll.clear()
        self._preroll.extend(tail)
        return out

    def _cut(self) -> list[SpeechSegment]:
        """Cut an over-long utterance at its quietest point near the limit and continue after it."""
        first = max(1, len(self._windows) - self._cut_windows)
        probs = np.array([w.prob for w in self._windows])
        rms = np.array([w.rms for w in self._windows])
        smoothed = np.convolve(probs, np.ones(3) / 3, mode="same")  # prefer the middle of a pause to a dip
        loud = max(float(rms[first:].max()), 1e-9)
        score = smoothed[first:] + 0.5 * rms[first:] / loud
        cut = first + int(np.argmin(score))  # the window at the cut is the last one of this part
        rest = self._windows[cut + 1:]
        voiced_before = [i for i in range(cut + 1) if self._windows[i].prob >= self._neg]
        self._last_voiced = voiced_before[-1] if voiced_before else cut
        out = [self._final(upto=cut + 1)]
        # The remainder continues as a new utterance (contiguous audio, so no pre-roll); rebuild its
        # state from the kept probabilities without calling the model again.
        self._reset_utterance()
        self._preroll.clear()
        for window in rest:
            self._add_window(window)
        if self._windows:
            out.extend(self._after_step(len(self._windows) - 1))
        return out

    # -- segments ------------------------------------------------------------------------------

    def _final(self, *, upto: int) -> SpeechSegment:
        segment = self._segment(upto=upto, final=True)
        self._count += 1
        return segment

    def _segment(self, *, upto: int, final: bool, pause_hint: bool = False) -> SpeechSegment:
        windows = self._windows[:upto]
        samples = np.concatenate([w.samples for w in windows])
        last = self._windows[min(self._last_voiced, len(self._windows) - 1)]
        return SpeechSegment(speaker=self.speaker, start=windows[0].start, samples=samples,
                             speech_end=min(last.start + _WINDOW_S, windows[-1].start + _WINDOW_S),
                             final=final, segment_id=f"{self._prefix}-{self._count + 1}", pause_hint=pause_hint)
