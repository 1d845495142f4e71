"""Complaint points: the distinct things the citizen complains about, with category, gist and turns; repeats merge.

How points are found, turn by turn:

- Evidence: cue phrases from ``data/complaint.jsonl`` summed per category; words one cue already explains are no
  evidence for another category (one span, one meaning), and weak background words never make a point alone.
- New points: a category with enough evidence in a citizen turn; each item of a list the citizen makes ("for det
  første ...", "punkt to ...", misheard numbers included) or opens with a spoken marker ("og en anden ting ...",
  "derudover ...") is its own point, also a second one of the same category.
- Repeats and elaborations: more evidence for a category that has a point adds the turn to that point. Weak
  evidence becomes a point when the caseworker names the category (opening, summary), when the citizen comes back
  to it in another turn in a complaining tone, or when a summary names its object in other words; a summary
  alone adds a point only on strong evidence and only where it does not recap a point already made.
- Withdrawals: "det er jo ikke jeres skyld", "det er ikke det jeg klager over" drop what was just talked about,
  unless a summary put it on record or the citizen raised it more than once.
"""

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
    """Summed cue weight a turn needs for a category to become (or add to) a point on the citizen's words alone."""
    supported_score: float = 1.6
    """Lower bar when the caseworker named the same category (opening or summary): the point is corroborated."""
    recap_score: float = 2.4
    """Evidence a caseworker summary needs to add a point the citizen's (transcribed) words did not show."""
    late_score: float = 2.6
    """Higher bar once the call has moved to agreement or closing (new topics there are rarely complaints)."""
    multiword_bonus: float = 0.3
    """Extra weight per extra word of a cue: phrases are more specific than single words."""
    weak_cap: float = 0.6
    """Most that weak cues (weight below 1) add to a category in one turn."""
    gist_words: int = 16
    """Longest gist, in words."""
    item_min_words: int = 4
    """A listed item ("for det tredje ...", "punkt fire ...") this long is a point even on weak cues alone."""


@dataclass
class _Candidate:
    category: str
    score: float
    segment: Segment
    anchor: int
    tone: bool = False
    """The turn sounds like a complaint: a negation, negative words or frustration cues."""
    words: frozenset[str] = frozenset()
    """What the clause is about: its content words outside the cue phrases (see :func:`content_words`)."""


