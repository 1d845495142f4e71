"""Hallucination guard and restricted language identification (pure functions, no model)."""

from __future__ import annotations

import pytest

from assistant.transcription.guard import apply_guard, compression_ratio, load_phantom_phrases, merge_punctuation
from assistant.transcription.languages import choose_language, restrict_language_probs
from assistant.transcription.types import GuardOptions, Transcript, TranscriptWord

GUARD = GuardOptions()


def _words(text: str) -> list[TranscriptWord]:
    return [TranscriptWord(start=i * 0.3, end=i * 0.3 + 0.25, word=" " + w, probability=0.9)
            for i, w in enumerate(text.split())]


@pytest.mark.parametrize("text", ["Tak fordi du så med.", "Undertekster af Nicolai Winther", "Thanks for watching!",
                                  "Subtitles by the Amara.org community", "[Musik]", "♪"])
def test_phantom_phrase_alone_is_dropped(text):
    result = apply_guard(Transcript(text=text, avg_logprob=-0.3, no_speech_prob=0.1, duration=2.0), options=GUARD)
    assert result.text == ""
    assert result.dropped == "phantom"


def test_phantom_phrase_after_real_text_is_cut_with_its_words():
    text = "Jeg vil gerne klage over min sag. Tak fordi du så med."
    result = apply_guard(Transcript(text=text, words=_words(text), duration=4.0), options=GUARD)
    assert result.text == "Jeg vil gerne klage over min sag."
    assert [w.word.strip() for w in result.words] == "Jeg vil gerne klage over min sag.".split()
    assert result.dropped == "phantom"


def test_ordinary_thanks_is_kept():
    text = "Tak fordi du ringede tilbage."
    result = apply_guard(Transcript(text=text, duration=2.0), options=GUARD)
    assert result.text == text and result.dropped is None


def test_repetition_loop_is_cut_to_one_copy():
    text = "Jeg har ventet længe " + "og det er simpelthen for dårligt " * 6
    result = apply_guard(Transcript(text=text, words=_words(text), duration=8.0), options=GUARD)
    assert result.text == "Jeg har ventet længe og det er simpelthen for dårligt"
    assert result.dropped == "repetition"
    assert len(result.words) == len(result.text.split())


def test_no_speech_with_low_logprob_is_dropped_but_dense_text_survives():
    noise = Transcript(text="you", avg_logprob=-1.7, no_speech_prob=0.75, duration=3.0)
    assert apply_guard(noise, options=GUARD).dropped == "no-speech"
    dense = Transcript(text=" ".join(["ord"] * 12 + ["andet", "tredje"] * 4), avg_logprob=-1.4,
                       no_speech_prob=0.69, duration=4.0)
    assert apply_guard(dense, options=GUARD).text != ""


def test_text_that_compresses_too_well_is_dropped():
    text = "abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc"
    assert compression_ratio(text) > GUARD.compression_ratio_threshold
    result = apply_guard(Transcript(text=text, duration=2.0), options=GUARD)
    assert result.text == "" and result.dropped == "compression"


def test_phantom_phrase_file_is_data_with_wildcards():
    phrases = dict(load_phantom_phrases())
    assert phrases[("tak", "fordi", "du", "så", "med")] is False
    assert phrases[("undertekster", "af")] is True


def test_punctuation_words_merge_into_the_word_before():
    words = [TranscriptWord(0.0, 0.4, " Hej", 0.9), TranscriptWord(0.4, 0.5, ",", 0.8),
             TranscriptWord(0.5, 0.9, " Mette", 0.9), TranscriptWord(0.9, 1.0, ".", 0.7)]
    merged = merge_punctuation(words)
    assert [w.word for w in merged] == ["Hej,", "Mette."]
    assert merged[1].end == 1.0


def test_language_probs_are_restricted_renormalised_and_sorted():
    raw = [("<|th|>", 0.5), ("<|en|>", 0.2), ("<|da|>", 0.25), ("<|la|>", 0.05)]
    probs = restrict_language_probs(raw, ["da", "en", "de"])
    assert list(probs) == ["da", "en"]
    assert probs["da"] == pytest.approx(0.25 / 0.45)
    assert sum(probs.values()) == pytest.approx(1.0)


def test_non_finite_language_probabilities_are_ignored():
    assert restrict_language_probs([("da", float("nan")), ("en", 0.5)], ["da", "en"]) == {"en": 1.0}
    assert restrict_language_probs([("da", float("nan"))], ["da"]) == {}


def test_language_switches_only_on_strong_evidence():
    assert choose_language({"en": 0.97, "da": 0.03}, default="da", threshold=0.8) == "en"
    assert choose_language({"en": 0.7, "da": 0.3}, default="da", threshold=0.8) == "da"
    # English is 0.85 of the allowed set but only 0.12 of everything the model said: stay Danish.
    assert choose_language({"en": 0.85, "da": 0.15}, default="da", threshold=0.8,
                           raw_probs={"en": 0.12, "th": 0.8}, min_share=0.5) == "da"
    assert choose_language({}, default="da", threshold=0.8) == "da"
