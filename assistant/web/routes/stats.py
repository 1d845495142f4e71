"""Statistics for supervisors: flag precision, complaint categories over time, share resolved by phone,
deadlines; each also as CSV. Only calls and cases are counted, never caseworkers."""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from assistant.security.deps import CurrentUser, SessionDep
from assistant.store import crud
from assistant.store.review import categories_over_time, deadline_report, flag_precision, resolved_share
from assistant.web.csv_export import csv_response
from assistant.web.deps import DeadlinesDep

api_router = APIRouter(prefix="/api/stats", tags=["stats"])
page_router = APIRouter(tags=["pages"], include_in_schema=False)  # the page is served with the review pages

Period = Literal["week", "month"]


class FlagStat(BaseModel):
    kind: str
    label: str
    raised: int
    reviewed: int
    right: int
    wrong: int
    precision: float | None


class CategoryStat(BaseModel):
    period: str
    category: str
    label: str
    count: int


class ResolvedStat(BaseModel):
    resolved: int
    kept: int
    unresolved: int
    total: int
    share: float | None
    reference: float


class CaseDeadline(BaseModel):
    reference: str
    received_date: date
    kind: str | None
    acknowledgement_deadline: date
    acknowledged_at: str | None
    acknowledgement_late: bool
    answer_deadline: date
    answered_at: str | None
    answer_late: bool


class DeadlineStat(BaseModel):
    total: int
    working_days: bool = Field(description="The deadlines count working days (no weekends or Danish holidays)")
    acknowledgement_days: int
    answer_days: int
    acknowledgement_late: int
    answer_late: int
    cases: list[CaseDeadline]


class Stats(BaseModel):
    period: Period
    flags: list[FlagStat]
    categories: list[CategoryStat]
    resolved: ResolvedStat
    deadlines: DeadlineStat


@api_router.get("", response_model=Stats, summary="All statistics")
def stats(session: SessionDep, user: CurrentUser, deadlines: DeadlinesDep,
          period: Period = Query("month", description="Group categories per ISO week or per month")) -> Stats:
    result = Stats(period=period, flags=flag_precision(session), categories=categories_over_time(session, period=period),
                   resolved=resolved_share(session), deadlines=deadline_report(session, options=deadlines))
    crud.audit(session, user=user, action="view", object_type="stats", detail=period)
    return result


def _table(rows: list[dict], columns: list[str]) -> tuple[list[str], list[list]]:
    """(header, rows) of the named columns of `rows` (missing values as empty cells)."""
    return columns, [[row.get(column, "") for column in columns] for row in rows]


@api_router.get("/export.csv", response_class=Response, summary="One statistics table as CSV",
                responses={200: {"content": {"text/csv": {}}}})
def export_csv(session: SessionDep, user: CurrentUser, deadlines: DeadlinesDep,
               table: Literal["flags", "categories", "resolved", "deadlines"] = Query("flags"),
               period: Period = Query("month")) -> Response:
    if table == "flags":
        header, rows = _table(flag_precision(session), ["kind", "label", "raised", "reviewed", "right", "wrong", "precision"])
    elif table == "categories":
        header, rows = _table(categories_over_time(session, period=period), ["period", "category", "label", "count"])
    elif table == "resolved":
        header, rows = _table([resolved_share(session)], ["resolved", "kept", "unresolved", "total", "share", "reference"])
    else:
        header, rows = _table(deadline_report(session, options=deadlines)["cases"],
                    ["reference", "received_date", "kind", "acknowledgement_deadline", "acknowledged_at",
                     "acknowledgement_late", "answer_deadline", "answered_at", "answer_late"])
    crud.audit(session, user=user, action="export", object_type="stats", detail=f"{table} csv")
    return csv_response(header, rows, filename=f"statistik-{table}.csv")
