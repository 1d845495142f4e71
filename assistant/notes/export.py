"""Export an approved note as Markdown, PDF (fpdf2 with a Unicode TTF font) or DOCX (python-docx).

The note's Markdown is the source; only the few constructs the template uses are understood:
`#`/`##` headings, `- ` bullets, `**bold**` runs and paragraphs. Everything is CPR-masked again here.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from assistant.errors import AssistantError
from assistant.store.privacy import mask_personal_data

ExportFormat = Literal["md", "pdf", "docx"]
MEDIA_TYPES = {"md": "text/markdown; charset=utf-8", "pdf": "application/pdf",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/local/share/fonts")]


class ExportError(AssistantError):
    code = "note-export-failed"


@dataclass(frozen=True)
class Block:
    kind: Literal["h1", "h2", "bullet", "para"]
    text: str


def parse_blocks(markdown: str) -> list[Block]:
    """The note's Markdown as a list of headings, bullets and paragraphs (consecutive lines joined)."""
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("para", " ".join(paragraph)))
            paragraph.clear()

    for raw in markdown.splitlines():
        line = raw.rstrip()
        if not line.strip():
            flush()
        elif line.startswith("## "):
            flush()
            blocks.append(Block("h2", line[3:].strip()))
        elif line.startswith("# "):
            flush()
            blocks.append(Block("h1", line[2:].strip()))
        elif re.match(r"^\s*[-*] ", line):
            flush()
            blocks.append(Block("bullet", re.sub(r"^\s*[-*] ", "", line)))
        else:
            paragraph.append(line.strip())
    flush()
    return blocks


def bold_runs(text: str) -> list[tuple[str, bool]]:
    """Split `**bold**` markup into (text, bold) runs."""
    parts = re.split(r"(\*\*[^*]+\*\*)", text)
    return [(p[2:-2], True) if p.startswith("**") and p.endswith("**") else (p, False) for p in parts if p]


def find_font(name: str = "DejaVuSans.ttf") -> Path:
    """A Unicode TTF font (æøå must render); Debian's fonts-dejavu-core.

    Raises:
        ExportError: no such font installed (install fonts-dejavu-core).
    """
    for folder in FONT_DIRS:
        path = folder / name
        if path.is_file():
            return path
    raise ExportError(f"Skrifttypen {name} mangler (installer Debian-pakken fonts-dejavu-core).",
                      code="note-export-font-missing")


def markdown_to_pdf(markdown: str, *, title: str = "Telefonnotat") -> bytes:
    """Render the note as PDF with DejaVu Sans (embedded subset, so the text is extractable)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_creator("Borgerkontakt-assistent")
    pdf.add_font("DejaVu", "", str(find_font("DejaVuSans.ttf")))
    pdf.add_font("DejaVu", "B", str(find_font("DejaVuSans-Bold.ttf")))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    width = pdf.epw
    for block in parse_blocks(mask_personal_data(markdown)):
        if block.kind == "h1":
            pdf.set_font("DejaVu", "B", 16)
            pdf.multi_cell(width, 9, block.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif block.kind == "h2":
            pdf.ln(2)
            pdf.set_font("DejaVu", "B", 12)
            pdf.multi_cell(width, 7, block.text, new_x="LMARGIN", new_y="NEXT")
        elif block.kind == "bullet":
            pdf.set_font("DejaVu", "", 10.5)
            pdf.set_x(pdf.l_margin + 4)
            pdf.multi_cell(width - 4, 5.5, "• " + block.text, markdown=True, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font("DejaVu", "", 10.5)
            pdf.multi_cell(width, 5.5, block.text, markdown=True, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
    return bytes(pdf.output())


def markdown_to_docx(markdown: str, *, title: str = "Telefonnotat") -> bytes:
    """Render the note as a Word document (headings, bullet list paragraphs, bold runs)."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    for block in parse_blocks(mask_personal_data(markdown)):
        if block.kind in ("h1", "h2"):
            document.add_heading(block.text, level=1 if block.kind == "h1" else 2)
            continue
        paragraph = document.add_paragraph(style="List Bullet" if block.kind == "bullet" else None)
        for text, bold in bold_runs(block.text):
            paragraph.add_run(text).bold = bold
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def export_note(markdown: str, fmt: ExportFormat, *, name: str = "telefonnotat") -> tuple[bytes, str, str]:
    """The note in `fmt`.

    Args:
        markdown: The (approved) note text.
        fmt: "md", "pdf" or "docx".
        name: File name without extension.

    Returns:
        (content, media type, file name).

    Raises:
        ExportError: unknown format, or the PDF font is missing.
    """
    if fmt == "md":
        content = mask_personal_data(markdown).encode("utf-8")
    elif fmt == "pdf":
        content = markdown_to_pdf(markdown)
    elif fmt == "docx":
        content = markdown_to_docx(markdown)
    else:
        raise ExportError(f"Ukendt format '{fmt}' (md, pdf eller docx).", code="note-export-bad-format")
    return content, MEDIA_TYPES[fmt], f"{name}.{fmt}"
