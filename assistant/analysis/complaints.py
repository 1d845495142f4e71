"""Complaint points: the distinct things the citizen complains about, with category, gist and turns; repeats merge.

How points are found (the fitted model in :mod:`assistant.analysis.complaint_model`, rebuilt by `assistant train`):

- Every clause of a citizen turn, and of a caseworker turn that frames the complaint ("jeg ringer om din klage
  over ...") or sums it up, is scored: the probability of each category, or of "no complaint point here".
- Mentions of the same thing merge: a category is one point, and its best clause so far is its evidence (the
  gist, in the citizen's own words where a citizen clause scores well enough).
- A call-level model weighs, per category, the best clause, the runner-up, how many clauses and whose (citizen,
  caseworker framing or summary) into P(the call has this point); its threshold was chosen on writers the models
  were not fitted on. A point raised late, or played down first and insisted on later, counts once the clauses
  carry it: nothing is ever taken back.
- A call about a complaint (the caseworker opened, framed or summed it up) has at least one point: the category
  the call-level model finds likeliest is raised once its P(present) reaches
  :data:`~assistant.analysis.complaint_model.TOP_POINT_PROBABILITY`, and, like every raised point, stays. Until
  something is raised, the category of the first clause likeliest to be a point is shown as a provisional point
  once that clause reads as one; it does not flip, and it is the only point that can be replaced (by the first
  raised one; in the leave-one-writer-out replay 36 of 148 calls showed a point that later went, 48 before).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.analysis.complaint_model import (
    CATEGORIES,
    Clause,
    ClauseContext,
    call_categories,
    clause_category,
    clause_features,
    clause_scores,
    clauses,
    fallback_category,
    is_framing,
    kind_of,
    load_complaint_models,
    point_probability,
    presence,
    top_category,
)
from assistant.analysis.text import FILLERS, TurnText
from assistant.analysis.types import ComplaintKind, ComplaintPoint

__all__ = ["CATEGORIES", "ComplaintOptions", "ComplaintTracker", "make_gist"]


@dataclass
class ComplaintOptions:
    """Where the model comes from and how its evidence is shown."""

    gist_words: int = 16
    """Longest gist, in words."""
    citizen_gist_share: float = 0.5
    """A citizen clause gives the gist when it scores at least this share of the best clause's probability for
    the category (the citizen's own words are better evidence than the caseworker's recap)."""
    turn_probability: float = 0.5
    """A clause adds its turn to a point when it is that point's category with at least this P(point)."""


@dataclass
class _Scored:
    """A scored clause and where its point is attributed (a summary's clause to the citizen turn it sums up)."""

    item: Clause
    scores: dict[str, float]
    turn: int
    gist: str
    speaker: str
    top: tuple[str, float] = ("andet", 0.0)
    """The clause's most probable category and its P(point), computed once."""


