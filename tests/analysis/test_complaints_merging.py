"""Complaint points: when repeats and echoes merge, and when a second point is a new one (own sentences)."""

from __future__ import annotations

from assistant.analysis.complaints import ComplaintTracker


def _cats(tracker: ComplaintTracker) -> list[str]:
    return sorted(p.category for p in tracker.points)


def test_summary_echo_of_a_contact_point_adds_no_waiting_point(parse):
    # "ikke fået svar på" reads as waiting or as no contact; the words count once, for the stronger reading.
    tracker = ComplaintTracker()
    tracker.update(1, parse("jeg har sendt tre mails til jobcentret og ingen har svaret mig"))
    assert _cats(tracker) == ["manglende_kontakt"]
    tracker.support(parse("så du har ikke fået svar på de mails du har sendt, er det rigtigt forstået"),
                    summary_of=1)
    assert _cats(tracker) == ["manglende_kontakt"]


def test_weak_point_said_in_two_turns_becomes_one_point(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("min mor har lige fået en ny vikar igen"))
    assert tracker.points == []  # one mention of a substitute is not yet a complaint
    tracker.update(3, parse("ja og i dag stod der så endnu en vikar i døren, det er altså ikke i orden"))
    assert _cats(tracker) == ["service"]
    assert tracker.points[0].turns == [1, 3]


def test_a_topic_word_said_twice_in_passing_is_no_point(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("min mor har lige fået en ny vikar"))
    tracker.update(3, parse("ja hun fik en vikar i går og en i dag"))
    assert tracker.points == []


def test_weak_evidence_in_one_turn_only_stays_pending(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("min mor har lige fået en ny vikar igen"))
    tracker.update(3, parse("hun er ellers glad for at bo der"))
    assert tracker.points == []


def test_not_understanding_is_information_only_about_a_letter_or_text(parse):
    letter = ComplaintTracker()
    letter.update(1, parse("brevet fra jer forstår jeg ikke en brik af"))
    assert _cats(letter) == ["information"]
    why = ComplaintTracker()  # indignation about an action, not unclear information
    why.update(1, parse("jeg forstår simpelthen ikke hvorfor de sendte ham hjem igen"))
    assert why.points == []
    hearing = ComplaintTracker()  # a request to repeat is a language matter, not a complaint
    hearing.update(1, parse("undskyld jeg forstår ikke hvad du siger kan du sige det igen"))
    assert hearing.points == []


def test_not_understanding_a_refusal_is_about_the_decision(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("jeg forstår ikke jeres afslag på min boligstøtte"))
    assert _cats(tracker) == ["afgoerelse"]
    assert tracker.kind() == "afgoerelse"


def test_wrong_name_or_address_is_an_error_in_the_case(parse):
    for text in ("indkaldelsen blev sendt til min tidligere adresse så jeg kom ikke til mødet",
                 "de har skrevet mit navn og mit cpr-nummer forkert i afgørelsen",
                 "brevet var adresseret til en anden familie"):
        tracker = ComplaintTracker()
        tracker.update(1, parse(text))
        assert _cats(tracker) == ["fejl"], text


def test_a_disclaimer_withdraws_what_was_just_talked_about(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("skraldespanden væltede i blæsten og låget knækkede, og jeg har ringet tre gange "
                            "uden at nogen ringer tilbage"))
    assert _cats(tracker) == ["manglende_kontakt", "service"]
    tracker.update(3, parse("spanden har stået og flydt i en uge, men det er jo ikke jeres skyld at det blæser"))
    assert _cats(tracker) == ["manglende_kontakt"]


def test_not_your_fault_to_the_caseworker_keeps_the_complaint(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("jeg har ventet på svar på min ansøgning om boligstøtte i otte uger"))
    tracker.update(3, parse("og det er ikke din skyld, men jeg har altså ventet alt for længe"))
    assert _cats(tracker) == ["sagsbehandlingstid"]
    assert tracker.points[0].turns == [1, 3]


def test_a_point_on_record_in_a_summary_survives_a_disclaimer(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("skraldespanden er ikke blevet tømt i tre uger"))
    tracker.support(parse("så hvis jeg forstår dig ret, er skraldespanden ikke blevet tømt i tre uger"),
                    summary_of=1)
    tracker.update(3, parse("ja men spanden væltede også i stormen og det er jo ikke jeres skyld"))
    assert _cats(tracker) == ["service"]


def test_a_question_that_is_not_a_complaint(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("det er ikke en klage men hvornår kommer skraldebilen efter juletræerne"))
    assert tracker.points == []


def test_a_point_raised_twice_survives_a_later_disclaimer(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("skraldespanden er ikke blevet tømt i tre uger"))
    tracker.update(3, parse("og spanden er stadig ikke tømt, det er ikke i orden"))
    tracker.update(5, parse("spanden væltede også i stormen men det er jo ikke jeres skyld"))
    assert _cats(tracker) == ["service"]
