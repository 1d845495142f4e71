"""The store's event listener: writes a call's events to the database as they happen.

Each event is committed on its own, so a killed server loses nothing that was already final; the
next start marks calls left "running" as interrupted (`crud.mark_running_calls_interrupted`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from assistant.events import AnalysisUpdated, CallEnded, CallStarted, ErrorEvent, UtteranceFinal
from assistant.store import crud
from assistant.store.db import Store

log = logging.getLogger(__name__)

OutcomeClassifier = Callable[[list[tuple[str, str]]], tuple[str, str] | None]
"""(speaker, text) turns → (call outcome, finer note outcome), e.g. ("fastholdt", "genvurdering")."""


class CallRecorder:
    """A `CallSession` listener (`manager.add_listener(recorder)`) that writes every event to the store.

    Args:
        store: The opened store.
        caseworker_username: Who the calls belong to until logins exist (issue 6).
        outcome_classifier: Derives the outcome from the transcript when a call ends (the note's cue rules);
            None leaves the outcome unset.
        in_thread: Write in a worker thread so the event loop never waits on disk (tests may turn it off).
    """

    def __init__(self, store: Store, *, caseworker_username: str = crud.ANONYMOUS_USERNAME,
                 outcome_classifier: OutcomeClassifier | None = None, in_thread: bool = True) -> None:
        self.store = store
        self.caseworker_username = caseworker_username
        self.outcome_classifier = outcome_classifier
        self.in_thread = in_thread

    async def __call__(self, event: object) -> None:
        if self.in_thread:
            # Events of one call arrive one at a time (the session awaits each listener), so order is kept.
            await asyncio.to_thread(self.record, event)
        else:
            self.record(event)

    def record(self, event: object) -> None:
        """Write one event and commit. Unknown event types are ignored."""
        with self.store.session() as session:
            if isinstance(event, CallStarted):
                # The logged-in caseworker who started the call (access control); the default for calls without one.
                user = crud.get_or_create_user(session, username=event.owner or self.caseworker_username)
                crud.create_call(session, call_id=event.call_id, started_at=event.timestamp, source=event.source,
                                 citizen_informed=event.citizen_informed, caseworker=user)
            elif isinstance(event, UtteranceFinal):
                if not event.utterance.text.strip():
                    return
                self._ensure_call(session, event)
                crud.add_utterance(session, call_id=event.call_id, turn_index=event.turn_index,
                                   utterance=event.utterance, seq=event.seq)
            elif isinstance(event, AnalysisUpdated):
                self._ensure_call(session, event)
                crud.add_turn_signals(session, call_id=event.call_id, turn_index=event.turn_index,
                                      update=event.update, seq=event.seq)
            elif isinstance(event, ErrorEvent):
                crud.record_call_error(session, call_id=event.call_id, message=event.message)
            elif isinstance(event, CallEnded):
                self._ensure_call(session, event)
                crud.finish_call(session, call_id=event.call_id, ended_at=event.timestamp, reason=event.reason,
                                 seq=event.seq)
                self._derive_outcome(session, event.call_id)
            elif getattr(event, "type", None) == "suggestion-action":
                crud.record_suggestion_action(session, call_id=event.call_id,  # type: ignore[attr-defined]
                                              suggestion_id=str(getattr(event, "suggestion_id", "")),
                                              action=str(getattr(event, "action", "used")),
                                              kind=str(getattr(event, "kind", "") or ""))

    def _ensure_call(self, session, event) -> None:  # noqa: ANN001
        """A listener attached late (or a lost call-start) still gets a call row to write into."""
        if session.get(crud.Call, event.call_id) is None:
            user = crud.get_or_create_user(session, username=self.caseworker_username)
            crud.create_call(session, call_id=event.call_id, started_at=event.timestamp, caseworker=user)

    def _derive_outcome(self, session, call_id: str) -> None:  # noqa: ANN001
        if self.outcome_classifier is None or crud.note_is_approved(session, call_id):
            return
        turns = [(row.speaker, row.text) for row in crud.transcript(session, call_id)]
        try:
            derived = self.outcome_classifier(turns)
        except Exception:  # the outcome is a suggestion; the call record matters more
            log.exception("Deriving the outcome of call %s failed", call_id)
            return
        if derived:
            crud.set_call_outcome(session, call_id=call_id, outcome=derived[0], detail=derived[1])
