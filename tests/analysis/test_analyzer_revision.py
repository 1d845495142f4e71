"""The citizen's reply revises the caseworker's previous turn: the state's turn list carries the revised question
type and summary flag, and the coaching counts follow (own sentences, as a recogniser hands them over)."""

from __future__ import annotations

from assistant.analysis.analyzer import CallResult


def counts_match_turns(state: CallResult) -> None:
    turns = [t for t in state.turns if t.speaker == "caseworker"]
    assert state.coaching.open_questions == sum(t.question == "open" for t in turns)
    assert state.coaching.closed_questions == sum(t.question == "closed" for t in turns)
    assert state.coaching.leading_questions == sum(t.leading for t in turns)
    assert state.coaching.summaries == sum(bool(t.summary) for t in turns)


def test_a_yes_revises_a_question_that_lost_its_question_mark(analyzer):
    analyzer.add_turn("caseworker", "goddag det er pia fra jobcentret jeg ringer om din klage")
    analyzer.add_turn("citizen", "ja hej det var godt du ringede")
    asked = analyzer.add_turn("caseworker", "så du fik svar fra jobcentret i fredags")
    assert asked.turn.question == "none"  # decided when the turn ends, before any reply
    answered = analyzer.add_turn("citizen", "ja det gjorde jeg")
    assert analyzer.state.turns[2].question == "closed"
    assert answered.turn.index == 3  # the update is still about the citizen's turn ...
    assert "coaching" in answered.changed  # ... and the panel gets the corrected counts with it
    assert answered.coaching.closed_questions == analyzer.state.coaching.closed_questions
    counts_match_turns(analyzer.state)


def test_a_question_with_punctuation_stays_as_it_was(analyzer):
    analyzer.add_turn("caseworker", "Goddag, det er Pia fra Jobcentret. Har du tid til at tale om din klage?")
    analyzer.add_turn("citizen", "Ja, det har jeg.")
    analyzer.add_turn("caseworker", "Hvordan har forløbet været for dig?")
    analyzer.add_turn("citizen", "Det har været en lang og besværlig tid, for ingen har svaret på mine breve, og jeg har "
                                 "ringet mange gange uden at komme igennem.")
    assert [t.question for t in analyzer.state.turns if t.speaker == "caseworker"] == ["closed", "open"]
    counts_match_turns(analyzer.state)


def test_counts_follow_the_turns_through_a_whole_call(analyzer):
    turns = [
        ("caseworker", "god eftermiddag jonas her fra pasekspeditionen taler jeg med karen"),
        ("citizen", "ja det gør du"),
        ("caseworker", "fortæl mig hvad der skete med dit pas"),
        ("citizen", "jeg bestilte det i april og fik at vide at det ville tage tre uger men nu er der gået to måneder "
                    "og ingen kan sige hvor det er"),
        ("caseworker", "så du har ventet to måneder på passet og ingen kan sige hvor det er er det rigtigt forstået"),
        ("citizen", "ja præcis"),
        ("caseworker", "jeg ringer til pascentret i dag og så hører du fra mig i morgen"),
        ("citizen", "okay tak"),
        ("caseworker", "er der andet jeg kan hjælpe med"),
    ]
    for speaker, text in turns:
        analyzer.add_turn(speaker, text)
        counts_match_turns(analyzer.state)
    kinds = [(t.question, bool(t.summary)) for t in analyzer.state.turns if t.speaker == "caseworker"]
    assert kinds[1][0] == "open" and kinds[2] == ("closed", True) and kinds[3] == ("none", False)
    assert kinds[4][0] == "closed"  # the last turn has no reply: its first decision stands


def test_an_unknown_speaker_does_not_revise(analyzer):
    analyzer.add_turn("caseworker", "goddag det er pia fra jobcentret jeg ringer om din klage")
    analyzer.add_turn("citizen", "ja hej")
    analyzer.add_turn("caseworker", "så du fik svar fra jobcentret i fredags")
    analyzer.add_turn("unknown", "ja det gjorde jeg")
    assert analyzer.state.turns[2].question == "none"  # mono input: the reply may be the caseworker's own words
    counts_match_turns(analyzer.state)
