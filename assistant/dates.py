"""Danish dates: the written form (3. december 2026), working days with Danish public holidays, and relative
days said in a call ("på torsdag", "i morgen", "om en uge") turned into dates."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december")
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
NUMBER_WORDS = {"en": 1, "et": 1, "én": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "syv": 7, "otte": 8,
                "ni": 9, "ti": 10, "elleve": 11, "tolv": 12, "fjorten": 14}


def danish_date(value: date, *, weekday: bool = False) -> str:
    """"3. december 2026" (with weekday: "torsdag den 3. december 2026")."""
    text = f"{value.day}. {MONTHS[value.month - 1]} {value.year}"
    return f"{WEEKDAYS[value.weekday()]} den {text}" if weekday else text


# ---- working days ----------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def danish_holidays(year: int) -> frozenset[date]:
    """Denmark's public holidays in `year` (helligdage, from the maintained `holidays` package)."""
    import holidays

    return frozenset(holidays.country_holidays("DK", years=year))


def is_working_day(day: date, *, closed: Iterable[str] = ()) -> bool:
    """Monday to Friday and not a Danish public holiday nor one of the `closed` days ("MM-DD", e.g. "12-24")."""
    return (day.weekday() < 5 and day not in danish_holidays(day.year)
            and f"{day.month:02d}-{day.day:02d}" not in set(closed))


def add_working_days(start: date, days: int, *, closed: Iterable[str] = ()) -> date:
    """The working day that is `days` working days after `start` (start itself does not count)."""
    closed = tuple(closed)
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if is_working_day(current, closed=closed):
            left -= 1
    return current


def add_days(start: date, days: int, *, working_days: bool, closed: Iterable[str] = ()) -> date:
    """`days` calendar days after `start`, or `days` working days when the municipality promises working days."""
    return add_working_days(start, days, closed=closed) if working_days else start + timedelta(days=days)


# ---- relative days said in a call -------------------------------------------------------------------

_NUMBER = r"(\d+|" + "|".join(NUMBER_WORDS) + r")"
_WEEKDAY = "(" + "|".join(WEEKDAYS) + ")"
RELATIVE_DAY = re.compile(
    r"\b(?:(?P<today>i dag)|(?P<tomorrow>i morgen)(?! tidlig)|(?P<after_tomorrow>i overmorgen)"
    r"|(?<!hver )(?<!alle )(?<!om )(?:(?P<prep>på|inden|senest|til|før|fra) (?:på )?)?(?:(?P<next>næste|på næste) )?"
    rf"{_WEEKDAY.replace('(', '(?P<weekday>', 1)}"
    rf"|(?P<within>inden for|inden|indenfor|senest om|om) {_NUMBER.replace('(', '(?P<count>', 1)} "
    r"(?P<unit>hverdage|arbejdsdage|dage|døgn|uger|uge)"
    r"|(?P<in_a>om en) (?P<unit_one>uge|måned)"
    r"|(?P<next_week>(?:i )?næste uge))\b",
    re.IGNORECASE)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]


def _weekday_after(on: date, weekday: int, *, next_week: bool) -> date:
    """The coming `weekday` after `on` (a week on when said on that very day, or with "næste")."""
    ahead = (weekday - on.weekday()) % 7 or 7
    if next_week and ahead < 7 and on.weekday() < weekday:
        ahead += 7  # "næste fredag" said on a Monday: Friday of next week
    return on + timedelta(days=ahead)


def resolve_relative_day(match: re.Match[str], on: date, *, closed: Iterable[str] = ()) -> tuple[date, str]:
    """The date a RELATIVE_DAY match means when said on `on`, and the words to put in its place."""
    if match.group("today"):
        return on, f"den {danish_date(on)}"
    if match.group("tomorrow"):
        day = on + timedelta(days=1)
        return day, f"den {danish_date(day)}"
    if match.group("after_tomorrow"):
        day = on + timedelta(days=2)
        return day, f"den {danish_date(day)}"
    if match.group("weekday"):
        day = _weekday_after(on, WEEKDAYS.index(match.group("weekday").lower()), next_week=bool(match.group("next")))
        prep = match.group("prep")
        prep_text = "" if not prep or prep.lower() == "på" else prep.lower() + " "
        return day, f"{prep_text}{danish_date(day, weekday=True)}"
    if match.group("unit"):
        count, unit = _count(match.group("count")), match.group("unit").lower()
        if unit in ("hverdage", "arbejdsdage"):
            day = add_working_days(on, count, closed=closed)
        else:
            day = on + timedelta(days=count * (7 if unit.startswith("uge") else 1))
        deadline = match.group("within").lower() != "om"
        return day, f"{'senest ' if deadline else ''}den {danish_date(day)}"
    if match.group("unit_one"):
        day = on + timedelta(days=7) if match.group("unit_one").lower() == "uge" else _add_month(on)
        return day, f"den {danish_date(day)}"
    monday = on + timedelta(days=7 - on.weekday())
    return monday, f"i ugen fra mandag den {danish_date(monday)}"


def _add_month(on: date) -> date:
    month = on.month % 12 + 1
    year = on.year + (on.month == 12)
    for day in (on.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def dates_for_relative_days(text: str, on: date, *, closed: Iterable[str] = ()) -> str:
    """`text` with every relative day ("på torsdag", "i morgen", "om en uge") replaced by its date."""
    closed = tuple(closed)
    return RELATIVE_DAY.sub(lambda m: resolve_relative_day(m, on, closed=closed)[1], text)


def first_relative_day(text: str, on: date, *, closed: Iterable[str] = ()) -> date | None:
    """The date of the first relative day in `text`, or None."""
    match = RELATIVE_DAY.search(text)
    return resolve_relative_day(match, on, closed=tuple(closed))[0] if match else None
