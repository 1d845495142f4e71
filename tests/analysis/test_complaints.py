"""Complaint points: categories, merging repeats, enumerated lists, complaint kind."""

from __future__ import annotations

from assistant.analysis.complaints import ComplaintTracker


def _cats(tracker: ComplaintTracker) -> list[str]:
    return [p.category for p in tracker.points]


def test_two_points_in_one_turn(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("Jeg har lagt besked tre gange og ingen ringer tilbage. "
                            "Og hun var virkelig nedladende da jeg endelig fik fat i hende."))
    assert sorted(_cats(tracker)) == ["adfaerd", "manglende_kontakt"]
    assert all(p.gist for p in tracker.points)
    assert all(p.turns == [1] for p in tracker.points)


def test_repeats_merge(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("vi har ventet på svar i fire måneder og sagsbehandlingstiden er alt for lang"))
    tracker.update(3, parse("ja og vi venter stadig på svar, det har taget lang tid"))
    assert _cats(tracker) == ["sagsbehandlingstid"]
    assert tracker.points[0].turns == [1, 3]


def test_enumerated_items_are_separate_points(parse):
    tracker = ComplaintTracker()
    tracker.update(3, parse("Punkt et: skraldespanden er ikke blevet tømt i tre uger. "
                            "Punkt to: storskraldet blev heller ikke hentet. "
                            "Punkt tre: jeg har fået en regning med et forkert beløb."))
    assert _cats(tracker) == ["service", "service", "oekonomi"]


def test_asr_like_text_without_punctuation(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("jeg har fået afslag på min ansøgning og jeg er helt uenig i afgørelsen"))
    assert _cats(tracker) == ["afgoerelse"]
    assert tracker.kind() == "afgoerelse"


def test_kind_mixed_and_formal(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("jeg er uenig i afslaget"))
    assert tracker.kind() == "afgoerelse"
    tracker.update(3, parse("og medarbejderen grinede af mig i telefonen, det var uhøfligt"))
    assert tracker.kind() == "blandet"
    formal = ComplaintTracker()
    formal.update(1, parse("min MitID virker ikke på selvbetjeningen"))
    assert formal.kind() == "formalitet"


def test_caseworker_corroboration_promotes_weak_point(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("maden er kold"))
    weak = list(tracker.points)
    tracker.support(parse("Jeg ringer om din klage over madservice og maden der kommer kold"))
    assert weak == [] or _cats(tracker) == ["service"]
    assert _cats(tracker) == ["service"]


def test_small_talk_is_no_complaint(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("ja hej det er mig, jeg sidder bare og drikker kaffe"))
    assert tracker.points == []


def test_caseworker_recap_adds_a_lost_point(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("øh ja altså det der med det"))  # the transcript lost the citizen's words
    assert tracker.points == []
    tracker.support(parse("Så hvis jeg forstår dig ret, har du ikke fået din udbetaling, og pengene er ikke "
                          "kommet på din konto?"), summary_of=1)
    assert _cats(tracker) == ["oekonomi"]
    assert tracker.points[0].turns == [1]
