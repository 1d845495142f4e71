"""The fitted frustration model as the analyser uses it: levels on sentences of our own, evidence, fallback."""

from __future__ import annotations

import pytest

from assistant.analysis.analyzer import AnalyzerOptions, CallAnalyzer


def _level(text: str, options: AnalyzerOptions | None = None):
    analyzer = CallAnalyzer.create(options)
    analyzer.add_turn("caseworker", "Goddag, jeg kontakter dig angående klagen.")
    return analyzer.add_turn("citizen", text).turn


@pytest.mark.parametrize("text", [
    "ja tak, det lyder rigtig fint",
    "okay, så venter jeg bare på brevet",
    "nej, det var egentlig det hele, tak for hjælpen",
])
def test_calm_turns_stay_below_two(text):
    assert _level(text).frustration < 2


@pytest.mark.parametrize("text", [
    "det er fuldstændig uacceptabelt, I har for helvede ikke svaret på en eneste af mine mails",
    "hvor mange gange skal jeg ringe før I gider tage jer af det? det er simpelthen for ringe",
    "I er jo totalt ligeglade med os borgere, det er en skandale",
])
def test_angry_turns_reach_two_with_their_words(text):
    turn = _level(text)
    assert turn.frustration >= 2
    assert turn.evidence


def test_abuse_keeps_at_least_level_two():
    assert _level("du er en inkompetent idiot").frustration >= 2


def test_hand_scorer_alone_still_runs():
    turn = _level("det er fuldstændig uacceptabelt", AnalyzerOptions(fitted_frustration=False))
    assert turn.frustration is not None
