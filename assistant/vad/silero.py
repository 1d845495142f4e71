"""Silero VAD (the ONNX model faster-whisper ships) run as a stream: one shared session, state per stream."""

from __future__ import annotations

import functools

import numpy as np

from assistant.errors import SegmenterError

WINDOW_SAMPLES = 512
"""Silero's window at 16 kHz (32 ms)."""

_CONTEXT_SAMPLES = 64  # the v5/v6 model sees the last 64 samples of the previous window in front of each window


@functools.lru_cache(maxsize=1)
def shared_session():
    """The ONNX Runtime session of faster-whisper's Silero model, loaded once per process.

    Raises:
        SegmenterError: faster-whisper or onnxruntime is missing or the model cannot be loaded.
    """
    try:
        from faster_whisper.vad import get_vad_model
    except ImportError as err:
        raise SegmenterError("Stemmeaktivitetsdetektion kræver faster-whisper (pip install faster-whisper).",
                             code="vad-missing-model") from err
    try:
        return get_vad_model().session  # InferenceSession.run is thread-safe, so all streams share it
    except Exception as err:
        raise SegmenterError(f"Silero VAD-modellen kunne ikke indlæses: {err}", code="vad-missing-model") from err


class SileroStream:
    """Speech probabilities for consecutive 512-sample windows of one audio stream.

    Keeps the LSTM state and the 64-sample context between calls, so feeding windows one by one gives the
    same probabilities as faster-whisper's offline pass over the whole signal.
    """

    def __init__(self) -> None:
        self._session = shared_session()
        self.reset()

    def reset(self) -> None:
        """Forget the stream (after a gap in the audio)."""
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(_CONTEXT_SAMPLES, dtype=np.float32)

    def probabilities(self, windows: np.ndarray) -> np.ndarray:
        """Speech probability per window.

        Args:
            windows: float32 array of shape (n, 512), consecutive in time.

        Returns:
            float32 array of n probabilities in [0, 1].
        """
        n = windows.shape[0]
        batch = np.empty((n, WINDOW_SAMPLES + _CONTEXT_SAMPLES), dtype=np.float32)
        batch[0, :_CONTEXT_SAMPLES] = self._context
        if n > 1:
            batch[1:, :_CONTEXT_SAMPLES] = windows[:-1, -_CONTEXT_SAMPLES:]
        batch[:, _CONTEXT_SAMPLES:] = windows
        probs, self._h, self._c = self._session.run(None, {"input": batch, "h": self._h, "c": self._c})
        self._context = windows[-1, -_CONTEXT_SAMPLES:].copy()
        return np.asarray(probs, dtype=np.float32).reshape(n)
