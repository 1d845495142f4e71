"""The recorder writes a call's events as they happen, each committed at once, CPR-masked, without coaching."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select, text

from assistant.store import crud
from assistant.store.db import Store
from assistant.store.models import Call, CallFlag, SuggestionRow, TurnSignal, UtteranceRow
from assistant.store.recorder import CallRecorder
from store.builders import CALM_CALL, THREAT_CALL, call_events, feed


def test_a_whole_call_is_stored(store):
    recorder = CallRecorder(store, outcome_classifier=lambda turns: ("lagt_ned", "lagt_ned"))
    feed(recorder, call_events("c1", CALM_CALL))
    with store.session() as session:
        call = session.get(Call, "c1")
        assert call.status == "ended" and call.end_reason == "completed"
        assert call.ended_at > call.started_at
        assert call.outcome == "lagt_ned"
        assert call.caseworker.username == "anonymous"
        rows = crud.transcript(session, "c1")
        assert [r.text for r in rows] == [t.text for t in CALM_CALL]
        signals = crud.turn_signals(session, "c1")
        assert [s.frustration for s in signals if s.speaker == "citizen"] == [2, 0]
        assert signals[1].evidence == ["ventet tre måneder"]
        assert {p["category"] for p in call.signals["complaint_points"]} == {"sagsbehandlingstid", "manglende_kontakt"}
        assert session.scalar(select(SuggestionRow.text).where(SuggestionRow.call_id == "c1")) == "Hvad betyder mest for dig?"
        kinds = {f.kind for f in session.scalars(select(CallFlag).where(CallFlag.call_id == "c1"))}
        assert kinds == {"high_frustration"}


def test_personal_data_is_masked_and_coaching_is_not_stored(store):
    feed(CallRecorder(store), call_events("c2", THREAT_CALL, kind="afgoerelse"))
    with store.engine.connect() as connection:
        dump = " ".join(str(row) for table in ("utterances", "turn_signals", "calls", "call_flags")
                        for row in connection.execute(text(f"SELECT * FROM {table}")))
    assert "010190-XXXX" in dump
    assert "1234" not in dump.replace("010190-XXXX", "")
    assert "COACHING-SECRET" not in dump and "open_questions" not in dump and "talk_share" not in dump


def test_each_final_utterance_is_committed_before_the_next_event(store):
    """A second connection sees an utterance as soon as its event is recorded: a kill loses nothing final."""
    recorder = CallRecorder(store)
    events = call_events("c3", CALM_CALL, end=None)
    observer = Store.open(store.options.url, migrate=False)
    try:
        seen = []
        for event in events:
            recorder.record(event)
            if event.type == "utterance-final":
                with observer.session() as session:
                    seen.append(len(crud.transcript(session, "c3")))
        assert seen == [1, 2, 3, 4, 5]
    finally:
        observer.close()


def test_running_calls_are_marked_interrupted_on_restart(store):
    feed(CallRecorder(store), call_events("c4", CALM_CALL[:3], end=None))
    feed(CallRecorder(store), call_events("c5", CALM_CALL))
    with store.session() as session:
        assert crud.mark_running_calls_interrupted(session) == ["c4"]
    with store.session() as session:
        call = session.get(Call, "c4")
        assert call.status == "interrupted" and call.ended_at is not None
        assert len(crud.transcript(session, "c4")) == 3
        assert session.get(Call, "c5").status == "ended"


def test_recorder_as_async_listener_keeps_order(store):
    recorder = CallRecorder(store)

    async def run():
        for event in call_events("c6", THREAT_CALL):
            await recorder(event)

    asyncio.run(run())
    with store.session() as session:
        assert session.get(Call, "c6").status == "ended"
        assert len(session.scalars(select(UtteranceRow).where(UtteranceRow.call_id == "c6")).all()) == 4
        assert len(session.scalars(select(TurnSignal).where(TurnSignal.call_id == "c6")).all()) == 4


def test_suggestion_actions_and_replayed_events(store):
    from assistant.events import SuggestionAction

    recorder = CallRecorder(store)
    events = call_events("c7", CALM_CALL)
    feed(recorder, events)
    recorder.record(events[2])  # a replayed analysis-update must not duplicate the turn's signals
    recorder.record(SuggestionAction(call_id="c7", suggestion_id="s1", action="dismissed"))
    with store.session() as session:
        row = session.scalar(select(SuggestionRow).where(SuggestionRow.suggestion_id == "s1"))
        assert row.status == "dismissed" and row.acted_at is not None
        assert len(crud.turn_signals(session, "c7")) == len(CALM_CALL)


def test_times_come_back_timezone_aware(store):
    events = call_events("c8", CALM_CALL)
    feed(CallRecorder(store), events)
    with store.session() as session:
        call = session.get(Call, "c8")
        assert call.started_at.tzinfo is not None
        assert call.started_at == events[0].timestamp
