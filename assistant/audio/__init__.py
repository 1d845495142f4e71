"""Audio sources: files, live capture and pushed PCM, all as 16 kHz float32 frames per channel in call time.

Frames are 32 ms (512 samples, `FRAME_SAMPLES`), exactly one Silero VAD window.
Heavy modules (soundfile, PyAV, sounddevice) load when a source is created.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.audio.frames import SAMPLE_RATE, SPEAKERS, AudioFrame, Speaker
from assistant.audio.source import (
    DEFAULT_CHANNEL_SPEAKERS,
    FRAME_SAMPLES,
    FRAME_SECONDS,
    AudioSource,
    FrameBlocker,
    speakers_for_channels,
)

if TYPE_CHECKING:
    from assistant.audio.capture import CaptureSource, InputDevice, list_devices
    from assistant.audio.file_source import FileSource
    from assistant.audio.open import open_source
    from assistant.audio.push_source import PushSource

_LAZY = {
    "FileSource": "assistant.audio.file_source",
    "PushSource": "assistant.audio.push_source",
    "CaptureSource": "assistant.audio.capture",
    "InputDevice": "assistant.audio.capture",
    "list_devices": "assistant.audio.capture",
    "find_device": "assistant.audio.capture",
    "format_device_table": "assistant.audio.capture",
    "open_source": "assistant.audio.open",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'assistant.audio' has no attribute {name!r}")


__all__ = [
    "SAMPLE_RATE", "SPEAKERS", "AudioFrame", "Speaker", "DEFAULT_CHANNEL_SPEAKERS", "FRAME_SAMPLES", "FRAME_SECONDS",
    "AudioSource", "FrameBlocker", "speakers_for_channels", *_LAZY,
]
