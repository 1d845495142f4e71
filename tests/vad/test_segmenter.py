"""StreamingSegmenter on the sample calls and on constructed signals."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.audio.frames import AudioFrame
from assistant.errors import SegmenterError
from assistant.paths import SAMPLES_DIR
from assistant.vad import SpeechSegment, StreamingSegmenter, VadOptions
from assistant.vad.silero import SileroStream

from .conftest import frames_from, timeline


def run(segmenter: StreamingSegmenter, frames: list[AudioFrame]) -> list[SpeechSegment]:
    out = []
    for frame in frames:
        out += segmenter.push(frame)
    return out + segmenter.flush()


def segment_call(frames: list[AudioFrame], options: VadOptions | None = None) -> dict[int, list[SpeechSegment]]:
    segmenters: dict[int, StreamingSegmenter] = {}
    out: dict[int, list[SpeechSegment]] = {}
    for frame in frames:
        segmenter = segmenters.setdefault(frame.channel, StreamingSegmenter(frame.speaker, options))
        out.setdefault(frame.channel, []).extend(segmenter.push(frame))
    for channel, segmenter in segmenters.items():
        out[channel].extend(segmenter.flush())
    return out


@pytest.mark.parametrize("name", [p.stem for p in sorted(SAMPLES_DIR.glob("*.wav"))])
def test_finds_the_turns_of_each_sample_call_per_channel(sample_frames, name: str) -> None:
    truth = timeline(SAMPLES_DIR / f"{name}.wav")["turns"]
    segments = segment_call(sample_frames[name])
    for channel, speaker in enumerate(["caseworker", "citizen"]):
        turns = [t for t in truth if t["speaker"] == speaker]
        finals = [s for s in segments[channel] if s.final]
        assert abs(len(finals) - len(turns)) <= 1, (speaker, len(finals), len(turns))
        previous_end = 0.0
        for segment in finals:
            assert segment.speaker == speaker
            assert segment.start < segment.speech_end <= segment.end + 1e-9
            assert segment.start >= previous_end - 1e-9  # monotonic, no overlap
            previous_end = segment.end
            # Its speech lies in a turn of this speaker (so attribution by channel is right) …
            assert any(t["start"] - 0.3 <= segment.speech_end <= t["end"] + 0.3 for t in turns)
        # … and the end of speech is found close to where the turn really ended.
        errors = [min(abs(s.speech_end - t["end"]) for s in finals) for t in turns]
        assert np.median(errors) < 0.15
        assert len({s.segment_id for s in finals}) == len(finals)


def test_interim_segments_share_the_id_of_their_final(sample_frames) -> None:
    segments = segment_call(sample_frames["02_flere_klagepunkter_frustreret"])[1]
    finals = {s.segment_id: s for s in segments if s.final}
    interims = [s for s in segments if not s.final]
    assert interims
    for interim in interims:
        final = finals[interim.segment_id]
        assert final.start == interim.start
        assert interim.speech_end <= final.speech_end
    # Pause hints carry exactly the audio of their final segment, so a decode started early can be reused.
    reusable = [i for i in interims if i.speech_end == finals[i.segment_id].speech_end]
    assert len(reusable) >= len(finals) - 1
    assert all(hint.pause_hint for hint in reusable)
    for hint in reusable:
        np.testing.assert_array_equal(hint.samples, finals[hint.segment_id].samples)


def test_streaming_probabilities_equal_faster_whispers_offline_pass(sample_frames) -> None:
    from faster_whisper.vad import get_vad_model

    audio = np.concatenate([f.samples for f in sample_frames["01_ventetid_rolig"] if f.channel == 1])[: 512 * 300]
    offline = get_vad_model()(audio).reshape(-1)
    stream = SileroStream()
    windows = audio.reshape(-1, 512)
    online = np.concatenate([stream.probabilities(windows[i:i + 7]) for i in range(0, len(windows), 7)])
    np.testing.assert_allclose(online, offline, atol=1e-5)


def _long_utterance(sample_frames, seconds: float) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Citizen turns joined with 250 ms gaps (shorter than the end-of-utterance gap): one long utterance."""
    truth = timeline(SAMPLES_DIR / "02_flere_klagepunkter_frustreret.wav")["turns"]
    audio = np.concatenate([f.samples for f in sample_frames["02_flere_klagepunkter_frustreret"] if f.channel == 1])
    pieces, gaps, cursor = [np.zeros(8000, np.float32)], [], 0.5
    for turn in (t for t in truth if t["speaker"] == "citizen"):
        piece = audio[int(turn["start"] * 16000):int(turn["end"] * 16000)]
        pieces += [piece, np.zeros(4000, np.float32)]
        cursor += len(piece) / 16000
        gaps.append((cursor, cursor + 0.25))
        cursor += 0.25
        if cursor > seconds:
            break
    return np.concatenate(pieces + [np.zeros(16000, np.float32)]), gaps


def test_long_utterance_is_cut_cleanly_at_a_quiet_point_near_the_limit(sample_frames) -> None:
    audio, _ = _long_utterance(sample_frames, 25)
    options = VadOptions(max_utterance_s=8.0, cut_window_s=2.5, partial_every_s=None, pause_hint_ms=None)
    finals = [s for s in run(StreamingSegmenter("citizen", options), frames_from(audio)) if s.final]
    assert len(finals) >= 3
    for segment in finals:
        assert segment.duration <= 8.0 + 0.05
    loud = np.sqrt(np.mean(audio[np.abs(audio) > 0.01] ** 2))
    cuts = 0
    for before, after in zip(finals, finals[1:]):
        if before.duration < 8.0 - 2.5 - 0.05:
            continue  # ended by silence, not by the limit
        cuts += 1  # cut inside the window before the limit …
        cut = int(round(before.end * 16000))
        around = audio[cut - 256:cut + 256]
        assert np.sqrt(np.mean(around ** 2)) < 0.1 * loud  # … at a quiet point, not mid-word
        assert after.start == pytest.approx(before.end, abs=1e-6)  # and nothing is lost in between
        assert after.segment_id != before.segment_id
    assert cuts >= 2
    covered = sum(s.duration for s in finals)
    assert covered >= 0.9 * (len(audio) / 16000 - 1.5)


