"""Commands of the analysis area: `analyze` (calls → JSON Lines) and `eval` (metrics on labelled calls)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.errors import AnalysisError
from assistant.paths import PROJECT_ROOT


def _default_eval_root() -> Path:
    """`ASSISTANT_EVAL_DIR`, else ``../shared/eval`` beside the checkout (where the labelled calls live)."""
    import os

    return Path(os.environ.get("ASSISTANT_EVAL_DIR") or PROJECT_ROOT.parent / "shared" / "eval")


EVAL_ROOT = _default_eval_root()


def _options(hf_model: Optional[Path], models_dir: Optional[Path] = None, hand_frustration: bool = False):
    from assistant.analysis.analyzer import AnalyzerOptions

    return AnalyzerOptions(hf_model_dir=hf_model, models_dir=models_dir, fitted_frustration=not hand_frustration)


#: The splits `assistant eval --all` reports (under --root), each with its recogniser-like copy.
EVAL_SPLITS = ("dev", "train", "validation", "dev_noisy", "train_noisy", "validation_noisy")


def analyze(
    calls: Annotated[list[Path], typer.Argument(help="Opkald i eval-formatet (JSON); label-felter ignoreres.")],
    hf_model: Annotated[Optional[Path], typer.Option(
        "--hf-model", help="Lokal mappe med en Hugging Face tekstklassifikationsmodel til frustration.")] = None,
) -> None:
    """Analyse calls turn by turn and print one JSON object per call (JSON Lines).

    Every label field (question, summary, lang, frustration, labels) is ignored; a turn's `asr` field is used.
    """
    from assistant.analysis.evaluation import analyze_call, load_call

    options = _options(hf_model)
    for path in calls:
        record = analyze_call(load_call(path), options=options)
        typer.echo(json.dumps(record, ensure_ascii=False))


def evaluate(
    directories: Annotated[Optional[list[Path]], typer.Argument(
        help="Mapper med mærkede opkald (fx shared/eval/dev). Uden mapper: --all, --summary eller --lowo.")] = None,
    external: Annotated[Optional[Path], typer.Option(
        "--external", help="JSONL med sætninger og menneskelig valens (shared/eval/external/...).")] = None,
    summary: Annotated[bool, typer.Option(
        "--summary", help="Kompakt oversigt for dev, dev_noisy, dev_asr og det eksterne sæt under --root.")] = False,
    all_splits: Annotated[bool, typer.Option(
        "--all", help="dev, train, validation og deres _noisy-kopier under --root: målene pr. opdeling og skribent.")
    ] = False,
    lowo: Annotated[bool, typer.Option(
        "--lowo", help="Leave-one-writer-out på dev+train: fit modellerne uden skribenten, mål på skribenten.")] = False,
    lowo_models: Annotated[Optional[list[str]], typer.Option(
        "--lowo-model", help="Med --lowo: fit kun denne model igen (kan gentages); de øvrige er de leverede, "
                             "som har set skribenten. Hurtigere, men kun til at arbejde på én model.")] = None,
    lowo_noisy: Annotated[bool, typer.Option(
        "--lowo-noisy", help="Med --lowo: mål på skribentens _noisy-kopier (som en genkender afleverer dem).")] = False,
    lowo_thresholds: Annotated[bool, typer.Option(
        "--lowo-thresholds", help="Med --lowo: vælg også tærsklerne uden skribenten (ca. fem gange langsommere; "
                                  "de leverede tærskler er valgt med skribenten i syne).")] = False,
    root: Annotated[Path, typer.Option("--root", help="Mappen med eval-opdelingerne.")] = EVAL_ROOT,
    models_dir: Annotated[Optional[Path], typer.Option(
        "--models-dir", help="Modelfiler fra 'assistant train --out' i stedet for de leverede.")] = None,
    hand_frustration: Annotated[bool, typer.Option(
        "--hand-frustration", help="Frustration med den håndskrevne scorer alene (til sammenligning).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Skriv rapporterne som JSON.")] = False,
    hf_model: Annotated[Optional[Path], typer.Option("--hf-model", help="Valgfri frustrationsmodel (mappe).")] = None,
) -> None:
    """Score the analysis on labelled calls: the issue's goals per split and per writer, P/R/F1, confusion
    tables, time per utterance."""
    from assistant.analysis.evaluation import (
        evaluate_dir,
        evaluate_sentiment,
        format_goals,
        format_report,
        format_sentiment,
    )

    dirs = list(directories or [])
    if summary:
        dirs += [root / name for name in ("dev", "dev_noisy", "dev_asr") if (root / name).is_dir()]
        ext = root / "external" / "danish_sentiment_sentences.jsonl"
        if external is None and ext.is_file():
            external = ext
    if all_splits:
        dirs += [root / name for name in EVAL_SPLITS if (root / name).is_dir()]
    if not dirs and external is None and not lowo:
        raise AnalysisError("Angiv mindst én mappe, --all, --lowo, --external eller --summary.",
                            code="analysis-no-input")
    options = _options(hf_model, models_dir, hand_frustration)
    out: dict = {}
    reports = []
    for directory in dirs:
        if not Path(directory).is_dir():
            raise AnalysisError(f"Mappen findes ikke: {directory}", code="analysis-no-calls")
        report = evaluate_dir(Path(directory), options=options)
        reports.append(report)
        if as_json:
            out[report.name] = _report_json(report)
        else:
            typer.echo(format_report(report, details=not (summary or all_splits)))
            typer.echo(format_goals([report]))
            typer.echo("")
    if lowo:
        report = _lowo(root, options, lowo_models, noisy=lowo_noisy, refit_thresholds=lowo_thresholds)
        reports.append(report)
        if as_json:
            out[report.name] = _report_json(report)
        else:
            typer.echo(format_report(report, details=False))
            typer.echo(format_goals([report]))
            typer.echo("")
    if len(reports) > 1 and not as_json:
        typer.echo("== mål pr. opdeling (uden skribenter) ==")
        typer.echo(format_goals(reports, per_writer=False))
    if external is not None:
        sentiment = evaluate_sentiment(external)
        if as_json:
            out["external"] = {"overall": sentiment.overall, "by_source": sentiment.by_source}
        else:
            typer.echo(format_sentiment(sentiment))
    if as_json:
        typer.echo(json.dumps(out, ensure_ascii=False, indent=1))


def _report_json(report) -> dict:
    return {"calls": report.calls, "metrics": report.metrics, "confusion": report.confusion,
            "timing_ms": report.timing_ms,
            "by_writer": {w: {"calls": r.calls, "metrics": r.metrics} for w, r in report.by_writer.items()}}


def _lowo(root: Path, options, names: list[str] | None = None, *, noisy: bool = False,
          refit_thresholds: bool = False):
    """Leave-one-writer-out over dev + train (fitting on their noisy copies too), in a temporary folder."""
    import tempfile

    from assistant.analysis.evaluation import leave_one_writer_out

    fit_dirs = [root / name for name in TRAIN_SPLITS if (root / name).is_dir()]
    evaluated = ("dev_noisy", "train_noisy") if noisy else ("dev", "train")
    eval_dirs = [root / name for name in evaluated if (root / name).is_dir()]
    if not eval_dirs:
        raise AnalysisError(f"Ingen dev/ eller train/ under {root}", code="analysis-no-calls")
    with tempfile.TemporaryDirectory(prefix="lowo-") as work:
        return leave_one_writer_out(fit_dirs, eval_dirs, Path(work), options=options, names=names,
                                    refit_thresholds=refit_thresholds)


#: The labelled calls `assistant train` fits on by default (under --root): the development and training splits
#: and their recogniser-like copies, so the models also learn how a transcript looks.
TRAIN_SPLITS = ("dev", "train", "dev_noisy", "train_noisy")


def train(
    data: Annotated[Optional[list[Path]], typer.Option(
        "--data", help="Mappe med mærkede opkald i eval-formatet (kan gentages). Standard: dev, train og deres "
                       "_noisy-kopier under --root.")] = None,
    root: Annotated[Path, typer.Option("--root", help="Mappen med eval-opdelingerne.")] = EVAL_ROOT,
    out: Annotated[Optional[Path], typer.Option(
        "--out", help="Hvor modelfilerne skrives. Standard: de modeller, pakken leveres med.")] = None,
    model: Annotated[Optional[list[str]], typer.Option("--model", help="Kun denne model (kan gentages).")] = None,
) -> None:
    """Fit every analysis model from labelled calls and write the artefacts plus a short report.

    Same calls in, same files out (byte for byte). Reviewed calls of your own (supervisor verdicts as labels,
    in the eval schema) can be added with --data.
    """
    from assistant.analysis.training import MODELS_DIR, format_training_report, load_calls, train_all

    dirs = list(data) if data else [root / name for name in TRAIN_SPLITS if (root / name).is_dir()]
    if not dirs:
        raise AnalysisError(f"Ingen mærkede opkald under {root}; angiv --data.", code="analysis-no-calls")
    calls = load_calls(dirs)
    target = out or MODELS_DIR
    models = train_all(calls, target, names=model)
    typer.echo(format_training_report(models))
    typer.echo(f"Skrev {len(models)} model(ler) til {target}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("analyze")(analyze)
    app.command("eval")(evaluate)
    app.command("train")(train)
