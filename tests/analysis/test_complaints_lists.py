"""Complaint points from a citizen's own list: each listed item is a point, also when the transcript lost the
punctuation or misheard the numbers (own sentences)."""

from __future__ import annotations

from assistant.analysis.complaints import ComplaintTracker, list_items


def _cats(tracker: ComplaintTracker) -> list[str]:
    return [p.category for p in tracker.points]


def test_ordinal_list_without_punctuation_gives_one_point_per_item(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("for det første er min boligstøtte ikke blevet udbetalt for det andet ringer ingen "
                            "tilbage og det tredje er at brevet var helt uforståeligt"))
    assert _cats(tracker) == ["oekonomi", "manglende_kontakt", "information"]
    assert tracker.points[1].gist.startswith("ringer ingen tilbage")


def test_misheard_item_numbers_still_mark_items(parse):
    turn = parse("punkt en vores vej er ikke blevet saltet i hele januar punkt tu fortovet er heller ikke ryddet "
                 "punkt tre jeg har skrevet to gange uden at få svar")
    assert [s.enumerated for s in list_items(turn)] == [True, True, True]
    tracker = ComplaintTracker()
    tracker.update(1, turn)
    # two items of the same category stay two points
    assert _cats(tracker) == ["service", "service", "manglende_kontakt"]


def test_a_listed_item_on_weak_words_is_still_a_point(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("jeg har to ting for det første søgte jeg om hjælp til briller i marts og hørte først "
                            "noget i juli og for det andet var sagsbehandleren meget afvisende"))
    assert _cats(tracker) == ["sagsbehandlingstid", "adfaerd"]
    assert all(not p.gist.startswith(("for det", "andet", "første")) for p in tracker.points)


def test_a_listed_thank_you_is_no_point(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("for det første vil jeg sige tak for hjælpen for det andet kan jeg ikke finde ud af "
                            "at bruge det nye system på hjemmesiden"))
    assert _cats(tracker) == ["digital"]


def test_one_ordinal_is_no_list(parse):
    assert list_items(parse("det andet brev kom i går og det var fint nok")) == []


def test_a_spoken_new_point_marker_opens_a_second_point(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("hjemmeplejen kom ikke i tirsdags og en anden ting er at de aldrig ringer når de "
                            "bliver forsinkede"))
    assert _cats(tracker) == ["service", "manglende_kontakt"]
    assert tracker.points[1].gist.startswith("de aldrig ringer")


def test_derudover_separates_two_points_in_one_breath(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("jeg har ventet på svar på min ansøgning i ti uger og derudover har jeg ringet fem "
                            "gange uden at nogen ringer tilbage"))
    assert _cats(tracker) == ["sagsbehandlingstid", "manglende_kontakt"]


def test_a_second_point_of_the_same_category_after_a_marker(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("skraldespanden er ikke blevet tømt i tre uger og så er der også storskraldet som "
                            "heller ikke er blevet hentet"))
    assert _cats(tracker) == ["service", "service"]


def test_marker_words_inside_a_clause_are_no_marker(parse):
    assert list_items(parse("det er en helt anden ting men jeg er glad for min nye bolig")) == []
    assert list_items(parse("jeg troede egentlig noget andet om det")) == []


def test_a_question_after_a_spoken_marker_is_no_point(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("jeg har ventet på svar i seks uger og så en anden ting hvornår henter I egentlig "
                            "juletræerne i år"))
    assert _cats(tracker) == ["sagsbehandlingstid"]


def test_conduct_after_a_spoken_marker(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("maden var kold igen i går og en anden ting er at chaufføren var ret sur på mig"))
    assert _cats(tracker) == ["service", "adfaerd"]


def test_a_list_of_wishes_is_no_list_of_complaints(parse):
    tracker = ComplaintTracker()
    tracker.update(1, parse("jeg har to ønsker for det første vil jeg gerne have en ny tid og for det andet vil jeg "
                            "gerne have kopi af mine papirer"))
    assert tracker.points == []
