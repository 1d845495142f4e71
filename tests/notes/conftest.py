"""Note fixtures: the sample call scripts, run once through the real analysis."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from assistant.analysis.types import CallSignals
from assistant.notes import CallRecord, NoteTurn
from assistant.paths import SAMPLES_DIR

SCRIPTS = sorted(SAMPLES_DIR.glob("*.script.json"))


def make_analyzer():
    try:
        from assistant.analysis import CallAnalyzer
    except ImportError:  # the package may not re-export it
        from assistant.analysis.analyzer import CallAnalyzer
    return CallAnalyzer.create()


def analyse(turns: list[tuple[str, str]]) -> CallSignals:
    """The call signals after the last turn, from the real analyzer."""
    analyzer = make_analyzer()
    update = None
    for speaker, text in turns:
        update = analyzer.add_turn(speaker, text)
    assert update is not None
    return update.call


def record_for(turns: list[tuple[str, str]], signals: CallSignals | None, **extra) -> CallRecord:
    start = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
    return CallRecord(call_id="test", started_at=start, ended_at=start + timedelta(minutes=7),
                      turns=[NoteTurn(speaker=s, text=t) for s, t in turns], signals=signals,
                      caseworker_name="Mette Hansen", **extra)


@pytest.fixture(scope="session")
def analysed_samples() -> dict[str, tuple[list[tuple[str, str]], CallSignals]]:
    """Every recordings_sample/*.script.json: (turns, final call signals)."""
    result = {}
    for path in SCRIPTS:
        script = json.loads(path.read_text(encoding="utf-8"))
        turns = [(t["speaker"], t["text"]) for t in script["turns"]]
        result[path.name.removesuffix(".script.json")] = (turns, analyse(turns))
    return result
