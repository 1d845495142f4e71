"""The incremental call analyser: one utterance in, what changed out (signals, assessment, suggestions, coaching)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from assistant.analysis.assessment import assess, method_suitable
from assistant.analysis.barriers import BarrierOptions, BarrierTracker, broken_danish_spans, guess_language
from assistant.analysis.language import foreign_spans, warm_up_language_detector
from assistant.analysis.coaching import (
    CoachingOptions,
    CoachingTracker,
    QuestionResult,
    ReadQuestion,
    classify_question,
    decide_question,
    read_question,
    summary_score,
)
from assistant.analysis.complaints import ComplaintOptions, ComplaintTracker
from assistant.analysis.features import (
    FRUSTRATION_HIGH_MODEL,
    FRUSTRATION_MODEL,
    TurnContext,
    decide_frustration,
    frustration_features,
)
from assistant.analysis.frustration import FrustrationOptions, FrustrationResult, score_frustration
from assistant.analysis.suggestions import SuggestionContext, SuggestionOptions, build_suggestions
from assistant.analysis.summary_model import CITIZEN_TURNS, content_stems, decide_summary, summary_features
from assistant.analysis.summary_model import with_reply as summary_with_reply
from assistant.analysis.text import TurnText
from assistant.analysis.threat import THREAT_MODEL, ThreatOptions, ThreatTracker
from assistant.analysis.training import load_model
from assistant.analysis.types import (
    AnalysisUpdate,
    AsrInfo,
    Assessment,
    CallPhase,
    CallSignals,
    Coaching,
    Flag,
    Suggestion,
    TurnAnalysis,
)
from assistant.errors import AnalysisError

Speaker = Literal["caseworker", "citizen", "unknown"]
SPEAKERS = ("caseworker", "citizen", "unknown")


@dataclass
class _OpenCaseworkerTurn:
    """The last caseworker turn, kept until the citizen answers it: the reply may revise its question type and
    summary flag ("ja, præcis" after a summary; a bare "nej" after a yes/no question that lost its "?"). The turn's
    features are kept, so the revision only adds the reply's."""

    index: int
    read: ReadQuestion
    summary_features: dict[str, float]
    question: QuestionResult
    summary: bool


@dataclass
class AnalyzerOptions:
    """Everything the analyser can be tuned with; each part documents its own fields."""

    frustration: FrustrationOptions = field(default_factory=FrustrationOptions)
    """Frustration weights and thresholds."""
    complaints: ComplaintOptions = field(default_factory=ComplaintOptions)
    """When a clause becomes a complaint point."""
    barriers: BarrierOptions = field(default_factory=BarrierOptions)
    """Barrier thresholds."""
    threat: ThreatOptions = field(default_factory=ThreatOptions)
    """When threat cues raise the threat flag."""
    coaching: CoachingOptions = field(default_factory=CoachingOptions)
    """Summary detection and nudges."""
    suggestions: SuggestionOptions = field(default_factory=SuggestionOptions)
    """How many suggestions and from which template file."""
    curve_smoothing: float = 0.5
    """Weight of the newest turn in the smoothed frustration curve (exponential moving average)."""
    hf_model_dir: Path | None = None
    """Optional local Hugging Face text-classification model for frustration (see hf_backend.py)."""
    models_dir: Path | None = None
    """Folder of fitted model artefacts; None: the ones the package ships (``assistant train --out`` writes
    others, e.g. fitted on other writers for an evaluation)."""
    fitted_frustration: bool = True
    """Decide the frustration level with the fitted model (False: the hand scorer alone, for comparison)."""
    low_confidence_logprob: float = -1.2
    """Below this average log-probability a transcribed turn counts as unreliable: it cannot raise frustration
    above 1 on its own, since such text is mostly misheard words."""


class CallResult(BaseModel):
    """The call as analysed so far: every turn plus the call-level view."""

    turns: list[TurnAnalysis] = Field(default_factory=list)
    call: CallSignals = Field(default_factory=CallSignals)
    assessment: Assessment = Field(default_factory=lambda: Assessment(level="green"))
    suggestions: list[Suggestion] = Field(default_factory=list)
    coaching: Coaching = Field(default_factory=Coaching)


