"""Ended calls, read from the store: the server keeps only running calls in memory (`CallManager`), so an
ended call is served from what the store keeps, and after the retention purge its transcript is gone here too.

Only the caseworker who ran the call gets it (anyone else gets `call-not-found`, as for a live call).
"""

from __future__ import annotations

from datetime import datetime

from assistant.errors import SessionError
from assistant.events import CallEnded, CallEvent, CallStarted, Utterance, UtteranceFinal
from assistant.security.services import AppServices
from assistant.session import CallSnapshot
from assistant.store.models import Call, User, UtteranceRow
from assistant.web.models import CallSummary

_REASONS = ("completed", "stopped", "failed", "interrupted")


def _not_found(call_id: str) -> SessionError:
    return SessionError(f"Opkaldet '{call_id}' findes ikke.", code="call-not-found")


def _stored_call(services: AppServices, call_id: str, username: str):  # noqa: ANN202
    """The store's row of the user's call with its transcript loaded; raises `call-not-found` otherwise."""
    from sqlalchemy.orm import selectinload

    with services.store.session() as session:
        call = session.get(Call, call_id, options=[selectinload(Call.utterances), selectinload(Call.caseworker)])
        if call is None or call.caseworker is None or call.caseworker.username != username:
            raise _not_found(call_id)
        session.expunge(call)
        return call


def ended_call_snapshot(services: AppServices, call_id: str, *, username: str) -> CallSnapshot:
    """The snapshot of the user's ended call from the store (no analysis: the panel's live view has ended).

    Raises:
        SessionError: `call-not-found` when the store has no such call of this user.
    """
    call = _stored_call(services, call_id, username)
    status = call.status if call.status in ("ended", "failed", "interrupted") else "interrupted"
    return CallSnapshot(call_id=call.id, status=status, source=call.source, started_at=call.started_at,
                        ended_at=call.ended_at, citizen_informed=call.citizen_informed, last_seq=call.last_seq,
                        utterances=[_utterance(row) for row in call.utterances], error=call.error)


def ended_call_events(services: AppServices, call_id: str, *, username: str, after: int) -> list[CallEvent]:
    """What a panel of an ended call is sent: from the start, the call's stored transcript and its end; to a
    panel that has seen part of the call (`after` > 0), the end only (the full transcript is in the
    snapshot and the note).

    Raises:
        SessionError: `call-not-found` when the store has no such call of this user.
    """
    call = _stored_call(services, call_id, username)
    last_seq = max(call.last_seq, len(call.utterances) + 2)
    reason = call.end_reason if call.end_reason in _REASONS else "interrupted"
    ended = CallEnded(call_id=call.id, seq=last_seq, reason=reason, timestamp=call.ended_at or call.updated_at)
    if after >= last_seq:
        return []
    if after > 0:
        return [ended]
    events: list[CallEvent] = [CallStarted(call_id=call.id, seq=1, source=call.source, timestamp=call.started_at,
                                           speakers=["caseworker", "citizen"], citizen_informed=call.citizen_informed,
                                           owner=username)]
    for number, row in enumerate(call.utterances):
        events.append(UtteranceFinal(call_id=call.id, seq=number + 2, utterance=_utterance(row),
                                     turn_index=row.turn_index, timestamp=row.created_at))
    return [*events, ended]


def _utterance(row) -> Utterance:  # noqa: ANN001
    return Utterance(utterance_id=row.utterance_id, speaker=row.speaker, text=row.text, start=row.start,
                     end=row.end, speech_end=row.end, language=row.language, avg_logprob=row.avg_logprob,
                     engine=row.engine)


def ended_call_summaries(services: AppServices, *, username: str, since: datetime) -> list[CallSummary]:
    """The user's ended calls that started at or after `since` (this server's start), from the store."""
    from sqlalchemy import func, select

    turns = select(func.count()).where(UtteranceRow.call_id == Call.id).correlate(Call).scalar_subquery()
    query = (select(Call, turns).join(User, Call.caseworker_id == User.id)
             .where(User.username == username, Call.status != "running", Call.started_at >= since)
             .order_by(Call.started_at.desc()).limit(100))
    with services.store.session() as session:
        return [CallSummary(call_id=call.id, status=call.status, source=call.source, started_at=call.started_at,
                            ended_at=call.ended_at, turns=count, last_seq=call.last_seq,
                            level=(call.assessment or {}).get("level"))
                for call, count in session.execute(query)]
