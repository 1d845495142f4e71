"""Supervisor review: the queue of flagged calls, a call's transcript with cues, and verdicts on flags.

Coaching data (the caseworker's questions, summaries, talk share) is never returned here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from assistant.review.evidence import locate, readable
from assistant.security.deps import CurrentUser, SessionDep
from assistant.store import crud
from assistant.store.models import Call, CallFlag
from assistant.store.review import call_severity, flag_label, flag_severity, notes_by_call, review_queue
from assistant.vocabulary import CALL_OUTCOMES, COMPLAINT_CATEGORIES, REVIEW_STATUSES, frustration_name
from assistant.web.static_files import REVIEW_STATIC_DIR

ReviewStatus = Literal["reviewed", "partly_reviewed", "not_reviewed"]
api_router = APIRouter(prefix="/api/review", tags=["review"])
page_router = APIRouter(tags=["pages"], include_in_schema=False)



class VerdictPublic(BaseModel):
    verdict: Literal["right", "wrong"]
    comment: str
    reviewer: str | None
    created_at: datetime


class EvidencePublic(BaseModel):
    text: str = Field(description="The evidence as said: contiguous words of the transcript")
    turn_index: int | None = Field(description="The turn it was found in (None: not found in the transcript)")


class FlagPublic(BaseModel):
    kind: str
    label: str
    severity: int
    evidence: list[str]
    turns: list[int]
    verdict: VerdictPublic | None = Field(description="The newest verdict, if any")
    located: list[EvidencePublic] = Field(default_factory=list,
                                          description="The evidence found in the transcript (call page only)")


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
    frustration_label: str | None = Field(description="'2 – Frustreret' (assistant.vocabulary)")
    highlights: list[str] = Field(description="The evidence found in this turn, as its text says it")
    highlight_spans: list[tuple[int, int]] = Field(description="Character spans [start, end) of the evidence")


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
                      evidence=[readable(e) for e in flag.evidence or []], turns=list(flag.turns or []),
                      verdict=verdict)


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


def _transcript(session, call: Call, flags: list[FlagPublic]  # noqa: ANN001
                ) -> tuple[list[TurnPublic], list[CurvePoint]]:
    """The transcript with the evidence located in it (flags get `located`), and the frustration curve."""
    rows = list(crud.transcript(session, call.id))
    signals = {row.turn_index: row for row in crud.turn_signals(session, call.id)}
    texts = [(row.turn_index, row.text) for row in rows]
    spans: dict[int, list[tuple[int, int]]] = {}
    for row in rows:  # the cues behind a turn's frustration, in that turn
        for cue in (signals[row.turn_index].evidence if row.turn_index in signals else []) or []:
            found = locate(cue, [(row.turn_index, row.text)])
            if found:
                spans.setdefault(found.turn_index, []).append((found.start, found.end))
    stored = {flag.kind: flag for flag in call.flags}
    for flag in flags:
        own = set(stored[flag.kind].turns or [])
        for evidence in stored[flag.kind].evidence or []:
            found = locate(evidence, [t for t in texts if t[0] in own] + texts)
            flag.located.append(EvidencePublic(text=found.text if found else readable(evidence),
                                               turn_index=found.turn_index if found else None))
            if found:
                spans.setdefault(found.turn_index, []).append((found.start, found.end))
    turns, curve = [], []
    for row in rows:
        signal = signals.get(row.turn_index)
        frustration = signal.frustration if signal else None
        marks = sorted(set(spans.get(row.turn_index, [])))
        turns.append(TurnPublic(turn_index=row.turn_index, speaker=row.speaker, text=row.text, start=row.start,
                                frustration=frustration,
                                frustration_label=frustration_name(frustration) if frustration is not None else None,
                                highlights=[row.text[a:b] for a, b in marks], highlight_spans=marks))
        if row.speaker == "citizen" and frustration is not None:
            curve.append(CurvePoint(turn_index=row.turn_index, frustration=frustration))
    return turns, curve


@api_router.get("/calls/{call_id}", response_model=CallReview, summary="A call for review (no coaching data)")
def review_call(call_id: str, session: SessionDep, user: CurrentUser) -> CallReview:
    call = crud.get_call(session, call_id)
    flags = _sorted_flags(call)
    transcript, curve = _transcript(session, call, flags)
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
        frustration_curve=curve, transcript=transcript, flags=flags,
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
