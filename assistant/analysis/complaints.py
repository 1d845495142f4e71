"""Complaint points: the distinct things the citizen complains about, with category, gist and turns; repeats merge."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.analysis.text import FILLERS, Segment, TurnText
from assistant.analysis.types import ComplaintKind, ComplaintPoint

CATEGORIES = (
    "sagsbehandlingstid", "manglende_kontakt", "adfaerd", "afgoerelse", "information",
    "fejl", "oekonomi", "digital", "service", "andet",
)


@dataclass
class ComplaintOptions:
    """When a clause counts as a complaint point."""

    min_score: float = 2.0
    """Summed cue weight a clause needs for its best category to become (or add to) a point."""
    multiword_bonus: float = 0.3
    """Extra weight per extra word of a cue: phrases are more specific than single words."""
    gist_words: int = 16
    """Longest gist, in words."""


@dataclass
class _Candidate:
    category: str
    score: float
    segment: Segment
    anchor: int


@dataclass
class ComplaintTracker:
    """Collects complaint points turn by turn."""

    options: ComplaintOptions = field(default_factory=ComplaintOptions)
    points: list[ComplaintPoint] = field(default_factory=list)

    def update(self, index: int, turn: TurnText) -> bool:
        """Add the points raised in a citizen turn; return True when the list changed.

        Args:
            index: The turn's index in the call.
            turn: The parsed citizen turn.

        Returns:
            Whether a point was added or got a new turn.
        """
        changed = False
        for cand in self._candidates(turn):
            existing = None if cand.segment.enumerated else self._find(cand.category)
            if existing is None:
                gist = make_gist(turn, cand.segment, cand.anchor, self.options.gist_words)
                if cand.segment.enumerated and self._duplicate_gist(cand.category, gist):
                    continue
                self.points.append(ComplaintPoint(
                    point_id=f"p{len(self.points) + 1}", category=cand.category, gist=gist, turns=[index]))
                changed = True
            elif index not in existing.turns:
                existing.turns.append(index)
                changed = True
        return changed

    def mark_summarised(self) -> None:
        """The caseworker summed up: every point so far counts as summarised."""
        for point in self.points:
            point.summarised = True

    def kind(self) -> ComplaintKind:
        """formalitet (process only), afgoerelse (decision only) or blandet (both)."""
        cats = {p.category for p in self.points}
        if "afgoerelse" in cats:
            return "blandet" if len(cats) > 1 else "afgoerelse"
        return "formalitet"

    def _find(self, category: str) -> ComplaintPoint | None:
        for point in self.points:
            if point.category == category:
                return point
        return None

    def _duplicate_gist(self, category: str, gist: str) -> bool:
        from rapidfuzz import fuzz

        return any(p.category == category and fuzz.token_set_ratio(p.gist, gist) > 80 for p in self.points)

    def _candidates(self, turn: TurnText) -> list[_Candidate]:
        cues = turn.cues_of("complaint")
        out: list[_Candidate] = []
        seen_in_turn: set[str] = set()
        for seg in turn.segments:
            scores: dict[str, float] = {}
            anchors: dict[str, tuple[float, int]] = {}
            used: dict[str, set[int]] = {}
            for cue in sorted(cues, key=lambda c: -(c.end - c.start)):
                if cue.start < seg.start or cue.end > seg.end:
                    continue
                span = set(range(cue.start, cue.end))
                if span & used.setdefault(cue.label, set()):
                    continue
                used[cue.label] |= span
                weight = cue.weight + self.options.multiword_bonus * (cue.end - cue.start - 1)
                scores[cue.label] = scores.get(cue.label, 0.0) + weight
                if weight > anchors.get(cue.label, (0.0, 0))[0]:
                    anchors[cue.label] = (weight, cue.start)
            if not scores:
                continue
            best = max(scores, key=lambda c: (scores[c], -CATEGORIES.index(c)))
            if scores[best] < self.options.min_score:
                continue
            if not seg.enumerated and best in seen_in_turn:
                continue
            seen_in_turn.add(best)
            out.append(_Candidate(best, scores[best], seg, anchors[best][1]))
        return out


def make_gist(turn: TurnText, seg: Segment, anchor: int, max_words: int) -> str:
    """The citizen's own words around the strongest cue, without leading fillers."""
    start, end = seg.start, seg.end
    # Skip list markers ("et:", "punkt to", "for det første") and fillers at the start.
    while start < end and (turn.is_punct[start] or turn.lowers[start] in FILLERS
                           or turn.lowers[start] in {"punkt", "et", "to", "tre", "fire", "fem", "for", "det",
                                                     "første", "andet", "tredje", "fjerde", "femte"}
                           and start < anchor):
        start += 1
    if end - start > max_words:
        start = max(start, min(anchor - max_words // 3, end - max_words))
        end = min(end, start + max_words)
    return turn.span_text(start, end)
