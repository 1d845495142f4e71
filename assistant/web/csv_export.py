"""CSV downloads that a spreadsheet opens safely: one writer for every export (statistics, audit log)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import Response

# A spreadsheet treats a cell that starts with one of these as a formula ("=HYPERLINK(…)", "+1+cmd|…", "@SUM(…)");
# a leading tab or carriage return can hide such a start from a quick look.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The cell as a spreadsheet shows it but never evaluates: text starting like a formula gets a leading `'`.

    Numbers are left as numbers (a negative amount stays a number); only text is neutralised (OWASP's advice
    for CSV injection).
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV document (header + rows) whose every text cell went through `safe_cell`."""
    buffer = io.StringIO()
    # CRLF (RFC 4180) also makes the writer quote a cell holding a lone CR, which would otherwise start a row.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue()


def csv_response(header: Sequence[str], rows: Iterable[Sequence[Any]], *, filename: str) -> Response:
    """The CSV as a download; a BOM first so Excel (the usual reader in a municipality) opens æøå correctly."""
    return Response(content="\ufeff" + csv_text(header, rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
