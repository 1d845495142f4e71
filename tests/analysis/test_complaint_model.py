"""The complaint-point model's parts: clauses and features, weak clause labels, the call-level decision."""

from __future__ import annotations

from assistant.analysis.complaint_model import (
    DECIDED,
    ClauseContext,
    call_categories,
    category_features,
    clause_features,
    clauses,
    fallback_category,
    is_framing,
    kind_of,
    weak_labels,
)


def _items(parse, text, speaker="citizen", index=1):
    turn = parse(text)
    return [clause_features(turn, seg, ClauseContext(speaker, index)) for seg in clauses(turn)]


def test_clauses_skip_fillers_and_keep_content(parse):
    turn = parse("Ja. Øh. Jeg har ventet på svar siden marts, og ingen har ringet tilbage.")
    texts = [clause_features(turn, seg, ClauseContext("citizen", 1)).text for seg in clauses(turn)]
    assert texts and all("ventet" in t or "ringet" in t for t in texts)
    assert not any(t in ("ja", "øh") for t in texts)


def test_features_name_speaker_framing_cues_and_ngrams(parse):
    turn = parse("Du har klaget over at hjemmeplejen ikke dukkede op i weekenden")
    item = clause_features(turn, clauses(turn)[0], ClauseContext("caseworker", 0, framing=True))
    assert item.features["speaker=cw"] == 1.0 and item.features["framing"] == 1.0
    assert item.features["negation"] == 1.0
    assert any(name.startswith("ng:") for name in item.features)
    assert any(name.startswith("lem:") for name in item.features)


def test_transcript_without_punctuation_gives_the_same_ngrams(parse):
    written = _items(parse, "Brevet var helt uforståeligt.")[0].features
    spoken = _items(parse, "brevet var helt uforståeligt")[0].features
    assert {k for k in written if k.startswith("ng:")} == {k for k in spoken if k.startswith("ng:")}


def test_weak_labels_match_gists_by_content_words(parse):
    items = _items(parse, "Godmorgen. Skraldespanden er ikke blevet tømt i tre uger. "
                          "Og jeg har ringet fem gange uden at nogen tog telefonen. Vejret er fint i dag.")
    labels = weak_labels(items, [("service", "skraldespanden blev ikke tømt i tre uger"),
                                 ("manglende_kontakt", "ingen tog telefonen da hun ringede")])
    by_text = dict(zip((i.text for i in items), labels))
    assert by_text["skraldespanden er ikke blevet tømt i tre uger"] == "service"
    assert by_text["og jeg har ringet fem gange uden at nogen tog telefonen"] == "manglende_kontakt"
    assert by_text["vejret er fint i dag"] == "none"


def test_weak_labels_leave_out_what_they_cannot_decide(parse):
    items = _items(parse, "Jeg forstod ikke brevet om min boligstøtte, der stod noget om beregningen")
    labels = weak_labels(items, [("information", "forstod ikke brevet om boligstøtte og beregningen af den")],)
    assert "information" in labels
    unrelated = weak_labels(items, [("afgoerelse", "uenig i afslaget på boligstøtte")])
    assert "information" not in unrelated


def test_caseworker_opening_and_complaint_reference_are_framing(parse):
    assert is_framing(parse("Goddag, det er Lise fra kommunen"), 0)
    assert is_framing(parse("Det gælder din klage over den lange ventetid"), 7)
    assert not is_framing(parse("Hvordan har dagen været for dig indtil nu?"), 7)


def test_call_categories_threshold_and_at_least_one_point():
    probs = {c: 0.1 for c in DECIDED} | {"service": 0.8, "fejl": 0.6}
    assert call_categories(probs, 0.5) == ["fejl", "service"]
    assert call_categories(probs, 0.9) == []
    assert call_categories(probs, 0.9, fallback="service") == ["service"]  # a complaint call has a point


def test_fallback_needs_a_clause_that_reads_as_a_point():
    assert fallback_category([{"none": 0.9, "service": 0.1}]) is None
    assert fallback_category([{"none": 0.9, "service": 0.1}, {"none": 0.3, "fejl": 0.6, "service": 0.1}]) == "fejl"
    assert fallback_category([]) is None


def test_category_features_count_repeats_and_who_said_it(parse):
    items = _items(parse, "Maden var kold. Maden var kold igen i går.") + _items(
        parse, "Så maden har været kold flere dage", speaker="caseworker", index=2)
    scores = [{"service": 0.9, "none": 0.1}, {"service": 0.7, "none": 0.3}, {"service": 0.6, "none": 0.4}]
    f = category_features(scores, items, "service")
    assert f["max"] == 0.9 and f["second"] == 0.7
    assert f["citizen_max"] == 0.9 and f["caseworker_max"] == 0.6
    assert f["n_over_half"] == 0.75 and f["cat=service"] == 1.0
    assert category_features(scores, items, "fejl")["max"] == 0.0


def test_kind_follows_the_schema():
    assert kind_of(["afgoerelse"]) == "afgoerelse"
    assert kind_of(["afgoerelse", "adfaerd"]) == "blandet"
    assert kind_of(["sagsbehandlingstid"]) == "formalitet"
    assert kind_of([]) == "formalitet"


def test_every_line_of_the_complaint_and_coaching_lexicons_says_where_it_comes_from():
    import json

    from assistant.analysis.lexicon import DATA_DIR

    allowed = ("general Danish", "domain knowledge", "source:")
    for name in ("complaint", "coaching", "coaching_fuzzy", "phase"):
        for line in (DATA_DIR / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip().startswith("{"):
                assert str(json.loads(line).get("provenance", "")).startswith(allowed), (name, line)
