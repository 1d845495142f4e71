"""Pydantic models at the HTTP boundary (request bodies and responses that are not session types)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from assistant.analysis.types import AnalysisUpdate
from assistant.events import Speaker
from assistant.session.call import CallStatus


class TurnIn(BaseModel):
    """A typed utterance injected into a call (text calls, tests, replaying a transcript)."""

    speaker: Speaker = Field(description="caseworker, citizen or unknown")
    text: str = Field(min_length=1, max_length=4000, description="What was said")
    language: str = Field("da", min_length=2, max_length=8, description="ISO 639-1 language of the text")


class TurnResult(BaseModel):
    """What the analysis made of the injected turn."""

    analysis: AnalysisUpdate | None = Field(description="The analysis after this turn; null for calls without analysis")
    last_seq: int = Field(description="Sequence number of the call's latest event")


class SuggestionActionIn(BaseModel):
    """What the caseworker did with a suggestion card."""

    action: Literal["used", "dismissed", "copied"]


class CallSummary(BaseModel):
    """One line of the call list."""

    call_id: str
    status: CallStatus
    source: str
    started_at: datetime
    ended_at: datetime | None = None
    turns: int = Field(description="Number of final utterances so far")
    level: Literal["green", "yellow", "red"] | None = Field(None, description="The latest traffic light")
    last_seq: int


class CallList(BaseModel):
    data: list[CallSummary]
    count: int


class SampleInfo(BaseModel):
    """A sample recording in recordings_sample/ that a demo call can replay."""

    name: str = Field(description="Name to pass as `path` in POST /calls")
    file: str = Field(description="File name")
    duration: float | None = Field(None, description="Length in seconds")
    channels: int | None = None
    title: str | None = Field(None, description="First line of the script the sample was made from, if any")


class SampleList(BaseModel):
    data: list[SampleInfo]
    count: int
