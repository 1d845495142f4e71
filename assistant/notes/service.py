"""Notes on stored calls: load a call from the store, draft its note once, redraft on request."""

from __future__ import annotations

from sqlalchemy.orm import Session

from assistant.analysis.types import CallSignals
from assistant.notes.draft import (
    NOTE_OUTCOMES,
    CallRecord,
    NoteDraft,
    NoteOptions,
    NoteTurn,
    draft_note,
    render_markdown,
)
from assistant.store import crud
from assistant.store.models import NoteVersion, User
from assistant.masking import mask_json, mask_personal_data


def load_call_record(session: Session, call_id: str) -> CallRecord:
    """The stored call as a `CallRecord` (transcript, latest signals, case, caseworker).

    Raises:
        StoreError: code `call-not-found`.
    """
    call = crud.get_call(session, call_id)
    signals = None
    if call.signals:
        signals = CallSignals.model_validate(call.signals)
    case = call.case
    worker = call.caseworker
    name = worker.display_name if worker and worker.username != crud.ANONYMOUS_USERNAME else ""
    return CallRecord(
        call_id=call.id, started_at=call.started_at, ended_at=call.ended_at, direction=call.direction,
        citizen_informed=call.citizen_informed, caseworker_name=name,
        case_reference=case.reference if case else None, received_date=case.received_date if case else None,
        decision_date=case.decision_date if case else None, answer_deadline=case.answer_deadline if case else None,
        turns=[NoteTurn(speaker=row.speaker, text=row.text) for row in crud.transcript(session, call_id)],
        signals=signals, outcome_detail=call.outcome_detail,
    )


def draft_for_call(session: Session, call_id: str, *, outcome: str | None = None,
                   options: NoteOptions | None = None) -> tuple[str, dict]:
    """(Markdown, structured fields) of a fresh draft; `outcome` overrides the derived one.

    Both are masked as the store is configured (phone numbers and e-mails too when the settings say so), so
    `assistant note --fresh` masks exactly as the server does.
    """
    record = load_call_record(session, call_id)
    if outcome in NOTE_OUTCOMES:
        record.outcome_detail = outcome
    draft = draft_note(record, options)
    masking = crud.masking_options(session)
    return mask_personal_data(render_markdown(draft), masking), mask_json(draft.model_dump(mode="json"), masking)


def ensure_note(session: Session, *, call_id: str, user: User | None) -> NoteVersion:
    """The note's newest version; a first draft is made from the call when there is none."""
    note = crud.get_note(session, call_id)
    if note is not None and note.latest is not None:
        return note.latest
    markdown, fields = draft_for_call(session, call_id)
    return crud.save_note_draft(session, call_id=call_id, markdown=markdown, outcome=fields["outcome"],
                                fields=fields, author=user)


def regenerate_note(session: Session, *, call_id: str, user: User | None, outcome: str | None = None) -> NoteVersion:
    """Redraft the note from the call (e.g. after the case or outcome changed); approved versions stay."""
    markdown, fields = draft_for_call(session, call_id, outcome=outcome)
    return crud.save_note_draft(session, call_id=call_id, markdown=markdown, outcome=fields["outcome"],
                                fields=fields, author=user)


def edited_by_hand(version: NoteVersion) -> bool:
    """True when the version's text is not the draft it was made from (the caseworker changed it), so a new
    draft would throw edits away. A version without its structured draft counts as edited (ask rather than lose)."""
    if not version.fields:
        return True
    try:
        drafted = render_markdown(NoteDraft.model_validate(version.fields))
    except ValueError:  # a draft stored by an older version of the note's structure
        return True
    return drafted.strip() != version.markdown.strip()
