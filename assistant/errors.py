"""Error types: one `AssistantError(code, message)` with one subclass per stage."""

from __future__ import annotations


class AssistantError(Exception):
    """An error a user can act on. `code` is stable (kebab-case), `message` is human text."""

    code: str = "assistant-error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class ConfigError(AssistantError):
    code = "config-invalid"


class ModelError(AssistantError):
    """The transcription model could not be found, verified or loaded."""

    code = "model-error"


class AudioError(AssistantError):
    """An audio file or capture device could not be read."""

    code = "audio-error"


class DeviceError(AudioError):
    code = "audio-device-error"


class SegmenterError(AssistantError):
    code = "vad-error"


class TranscriptionError(AssistantError):
    code = "stt-error"


class AnalysisError(AssistantError):
    code = "analysis-error"


class SessionError(AssistantError):
    code = "session-error"


class StoreError(AssistantError):
    code = "store-error"
