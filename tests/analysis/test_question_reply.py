"""The citizen's reply tells what the caseworker's turn was: features of the reply and their effect on the fitted
question type, on our own sentences written as a recogniser hands them over (no "?", no capitals)."""

from __future__ import annotations

from assistant.analysis.coaching import classify_question, hand_question, summary_score
from assistant.analysis.question_model import QUESTION_MODEL, question_features, reply_features
from assistant.analysis.training import load_model

LONG_TELLING = ("altså det startede med at min mor blev syg i foråret og så skulle jeg pludselig både passe hende "
                "og gå på arbejde og det hang slet ikke sammen")


def probabilities(parse, text: str, reply: str | None = None) -> dict:
    turn = parse(text)
    features = question_features(turn, hand_question(turn).question, opening=False, summary=summary_score(turn),
                                 reply=parse(reply) if reply is not None else None)
    return load_model(QUESTION_MODEL).predict_proba(features)


def test_reply_features_read_the_answer_particle_and_the_length(parse):
    short = reply_features(parse("nej da det har jeg ikke"))
    assert short["reply:first:nej"] == 1.0 and short["reply:first2:nej_da"] == 1.0
    assert short["reply:len:3-6"] == 1.0
    long = reply_features(parse(LONG_TELLING))
    assert long["reply:first:altså"] == 1.0 and long["reply:len:16+"] == 1.0
    assert reply_features(parse("i februar"))["reply:first:word"] == 1.0


def test_features_have_reply_parts_only_once_a_reply_exists(parse):
    turn = parse("så du fik svar fra jobcentret i fredags")
    before = question_features(turn, "none", opening=False, summary=0.0)
    after = question_features(turn, "none", opening=False, summary=0.0, reply=parse("ja det gjorde jeg"))
    assert not any(name.startswith(("reply:", "u#reply:")) for name in before)
    assert after["reply:first:ja"] == 1.0 and after["u#reply:first:ja"] == 1.0  # crossed with the turn's regime
    assert set(before) < set(after)


def test_a_yes_makes_a_statement_shaped_question_closed(parse):
    text = "så du fik svar fra jobcentret i fredags"
    assert classify_question(parse(text)).question == "none"
    assert classify_question(parse(text), reply=parse("ja det gjorde jeg")).question == "closed"
    assert probabilities(parse, text, "ja det gjorde jeg")["closed"] > probabilities(parse, text)["closed"]


def test_a_long_telling_speaks_for_an_open_question(parse):
    for text in ("du har snakket med din læge om det", "kan du fortælle lidt om hvordan det gik"):
        assert probabilities(parse, text, LONG_TELLING)["open"] > probabilities(parse, text)["open"]
    assert classify_question(parse("kan du fortælle lidt om hvordan det gik"), reply=parse(LONG_TELLING)).question == "open"


def test_a_real_question_keeps_its_type_whatever_the_reply(parse):
    for reply in ("i februar", "nej det kan jeg ikke huske", LONG_TELLING):
        assert classify_question(parse("Har du modtaget brevet fra os?"), reply=parse(reply)).question == "closed"
    assert classify_question(parse("Jeg sender dig en kopi af afgørelsen i dag."),
                             reply=parse("okay tak")).question == "none"
