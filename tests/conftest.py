"""Suite-wide test settings and the fixtures several areas share: the real bundled model and synthetic speech.

They live here (not in one area's conftest imported by others) so pytest builds each session fixture once.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import settings

from speech import synthesize

# In CI the property tests draw the same examples every run (a red CI is then reproducible);
# on a developer's machine they stay random, so new inputs keep being tried.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def speech_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("speech")


@pytest.fixture(scope="session")
def danish_speech(speech_dir) -> np.ndarray:
    return synthesize("Der er gået mange uger, uden at kommunen har svaret mig, og det synes jeg er for dårligt.",
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
