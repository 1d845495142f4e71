"""Evaluation metrics on a tiny labelled set and the external sentiment check."""

from __future__ import annotations

import json
import shutil

from assistant.analysis.evaluation import Binary, evaluate_dir, evaluate_sentiment, format_report, format_sentiment


def test_binary_counts():
    b = Binary()
    for gold, pred in [(True, True), (True, False), (False, True), (False, False)]:
        b.add(gold, pred)
    assert b.as_dict() == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "accuracy": 0.5, "support": 2, "n": 4}


def test_evaluate_dir_computes_every_metric(data_dir, tmp_path):
    for name in ("call_decision.json", "call_language.json"):
        shutil.copy(data_dir / name, tmp_path / name)
    report = evaluate_dir(tmp_path)
    assert report.calls == 2
    for key in ("frustration>=2", "summary", "language_barrier", "health_barrier", "threat", "method_suitable",
                "category_micro", "complaint_count_exact", "complaint_count_within_1", "complaint_kind_accuracy",
                "question_type_accuracy"):
        assert key in report.metrics
    assert report.confusion["question"]["labels"] == ["open", "closed", "none"]
    assert sum(map(sum, report.confusion["question"]["rows"])) == 7
    assert report.timing_ms["utterances"] == 14
    assert "== " in format_report(report)


def test_external_sentiment(tmp_path):
    rows = [{"source": "a", "valence": -3, "text": "Det er en katastrofe og helt uacceptabelt."},
            {"source": "a", "valence": 2, "text": "Vi er glade for det gode samarbejde."},
            {"source": "b", "valence": 0, "text": "Mødet begynder klokken ti."}]
    path = tmp_path / "s.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    report = evaluate_sentiment(path)
    assert report.overall["n"] == 3
    assert report.overall["balanced_accuracy"] == 1.0
    assert set(report.by_source) == {"a", "b"}
    assert "balanced accuracy" in format_sentiment(report)
