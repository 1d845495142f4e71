"""The Danish spaCy pipeline with our registered components."""

from __future__ import annotations


def test_pipeline_has_our_components(nlp):
    assert "borger_cues" in nlp.pipe_names
    assert "borger_afinn" in nlp.pipe_names
    assert nlp.lang == "da"


def test_pipeline_is_cached():
    from assistant.analysis.pipeline import get_nlp

    assert get_nlp() is get_nlp()


def test_cues_are_spans_with_labels(nlp):
    doc = nlp("Jeg har ventet i tre måneder, og ingen ringer tilbage.")
    labels = {span.label_ for span in doc.spans["cues"]}
    assert "complaint:sagsbehandlingstid" in labels
    assert "complaint:manglende_kontakt" in labels
    assert all(c.text for c in doc._.cues)


def test_lemmas_used_for_matching(nlp):
    # "afslagene" is only in the lexicon as the lemma prefix "afslag*"
    doc = nlp("afslagene var helt urimelige")
    assert any(c.label == "afgoerelse" for c in doc._.cues)


def test_afinn_scores_and_negation(nlp):
    plain = dict(nlp("det er godt")._.afinn)
    negated = dict(nlp("det er ikke godt")._.afinn)
    assert sum(plain.values()) > 0
    assert sum(negated.values()) < 0
