"""The incremental analyser: one utterance in, what changed out."""

from __future__ import annotations

import pytest

from assistant.analysis.analyzer import CallAnalyzer
from assistant.analysis.types import AsrInfo
from assistant.errors import AnalysisError


def test_create_reuses_pipeline():
    assert CallAnalyzer.create().nlp is CallAnalyzer.create().nlp


def test_turn_by_turn_updates(analyzer):
    first = analyzer.add_turn("caseworker", "Goddag, du taler med Karin fra kommunen, og det gælder klagen fra dig. "
                                            "Hvad er der sket?")
    assert first.turn.speaker == "caseworker"
    assert first.turn.question == "open"
    assert first.turn.frustration is None  # never an emotion for the caseworker
    second = analyzer.add_turn("citizen", "Jeg har fået afslag på min ansøgning, og jeg er helt uenig. "
                                          "Det er simpelthen for dårligt, I er fuldstændig ligeglade!")
    assert second.turn.frustration >= 2
    assert "call" in second.changed
    assert [p.category for p in second.call.complaint_points] == ["afgoerelse"]
    assert second.call.complaint_kind == "afgoerelse"
    assert second.assessment.level in ("yellow", "red")
    kinds = {s.kind for s in second.suggestions}
    assert "guidance" in kinds and "reflection" in kinds
    guidance = next(s for s in second.suggestions if s.suggestion_id == "guidance.decision_complaint")
    assert "4 uger" in guidance.text and "genvurder" in guidance.text
    third = analyzer.add_turn("caseworker", "Du er altså ikke enig i afslaget, har jeg forstået det rigtigt?")
    assert third.turn.summary is True
    assert third.call.phase == "summarising"
    assert all(p.summarised for p in third.call.complaint_points)
    assert third.coaching.summaries == 1
    state = analyzer.result()
    assert len(state.turns) == 3
    assert state.call.frustration_peak >= 2
    assert len(state.call.frustration_curve) == 1


def test_unchanged_parts_are_not_reported(analyzer):
    analyzer.add_turn("caseworker", "Hej, det er Ole fra kommunen.")
    update = analyzer.add_turn("citizen", "hej")
    assert "assessment" not in update.changed


def test_suggestion_ids_are_stable_and_can_be_dismissed(analyzer):
    analyzer.add_turn("caseworker", "Hej, det gælder din klage. Hvordan startede det hele?")
    update = analyzer.add_turn("citizen", "jeg har ventet i fire måneder på svar og ingen ringer tilbage")
    ids = [s.suggestion_id for s in update.suggestions]
    assert len(ids) == len(set(ids))
    question = next(s for s in update.suggestions if s.kind == "question")
    analyzer.mark_suggestion(question.suggestion_id, "dismissed")
    assert question.suggestion_id not in [s.suggestion_id for s in analyzer.state.suggestions]
    later = analyzer.add_turn("citizen", "det er rigtig længe at vente")
    assert question.suggestion_id not in [s.suggestion_id for s in later.suggestions]


def test_unknown_speaker_gets_no_emotion(analyzer):
    update = analyzer.add_turn("unknown", "det er fandme for dårligt, I er nogle idioter")
    assert update.turn.frustration is None
    assert update.turn.speaker == "unknown"


def test_bad_speaker_is_rejected(analyzer):
    with pytest.raises(AnalysisError):
        analyzer.add_turn("supervisor", "hej")


def test_threat_turns_red(analyzer):
    analyzer.add_turn("caseworker", "Jeg ringer om din klage.")
    update = analyzer.add_turn("citizen", "hvis udbetalingen ikke er på kontoen mandag, så møder jeg op og banker ham")
    assert update.call.threat
    assert not update.call.method_suitable
    assert update.assessment.level == "red"
    assert any(s.suggestion_id == "guidance.threat" for s in update.suggestions)


def test_many_points_offer_written_handling(analyzer):
    analyzer.add_turn("caseworker", "Fortæl.")
    update = analyzer.add_turn("citizen", "For det første er min udbetaling ikke kommet. "
                                          "For det andet har jeg fået afslag på hjælp, og det er jeg uenig i. "
                                          "For det tredje har ingen ringet tilbage selvom jeg har lagt besked.")
    assert len(update.call.complaint_points) >= 3
    assert not update.call.method_suitable
    assert any(s.suggestion_id == "guidance.many_points" for s in update.suggestions)


def test_green_for_a_simple_calm_case(analyzer):
    analyzer.add_turn("caseworker", "Hej. Din klage over sagsbehandlingstiden, hvad skete der egentlig?")
    update = analyzer.add_turn("citizen", "ja altså jeg har ventet på svar i fem uger, men ellers er det fint")
    assert update.assessment.level == "green"
    assert update.call.method_suitable


def test_low_confidence_transcript_caps_frustration(analyzer):
    asr = AsrInfo(avg_logprob=-1.6, no_speech_prob=0.4)
    update = analyzer.add_turn("citizen", "det er fandme for dårligt og I er fuldstændig ligeglade", asr=asr)
    assert update.turn.frustration <= 1


def test_summary_suggestion_in_second_person(analyzer):
    analyzer.add_turn("caseworker", "Fortæl mig lidt om forløbet.")
    update = analyzer.add_turn("citizen", "jeg har lagt besked fire gange, men der er aldrig nogen der ringer mig op")
    summary = next(s for s in update.suggestions if s.kind == "summary")
    assert summary.text.startswith("Hvis jeg forstår dig ret")
    assert " jeg har " not in summary.text.split("–")[-1]
