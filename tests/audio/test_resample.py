"""StreamResampler: block-wise resampling equals one-shot resampling, exact length, anti-aliasing."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.audio import SAMPLE_RATE
from assistant.audio.resample import StreamResampler, resample


@pytest.mark.parametrize("rate", [8000, 11025, 22050, 44100, 48000])
def test_blockwise_equals_one_shot_and_length_is_exact(rate: int) -> None:
    signal = np.random.default_rng(rate).standard_normal(rate * 2).astype(np.float32) * 0.1
    whole = resample(signal, rate)
    stream = StreamResampler(rate)
    parts = [stream.process(signal[i:i + 333]) for i in range(0, len(signal), 333)] + [stream.flush()]
    blockwise = np.concatenate(parts)
    assert len(whole) == len(blockwise) == round(len(signal) * SAMPLE_RATE / rate)
    np.testing.assert_allclose(blockwise, whole, atol=1e-5)


def test_16khz_passes_through_unchanged() -> None:
    signal = np.linspace(-1, 1, 1000, dtype=np.float32)
    np.testing.assert_array_equal(resample(signal, SAMPLE_RATE), signal)


def test_tones_above_8khz_are_filtered_out_not_aliased() -> None:
    rate = 48000
    t = np.arange(rate) / rate
    kept = resample((0.5 * np.sin(2 * np.pi * 3000 * t)).astype(np.float32), rate)
    aliased = resample((0.5 * np.sin(2 * np.pi * 11000 * t)).astype(np.float32), rate)  # would fold to 5 kHz
    assert np.sqrt(np.mean(kept ** 2)) == pytest.approx(0.5 / np.sqrt(2), rel=0.05)
    assert np.sqrt(np.mean(aliased[100:-100] ** 2)) < 0.01 * np.sqrt(np.mean(kept ** 2))
