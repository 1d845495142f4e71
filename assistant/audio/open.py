"""`open_source(spec, settings)`: one place that turns a user's source description into an `AudioSource`."""

from __future__ import annotations

from pathlib import Path

from assistant.audio.capture import CaptureSource
from assistant.audio.file_source import FileSource
from assistant.audio.source import AudioSource
from assistant.config import get_settings
from assistant.errors import AudioError

CAPTURE_PREFIX = "device:"
"""`device:` opens the default input; `device:NAME` one device; `device:HEADSET+LOOPBACK` two devices."""


def open_source(spec: str | Path, settings=None, *, realtime: bool = False) -> AudioSource:
    """Open a file or capture devices.

    Args:
        spec: A file path, or `device:` / `device:NAME` / `device:NAME1+NAME2` (names, parts of names or indexes).
        settings: `assistant.config.Settings` (for `channel_speakers`); None uses `get_settings()`.
        realtime: For files: pace frames at wall-clock speed like a live call.

    Returns:
        A `FileSource` or a `CaptureSource`.

    Raises:
        AudioError: the file cannot be read. DeviceError: a device is missing (the message lists devices).
    """
    if settings is None:
        settings = get_settings()
    speakers = tuple(settings.channel_speakers)
    text = str(spec)
    if text.startswith(CAPTURE_PREFIX):
        names = [part.strip() for part in text[len(CAPTURE_PREFIX):].split("+")]
        if len(names) > 2:
            raise AudioError("Højst to optageenheder (headset + opkaldslyd).", code="audio-too-many-devices")
        return CaptureSource([name for name in names if name] or None, channel_speakers=speakers)

    return FileSource(text, realtime=realtime, channel_speakers=speakers)
