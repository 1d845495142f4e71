"""The cue matcher: exact, prefix, compound, fuzzy, alternatives, gaps, hesitations; JSONL loading."""

from __future__ import annotations

import pytest

from assistant.analysis.lexicon import CueMatcher, LexiconEntry, load_lexicon


def _forms(text: str) -> list[tuple[str, str]]:
    return [(w, w) for w in text.lower().split()]


def _labels(matcher: CueMatcher, text: str) -> list[str]:
    return [c.label for c in matcher.match(_forms(text))]


@pytest.fixture(scope="module")
def matcher() -> CueMatcher:
    entries = [
        LexiconEntry(("hver", "eneste", "gang"), "absolute"),
        LexiconEntry(("afslag*",), "decision"),
        LexiconEntry(("*spand*",), "bin"),
        LexiconEntry(("nedladende",), "rude"),
        LexiconEntry(("ringe|ringet", "...", "tilbage"), "callback"),
        LexiconEntry(("=tak",), "thanks"),
    ]
    return CueMatcher(entries)


def test_exact_phrase(matcher):
    assert _labels(matcher, "det sker hver eneste gang") == ["absolute"]


def test_prefix_and_compound(matcher):
    assert _labels(matcher, "afslaget kom i går") == ["decision"]
    assert _labels(matcher, "restaffaldsspanden blev ikke tømt") == ["bin"]


def test_fuzzy_word_survives_asr_error(matcher):
    # "nedladenhed" is how a recogniser may hand over "nedladende"
    assert _labels(matcher, "det var lidt nedladenhed ikke") == ["rude"]


def test_short_words_never_fuzzy(matcher):
    assert _labels(matcher, "tag den") == []


def test_gap_and_alternatives(matcher):
    assert _labels(matcher, "hun ville ringe mig op tilbage") == ["callback"]
    assert _labels(matcher, "de har ikke ringet tilbage") == ["callback"]


def test_hesitations_are_skipped(matcher):
    cues = matcher.match(_forms("hver øh eneste gang"))
    assert [c.label for c in cues] == ["absolute"]
    assert (cues[0].start, cues[0].end) == (0, 4)


def test_lemma_form_matches(matcher):
    # the lemma "afslag" of a token matches even when the surface form differs
    assert [c.label for c in matcher.match([("afslagene", "afslag")])] == ["decision"]


def test_load_lexicon_reads_jsonl(tmp_path):
    path = tmp_path / "demo.jsonl"
    path.write_text('# comment\n{"pattern": "Hej Med Dig", "label": "greet", "weight": 0.5}\n\n', encoding="utf-8")
    entries = load_lexicon("demo", tmp_path)
    assert entries == [LexiconEntry(("hej", "med", "dig"), "greet", 0.5, "demo")]


def test_load_lexicon_rejects_bad_line(tmp_path):
    (tmp_path / "bad.jsonl").write_text('{"label": "x"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="bad.jsonl:1"):
        load_lexicon("bad", tmp_path)


def test_project_lexicons_load():
    for name in ("frustration", "calm", "complaint", "barrier", "threat", "coaching", "phase"):
        assert load_lexicon(name), name
