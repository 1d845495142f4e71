"""Masking of personal data (CPR numbers) before text is stored, drafted into a note or exported."""

from __future__ import annotations

import calendar
import re

# Six digits (ddmmyy), an optional dash or space, four digits; never part of a longer number.
_CPR = re.compile(r"(?<![\d])(\d{2})(\d{2})(\d{2})[\s\-‐–]?(\d{4})(?![\d])")


def _plausible_date(day: int, month: int, year2: int) -> bool:
    """True when ddmmyy is a real calendar date (leap days allowed in either century)."""
    if not 1 <= month <= 12 or day < 1:
        return False
    # The century is unknown from the CPR alone; 29 February is plausible if either century makes it a leap year.
    last = max(calendar.monthrange(1900 + year2, month)[1], calendar.monthrange(2000 + year2, month)[1])
    return day <= last


def mask_personal_data(text: str) -> str:
    """Replace CPR numbers by their date part and `XXXX` ("010190-1234" → "010190-XXXX").

    Both "ddmmyy-xxxx" and "ddmmyyxxxx" (also with a space) are recognised when the first six digits
    form a plausible date; other numbers (amounts, phone numbers) are left alone.

    Phone numbers and e-mail addresses are masked too when the settings ask for it
    (`mask_phone_numbers`, `mask_emails`; see `assistant.privacy.masking`).

    Args:
        text: Any text (a transcript turn, a note, an export).

    Returns:
        The text with every CPR number masked; unchanged when there is none.
    """
    if not text:
        return text
    from assistant.privacy.masking import mask_contact_details

    return mask_contact_details(_mask_cpr(text))


def _mask_cpr(text: str) -> str:
    """CPR numbers only (see `mask_personal_data`)."""

    def replace(match: re.Match[str]) -> str:
        day, month, year2 = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if not _plausible_date(day, month, year2):
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}{match.group(3)}-XXXX"

    return _CPR.sub(replace, text)


def contains_cpr(text: str) -> bool:
    """True when `text` still holds an unmasked CPR number (used by tests and export checks)."""
    return bool(text) and _mask_cpr(text) != text
