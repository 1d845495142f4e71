"""A small fitted model: named features → regularised logistic regression, stored as deterministic JSON.

Every example is a ``dict[str, float]`` of named features (lexicon cue kinds, structure, context, character
n-grams such as ``ng:aldr``). :func:`fit_logistic` fits scikit-learn's ``LogisticRegression`` on them and
keeps only what prediction needs: feature names, coefficients, intercepts, classes, thresholds and what the
model was made from (data fingerprint, parameters, scores). The artefact is JSON with sorted keys and rounded
floats, so the same data gives the same bytes; it loads without pickle and without scikit-learn.

Prediction is a dot product over the features present (a few hundred per utterance), so it costs well under a
millisecond. :meth:`FittedModel.top_features` names the features that pushed hardest towards a class: that is
the evidence the panel shows next to a signal.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from assistant.errors import AnalysisError

Features = dict[str, float]
#: Decimals kept for coefficients and intercepts: enough for the decision, few enough for stable bytes.
DECIMALS = 5
FORMAT = "borgerkontakt-fitted-model/1"


@dataclass
class FittedModel:
    """A fitted (multinomial or binary) logistic regression over named features.

    For two classes ``coef`` has one row (the second class's log-odds); for more, one row per class.
    """

    name: str
    classes: list
    features: list[str]
    coef: list[list[float]]
    intercept: list[float]
    thresholds: dict[str, float] = field(default_factory=dict)
    """Decision thresholds chosen when fitting (by cross-validation) or set by hand (the meta says which)."""
    meta: dict = field(default_factory=dict)
    """How it was made: data fingerprint, number of examples, parameters, scores per split and per writer."""

    def __post_init__(self) -> None:
        self._index = {name: i for i, name in enumerate(self.features)}
        # One tuple of weights per feature: prediction is a single pass over the features present.
        self._weights = {name: tuple(row[i] for row in self.coef) for i, name in enumerate(self.features)}
        # A binary model has one row: its weights as plain floats spare the inner loop (the most common case).
        self._binary_weights = {name: row[0] for name, row in self._weights.items()} if len(self.coef) == 1 else None
        self._pushes: dict = {}  # per class: each feature's push weight (see contributions), built on first use

    # --- prediction ----------------------------------------------------------------------------------------

    def _scores(self, features: Features) -> list[float]:
        if self._binary_weights is not None:
            # Same sum in the same order as the general loop below, without a tuple per feature.
            total = self.intercept[0]
            weights = self._binary_weights
            for name, value in features.items():
                w = weights.get(name)
                if w is not None:
                    total += w * value
            return [total]
        # The features the model knows, looked up once; then one sum per class over them, in the features' order
        # (the same additions in the same order per class as adding feature by feature).
        weights = self._weights
        present = [(w, value) for name, value in features.items() if (w := weights.get(name)) is not None]
        totals = []
        for r, total in enumerate(self.intercept):
            for w, value in present:
                total += w[r] * value
            totals.append(total)
        return totals

    def predict_proba(self, features: Features) -> dict:
        """Probability per class for one example (features not seen in fitting are ignored)."""
        scores = self._scores(features)
        if len(self.classes) == 2:
            p = _sigmoid(scores[0])
            return {self.classes[0]: 1.0 - p, self.classes[1]: p}
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps)}

    def contributions(self, features: Features, cls=None) -> list[tuple[str, float]]:
        """Each present feature's push towards ``cls`` (the last class by default), strongest first.

        For more than two classes the push is measured against the mean of the classes, so a feature that
        favours every class alike counts for nothing.
        """
        return sorted(self._pushes_of(features, cls), key=lambda kv: (-kv[1], kv[0]))

    def _pushes_of(self, features: Features, cls=None) -> list[tuple[str, float]]:
        """Each present feature's push towards ``cls``, in the features' order (unsorted)."""
        target = self.classes[-1] if cls is None else cls
        pushes = self._push_weights(self.classes.index(target))
        out = []
        for name, value in features.items():
            weight = pushes.get(name)
            if weight is None or not value:
                continue
            out.append((name, weight * value))
        return out

    def _push_weights(self, k: int) -> dict[str, float]:
        """Each feature's weight towards class index ``k`` as :meth:`contributions` uses it (computed once per
        class: the evidence of every turn needs it, and the mean over eleven classes is not free)."""
        pushes = self._pushes.get(k)
        if pushes is None:
            pushes = {}
            for i, name in enumerate(self.features):
                if len(self.classes) == 2:
                    pushes[name] = self.coef[0][i] * (1 if k == 1 else -1)
                else:
                    mean = sum(row[i] for row in self.coef) / len(self.coef)
                    pushes[name] = self.coef[k][i] - mean
            self._pushes[k] = pushes
        return pushes

    def top_features(self, features: Features, k: int = 5, cls=None) -> list[str]:
        """The names of the ``k`` features that pushed hardest towards ``cls`` (only those that pushed)."""
        # Only the features that pushed can be named, so only those are sorted (the same names as sorting all).
        pushed = [kv for kv in self._pushes_of(features, cls) if kv[1] > 0]
        return [name for name, _ in sorted(pushed, key=lambda kv: (-kv[1], kv[0]))[:k]]

    # --- storage ---------------------------------------------------------------------------------------------

    def to_json(self) -> str:
        """Deterministic JSON: sorted keys, rounded floats, one line per feature for readable diffs."""
        payload = {
            "format": FORMAT,
            "name": self.name,
            "classes": self.classes,
            "thresholds": {k: round(v, 4) for k, v in sorted(self.thresholds.items())},
            "intercept": [round(b, DECIMALS) for b in self.intercept],
            "meta": self.meta,
            "weights": {name: [round(row[i], DECIMALS) for row in self.coef] for i, name in enumerate(self.features)},
        }
        return json.dumps(payload, ensure_ascii=False, sort_keys=True, indent=0) + "\n"

    def save(self, path: Path) -> Path:
        """Write the artefact (creating the folder); returns the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.to_json(), encoding="utf-8")
        return path

    @classmethod
    def from_json(cls, text: str, *, source: str = "model") -> FittedModel:
        """Read an artefact written by :meth:`to_json`.

        Raises:
            AnalysisError: when the text is not such an artefact.
        """
        try:
            raw = json.loads(text)
            if raw.get("format") != FORMAT:
                raise ValueError(f"format {raw.get('format')!r}")
            names = sorted(raw["weights"])
            rows = len(raw["intercept"])
            coef = [[float(raw["weights"][n][r]) for n in names] for r in range(rows)]
            return cls(name=raw["name"], classes=list(raw["classes"]), features=names, coef=coef,
                       intercept=[float(b) for b in raw["intercept"]], thresholds=dict(raw.get("thresholds", {})),
                       meta=dict(raw.get("meta", {})))
        except (ValueError, KeyError, TypeError, IndexError) as err:
            raise AnalysisError(f"{source}: ikke en gyldig modelfil ({err})", code="analysis-bad-model") from err

    @classmethod
    def load(cls, path: Path) -> FittedModel:
        """Load an artefact from disk.

        Raises:
            AnalysisError: when it is missing or malformed.
        """
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as err:
            raise AnalysisError(f"Kan ikke læse modellen {path}: {err}", code="analysis-bad-model") from err
        return cls.from_json(text, source=str(path))


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@dataclass
class FitOptions:
    """How a logistic regression is fitted."""

    c: float = 1.0
    """Inverse L2 regularisation strength (smaller: simpler model)."""
    min_count: int = 2
    """A feature must occur in at least this many training examples (rare n-grams only memorise)."""
    class_weight: str | None = "balanced"
    """"balanced" weighs the rare classes up (few angry turns, few threats)."""
    max_iter: int = 3000
    """Solver iterations."""

    def as_dict(self) -> dict:
        return {"c": self.c, "min_count": self.min_count, "class_weight": self.class_weight}


