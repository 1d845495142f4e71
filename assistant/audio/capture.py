"""`CaptureSource`: live call audio from sound devices via sounddevice (PortAudio), as 16 kHz frames."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from assistant.audio.frames import SAMPLE_RATE, AudioFrame, Speaker
from assistant.audio.resample import StreamResampler
from assistant.audio.source import DEFAULT_CHANNEL_SPEAKERS, FrameBlocker, speakers_for_channels
from assistant.errors import DeviceError

_BLOCK_SECONDS = 0.032  # PortAudio callback size; matches the 32 ms frames, keeps capture latency low
_STOP = object()


@dataclass(frozen=True)
class InputDevice:
    """A sound device that can record.

    Attributes:
        index: PortAudio device index (what `--device` accepts besides the name).
        name: Device name as PortAudio reports it.
        hostapi: Host API (ALSA, PulseAudio, …).
        max_input_channels: Channels it can record.
        default_samplerate: Its preferred rate in Hz.
        is_default: Whether it is the system's default input.
    """

    index: int
    name: str
    hostapi: str
    max_input_channels: int
    default_samplerate: float
    is_default: bool


def _sounddevice():
    try:
        import sounddevice
    except OSError as err:  # the PortAudio library itself is missing
        raise DeviceError("PortAudio mangler (apt install libportaudio2); lydoptagelse er ikke mulig.",
                          code="audio-no-portaudio") from err
    return sounddevice


def list_devices(*, refresh: bool = False) -> list[InputDevice]:
    """List the input devices PortAudio knows.

    Args:
        refresh: Re-scan (PortAudio reads the device list once per process; e.g. after starting PulseAudio).
            Do not refresh while a capture is running.

    Returns:
        Input-capable devices in PortAudio order.
    """
    sd = _sounddevice()
    if refresh:
        sd._terminate()  # the documented way to re-scan in sounddevice is re-initialising PortAudio
        sd._initialize()
    hostapis = sd.query_hostapis()
    try:
        default_input = sd.default.device[0]
        if default_input is None or default_input < 0:
            default_input = sd.query_hostapis(0)["default_input_device"]
    except Exception:
        default_input = -1
    devices = []
    for index, info in enumerate(sd.query_devices()):
        if info["max_input_channels"] <= 0:
            continue
        devices.append(InputDevice(index=index, name=info["name"], hostapi=hostapis[info["hostapi"]]["name"],
                                   max_input_channels=int(info["max_input_channels"]),
                                   default_samplerate=float(info["default_samplerate"]),
                                   is_default=index == default_input))
    return devices


def format_device_table(devices: Sequence[InputDevice]) -> str:
    """A plain-text table of input devices (Danish headings with English in parentheses)."""
    if not devices:
        return "Ingen input-enheder fundet (no input devices found)."
    header = f"{'Nr':>3}  {'Navn (name)':<40} {'System':<10} {'Kanaler':>7} {'Hz':>7}"
    rows = [header, "-" * len(header)]
    for d in devices:
        mark = " *" if d.is_default else ""
        rows.append(f"{d.index:>3}  {d.name[:40]:<40} {d.hostapi[:10]:<10} {d.max_input_channels:>7} "
                    f"{d.default_samplerate:>7.0f}{mark}")
    if any(d.is_default for d in devices):
        rows.append("* = standard-input (default input)")
    return "\n".join(rows)


def find_device(spec: int | str | None, devices: Sequence[InputDevice] | None = None) -> InputDevice:
    """Resolve a device by index, exact name or unique part of its name; None means the default input.

    Raises:
        DeviceError: no such device, or the name matches several; the message lists the input devices.
    """
    devices = list_devices() if devices is None else list(devices)
    if spec is None or spec == "":
        for device in devices:
            if device.is_default:
                return device
        raise DeviceError(_with_table("Der er ingen standard-input-enhed (no default input device).", devices),
                          code="audio-device-not-found")
    if isinstance(spec, int) or (isinstance(spec, str) and spec.strip().isdigit()):
        index = int(spec)
        for device in devices:
            if device.index == index:
                return device
        raise DeviceError(_with_table(f"Input-enhed nr. {index} findes ikke (unknown input device).", devices),
                          code="audio-device-not-found")
    exact = [d for d in devices if d.name == spec]
    if exact:
        return exact[0]
    partial = [d for d in devices if spec.lower() in d.name.lower()]
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise DeviceError(_with_table(f"Navnet {spec!r} passer på flere input-enheder (ambiguous device name).",
                                      partial), code="audio-device-ambiguous")
    raise DeviceError(_with_table(f"Input-enheden {spec!r} findes ikke (unknown input device).", devices),
                      code="audio-device-not-found")


def _with_table(message: str, devices: Sequence[InputDevice]) -> str:
    return f"{message}\nTilgængelige input-enheder (available input devices):\n{format_device_table(devices)}"


class CaptureSource:
    """Records a live call from one stereo device or two devices and yields 32 ms 16 kHz frames.

    With one device, a stereo device gives two channels mapped by `channel_speakers` (a mono device gives
    `unknown`). With two devices, the first is the caseworker's headset microphone (channel 0) and the
    second the call-audio loopback (channel 1); each is mixed down to mono. Each stream is recorded at
    16 kHz when the device allows it, else at its own rate and resampled. PortAudio's callback only copies
    the block into a queue; resampling and framing happen in `frames()`'s thread. Recording starts in the
    constructor, so device errors surface before any frame.

    Args:
        devices: None (the default input), one device, or two devices [headset mic, call-audio loopback];
            each an index, a name or a unique part of a name.
        channel_speakers: Speakers of channel 0 and 1.
        samplerate: Force a capture rate (Hz); None tries 16 kHz, then the device's default.

    Raises:
        DeviceError: a device is missing, ambiguous or cannot be opened; the message lists the devices.
    """

    def __init__(self, devices: int | str | Sequence[int | str] | None = None, *,
                 channel_speakers: Sequence[str] = DEFAULT_CHANNEL_SPEAKERS,
                 samplerate: int | None = None) -> None:
        sd = _sounddevice()
        specs: list[int | str | None]
        if devices is None or isinstance(devices, (int, str)):
            specs = [devices]
        else:
            specs = list(devices) or [None]
        if len(specs) > 2:
            raise DeviceError(f"Højst to optageenheder (headset + opkaldslyd), fik {len(specs)}.",
                              code="audio-too-many-devices")
        available = list_devices()
        chosen = [find_device(spec, available) for spec in specs]
        self.devices = chosen
        self._queue: queue.Queue = queue.Queue()
        self._closed = threading.Event()
        self.overflows = 0
        """Blocks PortAudio reported as overflowed (audio lost because the machine was too busy)."""

        if len(chosen) == 1:
            channels = min(2, chosen[0].max_input_channels)
            self.speakers: list[Speaker] = speakers_for_channels(channels, channel_speakers)
            stream_channels = [channels]
        else:
            self.speakers = speakers_for_channels(2, channel_speakers)
            stream_channels = [min(2, d.max_input_channels) for d in chosen]
        self._streams = []
        self._rates: list[int] = []
        try:
            for stream_index, (dev, channels) in enumerate(zip(chosen, stream_channels)):
                rate = samplerate or self._pick_rate(sd, dev, channels)
                stream = sd.InputStream(device=dev.index, channels=channels, samplerate=rate, dtype="float32",
                                        blocksize=max(1, int(rate * _BLOCK_SECONDS)),
                                        callback=self._callback_for(stream_index))
                self._streams.append(stream)
                self._rates.append(rate)
            for stream in self._streams:
                stream.start()
        except DeviceError:
            self.close()
            raise
        except Exception as err:
            self.close()
            names = " + ".join(d.name for d in chosen)
            raise DeviceError(_with_table(f"Lydenheden {names!r} kunne ikke åbnes (cannot open device): {err}",
                                          available), code="audio-device-failed") from err
        names = " + ".join(d.name for d in chosen)
        self.description = f"Optagelse: {names} ({', '.join(f'{r} Hz' for r in self._rates)})"

    @staticmethod
    def _pick_rate(sd, device: InputDevice, channels: int) -> int:
        try:
            sd.check_input_settings(device=device.index, channels=channels, samplerate=SAMPLE_RATE, dtype="float32")
            return SAMPLE_RATE
        except Exception:
            return int(device.default_samplerate)

    def _callback_for(self, stream_index: int):
        def callback(indata, frames, time_info, status) -> None:
            # Runs on PortAudio's thread: copy and hand over, nothing else.
            if status.input_overflow:
                self.overflows += 1
            self._queue.put((stream_index, indata.copy()))

        return callback

    def frames(self) -> Iterator[AudioFrame]:
        """Yield frames while recording; returns after `close()` (remaining audio is flushed first)."""
        resamplers = [StreamResampler(self._rates[0 if len(self._streams) == 1 else i])
                      for i in range(len(self.speakers))]
        blockers = [FrameBlocker(speaker=s, channel=i) for i, s in enumerate(self.speakers)]
        while True:
            item = self._queue.get()
            if item is _STOP:
                break
            stream_index, block = item
            if len(self._streams) == 1:
                channel_blocks = [(i, block[:, i]) for i in range(len(self.speakers))]
            else:
                channel_blocks = [(stream_index, block.mean(axis=1))]
            for channel, samples in channel_blocks:
                yield from blockers[channel].push(resamplers[channel].process(samples))
        for resampler, blocker in zip(resamplers, blockers):
            yield from blocker.push(resampler.flush()) + blocker.flush()

    def close(self) -> None:
        """Stop recording and end `frames()`. Safe to call twice."""
        if self._closed.is_set():
            return
        self._closed.set()
        for stream in getattr(self, "_streams", []):
            try:
                stream.stop()
                stream.close()
            except Exception:  # closing a half-opened PortAudio stream must not hide the real error
                pass
        self._queue.put(_STOP)

    def __enter__(self) -> CaptureSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
