"""Complaint points from the fitted models on calls of our own: categories, merging, evidence, kind, at least one."""

from __future__ import annotations

import re

import pytest

from assistant.analysis.complaint_model import load_complaint_models
from assistant.analysis.complaints import ComplaintTracker
from assistant.analysis.fitted import FittedModel

WHEELCHAIR = [
    ("caseworker", "Goddag, Karin her fra Handicapområdet. Du har klaget til os. Passer det at tale nu?"),
    ("citizen", "ja det har jeg"),
    ("caseworker", "Hvad er der foregået?"),
    ("citizen", "jeg søgte om en ny kørestol i januar, og jeg har stadig ikke fået noget svar. "
                "det er over fem måneder nu"),
    ("caseworker", "Det er lang tid. Er der mere?"),
    ("citizen", "ja, jeg har skrevet tre mails til min sagsbehandler, og hun har aldrig svaret på nogen af dem. "
                "jeg har også ringet, men der er ingen der tager telefonen"),
    ("caseworker", "Har jeg opfattet det rigtigt, at du nu har ventet i fem måneder på et svar om kørestolen, "
                   "og at din sagsbehandler ikke er til at træffe?"),
    ("citizen", "ja, præcis"),
]

MEDICINE = [
    ("caseworker", "Hej, Jonas her fra Ydelsescentret. Du har klaget til os, så nu ringer jeg."),
    ("citizen", "jeg har fået afslag på tilskud til min medicin, og det er jeg fuldstændig uenig i. "
                "lægen siger jo, at jeg skal have den"),
    ("caseworker", "Hvad skete der, da du ringede til os?"),
    ("citizen", "manden i telefonen var virkelig uforskammet. han grinede ad mig og sagde, "
                "at jeg bare kunne klage, hvis jeg ikke var tilfreds"),
]

REPAYMENT = [
    ("caseworker", "Goddag, det er Mette fra Ydelseskontoret. Du har klaget over vores afgørelse om "
                   "tilbagebetaling af boligstøtte, så jeg ringer for at høre nærmere."),
    ("citizen", "ja tak fordi du ringer"),
    ("caseworker", "Hvad er det, der ikke er i orden, synes du?"),
    ("citizen", "I vil have mig til at betale otte tusind kroner tilbage, og det er jeg slet ikke enig i. "
                "min indtægt steg jo først i efteråret, så beregningen må være forkert vurderet"),
    ("caseworker", "Så du mener, at kravet om tilbagebetaling bygger på en forkert vurdering af din indtægt?"),
    ("citizen", "ja, det er præcis det"),
]
"""A decision-only complaint: the citizen disagrees with a repayment demand and nothing about the process."""

def _call(turns, transcript=False):
    from assistant.analysis.analyzer import CallAnalyzer

    analyzer = CallAnalyzer.create()
    for speaker, text in turns:
        analyzer.add_turn(speaker, re.sub(r"[.,!?]", "", text).lower() if transcript else text)
    return analyzer.state.call


def test_models_load_and_say_how_they_were_made():
    clause_model, call_model = load_complaint_models()
    assert isinstance(clause_model, FittedModel) and isinstance(call_model, FittedModel)
    assert "none" in clause_model.classes and "afgoerelse" in clause_model.classes
    assert 0.0 < call_model.thresholds["positive"] < 1.0
    assert clause_model.meta["scores"]["per_writer"] and call_model.meta["scores"]["per_writer"]


@pytest.mark.parametrize("transcript", [False, True])
def test_waiting_and_no_contact_are_two_points_in_the_citizens_words(transcript):
    call = _call(WHEELCHAIR, transcript)
    assert {p.category for p in call.complaint_points} == {"sagsbehandlingstid", "manglende_kontakt"}
    assert call.complaint_kind == "formalitet"
    for point in call.complaint_points:
        assert point.gist and point.turns
    waiting = next(p for p in call.complaint_points if p.category == "sagsbehandlingstid")
    assert "kørestol" in waiting.gist or "svar" in waiting.gist
    assert all(p.summarised for p in call.complaint_points)  # the caseworker summed them up


@pytest.mark.parametrize("transcript", [False, True])
def test_a_refusal_and_rude_staff_make_a_mixed_complaint(transcript):
    call = _call(MEDICINE, transcript)
    categories = {p.category for p in call.complaint_points}
    assert {"afgoerelse", "adfaerd"} <= categories
    assert call.complaint_kind == "blandet"
    decision = [f for f in call.flags if f.kind == "decision_complaint"]
    assert decision and decision[0].evidence


def test_listed_items_are_points_by_the_citizens_own_count(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("For det første kom min hjemmehjælper ikke i mandags. For det andet fik jeg et brev, "
                            "jeg ikke kunne forstå et ord af. For det tredje er min pension udbetalt for sent."))
    assert len(tracker.points) >= 3


