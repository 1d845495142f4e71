"""The fitted-model type: fitting, deterministic artefacts, loading without pickle, evidence."""

from __future__ import annotations

import pytest

from assistant.analysis.fitted import FitOptions, FittedModel, char_ngrams, fit_logistic
from assistant.errors import AnalysisError

EXAMPLES = [
    ({"cue:anger": 1.0, "len:short": 1.0}, 1), ({"cue:anger": 2.0}, 1), ({"cue:anger": 1.0, "addr:i": 1.0}, 1),
    ({"cue:calm": 1.0}, 0), ({"cue:calm": 1.0, "len:short": 1.0}, 0), ({"len:short": 1.0}, 0),
]


def _fit(**kwargs) -> FittedModel:
    return fit_logistic([x for x, _ in EXAMPLES], [y for _, y in EXAMPLES], name="toy",
                        options=FitOptions(min_count=1, **kwargs))


def test_fit_learns_the_direction_of_each_feature():
    model = _fit()
    assert model.predict_proba({"cue:anger": 1.0})[1] > 0.5
    assert model.predict_proba({"cue:calm": 1.0})[1] < 0.5
    assert sum(model.predict_proba({"cue:anger": 1.0}).values()) == pytest.approx(1.0)


def test_unknown_features_are_ignored():
    model = _fit()
    assert model.predict_proba({"never:seen": 5.0}) == model.predict_proba({})


def test_artefact_is_deterministic_and_round_trips(tmp_path):
    first, second = _fit(), _fit()
    assert first.to_json() == second.to_json()
    path = first.save(tmp_path / "toy.json")
    loaded = FittedModel.load(path)
    assert loaded.to_json() == first.to_json()
    for features, _ in EXAMPLES:
        assert loaded.predict_proba(features)[1] == pytest.approx(first.predict_proba(features)[1], abs=1e-4)


def test_top_features_name_what_pushed_towards_the_class():
    model = _fit()
    assert model.top_features({"cue:anger": 1.0, "cue:calm": 1.0}, k=3, cls=1) == ["cue:anger"]
    assert model.top_features({"cue:anger": 1.0, "cue:calm": 1.0}, k=3, cls=0) == ["cue:calm"]


def test_rare_features_are_pruned():
    model = fit_logistic([x for x, _ in EXAMPLES], [y for _, y in EXAMPLES], name="toy",
                         options=FitOptions(min_count=2))
    assert "addr:i" not in model.features


def test_too_few_classes_is_a_clear_error():
    with pytest.raises(AnalysisError, match="for få"):
        fit_logistic([{"a": 1.0}], [1], name="toy")


def test_a_broken_artefact_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(AnalysisError, match="ikke en gyldig modelfil"):
        FittedModel.load(path)
    with pytest.raises(AnalysisError, match="Kan ikke læse"):
        FittedModel.load(tmp_path / "missing.json")


def test_char_ngrams_ignore_case_and_punctuation():
    assert char_ngrams("Det er URIMELIGT!") == char_ngrams("det er urimeligt")
    assert "ng:_ur" in char_ngrams("urimeligt")
