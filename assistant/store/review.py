"""Supervisor review: which calls to look at (flags with severity and reasons) and the statistics.

No coaching data is read or returned here: supervisors see calls and flags, never scores per caseworker.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from assistant.store.deadlines import DeadlineOptions
from assistant.store.models import Call, CallFlag, ComplaintCase, Note
from assistant.vocabulary import COMPLAINT_CATEGORIES, FLAGS, HIGH_FRUSTRATION, MANY_POINTS, frustration_name

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")  # deadlines are Danish calendar days

# Kind → severity: higher sorts first in the queue. The Danish names are in assistant.vocabulary.FLAGS.
REVIEW_FLAGS: dict[str, int] = {
    "threat": 5,
    "health_barrier": 4,
    "language_barrier": 4,
    "high_frustration": 3,
    "decision_complaint": 2,
    "many_points": 2,
    "unresolved": 1,
}
ANALYSIS_FLAG_KINDS = ("threat", "health_barrier", "language_barrier", "decision_complaint")
PHONE_RESOLUTION_REFERENCE = 0.64  # Copenhagen's pilot: 64 of ~100 complaints closed by phone


@dataclass
class DerivedFlag:
    kind: str
    evidence: list[str]
    turns: list[int]


def derive_review_flags(call: Call) -> list[DerivedFlag]:
    """The reasons to review `call`, from its latest signals and outcome, each with its evidence."""
    signals: dict[str, Any] = call.signals or {}
    flags: dict[str, DerivedFlag] = {}
    for flag in signals.get("flags", []):
        kind = flag.get("kind")
        if kind in ANALYSIS_FLAG_KINDS:
            flags[kind] = DerivedFlag(kind, list(flag.get("evidence", [])), list(flag.get("turns", [])))
    for kind, attr in (("threat", "threat"), ("language_barrier", "language_barrier"),
                       ("health_barrier", "health_barrier")):
        if signals.get(attr) and kind not in flags:
            flags[kind] = DerivedFlag(kind, [], [])
    if call.complaint_kind in ("afgoerelse", "blandet") and "decision_complaint" not in flags:
        points = [p for p in signals.get("complaint_points", []) if p.get("category") == "afgoerelse"]
        flags["decision_complaint"] = DerivedFlag("decision_complaint", [p.get("gist", "") for p in points],
                                                  sorted({t for p in points for t in p.get("turns", [])}))
    peak = int(signals.get("frustration_peak") or 0)
    if peak >= HIGH_FRUSTRATION:
        flags["high_frustration"] = DerivedFlag("high_frustration", [f"Højeste frustration: {frustration_name(peak)}"], [])
    points = signals.get("complaint_points", [])
    if len(points) >= MANY_POINTS:
        flags["many_points"] = DerivedFlag("many_points", [p.get("gist", "") for p in points],
                                           sorted({t for p in points for t in p.get("turns", [])}))
    if call.outcome == "uafklaret":
        flags["unresolved"] = DerivedFlag("unresolved", ["Udfaldet er uafklaret"], [])
    return list(flags.values())


def sync_review_flags(session: Session, call: Call) -> None:
    """Write the call's derived flags; a flag that no longer applies is removed unless it was reviewed."""
    derived = {flag.kind: flag for flag in derive_review_flags(call)}
    existing = {flag.kind: flag for flag in session.scalars(select(CallFlag).where(CallFlag.call_id == call.id))}
    for kind, flag in derived.items():
        row = existing.get(kind)
        if row is None:
            session.add(CallFlag(call_id=call.id, kind=kind, evidence=flag.evidence, turns=flag.turns))
        else:
            row.evidence, row.turns = flag.evidence, flag.turns
    for kind, row in existing.items():
        if kind not in derived and not row.reviews:
            session.delete(row)
    session.flush()


def flag_label(kind: str) -> str:
    return FLAGS.get(kind, kind)


def flag_severity(kind: str) -> int:
    return REVIEW_FLAGS.get(kind, 0)


def call_severity(call: Call) -> int:
    return max((flag_severity(flag.kind) for flag in call.flags), default=0)


def review_queue(session: Session, *, limit: int = 500) -> list[Call]:
    """Flagged calls, most severe first, then newest first."""
    calls = list(session.scalars(select(Call).where(Call.flags.any())
                                 .options(selectinload(Call.flags).selectinload(CallFlag.reviews),
                                          selectinload(Call.case))
                                 .order_by(Call.started_at.desc()).limit(limit)))
    calls.sort(key=lambda c: (-call_severity(c), -c.started_at.timestamp()))
    return calls


