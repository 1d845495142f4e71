"""Supervisor review: the queue of flagged calls, a call's transcript with cues, and verdicts on flags.

Coaching data (the caseworker's questions, summaries, talk share) is never returned here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from assistant.store import crud
from assistant.store.models import Call, CallFlag
from assistant.store.review import call_severity, flag_label, flag_severity, notes_by_call, review_queue
from assistant.vocabulary import CALL_OUTCOMES, COMPLAINT_CATEGORIES, REVIEW_STATUSES
from assistant.web.postcall import REVIEW_STATIC_DIR, CurrentUser, SessionDep

ReviewStatus = Literal["reviewed", "partly_reviewed", "not_reviewed"]
api_router = APIRouter(prefix="/api/review", tags=["review"])
page_router = APIRouter(tags=["pages"], include_in_schema=False)



class VerdictPublic(BaseModel):
    verdict: Literal["right", "wrong"]
    comment: str
    reviewer: str | None
    created_at: datetime


class FlagPublic(BaseModel):
    kind: str
    label: str
    severity: int
    evidence: list[str]
    turns: list[int]
    verdict: VerdictPublic | None = Field(description="The newest verdict, if any")


class QueueItem(BaseModel):
    call_id: str
    started_at: datetime
    ended_at: datetime | None
    status: str
    case_reference: str | None
    outcome: str | None
    outcome_label: str | None
    severity: int
    reasons: list[str]
    flags: list[FlagPublic]
    reviewed: bool = Field(description="Every flag of the call has a verdict")
    review_status: ReviewStatus = Field(description="reviewed, partly_reviewed or not_reviewed (names in "
                                                    "assistant.vocabulary.REVIEW_STATUSES)")
    review_status_label: str


def review_status(flags: list[FlagPublic]) -> ReviewStatus:
    judged = sum(1 for f in flags if f.verdict)
    if flags and judged == len(flags):
        return "reviewed"
    return "partly_reviewed" if judged else "not_reviewed"


class QueueList(BaseModel):
    data: list[QueueItem]
    count: int


class TurnPublic(BaseModel):
    turn_index: int
    speaker: str
    text: str
    start: float
    frustration: int | None
    highlights: list[str] = Field(description="Cue words to highlight in this turn (the evidence)")


class CurvePoint(BaseModel):
    turn_index: int
    frustration: int


class CallReview(BaseModel):
    call_id: str
    started_at: datetime
    ended_at: datetime | None
    status: str
    case_reference: str | None
    complaint_kind: str | None
    outcome: str | None
    outcome_label: str | None
    assessment_level: str | None
    assessment_reasons: list[str]
    complaint_points: list[dict]
    frustration_curve: list[CurvePoint]
    transcript: list[TurnPublic]
    flags: list[FlagPublic]
    note_markdown: str | None
    note_status: str | None


class VerdictIn(BaseModel):
    verdict: Literal["right", "wrong"] = Field(description="Was the flag right to be raised?")
    comment: str = Field("", max_length=2000)


class StoredCall(BaseModel):
    call_id: str
    started_at: datetime
    status: str
    outcome: str | None
    case_reference: str | None
    turns: int
    note_status: str | None


class StoredCallList(BaseModel):
    data: list[StoredCall]
    count: int


def flag_public(flag: CallFlag) -> FlagPublic:
    latest = flag.reviews[-1] if flag.reviews else None
    verdict = None
    if latest is not None:
        verdict = VerdictPublic(verdict=latest.verdict, comment=latest.comment, created_at=latest.created_at,
                                reviewer=latest.reviewer.display_name if latest.reviewer else None)
    return FlagPublic(kind=flag.kind, label=flag_label(flag.kind), severity=flag_severity(flag.kind),
                      evidence=list(flag.evidence or []), turns=list(flag.turns or []), verdict=verdict)


def _sorted_flags(call: Call) -> list[FlagPublic]:
    return sorted((flag_public(f) for f in call.flags), key=lambda f: -f.severity)


@api_router.get("/queue", response_model=QueueList, summary="Flagged calls, most severe first, then newest")
def queue(session: SessionDep, user: CurrentUser) -> QueueList:
    items = []
    for call in review_queue(session):
        flags = _sorted_flags(call)
        items.append(QueueItem(
            call_id=call.id, started_at=call.started_at, ended_at=call.ended_at, status=call.status,
            case_reference=call.case.reference if call.case else None, outcome=call.outcome,
            outcome_label=CALL_OUTCOMES.get(call.outcome or ""), severity=call_severity(call),
            reasons=[f.label + (f": {', '.join(f.evidence[:3])}" if f.evidence else "") for f in flags],
            flags=flags, reviewed=all(f.verdict for f in flags), review_status=review_status(flags),
            review_status_label=REVIEW_STATUSES[review_status(flags)]))
    crud.audit(session, user=user, action="view", object_type="review-queue")
    return QueueList(data=items, count=len(items))


@api_router.get("/calls", response_model=StoredCallList, summary="Every stored call, newest first")
def stored_calls(session: SessionDep, user: CurrentUser) -> StoredCallList:
    calls = crud.list_calls(session)
    notes = notes_by_call(session, [c.id for c in calls])
    rows = []
    for call in calls:
        note = notes.get(call.id)
        rows.append(StoredCall(call_id=call.id, started_at=call.started_at, status=call.status, outcome=call.outcome,
                               case_reference=call.case.reference if call.case else None,
                               turns=len(call.utterances),
                               note_status=("approved" if note.approved else "draft") if note and note.versions else None))
    crud.audit(session, user=user, action="view", object_type="call-list")
    return StoredCallList(data=rows, count=len(rows))


def _transcript(session, call: Call) -> tuple[list[TurnPublic], list[CurvePoint]]:  # noqa: ANN001
    signals = {row.turn_index: row for row in crud.turn_signals(session, call.id)}
    flag_words: dict[int, list[str]] = {}
    for flag in call.flags:
        for turn in flag.turns or []:
            flag_words.setdefault(int(turn), []).extend(flag.evidence or [])
    turns, curve = [], []
    for row in crud.transcript(session, call.id):
        signal = signals.get(row.turn_index)
        words = list(signal.evidence if signal else []) + flag_words.get(row.turn_index, [])
        # Only words that occur in the turn can be highlighted; the page marks them.
        lowered = row.text.lower()
        highlights = sorted({w for w in words if w and w.lower() in lowered}, key=len, reverse=True)
        frustration = signal.frustration if signal else None
        turns.append(TurnPublic(turn_index=row.turn_index, speaker=row.speaker, text=row.text, start=row.start,
                                frustration=frustration, highlights=highlights))
        if row.speaker == "citizen" and frustration is not None:
            curve.append(CurvePoint(turn_index=row.turn_index, frustration=frustration))
    return turns, curve


@api_router.get("/calls/{call_id}", response_model=CallReview, summary="A call for review (no coaching data)")
def review_call(call_id: str, session: SessionDep, user: CurrentUser) -> CallReview:
    call = crud.get_call(session, call_id)
    transcript, curve = _transcript(session, call)
    note = crud.get_note(session, call_id)
    shown = (note.approved or note.latest) if note else None
    assessment = call.assessment or {}
    crud.audit(session, user=user, action="view", object_type="call", object_id=call_id, detail="review")
    return CallReview(
        call_id=call.id, started_at=call.started_at, ended_at=call.ended_at, status=call.status,
        case_reference=call.case.reference if call.case else None, complaint_kind=call.complaint_kind,
        outcome=call.outcome, outcome_label=CALL_OUTCOMES.get(call.outcome or ""),
        assessment_level=assessment.get("level"), assessment_reasons=list(assessment.get("reasons", [])),
        complaint_points=[{"category": p.get("category"), "label": COMPLAINT_CATEGORIES.get(p.get("category"), p.get("category")),
                           "gist": p.get("gist")}
                          for p in (call.signals or {}).get("complaint_points", [])],
        frustration_curve=curve, transcript=transcript, flags=_sorted_flags(call),
        note_markdown=shown.markdown if shown else None, note_status=shown.status if shown else None)


@api_router.post("/calls/{call_id}/flags/{kind}/verdict", response_model=FlagPublic,
                 summary="Record a verdict (right / wrong) on one of the call's flags")
def verdict(call_id: str, kind: str, body: VerdictIn, session: SessionDep, user: CurrentUser) -> FlagPublic:
    review = crud.review_flag(session, call_id=call_id, kind=kind, verdict=body.verdict, comment=body.comment,
                              reviewer=user)
    crud.audit(session, user=user, action="review", object_type="flag", object_id=f"{call_id}/{kind}",
               detail=body.verdict)
    session.refresh(review.flag)
    return flag_public(review.flag)


@page_router.get("/review")
def queue_page() -> FileResponse:
    return FileResponse(REVIEW_STATIC_DIR / "index.html", media_type="text/html")


@page_router.get("/review/calls/{call_id}")
def call_page(call_id: str) -> FileResponse:  # noqa: ARG001 - the page reads the id from its URL
    return FileResponse(REVIEW_STATIC_DIR / "call.html", media_type="text/html")


@page_router.get("/review/stats")
def stats_page() -> FileResponse:
    return FileResponse(REVIEW_STATIC_DIR / "stats.html", media_type="text/html")
