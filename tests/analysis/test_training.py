"""`assistant train`: the registry, reproducible artefacts, the shipped models and leave-one-writer-out."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from assistant.analysis.fitted import FittedModel
from assistant.analysis.training import (
    MODELS_DIR,
    choose_threshold,
    fingerprint,
    load_calls,
    load_model,
    train_all,
    trainers,
)
from assistant.errors import AnalysisError

FIT_CALLS = Path(__file__).parent / "data" / "fit_calls"
#: The models of the citizen's state, fitted here on the small set of test calls (other trainers need other labels).
MINE = ["frustration", "frustration_high"]
EVAL_ROOT = Path(os.environ.get("ASSISTANT_EVAL_DIR") or Path(__file__).resolve().parents[2].parent / "shared" / "eval")


def test_every_registered_model_is_shipped_and_loads():
    for name in trainers():
        model = load_model(name)
        assert isinstance(model, FittedModel)
        assert 0.0 < model.thresholds["positive"] < 1.0
        assert model.meta["data_fingerprint"] and model.meta["scores"]["per_writer"]


def test_training_twice_gives_the_same_bytes(tmp_path):
    calls = load_calls([FIT_CALLS])
    train_all(calls, tmp_path / "a", names=MINE)
    train_all(list(reversed(calls)), tmp_path / "b", names=MINE)
    for name in MINE:
        a = (tmp_path / "a" / f"{name}.json").read_bytes()
        assert a == (tmp_path / "b" / f"{name}.json").read_bytes()
        meta = json.loads(a)["meta"]
        assert meta["data_fingerprint"] == fingerprint(calls)
        assert sorted(meta["scores"]["per_writer"]) == ["aaa", "bbb", "ccc"]


def test_cli_train_writes_the_same_artefacts_as_the_library(tmp_path):
    from typer.testing import CliRunner

    from assistant.cli import app

    train_all(load_calls([FIT_CALLS]), tmp_path / "lib", names=MINE)
    args = ["train", "--data", str(FIT_CALLS), "--out", str(tmp_path / "cli")] + [f"--model={m}" for m in MINE]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "leave-one-writer-out" in result.output
    for name in MINE:
        assert (tmp_path / "cli" / f"{name}.json").read_bytes() == (tmp_path / "lib" / f"{name}.json").read_bytes()


def test_analyser_runs_on_models_fitted_elsewhere(tmp_path):
    from assistant.analysis.analyzer import AnalyzerOptions, CallAnalyzer

    train_all(load_calls([FIT_CALLS]), tmp_path, names=MINE)
    for name in trainers():
        if name not in MINE:  # the other models as shipped
            (tmp_path / f"{name}.json").write_bytes((MODELS_DIR / f"{name}.json").read_bytes())
    analyzer = CallAnalyzer.create(AnalyzerOptions(models_dir=tmp_path))
    update = analyzer.add_turn("citizen", "det er fuldstændig urimeligt, I lytter aldrig")
    assert update.turn.frustration is not None


def test_missing_models_dir_is_a_clear_error(tmp_path):
    with pytest.raises(AnalysisError, match="assistant train"):
        load_model("frustration", tmp_path)


def test_unknown_model_name_is_a_clear_error(tmp_path):
    with pytest.raises(AnalysisError, match="Ukendte modeller"):
        train_all(load_calls([FIT_CALLS]), tmp_path, names=["nonsense"])


def test_threshold_keeps_the_recall_asked_for():
    probs = [0.9, 0.8, 0.4, 0.3, 0.2, 0.1]
    gold = [True, True, True, False, False, False]
    assert choose_threshold(probs, gold) == 0.4
    assert choose_threshold(probs, gold, min_recall=0.6) == 0.8


@pytest.mark.slow
@pytest.mark.skipif(not (EVAL_ROOT / "train").is_dir(), reason="the labelled calls (shared/eval) are not here")
def test_assistant_train_reproduces_the_shipped_artefacts(tmp_path):
    """Refits on dev + train (+ noisy copies) as `assistant train` does: minutes on a busy machine."""
    from assistant.cli.analysis_commands import TRAIN_SPLITS

    calls = load_calls([EVAL_ROOT / name for name in TRAIN_SPLITS])
    train_all(calls, tmp_path)
    for name in trainers():
        assert (tmp_path / f"{name}.json").read_bytes() == (MODELS_DIR / f"{name}.json").read_bytes()


def test_leave_one_writer_out_refits_only_the_named_model_without_the_writer(tmp_path):
    from assistant.analysis.evaluation import leave_one_writer_out

    report = leave_one_writer_out([FIT_CALLS], [FIT_CALLS], tmp_path, names=MINE)
    assert sorted(report.by_writer) == ["aaa", "bbb", "ccc"]
    assert report.calls == sum(r.calls for r in report.by_writer.values())
    for writer in report.by_writer:
        fitted = json.loads((tmp_path / writer / "frustration.json").read_text())
        held_out = sum(1 for path in FIT_CALLS.glob(f"{writer}-*.json"))
        assert fitted["meta"]["calls"] == len(load_calls([FIT_CALLS])) - held_out, "fitted without the writer"
        for name in trainers():  # the other models are the shipped ones, unchanged
            if name not in MINE:
                assert (tmp_path / writer / f"{name}.json").read_bytes() == (MODELS_DIR / f"{name}.json").read_bytes()


def test_leave_one_writer_out_can_choose_the_thresholds_without_the_writer(tmp_path):
    """By default the held-out writer's models keep the shipped thresholds (chosen with that writer in view);
    ``refit_thresholds`` chooses them again on the other writers, exactly as `assistant train` would on them."""
    from assistant.analysis.evaluation import leave_one_writer_out

    calls = load_calls([FIT_CALLS])
    shipped = json.loads((MODELS_DIR / "frustration_high.json").read_text())["thresholds"]
    leave_one_writer_out([FIT_CALLS], [FIT_CALLS], tmp_path / "kept", names=MINE)
    leave_one_writer_out([FIT_CALLS], [FIT_CALLS], tmp_path / "nested", names=MINE, refit_thresholds=True)
    for writer in ("aaa", "bbb", "ccc"):
        kept = json.loads((tmp_path / "kept" / writer / "frustration_high.json").read_text())["thresholds"]
        assert kept == shipped
        train_all([c for c in calls if c.writer != writer], tmp_path / "alone" / writer, names=MINE)
        alone = (tmp_path / "alone" / writer / "frustration_high.json").read_bytes()
        assert (tmp_path / "nested" / writer / "frustration_high.json").read_bytes() == alone
