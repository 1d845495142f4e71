"""Fitting the analysis's models from labelled calls: the trainer registry, `train_all`, `load_model`.

A trainer turns labelled calls (the schema of ``shared/eval/SCHEMA.md``) into examples (named features, a
label, the writer) and says which classes count as positive. :func:`train_model` then

1. fits the model once per writer on all other writers and predicts the held-out writer (leave-one-writer-out:
   a model that only knows its writers shows it here),
2. picks the decision threshold on those pooled out-of-writer predictions (maximum F1, or the trainer's
   minimum recall for recall-first signals),
3. fits on everything and writes the artefact with its data fingerprint, parameters and scores.

Same calls in, same bytes out. The shipped artefacts live in ``assistant/analysis/models/``; a municipality
can rebuild them from its own reviewed calls with ``assistant train --data DIR``.

To add a trainer: write ``examples(calls) -> list[Example]`` in your module, call :func:`register_trainer`
at import, and add the module to ``TRAINER_MODULES``.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from assistant.analysis.fitted import Features, FitOptions, FittedModel, fit_logistic
from assistant.errors import AnalysisError

MODELS_DIR = Path(__file__).resolve().parent / "models"
#: Modules whose import registers trainers.
TRAINER_MODULES = ["assistant.analysis.trainers", "assistant.analysis.complaint_training",
                   "assistant.analysis.summary_model", "assistant.analysis.question_model"]


@dataclass(frozen=True)
class LabelledCall:
    """One labelled call as read from a file in the eval schema."""

    id: str
    source: str
    """The folder it came from (``dev``, ``train_noisy``, ...)."""
    turns: list[dict]
    labels: dict

    @property
    def writer(self) -> str:
        """Who wrote it: the id prefix (``dev``, ``tra``, ``vae``); a noisy copy has its original's writer."""
        return self.id.split("-", 1)[0]


@dataclass(frozen=True)
class Example:
    """One training example."""

    features: Features
    label: object
    writer: str


@dataclass(frozen=True)
class Trainer:
    """How one model is made from labelled calls."""

    name: str
    examples: Callable[[list[LabelledCall]], list[Example]]
    positive: Callable[[object], bool]
    """Which classes the threshold decides for (e.g. frustration level >= 2)."""
    options: FitOptions = field(default_factory=FitOptions)
    min_recall: float | None = None
    """For recall-first signals: the threshold is the highest that keeps out-of-writer recall at least this."""
    description: str = ""


_TRAINERS: dict[str, Trainer] = {}


def register_trainer(trainer: Trainer) -> Trainer:
    """Add a trainer to the registry (its name is the artefact's file stem)."""
    _TRAINERS[trainer.name] = trainer
    return trainer


def trainers() -> dict[str, Trainer]:
    """Every registered trainer by name (imports ``TRAINER_MODULES`` first)."""
    for module in TRAINER_MODULES:
        importlib.import_module(module)
    return dict(sorted(_TRAINERS.items()))


# --- data ----------------------------------------------------------------------------------------------------


def load_calls(directories: list[Path]) -> list[LabelledCall]:
    """Read every ``*.json`` call under the given folders, in a fixed order.

    Raises:
        AnalysisError: when a folder is missing, holds no calls, or a file is not a call.
    """
    calls = []
    for directory in directories:
        directory = Path(directory)
        files = sorted(directory.glob("*.json")) if directory.is_dir() else []
        if not files:
            raise AnalysisError(f"Ingen mærkede opkald (*.json) i {directory}", code="analysis-no-calls")
        for path in files:
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
                calls.append(LabelledCall(id=str(raw.get("id") or path.stem), source=directory.name,
                                          turns=list(raw["turns"]), labels=dict(raw.get("labels", {}))))
            except (OSError, ValueError, KeyError, TypeError) as err:
                raise AnalysisError(f"{path}: ikke et mærket opkald ({err})", code="analysis-bad-input") from err
    return calls


def fingerprint(calls: list[LabelledCall]) -> str:
    """sha256 over the calls' content (order-independent): which data a model was fitted on."""
    digest = hashlib.sha256()
    for call in sorted(calls, key=lambda c: (c.source, c.id)):
        digest.update(json.dumps([call.source, call.id, call.turns, call.labels], ensure_ascii=False,
                                 sort_keys=True).encode("utf-8"))
    return digest.hexdigest()


@lru_cache(maxsize=20000)
def parse_turn(text: str):
    """A turn's text through the shared pipeline (cached: every trainer parses the same turns)."""
    from assistant.analysis.pipeline import get_nlp
    from assistant.analysis.text import TurnText

    return TurnText.from_doc(get_nlp()(text or ""))


# --- fitting -------------------------------------------------------------------------------------------------


def positive_probability(model: FittedModel, features: Features, positive: Callable[[object], bool]) -> float:
    """P(the class is one the trainer counts as positive)."""
    return sum(p for c, p in model.predict_proba(features).items() if positive(c))


def binary_scores(gold: list[bool], pred: list[bool]) -> dict:
    """Precision, recall, F1 and support of a yes/no decision."""
    tp = sum(g and p for g, p in zip(gold, pred))
    fp = sum(p and not g for g, p in zip(gold, pred))
    fn = sum(g and not p for g, p in zip(gold, pred))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "support": tp + fn, "n": len(gold)}


def choose_threshold(probs: list[float], gold: list[bool], *, min_recall: float | None = None) -> float:
    """The threshold with the best F1 on held-out predictions, or the highest keeping ``min_recall``."""
    candidates = sorted({round(p, 3) for p in probs} | {0.5})
    best, best_key = 0.5, None
    for t in candidates:
        s = binary_scores(gold, [p >= t for p in probs])
        key = (s["recall"] >= min_recall, t) if min_recall is not None else (s["f1"], -abs(t - 0.5))
        if best_key is None or key > best_key:
            best, best_key = t, key
    return best


