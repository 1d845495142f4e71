"""`CallSession` with a fake model and analysis: event order and numbering, replay, turns, errors, ending."""

from __future__ import annotations

import asyncio

import pytest

from assistant.audio import FileSource
from assistant.config import Settings
from assistant.errors import SessionError
from assistant.events import AnalysisUpdated, CallEnded, CallStarted, ErrorEvent, UtteranceFinal
from assistant.paths import SAMPLES_DIR
from assistant.session import CallSession
from assistant.transcription.service import TranscriptionService
from session.fakes import NO_GUARD, FakeAnalyzer, FakeEngine


def run(coro):  # noqa: ANN001, ANN201
    return asyncio.run(coro)


def _types(session: CallSession) -> list[str]:
    return [event.type for event in session.history]


@pytest.fixture
def service(tmp_path):
    with TranscriptionService(FakeEngine(), settings=Settings(data_dir=tmp_path), options=NO_GUARD) as service:
        yield service


def test_a_text_call_publishes_numbered_events_in_order():
    async def call() -> CallSession:
        session = CallSession(source=None, analyzer=FakeAnalyzer(), call_id="c1", citizen_informed=True)
        await session.start()
        await session.add_text("caseworker", "Goddag, hvad drejer det sig om?")
        await session.add_text("citizen", "Mit brev er ikke kommet.")
        await session.end("completed")
        return session

    session = run(call())

    assert _types(session) == ["call-start", "utterance-final", "analysis-update", "utterance-final",
                               "analysis-update", "call-end"]
    assert [event.seq for event in session.history] == [1, 2, 3, 4, 5, 6]
    assert all(event.call_id == "c1" for event in session.history)
    started, ended = session.history[0], session.history[-1]
    assert isinstance(started, CallStarted) and started.citizen_informed and started.source == "tekst"
    assert isinstance(ended, CallEnded) and ended.reason == "completed"
    finals = [e for e in session.history if isinstance(e, UtteranceFinal)]
    assert [(f.turn_index, f.utterance.speaker) for f in finals] == [(0, "caseworker"), (1, "citizen")]
    analyses = [e for e in session.history if isinstance(e, AnalysisUpdated)]
    assert [a.turn_index for a in analyses] == [0, 1]
    snapshot = session.snapshot()
    assert snapshot.status == "ended" and snapshot.last_seq == 6 and len(snapshot.utterances) == 2
    assert snapshot.analysis == analyses[-1].update


def test_a_late_subscriber_replays_from_its_sequence_number_then_gets_new_events():
    async def call() -> tuple[list[int], list[int]]:
        session = CallSession(source=None, call_id="c2")
        await session.start()
        await session.add_text("citizen", "Første replik.")
        await session.add_text("citizen", "Anden replik.")
        queue = session.subscribe(after_seq=2)
        await session.add_text("caseworker", "Tredje replik.")
        await session.end()
        seen = []
        while not queue.empty():
            seen.append(queue.get_nowait().seq)
        return seen, [e.seq for e in session.events_after(0)]

    replayed, everything = run(call())

    assert replayed == [3, 4, 5]
    assert everything == [1, 2, 3, 4, 5]


def test_cpr_numbers_are_masked_before_the_panel_and_the_analysis_see_them():
    analyzer = FakeAnalyzer()

    async def call() -> CallSession:
        session = CallSession(source=None, analyzer=analyzer)
        await session.start()
        await session.add_text("citizen", "Mit cpr-nummer er 010190-1234.")
        return session

    session = run(call())

    assert session.utterances[0].text == "Mit cpr-nummer er 010190-XXXX."
    assert analyzer.turns == [("citizen", "Mit cpr-nummer er 010190-XXXX.")]


def test_bad_turns_and_turns_after_the_end_are_refused_clearly():
    async def call() -> tuple[str, str]:
        session = CallSession(source=None)
        await session.start()
        with pytest.raises(SessionError) as empty:
            await session.add_text("citizen", "   ")
        await session.end()
        with pytest.raises(SessionError) as ended:
            await session.add_text("citizen", "Hej")
        return empty.value.code, ended.value.code

    assert run(call()) == ("empty-turn", "call-ended")


def test_an_audio_call_needs_a_transcriber():
    with pytest.raises(SessionError) as err:
        CallSession(source=FileSource(SAMPLES_DIR / "01_ventetid_rolig.wav"))
    assert err.value.code == "session-no-transcriber"


