"""Exporting an approved note through the real app: control characters in the approved text (issue 11,
finding 9: DOCX answered 500 and the approved version could never be exported) and the DOCX's author."""

from __future__ import annotations

import io

import docx
from pypdf import PdfReader

CONTROL = "".join(chr(c) for c in range(0x20) if chr(c) not in "\n")


def test_an_approved_note_with_control_characters_exports_in_every_format(app_client):
    app_client.get("/api/notes/calmcall")
    text = f"# Telefonnotat\n\nBorgeren sagde:{CONTROL} det er løst.\x7f\n"
    saved = app_client.put("/api/notes/calmcall", json={"markdown": text, "outcome": "lagt_ned"})
    assert saved.status_code == 200
    approved = app_client.post("/api/notes/calmcall/approve", json={"version": saved.json()["current"]["version"]})
    assert approved.status_code == 200
    exported = {fmt: app_client.get(f"/api/notes/calmcall/export?format={fmt}") for fmt in ("md", "pdf", "docx")}
    assert {fmt: r.status_code for fmt, r in exported.items()} == {"md": 200, "pdf": 200, "docx": 200}
    document = docx.Document(io.BytesIO(exported["docx"].content))
    paragraphs = [p.text for p in document.paragraphs]
    # CR, vertical tab and form feed are line breaks; the rest is dropped
    assert paragraphs == ["Telefonnotat", "Borgeren sagde:", "det er løst."]
    pdf_text = PdfReader(io.BytesIO(exported["pdf"].content)).pages[0].extract_text()
    assert "det er løst." in pdf_text
    assert not any(ch in exported["md"].text for ch in CONTROL + "\x7f")
    # Author: the caseworker who approved it, never python-docx; the page is A4
    assert document.core_properties.author == approved.json()["current"]["approved_by"]
    assert "python-docx" not in document.core_properties.author
    assert document.sections[0].page_width.twips == 11906
