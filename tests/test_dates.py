"""Danish dates: written form, working days with Danish public holidays, relative days said in a call."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.dates import add_days, add_working_days, danish_date, dates_for_relative_days, first_relative_day

MONDAY = date(2026, 11, 23)
THURSDAY = date(2026, 11, 26)


def test_danish_written_form():
    assert danish_date(date(2026, 12, 3)) == "3. december 2026"
    assert danish_date(date(2026, 12, 3), weekday=True) == "torsdag den 3. december 2026"


@pytest.mark.parametrize(("said", "on", "becomes"), [
    ("Jeg ringer i morgen.", MONDAY, "Jeg ringer den 24. november 2026."),
    ("Du hører fra mig om en uge.", MONDAY, "Du hører fra mig den 30. november 2026."),
    ("Jeg sender brevet på torsdag.", MONDAY, "Jeg sender brevet torsdag den 26. november 2026."),
    # said on a Thursday, "på torsdag" is next week's Thursday
    ("Jeg sender brevet på torsdag.", THURSDAY, "Jeg sender brevet torsdag den 3. december 2026."),
    ("Svaret kommer inden fredag.", MONDAY, "Svaret kommer inden fredag den 27. november 2026."),
    ("Pengene er der i dag.", MONDAY, "Pengene er der den 23. november 2026."),
    ("Vi holder møde i næste uge.", MONDAY, "Vi holder møde i ugen fra mandag den 30. november 2026."),
    ("Du får svar inden for tre hverdage.", MONDAY, "Du får svar senest den 26. november 2026."),
    ("Jeg har fri hver mandag.", MONDAY, "Jeg har fri hver mandag."),   # a habit, not a day
    ("Det skete i mandags.", MONDAY, "Det skete i mandags."),           # the past stays as said
])
def test_relative_days_become_dates_from_the_call_date(said, on, becomes):
    assert dates_for_relative_days(said, on) == becomes


def test_first_relative_day():
    assert first_relative_day("Jeg ringer på fredag eller mandag", MONDAY) == date(2026, 11, 27)
    assert first_relative_day("Det er aftalt", MONDAY) is None


@pytest.mark.parametrize(("start", "days", "closed", "expected"), [
    # Christmas 2026: 25 (Friday) and 26 December are public holidays; 24 December only when the municipality says so
    (date(2026, 12, 23), 2, (), date(2026, 12, 28)),
    (date(2026, 12, 23), 2, ("12-24",), date(2026, 12, 29)),
    # New Year 2027 (Friday 1 January)
    (date(2026, 12, 31), 1, (), date(2027, 1, 4)),
    # Easter 2027: Maundy Thursday 25 March, Good Friday 26, Easter Monday 29
    (date(2027, 3, 24), 1, (), date(2027, 3, 30)),
    # Easter 2026: 2, 3 and 6 April
    (date(2026, 4, 1), 2, (), date(2026, 4, 8)),
    # Ascension Day 2026 (Thursday 14 May)
    (date(2026, 5, 13), 1, (), date(2026, 5, 15)),
])
def test_working_days_skip_weekends_and_danish_public_holidays(start, days, closed, expected):
    assert add_working_days(start, days, closed=closed) == expected


def test_answer_deadline_in_working_days_across_christmas():
    received = date(2026, 12, 18)  # a Friday
    assert add_days(received, 12, working_days=False) == date(2026, 12, 30)
    # 21, 22, 23, 24, 28, 29, 30, 31 December, 4, 5, 6, 7 January (25/12 and 1/1 are holidays)
    assert add_days(received, 12, working_days=True) == date(2027, 1, 7)


def test_closed_days_setting_must_be_month_and_day():
    from pydantic import ValidationError

    from assistant.config import Settings

    assert Settings(deadline_closed_days=["12-24", "6-5"]).deadline_closed_days == ["12-24", "06-05"]
    with pytest.raises(ValidationError, match="MM-DD"):
        Settings(deadline_closed_days=["24.12"])
    with pytest.raises(ValidationError, match="MM-DD"):
        Settings(deadline_closed_days=["13-01"])