def test_partial_segments_of_a_long_utterance_grow_and_share_its_id(sample_frames) -> None:
    audio, _ = _long_utterance(sample_frames, 12)
    options = VadOptions(max_utterance_s=30.0, partial_every_s=2.0, pause_hint_ms=None)
    segments = run(StreamingSegmenter("citizen", options), frames_from(audio))
    finals = [s for s in segments if s.final]
    assert len(finals) == 1
    partials = [s for s in segments if not s.final]
    assert len(partials) >= 4
    assert not any(p.pause_hint for p in partials)  # periodic interim text, not a pause
    assert all(p.segment_id == finals[0].segment_id for p in partials)
    lengths = [p.duration for p in partials]
    assert lengths == sorted(lengths) and lengths[-1] < finals[0].duration
    assert all(p.start == finals[0].start for p in partials)


def test_silence_and_faint_noise_give_no_segments() -> None:
    rng = np.random.default_rng(3)
    silence = np.zeros(16000 * 3, np.float32)
    noise = (rng.standard_normal(16000 * 3) * 0.003).astype(np.float32)
    for audio in (silence, noise):
        assert run(StreamingSegmenter("caseworker"), frames_from(audio)) == []


def test_flush_emits_a_running_utterance(sample_frames) -> None:
    frames = [f for f in sample_frames["01_ventetid_rolig"] if f.channel == 0 and f.start < 4.0]  # mid-turn
    segmenter = StreamingSegmenter("caseworker", VadOptions(partial_every_s=None, pause_hint_ms=None))
    during = [s for f in frames for s in segmenter.push(f)]
    assert during == [] and segmenter.in_speech
    (segment,) = segmenter.flush()
    assert segment.final and segment.speech_end <= 4.0 + 1e-6 and segment.start < 0.6


def test_odd_frame_sizes_give_the_same_segments_as_32ms_frames(sample_frames) -> None:
    audio = np.concatenate([f.samples for f in sample_frames["01_ventetid_rolig"] if f.channel == 1])[: 16000 * 20]
    options = VadOptions(partial_every_s=None, pause_hint_ms=None)
    a = run(StreamingSegmenter("citizen", options), frames_from(audio, size=512))
    b = run(StreamingSegmenter("citizen", options), frames_from(audio, size=320))
    assert len(a) == len(b) >= 2
    flat = lambda segments: [t for s in segments for t in (s.start, s.speech_end)]  # noqa: E731
    assert flat(a) == pytest.approx(flat(b), abs=1e-6)


def test_frames_out_of_order_are_refused_and_gaps_restart_the_stream() -> None:
    segmenter = StreamingSegmenter("citizen")
    segmenter.push(AudioFrame("citizen", 0, 1.0, np.zeros(512, np.float32)))
    with pytest.raises(SegmenterError, match="out of order"):
        segmenter.push(AudioFrame("citizen", 0, 0.5, np.zeros(512, np.float32)))
    assert segmenter.push(AudioFrame("citizen", 0, 5.0, np.zeros(512, np.float32))) == []  # a gap is accepted


@pytest.mark.parametrize("bad", [dict(threshold=1.5), dict(min_silence_ms=10), dict(speech_pad_ms=900),
                                 dict(max_utterance_s=4, cut_window_s=3), dict(partial_every_s=0),
                                 dict(pause_hint_ms=800)])
def test_invalid_options_are_refused(bad: dict) -> None:
    with pytest.raises(SegmenterError):
        VadOptions(**bad)


def test_segment_ids_are_unique_per_utterance_and_name_the_speaker(sample_frames) -> None:
    segments = segment_call(sample_frames["03_sprogbarriere_engelsk"])
    ids = [s.segment_id for channel in segments.values() for s in channel if s.final]
    assert len(ids) == len(set(ids))
    assert all(i.startswith(("ca-", "ci-")) for i in ids)


def test_8khz_mono_telephone_call_is_segmented_as_unknown_speaker(tmp_path) -> None:
    """A whole call as a telephone recording (both voices mixed, 8 kHz): still found, labelled `unknown`."""
    import subprocess

    from assistant.audio import FileSource

    wav = SAMPLES_DIR / "04_afgoerelse_hjaelpemiddel.wav"
    phone = tmp_path / "phone.wav"
    subprocess.run(["sox", "-R", "-D", str(wav), str(phone), "remix", "1,2", "rate", "8000"], check=True,
                   capture_output=True)
    source = FileSource(phone)
    assert source.speakers == ["unknown"]
    finals = [s for s in segment_call(list(source.frames()))[0] if s.final]
    turns = timeline(wav)["turns"]
    # Turns of different speakers less than min_silence_ms apart merge on one channel; most stay apart.
    assert len(turns) // 2 <= len(finals) <= len(turns)
    assert all(s.speaker == "unknown" and s.segment_id.startswith("un-") for s in finals)
    assert [s.speech_end for s in finals] == sorted(s.speech_end for s in finals)
    assert finals[-1].speech_end == pytest.approx(turns[-1]["end"], abs=0.3)
