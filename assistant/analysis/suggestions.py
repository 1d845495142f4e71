"""Suggestions worded from the templates in ``prompts/suggestions.toml``: summary, reflection, questions, guidance."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from assistant.analysis.types import ComplaintPoint, Suggestion
from assistant.errors import AnalysisError

NUMBER_WORDS_DA = {1: "én", 2: "to", 3: "tre", 4: "fire", 5: "fem", 6: "seks", 7: "syv", 8: "otte"}
#: First person in the citizen's words becomes second person in the caseworker's summary.
PERSON_SWAP = {"jeg": "du", "mig": "dig", "min": "din", "mit": "dit", "mine": "dine"}


def default_prompts_path() -> Path:
    from assistant.paths import PROMPTS_DIR

    return PROMPTS_DIR / "suggestions.toml"


@lru_cache(maxsize=4)
def load_templates(path: Path | None = None) -> dict:
    """Read the suggestion templates (cached).

    Args:
        path: The TOML file; ``prompts/suggestions.toml`` when None.

    Returns:
        The parsed TOML as a dict.

    Raises:
        AnalysisError: when the file is missing or not valid TOML.
    """
    path = path or default_prompts_path()
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise AnalysisError(f"Kan ikke læse forslagsskabeloner i {path}: {err}") from err


def second_person(text: str) -> str:
    """Turn the citizen's "jeg har ringet" into "du har ringet" for a summary ("I" for the municipality: "vi")."""
    return " ".join("vi" if w == "I" else PERSON_SWAP.get(w.lower(), w) for w in text.split())


@dataclass
class SuggestionContext:
    """What the suggestion rules look at."""

    phase: str
    points: list[ComplaintPoint]
    last_frustration: int
    abuse: bool
    flags: set[str]
    nudge: bool
    hidden: set[str] = field(default_factory=set)


@dataclass
class SuggestionOptions:
    """How many suggestions of each kind are shown at once."""

    max_questions: int = 2
    """Open questions offered at a time."""
    prompts_path: Path | None = None
    """Template file; ``prompts/suggestions.toml`` when None."""


def build_suggestions(ctx: SuggestionContext, options: SuggestionOptions | None = None) -> list[Suggestion]:
    """The suggestions that fit the call right now, guidance first.

    Args:
        ctx: Phase, points, frustration, flags and the ids the caseworker used or dismissed.
        options: Limits and the template file.

    Returns:
        Suggestions with stable ids (template id, plus the points for a summary).
    """
    opts = options or SuggestionOptions()
    tpl = load_templates(opts.prompts_path)
    out: list[Suggestion] = []
    for card in tpl.get("guidance", []):
        if card["flag"] in ctx.flags:
            out.append(Suggestion(suggestion_id=card["id"], kind="guidance", text=card["text"],
                                  reason=card["flag"]))
    if ctx.last_frustration >= 3:
        for card in tpl.get("deescalation", []):
            if card.get("requires_abuse") and not ctx.abuse:
                continue
            out.append(Suggestion(suggestion_id=card["id"], kind="deescalation", text=card["text"],
                                  reason="borgeren er meget vred"))
            break
    if ctx.last_frustration >= 2:
        latest = ctx.points[-1].category if ctx.points else None
        cards = [c for c in tpl.get("reflection", []) if ctx.last_frustration >= c.get("min_frustration", 2)]
        fitted = [c for c in cards if c.get("category") == latest] or [c for c in cards if "category" not in c]
        if fitted:
            out.append(Suggestion(suggestion_id=fitted[0]["id"], kind="reflection", text=fitted[0]["text"],
                                  reason="høj frustration"))
    summary = _summary(tpl, ctx)
    if summary is not None:
        out.append(summary)
    out.extend(_questions(tpl, ctx, opts.max_questions))
    return [s for s in out if s.suggestion_id not in ctx.hidden]


def _summary(tpl: dict, ctx: SuggestionContext) -> Suggestion | None:
    open_points = [p for p in ctx.points if not p.summarised]
    if not open_points or not (ctx.nudge or ctx.phase in {"exploring", "summarising"}):
        return None
    phrases = tpl.get("category_phrase", {})
    texts = tpl.get("texts", {})
    points = ctx.points
    items = [phrases.get(p.category, p.gist) for p in points]
    if len(items) > 1:
        joined = texts.get("many_joiner", ", ").join(items[:-1]) + texts.get("summary_joiner", " og ") + items[-1]
    else:
        joined = items[0]
    for card in tpl.get("summary", []):
        if card.get("min_points", 1) <= len(points) <= card.get("max_points", 99):
            text = card["text"].format(points=joined, count=NUMBER_WORDS_DA.get(len(points), str(len(points))),
                                       gist=second_person(points[-1].gist))
            ids = "+".join(p.point_id for p in points)
            return Suggestion(suggestion_id=f"{card['id']}:{ids}", kind="summary", text=text,
                              reason="opsummering af klagepunkterne")
    return None


def _questions(tpl: dict, ctx: SuggestionContext, limit: int) -> list[Suggestion]:
    categories = [p.category for p in reversed(ctx.points)]
    cards = [c for c in tpl.get("question", []) if ctx.phase in c.get("phases", [])]
    # Category-specific questions for the latest points first, then general ones for the phase.
    ranked = sorted(cards, key=lambda c: (categories.index(c["category"]) if c.get("category") in categories
                                          else (len(categories) if "category" not in c else 99)))
    out = []
    for card in ranked:
        if card.get("category") and card["category"] not in categories:
            continue
        if card["id"] in ctx.hidden:
            continue
        out.append(Suggestion(suggestion_id=card["id"], kind="question", text=card["text"],
                              reason=f"fase: {ctx.phase}"))
        if len(out) >= limit:
            break
    return out