def fit_logistic(examples: list[Features], labels: list, *, name: str,
                 options: FitOptions | None = None) -> FittedModel:
    """Fit a regularised logistic regression on named features.

    Deterministic: features are sorted, the solver (lbfgs) has no randomness, and the result is rounded when
    saved. Features present in fewer than ``min_count`` examples are dropped first.

    Args:
        examples: One feature dict per example.
        labels: One class per example (at least two distinct classes).
        name: The model's name (also the artefact's file stem).
        options: Regularisation and pruning.

    Returns:
        The fitted model (no thresholds, empty meta: the trainer fills those).

    Raises:
        AnalysisError: with fewer than two classes or mismatched lengths.
    """
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    opts = options or FitOptions()
    if len(examples) != len(labels) or len(set(labels)) < 2:
        raise AnalysisError(f"{name}: for få eksempler eller klasser til at fitte ({len(examples)} eksempler, "
                            f"klasser {sorted(set(map(str, labels)))})", code="analysis-fit")
    counts: dict[str, int] = {}
    for ex in examples:
        for key, value in ex.items():
            if value:
                counts[key] = counts.get(key, 0) + 1
    kept = {k for k, n in counts.items() if n >= opts.min_count}
    pruned = [{k: v for k, v in ex.items() if k in kept and v} for ex in examples]
    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform(pruned)
    model = LogisticRegression(C=opts.c, class_weight=opts.class_weight, max_iter=opts.max_iter, solver="lbfgs")
    model.fit(matrix, labels)
    classes = [c.item() if hasattr(c, "item") else c for c in model.classes_]
    coef = [[float(x) for x in row] for row in model.coef_]
    names = [str(n) for n in vectorizer.get_feature_names_out()]
    # Drop features whose weights all round to zero: they cannot change a decision.
    keep = [i for i in range(len(names)) if any(round(row[i], DECIMALS) for row in coef)]
    return FittedModel(name=name, classes=classes, features=[names[i] for i in keep],
                       coef=[[row[i] for i in keep] for row in coef],
                       intercept=[float(b) for b in model.intercept_])


