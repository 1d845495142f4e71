"""One call: wires source → segmenter → transcriber → analyser and publishes typed, numbered events.

The source and the voice-activity segmenter run in a worker thread (they are cheap and may block
on a device or on real-time pacing); transcription waits on the shared `TranscriptionService`; the
analysis runs on the event loop (a few ms per turn). Every event gets the next sequence number of the
call and is kept in the call's history, so a panel that opens late or reconnects replays from any
sequence number without losing or repeating an event.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from assistant.analysis.types import AnalysisUpdate, AsrInfo
from assistant.errors import AssistantError, SessionError
from assistant.events import (
    AnalysisUpdated,
    CallEnded,
    CallEvent,
    CallStarted,
    ErrorEvent,
    Speaker,
    SuggestionAction,
    Utterance,
    UtteranceFinal,
    UtterancePartial,
)
from assistant.masking import MaskingOptions, mask_personal_data
from assistant.session.pieces import PieceOptions, PiecewiseDecoder
from assistant.vad import StreamingSegmenter, VadOptions

if TYPE_CHECKING:
    from assistant.analysis import CallAnalyzer
    from assistant.audio import AudioSource
    from assistant.transcription.service import TranscriptionService
    from assistant.vad.segment import SpeechSegment

log = logging.getLogger(__name__)

CallStatus = Literal["running", "ended", "failed", "interrupted"]
EventListener = Callable[[CallEvent], Awaitable[None] | None]
_END_OF_SOURCE = object()
_FINALS_IN_FLIGHT = 2  # per call; a live call ends utterances seconds apart, so only a fast file replay waits


class CallSnapshot(BaseModel):
    """The state of a call so far, for `GET /calls/{id}` and for panels that open late."""

    call_id: str
    status: CallStatus
    source: str
    started_at: datetime
    ended_at: datetime | None = None
    citizen_informed: bool = False
    replay: bool = Field(False, description="A demo call replaying a sample's script")
    last_seq: int
    utterances: list[Utterance] = Field(default_factory=list)
    analysis: AnalysisUpdate | None = None
    error: str | None = None
    suggestion_actions: list[SuggestionAction] = Field(
        default_factory=list, description="What the caseworker did with suggestions (used, dismissed, copied)")


class CallSession:
    """A live call. Create it, `await start()`, then `await wait()` or `await end()`.

    Args:
        source: The audio source, or None for a text-only call (turns come from `add_text`).
        transcriber: The shared transcription service (needed when there is a source).
        analyzer: A fresh `CallAnalyzer` for this call, or None to transcribe only.
        vad_options: Segmenter options; defaults when None.
        call_id: Id of the call; a random one when None.
        citizen_informed: The caseworker confirmed the citizen was told about the assistant.
        partials: Publish interim text for long utterances.
        piece_options: How long utterances are decoded in pieces at pauses; defaults when None.
        owner: User name of the caseworker the call belongs to (only they may follow or steer it).
        masking: Contact details masked besides CPR numbers before a turn reaches the panel, the analysis or
            the store (`MaskingOptions.from_settings(settings)`); CPR numbers only when None.
        description: What the panel shows as the call's source; by default the audio source's description,
            or "tekst" for a typed call.
        replay: The call replays a sample's script (a demo): the panel says so plainly.
    """

    def __init__(
        self,
        *,
        source: AudioSource | None,
        transcriber: TranscriptionService | None = None,
        analyzer: CallAnalyzer | None = None,
        vad_options: VadOptions | None = None,
        call_id: str | None = None,
        citizen_informed: bool = False,
        partials: bool = True,
        owner: str | None = None,
        piece_options: PieceOptions | None = None,
        masking: MaskingOptions | None = None,
        description: str | None = None,
        replay: bool = False,
    ) -> None:
        if source is not None and transcriber is None:
            raise SessionError("Et opkald med lyd kræver en transskribering.", code="session-no-transcriber")
        self.call_id = call_id or uuid.uuid4().hex[:12]
        self.source = source
        self.transcriber = transcriber
        self.analyzer = analyzer
        self.vad_options = vad_options
        self.citizen_informed = citizen_informed
        self.partials = partials
        self.piece_options = piece_options
        self.owner = owner
        self.masking = masking
        self.description = description or (source.description if source is not None else "tekst")
        self.replay = replay
        self.watched = asyncio.Event()  # set when the first client subscribes (a demo replay waits for it)
        self.status: CallStatus = "running"
        self.started_at = datetime.now(timezone.utc)
        self.ended_at: datetime | None = None
        self.error: str | None = None
        self.history: list[CallEvent] = []
        self.utterances: list[Utterance] = []
        self.last_analysis: AnalysisUpdate | None = None
        self.suggestion_actions: list[SuggestionAction] = []
        self._listeners: list[EventListener] = []
        self._subscribers: set[asyncio.Queue[CallEvent]] = set()
        self._segments: asyncio.Queue[object] | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._decoder: PiecewiseDecoder | None = None
        self._latest_partial: dict[str, asyncio.Task[Utterance | None]] = {}  # segment id -> newest partial
        self._partial_tasks: set[asyncio.Task[None]] = set()
        self._stop = threading.Event()
        self._turn_lock = asyncio.Lock()
        self._done = asyncio.Event()
        self._started = False

    # ---- events -------------------------------------------------------------------------------

    def add_listener(self, listener: EventListener) -> None:
        """Call `listener(event)` for every event from now on (e.g. the store's recorder)."""
        self._listeners.append(listener)

    def subscribe(self, *, after_seq: int = 0) -> asyncio.Queue[CallEvent]:
        """A queue that first holds every event after `after_seq`, then each new one as it comes."""
        queue: asyncio.Queue[CallEvent] = asyncio.Queue()
        for event in self.events_after(after_seq):
            queue.put_nowait(event)
        self._subscribers.add(queue)
        self.watched.set()
        return queue

    def unsubscribe(self, queue: asyncio.Queue[CallEvent]) -> None:
        self._subscribers.discard(queue)

    def events_after(self, seq: int) -> list[CallEvent]:
        """Events with a sequence number greater than `seq` (sequence numbers start at 1)."""
        return self.history[max(seq, 0):]

    async def _publish(self, event: CallEvent) -> CallEvent:
        event.seq = len(self.history) + 1
        self.history.append(event)
        for queue in list(self._subscribers):
            queue.put_nowait(event)
        for listener in list(self._listeners):
            try:
                result = listener(event)
                if asyncio.iscoroutine(result):
                    await result
            except Exception:  # a failing listener must not stop the call
                log.exception("Event listener failed for call %s", self.call_id)
        return event

    # ---- life cycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Publish `call-start` and, for an audio call, start pumping the source."""
        if self._started:
            return
        self._started = True
        speakers: list[Speaker] = list(self.source.speakers) if self.source else ["caseworker", "citizen"]
        await self._publish(CallStarted(call_id=self.call_id, source=self.description, speakers=speakers,
                                        citizen_informed=self.citizen_informed, owner=self.owner,
                                        replay=self.replay))
        if self.source is None:
            return
        self._segments = asyncio.Queue()
        assert self.transcriber is not None
        self._decoder = PiecewiseDecoder(self.transcriber, self.call_id, self.piece_options)
        loop = asyncio.get_running_loop()
        pump = threading.Thread(target=self._pump, args=(loop,), name=f"call-{self.call_id}-audio", daemon=True)
        pump.start()
        self._tasks.append(asyncio.create_task(self._consume(), name=f"call-{self.call_id}-stt"))

    async def wait(self) -> None:
        """Wait until the source has ended and every utterance is transcribed and analysed."""
        if self.source is None:
            return
        await self._done.wait()

    async def end(self, reason: Literal["completed", "stopped", "failed", "interrupted"] = "stopped") -> None:
        """Stop the source, finish the utterances already heard, and publish `call-end` once."""
        if self.status != "running":
            return
        self._stop.set()
        if self.source is not None:
            try:  # audio not yet read is dropped, not kept in memory (the pump stops at the next frame anyway)
                getattr(self.source, "discard", self.source.close)()
            except Exception:
                log.exception("Closing the source of call %s failed", self.call_id)
            await self._done.wait()
        await self._finish(reason)

    async def _finish(self, reason: Literal["completed", "stopped", "failed", "interrupted"]) -> None:
        if self.status != "running":
            return
        self.status = "failed" if reason == "failed" else ("interrupted" if reason == "interrupted" else "ended")
        self.ended_at = datetime.now(timezone.utc)
        await self._publish(CallEnded(call_id=self.call_id, reason=reason))

    def snapshot(self) -> CallSnapshot:
        return CallSnapshot(
            call_id=self.call_id, status=self.status, started_at=self.started_at, ended_at=self.ended_at,
            source=self.description, replay=self.replay, citizen_informed=self.citizen_informed,
            last_seq=len(self.history), utterances=list(self.utterances), analysis=self.last_analysis,
            error=self.error, suggestion_actions=list(self.suggestion_actions),
        )

    # ---- panel feedback and outside errors ----------------------------------------------------

    async def record_suggestion_action(
        self, suggestion_id: str, action: Literal["used", "dismissed", "copied"]
    ) -> SuggestionAction:
        """Keep what the caseworker did with a suggestion and publish it (for measuring usefulness).

        Raises:
            SessionError: code `suggestion-not-found` when no analysis of this call offered the id.
        """
        kind = None
        for event in reversed(self.history):
            if isinstance(event, AnalysisUpdated):
                found = next((s for s in event.update.suggestions if s.suggestion_id == suggestion_id), None)
                if found is not None:
                    kind = found.kind
                    break
        else:
            raise SessionError(f"Forslaget '{suggestion_id}' findes ikke i opkaldet.", code="suggestion-not-found")
        if action != "copied" and self.analyzer is not None and hasattr(self.analyzer, "mark_suggestion"):
            self.analyzer.mark_suggestion(suggestion_id, action)  # not offered again in this call
        record = SuggestionAction(call_id=self.call_id, suggestion_id=suggestion_id, action=action, kind=kind)
        self.suggestion_actions.append(record)
        await self._publish(record)
        return record

    async def report_error(self, code: str, message: str, *, stage: str) -> None:
        """Publish an `error` event from outside the pipeline (e.g. a remote audio client dropped)."""
        await self._publish(ErrorEvent(call_id=self.call_id, code=code, message=message, stage=stage))

    # ---- audio path ---------------------------------------------------------------------------

    def _pump(self, loop: asyncio.AbstractEventLoop) -> None:
        """Worker thread: read frames, segment per speaker, hand segments to the event loop."""

        assert self.source is not None and self._segments is not None
        options = self.vad_options or VadOptions()
        segmenters: dict[str, StreamingSegmenter] = {}

        def hand_over(item: object) -> None:
            loop.call_soon_threadsafe(self._segments.put_nowait, item)  # type: ignore[union-attr]

        try:
            for frame in self.source.frames():
                if self._stop.is_set():
                    break
                segmenter = segmenters.get(frame.speaker)
                if segmenter is None:
                    segmenter = segmenters[frame.speaker] = StreamingSegmenter(frame.speaker, options)
                for segment in segmenter.push(frame):
                    hand_over(segment)
            for segmenter in segmenters.values():
                for segment in segmenter.flush():
                    hand_over(segment)
        except AssistantError as err:
            hand_over(err)
        except Exception as err:  # wrap at the stage boundary: the panel gets a clear error
            log.exception("Audio source of call %s failed", self.call_id)
            hand_over(AssistantError(f"Lydkilden fejlede: {err}", code="audio-source-failed"))
        finally:
            hand_over(_END_OF_SOURCE)

    async def _consume(self) -> None:
        """Decode segments as they come; publish final utterances in the order the utterances ended.

        Each final decode starts at once (a later utterance of the other speaker need not wait for an
        earlier one), while a separate task publishes them in order, so turn order never changes. At
        most `_FINALS_IN_FLIGHT` finals of the call are under way: a file read faster than real time
        waits here instead of flooding the shared queue (which would refuse utterances as overload).
        """
        assert self._segments is not None and self._decoder is not None
        finals: asyncio.Queue[asyncio.Task[Utterance] | None] = asyncio.Queue()
        in_flight = asyncio.Semaphore(_FINALS_IN_FLIGHT)
        publisher = asyncio.create_task(self._publish_finals(finals, in_flight), name=f"call-{self.call_id}-finals")
        failed = False
        try:
            while True:
                item = await self._segments.get()
                if item is _END_OF_SOURCE:
                    break
                if isinstance(item, AssistantError):
                    failed = True
                    self.error = item.message
                    await self._publish(ErrorEvent(call_id=self.call_id, code=item.code, message=item.message,
                                                   stage="audio"))
                    continue
                segment: SpeechSegment = item  # type: ignore[assignment]
                if segment.final:
                    self._latest_partial.pop(segment.segment_id, None)  # no partial text after the final
                    await in_flight.acquire()
                    finals.put_nowait(asyncio.create_task(self._decoder.final(segment),
                                                          name=f"call-{self.call_id}-final"))
                else:
                    self._start_interim(segment)
            finals.put_nowait(None)
            await publisher
        finally:
            publisher.cancel()
            self._decoder.cancel()
            for task in self._partial_tasks:
                task.cancel()
            self._latest_partial.clear()
            self._done.set()
            if not self._stop.is_set():
                await self._finish("failed" if failed else "completed")

    async def _publish_finals(self, finals: asyncio.Queue[asyncio.Task[Utterance] | None],
                              in_flight: asyncio.Semaphore) -> None:
        while (task := await finals.get()) is not None:
            try:
                utterance = await task
            except AssistantError as err:
                await self._publish(ErrorEvent(call_id=self.call_id, code=err.code, message=err.message,
                                               stage="stt"))
                continue
            finally:
                in_flight.release()
            if utterance.text.strip():
                await self.add_utterance(utterance)

    def _start_interim(self, segment: SpeechSegment) -> None:
        """Start decoding interim audio now, without holding up the segments behind it.

        A pause hint (speech paused, but not yet long enough to end the utterance) is always decoded:
        if speech does not resume, the result is the final one and the end-of-utterance silence was
        spent decoding; if it does, the audio up to the pause is a finished piece (`PiecewiseDecoder`).
        Periodic interim text of a running utterance is only worth a decode for the citizen's long
        turns (the caseworker knows what they said) and only when partials are wanted at all.
        """
        assert self._decoder is not None
        if segment.pause_hint:
            so_far = self._decoder.hint(segment)
        elif self.partials and segment.speaker != "caseworker":
            so_far = self._decoder.interim(segment)
        else:
            return
        if not self.partials or so_far is None:
            return
        self._latest_partial[segment.segment_id] = so_far
        task = asyncio.create_task(self._publish_partial(segment.segment_id, so_far))
        self._partial_tasks.add(task)
        task.add_done_callback(self._partial_tasks.discard)

    async def _publish_partial(self, segment_id: str, so_far: asyncio.Task[Utterance | None]) -> None:
        utterance = await so_far
        if utterance is not None and utterance.text and self._latest_partial.get(segment_id) is so_far:
            await self._publish(UtterancePartial(call_id=self.call_id, utterance_id=utterance.utterance_id,
                                                 speaker=utterance.speaker, text=utterance.text,
                                                 start=utterance.start))

    # ---- turns --------------------------------------------------------------------------------

    async def add_utterance(self, utterance: Utterance) -> AnalysisUpdate | None:
        """Publish a final utterance and its analysis. Used by the audio path and by text injection."""
        utterance = _masked(utterance, self.masking)
        async with self._turn_lock:
            turn_index = len(self.utterances)
            self.utterances.append(utterance)
            await self._publish(UtteranceFinal(call_id=self.call_id, utterance=utterance, turn_index=turn_index))
            if self.analyzer is None:
                return None
            asr = AsrInfo(language=utterance.language, language_probs=utterance.language_probs,
                          avg_logprob=utterance.avg_logprob, no_speech_prob=utterance.no_speech_prob)
            try:
                update = self.analyzer.add_turn(utterance.speaker, utterance.text, asr=asr)
            except Exception as err:  # the transcript goes on even if one turn cannot be analysed
                log.exception("Analysis failed in call %s", self.call_id)
                await self._publish(ErrorEvent(call_id=self.call_id, code="analysis-failed",
                                               message=f"Analysen fejlede for en replik: {err}", stage="analysis"))
                return None
            self.last_analysis = update
            await self._publish(AnalysisUpdated(call_id=self.call_id, turn_index=turn_index, update=update))
            return update

    async def add_text(self, speaker: Speaker, text: str, *, language: str = "da") -> AnalysisUpdate | None:
        """Inject a text turn (no audio): for text-only calls, tests and replaying transcripts."""
        if self.status != "running":
            raise SessionError("Opkaldet er afsluttet.", code="call-ended")
        text = text.strip()
        if not text:
            raise SessionError("Replikken er tom.", code="empty-turn")
        end = self.utterances[-1].end + 1.0 if self.utterances else 0.0
        utterance = Utterance(utterance_id=f"txt-{len(self.utterances)}", speaker=speaker, text=text,
                              start=end, end=end, speech_end=end, language=language, engine="text")
        return await self.add_utterance(utterance)


def _masked(utterance: Utterance, masking: MaskingOptions | None) -> Utterance:
    """The utterance with CPR numbers (and, as `masking` says, phone numbers and e-mails) masked, so they never
    reach the panel, the analysis or the store. Word timings are dropped when masking changed the text
    (the words would still spell the number)."""
    text = mask_personal_data(utterance.text, masking)
    if text == utterance.text:
        return utterance
    return utterance.model_copy(update={"text": text, "words": []})
