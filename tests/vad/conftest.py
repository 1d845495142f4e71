"""Fixtures for the VAD tests: the sample calls read once per session, split per channel."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.audio import FileSource
from assistant.audio.frames import AudioFrame
from assistant.paths import SAMPLES_DIR


def timeline(wav: Path) -> dict:
    return json.loads(wav.with_name(wav.stem + ".timeline.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def sample_frames() -> dict[str, list[AudioFrame]]:
    """Every sample call's frames, by file stem (read once; the VAD tests replay them)."""
    return {path.stem: list(FileSource(path).frames()) for path in sorted(SAMPLES_DIR.glob("*.wav"))}


def frames_from(samples: np.ndarray, *, speaker: str = "citizen", start: float = 0.0, size: int = 512) -> list[AudioFrame]:
    """Cut a mono 16 kHz signal into frames as a source would."""
    return [AudioFrame(speaker=speaker, channel=0, start=start + i / 16000, samples=samples[i:i + size].astype(np.float32))
            for i in range(0, len(samples), size)]
