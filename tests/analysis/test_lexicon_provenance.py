"""Every line of every lexicon says where it came from, and none is a phrase lifted from a labelled call."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from assistant.analysis.lexicon import DATA_DIR

#: Every lexicon in the data folder (cue lexicons and the fuzzy phrase lists): no allow-list.
LEXICONS = sorted(path.stem for path in DATA_DIR.glob("*.jsonl"))
ALLOWED = ("general Danish", "general English", "general Turkish", "domain knowledge", "source:")
EVAL_ROOT = Path(os.environ.get("ASSISTANT_EVAL_DIR") or Path(__file__).resolve().parents[2].parent / "shared" / "eval")


def _rows(name: str) -> list[dict]:
    lines = (DATA_DIR / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip().startswith("{")]


def _pattern(row: dict) -> str:
    """A cue lexicon line's pattern, or a fuzzy list's phrase without its "!" (required-word) marks."""
    return str(row.get("pattern") or row.get("phrase", "")).replace("!", "")


def test_the_lexicons_are_all_checked():
    assert {"frustration", "calm", "negative", "coaching", "coaching_fuzzy", "phase"} <= set(LEXICONS)


@pytest.mark.parametrize("name", LEXICONS)
def test_every_line_has_a_provenance(name):
    missing = [_pattern(row) for row in _rows(name) if not str(row.get("provenance", "")).startswith(ALLOWED)]
    assert not missing, f"{name}: lines without provenance: {missing[:5]}"


def test_languages_file_has_a_provenance():
    raw = json.loads((DATA_DIR / "languages.json").read_text(encoding="utf-8"))
    assert raw["_provenance"]


@pytest.mark.skipif(not EVAL_ROOT.is_dir(), reason="the labelled calls (shared/eval) are not here")
def test_no_literal_phrase_of_four_words_is_lifted_from_a_labelled_call():
    """A literal pattern of four or more words found verbatim in a labelled call was most likely copied."""
    texts = []
    for path in EVAL_ROOT.glob("*/*.json"):
        for turn in json.loads(path.read_text(encoding="utf-8")).get("turns", []):
            texts.append(" " + " ".join(re.findall(r"[\wæøå'-]+", turn.get("text", "").lower())) + " ")
    corpus = "\n".join(texts)
    lifted = []
    for name in LEXICONS:
        for row in _rows(name):
            pattern = _pattern(row).lower()
            words = pattern.split()
            literal = not any(ch in pattern for ch in "|*?=") and "..." not in words
            if literal and len(words) >= 4 and f" {pattern} " in corpus:
                lifted.append(f"{name}: {pattern}")
    assert not lifted, lifted[:10]