@dataclass
class ComplaintTracker:
    """Collects complaint points turn by turn."""

    options: ComplaintOptions = field(default_factory=ComplaintOptions)
    points: list[ComplaintPoint] = field(default_factory=list)
    supported: set[str] = field(default_factory=set)
    pending: list[tuple[int, _Candidate, str]] = field(default_factory=list)
    recapped: set[str] = field(default_factory=set)
    """Categories a caseworker summary has named (the citizen's point is on record)."""

    def support(self, turn: TurnText, *, summary_of: int | None = None) -> bool:
        """A caseworker turn that names categories (opening, summary) corroborates weaker citizen evidence.

        Args:
            turn: The caseworker turn.
            summary_of: For a summary, the index of the citizen turn it sums up: a category the summary names
                strongly, with no point yet, becomes a point from that turn (transcripts lose the citizen's words
                more often than the caseworker's recap).

        Returns:
            Whether points were added by it.
        """
        scored = self._score(category_cues(turn))
        new = {cat for cat, (score, _) in scored.items() if score >= self.options.supported_score}
        self.supported |= new
        changed = False
        for index, cand, gist in list(self.pending):
            if cand.category in self.supported:
                self.pending.remove((index, cand, gist))
                changed |= self._add(index, cand, gist)
        if summary_of is not None and self.pending:
            changed |= self._echoed(turn)
        if summary_of is not None:
            self.recapped |= new
            for cat, (score, anchor) in scored.items():
                if score >= self.options.recap_score and self._find(cat) is None:
                    seg = next((s for s in turn.segments if s.start <= anchor < s.end), turn.segments[0])
                    gist = make_gist(turn, seg, anchor, self.options.gist_words)
                    cand = _Candidate(cat, score, Segment(seg.start, seg.end), anchor)
                    changed |= self._add(summary_of, cand, gist)
        return changed

    def update(self, index: int, turn: TurnText, *, late: bool = False) -> bool:
        """Add the points raised in a citizen turn; return True when the list changed.

        Args:
            index: The turn's index in the call.
            turn: The parsed citizen turn.
            late: The call is in agreement or closing: a higher bar for new points.

        Returns:
            Whether a point was added or got a new turn.
        """
        changed = False
        tone = complaint_tone(turn)
        disclaimed = self._disclaimed(turn)
        if disclaimed:
            # "Det er jo ikke jeres skyld", "det er ikke det jeg klager over": what the citizen just talked
            # about is no complaint point, unless a caseworker summary already put it on record.
            # A point the citizen raised in several turns is insisted on, not withdrawn.
            kept = [p for p in self.points
                    if p.category not in disclaimed or p.category in self.recapped or len(p.turns) > 1]
            changed = len(kept) != len(self.points)
            self.points = kept
            self.pending = [p for p in self.pending if p[1].category not in disclaimed]
        cues = category_cues(turn)
        for cand in self._candidates(turn):
            if cand.category in disclaimed:
                continue
            cand.tone = tone
            cand.words = content_words(turn, cand.segment, cues)
            gist = make_gist(turn, cand.segment, cand.anchor, self.options.gist_words)
            known = self._find(cand.category) is not None
            bar = self.options.late_score if late and not known else self.options.min_score
            if cand.score < bar and not cand.segment.enumerated:
                if cand.category in self.supported or known:
                    changed |= self._add(index, cand, gist)
                elif not late:
                    earlier = [p for p in self.pending if p[1].category == cand.category and p[0] != index]
                    if earlier and (cand.tone or any(p[1].tone for p in earlier)):
                        # The citizen came back to it in another turn, once at least in a complaining tone:
                        # a point said twice is a point (a topic word said twice in passing is not).
                        first = earlier[0]
                        self.pending = [p for p in self.pending if p[1].category != cand.category]
                        changed |= self._add(first[0], first[1], first[2])
                        changed |= self._add(index, cand, gist)
                    else:
                        self.pending.append((index, cand, gist))
                continue
            changed |= self._add(index, cand, gist)
        return changed

    def _echoed(self, summary: TurnText) -> bool:
        """A summary that names the object of a weak point ("sundhedskortet") puts it on record, whatever words
        it uses for the trouble, unless that part of the summary recaps a point already made."""
        cues = category_cues(summary)
        changed = False
        for index, cand, gist in list(self.pending):
            for seg in summary.segments:
                if not cand.words & content_words(summary, seg, cues):
                    continue
                named = self._score([c for c in cues if seg.start <= c.start and c.end <= seg.end])
                if any(self._find(cat) is not None for cat, (score, _) in named.items()
                       if score >= self.options.supported_score):
                    continue  # the caseworker is summing up another point that shares the object
                self.pending.remove((index, cand, gist))
                changed |= self._add(index, cand, gist)
                break
        return changed

    def _disclaimed(self, turn: TurnText) -> set[str]:
        """Categories talked about in the clause of a disclaimer and the clause before it."""
        marks = turn.cues_of("complaint", DISCLAIMER)
        if not marks:
            return set()
        cues = category_cues(turn)
        out: set[str] = set()
        for mark in marks:
            k = next((i for i, s in enumerate(turn.segments) if s.start <= mark.start < s.end), 0)
            lo, hi = turn.segments[max(0, k - 1)].start, turn.segments[k].end if turn.segments else len(turn.tokens)
            out |= set(self._score([c for c in cues if lo <= c.start and c.end <= hi]))
        return out

    def _add(self, index: int, cand: _Candidate, gist: str) -> bool:
        existing = None if cand.segment.enumerated else self._find(cand.category)
        if existing is None:
            if cand.segment.enumerated and self._duplicate_gist(cand.category, gist):
                return False
            self.points.append(ComplaintPoint(
                point_id=f"p{len(self.points) + 1}", category=cand.category, gist=gist, turns=[index]))
            self.points.sort(key=lambda p: p.turns[0])
            return True
        if index not in existing.turns:
            existing.turns.append(index)
            existing.turns.sort()
            return True
        return False

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
        """Categories raised in the turn: per listed item when the citizen enumerates, else per turn.

        Evidence is summed over the whole turn (spoken complaints spread over several clauses); weak cues
        (weight < 1) add at most ``weak_cap`` per category so that background words alone never make a point.
        """
        cues = category_cues(turn)
        items = list_items(turn)
        if not items:
            return self._unlisted(turn, cues, Segment(0, len(turn.tokens)))
        out = []
        for seg in items:
            inside = [c for c in cues if seg.start <= c.start and c.end <= seg.end]
            if not seg.enumerated:
                out.extend(self._unlisted(turn, inside, seg))  # the words before the first marker
                continue
            scored = self._score(inside, weak_only=True)
            # A listed item is a point by the citizen's own count, even on weak words, unless it praises. After
            # a spoken marker ("og en anden ting ...") weak words count only in a complaining tone, and an item
            # without any complaint word may be a question or small talk: no point.
            spoken = _spoken_marker_at(turn, seg.start)
            listed = _words(turn, seg) >= self.options.item_min_words and not _praises(turn, seg) and (
                not spoken or complaint_tone(turn, seg))
            if scored:
                best = max(scored, key=lambda c: (scored[c][0], -CATEGORIES.index(c)))
                if scored[best][0] >= self.options.supported_score or listed:
                    out.append(_Candidate(best, scored[best][0], seg, scored[best][1]))
            elif listed and not spoken and complaint_tone(turn, seg):
                # Listed, in a complaining tone, but in words no lexicon knows: still a point, category left open.
                out.append(_Candidate("andet", 0.0, seg, _after_marker(turn, seg)))
        return out

    def _unlisted(self, turn: TurnText, cues, span: Segment) -> list[_Candidate]:
        """Every category with enough evidence in an unlisted stretch, anchored in the clause of its best cue."""
        out = []
        scored = self._score(cues)
        for cat, (score, anchor) in sorted(scored.items(), key=lambda kv: -kv[1][0]):
            if score >= self.options.supported_score:
                seg = next((s for s in turn.segments if s.start <= anchor < s.end), span)
                seg = Segment(max(seg.start, span.start), min(seg.end, span.end))
                out.append(_Candidate(cat, score, seg, anchor))
        return out

    def _score(self, cues, *, weak_only: bool = False) -> dict[str, tuple[float, int]]:
        """Per category: summed weight (longest cue first, no overlaps) and the position of its strongest cue.

        Only categories with at least one strong cue count, unless ``weak_only`` (a listed item) lets weak ones in.
        """
        strong: dict[str, float] = {}
        weak: dict[str, float] = {}
        anchors: dict[str, tuple[float, int]] = {}
        used: dict[str, set[int]] = {}
        taken: list[tuple[int, int]] = []
        bonus = self.options.multiword_bonus
        # Strong cues first (a weak background word never hides one), then the longest, then the heaviest.
        for cue in sorted(cues, key=lambda c: (c.weight < 1.0, -(c.end - c.start), -c.weight)):
            span = set(range(cue.start, cue.end))
            if span & used.setdefault(cue.label, set()):
                continue
            if any(a <= cue.start and cue.end <= b for a, b in taken):
                # One span, one meaning: words another category's cue already covers (the same or a longer
                # phrase, weighed first) are not evidence for a second category.
                continue
            used[cue.label] |= span
            taken.append((cue.start, cue.end))
            weight = cue.weight + bonus * (cue.end - cue.start - 1)
            if cue.weight < 1.0:
                weak[cue.label] = weak.get(cue.label, 0.0) + weight
            else:
                strong[cue.label] = strong.get(cue.label, 0.0) + weight
            if weight > anchors.get(cue.label, (0.0, 0))[0]:
                anchors[cue.label] = (weight, cue.start)
        return {cat: (strong.get(cat, 0.0) + min(self.options.weak_cap, weak.get(cat, 0.0)), anchors[cat][1])
                for cat in anchors if cat in strong or weak_only}