#: Runs of letters and digits: the same words as replacing every character that is not ``str.isalnum`` by a space.
_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=100_000)
def word_grams(word: str, sizes: tuple[int, ...] = (3, 4, 5), prefix: str = "") -> tuple[str, ...]:
    """The character n-grams of one word with its edges marked (``_word_``), each size in turn, left to right.

    Cached: a call repeats its words, and every model reads n-grams of the same turn, so most words are seen
    before. The order is fixed because the callers sum weights in it (same order, same floats).
    """
    padded = f"_{word}_"
    return tuple(prefix + padded[i:i + n] for n in sizes for i in range(len(padded) - n + 1))


def text_words(text: str) -> list[str]:
    """The lower-case words of a text for n-grams: letters and digits only, punctuation dropped."""
    return _WORD.findall(text.lower())


def char_ngrams(text: str, *, sizes: tuple[int, ...] = (3, 4, 5), prefix: str = "ng:") -> Features:
    """Character n-grams of the words of a text (lower case, letters and digits only, word edges marked).

    Punctuation and case are dropped, so a transcript without them gives the same features as a written
    text; n-grams inside words survive the split compounds and bent word forms a recogniser produces.

    Returns:
        ``{"ng:<gram>": count / sqrt(total)}``: counts scaled so long turns do not dominate.
    """
    # Counter keeps first-seen order, as the features' order (and so the sums over them) must stay the same.
    counts = Counter()
    for word in text_words(text):
        counts.update(word_grams(word, sizes, prefix))
    total = math.sqrt(sum(counts.values())) or 1.0
    return {k: v / total for k, v in counts.items()}
