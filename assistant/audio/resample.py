"""Streaming resampling of one channel to 16 kHz (FFmpeg's libswresample through PyAV)."""

from __future__ import annotations

import numpy as np

from assistant.audio.frames import SAMPLE_RATE


class StreamResampler:
    """Resamples one mono float32 stream to 16 kHz, block by block, keeping the filter state between blocks.

    libswresample (a windowed-sinc polyphase filter) is used because PyAV is already needed for MP3
    and it keeps state across blocks, which capture and WebSocket audio need. At 16 kHz it is a no-op.
    The total output length is exactly round(n_in * 16000 / rate) after `flush()`, so call times stay exact.
    """

    def __init__(self, rate: int) -> None:
        if rate <= 0:
            raise ValueError(f"sample rate must be positive, got {rate}")
        self.rate = int(rate)
        self._samples_in = 0
        self._samples_out = 0
        self._resampler = None
        if self.rate != SAMPLE_RATE:
            import av  # heavy-ish import, only when a conversion is needed

            self._av = av
            self._resampler = av.AudioResampler(format="fltp", layout="mono", rate=SAMPLE_RATE)

    def process(self, samples: np.ndarray) -> np.ndarray:
        """Resample a block; returns whatever output is ready (may be empty or a little delayed)."""
        samples = np.ascontiguousarray(samples, dtype=np.float32)
        self._samples_in += len(samples)
        if self._resampler is None:
            self._samples_out += len(samples)
            return samples
        if len(samples) == 0:
            return np.zeros(0, dtype=np.float32)
        frame = self._av.AudioFrame.from_ndarray(samples[None, :], format="fltp", layout="mono")
        frame.sample_rate = self.rate
        return self._collect(self._resampler.resample(frame))

    def flush(self) -> np.ndarray:
        """Drain the filter and pad/trim so the total length matches the input duration exactly."""
        out = np.zeros(0, dtype=np.float32)
        if self._resampler is not None:
            out = self._collect(self._resampler.resample(None))
        expected = round(self._samples_in * SAMPLE_RATE / self.rate)
        missing = expected - self._samples_out
        if missing > 0:
            out = np.concatenate([out, np.zeros(missing, dtype=np.float32)])
        elif missing < 0:
            out = out[: max(0, len(out) + missing)]
        self._samples_out = expected
        return out

    def _collect(self, frames) -> np.ndarray:
        if not frames:
            return np.zeros(0, dtype=np.float32)
        out = np.concatenate([f.to_ndarray()[0] for f in frames]).astype(np.float32, copy=False)
        self._samples_out += len(out)
        return out


def resample(samples: np.ndarray, rate: int) -> np.ndarray:
    """Resample a whole mono signal to 16 kHz in one go."""
    resampler = StreamResampler(rate)
    head = resampler.process(samples)
    return np.concatenate([head, resampler.flush()])
