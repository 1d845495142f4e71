"""FileSource: formats, sample rates, channel mapping, bad files, realtime pacing."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from assistant.audio import FRAME_SAMPLES, SAMPLE_RATE, AudioSource, FileSource
from assistant.errors import AudioError

from .conftest import sox


def read_all(source: FileSource) -> dict[int, np.ndarray]:
    """Concatenate each channel's frames, checking time order and gap-free call times on the way."""
    chunks: dict[int, list[np.ndarray]] = {}
    next_start: dict[int, float] = {}
    for frame in source.frames():
        assert frame.speaker == source.speakers[frame.channel]
        assert frame.samples.dtype == np.float32
        assert len(frame.samples) <= FRAME_SAMPLES
        assert frame.start == pytest.approx(next_start.get(frame.channel, 0.0), abs=1e-6)
        next_start[frame.channel] = frame.end
        chunks.setdefault(frame.channel, []).append(frame.samples)
    return {channel: np.concatenate(parts) for channel, parts in chunks.items()}


@pytest.mark.parametrize("ext", ["wav", "flac", "ogg", "mp3"])
def test_reads_every_format_as_two_16khz_channels(convert, clip_wav: Path, ext: str) -> None:
    path = clip_wav if ext == "wav" else convert(ext)
    source = FileSource(path)
    assert isinstance(source, AudioSource)
    assert source.speakers == ["caseworker", "citizen"]
    assert source.duration == pytest.approx(6.0, abs=0.1)
    channels = read_all(source)
    reference = sf.read(str(clip_wav), dtype="float32")[0].T
    assert set(channels) == {0, 1}
    for channel, samples in channels.items():
        # MP3 adds encoder delay/padding; the others keep the length to the sample.
        assert len(samples) == pytest.approx(6 * SAMPLE_RATE, abs=2000 if ext == "mp3" else 0)
        ref = reference[channel]
        if ext in ("wav", "flac"):
            np.testing.assert_allclose(samples, ref, atol=1e-4)
        else:  # lossy: the speech is still on the same channel at the same level
            assert np.sqrt(np.mean(samples ** 2)) == pytest.approx(np.sqrt(np.mean(ref ** 2)), rel=0.25)


def test_frames_interleave_channels_in_time_order(clip_wav: Path) -> None:
    frames = list(FileSource(clip_wav).frames())
    keys = [(f.start, f.channel) for f in frames]
    assert keys == sorted(keys)
    assert frames[0].channel == 0 and frames[1].channel == 1 and frames[0].start == frames[1].start == 0.0
    assert all(len(f.samples) == FRAME_SAMPLES for f in frames[:-2])


def test_telephone_8khz_mono_is_resampled_to_16khz_and_unknown(convert) -> None:
    path = convert("wav", rate=8000, channels=1)
    source = FileSource(path)
    assert source.speakers == ["unknown"]
    assert source.sample_rate == 8000
    samples = read_all(source)[0]
    n_in = sf.info(str(path)).frames
    assert len(samples) == 2 * n_in  # exactly 2× the input length: call times stay exact
    assert np.abs(samples).max() > 0.05  # the speech survived


@pytest.mark.parametrize("rate", [22050, 44100, 48000])
def test_other_rates_are_resampled_to_exact_length(convert, rate: int) -> None:
    path = convert("wav", rate=rate)
    samples = read_all(FileSource(path))
    assert len(samples[0]) == len(samples[1]) == round(sf.info(str(path)).frames * SAMPLE_RATE / rate)


def test_resampled_audio_matches_the_original(convert, clip_wav: Path) -> None:
    """48 kHz → 16 kHz must give (nearly) the original 16 kHz signal back: a quality check of the resampler."""
    original = sf.read(str(clip_wav), dtype="float32")[0][:, 1]
    resampled = read_all(FileSource(convert("wav", rate=48000)))[1]
    # Compare below 6 kHz: both sox (up) and libswresample (down) roll off towards the 8 kHz band edge,
    # where espeak-ng's voices happen to carry energy; speech recognition lives well below it.
    spectrum_o, spectrum_r = np.fft.rfft(original), np.fft.rfft(resampled)
    band = np.fft.rfftfreq(len(original), 1 / SAMPLE_RATE) < 6000
    snr_db = 10 * np.log10(np.sum(np.abs(spectrum_o[band]) ** 2) / np.sum(np.abs(spectrum_o[band] - spectrum_r[band]) ** 2))
    assert snr_db > 35


def test_channel_mapping_comes_from_configuration(clip_wav: Path) -> None:
    source = FileSource(clip_wav, channel_speakers=("citizen", "caseworker"))
    assert source.speakers == ["citizen", "caseworker"]
    first = next(iter(source.frames()))
    assert (first.channel, first.speaker) == (0, "citizen")


def test_three_channels_give_a_clear_error(audio_dir: Path, clip_wav: Path) -> None:
    path = audio_dir / "three.wav"
    sf.write(str(path), np.zeros((1600, 3), dtype=np.float32), 16000)
    with pytest.raises(AudioError, match="unsupported channel count") as info:
        FileSource(path)
    assert info.value.code == "audio-unsupported-channels"
    assert "3" in info.value.message


def test_unknown_speaker_in_mapping_is_rejected(clip_wav: Path) -> None:
    with pytest.raises(AudioError, match="Ukendt taler"):
        FileSource(clip_wav, channel_speakers=("caseworker", "boss"))


