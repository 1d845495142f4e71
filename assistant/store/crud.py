"""Create/read/update functions on the store; keyword-only, each takes the session it works in.

Text that may hold personal data is CPR-masked here, at the boundary, before it reaches the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from assistant.analysis.types import AnalysisUpdate
from assistant.errors import StoreError
from assistant.events import Utterance
from assistant.masking import MaskingOptions, mask_personal_data
from assistant.store.db import MASKING_INFO_KEY
from assistant.store.deadlines import DeadlineOptions, case_deadlines
from assistant.store.models import (
    CALL_OUTCOMES,
    USER_ROLES,
    AuditEntry,
    Call,
    CallFlag,
    ComplaintCase,
    FlagReview,
    ImmutableRecordError,
    Note,
    NoteVersion,
    SuggestionRow,
    TurnSignal,
    User,
    UtteranceRow,
    utcnow,
)
from assistant.store.review import sync_review_flags

ANONYMOUS_USERNAME = "anonymous"


def masking_options(session: Session) -> MaskingOptions:
    """The masking options of the store this session came from (`StoreOptions.masking`)."""
    return session.info.get(MASKING_INFO_KEY) or MaskingOptions()


def _mask(session: Session, text: str) -> str:
    """`text` masked as the store is configured (CPR numbers always; phone numbers and e-mails if set)."""
    return mask_personal_data(text, masking_options(session))


# ---- users ---------------------------------------------------------------------------------------


def get_or_create_user(session: Session, *, username: str, role: str = "caseworker", display_name: str = "",
                       unit: str = "") -> User:
    """The user with this name, created (active, no password) when missing.

    Raises:
        StoreError: `role` is not caseworker, supervisor or admin.
    """
    if role not in USER_ROLES:
        raise StoreError(f"Ukendt rolle '{role}'.", code="store-bad-role")
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, role=role, display_name=display_name or username, unit=unit)
        session.add(user)
        session.flush()
    return user


# ---- audit ---------------------------------------------------------------------------------------


def audit(session: Session, *, user: User | None, action: str, object_type: str, object_id: str = "",
          detail: str = "") -> AuditEntry:
    """Append an audit entry (who, what, which object, when). Never updated or deleted afterwards."""
    entry = AuditEntry(user_id=user.id if user else None, username=user.username if user else ANONYMOUS_USERNAME,
                       action=action, object_type=object_type, object_id=str(object_id),
                       detail=_mask(session, detail))
    session.add(entry)
    session.flush()
    return entry


# ---- cases ---------------------------------------------------------------------------------------


def upsert_case(session: Session, *, reference: str, received_date: date, decision_date: date | None = None,
                kind: str | None = None, unit: str = "", options: DeadlineOptions | None = None,
                actor: User | None = None) -> ComplaintCase:
    """Create the case with this reference in `unit`, or update the unit's own case; deadlines follow the
    received date. A change of an existing case's dates or kind is written to the audit log.

    Raises:
        StoreError: the reference is empty (`store-case-reference-missing`) or names a case another unit owns
            (`case-other-unit`: a caseworker must not rewrite the deadlines of another unit's complaint).
    """
    reference = _mask(session, reference.strip())
    if not reference:
        raise StoreError("Sagsnummeret mangler.", code="store-case-reference-missing")
    case = session.scalar(select(ComplaintCase).where(ComplaintCase.reference == reference))
    acknowledgement, answer = case_deadlines(received_date, options)
    if case is None:
        case = ComplaintCase(reference=reference, received_date=received_date, acknowledgement_deadline=acknowledgement,
                             answer_deadline=answer, unit=unit, decision_date=decision_date, kind=kind)
        session.add(case)
        session.flush()
        return case
    if case.unit != unit:
        raise StoreError(f"Sagsnummeret '{reference}' hører til en anden enhed. Kontrollér nummeret; en sag kan kun "
                         "knyttes til opkald i den enhed, der ejer den.", code="case-other-unit")
    before = _case_facts(case)
    case.received_date = received_date
    case.acknowledgement_deadline, case.answer_deadline = acknowledgement, answer
    if decision_date is not None:
        case.decision_date = decision_date
    if kind is not None:
        case.kind = kind
    changes = [f"{name}: {old or '-'} → {new or '-'}" for (name, old), (_, new) in zip(before, _case_facts(case))
               if old != new]
    if changes:
        audit(session, user=actor, action="update", object_type="case", object_id=reference,
              detail="; ".join(changes))
    session.flush()
    return case


def _case_facts(case: ComplaintCase) -> list[tuple[str, str | None]]:
    """The facts of a case whose change is audited (deadlines follow the received date)."""
    return [("modtaget", case.received_date.isoformat()),
            ("afgørelse", case.decision_date.isoformat() if case.decision_date else None),
            ("type", case.kind)]


def link_call_to_case(session: Session, *, call_id: str, reference: str, received_date: date,
                      decision_date: date | None = None, kind: str | None = None,
                      acknowledged_on: date | None = None, options: DeadlineOptions | None = None,
                      actor: User | None = None) -> ComplaintCase:
    """Attach a call to its complaint case.

    The case belongs to the unit of the call's caseworker: a new reference creates the case there, an
    existing one must be that unit's own (see `upsert_case`). The acknowledgement date is the one the
    caseworker enters (`acknowledged_on`); the call's own time is not taken for it silently.

    Args:
        actor: Who linked it (audit of changed case dates); the call's caseworker when None.
    """
    call = get_call(session, call_id)
    unit = call.caseworker.unit if call.caseworker is not None else ""
    case = upsert_case(session, reference=reference, received_date=received_date, decision_date=decision_date,
                       kind=kind or call.complaint_kind, unit=unit, options=options,
                       actor=actor or call.caseworker)
    call.case = case
    if acknowledged_on is not None:
        case.acknowledged_at = datetime(acknowledged_on.year, acknowledged_on.month, acknowledged_on.day)
    if call.outcome == "lagt_ned" and note_is_approved(session, call_id) and case.answered_at is None:
        case.answered_at = utcnow()
    session.flush()
    return case


# ---- calls and what the recorder writes ------------------------------------------------------------


def get_call(session: Session, call_id: str) -> Call:
    """The call with this id.

    Raises:
        StoreError: code `call-not-found`.
    """
    call = session.get(Call, call_id)
    if call is None:
        raise StoreError(f"Opkaldet '{call_id}' findes ikke i databasen.", code="call-not-found")
    return call


def list_calls(session: Session, *, limit: int = 500) -> list[Call]:
    query = (select(Call).options(selectinload(Call.flags).selectinload(CallFlag.reviews), selectinload(Call.case))
             .order_by(Call.started_at.desc()).limit(limit))
    return list(session.scalars(query))


def create_call(session: Session, *, call_id: str, started_at: datetime, source: str = "",
                citizen_informed: bool = False, caseworker: User | None = None, direction: str = "outgoing") -> Call:
    """Insert a running call (idempotent: an existing row is returned unchanged)."""
    call = session.get(Call, call_id)
    if call is None:
        call = Call(id=call_id, started_at=started_at, updated_at=started_at, source=source, status="running",
                    citizen_informed=citizen_informed, caseworker=caseworker, direction=direction)
        session.add(call)
        session.flush()
    return call


def add_utterance(session: Session, *, call_id: str, turn_index: int, utterance: Utterance, seq: int = 0) -> UtteranceRow:
    """Store a final utterance (CPR-masked). The caller commits at once, so a crash loses nothing final."""
    call = get_call(session, call_id)
    row = UtteranceRow(call_id=call_id, turn_index=turn_index, utterance_id=utterance.utterance_id,
                       speaker=utterance.speaker, text=_mask(session, utterance.text), start=utterance.start,
                       end=utterance.end, language=utterance.language, avg_logprob=utterance.avg_logprob,
                       engine=utterance.engine)
    session.add(row)
    call.last_seq = max(call.last_seq, seq)
    call.updated_at = utcnow()
    session.flush()
    return row


def _masked(session: Session, items: Sequence[str]) -> list[str]:
    return [_mask(session, item) for item in items]


def add_turn_signals(session: Session, *, call_id: str, turn_index: int, update: AnalysisUpdate,
                     seq: int = 0) -> TurnSignal:
    """Store the analysis of one turn and refresh the call's latest signals, flags and suggestions.

    Coaching is not stored (it is for the caseworker during the call only).
    """
    call = get_call(session, call_id)
    signals = update.call.model_dump(mode="json")
    for point in signals.get("complaint_points", []):
        point["gist"] = _mask(session, point.get("gist", ""))
    for flag in signals.get("flags", []):
        flag["evidence"] = _masked(session, flag.get("evidence", []))
    row = TurnSignal(call_id=call_id, turn_index=turn_index, speaker=update.turn.speaker,
                     frustration=update.turn.frustration, evidence=_masked(session, update.turn.evidence),
                     lang=update.turn.lang, complaint_points=signals.get("complaint_points", []),
                     complaint_kind=update.call.complaint_kind, flags=signals.get("flags", []),
                     assessment_level=update.assessment.level, assessment_reasons=list(update.assessment.reasons))
    existing = session.scalar(select(TurnSignal).where(TurnSignal.call_id == call_id,
                                                       TurnSignal.turn_index == turn_index))
    if existing is not None:  # a replayed event: keep one row per turn
        session.delete(existing)
        session.flush()
    session.add(row)
    call.signals = signals
    call.assessment = update.assessment.model_dump(mode="json")
    call.complaint_kind = update.call.complaint_kind
    call.last_seq = max(call.last_seq, seq)
    call.updated_at = utcnow()
    if call.case is not None and update.call.complaint_kind and not call.case.kind:
        call.case.kind = update.call.complaint_kind
    for suggestion in update.suggestions:
        record_suggestion_shown(session, call=call, turn_index=turn_index, suggestion_id=suggestion.suggestion_id,
                                kind=suggestion.kind, text=suggestion.text, reason=suggestion.reason)

    sync_review_flags(session, call)
    session.flush()
    return row


def record_suggestion_shown(session: Session, *, call: Call, turn_index: int, suggestion_id: str, kind: str,
                            text: str, reason: str = "") -> SuggestionRow:
    row = session.scalar(select(SuggestionRow).where(SuggestionRow.call_id == call.id,
                                                     SuggestionRow.suggestion_id == suggestion_id))
    if row is None:
        row = SuggestionRow(call_id=call.id, suggestion_id=suggestion_id, kind=kind, text=_mask(session, text),
                            reason=reason, turn_index=turn_index)
        session.add(row)
        session.flush()
    return row


def record_suggestion_action(session: Session, *, call_id: str, suggestion_id: str, action: str,
                             kind: str = "") -> SuggestionRow:
    """Mark a suggestion used or dismissed ("copied" counts as used)."""
    status = "dismissed" if action == "dismissed" else "used"
    row = session.scalar(select(SuggestionRow).where(SuggestionRow.call_id == call_id,
                                                     SuggestionRow.suggestion_id == suggestion_id))
    if row is None:
        row = SuggestionRow(call_id=call_id, suggestion_id=suggestion_id, kind=kind or "question", text="")
        session.add(row)
    row.status = status
    row.acted_at = utcnow()
    session.flush()
    return row


def finish_call(session: Session, *, call_id: str, ended_at: datetime, reason: str, seq: int = 0) -> Call:
    """Mark the call ended (completed/stopped), failed or interrupted."""
    call = get_call(session, call_id)
    call.status = {"failed": "failed", "interrupted": "interrupted"}.get(reason, "ended")
    call.end_reason = reason
    call.ended_at = ended_at
    call.updated_at = utcnow()
    call.last_seq = max(call.last_seq, seq)
    session.flush()
    return call


def record_call_error(session: Session, *, call_id: str, message: str) -> None:
    call = session.get(Call, call_id)
    if call is not None:
        call.error = _mask(session, message)[:2000]
        call.updated_at = utcnow()


def mark_running_calls_interrupted(session: Session) -> list[str]:
    """Calls still 'running' in the database were cut off by a crash: mark them interrupted.

    Returns:
        The ids of the calls marked.
    """
    calls = list(session.scalars(select(Call).where(Call.status == "running")))
    for call in calls:
        call.status = "interrupted"
        call.end_reason = "interrupted"
        call.ended_at = call.updated_at
    session.flush()
    return [call.id for call in calls]


def set_call_outcome(session: Session, *, call_id: str, outcome: str | None, detail: str | None = None) -> Call:
    """Set the call's outcome (lagt_ned / fastholdt / uafklaret) and the note's finer outcome."""
    if outcome is not None and outcome not in CALL_OUTCOMES:
        raise StoreError(f"Ukendt udfald '{outcome}'.", code="store-bad-outcome")
    call = get_call(session, call_id)
    call.outcome = outcome
    call.outcome_detail = detail

    sync_review_flags(session, call)
    session.flush()
    return call


def transcript(session: Session, call_id: str) -> list[UtteranceRow]:
    return list(session.scalars(select(UtteranceRow).where(UtteranceRow.call_id == call_id)
                                .order_by(UtteranceRow.turn_index)))


def turn_signals(session: Session, call_id: str) -> list[TurnSignal]:
    return list(session.scalars(select(TurnSignal).where(TurnSignal.call_id == call_id)
                                .order_by(TurnSignal.turn_index)))


# ---- notes ---------------------------------------------------------------------------------------


def get_note(session: Session, call_id: str) -> Note | None:
    return session.scalar(select(Note).where(Note.call_id == call_id).options(selectinload(Note.versions)))


def note_is_approved(session: Session, call_id: str) -> bool:
    note = get_note(session, call_id)
    return bool(note and note.approved)


def save_note_draft(session: Session, *, call_id: str, markdown: str, outcome: str | None = None,
                    fields: dict[str, Any] | None = None, author: User | None = None) -> NoteVersion:
    """Save the note's draft: the open draft is updated in place; after an approval a new version starts.

    The text is CPR-masked before it is stored.
    """
    get_call(session, call_id)
    note = get_note(session, call_id)
    if note is None:
        note = Note(call_id=call_id)
        session.add(note)
        session.flush()
    latest = note.latest
    markdown = _mask(session, markdown)
    if latest is None or latest.status == "approved":
        latest = NoteVersion(note=note, version=(latest.version + 1) if latest else 1, status="draft",
                             markdown=markdown, outcome=outcome, fields=fields, author=author)
        session.add(latest)
    else:
        latest.markdown = markdown
        latest.outcome = outcome
        if fields is not None:
            latest.fields = fields
        latest.author = author or latest.author
        latest.updated_at = utcnow()
    session.flush()
    return latest


def approve_note(session: Session, *, call_id: str, version: int, user: User | None) -> NoteVersion:
    """Approve a draft version; from then on it is immutable (in code and by database triggers).

    Raises:
        StoreError: no such version, or it is not the newest draft (`note-not-draft`).
    """
    note = get_note(session, call_id)
    if note is None:
        raise StoreError("Opkaldet har intet notat endnu.", code="note-not-found")
    target = next((v for v in note.versions if v.version == version), None)
    if target is None:
        raise StoreError(f"Notatversion {version} findes ikke.", code="note-version-not-found")
    if target.status == "approved":
        raise StoreError(f"Notatversion {version} er allerede godkendt.", code="note-not-draft")
    if target is not note.latest:
        raise StoreError("Kun den nyeste version kan godkendes.", code="note-not-latest")
    target.status = "approved"
    target.approved_at = utcnow()
    target.approved_by = user
    session.flush()
    call = get_call(session, call_id)
    outcome = _call_outcome_from_note(target.outcome)
    if outcome:
        set_call_outcome(session, call_id=call_id, outcome=outcome, detail=target.outcome)
    if call.case is not None and call.outcome == "lagt_ned" and call.case.answered_at is None:
        call.case.answered_at = target.approved_at  # closed by phone: the approved note is the answer on file
    return target


def _call_outcome_from_note(detail: str | None) -> str | None:
    """The note's finer outcome → the call's outcome (written answer and reconsideration keep the complaint)."""
    return {"lagt_ned": "lagt_ned", "skriftligt_svar": "fastholdt", "genvurdering": "fastholdt",
            "fastholdt": "fastholdt", "uafklaret": "uafklaret"}.get(detail or "")


def ensure_mutable(version: NoteVersion) -> None:
    """Raise when `version` is approved (for callers about to change it)."""
    if version.status == "approved":
        raise ImmutableRecordError(f"Godkendt notatversion {version.version} kan ikke ændres.")


# ---- flag reviews --------------------------------------------------------------------------------


def review_flag(session: Session, *, call_id: str, kind: str, verdict: str, comment: str = "",
                reviewer: User | None = None) -> FlagReview:
    """Record a supervisor's verdict (right / wrong) on one of the call's flags.

    Raises:
        StoreError: the call has no such flag, or the verdict is neither right nor wrong.
    """
    if verdict not in ("right", "wrong"):
        raise StoreError("Vurderingen skal være 'right' eller 'wrong'.", code="review-bad-verdict")
    flag = session.scalar(select(CallFlag).where(CallFlag.call_id == call_id, CallFlag.kind == kind))
    if flag is None:
        raise StoreError(f"Opkaldet har intet flag '{kind}'.", code="flag-not-found")
    review = FlagReview(flag=flag, verdict=verdict, comment=_mask(session, comment.strip())[:2000],
                        reviewer=reviewer)
    session.add(review)
    session.flush()
    return review
