"""Fitted complaint points: a clause model (which category, or none) and a call-level model per category.

Why this shape: the labelled calls name points per CALL (category + gist), not per clause, and categories almost
never repeat within a call (5 of 148 calls in dev/train). So

- clauses get *weak* labels (:func:`weak_labels`): a clause whose content words overlap a gist of its call is an
  example of that gist's category; a citizen clause whose lexicon cues vote for one of the call's labelled
  categories is one too (the lexicon votes, the call's labels decide); a clause that shares nothing with any
  gist is an example of "none"; clauses in between are left out of the fit;
- one multinomial logistic regression over char n-grams, lemmas, lexicon cues (as features, weighed by the fit),
  speaker, framing/summary and position scores every clause of the citizen and of the caseworker's framing and
  summaries (``complaint_points``);
- per category, a small logistic regression over the call's clause scores so far (best, runner-up, how many,
  whose) gives P(the call has this point) (``complaint_categories``); its threshold is chosen on writers the
  models were not fitted on, and its inputs come from clause models fitted without the writer.

Tried and left out (leave-one-writer-out on dev+train, clause and call models refitted without the writer): a
call-level count model (ordinal P(count >= k) from how many categories pass several levels, citizen turns with
points, listing words such as "for det første", "derudover", "to ting", call length) with the top-k categories by
P(present): count exact 0.46 against 0.47 for the threshold at the end of the call, worse live; a second-pass model
per category over its rank among the call's categories; taking round(sum of P(present)) categories; a stronger
clause regularisation (C 0.3). None beat the per-category threshold: the count follows from the categories.

Tried for the complaint kind and left out (same protocol; before: category F1 0.747, kind 0.811, count exact
0.466, ±1 0.926 clean; 0.734 / 0.764 / 0.534 / 0.892 on the writers' noisy copies; the shipped threshold):
- per category, how many caseworker and citizen clauses name a decision (afgørelse, afslag, bevilling,
  tilbagebetaling, uenig, vurdering, ankestyrelse, partshøring ... as substrings, so compounds count) as
  call-model features: clean 0.747 / 0.804 / 0.473 / 0.899, noisy 0.738 / 0.777 / 0.473 / 0.899;
- the same with the caseworker's clauses only (the framing "din klage over afgørelsen"): clean 0.749 / 0.811 /
  0.486 / 0.905, noisy 0.745 / 0.797 / 0.493 / 0.905; three writers up and two down on category F1, ±1 down;
- the lexicon vote of :func:`weak_labels` also for the caseworker's framing clauses (so "din klage over
  afslaget" becomes an example of the call's decision point): clean 0.752 / 0.804 / 0.486 / 0.919, noisy 0.724 /
  0.730 / 0.500 / 0.892 (noisy kind down in two writers, up in none);
- in a replay of the out-of-writer presence probabilities (adding "afgoerelse" at the end of the call): a lower
  bar for "afgoerelse" alone (0.5 to 0.1 against 0.715) loses kind at every level (0.696 at 0.5: the model
  gives "afgoerelse" 0.6-0.9 in process-only calls and 0.24-0.57 in the decision calls it misses); a separate
  call-level "has a decision point" regression over the category probabilities and decision-word counts, 0.784
  to 0.824 kind depending on C and threshold, with count exact down; a higher bar for the other categories when
  "afgoerelse" is present, at best 0.818 kind with exact unchanged, within noise.
The misses are decision calls the clause model reads as fejl, information or oekonomi (the citizen tells the
story of the decision in everyday words): a call-level rule cannot recover what the clause scores lack.
Per-category thresholds were not tried: with 10-60 labelled points per category (one "andet") a threshold per
category is chosen on a handful of calls; the ``cat=`` features already let the fit set each category's bar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.analysis.fitted import FittedModel, char_ngrams
from assistant.analysis.text import FILLERS, Segment, TurnText
from assistant.vocabulary import COMPLAINT_CATEGORIES

CATEGORIES: tuple[str, ...] = tuple(COMPLAINT_CATEGORIES)
"""The categories in the vocabulary's order (the order breaks ties between equally probable categories)."""
NONE = "none"
CLASSES = (NONE, *CATEGORIES)

NEGATIONS = frozenset({"ikke", "ik", "ikk", "aldrig", "ingen", "intet", "ingenting", "hverken"})


@dataclass(frozen=True)
class ClauseContext:
    """Where a clause was said: by whom, in which kind of turn, how far into the call."""

    speaker: str
    """"citizen" or "caseworker" (only the caseworker's framing and summaries are scored)."""
    turn_index: int
    framing: bool = False
    """A caseworker turn that names the complaint ("jeg ringer om din klage over ...")."""
    summary: bool = False
    """A caseworker turn that sums up what the citizen said."""


