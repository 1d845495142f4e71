"""The faster paths of the analysis give what the plain ones gave: n-grams, the cue index, the fuzzy phrase index,
the threat model's running sum; and the first utterance of a call loads nothing (the warm-up did it).

Sentences are our own general Danish. No timing is asserted: only that the shortcuts change no result.
"""

from __future__ import annotations

import math

from assistant.analysis import training
from assistant.analysis.analyzer import CallAnalyzer
from assistant.analysis.fitted import char_ngrams
from assistant.analysis.fuzzy import find_phrases, parse_phrase
from assistant.analysis.lexicon import CueMatcher, LexiconEntry
from assistant.analysis.threat import ThreatTracker, call_features, speaker_grams

SENTENCES = [
    "Jeg har ventet på et svar i over tre måneder, og ingen ringer tilbage!",
    "øh altså det er jo helt urimeligt at sagen ligger stille",
    "ÆBLER og pærer: 3½ kg til 25 kr. — x_y og İstanbul",
    "",
    "a b",
]


def _reference_char_ngrams(text: str) -> dict[str, float]:
    """The n-grams as first written: every character that is not alphanumeric becomes a space."""
    words = "".join(ch if ch.isalnum() else " " for ch in text.lower()).split()
    grams: dict[str, float] = {}
    for word in words:
        padded = f"_{word}_"
        for n in (3, 4, 5):
            for i in range(max(1, len(padded) - n + 1)):
                gram = padded[i:i + n]
                if len(gram) == n:
                    grams["ng:" + gram] = grams.get("ng:" + gram, 0.0) + 1.0
    total = math.sqrt(sum(grams.values())) or 1.0
    return {k: v / total for k, v in grams.items()}


def test_char_ngrams_are_the_reference_ngrams_in_the_same_order():
    for text in SENTENCES:
        assert list(char_ngrams(text).items()) == list(_reference_char_ngrams(text).items())


def _forms(text: str) -> list[tuple[str, str]]:
    return [(w, w) for w in text.lower().split()]


def test_cue_index_finds_patterns_filed_under_a_later_longer_word():
    matcher = CueMatcher([
        LexiconEntry(("det", "er", "?", "urimeligt"), "unfair"),  # filed under "urimeligt", found from "det"
        LexiconEntry(("jeg", "...", "ventet"), "waiting"),  # a gap: the recursive path
        LexiconEntry(("ingen|ikke", "ringer"), "no_call"),  # alternatives first: filed under "ringer"
        LexiconEntry(("sagen",), "case"),
    ])
    cues = matcher.match(_forms("jeg har ventet længe og det er helt urimeligt at ingen ringer om sagen"))
    assert [(c.label, c.start, c.end) for c in cues] == [
        ("waiting", 0, 3), ("unfair", 5, 9), ("no_call", 10, 12), ("case", 13, 14)]
    assert matcher.match(_forms("det er helt fint")) == []


def test_fuzzy_phrases_need_enough_words_and_every_required_word():
    phrases = (parse_phrase("hvis jeg !forstår dig ret", "summary"), parse_phrase("er det rigtigt", "check"))
    words = "så hvis jeg forstår dig altså".split()
    found = find_phrases(words, phrases)
    assert [(m.phrase.label, m.start, m.missing) for m in found] == [("summary", 1, 1)]
    assert find_phrases("hvis jeg har dig ret".split(), phrases) == []  # the required word is missing
    assert find_phrases("noget helt andet".split(), phrases) == []


def test_threat_running_sum_equals_the_sum_over_the_call_grams():
    tracker = ThreatTracker()
    model = training.load_model("threat_call")
    turns = [("caseworker", "Hej, jeg ringer om din henvendelse"),
             ("citizen", "Jeg ved godt hvor hun bor, og hun bor der stadig"),
             ("citizen", "hun bor der stadig, siger jeg")]
    grams: dict[str, set[str]] = {}
    for index, (speaker, text) in enumerate(turns):
        from assistant.analysis.pipeline import get_nlp
        from assistant.analysis.text import TurnText

        turn = TurnText.from_doc(get_nlp()(text))
        tracker._ask_model(index, turn, speaker)
        for gram, words in speaker_grams(text, speaker).items():
            grams.setdefault(gram, set()).update(words)
    assert tracker.grams == grams
    expected = model.predict_proba(call_features(grams))[True]
    assert math.isclose(tracker.probability, expected, rel_tol=1e-9)


def test_first_utterances_of_a_call_load_no_model():
    analyzer = CallAnalyzer.create()
    before = training.load_model.cache_info().misses
    analyzer.add_turn("caseworker", "Goddag, du taler med kommunen. Hvad drejer din henvendelse sig om?")
    analyzer.add_turn("citizen", "Det handler om min bolig, og jeg er ærlig talt ret træt af ventetiden.")
    analyzer.add_turn("unknown", "Hvornår hører jeg så fra jer?")
    assert training.load_model.cache_info().misses == before
