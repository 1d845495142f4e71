"""A parsed turn: tokens, lemmas, cue matches and clause segments, independent of punctuation and case."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.analysis.lexicon import Cue

#: Words that open a clause in speech and carry no content (the next word is at "clause start").
FILLERS = frozenset(
    "øh øhm øhh hm hmm mm altså jamen men og ok okay ja jo nej nå nåh godt fint super tak hej og så "
    "well so and but okay yes".split()
)
#: Conjunctions where a long run of unpunctuated speech is split into segments.
SPLIT_WORDS = frozenset({"og", "men", "også", "så", "plus", "desuden", "derudover", "bagefter"})
NUMBER_WORDS = {
    "et": 1, "en": 1, "1": 1, "to": 2, "2": 2, "tre": 3, "3": 3, "fire": 4, "4": 4, "fem": 5, "5": 5,
    "seks": 6, "6": 6, "første": 1, "andet": 2, "anden": 2, "tredje": 3, "fjerde": 4, "femte": 5,
}


@dataclass
class Segment:
    """A run of tokens [start, end) that the analysis treats as one clause or listed item."""

    start: int
    end: int
    enumerated: bool = False


@dataclass
class TurnText:
    """One turn after the spaCy pipeline: what the rules need, detached from the Doc."""

    text: str
    tokens: list[str]
    lowers: list[str]
    lemmas: list[str]
    is_punct: list[bool]
    sentences: list[tuple[int, int]]
    cues: list[Cue]
    afinn: list[tuple[int, float]]
    punctuated: bool
    segments: list[Segment] = field(default_factory=list)

    @classmethod
    def from_doc(cls, doc) -> TurnText:
        from assistant.analysis.pipeline import token_forms

        forms = token_forms(doc)
        tokens = doc.user_data["borger_texts"]
        is_punct = [not any(ch.isalnum() for ch in tok) for tok in tokens]
        sentences = _sentences(doc, tokens)
        punctuated = any(tok in {".", "?", "!", ","} for tok in tokens)
        turn = cls(
            text=doc.text,
            tokens=tokens,
            lowers=[f[0] for f in forms],
            lemmas=[f[1] for f in forms],
            is_punct=is_punct,
            sentences=sentences,
            cues=list(doc._.cues or []),
            afinn=list(doc._.afinn or []),
            punctuated=punctuated,
        )
        turn.segments = turn._segment()
        return turn

    def cues_of(self, lexicon: str, label: str | None = None) -> list[Cue]:
        """The cues from one lexicon (optionally one label), longest first where they overlap."""
        return [c for c in self.cues if c.lexicon == lexicon and (label is None or c.label == label)]

    def span_text(self, start: int, end: int) -> str:
        """Surface text of tokens [start, end), without leading/trailing punctuation."""
        while start < end and self.is_punct[start]:
            start += 1
        while end > start and self.is_punct[end - 1]:
            end -= 1
        out = ""
        for i in range(start, end):
            tok = self.tokens[i]
            out += tok if (not out or self.is_punct[i] and tok not in "(\"'") else " " + tok
        return out

    def word_count(self) -> int:
        return sum(1 for p in self.is_punct if not p)

    def is_clause_start(self, index: int) -> bool:
        """True when only fillers/punctuation stand between a sentence start and token `index`."""
        sent_start = 0
        for start, end in self.sentences:
            if start <= index < end:
                sent_start = start
                break
        for i in range(index - 1, sent_start - 1, -1):
            if self.tokens[i] in {".", "?", "!", ":", ";", "—", "-"}:
                return True
            if self.is_punct[i] or self.lowers[i] in FILLERS:
                continue  # "Okay, så ..." - commas between fillers keep the clause start
            return False
        return True

    def _segment(self) -> list[Segment]:
        """Clauses: enumerated items ("et:", "for det første", "punkt to"), else sentences split when long."""
        enum_starts = self._enumeration_starts()
        if len(enum_starts) >= 2:
            bounds = [0] + enum_starts + [len(self.tokens)]
            segs = []
            for a, b in zip(bounds, bounds[1:]):
                if b > a:
                    segs.append(Segment(a, b, enumerated=a in enum_starts))
            return segs
        segs: list[Segment] = []
        for start, end in self.sentences or [(0, len(self.tokens))]:
            segs.extend(self._split_long(start, end))
        return segs

    def _split_long(self, start: int, end: int, max_len: int = 22) -> list[Segment]:
        if end - start <= max_len:
            return [Segment(start, end)]
        cut = None
        middle = (start + end) // 2
        for i in sorted(range(start + 6, end - 6), key=lambda i: abs(i - middle)):
            if self.lowers[i] in SPLIT_WORDS or self.is_punct[i]:
                cut = i
                break
        if cut is None:
            return [Segment(start, end)]
        return self._split_long(start, cut, max_len) + self._split_long(cut, end, max_len)

    def _enumeration_starts(self) -> list[int]:
        """Token indexes where a listed item starts: "et:", "to:", "for det første", "punkt tre"."""
        starts: list[int] = []
        n = len(self.tokens)
        for i, low in enumerate(self.lowers):
            if low in NUMBER_WORDS and i + 1 < n and self.tokens[i + 1] in {":", ")"}:
                starts.append(i)
            elif low == "punkt" and i + 1 < n and self.lowers[i + 1].rstrip(":.") in NUMBER_WORDS:
                starts.append(i)
            elif low == "for" and i + 2 < n and self.lowers[i + 1] == "det" and self.lowers[i + 2] in {
                "første", "andet", "tredje", "fjerde", "femte"}:
                starts.append(i)
            elif low == "og" and i + 1 < n and self.lowers[i + 1] in {"fire", "fem", "seks"} and (
                i + 2 < n and self.tokens[i + 2] in {",", ":"}):
                starts.append(i)
        return sorted(set(starts))


def _sentences(doc, tokens: list[str]) -> list[tuple[int, int]]:
    """Sentence spans from the sentencizer's boundaries without building Span objects."""
    if not tokens:
        return []
    starts = doc.user_data.get("borger_sent_starts")
    if starts is None:
        starts = [i for i, t in enumerate(doc) if i == 0 or t.is_sent_start]
    return list(zip(starts, starts[1:] + [len(tokens)]))