#: Lexicon label of "this is not a complaint" phrases ("det er ikke jeres skyld"); not a category.
DISCLAIMER = "ikke_klage"
_CATEGORY_SET = frozenset(CATEGORIES)


def category_cues(turn: TurnText) -> list:
    """The turn's complaint cues that name a category (not the disclaimers)."""
    return [c for c in turn.cues_of("complaint") if c.label in _CATEGORY_SET]


#: Shortest word taken as naming what a complaint is about.
CONTENT_MIN_LEN = 7
#: Long words that say nothing about what a complaint is about.
_NOT_CONTENT = frozenset("""
altså bare noget nogen nogle ingen ingenting ikke aldrig fordi sådan meget rigtig rigtigt egentlig stadig allerede
kommunen kommune derfor måske hvordan hvorfor hvilken hvilke hvornår forstår forstå forstået sagde siger sige synes
tænker tænkte gerne kunne skulle ville havde været blevet bliver blive kommer kommet komme fået andre anden andet
mange første efter under sammen endnu igen hinanden okay præcis lige nemlig faktisk simpelthen virkelig hele tiden
januar februar marts april august september oktober november december mandag tirsdag onsdag torsdag fredag lørdag
søndag morgen aften formiddag eftermiddag dagen ugen måned måneden måneder uger timer år året gange ting tingen
spørge spurgte snakke snakket talte talt fortælle fortalte ringe ringede ringet skrive skrev skrevet
selvfølgelig overhovedet forskellige forskellig ligesom desværre alligevel efterhånden sommetider nødvendigvis
tilsyneladende ordentligt ordentlig øjeblikket øjeblik derovre derinde herinde derhenne udenfor indenfor
""".split())


