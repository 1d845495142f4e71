"""Find a flag's evidence in the transcript: the contiguous words of the turn it came from.

The analysis reports evidence as its tokens joined ("ved , hvor din kollega bor"); a person must see what
was said ("ved, hvor din kollega bor"), at the place it was said. So evidence is matched word by word,
ignoring punctuation and spacing between the words, and what is shown is the turn's own text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_WORD = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)")


@dataclass(frozen=True)
class Located:
    """Evidence found in a turn: character span [start, end) of the turn's text and that text."""

    turn_index: int
    start: int
    end: int
    text: str


def locate_in_text(text: str, evidence: str) -> tuple[int, int] | None:
    """The span of `text` whose words are the words of `evidence` in order (any punctuation between them)."""
    words = _WORD.findall(evidence or "")
    if not words:
        return None
    pattern = r"(?<!\w)" + r"\W+".join(re.escape(word) for word in words) + r"(?!\w)"
    found = re.search(pattern, text or "", re.IGNORECASE)
    return found.span() if found else None


def locate(evidence: str, turns: Iterable[tuple[int, str]]) -> Located | None:
    """The first of `turns` ((index, text), the flag's turns first) where `evidence` occurs as contiguous words."""
    for index, text in turns:
        span = locate_in_text(text, evidence)
        if span is not None:
            return Located(turn_index=index, start=span[0], end=span[1], text=text[span[0]:span[1]])
    return None


def readable(evidence: str) -> str:
    """Evidence as text when it cannot be located: no space before punctuation ("ved , hvor" → "ved, hvor")."""
    return re.sub(r"\s+([,.;:!?…])", r"\1", (evidence or "").strip())


def sentence_around(text: str, start: int, end: int) -> str:
    """The whole sentence(s) of `text` containing the span [start, end)."""
    begin = 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() <= start:
            begin = match.end()
    finish = len(text)
    for match in _SENTENCE_END.finditer(text):
        if match.end() >= end:
            finish = match.end()
            break
    return text[begin:finish].strip()
