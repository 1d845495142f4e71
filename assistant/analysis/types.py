"""Value types the analysis produces: per-turn signals, call signals, assessment, suggestions, coaching.

These cross into the web layer, the store and the note, so they are pydantic models.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

QuestionType = Literal["open", "closed", "none"]
ComplaintCategory = Literal[
    "sagsbehandlingstid", "manglende_kontakt", "adfaerd", "afgoerelse", "information",
    "fejl", "oekonomi", "digital", "service", "andet",
]
ComplaintKind = Literal["formalitet", "afgoerelse", "blandet"]
FlagKind = Literal["language_barrier", "health_barrier", "threat", "decision_complaint", "representative"]
CallPhase = Literal["opening", "exploring", "summarising", "agreement", "closing"]


class AsrInfo(BaseModel):
    """What the transcriber knew about a turn (input to the analysis, never a label)."""

    language: str | None = None
    language_probs: dict[str, float] = Field(default_factory=dict)
    avg_logprob: float | None = None
    no_speech_prob: float | None = None


class TurnAnalysis(BaseModel):
    """What the analysis made of one turn. Caseworker fields are coaching, shown to the caseworker only."""

    index: int
    speaker: Literal["caseworker", "citizen", "unknown"]
    question: QuestionType | None = None
    leading: bool = False
    summary: bool | None = None
    frustration: int | None = Field(default=None, ge=0, le=3)
    lang: str | None = None
    evidence: list[str] = Field(default_factory=list)


class ComplaintPoint(BaseModel):
    point_id: str
    category: ComplaintCategory
    gist: str
    turns: list[int]
    summarised: bool = False


class Flag(BaseModel):
    """A raised flag with the evidence (words, turns) that raised it."""

    kind: FlagKind
    evidence: list[str] = Field(default_factory=list)
    turns: list[int] = Field(default_factory=list)


class Assessment(BaseModel):
    """Is the method suitable here: green / yellow / red, with reasons in Danish."""

    level: Literal["green", "yellow", "red"]
    reasons: list[str] = Field(default_factory=list)


class Suggestion(BaseModel):
    suggestion_id: str
    kind: Literal["summary", "question", "reflection", "deescalation", "guidance"]
    text: str
    reason: str = ""


class Coaching(BaseModel):
    """Caseworker coaching for this call; never shown per caseworker to supervisors."""

    open_questions: int = 0
    closed_questions: int = 0
    leading_questions: int = 0
    summaries: int = 0
    citizen_talk_share: float = 0.0
    nudge: str | None = None


class CallSignals(BaseModel):
    complaint_points: list[ComplaintPoint] = Field(default_factory=list)
    complaint_kind: ComplaintKind | None = None
    frustration_curve: list[float] = Field(default_factory=list)
    frustration_peak: int = 0
    language_barrier: bool = False
    health_barrier: bool = False
    threat: bool = False
    representative: bool = False
    method_suitable: bool = True
    phase: CallPhase = "opening"
    flags: list[Flag] = Field(default_factory=list)


class AnalysisUpdate(BaseModel):
    """What one new turn changed. `changed` names the parts that differ from before this turn."""

    turn: TurnAnalysis
    call: CallSignals
    assessment: Assessment
    suggestions: list[Suggestion]
    coaching: Coaching
    changed: list[Literal["call", "assessment", "suggestions", "coaching"]] = Field(default_factory=list)
