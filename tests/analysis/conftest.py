"""Fixtures for the analysis tests: the shared Danish pipeline (built once), a turn parser, test calls."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def nlp():
    from assistant.analysis.pipeline import get_nlp

    return get_nlp()


@pytest.fixture(scope="session")
def parse(nlp):
    """Parse a text into the analysis' TurnText."""
    from assistant.analysis.text import TurnText

    def _parse(text: str):
        return TurnText.from_doc(nlp(text))

    return _parse


@pytest.fixture()
def analyzer(nlp):
    from assistant.analysis.analyzer import CallAnalyzer

    return CallAnalyzer.create()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture
def threat_after(parse):
    """A threat tracker fed (speaker, text) turns in order: ``threat_after([("citizen", "..."), ...])``."""
    from assistant.analysis.threat import ThreatTracker

    def _run(turns: list[tuple[str, str]]) -> ThreatTracker:
        tracker = ThreatTracker()
        for i, (speaker, text) in enumerate(turns):
            if speaker == "citizen":
                tracker.update_citizen(i, parse(text))
            else:
                tracker.update_caseworker(i, parse(text))
        return tracker

    return _run
