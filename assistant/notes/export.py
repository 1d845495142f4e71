"""Export an approved note as Markdown, PDF (fpdf2 with a Unicode TTF font) or DOCX (python-docx).

The note's Markdown is the source; only the few constructs the template uses are understood:
`#`/`##` headings, `- ` bullets, `**bold**` runs and paragraphs. Everything is CPR-masked again here.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.masking import mask_personal_data
from assistant.store.crud import ANONYMOUS_USERNAME
from assistant.store.models import Call, NoteVersion

ExportFormat = Literal["md", "pdf", "docx"]
MEDIA_TYPES = {"md": "text/markdown; charset=utf-8", "pdf": "application/pdf",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/local/share/fonts")]


class ExportError(AssistantError):
    code = "note-export-failed"


# Characters XML 1.0 cannot hold (C0 controls but tab/newline/CR, surrogates, U+FFFE/U+FFFF) and DEL/C1
# controls, which no document should carry either. A page break or vertical tab becomes a line break.
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_NOT_PRINTABLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """`text` without characters a DOCX (XML), a PDF or a text file cannot hold; line breaks kept as \\n.

    A note may carry such characters from a paste or a recogniser; it must still export, so they are
    dropped here rather than refused.
    """
    return _NOT_PRINTABLE.sub("", _LINE_BREAKS.sub("\n", text)).replace("\t", " ")


@dataclass(frozen=True)
class DocumentInfo:
    """What an exported document says about itself.

    Attributes:
        title: The document's title.
        author: Who wrote it: the caseworker who approved the note and the municipality.
    """

    title: str = "Telefonnotat"
    author: str = ""


def document_info(*, settings: Settings, version: NoteVersion | None = None, call: Call | None = None
                  ) -> DocumentInfo:
    """Title and author of an exported note, the same from the web page and the CLI.

    Args:
        settings: Application settings (`municipality` is part of the author).
        version: The exported note version: its approver (or author) wrote it.
        call: The call the note is about, for a draft that is no stored version (`assistant note --fresh`):
            its caseworker wrote it. Taken from `version` when not given.

    Returns:
        Title "Telefonnotat – sag REF" when the call is linked to a case; author "Caseworker, Municipality"
        (either part left out when unknown).
    """
    call = call or (version.note.call if version is not None and version.note is not None else None)
    writer = (version.approved_by or version.author) if version is not None else None
    writer = writer or (call.caseworker if call is not None else None)
    # The anonymous user stands for "no login" (calls recorded without one): no name to give.
    name = writer.display_name if writer is not None and writer.username != ANONYMOUS_USERNAME else ""
    author = ", ".join(part for part in (name, settings.municipality) if part)
    case = call.case if call is not None else None
    return DocumentInfo(title=f"Telefonnotat – sag {case.reference}" if case else "Telefonnotat", author=author)


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


def markdown_to_pdf(markdown: str, *, info: DocumentInfo | None = None) -> bytes:
    """Render the note as A4 PDF with DejaVu Sans (embedded subset, so the text is extractable)."""
    from fpdf import FPDF

    info = info or DocumentInfo()
    pdf = FPDF(format="A4")
    pdf.set_title(info.title)
    if info.author:
        pdf.set_author(info.author)
    pdf.set_creator("Borgerkontakt-assistent")
    pdf.add_font("DejaVu", "", str(find_font("DejaVuSans.ttf")))
    pdf.add_font("DejaVu", "B", str(find_font("DejaVuSans-Bold.ttf")))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    width = pdf.epw
    for block in parse_blocks(mask_personal_data(printable(markdown))):
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


A4_WIDTH_MM, A4_HEIGHT_MM, MARGIN_MM = 210, 297, 25


def markdown_to_docx(markdown: str, *, info: DocumentInfo | None = None) -> bytes:
    """Render the note as an A4 Word document (headings, bullet list paragraphs, bold runs) whose author is
    the caseworker and the municipality (python-docx's template says "python-docx" and US Letter)."""
    import docx
    from docx.shared import Mm

    info = info or DocumentInfo()
    document = docx.Document()
    for section in document.sections:
        section.page_width, section.page_height = Mm(A4_WIDTH_MM), Mm(A4_HEIGHT_MM)
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(MARGIN_MM)
    properties = document.core_properties
    properties.title = info.title
    properties.author = properties.last_modified_by = info.author or "Borgerkontakt-assistent"
    properties.comments = ""
    properties.language = "da-DK"
    properties.created = properties.modified = datetime.now(timezone.utc).replace(tzinfo=None)
    properties.revision = 1
    for block in parse_blocks(mask_personal_data(printable(markdown))):
        if block.kind in ("h1", "h2"):
            document.add_heading(block.text, level=1 if block.kind == "h1" else 2)
            continue
        paragraph = document.add_paragraph(style="List Bullet" if block.kind == "bullet" else None)
        for text, bold in bold_runs(block.text):
            paragraph.add_run(text).bold = bold
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def export_note(markdown: str, fmt: ExportFormat, *, name: str = "telefonnotat",
                info: DocumentInfo | None = None) -> tuple[bytes, str, str]:
    """The note in `fmt`. Characters a document cannot hold are dropped (`printable`), CPR numbers masked.

    Args:
        markdown: The (approved) note text.
        fmt: "md", "pdf" or "docx".
        name: File name without extension.
        info: Title and author of the document (PDF and DOCX).

    Returns:
        (content, media type, file name).

    Raises:
        ExportError: unknown format, or the PDF font is missing.
    """
    if fmt == "md":
        content = mask_personal_data(printable(markdown)).encode("utf-8")
    elif fmt == "pdf":
        content = markdown_to_pdf(markdown, info=info)
    elif fmt == "docx":
        content = markdown_to_docx(markdown, info=info)
    else:
        raise ExportError(f"Ukendt format '{fmt}' (md, pdf eller docx).", code="note-export-bad-format")
    return content, MEDIA_TYPES[fmt], f"{name}.{fmt}"
