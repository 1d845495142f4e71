"""Builders for call event sequences, straight from the typed models (no audio, no analyzer needed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from assistant.analysis.types import (
    AnalysisUpdate,
    Assessment,
    CallSignals,
    Coaching,
    ComplaintPoint,
    Flag,
    Suggestion,
    TurnAnalysis,
)
from assistant.events import AnalysisUpdated, CallEnded, CallStarted, Utterance, UtteranceFinal


@dataclass
class ScriptTurn:
    """One turn of a scripted call and what the analysis says after it."""

    speaker: str
    text: str
    frustration: int | None = None
    evidence: list[str] = field(default_factory=list)
    points: list[tuple[str, str]] = field(default_factory=list)  # (category, gist) raised in this turn
    flags: list[tuple[str, list[str]]] = field(default_factory=list)  # (kind, evidence) raised in this turn
    suggestions: list[tuple[str, str]] = field(default_factory=list)  # (id, text)


def call_events(call_id: str, turns: list[ScriptTurn], *, started_at: datetime | None = None,
                kind: str | None = None, end: str | None = "completed", citizen_informed: bool = True) -> list[Any]:
    """The events a session would publish for `turns`: call-start, (utterance-final, analysis-update)*, call-end."""
    started_at = started_at or datetime.now(timezone.utc)
    events: list[Any] = [CallStarted(call_id=call_id, seq=1, timestamp=started_at, source="tekst",
                                     speakers=["caseworker", "citizen"], citizen_informed=citizen_informed)]
    points: list[ComplaintPoint] = []
    flags: dict[str, Flag] = {}
    curve: list[float] = []
    for index, turn in enumerate(turns):
        when = started_at + timedelta(seconds=10 * (index + 1))
        utterance = Utterance(utterance_id=f"u{index}", speaker=turn.speaker, text=turn.text, start=index * 10.0,
                              end=index * 10.0 + 8, speech_end=index * 10.0 + 8, engine="text")
        events.append(UtteranceFinal(call_id=call_id, seq=len(events) + 1, timestamp=when, utterance=utterance,
                                     turn_index=index))
        for category, gist in turn.points:
            points.append(ComplaintPoint(point_id=f"p{len(points)}", category=category, gist=gist, turns=[index]))
        for flag_kind, evidence in turn.flags:
            flags[flag_kind] = Flag(kind=flag_kind, evidence=evidence, turns=[index])
        if turn.speaker == "citizen" and turn.frustration is not None:
            curve.append(float(turn.frustration))
        signals = CallSignals(
            complaint_points=list(points), complaint_kind=kind, frustration_curve=list(curve),
            frustration_peak=int(max(curve, default=0)), flags=list(flags.values()),
            threat="threat" in flags, language_barrier="language_barrier" in flags,
            health_barrier="health_barrier" in flags, representative="representative" in flags)
        level = "red" if ({"threat", "language_barrier", "health_barrier"} & set(flags) or len(points) >= 3) else "green"
        update = AnalysisUpdate(
            turn=TurnAnalysis(index=index, speaker=turn.speaker, frustration=turn.frustration,
                              evidence=list(turn.evidence), question="open" if turn.speaker == "caseworker" else None),
            call=signals, assessment=Assessment(level=level, reasons=["Testbegrundelse"] if level == "red" else []),
            suggestions=[Suggestion(suggestion_id=sid, kind="question", text=text) for sid, text in turn.suggestions],
            coaching=Coaching(open_questions=7, closed_questions=3, summaries=2, citizen_talk_share=0.61,
                              nudge="COACHING-SECRET"),
        )
        events.append(AnalysisUpdated(call_id=call_id, seq=len(events) + 1, timestamp=when, turn_index=index,
                                      update=update))
    if end:
        events.append(CallEnded(call_id=call_id, seq=len(events) + 1,
                                timestamp=started_at + timedelta(seconds=10 * (len(turns) + 1)), reason=end))
    return events


THREAT_CALL = [
    ScriptTurn("caseworker", "Goddag, din henvendelse om nedsat boligstøtte er havnet hos mig."),
    ScriptTurn("citizen", "I har skåret i min støtte, og det er fandeme for galt! Mit CPR er 010190-1234.",
               frustration=3, evidence=["fandeme"], points=[("afgoerelse", "boligstøtten er sat ned")]),
    ScriptTurn("citizen", "Står pengene ikke på kontoen inden torsdag, tager jeg ind på kontoret og banker hende.",
               frustration=3, evidence=["banker hende"], flags=[("threat", ["banker hende"])]),
    ScriptTurn("caseworker", "Sådan en trussel finder jeg mig ikke i, så jeg lægger på nu. "
                             "Vi behandler din klage færdig og skriver til dig bagefter."),
]

CALM_CALL = [
    ScriptTurn("caseworker", "Goddag, det er Mette fra Borgerservice. Hvordan har forløbet i din sag været?",
               suggestions=[("s1", "Hvad betyder mest for dig?")]),
    ScriptTurn("citizen", "Jeg har ventet tre måneder på svar på min ansøgning, og ingen ringer tilbage.",
               frustration=2, evidence=["ventet tre måneder"],
               points=[("sagsbehandlingstid", "har ventet tre måneder"), ("manglende_kontakt", "ingen ringer tilbage")]),
    ScriptTurn("caseworker", "Det er ikke i orden, og det beklager jeg. Jeg sender dig svaret inden fredag."),
    ScriptTurn("citizen", "Det lyder fint. Så trækker jeg klagen tilbage.", frustration=0),
    ScriptTurn("caseworker", "Godt, så skriver jeg ned, at klagen er trukket tilbage. Tak for i dag."),
]


def feed(recorder, events) -> None:  # noqa: ANN001
    """Write events through the recorder synchronously (what the session does, one at a time)."""
    for event in events:
        recorder.record(event)
