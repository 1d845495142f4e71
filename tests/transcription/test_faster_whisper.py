"""The default engine with the bundled Whisper base model on synthetic speech (espeak-ng, 16 kHz)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.config import DEFAULT_LANGUAGES
from assistant.transcription.types import DecodeOptions, TranscriptionEngine

from tests.speech import synthesize

pytestmark = pytest.mark.slow


def _assert_well_formed(transcript, duration: float) -> None:
    assert set(transcript.language_probs) <= set(DEFAULT_LANGUAGES)
    probs = list(transcript.language_probs.values())
    assert probs == sorted(probs, reverse=True)
    assert sum(probs) == pytest.approx(1.0)
    starts = [w.start for w in transcript.words]
    assert starts == sorted(starts)
    for word in transcript.words:
        assert 0.0 <= word.start <= word.end <= duration + 0.05
        assert 0.0 <= word.probability <= 1.0


def test_engine_follows_the_protocol(whisper_engine):
    assert isinstance(whisper_engine, TranscriptionEngine)
    assert whisper_engine.name.startswith("faster-whisper")


def test_danish_speech_is_transcribed_in_danish_with_word_times(whisper_engine, danish_speech):
    duration = len(danish_speech) / 16_000
    transcript = whisper_engine.transcribe(danish_speech, options=DecodeOptions())
    assert transcript.text
    assert transcript.language == "da"
    assert transcript.words and len(transcript.words) >= 5
    assert transcript.encoder_frames is not None and transcript.encoder_frames <= 3000
    assert transcript.avg_logprob is not None and transcript.no_speech_prob is not None
    _assert_well_formed(transcript, duration)


def test_english_is_identified_although_danish_is_the_default(whisper_engine, english_speech):
    transcript = whisper_engine.transcribe(english_speech, options=DecodeOptions(language="da"))
    assert next(iter(transcript.language_probs)) == "en"
    assert transcript.language == "en"
    assert "english" in transcript.text.lower()
    _assert_well_formed(transcript, len(english_speech) / 16_000)


def test_language_stays_danish_when_switching_is_off(whisper_engine, english_speech):
    transcript = whisper_engine.transcribe(english_speech,
                                           options=DecodeOptions(language_switch_threshold=1.01))
    assert transcript.language == "da"
    assert next(iter(transcript.language_probs)) == "en", "probabilities are reported either way"


def test_full_and_short_encoder_window_both_transcribe(whisper_engine, danish_speech):
    full = whisper_engine.transcribe(danish_speech, options=DecodeOptions(encoder_window="full"))
    short = whisper_engine.transcribe(danish_speech, options=DecodeOptions(encoder_window="auto"))
    assert full.encoder_frames == 3000
    assert short.encoder_frames < 3000
    assert full.text and short.text


@pytest.mark.parametrize("mode", ["estimated", "none"])
def test_cheaper_word_time_modes(whisper_engine, danish_speech, mode):
    transcript = whisper_engine.transcribe(danish_speech, options=DecodeOptions(word_timestamps=mode))
    assert transcript.text
    if mode == "none":
        assert transcript.words == []
    else:
        assert [w.word for w in transcript.words] == transcript.text.split()
        _assert_well_formed(transcript, len(danish_speech) / 16_000)


def test_silence_gives_empty_text(whisper_engine):
    transcript = whisper_engine.transcribe(np.zeros(32_000, dtype=np.float32), options=DecodeOptions())
    assert transcript.text == "" and transcript.words == []
    assert transcript.dropped == "silence"


@pytest.mark.parametrize("kind", ["white", "hum"])
def test_noise_gives_empty_text(whisper_engine, kind):
    rng = np.random.default_rng(7)
    t = np.arange(48_000) / 16_000
    audio = (0.05 * rng.standard_normal(48_000) if kind == "white" else 0.1 * np.sin(2 * np.pi * 50 * t))
    transcript = whisper_engine.transcribe(audio.astype(np.float32), options=DecodeOptions())
    assert transcript.text == ""
    assert transcript.dropped is not None


def test_stereo_audio_is_refused_clearly(whisper_engine):
    from assistant.errors import TranscriptionError

    with pytest.raises(TranscriptionError) as info:
        whisper_engine.transcribe(np.zeros((16_000, 2), dtype=np.float32), options=DecodeOptions())
    assert info.value.code == "stt-bad-audio"


# About 35 s of everyday Danish of our own. Varied speech, not one sentence repeated: Whisper base hears a
# synthetic sentence looped six times as one sentence plus "no speech" and the guard rightly drops it.
LONG_DANISH = (
    "Om morgenen cykler jeg til arbejde langs havnen. Bagefter drikker vi kaffe i kantinen og taler om vejret. "
    "Min søster bor i Aarhus, og hun kommer på besøg til jul. Vi plejer at spise risalamande og synge sammen. "
    "Sidste sommer var vi på ferie i Skagen, hvor vandet var koldt, men solen skinnede hver dag. "
    "Næste år vil jeg gerne lære at spille klaver, selv om det tager lang tid. "
    "Om efteråret samler børnene kastanjer i parken, og om vinteren bygger de snemænd i haven. "
    "Biblioteket i byen har åbent hver lørdag, og der låner jeg tit bøger om historie og fugle. "
    "Til sidst går jeg en lang tur med hunden, inden jeg laver aftensmad og ser nyheder i fjernsynet.")


def test_audio_longer_than_30_s_is_decoded_in_pieces(whisper_engine, speech_dir):
    audio = synthesize(LONG_DANISH, voice="da", workdir=speech_dir, name="long-da")
    assert len(audio) > 32 * 16_000
    transcript = whisper_engine.transcribe(audio, options=DecodeOptions())
    assert transcript.text
    assert transcript.words[-1].end > 30.0, "words of the second piece are shifted by 30 s"
    _assert_well_formed(transcript, len(audio) / 16_000)