def train_model(trainer: Trainer, calls: list[LabelledCall], *, threshold: float | None = None) -> FittedModel:
    """Fit one model: leave-one-writer-out for the threshold and the scores, then on everything.

    Args:
        trainer: What to fit.
        calls: The labelled calls.
        threshold: Use this threshold and skip the leave-one-writer-out fits (quicker; for ``eval --lowo``).

    Raises:
        AnalysisError: when the calls give too few examples or classes.
    """
    examples = trainer.examples(calls)
    writers = sorted({e.writer for e in examples})
    held_out_probs: list[float] = []
    held_out_gold: list[bool] = []
    held_out_writer: list[str] = []
    for writer in writers if len(writers) > 1 and threshold is None else []:
        rest = [e for e in examples if e.writer != writer]
        if len({e.label for e in rest}) < 2:
            continue
        model = fit_logistic([e.features for e in rest], [e.label for e in rest], name=trainer.name,
                             options=trainer.options)
        for e in examples:
            if e.writer == writer:
                held_out_probs.append(positive_probability(model, e.features, trainer.positive))
                held_out_gold.append(bool(trainer.positive(e.label)))
                held_out_writer.append(writer)
    if threshold is None:
        threshold = (choose_threshold(held_out_probs, held_out_gold, min_recall=trainer.min_recall)
                     if held_out_probs else 0.5)
    final = fit_logistic([e.features for e in examples], [e.label for e in examples], name=trainer.name,
                         options=trainer.options)
    final.thresholds = {"positive": threshold}
    lowo = {w: binary_scores([g for g, x in zip(held_out_gold, held_out_writer) if x == w],
                             [p >= threshold for p, x in zip(held_out_probs, held_out_writer) if x == w])
            for w in writers if w in held_out_writer}
    fitted_pred = [positive_probability(final, e.features, trainer.positive) >= threshold for e in examples]
    final.meta = {
        "description": trainer.description,
        "data_fingerprint": fingerprint(calls),
        "sources": sorted({c.source for c in calls}),
        "calls": len(calls),
        "examples": len(examples),
        "classes": {str(c): sum(1 for e in examples if e.label == c) for c in final.classes},
        "parameters": {**trainer.options.as_dict(), "min_recall": trainer.min_recall,
                       "threshold_rule": "min_recall" if trainer.min_recall is not None else "max_f1_lowo"},
        "scores": {
            "fitted_data": binary_scores([bool(trainer.positive(e.label)) for e in examples], fitted_pred),
            "leave_one_writer_out": binary_scores(held_out_gold, [p >= threshold for p in held_out_probs]),
            "per_writer": lowo,
        },
    }
    return final


def train_all(calls: list[LabelledCall], out_dir: Path = MODELS_DIR, names: list[str] | None = None, *,
              thresholds_from: Path | None = None) -> dict[str, FittedModel]:
    """Fit every registered model (or those named) and write the artefacts to ``out_dir``.

    ``thresholds_from``: take each model's threshold from the artefact of the same name there instead of
    choosing it by leave-one-writer-out (one fit per model instead of one per writer plus one).

    Raises:
        AnalysisError: for an unknown model name or data too thin to fit.
    """
    registry = trainers()
    unknown = sorted(set(names or []) - set(registry))
    if unknown:
        raise AnalysisError(f"Ukendte modeller: {', '.join(unknown)} (kendte: {', '.join(registry)})",
                            code="analysis-unknown-model")
    fitted = {}
    for name, trainer in registry.items():
        if names and name not in names:
            continue
        fixed = load_model(name, thresholds_from).thresholds.get("positive") if thresholds_from else None
        model = train_model(trainer, calls, threshold=fixed)
        model.save(Path(out_dir) / f"{name}.json")
        fitted[name] = model
    load_model.cache_clear()
    return fitted


def format_training_report(models: dict[str, FittedModel]) -> str:
    """A short text report: per model its data, size, threshold and out-of-writer scores."""
    lines = []
    for name, model in models.items():
        meta = model.meta
        scores = meta["scores"]
        lowo = scores["leave_one_writer_out"]
        lines.append(f"== {name}: {meta['examples']} eksempler fra {meta['calls']} opkald "
                     f"({', '.join(meta['sources'])}); data sha256 {meta['data_fingerprint'][:16]}…")
        lines.append(f"   klasser {meta['classes']}; {len(model.features)} features; tærskel "
                     f"{model.thresholds.get('positive')} ({meta['parameters']['threshold_rule']})")
        lines.append(f"   leave-one-writer-out P={lowo['precision']:.3f} R={lowo['recall']:.3f} F1={lowo['f1']:.3f} "
                     f"(støtte {lowo['support']}/{lowo['n']}); på træningsdata F1={scores['fitted_data']['f1']:.3f}")
        for writer, s in scores["per_writer"].items():
            lines.append(f"     {writer:6s} P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f} "
                         f"(støtte {s['support']}/{s['n']})")
    return "\n".join(lines)


# --- loading -------------------------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def load_model(name: str, models_dir: Path | None = None) -> FittedModel:
    """A fitted model by name, from ``models_dir`` or the shipped artefacts (cached per process).

    Raises:
        AnalysisError: when the artefact is missing or malformed (run ``assistant train``).
    """
    path = Path(models_dir or MODELS_DIR) / f"{name}.json"
    if not path.is_file():
        raise AnalysisError(f"Modellen {name!r} findes ikke i {path.parent} (kør 'assistant train')",
                            code="analysis-no-model")
    return FittedModel.load(path)
