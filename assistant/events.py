"""Typed events the call pipeline publishes; the panel, the store and the CLI consume only these.

Every event carries the call id and a per-call sequence number (set by the session). Times are
seconds in call time as floats, on the wire too: the panel and store never do arithmetic on
milliseconds, and one unit everywhere avoids conversions (a deliberate deviation from STYLE rule 2).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Literal, Union

from pydantic import BaseModel, Field, TypeAdapter

from assistant.analysis.types import AnalysisUpdate
from assistant.audio.frames import Speaker
from assistant.transcription.utterance import Utterance, Word  # noqa: F401 - the events carry them


def _now() -> datetime:
    return datetime.now(timezone.utc)


class _Event(BaseModel):
    call_id: str
    seq: int = 0
    timestamp: datetime = Field(default_factory=_now)


class CallStarted(_Event):
    type: Literal["call-start"] = "call-start"
    source: str
    speakers: list[Speaker]
    citizen_informed: bool = False
    owner: str | None = Field(None, description="User name of the caseworker who started the call (access control)")
    replay: bool = Field(False, description="A demo call replaying a sample's script turn by turn (not a live call)")


class UtterancePartial(_Event):
    """Interim text of a still-running utterance; replaced by the final one with the same id."""

    type: Literal["utterance-partial"] = "utterance-partial"
    utterance_id: str
    speaker: Speaker
    text: str
    start: float


class UtteranceFinal(_Event):
    type: Literal["utterance-final"] = "utterance-final"
    utterance: Utterance
    turn_index: int


class AnalysisUpdated(_Event):
    """The analysis of one final utterance: signals, assessment, suggestions, coaching."""

    type: Literal["analysis-update"] = "analysis-update"
    turn_index: int
    update: AnalysisUpdate


class ErrorEvent(_Event):
    type: Literal["error"] = "error"
    code: str
    message: str
    stage: str = ""


class SuggestionAction(_Event):
    """The caseworker used, copied or dismissed a suggestion on the panel (kept to measure usefulness)."""

    type: Literal["suggestion-action"] = "suggestion-action"
    suggestion_id: str
    action: Literal["used", "dismissed", "copied"]
    kind: Literal["summary", "question", "reflection", "deescalation", "guidance"] | None = None


class CallEnded(_Event):
    type: Literal["call-end"] = "call-end"
    reason: Literal["completed", "stopped", "failed", "interrupted"] = "completed"


CallEvent = Annotated[
    Union[CallStarted, UtterancePartial, UtteranceFinal, AnalysisUpdated, ErrorEvent, SuggestionAction, CallEnded],
    Field(discriminator="type"),
]
call_event_adapter: TypeAdapter[CallEvent] = TypeAdapter(CallEvent)


def parse_event(data: str | bytes) -> CallEvent:
    """Parse one JSON event (as sent on the WebSocket) back into its typed model."""
    return call_event_adapter.validate_json(data)