class ComplaintTracker:
    """Collects complaint points turn by turn from the fitted clause and call-level models."""

    def __init__(self, options: ComplaintOptions | None = None, *, models_dir: Path | None = None) -> None:
        """Args:
            options: Evidence options.
            models_dir: Where `assistant train` wrote the complaint models; None: the ones the package ships.

        Raises:
            AnalysisError: when a model is missing or malformed (run `assistant train`).
        """
        self.options = options or ComplaintOptions()
        self.clause_model, self.call_model = load_complaint_models(models_dir)
        self._scored: list[_Scored] = []
        self._ids: dict[str, str] = {}
        self._summarised: set[str] = set()
        self._raised: set[str] = set()
        self._framed = False
        """The caseworker has opened, framed or summed up the complaint: the call is about one."""
        self._provisional: str | None = None
        """Until a point is raised: the category of the first clause in a call about a complaint that reads as a
        point (shown so the call has one; replaced by the first raised point unless that is the same)."""
        self.points: list[ComplaintPoint] = []

    def caseworker(self, index: int, turn: TurnText, *, summary: bool, summary_of: int | None = None) -> bool:
        """Score a caseworker turn that frames the complaint or sums it up (other caseworker turns are skipped).

        Args:
            index: The turn's index in the call.
            turn: The parsed caseworker turn.
            summary: Whether the turn sums up what the citizen said.
            summary_of: For a summary, the citizen turn it sums up: a point the summary names is attributed to it.

        Returns:
            Whether the list of points changed.
        """
        framing = is_framing(turn, index)
        if not (framing or summary):
            return False
        self._framed = True
        ctx = ClauseContext("caseworker", index, framing=framing, summary=summary)
        return self._score_turn(turn, ctx, attribute_to=summary_of if summary_of is not None else index)

    def update(self, index: int, turn: TurnText, *, late: bool = False) -> bool:
        """Score a citizen turn; return True when the list of points changed.

        Args:
            index: The turn's index in the call.
            turn: The parsed citizen turn.
            late: Unused by the fitted model (its position feature knows how far into the call the turn is);
                kept for callers of the earlier rule-based tracker.
        """
        del late
        return self._score_turn(turn, ClauseContext("citizen", index), attribute_to=index)

    def mark_summarised(self) -> None:
        """The caseworker summed up: every point so far counts as summarised."""
        for point in self.points:
            point.summarised = True
            self._summarised.add(point.category)

    def kind(self) -> ComplaintKind:
        """formalitet (process only), afgoerelse (decision only) or blandet (both)."""
        return kind_of([p.category for p in self.points])  # type: ignore[return-value]

    def strongest_features(self, category: str, k: int = 3) -> list[str]:
        """What drove a point: the features that pushed its best clause hardest towards its category."""
        best = self._best(category)
        return self.clause_model.top_features(best.item.features, k, cls=category) if best else []

    # --- internals ------------------------------------------------------------------------------------------

    def _score_turn(self, turn: TurnText, ctx: ClauseContext, *, attribute_to: int) -> bool:
        items = [clause_features(turn, seg, ctx) for seg in clauses(turn)]
        if not items:
            return False
        for item, scores in zip(items, clause_scores(self.clause_model, items)):
            gist = make_gist(turn, item, self.options.gist_words)
            top = (clause_category(scores), point_probability(scores))
            self._scored.append(_Scored(item, scores, attribute_to, gist, ctx.speaker, top))
        return self._rebuild()

    def _rebuild(self) -> bool:
        scores = [s.scores for s in self._scored]
        probs = presence(self.call_model, scores, [s.item for s in self._scored], [s.top for s in self._scored])
        threshold = self.call_model.thresholds.get("positive", 0.5)
        self._raised |= {c for c, p in probs.items() if p >= threshold}  # a point once raised stays on the list
        # Only a call about a complaint must have a point (small talk on its own raises none).
        top = top_category(probs, [s.top for s in self._scored]) if self._framed else None
        if top is not None:
            self._raised.add(top)
        # An item the citizen lists ("for det første ...", "punkt to ...") is a point by the citizen's own count
        # when its clause reads as one (hand rule over the fitted scores: the labelled calls hold too few lists).
        self._raised |= {s.top[0] for s in self._scored
                         if s.item.segment.enumerated and s.top[1] >= self.options.turn_probability}
        if self._provisional is None and self._framed:
            self._provisional = fallback_category(scores)  # chosen once: a provisional point does not flip
        present = [c for c in CATEGORIES if c in self._raised] or call_categories(probs, threshold, self._provisional)
        points = []
        for category in present:
            best = self._best(category)
            evidence = self._gist_evidence(category, best)
            turns = {s.turn for s in self._scored
                     if s.top[0] == category and s.top[1] >= self.options.turn_probability}
            point_id = self._ids.setdefault(category, f"p{len(self._ids) + 1}")
            points.append(ComplaintPoint(point_id=point_id, category=category, gist=evidence.gist,
                                         turns=sorted(turns | {best.turn, evidence.turn}),
                                         summarised=category in self._summarised))
        points.sort(key=lambda p: (p.turns[0], p.point_id))
        changed = [(p.category, p.turns) for p in points] != [(p.category, p.turns) for p in self.points]
        self.points = points
        return changed

    def _best(self, category: str, speaker: str | None = None) -> _Scored | None:
        pool = [s for s in self._scored if speaker is None or s.speaker == speaker]
        return max(pool, key=lambda s: s.scores.get(category, 0.0), default=None)

    def _gist_evidence(self, category: str, best: _Scored) -> _Scored:
        citizen = self._best(category, "citizen")
        share = self.options.citizen_gist_share * best.scores.get(category, 0.0)
        return citizen if citizen is not None and citizen.scores.get(category, 0.0) >= share else best


def make_gist(turn: TurnText, item: Clause, max_words: int) -> str:
    """The clause's own words without leading fillers, at most `max_words` words."""
    seg = item.segment
    start = seg.start
    while start < seg.end and (turn.is_punct[start] or turn.lowers[start] in FILLERS):
        start += 1
    end = seg.end
    words = 0
    for i in range(start, seg.end):
        words += not turn.is_punct[i]
        if words > max_words:
            end = i
            break
    return turn.span_text(start, end) or turn.span_text(seg.start, seg.end)