def content_words(turn: TurnText, seg: Segment, cues) -> frozenset[str]:
    """Lemmas of the long words in a segment outside cue phrases and common words: what it is about.

    Long words in Danish are mostly nouns and compounds ("sundhedskortet", "praktikpladsen"), the words that
    name the object of a complaint; the short and common ones say little about it.
    """
    covered = {i for c in cues if c.start < seg.end and c.end > seg.start for i in range(c.start, c.end)}
    return frozenset(turn.lemmas[i] for i in range(seg.start, seg.end)
                     if i not in covered and len(turn.lowers[i]) >= CONTENT_MIN_LEN and turn.lowers[i].isalpha()
                     and turn.lowers[i] not in _NOT_CONTENT and turn.lemmas[i] not in _NOT_CONTENT)


NEGATIONS = frozenset({"ikke", "ik", "ikk", "aldrig", "ingen", "intet", "ingenting", "hverken", "not", "no", "never"})


def complaint_tone(turn: TurnText, seg: Segment | None = None) -> bool:
    """Whether the turn (or one segment of it) sounds like a complaint: a negation, a negative AFINN sum or a
    frustration cue."""
    a, b = (seg.start, seg.end) if seg is not None else (0, len(turn.lowers))
    return (any(w in NEGATIONS for w in turn.lowers[a:b]) or sum(s for i, s in turn.afinn if a <= i < b) < 0
            or any(c.lexicon in ("frustration", "negative") and a <= c.start < b for c in turn.cues))


#: Ordinals that open a listed item after "(for) det": "for det andet", "det tredje".
ORDINALS = frozenset({"første", "andet", "anden", "tredje", "fjerde", "femte", "sjette", "syvende"})


def list_items(turn: TurnText) -> list[Segment]:
    """The turn cut at its list markers when the citizen enumerates, else [].

    Besides the clean markers the parser finds ("et:", "punkt to", "for det første"), transcripts keep
    "det tredje" without "for" and "punkt" with a misheard number; they count once the turn has two markers.
    A spoken new-point marker at a clause start ("og en anden ting ...", "derudover ...") counts on its own.
    The words before the first marker form an unlisted segment.
    """
    lowers = turn.lowers
    starts = {seg.start for seg in turn.segments if seg.enumerated}
    punkt = lowers.count("punkt")
    spoken = False
    for i, word in enumerate(lowers):
        if word == "punkt" and punkt >= 2 and i + 1 < len(lowers):
            starts.add(i)
        elif word in ORDINALS and i >= 1 and lowers[i - 1] == "det":
            starts.add(i - 2 if i >= 2 and lowers[i - 2] == "for" else i - 1)
        for marker in _MARKERS_BY_FIRST.get(word, ()):
            if tuple(lowers[i:i + len(marker)]) == marker and _clause_start(turn, i) and (
                    len(lowers) - i - len(marker) >= 3):
                starts.add(i)
                spoken = True
    if not spoken and len(starts) < 2:
        return []
    bounds = sorted(starts)
    items = [Segment(0, bounds[0])] if bounds[0] > 0 else []
    for a, b in zip(bounds, bounds[1:] + [len(lowers)]):
        items.append(Segment(a, b, enumerated=True))
    return items


#: How a citizen opens a further point in speech ("og en anden ting ...", "derudover ..."): a listed item.
NEW_POINT_MARKERS = tuple(tuple(m.split()) for m in (
    "en anden ting", "anden ting", "noget andet", "en ting mere", "en ting til", "derudover", "desuden",
    "udover det", "ud over det", "oven i det", "oveni det", "oven i købet", "og endelig", "sidst men ikke mindst",
    "så er der også", "så var der også", "der er også det med", "det næste er",
))
_MARKERS_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _marker in NEW_POINT_MARKERS:
    _MARKERS_BY_FIRST.setdefault(_marker[0], []).append(_marker)
_CLAUSE_OPENERS = frozenset({"og", "så", "men", "også", "plus"})


