"""Is the method suitable here: green / yellow / red with Danish reasons (wording in prompts/suggestions.toml)."""

from __future__ import annotations

from assistant.analysis.suggestions import NUMBER_WORDS_DA, load_templates
from assistant.analysis.types import Assessment, CallSignals
from assistant.vocabulary import MANY_POINTS


def method_suitable(signals: CallSignals) -> bool:
    """False with 3+ complaint points, a language or health barrier, or a threat (the method's own limits)."""
    return not (len(signals.complaint_points) >= MANY_POINTS or signals.language_barrier
                or signals.health_barrier or signals.threat)


def assess(signals: CallSignals, *, frustration_peak: int = 0) -> Assessment:
    """Traffic light for the call so far.

    Red: the method does not fit (threat, barrier, many points). Yellow: it fits with care (a decision
    complaint that must not be decided on the phone, two points, high frustration, a representative).
    Green otherwise.

    Args:
        signals: The call-level signals so far.
        frustration_peak: The citizen's highest frustration so far.

    Returns:
        The level with its reasons in Danish.
    """
    texts = load_templates().get("assessment", {})
    n = len(signals.complaint_points)
    red: list[str] = []
    yellow: list[str] = []
    if signals.threat:
        red.append(texts["threat"])
    if signals.language_barrier:
        red.append(texts["language_barrier"])
    if signals.health_barrier:
        red.append(texts["health_barrier"])
    if n >= MANY_POINTS:
        red.append(texts["many_points"].format(count=NUMBER_WORDS_DA.get(n, str(n))))
    if signals.complaint_kind in ("afgoerelse", "blandet"):
        yellow.append(texts["decision_complaint"])
    if n == 2:
        yellow.append(texts["two_points"])
    if frustration_peak >= 2:
        yellow.append(texts["high_frustration"])
    if signals.representative:
        yellow.append(texts["representative"])
    if red:
        return Assessment(level="red", reasons=red + yellow)
    if yellow:
        return Assessment(level="yellow", reasons=yellow)
    return Assessment(level="green", reasons=[texts["green"]])