class CallAnalyzer:
    """Analyses one call, one utterance at a time.

    Create it with :meth:`create` (shares one cached spaCy pipeline per process), then call
    :meth:`add_turn` for every utterance in order.
    """

    def __init__(self, nlp, options: AnalyzerOptions | None = None, frustration_backend=None) -> None:
        self.nlp = nlp
        self.options = options or AnalyzerOptions()
        self.backend = frustration_backend
        from assistant.analysis.pipeline import lemma_table

        self._lemma_table = lemma_table(nlp)
        self._complaints = ComplaintTracker(self.options.complaints, models_dir=self.options.models_dir)
        self._barriers = BarrierTracker(self.options.barriers)
        self._threat = ThreatTracker(self.options.threat, models_dir=self.options.models_dir)
        self._coaching = CoachingTracker(self.options.coaching)
        self._turns: list[TurnAnalysis] = []
        self._curve: list[float] = []
        self._phase: CallPhase = "opening"
        self._peak = 0
        self._last_frustration = 0
        self._last_hand_level = 0
        self._abuse = False
        self._hidden: set[str] = set()
        self._citizen_stems: list[frozenset[str]] = []
        self._open_caseworker: _OpenCaseworkerTurn | None = None
        self._state = CallResult()

    @classmethod
    def create(cls, options: AnalyzerOptions | None = None) -> CallAnalyzer:
        """A new analyser on the shared Danish pipeline (cheap after the first call in a process).

        Args:
            options: Tuning; defaults when None. ``hf_model_dir`` loads the optional model backend (cached).

        Returns:
            A fresh analyser for one call.

        Raises:
            AnalysisError: when the pipeline or the optional model cannot be loaded.
        """
        from assistant.analysis.pipeline import get_nlp

        options = options or AnalyzerOptions()
        backend = None
        if options.hf_model_dir is not None:
            from assistant.analysis.hf_backend import load_backend

            backend = load_backend(Path(options.hf_model_dir))
        if options.fitted_frustration:
            load_model(FRUSTRATION_MODEL, options.models_dir)  # fail early, not on the first citizen turn
            load_model(FRUSTRATION_HIGH_MODEL, options.models_dir)
        if options.threat.fitted:
            load_model(THREAT_MODEL, options.models_dir)
        warm_up_language_detector()  # about half a second once per process, not on the first citizen turn
        return cls(get_nlp(), options, backend)

    @property
    def state(self) -> CallResult:
        """The call as analysed so far."""
        return self._state

    def result(self) -> CallResult:
        """The final call-level view (same as :attr:`state`; a copy the caller may keep)."""
        return self._state.model_copy(deep=True)

    def mark_suggestion(self, suggestion_id: str, status: Literal["used", "dismissed"]) -> None:
        """The caseworker used or dismissed a suggestion: it is not offered again in this call."""
        if status not in ("used", "dismissed"):
            raise AnalysisError(f"ukendt status for forslag: {status!r}", code="analysis-bad-status")
        self._hidden.add(suggestion_id)
        self._state.suggestions = [s for s in self._state.suggestions if s.suggestion_id != suggestion_id]

    def add_turn(self, speaker: str, text: str, *, asr: AsrInfo | None = None) -> AnalysisUpdate:
        """Analyse the next utterance of the call.

        Args:
            speaker: "caseworker", "citizen" or "unknown" (mono input: no emotions are inferred).
            text: What was said (punctuation and capitals optional).
            asr: What the transcriber knew (language probabilities, confidence), when available.

        Returns:
            The turn's analysis, the call-level state and the names of the parts that changed.

        Raises:
            AnalysisError: for an unknown speaker.
        """
        if speaker not in SPEAKERS:
            raise AnalysisError(f"ukendt taler: {speaker!r} (brug caseworker, citizen eller unknown)",
                                code="analysis-bad-speaker")
        before = self._state
        index = len(self._turns)
        turn = TurnText.from_doc(self.nlp(text or ""))
        if speaker == "caseworker":
            analysis = self._caseworker_turn(index, turn)
        else:
            if speaker == "citizen":
                self._revise_caseworker_turn(index, turn)
            self._open_caseworker = None
            analysis = self._citizen_turn(index, turn, speaker, asr)
            self._citizen_stems = (self._citizen_stems + [content_stems(turn)])[-CITIZEN_TURNS:]
        self._turns.append(analysis)
        self._state = self._build_state()
        changed = [name for name in ("call", "assessment", "suggestions", "coaching")
                   if getattr(before, name) != getattr(self._state, name)]
        return AnalysisUpdate(turn=analysis, call=self._state.call, assessment=self._state.assessment,
                              suggestions=self._state.suggestions, coaching=self._state.coaching, changed=changed)

    # --- per speaker -------------------------------------------------------------------------------------

    def _caseworker_turn(self, index: int, turn: TurnText) -> TurnAnalysis:
        opening = not any(t.speaker == "caseworker" for t in self._turns)
        read = read_question(turn, opening)
        question = decide_question(read, models_dir=self.options.models_dir)
        features = summary_features(turn, summary_score(turn, self._lemma_table), turn_index=index,
                                    citizen_stems=self._citizen_stems)
        summary = decide_summary(features, models_dir=self.options.models_dir)
        self._open_caseworker = _OpenCaseworkerTurn(index, read, features, question, summary)
        self._coaching.add_caseworker(turn, question, summary)
        self._barriers.update_caseworker(index, turn)
        self._threat.update_caseworker(index, turn)
        # The caseworker's framing ("din klage over ...") and summaries name points (the tracker picks those turns).
        last_citizen = next((t.index for t in reversed(self._turns) if t.speaker != "caseworker"), None)
        self._complaints.caseworker(index, turn, summary=summary, summary_of=last_citizen if summary else None)
        if summary:
            self._complaints.mark_summarised()
        self._advance_phase_caseworker(turn, question.question, summary, index)
        return TurnAnalysis(index=index, speaker="caseworker", question=question.question,
                            leading=question.leading, summary=summary)

    def _revise_caseworker_turn(self, index: int, reply: TurnText) -> None:
        """The citizen answered the caseworker's last turn: decide its question type and summary flag again with
        the reply, and where they change, correct the turn in the state and the coaching counts. The complaint
        points keep what the first decision told them, except that a summary confirmed now marks them summarised."""
        last = self._open_caseworker
        if last is None or last.index != index - 1:
            return
        question = decide_question(last.read, reply=reply, models_dir=self.options.models_dir)
        summary = decide_summary(summary_with_reply(last.summary_features, reply), models_dir=self.options.models_dir)
        if (question, summary) == (last.question, last.summary):
            return
        self._coaching.revise_caseworker(last.question, question, last.summary, summary)
        self._turns[last.index] = self._turns[last.index].model_copy(
            update={"question": question.question, "leading": question.leading, "summary": summary})
        if summary and not last.summary:
            self._complaints.mark_summarised()

    def _citizen_turn(self, index: int, turn: TurnText, speaker: Speaker, asr: AsrInfo | None) -> TurnAnalysis:
        foreign = foreign_spans(turn, self._lemma_table)
        lang = guess_language(turn, asr, self.options.barriers, foreign=foreign)
        broken = broken_danish_spans(turn, self._lemma_table) if lang == "da" else []
        self._barriers.update_citizen(index, turn, lang, len(broken), foreign=foreign, broken_words=broken)
        self._threat.update_citizen(index, turn)
        raised = self._complaints.update(index, turn, late=self._phase in ("agreement", "closing"))
        if raised and self._phase in ("opening", "summarising", "agreement"):
            self._phase = "exploring"
        open_points = sum(1 for p in self._complaints.points if not p.summarised)
        self._coaching.add_citizen(turn, raised, open_points)
        if speaker == "unknown":
            # Mono input: the speaker may be the caseworker, so no emotion is inferred (AI Act art. 5(1)(f)).
            question = classify_question(turn, models_dir=self.options.models_dir)
            return TurnAnalysis(index=index, speaker="unknown", question=question.question,
                                leading=question.leading, lang=lang)
        result = self._frustration(turn, lang, asr)
        level = result.level
        if self.backend is not None:
            level = max(level, self.backend.level(turn.text))
        if asr is not None and asr.avg_logprob is not None and asr.avg_logprob < self.options.low_confidence_logprob:
            level = min(level, 1) if not self._threat.threat else level
        self._abuse = any(c.label == "insult" for c in turn.cues_of("frustration"))
        self._last_frustration = level
        self._peak = max(self._peak, level)
        prev = self._curve[-1] if self._curve else 0.0
        alpha = self.options.curve_smoothing
        self._curve.append(round(alpha * level + (1 - alpha) * prev, 3))
        return TurnAnalysis(index=index, speaker="citizen", frustration=level, lang=lang,
                            evidence=result.evidence)

    def _frustration(self, turn: TurnText, lang: str, asr: AsrInfo | None) -> FrustrationResult:
        """The hand scorer's cues and parts, then the fitted model's level on them and the turn's n-grams."""
        hand = score_frustration(turn, self.options.frustration, previous_level=self._last_hand_level)
        context = TurnContext(previous_hand_level=self._last_hand_level, lang=lang, asr=asr,
                              low_confidence_logprob=self.options.low_confidence_logprob)
        self._last_hand_level = hand.level
        if not self.options.fitted_frustration:
            return hand
        model = load_model(FRUSTRATION_MODEL, self.options.models_dir)
        high = load_model(FRUSTRATION_HIGH_MODEL, self.options.models_dir)
        return decide_frustration(model, frustration_features(turn, hand, context), hand, turn, high)

    def _advance_phase_caseworker(self, turn: TurnText, question: str, summary: bool, index: int) -> None:
        closing = bool(turn.cues_of("phase", "closing")) and index >= 2
        agreement = bool(turn.cues_of("phase", "agreement"))
        if closing:
            self._phase = "closing"
        elif agreement and self._complaints.points:
            self._phase = "agreement"
        elif summary:
            self._phase = "summarising"
        elif self._phase == "opening" and (question == "open" or index >= 2):
            self._phase = "exploring"

    # --- call level ----------------------------------------------------------------------------------------

    def _build_state(self) -> CallResult:
        points = [p.model_copy() for p in self._complaints.points]
        flags: list[Flag] = [f.model_copy() for f in self._barriers.public_flags() + self._threat.public_flags()]
        kind = self._complaints.kind() if points else None
        signals = CallSignals(
            complaint_points=points,
            complaint_kind=kind,
            frustration_curve=list(self._curve),
            frustration_peak=self._peak,
            language_barrier=self._barriers.language_barrier,
            health_barrier=self._barriers.health_barrier,
            threat=self._threat.threat,
            representative=self._barriers.representative,
            phase=self._phase,
        )
        if kind in ("afgoerelse", "blandet"):
            decision_turns = [t for p in points if p.category == "afgoerelse" for t in p.turns]
            flags.append(Flag(kind="decision_complaint", evidence=[p.gist for p in points
                                                                   if p.category == "afgoerelse"],
                              turns=decision_turns))
        signals.flags = flags
        signals.method_suitable = method_suitable(signals)
        assessment = assess(signals, frustration_peak=self._peak)
        flag_names = {f.kind for f in flags}
        if len(points) >= 3:
            flag_names.add("many_points")
        ctx = SuggestionContext(phase=self._phase, points=points, last_frustration=self._last_frustration,
                                abuse=self._abuse, flags=flag_names, nudge=self._coaching.coaching.nudge is not None,
                                hidden=self._hidden)
        suggestions = build_suggestions(ctx, self.options.suggestions)
        return CallResult(turns=list(self._turns), call=signals, assessment=assessment, suggestions=suggestions,
                          coaching=self._coaching.coaching.model_copy())


def make_analyzer(options: AnalyzerOptions | None = None) -> CallAnalyzer:
    """Shorthand for :meth:`CallAnalyzer.create`."""
    return CallAnalyzer.create(options)
