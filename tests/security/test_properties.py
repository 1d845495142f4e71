"""Property-based tests (hypothesis): hostile or malformed input to the analysis and the audio decoders.

The analysis must take any text (ASR garbage, control characters, huge words, other scripts) without
raising; the file decoder must turn any bytes or broken header into an `AudioError`, never another
exception (and never hang).
"""

from __future__ import annotations

import io
import struct
import wave

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.errors import AudioError

SPEAKERS = st.sampled_from(["caseworker", "citizen", "unknown"])
DANISH_WORDS = st.sampled_from(["klage", "ventet", "fandeme", "syg", "afgørelse", "tak", "hvad", "CPR", "010190-1234",
                                "interpreter", "nej!!!", "…", "æøå", "", " ", "\n", "\u200b", "😡"])
HOSTILE_TEXT = st.one_of(
    st.text(max_size=400),
    st.lists(DANISH_WORDS, max_size=60).map(" ".join),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
    st.just("a" * 5000),
    st.just("\x00\x01\x02 ] [ { } <script>alert(1)</script>"),
)


@pytest.fixture(scope="module")
def analyzer_factory():
    from assistant.analysis.analyzer import CallAnalyzer

    CallAnalyzer.create()  # load the Danish pipeline once for the module
    return CallAnalyzer.create


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(turns=st.lists(st.tuples(SPEAKERS, HOSTILE_TEXT), min_size=1, max_size=6))
def test_the_analysis_takes_any_text_without_raising(analyzer_factory, turns):
    analyzer = analyzer_factory()
    for speaker, text in turns:
        update = analyzer.add_turn(speaker, text)
        assert update.assessment.level in ("green", "yellow", "red")
        assert update.turn.speaker == speaker


def _wav_bytes(*, channels: int = 2, rate: int = 16000, frames: int = 1600) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.random.default_rng(0).integers(-3000, 3000, frames * channels)).astype("<i2").tobytes())
    return buffer.getvalue()


def _read_all(path) -> int:  # noqa: ANN001
    from assistant.audio import FileSource

    with FileSource(path) as source:
        return sum(1 for _ in source.frames())


SUFFIXES = st.sampled_from([".wav", ".flac", ".ogg", ".mp3", ".m4a", ".bin"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4096), suffix=SUFFIXES)
def test_random_bytes_are_an_audio_error(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("random") / f"call{suffix}"
    path.write_bytes(data)
    try:
        _read_all(path)
    except AudioError as err:
        assert err.message and err.code.startswith("audio")
    # A few random byte strings are valid raw audio for a permissive decoder: reading them is fine too.


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offset=st.integers(min_value=0, max_value=43), value=st.binary(min_size=1, max_size=4),
       cut=st.one_of(st.none(), st.integers(min_value=0, max_value=6444)))
def test_malformed_wav_headers_and_truncation_are_an_audio_error(tmp_path_factory, offset, value, cut):
    data = bytearray(_wav_bytes())
    data[offset:offset + len(value)] = value
    if cut is not None:
        data = data[:cut]
    path = tmp_path_factory.mktemp("wav") / "call.wav"
    path.write_bytes(bytes(data))
    try:
        _read_all(path)
    except AudioError as err:
        assert err.message
    # Else the damage did not matter to the decoder (e.g. a changed byte in the samples); any other exception
    # fails the test.


@pytest.mark.parametrize("header", [
    struct.pack("<4sI4s", b"RIFF", 0xFFFFFFFF, b"WAVE"),           # absurd size, nothing else
    b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00" + b"\x00" * 16,  # format chunk full of zeros
    b"\x00" * 44,
])
def test_known_broken_headers_are_an_audio_error(tmp_path, header):
    path = tmp_path / "broken.wav"
    path.write_bytes(header)
    with pytest.raises(AudioError):
        _read_all(path)
