"""The database schema: SQLAlchemy 2 typed models for cases, calls, transcripts, signals, notes, reviews, users, audit.

Times are stored in UTC (`UtcDateTime` attaches the zone again on SQLite, which keeps none). Coaching
data (the caseworker's questions, summaries, talk share) is deliberately *not* stored: it is for the
caseworker during the call only and must never be shown per caseworker to supervisors.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

UserRole = Literal["caseworker", "supervisor", "admin"]
CallStatus = Literal["running", "ended", "interrupted", "failed"]
CallOutcome = Literal["lagt_ned", "fastholdt", "uafklaret"]
NoteStatus = Literal["draft", "approved"]
SuggestionStatus = Literal["shown", "used", "dismissed"]
Verdict = Literal["right", "wrong"]

USER_ROLES: tuple[str, ...] = ("caseworker", "supervisor", "admin")
CALL_STATUSES: tuple[str, ...] = ("running", "ended", "interrupted", "failed")
CALL_OUTCOMES: tuple[str, ...] = ("lagt_ned", "fastholdt", "uafklaret")

# Stable constraint names, so Alembic migrations (SQLite batch mode included) can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored as UTC on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UtcDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class User(Base):
    """A person who uses the assistant. Passwords and login arrive with access control (issue 6)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20), default="caseworker")
    unit: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ComplaintCase(Base):
    """A written complaint the call is about, with its acknowledgement and answer deadlines."""

    __tablename__ = "complaint_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(100), unique=True)
    received_date: Mapped[date] = mapped_column(Date)
    decision_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    kind: Mapped[str | None] = mapped_column(String(20), nullable=True)
    unit: Mapped[str] = mapped_column(String(200), default="")
    acknowledgement_deadline: Mapped[date] = mapped_column(Date)
    answer_deadline: Mapped[date] = mapped_column(Date)
    acknowledged_at: Mapped[datetime | None] = mapped_column(nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    calls: Mapped[list[Call]] = relationship(back_populates="case")


class Call(Base):
    """One phone call; `id` is the session's call id."""

    __tablename__ = "calls"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_cases.id"), nullable=True, index=True)
    caseworker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    source: Mapped[str] = mapped_column(String(200), default="")
    direction: Mapped[str] = mapped_column(String(20), default="outgoing")
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(nullable=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    citizen_informed: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="running", index=True)
    end_reason: Mapped[str | None] = mapped_column(String(20), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)
    outcome_detail: Mapped[str | None] = mapped_column(String(30), nullable=True)
    complaint_kind: Mapped[str | None] = mapped_column(String(20), nullable=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The latest call-level signals (CallSignals JSON without coaching) and assessment, for quick reads.
    signals: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    assessment: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    case: Mapped[ComplaintCase | None] = relationship(back_populates="calls")
    caseworker: Mapped[User | None] = relationship()
    utterances: Mapped[list[UtteranceRow]] = relationship(
        back_populates="call", order_by="UtteranceRow.turn_index", cascade="all, delete-orphan")
    turn_signals: Mapped[list[TurnSignal]] = relationship(
        back_populates="call", order_by="TurnSignal.turn_index", cascade="all, delete-orphan")
    flags: Mapped[list[CallFlag]] = relationship(back_populates="call", cascade="all, delete-orphan")
    suggestions: Mapped[list[SuggestionRow]] = relationship(back_populates="call", cascade="all, delete-orphan")
    note: Mapped[Note | None] = relationship(back_populates="call")


class UtteranceRow(Base):
    """A final utterance, CPR-masked, written (and committed) as soon as it is final."""

    __tablename__ = "utterances"
    __table_args__ = (UniqueConstraint("call_id", "turn_index", name="uq_utterances_call_turn"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    turn_index: Mapped[int] = mapped_column(Integer)
    utterance_id: Mapped[str] = mapped_column(String(64), default="")
    speaker: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[float] = mapped_column(Float, default=0.0)
    end: Mapped[float] = mapped_column(Float, default=0.0)
    language: Mapped[str] = mapped_column(String(8), default="da")
    avg_logprob: Mapped[float | None] = mapped_column(Float, nullable=True)
    engine: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    call: Mapped[Call] = relationship(back_populates="utterances")


class TurnSignal(Base):
    """What the analysis made of one turn: frustration with its evidence, and the call state after it."""

    __tablename__ = "turn_signals"
    __table_args__ = (UniqueConstraint("call_id", "turn_index", name="uq_turn_signals_call_turn"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    turn_index: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(20))
    frustration: Mapped[int | None] = mapped_column(Integer, nullable=True)
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)
    lang: Mapped[str | None] = mapped_column(String(8), nullable=True)
    complaint_points: Mapped[list[Any]] = mapped_column(JSON, default=list)
    complaint_kind: Mapped[str | None] = mapped_column(String(20), nullable=True)
    flags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    assessment_level: Mapped[str | None] = mapped_column(String(10), nullable=True)
    assessment_reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    call: Mapped[Call] = relationship(back_populates="turn_signals")


class CallFlag(Base):
    """A reason to review a call (an analysis flag or a derived one), with the evidence that raised it."""

    __tablename__ = "call_flags"
    __table_args__ = (UniqueConstraint("call_id", "kind", name="uq_call_flags_call_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)
    turns: Mapped[list[Any]] = mapped_column(JSON, default=list)
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)

    call: Mapped[Call] = relationship(back_populates="flags")
    reviews: Mapped[list[FlagReview]] = relationship(
        back_populates="flag", order_by="FlagReview.id", cascade="all, delete-orphan")


class FlagReview(Base):
    """A supervisor's verdict on one flag: was it right to raise it?"""

    __tablename__ = "flag_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    flag_id: Mapped[int] = mapped_column(ForeignKey("call_flags.id", ondelete="CASCADE"), index=True)
    verdict: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    flag: Mapped[CallFlag] = relationship(back_populates="reviews")
    reviewer: Mapped[User | None] = relationship()


class SuggestionRow(Base):
    """A suggestion shown on the panel and what the caseworker did with it."""

    __tablename__ = "suggestions"
    __table_args__ = (UniqueConstraint("call_id", "suggestion_id", name="uq_suggestions_call_suggestion"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    suggestion_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    turn_index: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(10), default="shown")
    shown_at: Mapped[datetime] = mapped_column(default=utcnow)
    acted_at: Mapped[datetime | None] = mapped_column(nullable=True)

    call: Mapped[Call] = relationship(back_populates="suggestions")


class Note(Base):
    """The telephone note of one call; its text lives in versions."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    call: Mapped[Call] = relationship(back_populates="note")
    versions: Mapped[list[NoteVersion]] = relationship(
        back_populates="note", order_by="NoteVersion.version", cascade="all, delete-orphan")

    @property
    def latest(self) -> NoteVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def approved(self) -> NoteVersion | None:
        approved = [v for v in self.versions if v.status == "approved"]
        return approved[-1] if approved else None


class NoteVersion(Base):
    """One version of a note: a draft is edited in place; an approved version never changes again."""

    __tablename__ = "note_versions"
    __table_args__ = (UniqueConstraint("note_id", "version", name="uq_note_versions_note_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    markdown: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(30), nullable=True)
    fields: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    note: Mapped[Note] = relationship(back_populates="versions")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])


class AuditEntry(Base):
    """Append-only: who did what to which object, when. Rows are never updated or deleted."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    username: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(100), default="")
    detail: Mapped[str] = mapped_column(Text, default="")


class AccessRequest(Base):
    """A change an admin asked for that gives an account access to call content or to user administration
    (a supervisor or admin role, a supervisor's unit, such an account's password). A second admin approves or
    rejects it; only an approval applies it (see `assistant.security.users`)."""

    __tablename__ = "access_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # create | role | password
    username: Mapped[str] = mapped_column(String(80), index=True)
    role: Mapped[str | None] = mapped_column(String(20), nullable=True)
    unit: Mapped[str | None] = mapped_column(String(200), nullable=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    oidc_only: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | approved | rejected
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(nullable=True)

    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
class LoginSession(Base):
    """One login; the signed cookie names its id. Ended for good by a logout or by a change to the user's
    password, role, unit or active flag (`_end_logins_of_changed_users`), also across restarts."""

    __tablename__ = "login_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime | None] = mapped_column(nullable=True)
    end_reason: Mapped[str | None] = mapped_column(String(20), nullable=True)


class LoginFailure(Base):
    """A failed login attempt counted by the login throttle (per user name and per client address), kept
    in the store so a restart does not reset a lockout. Rows older than the throttle window are deleted."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    failed_at: Mapped[float] = mapped_column(Float, index=True)


class ImmutableRecordError(Exception):
    """Raised when code tries to change an approved note version or an audit entry."""


def _is_approved_in_db(session: Session, version: NoteVersion) -> bool:
    """The status as committed, so approving a draft (draft → approved) is still allowed."""
    from sqlalchemy import inspect

    history = inspect(version).attrs.status.history
    before = history.deleted[0] if history.deleted else version.status
    return before == "approved"


@event.listens_for(Session, "before_flush")
def _guard_immutable_rows(session: Session, flush_context: Any, instances: Any) -> None:
    """Refuse, in code, any change to an approved note version and any change or deletion of audit entries.

    The database enforces the same with triggers (see the initial migration), so raw SQL is refused too.
    """
    for obj in session.dirty:
        if isinstance(obj, NoteVersion) and session.is_modified(obj) and _is_approved_in_db(session, obj):
            raise ImmutableRecordError(f"Godkendt notatversion {obj.version} kan ikke ændres.")
        if isinstance(obj, AuditEntry) and session.is_modified(obj):
            raise ImmutableRecordError("Auditloggen kan ikke ændres.")
    for obj in session.deleted:
        if isinstance(obj, NoteVersion) and _is_approved_in_db(session, obj):
            raise ImmutableRecordError(f"Godkendt notatversion {obj.version} kan ikke slettes.")
        if isinstance(obj, AuditEntry):
            raise ImmutableRecordError("Auditloggen kan ikke ændres.")


_CREDENTIAL_FIELDS = ("password_hash", "role", "unit", "active")


def _credentials_changed(user: User) -> bool:
    from sqlalchemy import inspect

    state = inspect(user)
    for name in _CREDENTIAL_FIELDS:
        history = state.attrs[name].history
        if history.deleted and history.added and history.deleted[0] != history.added[0]:
            return True
    return False


@event.listens_for(Session, "before_flush")
def _end_logins_of_changed_users(session: Session, flush_context: Any, instances: Any) -> None:
    """A changed password, role, unit or active flag ends every login of the user, in the same transaction,
    so a later re-enable or change back does not bring an old cookie back to life."""
    from sqlalchemy import update

    changed = [obj.id for obj in session.dirty if isinstance(obj, User) and obj.id is not None
               and _credentials_changed(obj)]
    if changed:
        session.execute(update(LoginSession).where(LoginSession.user_id.in_(changed), LoginSession.ended_at.is_(None))
                        .values(ended_at=utcnow(), end_reason="user-changed")
                        .execution_options(synchronize_session=False))