@dataclass
class Clause:
    """One scored clause: its tokens in the turn, surface text and named features."""

    segment: Segment
    text: str
    features: dict[str, float]


def is_framing(turn: TurnText, turn_index: int) -> bool:
    """A caseworker turn that names the complaint: the opening turns, or "din klage over ..." anywhere."""
    return turn_index <= 2 or bool(turn.cues_of("phase", "complaint_ref")) or bool(turn.cues_of("phase", "opening"))


def clauses(turn: TurnText) -> list[Segment]:
    """The turn's clauses with at least two words (fillers alone say nothing)."""
    out = []
    for seg in turn.segments or [Segment(0, len(turn.tokens))]:
        words = [turn.lowers[i] for i in range(seg.start, seg.end) if not turn.is_punct[i]]
        if sum(1 for w in words if w not in FILLERS) >= 2:
            out.append(seg)
    return out


def clause_features(turn: TurnText, seg: Segment, ctx: ClauseContext) -> Clause:
    """Text and structured features of one clause (lexicon cues enter as features, not as decisions)."""
    words = [turn.lowers[i] for i in range(seg.start, seg.end) if not turn.is_punct[i]]
    lemmas = [turn.lemmas[i] for i in range(seg.start, seg.end) if not turn.is_punct[i]]
    spk = "cw" if ctx.speaker == "caseworker" else "ci"
    feats: dict[str, float] = {f"speaker={spk}": 1.0}
    if ctx.framing:
        feats["framing"] = 1.0
    if ctx.summary:
        feats["summary"] = 1.0
    feats[f"position={min(ctx.turn_index // 4, 3)}"] = 1.0
    for cue in turn.cues_of("complaint"):
        inside = seg.start <= cue.start < seg.end
        key = f"cue={cue.label}" if inside else f"turn_cue={cue.label}"
        feats[key] = feats.get(key, 0.0) + cue.weight
        if inside:
            feats[f"{spk}_cue={cue.label}"] = feats.get(f"{spk}_cue={cue.label}", 0.0) + cue.weight
    if any(w in NEGATIONS for w in words):
        feats["negation"] = 1.0
    afinn = sum(s for i, s in turn.afinn if seg.start <= i < seg.end)
    if afinn < 0:
        feats["afinn_negative"] = min(1.0, -afinn / 4)
    if any(c.lexicon in ("frustration", "negative") and seg.start <= c.start < seg.end for c in turn.cues):
        feats["negative_cue"] = 1.0
    feats[f"length={min(len(words) // 6, 3)}"] = 1.0
    stop = _stop_words()
    for lemma in lemmas:
        if len(lemma) >= 3 and lemma not in stop:
            feats[f"lem:{lemma}"] = 1.0
    text = " ".join(words)
    feats.update(char_ngrams(text))
    return Clause(segment=seg, text=text, features=feats)


#: Categories the call-level model decides (too few "andet" points were labelled to learn it: 3 in 148 calls).
DECIDED = tuple(c for c in CATEGORIES if c != "andet")


def category_features(scores: list[dict[str, float]], items: list[Clause], category: str,
                      tops: list[tuple[str, float]] | None = None) -> dict[str, float]:
    """How strongly a call's clauses so far speak for one category: the call-level model's input.

    The best clause, the runner-up, how many clauses and whose (citizen or caseworker framing/summary): a point
    insisted on, or named by the caseworker too, is surer than one word in passing; the lexicon cues for the
    category over the call; ``cat=`` features let the fit set each category's own bar. ``tops`` (each clause's category and P(point)) saves recomputing them.
    """
    tops = tops if tops is not None else [(clause_category(row), point_probability(row)) for row in scores]
    column = [row.get(category, 0.0) for row in scores]
    probs = sorted(column, reverse=True) or [0.0]
    argmax = sum(1 for top, point in tops if top == category and point >= 0.5)
    # The lexicon's own evidence for the category over the call, beside the clause model's: a second opinion
    # whose weight the fit decides (cue weights summed per speaker, capped).
    cue = f"cue={category}"
    # One pass over the clauses (parallel to their scores) for both speakers: the same values in the same order.
    citizen, caseworker, citizen_cue_weights, caseworker_cue_weights = [], [], [], []
    for prob, item in zip(column, items):
        if "speaker=ci" in item.features:
            citizen.append(prob)
            citizen_cue_weights.append(item.features.get(cue, 0.0))
        if "speaker=cw" in item.features:
            caseworker.append(prob)
            caseworker_cue_weights.append(item.features.get(cue, 0.0))
    citizen_cues = sum(citizen_cue_weights)
    caseworker_cues = sum(caseworker_cue_weights)
    return {
        "max": probs[0], "second": probs[1] if len(probs) > 1 else 0.0, "sum": min(sum(probs), 4.0) / 4,
        "n_over_half": min(sum(p >= 0.5 for p in probs), 4) / 4, "citizen_max": max(citizen, default=0.0),
        "caseworker_max": max(caseworker, default=0.0), "argmax": min(argmax, 3) / 3,
        f"cat={category}": 1.0, f"cat={category}:max": probs[0],
        "citizen_cues": min(citizen_cues, 4.0) / 4, "caseworker_cues": min(caseworker_cues, 4.0) / 4,
    }