def _bad_files(audio_dir: Path, clip_wav: Path, convert) -> dict[str, Path]:
    files = {}
    files["empty"] = audio_dir / "empty.wav"
    files["empty"].write_bytes(b"")
    rng = np.random.default_rng(7)
    files["random"] = audio_dir / "random.wav"
    files["random"].write_bytes(rng.bytes(20_000))
    files["random_mp3"] = audio_dir / "random.mp3"
    files["random_mp3"].write_bytes(rng.bytes(20_000))
    data = clip_wav.read_bytes()
    files["truncated_wav"] = audio_dir / "truncated.wav"
    files["truncated_wav"].write_bytes(data[: len(data) // 2])
    files["header_only"] = audio_dir / "header_only.wav"
    files["header_only"].write_bytes(data[:44])
    flac = convert("flac").read_bytes()
    files["truncated_flac"] = audio_dir / "truncated.flac"
    files["truncated_flac"].write_bytes(flac[: len(flac) // 2])
    ogg = convert("ogg").read_bytes()
    files["truncated_ogg"] = audio_dir / "truncated.ogg"
    files["truncated_ogg"].write_bytes(ogg[: len(ogg) // 3])
    files["missing"] = audio_dir / "does-not-exist.wav"
    files["directory"] = audio_dir
    return files


@pytest.mark.parametrize("kind", ["empty", "random", "random_mp3", "truncated_wav", "header_only", "truncated_flac",
                                  "missing", "directory"])
def test_bad_files_give_a_clear_audio_error(audio_dir: Path, clip_wav: Path, convert, kind: str) -> None:
    path = _bad_files(audio_dir, clip_wav, convert)[kind]
    with pytest.raises(AudioError) as info:
        # Some damage is only found while decoding; either way it must be an AudioError, never a traceback.
        list(FileSource(path).frames())
    message = info.value.message
    assert str(path.name) in message or str(path) in message
    expected = {"empty": "tom", "missing": "findes ikke", "truncated_wav": "afkortet", "header_only": "afkortet",
                "truncated_flac": "afkortet", "random": "kan ikke læses", "random_mp3": "kan ikke læses"}
    if kind in expected:
        assert expected[kind] in message
    assert info.value.code.startswith("audio-")


def test_cut_ogg_is_read_up_to_the_cut_or_refused_clearly(audio_dir: Path, clip_wav: Path, convert) -> None:
    """OGG declares no total length: cut at a page boundary it looks like a shorter file, else it is refused."""
    path = _bad_files(audio_dir, clip_wav, convert)["truncated_ogg"]
    try:
        channels = read_all(FileSource(path))
    except AudioError as err:
        assert path.name in err.message
    else:
        assert 0 < len(channels[0]) < 6 * SAMPLE_RATE


def test_truncated_wav_fails_before_the_first_frame(audio_dir: Path, clip_wav: Path) -> None:
    data = clip_wav.read_bytes()
    path = audio_dir / "cut.wav"
    path.write_bytes(data[: len(data) - 5000])
    with pytest.raises(AudioError, match="truncated") as info:
        FileSource(path)
    assert info.value.code == "audio-truncated"


@pytest.mark.slow
def test_realtime_paces_frames_at_wall_clock_speed(audio_dir: Path, clip_wav: Path) -> None:
    short = audio_dir / "short.wav"
    sox(str(clip_wav), str(short), "trim", "0", "1.5")
    source = FileSource(short, realtime=True)
    began = time.monotonic()
    frames = list(source.frames())
    elapsed = time.monotonic() - began
    # A lower bound only (a loaded machine may be slower, never faster than the audio).
    assert elapsed >= 0.8 * 1.5
    assert frames[-1].end == pytest.approx(1.5, abs=0.01)


@pytest.mark.slow
def test_close_stops_a_realtime_file_early(clip_wav: Path) -> None:
    source = FileSource(clip_wav, realtime=True)
    threading.Timer(0.3, source.close).start()
    frames = list(source.frames())
    assert frames and frames[-1].end < 3.0  # of 6 s


def test_max_seconds_and_progress(clip_wav: Path) -> None:
    source = FileSource(clip_wav, max_seconds=2.0)
    frames = list(source.frames())
    assert 1.9 <= frames[-1].end <= 2.1
    assert source.position == pytest.approx(frames[-1].end)
    assert source.position / source.duration == pytest.approx(1 / 3, abs=0.02)


def test_open_source_opens_files_with_the_configured_mapping(clip_wav: Path) -> None:
    from assistant.audio import open_source
    from assistant.config import Settings

    source = open_source(clip_wav, Settings(channel_speakers=["citizen", "caseworker"]))
    assert isinstance(source, FileSource)
    assert source.speakers == ["citizen", "caseworker"]


def test_a_header_with_an_impossible_sample_rate_is_refused(tmp_path: Path) -> None:
    # Found by the property test: a damaged header declaring ~1 kHz made FFmpeg's resampler run out of memory.
    path = tmp_path / "odd_rate.wav"
    sf.write(path, np.zeros(2000, np.float32), 1000)
    with pytest.raises(AudioError) as info:
        FileSource(path)
    assert info.value.code == "audio-unsupported-rate" and "1000 Hz" in info.value.message
