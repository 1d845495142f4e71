"""Suggestion templates: questions are open and impartial (checked with the analysis' own classifier)."""

from __future__ import annotations

import pytest

from assistant.analysis.coaching import classify_question
from assistant.analysis.suggestions import load_templates, second_person

TEMPLATES = load_templates()
QUESTIONS = TEMPLATES["question"]


@pytest.mark.parametrize("card", QUESTIONS, ids=[c["id"] for c in QUESTIONS])
def test_question_templates_are_open_and_not_leading(parse, card):
    result = classify_question(parse(card["text"]))
    assert result.question == "open", card["text"]
    assert not result.leading, card["text"]


def test_ids_are_unique():
    ids = [c["id"] for kind in ("summary", "reflection", "deescalation", "question", "guidance")
           for c in TEMPLATES[kind]]
    assert len(ids) == len(set(ids))


def test_every_category_has_questions_and_a_phrase():
    from assistant.analysis.complaints import CATEGORIES

    covered = {c.get("category") for c in QUESTIONS}
    for category in CATEGORIES:
        assert category in TEMPLATES["category_phrase"]
        assert category in covered or category == "andet"


def test_every_phase_has_a_question():
    phases = {p for c in QUESTIONS for p in c["phases"]}
    assert phases >= {"opening", "exploring", "summarising", "agreement", "closing"}


def test_guidance_cards_cover_the_flags():
    flags = {c["flag"] for c in TEMPLATES["guidance"]}
    assert flags >= {"decision_complaint", "language_barrier", "health_barrier", "threat", "many_points"}
    decision = next(c for c in TEMPLATES["guidance"] if c["flag"] == "decision_complaint")
    assert "4 uger" in decision["text"] and "genvurder" in decision["text"] and "Ankestyrelsen" in decision["text"]


def test_second_person():
    assert second_person("jeg har ringet til min rådgiver") == "du har ringet til din rådgiver"
