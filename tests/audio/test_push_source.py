"""PushSource: PCM16 pushed from another thread comes out as 16 kHz frames; bad pushes are refused clearly."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from assistant.audio import SAMPLE_RATE, AudioSource, PushSource
from assistant.errors import AudioError


def pcm16(signal: np.ndarray) -> bytes:
    return (np.clip(signal, -1, 1) * 32767).astype("<i2").tobytes()


def tone(freq: float, seconds: float, rate: int) -> np.ndarray:
    return 0.5 * np.sin(2 * np.pi * freq * np.arange(int(seconds * rate)) / rate)


def test_pushed_8khz_audio_comes_out_as_16khz_frames_per_channel() -> None:
    source = PushSource(["caseworker", "citizen"])
    assert isinstance(source, AudioSource)
    left, right = pcm16(tone(440, 2.0, 8000)), pcm16(tone(1000, 2.0, 8000))
    rng = np.random.default_rng(1)

    def producer() -> None:  # uneven chunk sizes, like network messages
        position = 0
        while position < len(left):
            size = int(rng.integers(1, 400)) * 2
            source.push(0, left[position:position + size], 8000)
            source.push(1, right[position:position + size], 8000)
            position += size
        source.close()

    thread = threading.Thread(target=producer)
    thread.start()
    frames = list(source.frames(timeout=10))
    thread.join()
    for channel, (speaker, freq) in enumerate([("caseworker", 440), ("citizen", 1000)]):
        mine = [f for f in frames if f.channel == channel]
        assert all(f.speaker == speaker for f in mine)
        assert [f.start for f in mine] == sorted(f.start for f in mine)
        samples = np.concatenate([f.samples for f in mine])
        assert len(samples) == 2 * SAMPLE_RATE
        spectrum = np.abs(np.fft.rfft(samples))
        assert np.fft.rfftfreq(len(samples), 1 / SAMPLE_RATE)[spectrum.argmax()] == pytest.approx(freq, abs=2)


def test_frames_waits_for_data_and_ends_on_close() -> None:
    source = PushSource(["unknown"])
    got = []
    reader = threading.Thread(target=lambda: got.extend(source.frames()))
    reader.start()
    source.push(0, pcm16(tone(300, 0.1, 16000)), 16000)
    source.close()
    reader.join(timeout=5)
    assert not reader.is_alive()
    assert sum(len(f.samples) for f in got) == 1600


@pytest.mark.parametrize(("call", "needle", "code"), [
    (lambda s: s.push(0, b"\x00\x01\x02", 16000), "multiple of 2 bytes", "audio-bad-frame"),
    (lambda s: s.push(0, b"\x00\x00", 12345), "unsupported sample rate", "audio-bad-rate"),
    (lambda s: s.push(2, b"\x00\x00", 16000), "channel out of range", "audio-bad-channel"),
    (lambda s: s.push(-1, b"\x00\x00", 16000), "channel out of range", "audio-bad-channel"),
    (lambda s: s.push(0, "text", 16000), "bytes", "audio-bad-frame"),
])
def test_bad_pushes_are_refused_with_a_clear_message(call, needle: str, code: str) -> None:
    source = PushSource(["caseworker", "citizen"])
    with pytest.raises(AudioError, match=needle) as info:
        call(source)
    assert info.value.code == code


def test_rate_change_and_push_after_close_are_refused() -> None:
    source = PushSource(["caseworker", "citizen"])
    source.push(0, b"\x00\x00" * 160, 8000)
    with pytest.raises(AudioError, match="sample rate changed"):
        source.push(0, b"\x00\x00" * 160, 16000)
    source.push(1, b"\x00\x00" * 160, 16000)  # each channel has its own rate
    source.close()
    with pytest.raises(AudioError, match="push after close"):
        source.push(0, b"\x00\x00", 8000)


def test_unsupported_channel_count_is_refused() -> None:
    with pytest.raises(AudioError, match="unsupported channel count"):
        PushSource(["caseworker", "citizen", "unknown"])