def test_a_failing_analysis_is_an_error_event_and_the_transcript_goes_on():
    async def call() -> CallSession:
        session = CallSession(source=None, analyzer=FakeAnalyzer(fail_on="uforståeligt"))
        await session.start()
        await session.add_text("citizen", "Noget uforståeligt.")
        await session.add_text("citizen", "Noget klart.")
        return session

    session = run(call())

    assert _types(session) == ["call-start", "utterance-final", "error", "utterance-final", "analysis-update"]
    error = session.history[2]
    assert isinstance(error, ErrorEvent) and error.code == "analysis-failed" and error.stage == "analysis"
    assert [u.text for u in session.utterances] == ["Noget uforståeligt.", "Noget klart."]


def test_a_failing_listener_does_not_stop_the_call_or_the_other_listeners():
    received: list[str] = []

    def broken(event) -> None:  # noqa: ANN001
        raise RuntimeError("listener fejl")

    async def collecting(event) -> None:  # noqa: ANN001
        received.append(event.type)

    async def call() -> None:
        session = CallSession(source=None)
        session.add_listener(broken)
        session.add_listener(collecting)
        await session.start()
        await session.add_text("citizen", "Hej.")
        await session.end()

    run(call())

    assert received == ["call-start", "utterance-final", "call-end"]


def test_suggestion_actions_are_kept_and_unknown_suggestions_refused():
    analyzer = FakeAnalyzer()

    async def call() -> tuple[CallSession, str]:
        session = CallSession(source=None, analyzer=analyzer)
        await session.start()
        await session.add_text("citizen", "Jeg har ventet længe.")
        await session.record_suggestion_action("s0", "used")
        with pytest.raises(SessionError) as err:
            await session.record_suggestion_action("findes-ikke", "used")
        return session, err.value.code

    session, code = run(call())

    assert code == "suggestion-not-found"
    assert [(a.suggestion_id, a.action, a.kind) for a in session.suggestion_actions] == [("s0", "used", "question")]
    assert analyzer.marked == [("s0", "used")]
    assert session.history[-1].type == "suggestion-action"


def test_an_audio_call_transcribes_each_speakers_turns_and_completes(service):
    source = FileSource(SAMPLES_DIR / "01_ventetid_rolig.wav", realtime=False, max_seconds=20)
    analyzer = FakeAnalyzer()

    async def call() -> CallSession:
        session = CallSession(source=source, transcriber=service, analyzer=analyzer, partials=False)
        await session.start()
        await session.wait()
        return session

    session = run(call())

    finals = [e for e in session.history if isinstance(e, UtteranceFinal)]
    assert len(finals) >= 2, "the first 20 s of the sample hold several turns"
    assert {f.utterance.speaker for f in finals} == {"caseworker", "citizen"}
    assert [f.turn_index for f in finals] == list(range(len(finals)))
    assert all(f.utterance.text.startswith("lyd på ") and f.utterance.engine.startswith("fake") for f in finals)
    assert [e.seq for e in session.history] == list(range(1, len(session.history) + 1))
    assert len(analyzer.turns) == len(finals)
    assert session.history[-1].type == "call-end" and session.history[-1].reason == "completed"
    assert session.status == "ended"


def test_an_audio_source_that_breaks_fails_the_call_with_an_error_event(service):
    class BrokenSource:
        speakers = ("caseworker", "citizen")
        description = "ødelagt kilde"

        def frames(self):  # noqa: ANN202
            raise OSError("enheden forsvandt")
            yield  # a generator, like the real sources

        def close(self) -> None:
            pass

    async def call() -> CallSession:
        session = CallSession(source=BrokenSource(), transcriber=service)
        await session.start()
        await session.wait()
        return session

    session = run(call())

    assert _types(session) == ["call-start", "error", "call-end"]
    error = session.history[1]
    assert error.code == "audio-source-failed" and error.stage == "audio" and "enheden forsvandt" in error.message
    assert session.history[-1].reason == "failed" and session.status == "failed"


def test_end_stops_a_running_audio_call_once(service):
    source = FileSource(SAMPLES_DIR / "01_ventetid_rolig.wav", realtime=True)

    async def call() -> CallSession:
        session = CallSession(source=source, transcriber=service)
        await session.start()
        await session.end()
        await session.end()  # a second end changes nothing
        return session

    session = run(call())

    assert [e.type for e in session.history].count("call-end") == 1
    assert session.history[-1].reason == "stopped" and session.status == "ended"
