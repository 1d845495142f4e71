"""Retention: what is older than `settings.retention_days` is deleted; approved notes are kept.

For each call that started before the cut-off, the purge deletes its transcript (utterances), its
per-turn signals, its suggestions and every draft note version (a note without an approved version
goes entirely), blanks reviewers' free-text comments and the evidence words on its flags, and reduces the
call's stored signals to the complaint categories and its assessment to the traffic-light level (what the
statistics count). The call's dates, outcome, case link, flag kinds and verdicts remain, as do approved
notes (the record the municipality must keep) and the audit log (append-only).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from assistant.store.models import (
    AuditEntry,
    Call,
    CallFlag,
    Note,
    NoteVersion,
    SuggestionRow,
    TurnSignal,
    UtteranceRow,
)

log = logging.getLogger(__name__)


@dataclass
class PurgeReport:
    """What one purge deleted.

    Attributes:
        cutoff: Calls that started before this (UTC) were purged.
        calls: Calls whose content was purged.
        utterances: Transcript rows deleted.
        turn_signals: Per-turn signal rows deleted.
        suggestions: Suggestion rows deleted.
        draft_versions: Draft note versions deleted.
        notes: Notes deleted entirely (they had no approved version).
        review_comments: Reviewers' comments blanked.
    """

    cutoff: datetime
    calls: int = 0
    utterances: int = 0
    turn_signals: int = 0
    suggestions: int = 0
    draft_versions: int = 0
    notes: int = 0
    review_comments: int = 0

    def summary(self) -> str:
        data = asdict(self)
        data["cutoff"] = self.cutoff.isoformat(timespec="seconds")
        return ", ".join(f"{key}={value}" for key, value in data.items())


def retention_cutoff(retention_days: int, *, now: datetime | None = None) -> datetime:
    return (now or datetime.now(timezone.utc)) - timedelta(days=retention_days)


def purge_expired(session: Session, *, retention_days: int, now: datetime | None = None) -> PurgeReport:
    """Delete the content of every call older than `retention_days` (see the module docstring).

    Args:
        session: An unscoped store session (the caller commits).
        retention_days: The retention period; 0 purges every call that has ended.
        now: The current time (tests pass one instead of waiting).

    Returns:
        What was deleted.
    """

    cutoff = retention_cutoff(retention_days, now=now)
    report = PurgeReport(cutoff=cutoff)
    calls = list(session.scalars(select(Call).where(Call.started_at < cutoff, Call.status != "running")
                                 .options(selectinload(Call.flags).selectinload(CallFlag.reviews))))
    ids = [call.id for call in calls]
    if not ids:
        return report
    for model, counter in ((UtteranceRow, "utterances"), (TurnSignal, "turn_signals"), (SuggestionRow, "suggestions")):
        result = session.execute(delete(model).where(model.call_id.in_(ids)).execution_options(synchronize_session=False))
        setattr(report, counter, result.rowcount or 0)
    for call in calls:
        changed = _reduce_call(call)
        for flag in call.flags:
            if flag.evidence or flag.turns:
                flag.evidence, flag.turns = [], []
                changed = True
            for review in flag.reviews:
                if review.comment:
                    review.comment = ""
                    report.review_comments += 1
                    changed = True
        if changed or report.utterances or report.turn_signals:
            report.calls += 1
    for note in session.scalars(select(Note).where(Note.call_id.in_(ids)).options(selectinload(Note.versions))):
        drafts = [v for v in note.versions if v.status != "approved"]
        report.draft_versions += len(drafts)
        if len(drafts) == len(note.versions):
            session.delete(note)  # cascades to its (draft) versions
            report.notes += 1
        else:
            for version in drafts:
                session.execute(delete(NoteVersion).where(NoteVersion.id == version.id)
                                .execution_options(synchronize_session=False))
    session.flush()
    session.expire_all()
    session.add(AuditEntry(username="system", action="purge", object_type="retention",
                           object_id=cutoff.date().isoformat(), detail=report.summary()))
    session.flush()
    log.info("Retention purge: %s", report.summary())
    return report


def _reduce_call(call) -> bool:  # noqa: ANN001
    """Keep only what the statistics count: complaint categories and the traffic-light level."""
    changed = False
    signals = call.signals or {}
    if signals and set(signals) != {"complaint_points", "purged"}:
        points = [{"category": p.get("category", "andet")} for p in signals.get("complaint_points", [])]
        call.signals = {"complaint_points": points, "purged": True}
        changed = True
    assessment = call.assessment or {}
    if assessment and set(assessment) != {"level"}:
        call.assessment = {"level": assessment.get("level")}
        changed = True
    if call.error:
        call.error = None
        changed = True
    return changed
