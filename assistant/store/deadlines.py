"""The complaint deadlines: how many (calendar or working) days the municipality promises, and the dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from assistant.config import Settings
from assistant.dates import add_days


@dataclass(frozen=True)
class DeadlineOptions:
    """The complaint deadlines, counted from the day the complaint was received.

    Attributes:
        acknowledgement_days: The citizen hears from the municipality within this many days.
        answer_days: The complaint is answered (or closed by phone) within this many days.
        working_days: Count working days (Monday–Friday, not Danish public holidays) instead of calendar days,
            for a municipality that promises its deadlines in working days.
        closed_days: Further days ("MM-DD", e.g. "12-24") the municipality is closed, when counting working days.
    """

    acknowledgement_days: int = 2
    answer_days: int = 12
    working_days: bool = False
    closed_days: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings) -> DeadlineOptions:
        """The municipality's rules (`acknowledgement_days`, `answer_days`, `deadline_working_days`, ...)."""
        return cls(acknowledgement_days=settings.acknowledgement_days, answer_days=settings.answer_days,
                   working_days=settings.deadline_working_days, closed_days=tuple(settings.deadline_closed_days))


def case_deadlines(received: date, options: DeadlineOptions | None = None) -> tuple[date, date]:
    """(acknowledgement deadline, answer deadline) for a complaint received on `received`."""
    options = options or DeadlineOptions()
    count = {"working_days": options.working_days, "closed": options.closed_days}
    return (add_days(received, options.acknowledgement_days, **count), add_days(received, options.answer_days, **count))