def effective_outcome(call: Call) -> str | None:
    """The outcome to count: the approved note's if there is one, else the one derived from the transcript."""
    return call.outcome


# ---- statistics ----------------------------------------------------------------------------------


def flag_precision(session: Session) -> list[dict[str, Any]]:
    """Per flag kind: how many raised, reviewed, judged right/wrong, and precision = right / reviewed.

    The newest verdict on a flag counts (a supervisor may change their mind).
    """
    rows = session.scalars(select(CallFlag).options(selectinload(CallFlag.reviews)))
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    for flag in rows:
        tally[flag.kind]["raised"] += 1
        if flag.reviews:
            tally[flag.kind][flag.reviews[-1].verdict] += 1
    result = []
    for kind in REVIEW_FLAGS:
        counts = tally.get(kind, Counter())
        reviewed = counts["right"] + counts["wrong"]
        result.append({"kind": kind, "label": flag_label(kind), "raised": counts["raised"], "reviewed": reviewed,
                       "right": counts["right"], "wrong": counts["wrong"],
                       "precision": round(counts["right"] / reviewed, 3) if reviewed else None})
    return result


def period_key(when: datetime, period: str) -> str:
    """ISO week ("2026-W47") or month ("2026-11") of a UTC time."""
    if period == "week":
        year, week, _ = when.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{when.year}-{when.month:02d}"


def categories_over_time(session: Session, *, period: str = "month") -> list[dict[str, Any]]:
    """Complaint points per category and period (week or month), from each call's latest signals."""
    counts: Counter[tuple[str, str]] = Counter()
    for call in session.scalars(select(Call)):
        for point in (call.signals or {}).get("complaint_points", []):
            counts[(period_key(call.started_at, period), point.get("category", "andet"))] += 1
    return [{"period": p, "category": c, "label": COMPLAINT_CATEGORIES.get(c, c), "count": n}
            for (p, c), n in sorted(counts.items())]


def resolved_share(session: Session) -> dict[str, Any]:
    """Share of calls with an outcome where the complaint was withdrawn (lagt ned) on the phone."""
    outcomes = Counter(effective_outcome(call) for call in session.scalars(select(Call)))
    total = sum(n for outcome, n in outcomes.items() if outcome)
    resolved = outcomes.get("lagt_ned", 0)
    return {"resolved": resolved, "total": total, "kept": outcomes.get("fastholdt", 0),
            "unresolved": outcomes.get("uafklaret", 0),
            "share": round(resolved / total, 3) if total else None, "reference": PHONE_RESOLUTION_REFERENCE}


def _late(done: datetime | None, deadline: date, today: date) -> bool:
    if done is None:
        return today > deadline
    return done.date() > deadline


def deadline_report(session: Session, *, options: DeadlineOptions | None = None,
                    today: date | None = None) -> dict[str, Any]:
    """Every case with its acknowledgement and answer deadline, and whether each was (or is being) missed.

    Args:
        session: The store session.
        options: The municipality's deadline rules (`DeadlineOptions.from_settings`): the report says how the
            deadlines count (calendar or working days, how many), as the cases were linked with them.
        today: The day open cases are judged on (today in Denmark when None).
    """
    options = options or DeadlineOptions()
    today = today or datetime.now(LOCAL_TZ).date()
    cases = list(session.scalars(select(ComplaintCase).order_by(ComplaintCase.received_date)))
    rows = []
    for case in cases:
        rows.append({
            "reference": case.reference, "received_date": case.received_date.isoformat(), "kind": case.kind,
            "acknowledgement_deadline": case.acknowledgement_deadline.isoformat(),
            "acknowledged_at": case.acknowledged_at.isoformat() if case.acknowledged_at else None,
            "acknowledgement_late": _late(case.acknowledged_at, case.acknowledgement_deadline, today),
            "answer_deadline": case.answer_deadline.isoformat(),
            "answered_at": case.answered_at.isoformat() if case.answered_at else None,
            "answer_late": _late(case.answered_at, case.answer_deadline, today),
        })
    return {"cases": rows, "total": len(rows), "working_days": options.working_days,
            "acknowledgement_days": options.acknowledgement_days, "answer_days": options.answer_days,
            "acknowledgement_late": sum(r["acknowledgement_late"] for r in rows),
            "answer_late": sum(r["answer_late"] for r in rows)}


def notes_by_call(session: Session, call_ids: list[str]) -> dict[str, Note]:
    if not call_ids:
        return {}
    notes = session.scalars(select(Note).where(Note.call_id.in_(call_ids)).options(selectinload(Note.versions)))
    return {note.call_id: note for note in notes}
