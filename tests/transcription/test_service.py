"""The transcription service: one engine for all calls, a bounded fair queue, utterances in call time."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time

import numpy as np
import pytest

from assistant.errors import TranscriptionError
from assistant.transcription.service import TranscriptionService, load_engine
from assistant.transcription.types import DecodeOptions, Transcript, TranscriptWord
from assistant.vad.segment import SpeechSegment


def _segment(audio: np.ndarray, *, seg_id: str, start: float = 10.0, final: bool = True,
             speaker: str = "citizen") -> SpeechSegment:
    return SpeechSegment(speaker=speaker, start=start, samples=audio, speech_end=start + len(audio) / 16_000 - 0.3,
                         final=final, segment_id=seg_id)


@pytest.mark.slow
def test_two_calls_at_once_both_get_their_utterances(whisper_engine, test_settings, danish_speech, english_speech):
    service = TranscriptionService(whisper_engine, settings=test_settings)

    async def both():
        return await asyncio.gather(
            service.transcribe(_segment(danish_speech, seg_id="a-1", start=5.0), call_id="call-a"),
            service.transcribe(_segment(english_speech, seg_id="b-1", start=7.5, speaker="caseworker"),
                               call_id="call-b"))

    try:
        da, en = asyncio.run(both())
    finally:
        service.close()
    assert da.utterance_id == "a-1" and da.speaker == "citizen" and da.text and da.language == "da"
    assert en.utterance_id == "b-1" and en.speaker == "caseworker" and en.language == "en"
    assert da.engine.startswith("faster-whisper")
    # Word times are in call time: shifted by the segment start.
    assert da.words and da.words[0].start >= 5.0 and da.words[-1].end <= da.end + 0.05
    assert da.start == 5.0 and da.speech_end == pytest.approx(5.0 + len(danish_speech) / 16_000 - 0.3)
    assert [w.start for w in en.words] == sorted(w.start for w in en.words) and en.words[0].start >= 7.5


@pytest.mark.slow
def test_full_queue_raises_overloaded(whisper_engine, test_settings, danish_speech):
    service = TranscriptionService(whisper_engine, settings=test_settings, max_pending=1)
    accepted, refused = [], []
    try:
        for i in range(4):
            try:
                accepted.append(service.submit(_segment(danish_speech, seg_id=f"s{i}"), call_id="call-a"))
            except TranscriptionError as err:
                refused.append(err)
        results = [f.result(timeout=120) for f in accepted]
    finally:
        service.close()
    assert refused and all(err.code == "stt-overloaded" for err in refused)
    assert service.stats.overloaded == len(refused) and service.stats.decodes == len(accepted)
    assert service.stats.decode_seconds > 0
    assert len(accepted) <= 2, "one decoding + one waiting"
    assert all(r.text for r in results)


@pytest.mark.slow
def test_synchronous_transcribe_segment(whisper_engine, test_settings, danish_speech):
    with TranscriptionService(whisper_engine, settings=test_settings) as service:
        utterance = service.transcribe_segment(_segment(danish_speech, seg_id="x"))
    assert utterance.text and utterance.utterance_id == "x"


@pytest.mark.slow
def test_load_engine_returns_one_cached_instance(test_settings, whisper_engine):
    assert load_engine(test_settings) is whisper_engine


class GatedEngine:
    """A stand-in engine whose decode waits for a gate and records the order of segments it saw.

    Scheduling order cannot be observed with a real model (decode times vary), so this double replaces
    the model; everything else (queue, worker thread, futures) is the real service.
    """

    name = "gated"

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.started = threading.Event()
        self.seen: list[float] = []
        self.contexts: list[str] = []

    def transcribe(self, audio, *, options, context=""):
        self.started.set()
        self.gate.wait(timeout=30)
        self.seen.append(float(audio[0]))
        self.contexts.append(context)
        return Transcript(text=f"seg {audio[0]:.0f}", words=[TranscriptWord(0.1, 0.4, "seg", 0.9)],
                          language=options.language, engine=self.name)


def _marked(mark: float, *, seg_id: str, final: bool = True, pause_hint: bool = False) -> SpeechSegment:
    segment = _segment(np.full(1600, mark, dtype=np.float32), seg_id=seg_id, final=final)
    return dataclasses.replace(segment, pause_hint=pause_hint)


def _one_worker(settings):
    """Order is only observable with a single worker (with two, two jobs run at once)."""
    return settings.model_copy(update={"decode_workers": 1})


def test_calls_are_served_round_robin(test_settings):
    engine = GatedEngine()
    service = TranscriptionService(engine, settings=_one_worker(test_settings), options=DecodeOptions())
    try:
        first = service.submit(_marked(0, seg_id="a0"), call_id="A")
        assert engine.started.wait(10)  # the worker is busy with A's first segment
        futures = [service.submit(_marked(m, seg_id=f"a{m}"), call_id="A") for m in (1, 2, 3)]
        futures.append(service.submit(_marked(9, seg_id="b9"), call_id="B"))
        engine.gate.set()
        for future in [first, *futures]:
            future.result(timeout=10)
    finally:
        service.close()
    assert engine.seen == [0, 9, 1, 2, 3], "call B goes next: call A just had its turn"


def test_two_workers_decode_two_segments_at_once(test_settings):
    engine = GatedEngine()
    service = TranscriptionService(engine, settings=test_settings.model_copy(update={"decode_workers": 2}))
    try:
        futures = [service.submit(_marked(m, seg_id=f"s{m}"), call_id=call) for m, call in ((1, "A"), (2, "B"))]
        deadline = time.monotonic() + 10
        while service.pending() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert service.pending() == 0, "both segments were taken by a worker while the first still decodes"
        engine.gate.set()
        assert sorted(f.result(timeout=10).text for f in futures) == ["seg 1", "seg 2"]
    finally:
        service.close()


def test_partials_yield_to_finals_and_are_superseded(test_settings):
    engine = GatedEngine()
    service = TranscriptionService(engine, settings=_one_worker(test_settings))
    try:
        busy = service.submit(_marked(0, seg_id="a0"), call_id="A")
        assert engine.started.wait(10)
        old_partial = service.submit(_marked(5, seg_id="b1", final=False), call_id="B")
        new_partial = service.submit(_marked(6, seg_id="b1", final=False), call_id="B")
        final_c = service.submit(_marked(7, seg_id="c1"), call_id="C")
        engine.gate.set()
        busy.result(timeout=10)
        partial = new_partial.result(timeout=10)
        final_c.result(timeout=10)
        with pytest.raises(TranscriptionError) as info:
            old_partial.result(timeout=10)
    finally:
        service.close()
    assert info.value.code == "stt-partial-dropped"
    assert engine.seen == [0, 7, 6], "the final of call C goes before B's interim text"
    assert partial.utterance_id == "b1" and partial.text == "seg 6"


def test_pause_hints_queue_with_finals_and_are_refused_when_the_queue_is_full(test_settings):
    engine = GatedEngine()
    service = TranscriptionService(engine, settings=_one_worker(test_settings), max_pending=2)
    try:
        busy = service.submit(_marked(0, seg_id="a0"), call_id="A")
        assert engine.started.wait(10)
        partial = service.submit(_marked(5, seg_id="b1", final=False), call_id="B")
        hint = service.submit(_marked(6, seg_id="b2", final=False, pause_hint=True), call_id="B",
                              context="Jeg ringede i går.")
        final = service.submit(_marked(7, seg_id="c1"), call_id="C")
        with pytest.raises(TranscriptionError) as refused:
            service.submit(_marked(8, seg_id="c2", final=False, pause_hint=True), call_id="C")
        engine.gate.set()
        for future in (busy, hint, final, partial):
            future.result(timeout=10)
    finally:
        service.close()
    assert refused.value.code == "stt-partial-dropped", "a hint is optional: refused, not counted as overload"
    assert service.stats.overloaded == 0
    assert engine.seen == [0, 6, 7, 5], "the hint waits with the finals, ahead of interim text"
    assert engine.contexts[1] == "Jeg ringede i går.", "the context reaches the engine"


def test_final_segment_drops_its_pending_partial(test_settings):
    engine = GatedEngine()
    service = TranscriptionService(engine, settings=_one_worker(test_settings))
    try:
        busy = service.submit(_marked(0, seg_id="a0"), call_id="A")
        assert engine.started.wait(10)
        partial = service.submit(_marked(1, seg_id="u1", final=False), call_id="B")
        final = service.submit(_marked(2, seg_id="u1"), call_id="B")
        engine.gate.set()
        busy.result(timeout=10)
        assert final.result(timeout=10).text == "seg 2"
        with pytest.raises(TranscriptionError):
            partial.result(timeout=10)
    finally:
        service.close()
    assert engine.seen == [0, 2]


def test_engine_failure_becomes_transcription_error(test_settings):
    class Broken:
        name = "broken"

        def transcribe(self, audio, *, options, context=""):
            raise RuntimeError("boom")

    with TranscriptionService(Broken(), settings=test_settings) as service:
        with pytest.raises(TranscriptionError) as info:
            service.transcribe_segment(_marked(1, seg_id="z"))
    assert info.value.code == "stt-failed" and "boom" in info.value.message


def test_closed_service_refuses_work(test_settings):
    service = TranscriptionService(GatedEngine(), settings=test_settings)
    service.close()
    with pytest.raises(TranscriptionError) as info:
        service.submit(_marked(1, seg_id="z"), call_id="A")
    assert info.value.code == "stt-closed"
