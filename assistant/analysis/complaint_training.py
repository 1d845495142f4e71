"""The complaint-point trainer: labelled calls → clause examples with weak labels (category or none).

Registered with :mod:`assistant.analysis.training`, so `assistant train` fits it like every other model
(leave-one-writer-out threshold on P(point), then one fit on everything). :func:`call_scores` measures the
result the way a caseworker sees it: per call, the categories found.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from assistant.analysis.complaint_model import (
    CALL_MODEL_NAME,
    DECIDED,
    MODEL_NAME,
    NONE,
    Clause,
    ClauseContext,
    WeakLabelOptions,
    category_features,
    clause_features,
    clause_scores,
    clauses,
    is_framing,
    kind_of,
    weak_labels,
)
from assistant.analysis.fitted import FitOptions, fit_logistic
from assistant.analysis.training import Example, LabelledCall, Trainer, parse_turn, register_trainer


@dataclass
class CallClauses:
    """One labelled call as the tracker sees it: the clauses it scores, and the gold points."""

    call_id: str
    writer: str
    items: list[Clause]
    gold: list[tuple[str, str]]
    kind: str | None


def call_clauses(call: LabelledCall) -> CallClauses:
    """The clauses the live tracker would score (citizen turns; caseworker framing and summaries).

    Labels are read only for ``gold``; whether a caseworker turn is a summary is *detected*, as live.
    """
    from assistant.analysis.coaching import CoachingOptions, summary_score
    from assistant.analysis.pipeline import lemma_table

    table = lemma_table()
    threshold = CoachingOptions().summary_threshold
    items = []
    for index, raw in enumerate(call.turns):
        speaker = raw.get("speaker", "unknown")
        turn = parse_turn(raw.get("text") or "")
        if speaker == "caseworker":
            summary = summary_score(turn, table) >= threshold
            framing = is_framing(turn, index)
            if not (summary or framing):
                continue
            ctx = ClauseContext("caseworker", index, framing=framing, summary=summary)
        else:
            ctx = ClauseContext("citizen", index)
        items.extend(clause_features(turn, seg, ctx) for seg in clauses(turn))
    gold = [(p["category"], p.get("gist", "")) for p in call.labels.get("complaint_points", [])]
    return CallClauses(call.id, call.writer, items, gold, call.labels.get("complaint_kind"))


CLAUSE_OPTIONS = FitOptions(c=1.0, min_count=6)
"""A clause feature must occur in at least six weakly labelled clauses: rarer n-grams and lemmas mostly memorise
one writer's wording. Chosen by leave-one-writer-out on dev+train (`eval --lowo --lowo-model complaint_points
--lowo-model complaint_categories`, min_count 2 -> 6): on the writers' noisy copies count exact 0.459 -> 0.541
(four writers up, one down 0.04), category F1 0.720 -> 0.731; on the clean calls count exact 0.459 -> 0.480 (dev
up, two writers down), ±1 0.919 -> 0.926, category F1 0.746 -> 0.753, kind 0.804 -> 0.811. The model is also
smaller (9,231 features instead of 23,844). Stronger L2 instead (C 0.3) did not help."""
CALL_OPTIONS = FitOptions(c=1.0, min_count=1)


def clause_examples(parsed: list[CallClauses], options: WeakLabelOptions | None = None) -> list[Example]:
    """Clauses with a weak label (category or none); clauses the labels cannot decide are left out."""
    examples = []
    for call in parsed:
        for item, label in zip(call.items, weak_labels(call.items, call.gold, options)):
            if label is not None:
                examples.append(Example(item.features, label, call.writer))
    return examples


def complaint_examples(calls: list[LabelledCall]) -> list[Example]:
    """The clause model's examples."""
    return clause_examples([call_clauses(call) for call in calls])


def category_examples(calls: list[LabelledCall]) -> list[Example]:
    """One example per call and category: the category features over clause scores from a clause model fitted
    without that call's writer (so the call-level model learns how far to trust scores on unseen writers)."""
    parsed = [call_clauses(call) for call in calls]
    examples = []
    for writer in sorted({call.writer for call in parsed}):
        rest = clause_examples([call for call in parsed if call.writer != writer])
        if len({e.label for e in rest}) < 2:
            continue  # too little data without this writer to fit a clause model (tiny test sets)
        model = fit_logistic([e.features for e in rest], [e.label for e in rest], name=MODEL_NAME,
                             options=CLAUSE_OPTIONS)
        for call in parsed:
            if call.writer != writer:
                continue
            scores = clause_scores(model, call.items)
            gold = {category for category, _ in call.gold}
            examples.extend(Example(category_features(scores, call.items, c), c in gold, writer) for c in DECIDED)
    return examples


def call_scores(predicted: list[list[str]], calls: list[CallClauses]) -> dict:
    """Point count exact / within 1, category micro-F1 and kind accuracy (kind from the categories)."""
    exact = pm1 = tp = fp = fn = kind_ok = 0
    for cats, call in zip(predicted, calls):
        g, p = Counter(c for c, _ in call.gold), Counter(cats)
        exact += len(cats) == len(call.gold)
        pm1 += abs(len(cats) - len(call.gold)) <= 1
        t = sum((g & p).values())
        tp, fp, fn = tp + t, fp + sum(p.values()) - t, fn + sum(g.values()) - t
        kind_ok += kind_of(cats) == (call.kind or "formalitet")
    n = max(1, len(calls))
    prec, rec = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return {"count_exact": round(exact / n, 3), "count_within_1": round(pm1 / n, 3),
            "category_f1": round(2 * prec * rec / (prec + rec), 3) if prec + rec else 0.0,
            "kind_accuracy": round(kind_ok / n, 3), "calls": len(calls)}


register_trainer(Trainer(
    name=MODEL_NAME,
    examples=complaint_examples,
    positive=lambda label: label != NONE,
    options=CLAUSE_OPTIONS,
    description="Klagepunkter pr. sætningsled (kategori eller intet punkt): svage etiketter fra opkaldenes "
                "klagepunkter (ordoverlap med gist), tegn-n-gram, lemmaer, leksikon-cues, taler og placering; "
                "tærsklen for 'et punkt' er valgt på leave-one-writer-out.",
))
register_trainer(Trainer(
    name=CALL_MODEL_NAME,
    examples=category_examples,
    positive=bool,
    options=CALL_OPTIONS,
    description="Har opkaldet et klagepunkt i denne kategori: bedste og næstbedste sætningsled, antal, borger "
                "eller sagsbehandlerens ramme/opsummering; sætningsscorer fra modeller uden skribentens opkald; "
                "tærsklen valgt på leave-one-writer-out (max F1 = kategori-F1).",
))
