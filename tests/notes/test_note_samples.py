"""The note of every sample call holds its complaint points and outcome; the decision sample holds the
complaint guidance; no CPR number survives in the note or in any export."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest

from assistant.notes import NoteOptions, draft_note, export_note, render_markdown
from assistant.notes.draft import OUTCOME_TEXTS
from assistant.masking import contains_cpr
from notes.conftest import SCRIPTS, record_for

# Outcomes read off each sample's scenario by hand (the cue rules must find them).
EXPECTED_OUTCOME = {
    "01_ventetid_rolig": "lagt_ned",
    "02_flere_klagepunkter_frustreret": "skriftligt_svar",
    "03_sprogbarriere_engelsk": "uafklaret",
    "04_afgoerelse_hjaelpemiddel": "genvurdering",
    "05_helbred_hukommelse": "uafklaret",
    "06_trussel_sanktion": "skriftligt_svar",
}
OPTIONS = NoteOptions(today=date(2026, 11, 23))


@pytest.mark.parametrize("name", [p.name.removesuffix(".script.json") for p in SCRIPTS])
def test_sample_note_has_points_and_outcome(name, analysed_samples):
    turns, signals = analysed_samples[name]
    draft = draft_note(record_for(turns, signals), OPTIONS)
    markdown = render_markdown(draft)
    for point in signals.complaint_points:
        gist = point.gist if len(point.gist) < 200 else point.gist[:150]
        assert gist in markdown, f"{name}: point {point.gist!r} missing"
        assert f"- {draft.complaint_points[0].label}:" in markdown
    if name in EXPECTED_OUTCOME:
        assert draft.outcome == EXPECTED_OUTCOME[name]
    assert OUTCOME_TEXTS[draft.outcome] in markdown
    for heading in ("## Deltagere", "## Klagepunkter", "## Borgerens oplysninger",
                    "## Sagsbehandlerens forklaringer og vejledning", "## Aftaler", "## Resultat",
                    "## Næste skridt og frister"):
        assert heading in markdown
    assert "kl. 10.00–10.07" in markdown  # Copenhagen time
    assert "Mette Hansen" in markdown


def test_decision_sample_has_complaint_guidance(analysed_samples):
    turns, signals = analysed_samples["04_afgoerelse_hjaelpemiddel"]
    record = record_for(turns, signals, decision_date=date(2026, 11, 16), case_reference="2026-4711")
    markdown = render_markdown(draft_note(record, OPTIONS))
    assert "Klagefristen er 4 uger" in markdown
    assert "til og med 14. december 2026" in markdown  # 16 November + 28 days
    assert "genvurder" in markdown and "Ankestyrelsen" in markdown
    assert "Vejledningen blev givet mundtligt i samtalen." in markdown
    assert "2026-4711" in markdown


def test_non_decision_sample_has_no_complaint_guidance(analysed_samples):
    turns, signals = analysed_samples["01_ventetid_rolig"]
    markdown = render_markdown(draft_note(record_for(turns, signals), OPTIONS))
    assert "Klagefristen" not in markdown
    assert "Borgeren trak klagen tilbage" in markdown


def test_language_sample_names_the_interpreter(analysed_samples):
    turns, signals = analysed_samples["03_sprogbarriere_engelsk"]
    draft = draft_note(record_for(turns, signals), OPTIONS)
    assert any(p.startswith("Tolk:") for p in draft.participants)


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _docx_text(content: bytes) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


@pytest.mark.parametrize("cpr", ["010190-1234", "0101901234", "010190 1234"])
def test_no_cpr_survives_in_note_or_exports(analysed_samples, cpr):
    turns, signals = analysed_samples["02_flere_klagepunkter_frustreret"]
    turns = list(turns)
    # Inject the CPR into the first citizen turn the complaint points come from, so the account quotes it.
    index = signals.complaint_points[0].turns[0]
    turns[index] = (turns[index][0], f"Mit CPR-nummer er {cpr}, hvis I skal finde sagen. " + turns[index][1])
    markdown = render_markdown(draft_note(record_for(turns, signals), OPTIONS))
    assert "010190-XXXX" in markdown, "the injected turn should be quoted (masked) in the account"
    texts = {"md": markdown}
    for fmt, reader in (("md", lambda c: c.decode("utf-8")), ("pdf", _pdf_text), ("docx", _docx_text)):
        content, media_type, filename = export_note(markdown.replace("010190-XXXX", cpr), fmt)
        texts[fmt] = reader(content)
        assert filename.endswith(f".{fmt}") and media_type
    for fmt, text in texts.items():
        assert not contains_cpr(text), f"CPR survived in {fmt}"
        assert "1234" not in text, fmt
        assert "010190-XXXX" in text, fmt


def test_pdf_renders_danish_letters(analysed_samples):
    turns, signals = analysed_samples["04_afgoerelse_hjaelpemiddel"]
    markdown = render_markdown(draft_note(record_for(turns, signals), OPTIONS))
    content, _, _ = export_note(markdown, "pdf")
    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    assert "Næste skridt og frister" in text and "Afgørelse" in text and "Sagsbehandlerens forklaringer" in text
    assert re.search(r"Å|å", text)
