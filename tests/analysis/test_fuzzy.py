"""Token-level fuzzy phrase matching: dropped, substituted and inserted words."""

from __future__ import annotations

from assistant.analysis.fuzzy import find_phrases, load_phrases, parse_phrase, word_like


def _spans(text: str, phrase: str) -> list[tuple[int, int, int]]:
    return [(m.start, m.end, m.missing) for m in find_phrases(text.split(), [parse_phrase(phrase, "x")])]


def test_exact_phrase_matches_with_nothing_missing():
    assert _spans("tja hvis jeg forstår dig ret men", "hvis jeg !forstår dig ret") == [(1, 6, 0)]


def test_dropped_word_is_tolerated():
    assert _spans("bange er rigtigt forstået", "er det rigtigt !forstået") == [(1, 4, 1)]


def test_misheard_word_is_tolerated():
    assert word_like("lydene", "lyder")
    assert _spans("det lydene som du føler", "det !lyder som om du") == [(0, 4, 1)]


def test_inserted_filler_is_tolerated():
    assert _spans("så det øh du siger er", "så det du !siger er") == [(0, 6, 0)]


def test_required_word_must_be_present():
    assert _spans("lad mig lige se om", "lad mig lige !opsummere") == []


def test_two_missing_words_do_not_match():
    assert _spans("det forstår jeg godt", "hvis jeg !forstår dig ret") == []


def test_unrelated_words_are_not_alike():
    assert not word_like("skriver", "siger")
    assert not word_like("hus", "hun")


def test_bundled_phrases_load():
    labels = {p.label for p in load_phrases("coaching_fuzzy")}
    assert {"tag", "check", "summary"} <= labels


def test_statement_word_order_is_not_a_question_with_a_lost_verb():
    # "[er] det rigtigt" may lose its verb, but "det er rigtigt" / "det lyder rigtig hårdt" are statements.
    assert _spans("ja det er rigtigt", "er !det !rigtigt") == []
    assert _spans("det lyder rigtig hårdt", "lyder !det !rigtigt") == []
    assert _spans("og det rigtigt forstået", "er det rigtigt !forstået") == [(1, 4, 1)]
