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
