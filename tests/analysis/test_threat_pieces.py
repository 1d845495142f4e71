"""Risk said in pieces over several turns, lawful escalation, and weariness that is no health barrier.

All sentences are written for these tests (general Danish), not taken from labelled calls.
"""

from __future__ import annotations

import pytest

from assistant.analysis.barriers import BarrierTracker
from assistant.analysis.threat import ThreatTracker


def _citizen_turns(parse, texts: list[str]) -> ThreatTracker:
    tracker = ThreatTracker()
    for i, text in enumerate(texts):
        tracker.update_caseworker(2 * i, parse("okay, jeg forstår"))
        tracker.update_citizen(2 * i + 1, parse(text))
    return tracker


def _barrier_turns(parse, texts: list[str]) -> BarrierTracker:
    tracker = BarrierTracker()
    for i, text in enumerate(texts):
        tracker.update_caseworker(2 * i, parse("okay, jeg forstår"))
        tracker.update_citizen(2 * i + 1, parse(text), "da", 0)
    return tracker


@pytest.mark.parametrize("turns", [
    ["jeg ved godt hvor sagsbehandleren bor", "hun må hellere passe på"],
    ["jeg har sovepillerne liggende i skuffen", "det varer nok ikke så længe"],
    ["han hit me again last night"],
    ["hvis han gør det igen, får han en på skallen"],
])
def test_risk_in_pieces_raises_a_threat_with_its_words(parse, turns):
    tracker = _citizen_turns(parse, turns)
    assert tracker.threat
    flag = next(f for f in tracker.public_flags() if f.kind == "threat")
    assert flag.evidence


@pytest.mark.parametrize("turns", [
    ["min søster bor ude ved kysten", "hun kommer på besøg i weekenden"],
    ["det er ikke en trussel, men sagen går videre til min advokat"],
    ["jeg skal passe på min mor, hun bor alene"],
    ["brevet nævnte en frist på fjorten dage"],
])
def test_ordinary_talk_raises_no_threat(parse, turns):
    assert not _citizen_turns(parse, turns).threat


def test_being_fed_up_is_no_health_barrier(parse):
    tracker = _barrier_turns(parse, ["jeg er altså så træt af det her", "jeg er så træt af at vente på jer",
                                     "ærlig talt, jeg er led af det"])
    assert not tracker.health_barrier


def test_illness_that_hinders_the_talk_is_a_health_barrier(parse):
    tracker = _barrier_turns(parse, ["undskyld, jeg kan ikke huske hvad du sagde",
                                     "jeg mister tråden, det er min nye medicin, jeg bliver så træt"])
    assert tracker.health_barrier
