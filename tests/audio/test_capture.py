"""Live capture end to end through PulseAudio (real sound server, real PortAudio), and device errors."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.audio import CaptureSource
from assistant.audio.capture import InputDevice, find_device, list_devices
from assistant.errors import DeviceError
from assistant.vad import StreamingSegmenter

from .conftest import sox, timeline


def test_unknown_device_error_lists_the_available_devices() -> None:
    devices = [InputDevice(0, "pulse", "ALSA", 32, 44100.0, False),
               InputDevice(1, "USB Headset Mic", "ALSA", 1, 48000.0, True)]
    with pytest.raises(DeviceError) as info:
        find_device("Jabra Evolve", devices)
    message = info.value.message
    assert "findes ikke" in message and "Jabra Evolve" in message
    assert "pulse" in message and "USB Headset Mic" in message  # the list of devices to choose from
    assert info.value.code == "audio-device-not-found"
    assert find_device("headset", devices).index == 1  # unique part of a name, any case
    assert find_device("0", devices).name == "pulse"
    assert find_device(None, devices).is_default


def test_missing_device_on_this_machine_gives_device_error_with_list() -> None:
    with pytest.raises(DeviceError) as info:
        CaptureSource("no-such-device-xyz")
    assert "Tilgængelige input-enheder" in info.value.message
    for device in list_devices():
        assert device.name in info.value.message


@pytest.mark.slow
def test_live_capture_from_pulseaudio_gives_utterances_for_both_speakers(pulse_server, audio_dir: Path,
                                                                           sample_call: Path) -> None:
    """Plays the start of a sample call into a null sink and records its monitor through CaptureSource."""
    clip = audio_dir / "live_clip.wav"
    sox(str(sample_call), str(clip), "trim", "0", "16.4")  # three whole turns: caseworker, citizen, caseworker
    turns = [t for t in timeline(sample_call)["turns"] if t["end"] < 16.4]

    names = [d.name for d in list_devices(refresh=True)]
    assert "pulse" in names
    source = CaptureSource("pulse")  # PULSE_SOURCE=callsink.monitor is set by the fixture
    assert source.speakers == ["caseworker", "citizen"]
    segmenters = {i: StreamingSegmenter(speaker) for i, speaker in enumerate(source.speakers)}
    finals: dict[int, list] = {0: [], 1: []}

    def consume() -> None:
        for frame in source.frames():
            finals[frame.channel] += [s for s in segmenters[frame.channel].push(frame) if s.final]
        for channel, segmenter in segmenters.items():
            finals[channel] += segmenter.flush()

    reader = threading.Thread(target=consume)
    reader.start()
    try:
        subprocess.run(["paplay", "--device=callsink", str(clip)], check=True, env=pulse_server, timeout=60)
    finally:
        source.close()
        reader.join(timeout=10)
    assert not reader.is_alive()
    for channel, speaker in enumerate(["caseworker", "citizen"]):
        expected = [t for t in turns if t["speaker"] == speaker]
        got = finals[channel]
        assert got, f"no utterance captured for {speaker}"
        assert all(s.speaker == speaker for s in got)
        assert abs(len(got) - len(expected)) <= 1
        assert all(s.speech_end <= s.end + 1e-6 for s in got)
        # The captured utterance lasts as long as the turn that was played (capture start offsets the times).
        longest = max(got, key=lambda s: s.speech_end - s.start)
        longest_turn = max(t["end"] - t["start"] for t in expected)
        assert longest.speech_end - longest.start == pytest.approx(longest_turn, abs=0.6)


@pytest.mark.slow
def test_devices_command_lists_the_pulse_device(pulse_server) -> None:
    from assistant.cli import app

    list_devices(refresh=True)
    result = CliRunner().invoke(app, ["devices"])
    assert result.exit_code == 0
    assert "pulse" in result.output and "Kanaler" in result.output


def test_open_source_device_spec_reaches_capture_and_reports_missing_devices() -> None:
    from assistant.audio import open_source
    from assistant.config import Settings

    with pytest.raises(DeviceError, match="no-such-headset"):
        open_source("device:no-such-headset+no-such-loopback", Settings())


@pytest.mark.slow
def test_two_devices_give_one_mono_channel_each(pulse_server, audio_dir: Path, sample_call: Path) -> None:
    """Headset + loopback setup. Both ALSA devices here lead to the same PulseAudio monitor, so each channel
    carries the mono mix of the played call: the point is that two streams open, are mixed down and framed."""
    import numpy as np

    clip = audio_dir / "two_device_clip.wav"
    sox(str(sample_call), str(clip), "trim", "0", "4")
    list_devices(refresh=True)
    source = CaptureSource(["pulse", "default"])
    assert source.speakers == ["caseworker", "citizen"]
    assert "pulse + default" in source.description
    frames: list = []
    reader = threading.Thread(target=lambda: frames.extend(source.frames()))
    reader.start()
    try:
        subprocess.run(["paplay", "--device=callsink", str(clip)], check=True, env=pulse_server, timeout=30)
    finally:
        source.close()
        reader.join(timeout=10)
    for channel in (0, 1):
        samples = np.concatenate([f.samples for f in frames if f.channel == channel])
        assert len(samples) >= 3.5 * 16000
        assert np.sqrt(np.mean(samples ** 2)) > 0.005  # the played speech arrived on this stream
