"""The fitted call model of threat: it loads, is made from call labels, and raises the flag only beside a weak
cue, with words of the call as evidence.

The small model below is a real artefact written with :class:`FittedModel` (not a mock): its weights are set by
hand so that the test says exactly which words push it. Sentences are written for this test.
"""

from __future__ import annotations

from assistant.analysis.fitted import FittedModel
from assistant.analysis.threat import (
    THREAT_MODEL,
    ThreatOptions,
    ThreatTracker,
    call_features,
    speaker_grams,
    threat_examples,
)
from assistant.analysis.training import LabelledCall, load_model


def test_the_shipped_model_loads_with_its_threshold_and_scores():
    model = load_model(THREAT_MODEL)
    assert model.classes == [False, True]
    assert 0.0 < model.thresholds["positive"] < 1.0
    meta = model.meta
    assert meta["parameters"]["threshold_rule"] == "min_recall"
    assert set(meta["scores"]["per_writer"]) >= {"dev", "tra", "trb", "trc", "trd"}


def test_one_example_per_call_from_both_speakers():
    call = LabelledCall(id="xyz-001", source="test", labels={"threat": True}, turns=[
        {"speaker": "caseworker", "text": "Goddag"},
        {"speaker": "citizen", "text": "pillerne"},
    ])
    (example,) = threat_examples([call])
    assert example.label is True and example.writer == "xyz"
    assert "w:_go" in example.features and "c:pil" in example.features


def test_features_have_unit_length_so_a_short_prefix_reads_like_a_call():
    for text in ("hej", "jeg har ventet i tre måneder på et svar fra jer"):
        values = call_features(speaker_grams(text, "citizen")).values()
        assert abs(sum(v * v for v in values) - 1.0) < 1e-9


def _model_dir(tmp_path):
    """A model that reads "sovepiller" in a citizen turn as a strong push towards a threat."""
    model = FittedModel(name=THREAT_MODEL, classes=[False, True], features=["c:_sove", "c:pill"],
                        coef=[[40.0, 40.0]], intercept=[-2.0], thresholds={"positive": 0.5})
    model.save(tmp_path / f"{THREAT_MODEL}.json")
    load_model.cache_clear()
    return tmp_path


def _tracker(parse, tmp_path, texts: list[str], **options) -> ThreatTracker:
    tracker = ThreatTracker(ThreatOptions(**options), models_dir=_model_dir(tmp_path))
    for i, text in enumerate(texts):
        tracker.update_caseworker(2 * i, parse("Ja, jeg hører dig."))
        tracker.update_citizen(2 * i + 1, parse(text))
    return tracker


def test_the_model_raises_the_flag_beside_a_weak_cue_with_words_of_the_call(parse, tmp_path):
    texts = ["jeg kan ikke mere", "jeg har sovepiller i skabet"]
    tracker = _tracker(parse, tmp_path, texts)
    load_model.cache_clear()
    assert tracker.threat
    evidence = tracker.public_flags()[0].evidence
    assert evidence[0] == "kan ikke mere"  # the weak cue first, then the words that pushed the model
    assert "sovepiller" in evidence
    spoken = " ".join(parse(" ".join(texts)).lowers)
    assert all(e in spoken for e in evidence)


def test_the_model_alone_raises_nothing(parse, tmp_path):
    tracker = _tracker(parse, tmp_path, ["jeg har sovepiller i skabet, lægen har skrevet dem ud"])
    load_model.cache_clear()
    assert tracker.probability > 0.5
    assert not tracker.threat


def test_the_model_can_be_switched_off(parse, tmp_path):
    tracker = ThreatTracker(ThreatOptions(fitted=False), models_dir=_model_dir(tmp_path))
    for i, text in enumerate(["jeg kan ikke mere", "jeg har sovepiller i skabet"]):
        tracker.update_citizen(i, parse(text))
    load_model.cache_clear()
    assert not tracker.threat
