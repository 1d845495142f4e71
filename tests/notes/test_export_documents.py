"""Exported notes: DOCX is A4 with the caseworker and municipality as author; characters no document can hold
(C0 controls, lone surrogates) are dropped in every format, so such a note still exports and opens."""

from __future__ import annotations

import io

import docx
import pytest
from pypdf import PdfReader

from assistant.notes.export import DocumentInfo, export_note, printable

CONTROL_CHARACTERS = "".join(chr(c) for c in range(0x20))
NOTE = ("# Telefonnotat\n\n## Aftaler\n- Sagsbehandleren sender borgeren svaret fredag den 4. december 2026."
        f"{CONTROL_CHARACTERS}\x7f\ud800\n\nSlut på notatet æøå.\n")


def test_docx_is_a4_with_the_author_set():
    content, media_type, filename = export_note(NOTE, "docx", name="telefonnotat-x-v1",
                                                info=DocumentInfo(title="Telefonnotat – sag S-1",
                                                                  author="Mette Hansen, Aarhus Kommune"))
    document = docx.Document(io.BytesIO(content))
    for section in document.sections:
        # Word stores the size in twips (1/20 pt): A4 is 11906 × 16838 twips, 210 × 297 mm to a twip
        assert abs(section.page_width.mm - 210) < 0.05 and abs(section.page_height.mm - 297) < 0.05
        assert section.page_width.twips == 11906 and section.page_height.twips == 16838
    assert document.core_properties.author == "Mette Hansen, Aarhus Kommune"
    assert document.core_properties.last_modified_by == "Mette Hansen, Aarhus Kommune"
    assert document.core_properties.title == "Telefonnotat – sag S-1"
    assert "python-docx" not in (document.core_properties.comments or "")
    assert filename == "telefonnotat-x-v1.docx" and media_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize("fmt", ["md", "pdf", "docx"])
def test_a_note_with_control_characters_exports_and_opens(fmt):
    content, _, _ = export_note(NOTE, fmt)
    if fmt == "docx":
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
    elif fmt == "pdf":
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    else:
        text = content.decode("utf-8")
    assert "Sagsbehandleren sender borgeren svaret" in text
    assert "Slut på notatet æøå." in text
    assert not any(ch in text for ch in CONTROL_CHARACTERS.replace("\n", "") + "\x7f\ud800")


def test_printable_keeps_line_breaks_and_drops_what_xml_cannot_hold():
    assert printable("a\r\nb\rc\x0cd\te\x00f\x1b[0m") == "a\nb\nc\nd ef[0m"
