"""Masking of personal data: CPR numbers always, phone numbers and e-mail addresses as `MaskingOptions` say.

One module low in the layers (core), so the session, the store, the notes, the privacy tools and the CLI all
mask the same way. The options are passed in, never held by the process: the store (`StoreOptions.masking`),
the call session (`CallSession(masking=...)`) and the note drafter (`NoteOptions.masking`) each get the options
built from the settings by `MaskingOptions.from_settings`, so the CLI (`transcribe`, `listen`, `note --fresh`)
masks exactly as the server does.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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


# The dashes people and recognisers type: hyphen-minus, soft hyphen, hyphen, non-breaking hyphen, figure dash,
# en and em dash, minus sign, small and full-width hyphen-minus.
_DASHES = "\\-\u00ad\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"
_SPACE = "[ \t\u00a0\u2009\u202f]"  # space, tab, no-break, thin and narrow no-break space
# Between the date and the serial ("010203 - 1234", "010203/1234"): optional spaces, one optional mark.
_GAP = f"(?:{_SPACE}*[.{_DASHES}/]?{_SPACE}*)"
# Between the pairs of a grouped date ("01 02 03", "01.02.03", "01-02-03", "01/02/03"): a mark or spaces.
_PAIR_GAP = f"(?:{_SPACE}*[.{_DASHES}/]{_SPACE}*|{_SPACE}+)"
# A recogniser may space any two digits ("0 1 0 2 0 3", "12 34"): one optional space inside a pair.
_SPACED_PAIR = "(?P<{0}1>\\d){1}?(?P<{0}2>\\d)"
_DATE = (f"(?:{_SPACED_PAIR.format('d', _SPACE)}{_PAIR_GAP}{_SPACED_PAIR.format('m', _SPACE)}{_PAIR_GAP}"
         f"{_SPACED_PAIR.format('y', _SPACE)}"
         "|(?P<day>\\d\\d)(?P<month>\\d\\d)(?P<year>\\d\\d))")
# A valid CPR is ddmmyy + 4 digits; only whole date groups count ("2010-901234" is a case number, not
# 20.10.90). Never part of a longer number: no digit (or digit + tight mark) on either side.
_CPR = re.compile(
    f"(?<!\\d)(?<!\\d[.,{_DASHES}/])"
    f"{_DATE}{_GAP}"
    f"(?P<serial>\\d{_SPACE}?\\d{_SPACE}?\\d{_SPACE}?\\d)"
    f"(?!\\d)(?![.,{_DASHES}/]\\d)"
)


# Danish number words as a recogniser may write a CPR number read aloud ("nul et nul to nul tre tolv
# fireogtredive"): each word stands for its digits.
_UNIT_WORDS = {"nul": "0", "en": "1", "et": "1", "én": "1", "ét": "1", "to": "2", "tre": "3", "fire": "4", "fem": "5",
               "seks": "6", "syv": "7", "otte": "8", "ni": "9"}
_TEEN_WORDS = {"ti": "10", "elleve": "11", "tolv": "12", "tretten": "13", "fjorten": "14", "femten": "15",
               "seksten": "16", "sytten": "17", "atten": "18", "nitten": "19"}
_TENS_WORDS = {"tyve": 2, "tredive": 3, "fyrre": 4, "fyrretyve": 4, "halvtreds": 5,
               "halvtredsindstyve": 5, "tres": 6, "tresindstyve": 6, "halvfjerds": 7, "halvfjerdsindstyve": 7,
               "firs": 8, "firsindstyve": 8, "halvfems": 9, "halvfemsindstyve": 9}
_NUMBER_TOKEN = re.compile(r"\w+", re.UNICODE)
_BETWEEN_NUMBERS = re.compile(f"^(?:{_SPACE}|[,.{_DASHES}/])*$")


def _digits_of_word(word: str) -> str | None:
    """The digits a Danish number word (0–99) or a group of digits stands for; None for any other word."""
    word = word.lower()
    if word.isdecimal():
        return word
    if word in _UNIT_WORDS:
        return _UNIT_WORDS[word]
    if word in _TEEN_WORDS:
        return _TEEN_WORDS[word]
    if word in _TENS_WORDS:
        return f"{_TENS_WORDS[word]}0"
    unit, _, tens = word.partition("og")  # "fireogtredive" = 34
    if tens in _TENS_WORDS and unit in _UNIT_WORDS and unit != "nul":
        return f"{_TENS_WORDS[tens]}{_UNIT_WORDS[unit]}"
    return None


def _mask_spoken_cpr(text: str) -> str:
    """CPR numbers written as number words (or words and digits mixed): a run of number tokens whose digits
    are a valid date + 4 digits, and no more, becomes "ddmmyy-XXXX". Runs of digits alone are left to `_CPR`."""
    tokens = [(m.start(), m.end(), _digits_of_word(m.group(0))) for m in _NUMBER_TOKEN.finditer(text)]
    replacements: list[tuple[int, int, str]] = []
    index = 0
    while index < len(tokens):
        end, digits = index, ""
        while len(digits) < 10 and end < len(tokens) and (end == index or _joined(text, tokens, end)):
            digits += tokens[end][2] or ""
            end += 1
        spoken = any(not text[start:stop].isdecimal() for start, stop, _ in tokens[index:end])
        longer = end < len(tokens) and _joined(text, tokens, end)
        if (len(digits) == 10 and spoken and not longer
                and _plausible_date(int(digits[:2]), int(digits[2:4]), int(digits[4:6]))):
            replacements.append((tokens[index][0], tokens[end - 1][1], f"{digits[:6]}-XXXX"))
            index = end
        else:
            index += 1
    for start, stop, masked in reversed(replacements):
        text = text[:start] + masked + text[stop:]
    return text


def _joined(text: str, tokens: list[tuple[int, int, str | None]], index: int) -> bool:
    """True when token `index` and the one before it are both number tokens with only spaces or marks between."""
    return (tokens[index][2] is not None and tokens[index - 1][2] is not None
            and _BETWEEN_NUMBERS.match(text[tokens[index - 1][1]:tokens[index][0]]) is not None)


def _date_of(match: re.Match[str]) -> tuple[int, int, int]:
    """(day, month, two-digit year) of a CPR candidate, from whichever date form matched."""
    if match.group("day") is not None:
        return int(match.group("day")), int(match.group("month")), int(match.group("year"))
    return tuple(int(match.group(f"{part}1") + match.group(f"{part}2")) for part in "dmy")  # type: ignore[return-value]


def _plausible_date(day: int, month: int, year2: int) -> bool:
    """True when ddmmyy is a real calendar date (leap days allowed in either century)."""
    if not 1 <= month <= 12 or day < 1:
        return False
    # The century is unknown from the CPR alone; 29 February is plausible if either century makes it a leap year.
    last = max(calendar.monthrange(1900 + year2, month)[1], calendar.monthrange(2000 + year2, month)[1])
    return day <= last


def mask_personal_data(text: str, options: MaskingOptions | None = None) -> str:
    """Replace CPR numbers by their date part and `XXXX` ("010190-1234" → "010190-XXXX").

    Every written and spoken form of a valid date + four digits is recognised: "0101901234", "010190-1234",
    "01 01 90-1234", "01.01.90-1234", "010190 - 1234", "010190/1234", "01 01 90 12 34", digits spaced one by
    one as a recogniser may write them, and every Unicode dash. Numbers whose first six digits are no date
    (amounts, phone numbers, case numbers) are left alone.

    Args:
        text: Any text (a transcript turn, a note, an export).
        options: Which contact details (phone numbers, e-mail addresses) are masked too; None masks CPR
            numbers only. Callers pass the options their store or session was built with (`mask_*` settings).

    Returns:
        The text with every CPR number masked; unchanged when there is none.
    """
    if not text:
        return text
    masked = _mask_spoken_cpr(_mask_cpr(text))
    return mask_contact_details(masked, options) if options is not None else masked


def _mask_cpr(text: str) -> str:
    """CPR numbers only (see `mask_personal_data`).

    Candidates are scanned one start position at a time, so a run of digits that is no date ("20 30 01 02 …")
    does not swallow a CPR number that begins inside it.
    """
    parts: list[str] = []
    done = position = 0
    while (match := _CPR.search(text, position)) is not None:
        day, month, year = _date_of(match)
        if not _plausible_date(day, month, year):
            position = match.start() + 1
            continue
        parts.append(text[done:match.start()])
        parts.append(f"{day:02d}{month:02d}{year:02d}-XXXX")
        done = position = match.end()
    parts.append(text[done:])
    return "".join(parts)


def mask_json(value: Any, options: MaskingOptions | None = None) -> Any:
    """Every string inside a JSON-like value (dicts, lists) masked as `mask_personal_data` masks text."""
    if isinstance(value, str):
        return mask_personal_data(value, options)
    if isinstance(value, list):
        return [mask_json(item, options) for item in value]
    if isinstance(value, dict):
        return {key: mask_json(item, options) for key, item in value.items()}
    return value


def contains_cpr(text: str) -> bool:
    """True when `text` still holds an unmasked CPR number (used by tests and export checks)."""
    return bool(text) and _mask_spoken_cpr(_mask_cpr(text)) != text