def test_mentions_of_the_same_thing_merge_into_one_point(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("jeg har ventet på svar på min ansøgning om boligstøtte i fire måneder"))
    tracker.update(3, parse("og jeg venter stadig, der er ikke sket noget med min ansøgning"))
    waiting = [p for p in tracker.points if p.category == "sagsbehandlingstid"]
    assert len(waiting) == 1
    assert waiting[0].turns == [1, 3]


def test_a_call_about_a_complaint_has_at_least_one_point(parse):
    tracker = ComplaintTracker()
    tracker.caseworker(0, parse("Goddag, Ole her fra Vej og Park. Du har klaget over snerydningen, så nu ringer jeg."),
                       summary=False)
    tracker.update(1, parse("ja hej"))
    assert len(tracker.points) == 1


def test_points_show_the_words_and_features_that_raised_them(parse):
    tracker = ComplaintTracker()
    tracker.caseworker(0, parse("Hej, Mia her fra Affald og Genbrug. Det er angående din klage."), summary=False)
    tracker.update(1, parse("skraldespanden er ikke blevet tømt i tre uger, det lugter helt forfærdeligt"))
    assert [p.category for p in tracker.points] == ["service"]
    assert "skraldespanden" in tracker.points[0].gist
    assert tracker.strongest_features("service")


def test_caseworker_questions_that_neither_frame_nor_sum_up_are_not_scored(parse):
    tracker = ComplaintTracker()
    assert not tracker.caseworker(6, parse("Hvordan har du det ellers i dag?"), summary=False)
    assert tracker.points == []


STEP_BY_STEP = [
    ("caseworker", "Hej, Sofie her fra Pensionsafdelingen. Det er angående den klage, som du har sendt ind."),
    ("citizen", "Jeg har ventet over tre måneder på at få svar på min ansøgning om varmetillæg."),
    ("citizen", "Og når jeg ringer, er der aldrig nogen, der tager telefonen."),
    ("citizen", "Så kom der et afslag, og det er jeg slet ikke enig i."),
    ("citizen", "Brevet fra jer var umuligt at forstå, der stod ingen begrundelse i det."),
]


def test_a_point_once_raised_stays_while_the_call_goes_on():
    from assistant.analysis.analyzer import CallAnalyzer

    analyzer = CallAnalyzer.create()
    shown: list[set[str]] = []
    for speaker, text in STEP_BY_STEP:
        analyzer.add_turn(speaker, text)
        shown.append({p.category for p in analyzer.state.call.complaint_points})
    raised_after_waiting = shown[1]
    assert "sagsbehandlingstid" in raised_after_waiting
    for before, after in zip(shown[1:], shown[2:]):
        assert before <= after, shown  # nothing the caseworker has seen is taken back
    # The unreadable letter reads as information clause by clause (see the next test), but whether the call-level
    # model also raises it beside three stronger points depends on the fitted threshold: not asserted here.
    assert {"sagsbehandlingstid", "manglende_kontakt", "afgoerelse"} <= shown[-1]
    assert analyzer.state.call.complaint_kind == "blandet"


def test_a_letter_that_cannot_be_understood_is_an_information_point(parse):
    tracker = ComplaintTracker()
    tracker.caseworker(0, parse("Goddag, det er Lars fra Borgerservice. Jeg ringer om din klage."), summary=False)
    tracker.update(1, parse("Brevet fra jer var umuligt at forstå, der stod ingen begrundelse i det."))
    info = [p for p in tracker.points if p.category == "information"]
    assert info and "umuligt at forstå" in info[0].gist  # the citizen's own words are the evidence


def test_the_calls_likeliest_category_counts_from_the_floor_up_when_a_clause_reads_as_it():
    from assistant.analysis.complaint_model import TOP_POINT_PROBABILITY, top_category

    read_as = [("service", 0.9), ("fejl", 0.8)]
    assert top_category({"fejl": 0.2, "service": TOP_POINT_PROBABILITY}, read_as) == "service"
    assert top_category({"fejl": 0.2, "service": TOP_POINT_PROBABILITY - 0.01}, read_as) is None
    # afgoerelse is likeliest by the call model alone, but no clause reads as it: the clause-backed category counts
    assert top_category({"afgoerelse": 0.6, "service": 0.55}, read_as) == "service"
    assert top_category({"service": 0.9}, [("service", 0.2)]) is None  # a clause that reads as no point
    assert top_category({}, []) is None


@pytest.mark.parametrize("transcript", [False, True])
def test_disagreeing_with_a_repayment_demand_is_a_decision_complaint(transcript):
    call = _call(REPAYMENT, transcript)
    assert [p.category for p in call.complaint_points] == ["afgoerelse"]
    assert call.complaint_kind == "afgoerelse"
    assert any(word in call.complaint_points[0].gist for word in ("tilbage", "enig", "vurder"))
