"""What the note says: the threat and the ended call first, agreements as the note's own statements, dates."""

from __future__ import annotations

import re
from datetime import date

from notes.conftest import analyse, record_for

from assistant.analysis.types import Flag
from assistant.notes import NoteOptions, draft_note, render_markdown

OPTIONS = NoteOptions(today=date(2026, 11, 23))


def section(markdown: str, heading: str) -> str:
    found = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", markdown, re.MULTILINE | re.DOTALL)
    assert found, f"no section {heading!r} in:\n{markdown}"
    return found.group(1)


def test_note_names_the_threat_and_that_the_call_was_ended_for_it(analysed_samples):
    turns, signals = analysed_samples["06_trussel_sanktion"]
    assert signals.threat, "the sample is a threat call (precondition)"
    markdown = render_markdown(draft_note(record_for(turns, signals), OPTIONS))
    threat = section(markdown, "Trussel i samtalen")
    # The citizen's words as said, whole sentences (the analysis' token form "ved , hvor" is not shown)
    assert "»Jeg ved, hvor din kollega bor.«" in threat
    assert " , " not in threat
    assert "Sagsbehandleren afsluttede samtalen på grund af truslen." in threat
    assert "Sagsbehandleren orienterer sin leder." in threat
    assert "afsluttet af sagsbehandleren på grund af en trussel" in section(markdown, "Resultat")
    assert "procedure for vold og trusler" in section(markdown, "Næste skridt og frister")
    # First of all: before the participants and the complaint points
    assert markdown.index("## Trussel i samtalen") < markdown.index("## Deltagere") < markdown.index("## Klagepunkter")


def test_no_threat_section_in_a_calm_call(analysed_samples):
    turns, signals = analysed_samples["01_ventetid_rolig"]
    markdown = render_markdown(draft_note(record_for(turns, signals), OPTIONS))
    assert "Trussel" not in markdown and "afsluttede samtalen" not in markdown


def test_words_about_self_harm_are_named_as_such():
    turns = [
        ("caseworker", "Goddag, det er Lars fra Ydelseskontoret. Det drejer sig om dine indvendinger "
                       "mod nedsættelsen af boligstøtten."),
        ("citizen", "Jeg kan ikke mere. Hvis I stopper pengene, så skader jeg mig selv, det lover jeg."),
        ("caseworker", "Det bliver jeg bekymret over at høre. Jeg afslutter samtalen nu og taler med min leder."),
    ]
    # The note reports the analysis' threat flag (which covers self-harm); what the analysis detects is tested in
    # tests/analysis, so the flag is given here as the analysis would give it.
    signals = analyse(turns)
    signals.threat = True
    signals.flags = [*signals.flags, Flag(kind="threat", evidence=["skader jeg mig selv"], turns=[1])]
    markdown = render_markdown(draft_note(record_for(turns, signals), OPTIONS))
    harm = section(markdown, "Risiko for selvskade")
    assert "skader jeg mig selv" in harm
    assert "Sagsbehandleren afsluttede samtalen på grund af udtalelserne." in harm
    assert "bekymring for selvskade" in section(markdown, "Næste skridt og frister")


def test_agreements_are_the_notes_own_statements_with_dates():
    # The call is on Monday 23 November 2026 (record_for)
    turns = [
        ("caseworker", "Goddag, det er Sara fra Pladsanvisningen. Anledningen er dine indvendinger mod ventelisten."),
        ("citizen", "Jeg har stået på listen i et halvt år, og ingen svarer på mine mails."),
        ("caseworker", "Det forstår jeg godt. Jeg sender dig en opgørelse over ventelisten på torsdag."),
        ("caseworker", "Vi ringer til dig igen om syv dage."),
        ("citizen", "Fint. Jeg sender jer fødselsattesten i morgen."),
    ]
    draft = draft_note(record_for(turns, analyse(turns)), OPTIONS)
    agreements = section(render_markdown(draft), "Aftaler")
    assert "Sagsbehandleren sender borgeren en opgørelse over ventelisten torsdag den 26. november 2026." in agreements
    assert "Kommunen ringer til borgeren igen den 30. november 2026." in agreements
    assert "Borgeren sender kommunen fødselsattesten den 24. november 2026." in agreements
    # Nobody speaks in the first or second person in the note's own statements
    assert not re.search(r"\b(jeg|du|dig|mig|din)\b", agreements, re.IGNORECASE), agreements
    assert [a.due for a in draft.agreements] == [date(2026, 11, 26), date(2026, 11, 30), date(2026, 11, 24)]


def test_explanations_are_stated_in_the_third_person_too():
    turns = [
        ("caseworker", "Goddag, det er Sara fra Pladsanvisningen. Jeg har læst dine indvendinger mod ventelisten."),
        ("citizen", "Ja, jeg forstår ikke, hvorfor min søn ikke har fået en plads endnu."),
        ("caseworker", "Pladserne fordeles efter reglerne om anciennitet, og derfor venter I stadig. "
                       "Men du har ret til at klage over afgørelsen, hvis vi siger nej."),
    ]
    explanations = section(render_markdown(draft_note(record_for(turns, analyse(turns)), OPTIONS)),
                           "Sagsbehandlerens forklaringer og vejledning")
    assert "Men borgeren har ret til at klage over afgørelsen, hvis kommunen siger nej." in explanations
    assert "derfor venter borgeren stadig" in explanations  # the caseworker's "I" is the citizen's family
    assert "Sagsbehandleren ringer, fordi" not in explanations  # the call's opening is no explanation
    assert not re.search(r"\b(jeg|du|dig|din|vi)\b", explanations, re.IGNORECASE), explanations


def test_a_threat_the_call_went_on_after_is_named_without_claiming_it_ended_the_call():
    turns = [
        ("caseworker", "Goddag, det er Lars fra Vej og Park. Din henvendelse om den manglende snerydning er sendt videre til mig."),
        ("citizen", "Hvis I ikke rydder vejen i morgen, så smadrer jeg jeres plov."),
        ("caseworker", "Jeg kan sagtens forstå din vrede. Vi kommer og rydder vejen i morgen tidlig."),
    ]
    signals = analyse(turns)
    signals.threat = True  # given as the analysis gives it (what it detects is tested in tests/analysis)
    signals.flags = [f for f in signals.flags if f.kind != "threat"] + [
        Flag(kind="threat", evidence=["smadrer jeg jeres plov"], turns=[1])]
    markdown = render_markdown(draft_note(record_for(turns, signals), OPTIONS))
    threat = section(markdown, "Trussel i samtalen")
    assert "som kan opfattes som en trussel:" in threat
    assert "»Hvis I ikke rydder vejen i morgen, så smadrer jeg jeres plov.«" in threat
    assert "afsluttede samtalen" not in markdown and "afsluttet af sagsbehandleren" not in markdown