FALLBACK_POINT_PROBABILITY = 0.5
"""The clause the "at least one point" rule takes must itself read as a point (P(point) at least this): a greeting
or "jeg ringer om din klage" alone names no category. Hand-set: out-of-writer scores were flat for floors between
0 and this, so the data cannot choose it; 0.5 is the clause model's own "more likely a point than not"."""


TOP_POINT_PROBABILITY = 0.5
"""The call's likeliest category is a point once its P(present) reaches this, even below the call model's threshold:
a call about a complaint has at least one point, and the category the call-level model ranks first is a surer
choice for it than the single best clause (which flips from turn to turn). Chosen by leave-one-writer-out on
dev+train with a live replay in which nothing is taken back (0.5: count exact 0.426, ±1 0.872, category F1 0.729;
0.4: 0.405 / 0.858 / 0.721; 0.3: 0.378 / 0.845 / 0.716: a low floor raises the greeting's category early)."""


def top_category(presence: dict[str, float], tops: list[tuple[str, float]],
                 floor: float = TOP_POINT_PROBABILITY) -> str | None:
    """The category the call-level model finds likeliest among those a clause reads as (its own most probable
    category, with P(point) at least :data:`FALLBACK_POINT_PROBABILITY`), when its P(present) reaches ``floor``.

    A category only the call model's prior or a neighbouring category's words speak for has no words of its own
    to show as evidence, so it is not taken.
    """
    backed = {category for category, point in tops if point >= FALLBACK_POINT_PROBABILITY}
    candidates = [c for c in DECIDED if c in backed]
    best = max(candidates, key=lambda c: (presence.get(c, 0.0), -DECIDED.index(c)), default=None)
    return best if best is not None and presence.get(best, 0.0) >= floor else None


def call_categories(presence: dict[str, float], threshold: float, fallback: str | None = None) -> list[str]:
    """The categories a call has: each whose P(present) reaches the threshold.

    A call about a complaint has at least one point: with none over the threshold, ``fallback`` (the category
    of the clause likeliest to be a point, when it reads as one) counts.
    """
    cats = [c for c in DECIDED if presence.get(c, 0.0) >= threshold]
    if not cats and fallback is not None:
        cats = [fallback]
    return cats


def fallback_category(scores: list[dict[str, float]]) -> str | None:
    """The category of the clause likeliest to raise a point, when that clause reads as a point at all."""
    best = max(scores, key=point_probability, default=None)
    if best is None or point_probability(best) < FALLBACK_POINT_PROBABILITY:
        return None
    return clause_category(best)


def kind_of(categories: list[str]) -> str:
    """formalitet (process only), afgoerelse (decision only) or blandet (both): the schema's definition."""
    if "afgoerelse" in categories:
        return "blandet" if len(set(categories)) > 1 else "afgoerelse"
    return "formalitet"


# --- weak clause labels from call-level gists ----------------------------------------------------------------

_WORD = re.compile(r"[a-zæøå0-9]+")
STEM_LEN = 5
"""Words compare on their first five letters: Danish inflection and compounding change mostly the end."""


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.da.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | FILLERS | {"kommunen", "kommune", "klage", "klagen", "borgeren", "borger"}


def stems(text: str) -> set[str]:
    """Content-word stems of a text (stop words and words shorter than four letters left out)."""
    stop = _stop_words()
    return {w[:STEM_LEN] for w in _WORD.findall(text.lower()) if len(w) >= 4 and w not in stop}


@dataclass
class WeakLabelOptions:
    """When a clause is taken as an example of a gist's category."""

    min_overlap: float = 0.25
    """Share of a gist's content stems a clause must contain to be a positive example."""
    relative: float = 0.6
    """...and at least this share of the best clause's overlap for that gist (the clause that says it best)."""
    none_below: float = 0.1
    """A clause sharing less than this with every gist is a "none" example; between the two it is left out."""
    lexicon_vote: float = 1.0
    """A clause whose complaint cues for one of the call's labelled categories weigh at least this is an example
    of it even when its words differ from the gist (a labelling function: the lexicon votes, the call's labels
    decide; cues for a category the call does not have are outvoted)."""


