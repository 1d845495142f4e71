"""Piecewise decoding: a long utterance with a pause is decoded in pieces and joined into one final.

The model, the segmenter, the service and the session are real; `RecordingService` only passes each
request on to the real service and notes what was asked (the pieces are not visible otherwise).
"""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
import soundfile as sf

from assistant.audio import FileSource
from assistant.errors import TranscriptionError
from assistant.events import Utterance, Word
from assistant.session import CallSession
from assistant.session.pieces import PieceOptions, join_utterances
from assistant.transcription.service import PARTIAL_DROPPED, TranscriptionService
from assistant.vad.segment import SpeechSegment
from speech import synthesize

RATE = 16_000
PAUSE_S = 0.35  # longer than the pause hint (192 ms), shorter than the end of an utterance (600 ms)


def _trimmed(audio: np.ndarray) -> np.ndarray:
    loud = np.flatnonzero(np.abs(audio) > 0.01)
    return audio[loud[0]:loud[-1] + 1]


@pytest.fixture(scope="module")
def paused_utterance(speech_dir, tmp_path_factory):
    """Two Danish sentences with one 0.35 s pause between them, as a mono WAV file."""
    first = _trimmed(synthesize("Jeg har ringet til kommunen mange gange om min sag.", voice="da",
                                workdir=speech_dir, name="piece-1"))
    second = _trimmed(synthesize("Men ingen har nogensinde ringet tilbage til mig.", voice="da",
                                 workdir=speech_dir, name="piece-2"))
    silence = lambda seconds: np.zeros(int(seconds * RATE), dtype=np.float32)  # noqa: E731
    audio = np.concatenate([silence(0.5), first, silence(PAUSE_S), second, silence(1.0)])
    path = tmp_path_factory.mktemp("pieces") / "paused.wav"
    sf.write(path, audio, RATE)
    return path, 0.5 + len(first) / RATE  # the file, and the call time where the pause begins


class RecordingService:
    """Passes every request to the real service and records the segment and context asked for."""

    def __init__(self, service: TranscriptionService, *, drop_pause_hints: bool = False) -> None:
        self.service = service
        self.drop_pause_hints = drop_pause_hints
        self.requests: list[tuple[SpeechSegment, str]] = []

    async def transcribe(self, segment: SpeechSegment, *, call_id: str, context: str = "") -> Utterance:
        self.requests.append((segment, context))
        if self.drop_pause_hints and segment.pause_hint:
            # What the real service does when its queue is full (not reproducible on demand).
            raise TranscriptionError("Køen er fuld.", code=PARTIAL_DROPPED)
        return await self.service.transcribe(segment, call_id=call_id, context=context)


def _run_call(path, transcriber, *, piece_options: PieceOptions | None = None, partials: bool = False,
              realtime: bool = False) -> CallSession:
    async def run() -> CallSession:
        session = CallSession(source=FileSource(path, realtime=realtime), transcriber=transcriber, partials=partials,
                              piece_options=piece_options)
        await session.start()
        await session.wait()
        return session

    return asyncio.run(run())


@pytest.fixture(scope="module")
def service(whisper_engine, test_settings):
    service = TranscriptionService(whisper_engine, settings=test_settings)
    yield service
    service.close()


@pytest.mark.slow
def test_the_last_piece_alone_is_decoded_after_the_utterance_ends(paused_utterance, service):
    path, pause_at = paused_utterance
    recorder = RecordingService(service)
    session = _run_call(path, recorder)

    assert len(session.utterances) == 1, "the short pause does not split the utterance"
    utterance = session.utterances[0]
    first_piece = [(seg, ctx) for seg, ctx in recorder.requests if seg.pause_hint and seg.start < pause_at]
    last_piece = [(seg, ctx) for seg, ctx in recorder.requests if seg.start > pause_at - 0.2]
    assert first_piece and last_piece, "one decode started at the pause, one after it"
    segment, context = last_piece[-1]
    assert segment.end - segment.start < utterance.end - utterance.start - 2.0, "only the audio after the pause"
    assert context and utterance.text.startswith(context), "prompted with the first piece's text, which leads"
    starts = [w.start for w in utterance.words]
    assert starts == sorted(starts) and starts[0] < pause_at < starts[-1], "word times run across the cut"
    assert utterance.start < utterance.speech_end <= utterance.end


@pytest.mark.slow
def test_partial_text_at_the_pause_leads_the_final_text(paused_utterance, service):
    path, _ = paused_utterance
    session = _run_call(path, RecordingService(service), partials=True, realtime=True)  # as live

    partials = [e for e in session.history if e.type == "utterance-partial"]
    final = next(e for e in session.history if e.type == "utterance-final")
    assert partials, "the decode at the pause is shown while the speaker goes on"
    assert all(p.utterance_id == final.utterance.utterance_id for p in partials)
    assert all(p.seq < final.seq for p in partials), "no partial text after the final"
    assert final.utterance.text.startswith(partials[0].text)


@pytest.mark.slow
def test_disabled_pieces_decode_the_whole_utterance(paused_utterance, service):
    path, _ = paused_utterance
    recorder = RecordingService(service)
    session = _run_call(path, recorder, piece_options=PieceOptions(enabled=False))

    assert len(session.utterances) == 1 and session.utterances[0].text
    assert all(ctx == "" and seg.start < 0.5 for seg, ctx in recorder.requests), "every decode from the start"


@pytest.mark.slow
def test_a_dropped_piece_falls_back_to_decoding_the_whole_utterance(paused_utterance, service):
    path, pause_at = paused_utterance
    recorder = RecordingService(service, drop_pause_hints=True)
    session = _run_call(path, recorder)

    assert len(session.utterances) == 1
    utterance = session.utterances[0]
    assert utterance.text and utterance.words[0].start < pause_at < utterance.words[-1].start
    whole = [seg for seg, _ in recorder.requests if seg.final and seg.start < 0.5]
    assert whole, "the final decode covered the utterance from its start"


def _piece(text: str, *, start: float, language: str, logprob: float) -> Utterance:
    words = [Word(start=start + i * 0.3, end=start + i * 0.3 + 0.25, word=w, probability=0.9)
             for i, w in enumerate(text.split())]
    return Utterance(utterance_id="ci-3", speaker="citizen", text=text, start=start, end=start + 2,
                     speech_end=start + 1.8, words=words, language=language, language_probs={language: 0.9},
                     avg_logprob=logprob, no_speech_prob=0.1, engine="faster-whisper:test")


def test_join_keeps_order_and_takes_the_language_most_of_the_text_is_in():
    segment = SpeechSegment(speaker="citizen", start=10.0, samples=np.zeros(5 * RATE, dtype=np.float32),
                            speech_end=14.6, segment_id="ci-3")
    parts = [_piece("Jeg forstår ikke brevet", start=10.0, language="da", logprob=-0.5),
             _piece("I do not understand what the letter says at all", start=12.4, language="en", logprob=-1.0)]
    joined = join_utterances(parts, segment)

    assert joined.text == "Jeg forstår ikke brevet I do not understand what the letter says at all"
    assert [w.word for w in joined.words][:2] == ["Jeg", "forstår"] and joined.words[-1].word == "all"
    assert joined.language == "en" and joined.language_probs == {"en": 0.9}
    assert (joined.start, joined.end, joined.speech_end) == (10.0, 15.0, 14.6)
    assert -1.0 < joined.avg_logprob < -0.5 and joined.utterance_id == "ci-3"
