"""Fixtures: a temp data dir with the reassembled bundled model, the real engine, synthetic speech."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

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


@pytest.fixture(scope="session")
def speech_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("speech")


@pytest.fixture(scope="session")
def danish_speech(speech_dir) -> np.ndarray:
    return synthesize("Jeg har ventet i flere uger på et svar fra kommunen, og det er ikke i orden.",
                      voice="da", workdir=speech_dir, name="da")


@pytest.fixture(scope="session")
def english_speech(speech_dir) -> np.ndarray:
    return synthesize("I am sorry, I do not speak Danish very well. Can we please talk in English?",
                      voice="en", workdir=speech_dir, name="en")


@pytest.fixture(scope="session")
def model_data_dir(tmp_path_factory) -> Path:
    """A data dir whose bundled model is reassembled once for the whole session."""
    from assistant.transcription.models import bundled_model_dir, ensure_bundled_model

    data_dir = tmp_path_factory.mktemp("data")
    ensure_bundled_model(bundled_model_dir(data_dir))
    return data_dir


@pytest.fixture
def data_dir_env(model_data_dir, monkeypatch):
    """ASSISTANT_DATA_DIR pointing at the session's data dir, for commands that read the settings."""
    from assistant.config import get_settings

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(model_data_dir))
    get_settings.cache_clear()
    yield model_data_dir
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def test_settings(model_data_dir):
    from assistant.config import Settings

    return Settings(data_dir=model_data_dir, engine="faster-whisper", model="bundled", device="cpu")


@pytest.fixture(scope="session")
def whisper_engine(test_settings):
    """The real faster-whisper engine with the bundled Whisper base model."""
    from assistant.transcription.service import load_engine

    return load_engine(test_settings)


@pytest.fixture
def settings_ns(model_data_dir):
    return SimpleNamespace(data_dir=model_data_dir)
