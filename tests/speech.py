"""Synthetic speech for the tests that need a voice: espeak-ng, resampled to 16 kHz mono with sox."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

SAMPLE_RATE = 16_000


def synthesize(text: str, *, voice: str, workdir: Path, name: str) -> np.ndarray:
    """Speak `text` with espeak-ng and resample to 16 kHz mono float32 with sox."""
    if shutil.which("espeak-ng") is None or shutil.which("sox") is None:
        pytest.skip("espeak-ng and sox are installed by scripts/setup.sh")
    raw, out = workdir / f"{name}.raw.wav", workdir / f"{name}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(raw), text], check=True, capture_output=True)
    subprocess.run(["sox", str(raw), "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(out),
                    "pad", "0.2", "0.3"], check=True, capture_output=True)
    audio, rate = sf.read(out, dtype="float32")
    assert rate == SAMPLE_RATE
    return audio
