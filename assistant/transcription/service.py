"""The transcription service: one engine, one decode at a time, a bounded queue that is fair across calls."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import time
import uuid
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from assistant.config import get_settings
from assistant.errors import AssistantError, TranscriptionError
from assistant.transcription.engines import create_engine
from assistant.transcription.models import ProgressCallback, resolve_model
from assistant.transcription.types import DecodeOptions, Transcript, TranscriptionEngine
from assistant.transcription.utterance import Utterance, Word
from assistant.vad.segment import SpeechSegment

log = logging.getLogger(__name__)

OVERLOADED = "stt-overloaded"
PARTIAL_DROPPED = "stt-partial-dropped"


_ENGINES: dict[tuple, TranscriptionEngine] = {}
_ENGINES_LOCK = threading.Lock()


def load_engine(settings, *, progress: ProgressCallback | None = None) -> TranscriptionEngine:
    """The engine the settings name, loaded once per (engine, model, device, compute type, threads, data dir).

    A dict cache rather than `functools.lru_cache` so the progress callback is not part of the key.

    Args:
        settings: App settings (`engine`, `model`, `device`, `compute_type`, `cpu_threads`, `data_dir`).
        progress: Progress callback if the bundled model has to be reassembled first.

    Returns:
        The cached engine instance.

    Raises:
        ModelError: the model cannot be resolved or loaded.
    """

    key = (settings.engine, settings.model, settings.device, settings.compute_type, settings.cpu_threads,
           settings.decode_workers,
           str(settings.data_dir))
    with _ENGINES_LOCK:
        if key not in _ENGINES:
            resolved = resolve_model(settings.model, engine=settings.engine,
                                     settings=SimpleNamespace(data_dir=Path(settings.data_dir)), progress=progress)
            log.info("Loading %s (%s) on %s", resolved.label, resolved.kind, settings.device)
            _ENGINES[key] = create_engine(resolved, device=settings.device, compute_type=settings.compute_type,
                                          cpu_threads=settings.cpu_threads, parallel=settings.decode_workers)
        return _ENGINES[key]


@dataclass
class ServiceStats:
    """Counters of a `TranscriptionService` (read by the benchmark).

    Attributes:
        decodes: Segments decoded (final and interim).
        decode_seconds: Wall time spent decoding.
        audio_seconds: Audio decoded.
        overloaded: Final segments refused because the queue was full.
    """

    decodes: int = 0
    decode_seconds: float = 0.0
    audio_seconds: float = 0.0
    overloaded: int = 0


@dataclass
class _Job:
    segment: SpeechSegment
    call_id: str
    context: str = ""
    future: concurrent.futures.Future = field(default_factory=concurrent.futures.Future)


class TranscriptionService:
    """Transcribes speech segments of any number of calls with ONE engine instance.

    Decoding runs in `settings.decode_workers` worker threads, each decode with `cpu_threads` threads
    (on the 2-core reference machine a second thread barely sped up one decode, while two one-thread
    decodes at once doubled throughput: so two workers of one thread each). Final segments and pause
    hints (whose result usually becomes a final, see `CallSession`) wait in per-call queues served
    round-robin, so one talkative call cannot starve another; a pause hint is refused rather than
    queued when the queue is full. Periodic interim (partial) segments are served only when nothing
    else waits, keep only the newest per call, and are dropped first under load.

    Args:
        engine: The engine (default: `load_engine(settings)`).
        settings: App settings (default: `get_settings()`); also the source of the decode options.
        options: Decode options (default: `DecodeOptions.from_settings(settings)`).
        max_pending: Most final segments waiting (all calls together); beyond it `transcribe` raises
            `TranscriptionError` with code `stt-overloaded` instead of letting latency grow unbounded.
    """

    def __init__(self, engine: TranscriptionEngine | None = None, *, settings=None,
                 options: DecodeOptions | None = None, max_pending: int = 8) -> None:
        if settings is None:
            settings = get_settings()
        self.engine = engine if engine is not None else load_engine(settings)
        self.options = options or DecodeOptions.from_settings(settings)
        self.stats = ServiceStats()
        self.max_pending = max_pending
        self._finals: OrderedDict[str, deque[_Job]] = OrderedDict()
        self._partials: OrderedDict[str, _Job] = OrderedDict()
        self._served: dict[str, int] = {}  # call id -> when it last had a turn (fairness)
        self._tick = 0
        self._cond = threading.Condition()
        self._closed = False
        self._stats_lock = threading.Lock()
        self._workers = [threading.Thread(target=self._run, name=f"transcription-worker-{i}", daemon=True)
                         for i in range(max(1, getattr(settings, "decode_workers", 1)))]
        for worker in self._workers:
            worker.start()
        log.info("Transcription service: engine %s, options %s, max_pending %d", self.engine.name, self.options,
                 max_pending)

    # ------------------------------------------------------------------ public

    async def transcribe(self, segment: SpeechSegment, *, call_id: str, context: str = "") -> Utterance:
        """Transcribe one segment off the event loop.

        Args:
            segment: The speech segment; `final=False` marks interim audio of a running utterance.
            call_id: The call it belongs to (the unit of fairness).
            context: Text spoken just before this audio in the same utterance (the engine's prompt).

        Returns:
            The utterance, with word times in call time.

        Raises:
            TranscriptionError: `stt-overloaded` when the queue is full; `stt-partial-dropped` when an
                interim segment was superseded or dropped under load; `stt-failed` when decoding failed.
        """
        return await asyncio.wrap_future(self.submit(segment, call_id=call_id, context=context))

    def transcribe_segment(self, segment: SpeechSegment, *, call_id: str = "") -> Utterance:
        """Synchronous `transcribe` for scripts (waits for the worker)."""
        return self.submit(segment, call_id=call_id).result()

    def submit(self, segment: SpeechSegment, *, call_id: str, context: str = "") -> concurrent.futures.Future:
        """Queue a segment; the future resolves to its `Utterance`.

        Raises:
            TranscriptionError: `stt-overloaded` (final segment, queue full), `stt-partial-dropped` (pause
                hint, queue full) or `stt-closed`.
        """
        job = _Job(segment=segment, call_id=call_id, context=context)
        with self._cond:
            if self._closed:
                raise TranscriptionError("Transskriptionen er lukket.", code="stt-closed")
            if segment.final or segment.pause_hint:
                if self.pending() >= self.max_pending:
                    if not segment.final:
                        raise TranscriptionError("Køen er fuld; pausen afkodes ikke i forvejen.",
                                                 code=PARTIAL_DROPPED)
                    self.stats.overloaded += 1
                    raise TranscriptionError(
                        f"Transskriptionen kan ikke følge med ({self.pending()} ytringer i kø). Prøv med færre "
                        f"samtidige opkald eller en hurtigere model.", code=OVERLOADED)
                self._finals.setdefault(call_id, deque()).append(job)
                self._drop_partials_of(segment.segment_id, call_id)
            else:
                previous = self._partials.pop(call_id, None)
                if previous is not None:
                    _fail(previous, "Afløst af nyere foreløbig tekst.")
                self._partials[call_id] = job
            self._cond.notify()
        return job.future

    def pending(self) -> int:
        """Final segments waiting (not counting the one being decoded)."""
        return sum(len(q) for q in self._finals.values())

    def close(self) -> None:
        """Stop the worker after the current decode; waiting segments fail with `stt-closed`."""
        with self._cond:
            self._closed = True
            for queue in self._finals.values():
                for job in queue:
                    _fail(job, "Transskriptionen blev lukket.", code="stt-closed")
            self._finals.clear()
            for job in self._partials.values():
                _fail(job, "Transskriptionen blev lukket.", code="stt-closed")
            self._partials.clear()
            self._cond.notify_all()
        for worker in self._workers:
            worker.join(timeout=30)

    def __enter__(self) -> TranscriptionService:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ worker

    def _drop_partials_of(self, segment_id: str, call_id: str) -> None:
        job = self._partials.get(call_id)
        if job is not None and job.segment.segment_id == segment_id:
            del self._partials[call_id]
            _fail(job, "Ytringen er afsluttet; foreløbig tekst er ikke længere nødvendig.")

    def _next_job(self) -> _Job | None:
        """The next job: finals before partials; among calls, the one served least recently."""
        for queues in (self._finals, self._partials):
            waiting = [call_id for call_id, queue in queues.items() if queue]
            if not waiting:
                continue
            call_id = min(waiting, key=lambda c: self._served.get(c, 0))  # ties: arrival order
            self._tick += 1
            self._served[call_id] = self._tick
            if queues is self._finals:
                job = self._finals[call_id].popleft()
                if not self._finals[call_id]:
                    del self._finals[call_id]
                return job
            return self._partials.pop(call_id)
        return None

    def _run(self) -> None:
        while True:
            with self._cond:
                job = self._next_job()
                while job is None and not self._closed:
                    self._cond.wait()
                    job = self._next_job()
                if job is None:
                    return
            if not job.future.set_running_or_notify_cancel():
                continue  # the caller gave up waiting
            try:
                job.future.set_result(self._decode(job.segment, context=job.context))
            except AssistantError as err:
                job.future.set_exception(err)
            except Exception as err:  # noqa: BLE001 -- wrapped at the stage boundary
                log.exception("Decoding failed")
                wrapped = TranscriptionError(f"Transskriptionen fejlede: {err}", code="stt-failed")
                wrapped.__cause__ = err
                job.future.set_exception(wrapped)

    def _decode(self, segment: SpeechSegment, *, context: str = "") -> Utterance:
        # Interim segments get the same options: the session reuses an interim result as the final
        # one when speech does not resume, so it needs word times too.
        started = time.perf_counter()
        transcript = self.engine.transcribe(segment.samples, options=self.options, context=context)
        with self._stats_lock:
            self.stats.decodes += 1
            self.stats.decode_seconds += time.perf_counter() - started
            self.stats.audio_seconds += segment.duration
        log.debug("Decoded %s %.2f s of audio in %.2f s (encoder frames %s, %s, dropped %s)",
                  "final" if segment.final else "interim", segment.duration, time.perf_counter() - started,
                  transcript.encoder_frames, transcript.language, transcript.dropped)
        return to_utterance(transcript, segment)


def to_utterance(transcript: Transcript, segment: SpeechSegment) -> Utterance:
    """Turn an engine result into the pipeline's `Utterance` (word times shifted into call time)."""
    return Utterance(
        utterance_id=segment.segment_id or uuid.uuid4().hex,
        speaker=segment.speaker,
        text=transcript.text,
        start=segment.start,
        end=segment.end,
        speech_end=segment.speech_end,
        words=[Word(start=segment.start + w.start, end=segment.start + w.end, word=w.word.strip(),
                    probability=w.probability) for w in transcript.words],
        language=transcript.language,
        language_probs=transcript.language_probs,
        avg_logprob=transcript.avg_logprob,
        no_speech_prob=transcript.no_speech_prob,
        engine=transcript.engine,
    )


def _fail(job: _Job, message: str, *, code: str = PARTIAL_DROPPED) -> None:
    if job.future.set_running_or_notify_cancel():
        job.future.set_exception(TranscriptionError(message, code=code))
