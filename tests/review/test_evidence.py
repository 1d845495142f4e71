"""Evidence as a person must see it: contiguous words of the turn it was said in, found there and marked."""

from __future__ import annotations

from security.helpers import CASEWORKER
from store.builders import ScriptTurn, call_events, feed

from assistant.review.evidence import locate, locate_in_text, readable, sentence_around
from assistant.store.recorder import CallRecorder

TURN = "Ja. Og så siger jeg bare: Jeg ved, hvor din kollega bor. Tænk over det."


def test_token_form_evidence_is_found_as_the_words_of_the_turn():
    found = locate("ved , hvor din kollega bor", [(0, "Ingenting her."), (3, TURN)])
    assert found is not None and found.turn_index == 3
    assert found.text == "ved, hvor din kollega bor" == TURN[found.start:found.end]
    assert sentence_around(TURN, found.start, found.end) == "Og så siger jeg bare: Jeg ved, hvor din kollega bor."


def test_only_whole_words_in_order_count():
    assert locate_in_text(TURN, "kollega hvor") is None          # order matters
    assert locate_in_text(TURN, "ved hvor din kolleg") is None   # no partial words
    assert locate_in_text(TURN, "") is None
    assert readable("ved , hvor din kollega bor .") == "ved, hvor din kollega bor."


def test_the_review_api_returns_located_evidence_and_spans(app_client):
    turns = [
        ScriptTurn("caseworker", "Goddag, jeg ringer om din klage."),
        ScriptTurn("citizen", TURN, frustration=3, evidence=["ved , hvor din kollega bor"],
                   flags=[("threat", ["ved , hvor din kollega bor"])]),
    ]
    feed(CallRecorder(app_client.store, caseworker_username=CASEWORKER), call_events("tokencall", turns))
    review = app_client.get("/api/review/calls/tokencall").json()
    threat = next(f for f in review["flags"] if f["kind"] == "threat")
    assert threat["evidence"] == ["ved, hvor din kollega bor"]
    assert threat["located"] == [{"text": "ved, hvor din kollega bor", "turn_index": 1}]
    turn = review["transcript"][1]
    assert turn["highlights"] == ["ved, hvor din kollega bor"]
    [(start, end)] = turn["highlight_spans"]
    assert turn["text"][start:end] == "ved, hvor din kollega bor"
    assert turn["frustration_label"] == "3 – Meget vred"
    queue = app_client.get("/api/review/queue").json()
    item = next(i for i in queue["data"] if i["call_id"] == "tokencall")
    assert item["review_status"] == "not_reviewed" and item["review_status_label"] == "Ikke gennemgået"
    assert "Trussel: ved, hvor din kollega bor" in item["reasons"]
