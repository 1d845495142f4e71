"""Telephone notes: draft, edit, approve and export a call's note; link the call to its complaint case.

Nothing is registered anywhere automatically: the caseworker approves, then exports the approved
version for the municipality's records system. Every view, change and export is audited.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from pydantic import BaseModel, Field

from assistant.dates import danish_date
from assistant.errors import StoreError
from assistant.notes.draft import LOCAL_TZ, OUTCOME_TEXTS
from assistant.notes.export import document_info, export_note
from assistant.notes.service import edited_by_hand, ensure_note, regenerate_note
from assistant.security.deps import CurrentUser, SessionDep
from assistant.security.services import app_services
from assistant.store import crud
from assistant.store.models import ComplaintCase, NoteVersion
from assistant.vocabulary import NOTE_OUTCOMES
from assistant.web.deps import DeadlinesDep
from assistant.web.routes.panel import not_found_page
from assistant.web.static_files import REVIEW_STATIC_DIR

api_router = APIRouter(prefix="/api/notes", tags=["notes"])
page_router = APIRouter(tags=["pages"], include_in_schema=False)

NoteOutcome = Literal["lagt_ned", "skriftligt_svar", "genvurdering", "uafklaret"]


class NoteVersionPublic(BaseModel):
    version: int
    status: Literal["draft", "approved"]
    markdown: str
    outcome: str | None
    author: str | None
    created_at: datetime
    updated_at: datetime
    approved_at: datetime | None
    approved_by: str | None


class DeadlinePublic(BaseModel):
    """One deadline of a case, as the caseworker reads it."""

    due: date
    due_text: str = Field(description="Danish form: '3. december 2026'")
    done_on: date | None = Field(description="When it was met (acknowledged / answered)")
    passed: bool = Field(description="Not met by its day: open after the day, or met late")


class CasePublic(BaseModel):
    reference: str
    received_date: date
    received_text: str
    decision_date: date | None
    kind: str | None
    acknowledgement_deadline: date
    answer_deadline: date
    acknowledged_at: datetime | None
    answered_at: datetime | None
    acknowledgement: DeadlinePublic
    answer: DeadlinePublic
    working_days: bool = Field(description="The deadlines count working days (Danish public holidays skipped)")


class OutcomeOption(BaseModel):
    value: str
    label: str


class NotePublic(BaseModel):
    call_id: str
    call_status: str
    started_at: datetime
    ended_at: datetime | None
    current: NoteVersionPublic
    versions: list[NoteVersionPublic]
    approved_version: int | None
    case: CasePublic | None
    outcomes: list[OutcomeOption]
    current_edited: bool = Field(description="The current draft's text was changed by hand since it was drafted "
                                             "(a new draft would replace the changes)")


class NoteUpdate(BaseModel):
    markdown: str = Field(min_length=1, max_length=100_000, description="The edited note (Markdown)")
    outcome: NoteOutcome | None = Field(None, description="The outcome the caseworker chose")


class RegenerateIn(BaseModel):
    outcome: NoteOutcome | None = Field(None, description="Redraft with this outcome instead of the derived one")


class ApproveIn(BaseModel):
    version: int = Field(ge=1, description="The draft version being approved (must be the newest)")


class CaseIn(BaseModel):
    reference: str = Field(min_length=1, max_length=100, description="The complaint's case number")
    received_date: date = Field(description="The day the written complaint was received")
    decision_date: date | None = Field(None, description="For a decision complaint: the decision's date")
    kind: Literal["formalitet", "afgoerelse", "blandet"] | None = None
    acknowledged_date: date | None = Field(None, description="The day the citizen got the acknowledgement, as the "
                                                             "caseworker enters it (the call is not taken for it)")


def version_public(version: NoteVersion) -> NoteVersionPublic:
    return NoteVersionPublic(
        version=version.version, status=version.status, markdown=version.markdown, outcome=version.outcome,
        author=version.author.display_name if version.author else None, created_at=version.created_at,
        updated_at=version.updated_at, approved_at=version.approved_at,
        approved_by=version.approved_by.display_name if version.approved_by else None)


def deadline_public(due: date, done: datetime | None, today: date) -> DeadlinePublic:
    done_on = done.date() if done else None
    return DeadlinePublic(due=due, due_text=danish_date(due), done_on=done_on,
                          passed=(done_on > due) if done_on else today > due)


def case_public(case: ComplaintCase | None, *, working_days: bool = False, today: date | None = None
                ) -> CasePublic | None:
    if case is None:
        return None
    today = today or datetime.now(LOCAL_TZ).date()
    return CasePublic(reference=case.reference, received_date=case.received_date,
                      received_text=danish_date(case.received_date), decision_date=case.decision_date,
                      kind=case.kind, acknowledgement_deadline=case.acknowledgement_deadline,
                      answer_deadline=case.answer_deadline, acknowledged_at=case.acknowledged_at,
                      answered_at=case.answered_at,
                      acknowledgement=deadline_public(case.acknowledgement_deadline, case.acknowledged_at, today),
                      answer=deadline_public(case.answer_deadline, case.answered_at, today), working_days=working_days)


def _note_public(session, call_id: str, *, working_days: bool = False) -> NotePublic:  # noqa: ANN001
    call = crud.get_call(session, call_id)
    note = crud.get_note(session, call_id)
    assert note is not None and note.latest is not None
    approved = note.approved
    return NotePublic(
        call_id=call.id, call_status=call.status, started_at=call.started_at, ended_at=call.ended_at,
        current=version_public(note.latest), versions=[version_public(v) for v in note.versions],
        approved_version=approved.version if approved else None,
        case=case_public(call.case, working_days=working_days),
        outcomes=[OutcomeOption(value=o, label=label) for o, label in NOTE_OUTCOMES.items()],
        current_edited=note.latest.status == "draft" and edited_by_hand(note.latest))


@api_router.get("/{call_id}", response_model=NotePublic, summary="The call's note (a first draft is made if none)")
def get_note(call_id: str, session: SessionDep, user: CurrentUser, deadlines: DeadlinesDep) -> NotePublic:
    ensure_note(session, call_id=call_id, user=user)
    crud.audit(session, user=user, action="view", object_type="note", object_id=call_id)
    return _note_public(session, call_id, working_days=deadlines.working_days)


@api_router.put("/{call_id}", response_model=NotePublic, summary="Save the edited draft",
                description="Updates the open draft; after an approval it starts a new draft version. "
                            "CPR numbers are masked before the text is stored.")
def save_note(call_id: str, body: NoteUpdate, session: SessionDep, user: CurrentUser,
              deadlines: DeadlinesDep) -> NotePublic:
    ensure_note(session, call_id=call_id, user=user)
    version = crud.save_note_draft(session, call_id=call_id, markdown=body.markdown, outcome=body.outcome,
                                   author=user)
    crud.audit(session, user=user, action="update", object_type="note", object_id=call_id,
               detail=f"version {version.version}")
    return _note_public(session, call_id, working_days=deadlines.working_days)


@api_router.post("/{call_id}/regenerate", response_model=NotePublic, summary="Redraft the note from the call")
def regenerate(call_id: str, body: RegenerateIn, session: SessionDep, user: CurrentUser,
               deadlines: DeadlinesDep) -> NotePublic:
    version = regenerate_note(session, call_id=call_id, user=user, outcome=body.outcome)
    crud.audit(session, user=user, action="regenerate", object_type="note", object_id=call_id,
               detail=f"version {version.version}")
    return _note_public(session, call_id, working_days=deadlines.working_days)


@api_router.post("/{call_id}/approve", response_model=NotePublic, summary="Approve the newest draft",
                 description="The approved version can never change again; later edits start a new version.")
def approve(call_id: str, body: ApproveIn, session: SessionDep, user: CurrentUser,
            deadlines: DeadlinesDep) -> NotePublic:
    version = crud.approve_note(session, call_id=call_id, version=body.version, user=user)
    crud.audit(session, user=user, action="approve", object_type="note", object_id=call_id,
               detail=f"version {version.version}")
    return _note_public(session, call_id, working_days=deadlines.working_days)


@api_router.get("/{call_id}/export", summary="Export the approved note (md, pdf or docx)",
                response_class=Response,
                responses={200: {"content": {"text/markdown": {}, "application/pdf": {}}},
                           409: {"description": "No approved version yet (code note-not-approved)"}})
def export(call_id: str, session: SessionDep, user: CurrentUser, request: Request,
           format: Literal["md", "pdf", "docx"] = Query("md", description="md, pdf or docx"),  # noqa: A002
           version: int | None = Query(None, ge=1, description="An approved version; the newest approved when absent")
           ) -> Response:
    note = crud.get_note(session, call_id)
    approved = [v for v in (note.versions if note else []) if v.status == "approved"]
    if version is not None:
        approved = [v for v in approved if v.version == version]
    if not approved:
        crud.get_call(session, call_id)  # an unknown call is a 404, not a 409
        raise StoreError("Notatet skal godkendes, før det kan eksporteres.", code="note-not-approved")
    chosen = approved[-1]
    info = document_info(version=chosen, settings=app_services(request.app).settings)
    content, media_type, filename = export_note(chosen.markdown, format,
                                                name=f"telefonnotat-{call_id}-v{chosen.version}", info=info)
    crud.audit(session, user=user, action="export", object_type="note", object_id=call_id,
               detail=f"version {chosen.version} som {format}")
    return Response(content=content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@api_router.put("/{call_id}/case", response_model=CasePublic, summary="Link the call to its complaint case",
                description="Creates or updates the case (deadlines: acknowledgement 2 days, answer 12 days "
                            "after receipt, in working days when ASSISTANT_DEADLINE_WORKING_DAYS is set); the "
                            "acknowledgement date is the one entered (acknowledged_date), never the call's time.")
def link_case(call_id: str, body: CaseIn, session: SessionDep, user: CurrentUser, options: DeadlinesDep
              ) -> CasePublic:
    case = crud.link_call_to_case(session, call_id=call_id, reference=body.reference,
                                  received_date=body.received_date, decision_date=body.decision_date, kind=body.kind,
                                  acknowledged_on=body.acknowledged_date, options=options)
    crud.audit(session, user=user, action="update", object_type="case", object_id=case.reference,
               detail=f"opkald {call_id}")
    return case_public(case, working_days=options.working_days)  # type: ignore[return-value]


@page_router.get("/notes/{call_id}", response_model=None)
def note_page(call_id: str, session: SessionDep, user: CurrentUser) -> FileResponse | HTMLResponse:  # noqa: ARG001
    """The note editor (static page; its script loads the note through the API). A call this user cannot
    open (unknown, or another user's) gets the plain "not found" page, never an empty editor."""

    try:
        crud.get_call(session, call_id)
    except StoreError:
        return not_found_page(call_id)
    return FileResponse(REVIEW_STATIC_DIR / "note.html", media_type="text/html")


__all__ = ["OUTCOME_TEXTS", "api_router", "page_router"]
