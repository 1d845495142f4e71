"""Threat/self-harm and health barrier on our own probe calls (``threat_health_probes.py``), clean and as a
recogniser hands them over: the issue's goals (threat recall >= 0.90 with precision >= 0.70, health barrier
F1 >= 0.80; on recogniser text at most 10 points below), evidence taken from the call's own words."""

from __future__ import annotations

import re

import pytest

from tests.analysis.threat_health_probes import (
    PROBES, Score, flags_of, load_probes, recogniser_version, score,
)

VERSIONS = ("turns", "recogniser")


@pytest.fixture(scope="module")
def probes():
    return load_probes()


#: Batch 5 was written after the last change to the threat families and is kept as a held-out measurement: the
#: goals below are asserted on the batches the families were built against, batch 5 only on precision (its recall
#: is reported, see threat_health_probes.py; a lexicon that never saw a wording misses it).
HELD_OUT = "b5-"


@pytest.fixture(scope="module")
def scores(nlp, probes) -> dict[tuple[str, str], Score]:
    built_on = [p for p in probes if not p.id.startswith(HELD_OUT)]
    return {(signal, version): score(built_on, signal, version)
            for signal in ("threat", "health") for version in VERSIONS}


@pytest.mark.parametrize("version", VERSIONS)
def test_threat_precision_on_the_held_out_batch(nlp, probes, version):
    held_out = [p for p in probes if p.id.startswith(HELD_OUT)]
    assert held_out
    s = score(held_out, "threat", version)
    assert s.precision >= 0.70, s.false_flags


def _f1(s: Score) -> float:
    return 2 * s.precision * s.recall / (s.precision + s.recall) if s.precision + s.recall else 0.0


def test_probe_set_has_positives_and_hard_negatives_for_both_signals(probes):
    for signal in ("threat", "health"):
        golds = [p.gold for p in probes if p.signal == signal]
        assert sum(golds) >= 20 and golds.count(False) >= 20, signal


def test_recogniser_copies_are_the_stored_ones_and_look_like_recogniser_text(probes):
    for probe in probes:
        made = tuple((speaker, recogniser_version(text, probe.id)) for speaker, text in probe.turns)
        assert made == probe.recogniser, probe.id
        for _, text in probe.recogniser:
            assert text == text.lower() and not re.search(r"[.,?!;:]", text), (probe.id, text)


def test_recogniser_version_splits_compounds_and_drops_punctuation():
    text = recogniser_version("Jeg har talt mine sovepiller, og jeg har skrevet et afskedsbrev.", "x")
    words = text.split()
    assert "sove" in words and "brev" in words and "sovepiller" not in text and "afskedsbrev" not in text
    assert "," not in text and "." not in text


@pytest.mark.parametrize("version", VERSIONS)
def test_threat_recall_first_with_precision(scores, version):
    s = scores[("threat", version)]
    recall, precision = (0.90, 0.70) if version == "turns" else (0.80, 0.60)
    assert s.recall >= recall and s.precision >= precision, (s.missed, s.false_flags)


@pytest.mark.parametrize("version", VERSIONS)
def test_health_barrier_f1(scores, version):
    s = scores[("health", version)]
    assert _f1(s) >= (0.80 if version == "turns" else 0.70), (s.missed, s.false_flags)


def test_threat_evidence_is_words_of_the_call(nlp, probes):
    from assistant.analysis.analyzer import CallAnalyzer

    for probe in (p for p in probes if p.signal == "threat" and p.gold):
        analyzer = CallAnalyzer.create()
        for speaker, text in probe.turns:
            state = analyzer.add_turn(speaker, text)
        flags = [f for f in state.call.flags if f.kind == "threat"]
        if not flags:
            continue
        said = " ".join(text.lower() for _, text in probe.turns)
        words = set(re.findall(r"\w+", said))
        for item in flags[0].evidence:
            assert set(re.findall(r"\w+", item.lower())) <= words, (probe.id, item)


def test_data_file_exists():
    assert PROBES.is_file()


def test_a_relatives_illness_is_not_the_callers_barrier(nlp):
    flags = flags_of([("caseworker", "Hej, jeg ringer fra kommunen om din klage."),
                      ("citizen", "Min far har Parkinson, og han kan ikke huske sine aftaler."),
                      ("citizen", "Hun, min mor altså, har svært ved at overskue det hele.")])
    assert not flags["health"]


# context.jsonl is no pattern file: its "|" lists are word families (features.context_families)
@pytest.mark.parametrize("name", ["threat", "barrier", "frustration", "negative", "calm", "complaint", "phase", "coaching"])
def test_no_alternative_swallows_a_phrase(name):
    """Specs are split at spaces, so "får fri|går hjem" is three specs, not two phrases: a plain word that
    repeats an alternative of an earlier spec betrays such a line (it then matches almost nothing)."""
    import json

    from assistant.analysis.lexicon import DATA_DIR

    broken = []
    for line in (DATA_DIR / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.startswith("{"):
            continue
        specs = json.loads(line)["pattern"].split()
        for i, spec in enumerate(specs):
            if "|" not in spec and spec != "..." and any(spec in s.split("|") for s in specs[:i] if "|" in s):
                broken.append(" ".join(specs))
    assert not broken, broken


# a heuristic: in other lexicons lines such as "tak fordi|for at du|de ringede" are right and would be flagged
@pytest.mark.parametrize("name", ["threat"])
def test_no_alternative_ends_in_a_function_word_of_a_phrase(name):
    """"til besvær|til last" is split at spaces into "til", "besvær|til", "last": an alternative list that ends in
    a short function word followed by a plain word betrays a phrase written as one alternative."""
    import json

    from assistant.analysis.lexicon import DATA_DIR

    function_words = {"mig", "en", "et", "det", "at", "til", "sig", "dem", "den", "på", "med", "for", "af", "op",
                      "ud", "om", "ned"}
    broken = []
    for line in (DATA_DIR / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.startswith("{"):
            continue
        specs = json.loads(line)["pattern"].split()
        for spec, following in zip(specs, specs[1:]):
            alts = spec.split("|")
            if len(alts) > 1 and alts[-1] in function_words and "|" not in following and following != "...":
                broken.append(" ".join(specs))
    assert not broken, broken