def weak_labels(items: list[Clause], gists: list[tuple[str, str]],
                options: WeakLabelOptions | None = None) -> list[str | None]:
    """A category, "none" or None (left out) per clause of one call, from the call's (category, gist) points."""
    options = options or WeakLabelOptions()
    clause_stems = [stems(item.text) for item in items]
    overlap = [[0.0] * len(gists) for _ in items]
    for j, (_, gist) in enumerate(gists):
        g = stems(gist)
        if not g:
            continue
        for i, cs in enumerate(clause_stems):
            overlap[i][j] = len(g & cs) / len(g)
    labels: list[str | None] = []
    best_per_gist = [max((row[j] for row in overlap), default=0.0) for j in range(len(gists))]
    labelled = {category for category, _ in gists}
    for item, row in zip(items, overlap):
        label: str | None = NONE if max(row, default=0.0) < options.none_below else None
        top = 0.0
        for j, (category, _) in enumerate(gists):
            if row[j] >= options.min_overlap and row[j] >= options.relative * best_per_gist[j] and row[j] > top:
                label, top = category, row[j]
        if label in (None, NONE) and "speaker=ci" in item.features:
            voted = {c: item.features.get(f"cue={c}", 0.0) for c in labelled}
            best = max(voted, key=lambda c: (voted[c], c), default=None)
            if best is not None and voted[best] >= options.lexicon_vote:
                label = best
        labels.append(label)
    return labels


# --- the model -------------------------------------------------------------------------------------------------

MODEL_NAME = "complaint_points"
"""The clause model: P(category or none) per clause."""
CALL_MODEL_NAME = "complaint_categories"
"""The call-level model: P(the call has a point of this category) from :func:`category_features`."""


class _Scorer:
    """The clause model as numpy arrays: the same probabilities as ``FittedModel.predict_proba``, in a fraction of
    the time (a clause has a few hundred features and the model eleven classes)."""

    def __init__(self, model: FittedModel) -> None:
        import numpy as np

        self.np = np
        self.classes = list(model.classes)
        self.index = {name: i for i, name in enumerate(model.features)}
        self.coef = np.asarray(model.coef, dtype=float).T  # features x classes
        self.intercept = np.asarray(model.intercept, dtype=float)

    def __call__(self, features: dict[str, float]) -> dict[str, float]:
        np = self.np
        index = self.index
        pairs = [(i, value) for name, value in features.items() if value and (i := index.get(name)) is not None]
        logits = self.intercept.copy()
        if pairs:
            idx, values = zip(*pairs)
            logits += np.asarray(values) @ self.coef[list(idx)]
        exps = np.exp(logits - logits.max())
        probs = exps / exps.sum()
        return dict(zip(self.classes, probs.tolist()))


_SCORERS: dict[int, tuple[FittedModel, _Scorer]] = {}


def clause_scores(model: FittedModel, items: list[Clause]) -> list[dict[str, float]]:
    """Per clause: the probability of each category (and of none)."""
    if len(model.classes) <= 2:
        return [model.predict_proba(item.features) for item in items]
    cached = _SCORERS.get(id(model))
    if cached is None or cached[0] is not model:
        cached = _SCORERS[id(model)] = (model, _Scorer(model))
    return [cached[1](item.features) for item in items]


def point_probability(scores: dict[str, float]) -> float:
    """P(the clause raises a complaint point at all) = 1 - P(none)."""
    return 1.0 - scores.get(NONE, 0.0)


def clause_category(scores: dict[str, float]) -> str:
    """The clause's most probable category (none left out)."""
    return max(CATEGORIES, key=lambda c: (scores.get(c, 0.0), -CATEGORIES.index(c)))


def presence(call_model: FittedModel, scores: list[dict[str, float]], items: list[Clause],
             tops: list[tuple[str, float]] | None = None) -> dict[str, float]:
    """P(present) per decided category from the clause scores so far (``tops``: see :func:`category_features`)."""
    tops = tops if tops is not None else [(clause_category(row), point_probability(row)) for row in scores]
    return {c: call_model.predict_proba(category_features(scores, items, c, tops)).get(True, 0.0) for c in DECIDED}


def load_complaint_models(models_dir: Path | None = None) -> tuple[FittedModel, FittedModel]:
    """The clause model and the call-level model written by `assistant train` (shipped in the package; cached).

    Raises:
        AnalysisError: when an artefact is missing or malformed (run `assistant train`).
    """
    from assistant.analysis.training import load_model

    return load_model(MODEL_NAME, models_dir), load_model(CALL_MODEL_NAME, models_dir)