def _spoken_marker_at(turn: TurnText, i: int) -> bool:
    """Whether a spoken new-point marker ("en anden ting", "derudover") starts at token i."""
    lowers = turn.lowers
    return i < len(lowers) and any(tuple(lowers[i:i + len(m)]) == m for m in _MARKERS_BY_FIRST.get(lowers[i], ()))


def _clause_start(turn: TurnText, i: int) -> bool:
    """Token i opens a clause: the turn's start, or right after punctuation, a conjunction or a filler."""
    return i == 0 or turn.is_punct[i - 1] or turn.lowers[i - 1] in _CLAUSE_OPENERS or turn.lowers[i - 1] in FILLERS


def _praises(turn: TurnText, seg: Segment) -> bool:
    """Clearly positive words (AFINN sum of 2 or more) and no negation: a thank-you, not a complaint."""
    return (sum(score for i, score in turn.afinn if seg.start <= i < seg.end) >= 2
            and not any(w in NEGATIONS for w in turn.lowers[seg.start:seg.end]))


def _words(turn: TurnText, seg: Segment) -> int:
    return sum(1 for p in turn.is_punct[seg.start:seg.end] if not p)


GIST_BREAKS = frozenset({",", ";", ":", ".", "!", "?", "men", "og", "så", "fordi", "hvor"})


def make_gist(turn: TurnText, seg: Segment, anchor: int, max_words: int) -> str:
    """The citizen's own words of the clause around the strongest cue, without leading fillers.

    A listed item starts after its marker ("for det andet", "punkt tre"); otherwise the gist starts at the nearest
    clause break (comma, "men", "og", "fordi" ...) before the cue, at most a few words back. It runs for at most
    `max_words` words within the segment and does not end on a dangling conjunction.
    """
    start = seg.start
    if seg.enumerated:
        start = _after_marker(turn, seg)
    if not seg.enumerated or anchor - start >= max_words - 2:
        for i in range(anchor - 1, max(start, anchor - 7) - 1, -1):
            if turn.lowers[i] in GIST_BREAKS:
                start = i + 1
                break
        else:
            # No clause break near the cue: the whole clause when it is short enough, else the words just before.
            start = start if anchor - start <= max_words - 4 else max(start, anchor - 6)
    while start < anchor and (turn.is_punct[start] or turn.lowers[start] in FILLERS
                              or turn.lowers[start] in {"punkt", "et", "to", "tre", "fire", "fem", "for", "det",
                                                        "første", "andet", "tredje", "fjerde", "femte"}
                              and start + 1 < anchor and turn.lowers[start + 1] in {
                                  ":", "det", "første", "andet", "tredje", "fjerde", "femte", "et", "to", "tre"}):
        start += 1
    end = min(seg.end, start + max_words)
    for i in range(anchor + 1, end):
        if turn.tokens[i] in {".", "!", "?"}:
            end = i
            break
    if sum(1 for p in turn.is_punct[start:end] if not p) < 5:
        # A very short clause ("the money.", "udsat ja.") says little: continue into what follows.
        end = min(len(turn.tokens), start + max_words)
    while end - start > 1 and (turn.is_punct[end - 1] or turn.lowers[end - 1] in GIST_BREAKS
                               or turn.lowers[end - 1] in FILLERS):
        end -= 1
    return turn.span_text(start, end)


def _after_marker(turn: TurnText, seg: Segment) -> int:
    """First token of a listed item after its marker: "for det andet", "det tredje", "punkt fire", "to:"."""
    lowers, i, end = turn.lowers, seg.start, seg.end
    while i < end and (turn.is_punct[i] or lowers[i] in FILLERS):
        i += 1
    if i < end and lowers[i] == "punkt":
        i += 2  # "punkt" and its (possibly misheard) number
    elif i + 1 < end and turn.tokens[i + 1] in {":", ")"}:
        i += 1
    else:
        if i < end and lowers[i] == "for":
            i += 1
        if i + 1 < end and lowers[i] == "det" and lowers[i + 1] in ORDINALS:
            i += 2
    for marker in NEW_POINT_MARKERS:
        if tuple(lowers[i:i + len(marker)]) == marker:
            i += len(marker)
            if i < end and lowers[i] in {"er", "var"}:
                i += 1
                if i < end and lowers[i] in {"at", "det"}:
                    i += 1
            break
    while i < end and (turn.is_punct[i] or lowers[i] in FILLERS):
        i += 1
    return min(i, end - 1) if end > seg.start else seg.start
