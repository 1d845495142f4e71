"""The domain's vocabulary in one place: codes and the Danish names every page, note and export shows.

Codes are what the analysis, the store and the wire carry; the Danish names are what a caseworker or a
supervisor reads. The pages get the same tables from `GET /vocabulary.js` (see `as_json`), so the
JavaScript does not repeat them. Change a name here and it changes everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any


def _frozen(table: dict[str, str]) -> Mapping[str, str]:
    return MappingProxyType(table)


COMPLAINT_CATEGORIES: Mapping[str, str] = _frozen({
    "sagsbehandlingstid": "Sagsbehandlingstid",
    "manglende_kontakt": "Manglende kontakt",
    "adfaerd": "Adfærd",
    "afgoerelse": "Afgørelse",
    "information": "Information",
    "fejl": "Fejl i sagen",
    "oekonomi": "Økonomi",
    "digital": "Digital selvbetjening",
    "service": "Service",
    "andet": "Andet",
})
"""Complaint-point category → Danish name (the categories of the labelled calls, shared/eval/SCHEMA.md)."""

COMPLAINT_KINDS: Mapping[str, str] = _frozen({
    "formalitet": "Klage over sagsbehandling/forløb (formalitet)",
    "afgoerelse": "Klage over afgørelse",
    "blandet": "Klage over både afgørelse og sagsbehandling",
})
"""What the complaint is about as a whole → Danish name."""

FLAGS: Mapping[str, str] = _frozen({
    "threat": "Trussel",
    "language_barrier": "Sprogbarriere",
    "health_barrier": "Helbredsbarriere",
    "decision_complaint": "Klage over afgørelse",
    "representative": "Partsrepræsentant",
    "many_points": "Mange klagepunkter",
    "high_frustration": "Høj frustration",
    "unresolved": "Uafklaret udfald",
})
"""Flag → Danish name: the analysis' flags (a threat includes a risk of self-harm: the analysis does not
separate them) and those the review derives from a call (many points, high frustration, unresolved)."""

CALL_OUTCOMES: Mapping[str, str] = _frozen({
    "lagt_ned": "Lagt ned",
    "fastholdt": "Fastholdt",
    "uafklaret": "Uafklaret",
})
"""How the call ended for the complaint (the outcome the store counts) → Danish name."""

NOTE_OUTCOMES: Mapping[str, str] = _frozen({
    "lagt_ned": "Klagen er trukket tilbage (bekræftes skriftligt)",
    "skriftligt_svar": "Klagen fastholdes – skriftligt svar ønsket",
    "genvurdering": "Klagen fastholdes – sendes til genvurdering",
    "uafklaret": "Uafklaret",
})
"""The outcome the caseworker chooses for the note (a kept complaint split by what happens next)."""

NOTE_OUTCOME_CALL_OUTCOME: Mapping[str, str] = _frozen({
    "lagt_ned": "lagt_ned", "skriftligt_svar": "fastholdt", "genvurdering": "fastholdt", "uafklaret": "uafklaret",
})
"""Note outcome → the call outcome it counts as."""

SPEAKERS: Mapping[str, str] = _frozen({
    "caseworker": "Sagsbehandler",
    "citizen": "Borger",
    "unknown": "Ukendt",
})

FRUSTRATION_LEVELS: tuple[str, ...] = ("Rolig", "Irriteret", "Frustreret", "Meget vred")
"""The citizen's frustration 0–3 (SCHEMA.md: calm, irritated, frustrated/angry, furious or abusive)."""

ASSESSMENT_LEVELS: Mapping[str, str] = _frozen({
    "green": "Grøn – metoden passer",
    "yellow": "Gul – vær opmærksom",
    "red": "Rød – metoden passer ikke her",
})
"""The traffic light: is the method ("styrket borgerkontakt") suitable for this call."""

REVIEW_STATUSES: Mapping[str, str] = _frozen({
    "reviewed": "Gennemgået",
    "partly_reviewed": "Delvist gennemgået",
    "not_reviewed": "Ikke gennemgået",
})
"""Whether a supervisor has given a verdict on every flag of a call, some of them, or none."""

NOTE_STATUSES: Mapping[str, str] = _frozen({
    "draft": "Udkast",
    "approved": "Godkendt",
})

MANY_POINTS = 3
"""This many complaint points or more make the method unsuitable (the method's own limit)."""

HIGH_FRUSTRATION = 2
"""A citizen frustration at or above this level is high (the review flags the call)."""


def label(table: Mapping[str, str], code: str | None, *, default: str = "") -> str:
    """The Danish name of `code` in `table`; `default` for None, the code itself when unknown."""
    if not code:
        return default
    return table.get(code, code)


def frustration_name(level: int | None) -> str:
    """"2 – Frustreret" for 2; "–" when unknown."""
    if level is None or not 0 <= level < len(FRUSTRATION_LEVELS):
        return "–"
    return f"{level} – {FRUSTRATION_LEVELS[level]}"


def plural(count: int, singular: str, plural_form: str) -> str:
    """"1 sag", "0 sager", "2 sager": the count with the word in the right number."""
    return f"{count} {singular if count == 1 else plural_form}"


def as_json() -> dict[str, Any]:
    """Every table, JSON-ready, for the pages (served as `window.VOCABULARY` by `GET /vocabulary.js`)."""
    return {
        "complaint_categories": dict(COMPLAINT_CATEGORIES),
        "complaint_kinds": dict(COMPLAINT_KINDS),
        "flags": dict(FLAGS),
        "call_outcomes": dict(CALL_OUTCOMES),
        "note_outcomes": dict(NOTE_OUTCOMES),
        "speakers": dict(SPEAKERS),
        "frustration_levels": list(FRUSTRATION_LEVELS),
        "assessment_levels": dict(ASSESSMENT_LEVELS),
        "review_statuses": dict(REVIEW_STATUSES),
        "note_statuses": dict(NOTE_STATUSES),
        "many_points": MANY_POINTS,
        "high_frustration": HIGH_FRUSTRATION,
    }
