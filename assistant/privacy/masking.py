"""Optional masking of phone numbers and e-mail addresses, on top of the store's CPR masking.

The options are passed in, never held by the process: the store (`StoreOptions.masking`), the call session
(`CallSession(masking=...)`) and the note drafter (`NoteOptions.masking`) each get the options built from the
settings by `MaskingOptions.from_settings`, and `assistant.store.privacy.mask_personal_data(text, options)`
applies them wherever it masks CPR numbers (transcripts, notes, exports, audit details). So the CLI
(`transcribe`, `listen`, `note --fresh`) masks exactly as the server does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.config import Settings


@dataclass(frozen=True)
class MaskingOptions:
    """Which contact details are masked besides CPR numbers.

    Attributes:
        phone_numbers: Danish phone numbers: 8 digits, optionally grouped (2+2+2+2 or 4+4) and with +45/0045.
        emails: E-mail addresses (the local part is hidden, the domain kept: "x…@kommune.dk").
    """

    phone_numbers: bool = False
    emails: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> MaskingOptions:
        """The options the settings ask for (`mask_phone_numbers`, `mask_emails`)."""
        return cls(phone_numbers=settings.mask_phone_numbers, emails=settings.mask_emails)


# +45 / 0045 prefix optional; 8 digits starting with 2-9 (Danish numbers), written as 8, 4+4 (space) or 2+2+2+2
# (space, dot or dash); never inside a longer number. "2024-1234" (a case number) is not a phone number.
_PHONE = re.compile(r"(?<![\d+])(?:(?:\+|00)45[\s.-]?)?(?:[2-9]\d{7}|[2-9]\d{3} \d{4}|[2-9]\d(?:[\s.-]\d{2}){3})"
                    r"(?![\d])")
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)")


def mask_contact_details(text: str, options: MaskingOptions) -> str:
    """Mask phone numbers ("XX XX XX XX") and e-mail addresses ("…@domain") as `options` say.

    Args:
        text: Any text (already CPR-masked or not: a masked CPR "010190-XXXX" is not a phone number).
        options: What to mask.

    Returns:
        The masked text.
    """
    if not text or not (options.phone_numbers or options.emails):
        return text
    if options.emails:
        text = _EMAIL.sub(lambda m: f"…@{m.group(2)}", text)
    if options.phone_numbers:
        text = _PHONE.sub("XX XX XX XX", text)
    return text
