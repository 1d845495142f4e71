"""The real bundled model and espeak-ng speech, shared with the transcription tests."""

from tests.transcription.conftest import model_data_dir, speech_dir, test_settings, whisper_engine  # noqa: F401
