"""Commands of the analysis area: `analyze` (calls → JSON Lines) and `eval` (metrics on labelled calls)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.errors import AnalysisError

def _default_eval_root() -> Path:
    """`ASSISTANT_EVAL_DIR`, else ``../shared/eval`` beside the checkout (where the labelled calls live)."""
    import os

    from assistant.paths import PROJECT_ROOT

    return Path(os.environ.get("ASSISTANT_EVAL_DIR") or PROJECT_ROOT.parent / "shared" / "eval")


EVAL_ROOT = _default_eval_root()


def _options(hf_model: Optional[Path]):
    from assistant.analysis.analyzer import AnalyzerOptions

    return AnalyzerOptions(hf_model_dir=hf_model)


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
        help="Mapper med mærkede opkald (fx shared/eval/dev). Uden mapper: --summary-kørslen.")] = None,
    external: Annotated[Optional[Path], typer.Option(
        "--external", help="JSONL med sætninger og menneskelig valens (shared/eval/external/...).")] = None,
    summary: Annotated[bool, typer.Option(
        "--summary", help="Kompakt oversigt for dev, dev_noisy, dev_asr og det eksterne sæt under --root.")] = False,
    root: Annotated[Path, typer.Option("--root", help="Mappen med dev/, dev_noisy/, dev_asr/, external/.")] = EVAL_ROOT,
    as_json: Annotated[bool, typer.Option("--json", help="Skriv rapporterne som JSON.")] = False,
    hf_model: Annotated[Optional[Path], typer.Option("--hf-model", help="Valgfri frustrationsmodel (mappe).")] = None,
) -> None:
    """Score the analysis on labelled calls: per-label P/R/F1, counts, confusion tables, time per utterance."""
    from assistant.analysis.evaluation import (
        evaluate_dir,
        evaluate_sentiment,
        format_report,
        format_sentiment,
    )

    dirs = list(directories or [])
    if summary:
        dirs += [root / name for name in ("dev", "dev_noisy", "dev_asr") if (root / name).is_dir()]
        ext = root / "external" / "danish_sentiment_sentences.jsonl"
        if external is None and ext.is_file():
            external = ext
    if not dirs and external is None:
        raise AnalysisError("Angiv mindst én mappe, --external eller --summary.", code="analysis-no-input")
    options = _options(hf_model)
    out: dict = {}
    for directory in dirs:
        if not Path(directory).is_dir():
            raise AnalysisError(f"Mappen findes ikke: {directory}", code="analysis-no-calls")
        report = evaluate_dir(Path(directory), options=options)
        if as_json:
            out[report.name] = {"calls": report.calls, "metrics": report.metrics, "confusion": report.confusion,
                                "timing_ms": report.timing_ms}
        else:
            typer.echo(format_report(report, details=not summary))
            typer.echo("")
    if external is not None:
        sentiment = evaluate_sentiment(external)
        if as_json:
            out["external"] = {"overall": sentiment.overall, "by_source": sentiment.by_source}
        else:
            typer.echo(format_sentiment(sentiment))
    if as_json:
        typer.echo(json.dumps(out, ensure_ascii=False, indent=1))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("analyze")(analyze)
    app.command("eval")(evaluate)
