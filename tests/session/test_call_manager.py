"""`CallManager` with a fake model: starting, finding, refusing, forgetting and shutting down calls."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from assistant.config import Settings
from assistant.errors import SessionError
from assistant.paths import SAMPLES_DIR
from assistant.session import CallManager, CallRequest
from assistant.session.manager import resolve_sample_path
from assistant.transcription.service import TranscriptionService
from session.fakes import NO_GUARD, FakeEngine


def run(coro):  # noqa: ANN001, ANN201
    return asyncio.run(coro)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path)


@pytest.fixture
def manager(settings):
    with TranscriptionService(FakeEngine(), settings=settings, options=NO_GUARD) as service:
        yield CallManager(settings, transcriber=service)


def test_a_text_call_is_started_found_by_id_and_sends_events_to_the_listeners(manager):
    seen: list[tuple[str, str]] = []
    manager.add_listener(lambda event: seen.append((event.call_id, event.type)))

    async def call() -> None:
        session = await manager.start_call(CallRequest(source="text", analysis=False), call_id="tekst-1",
                                           owner="sb1")
        assert manager.get("tekst-1") is session and session.owner == "sb1"
        await session.add_text("citizen", "Hej.")
        await session.end()

    run(call())

    assert seen == [("tekst-1", "call-start"), ("tekst-1", "utterance-final"), ("tekst-1", "call-end")]
    assert manager.calls() == []  # an ended call leaves memory at once; it is read from the store


def test_unknown_and_duplicate_call_ids_are_clear_errors(manager):
    async def call() -> str:
        await manager.start_call(CallRequest(source="text", analysis=False), call_id="dobbelt")
        with pytest.raises(SessionError) as duplicate:
            await manager.start_call(CallRequest(source="text", analysis=False), call_id="dobbelt")
        return duplicate.value.code

    assert run(call()) == "call-exists"
    with pytest.raises(SessionError) as unknown:
        manager.get("findes-ikke")
    assert unknown.value.code == "call-not-found"


def test_a_file_call_replays_a_sample_through_the_shared_transcriber(manager):
    request = CallRequest(source="file", path="01_ventetid_rolig", realtime=False, max_seconds=12, analysis=False)

    async def call():  # noqa: ANN202
        session = await manager.start_call(request)
        await session.wait()
        return session, await manager.transcriber()

    session, shared = run(call())

    assert session.status == "ended" and session.history[-1].reason == "completed"
    assert session.utterances and all(u.engine.startswith("fake") for u in session.utterances)
    assert shared.engine.calls >= len(session.utterances)


@pytest.mark.parametrize(("path", "code"), [(None, "file-missing"), ("findes_ikke", "file-not-found")])
def test_a_file_call_without_a_usable_file_starts_nothing(manager, path, code):
    async def call() -> str:
        with pytest.raises(SessionError) as err:
            await manager.start_call(CallRequest(source="file", path=path))
        return err.value.code

    assert run(call()) == code
    assert manager.calls() == []


def test_samples_resolve_by_name_and_paths_outside_the_allowed_folders_are_refused(tmp_path):
    assert resolve_sample_path("01_ventetid_rolig") == (SAMPLES_DIR / "01_ventetid_rolig.wav").resolve()
    outside = tmp_path / "andet.wav"
    outside.write_bytes(b"RIFF")
    assert resolve_sample_path(str(outside)) == outside.resolve()  # the command line may open any file
    with pytest.raises(SessionError):  # an API caller may only name files in the allowed folders
        resolve_sample_path(str(outside), allowed_dirs=[])
    assert resolve_sample_path(str(outside), allowed_dirs=[tmp_path]) == outside.resolve()


def test_an_ended_call_leaves_the_manager_at_once_and_a_running_one_stays(manager):
    async def call() -> list[str]:
        ended = await manager.start_call(CallRequest(source="text", analysis=False), call_id="slut")
        await manager.start_call(CallRequest(source="text", analysis=False), call_id="kører")
        await ended.end()
        return manager.forget_ended(before=datetime.now(timezone.utc) + timedelta(seconds=1))

    assert run(call()) == []  # nothing left to forget: the ended call was dropped when it ended
    assert [c.call_id for c in manager.calls()] == ["kører"]
    assert manager.forget_ended(before=datetime.now(timezone.utc) - timedelta(days=1)) == []


def test_shutdown_stops_every_running_call(manager):
    async def call() -> list:
        a = await manager.start_call(CallRequest(source="text", analysis=False), call_id="a")
        b = await manager.start_call(CallRequest(source="file", path="01_ventetid_rolig", realtime=True,
                                                 analysis=False), call_id="b")
        await manager.shutdown()
        return [a, b]

    calls = run(call())

    assert manager.calls() == []
    assert {c.call_id: (c.status, c.history[-1].reason) for c in calls} == {
        "a": ("ended", "stopped"), "b": ("ended", "stopped")}
