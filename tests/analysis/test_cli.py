"""The `analyze` and `eval` commands, run through typer's CliRunner on the test calls."""

from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from assistant.cli import app

runner = CliRunner()


def _analyze(*paths) -> list[dict]:
    result = runner.invoke(app, ["analyze", *[str(p) for p in paths]])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.strip()]


def test_analyze_prints_one_json_line_per_call(data_dir):
    records = _analyze(data_dir / "call_decision.json", data_dir / "call_language.json")
    assert [r["id"] for r in records] == ["test-decision", "test-language"]
    decision = records[0]
    assert len(decision["turns"]) == 8
    cw, citizen = decision["turns"][0], decision["turns"][1]
    assert set(cw) >= {"index", "speaker", "question", "summary"} and cw["question"] in ("open", "closed", "none")
    assert set(citizen) >= {"index", "speaker", "frustration", "lang", "evidence"}
    call = decision["call"]
    assert set(call) >= {"complaint_points", "complaint_kind", "frustration_peak", "language_barrier",
                         "health_barrier", "threat", "method_suitable", "assessment", "suggestions"}
    assert {p["category"] for p in call["complaint_points"]} >= {"afgoerelse"}
    assert call["complaint_kind"] in ("afgoerelse", "blandet")
    assert call["assessment"]["level"] in ("green", "yellow", "red")
    assert all(s["kind"] in ("summary", "question", "reflection", "deescalation", "guidance")
               for s in call["suggestions"])
    assert records[1]["call"]["language_barrier"] is True


def test_labels_are_ignored(data_dir, tmp_path):
    original = json.loads((data_dir / "call_decision.json").read_text(encoding="utf-8"))
    altered = json.loads(json.dumps(original))
    for turn in altered["turns"]:
        for key in ("question", "summary", "lang", "frustration"):
            if key in turn:
                turn[key] = {"question": "none", "summary": True, "lang": "xx", "frustration": 3}[key]
    altered["labels"] = {"complaint_points": [], "threat": True, "method_suitable": False}
    path = tmp_path / "altered.json"
    path.write_text(json.dumps(altered, ensure_ascii=False), encoding="utf-8")
    assert _analyze(path) == _analyze(data_dir / "call_decision.json")


def test_asr_field_is_used(data_dir, tmp_path):
    call = json.loads((data_dir / "call_language.json").read_text(encoding="utf-8"))
    call["turns"][1]["asr"] = {"avg_logprob": -0.3, "no_speech_prob": 0.01, "language_probs": {"pl": 0.9}}
    path = tmp_path / "asr.json"
    path.write_text(json.dumps(call), encoding="utf-8")
    assert _analyze(path)[0]["turns"][1]["lang"] == "pl"


def test_analyze_missing_file_is_a_clear_error(tmp_path):
    from assistant.errors import AnalysisError

    result = runner.invoke(app, ["analyze", str(tmp_path / "nope.json")])
    assert result.exit_code != 0
    assert isinstance(result.exception, AnalysisError)


def test_eval_prints_metrics(data_dir, tmp_path):
    calls = tmp_path / "calls"
    calls.mkdir()
    for name in ("call_decision.json", "call_language.json"):
        shutil.copy(data_dir / name, calls / name)
    result = runner.invoke(app, ["eval", str(calls)])
    assert result.exit_code == 0, result.output
    assert "frustration>=2" in result.output and "question_type_accuracy" in result.output
    assert "confusion question" in result.output and "p95" in result.output
    as_json = runner.invoke(app, ["eval", str(calls), "--json"])
    report = json.loads(as_json.output)["calls"]
    assert report["calls"] == 2
    assert 0.0 <= report["metrics"]["summary"]["f1"] <= 1.0
    assert report["timing_ms"]["utterances"] == 14
