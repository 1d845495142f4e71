"""Language per clause and barriers about the person, not the name; evidence is the transcript's own words.

Every sentence here was written for this test (general Danish, English, Turkish, Polish and Arabic), none is taken
from a labelled call.
"""

from __future__ import annotations

import json
import re

import pytest

from assistant.analysis.language import (
    _language_data,
    foreign_spans,
    lingua_language,
    main_language,
    script_language,
)

CASEWORKER_QUESTION = "Hvad tænker du om det?"


@pytest.fixture(scope="module")
def vocabulary(nlp):
    from assistant.analysis.pipeline import lemma_table

    return lemma_table(nlp)


def _call(turns: list[tuple[str, str]]):
    """Run a call of (speaker, text) turns through the analyser; return the final state."""
    from assistant.analysis.analyzer import CallAnalyzer

    analyzer = CallAnalyzer.create()
    for speaker, text in turns:
        analyzer.add_turn(speaker, text)
    return analyzer.result()


def _citizen(*texts: str) -> list[tuple[str, str]]:
    turns = [("caseworker", "Goddag, Sofie her fra kommunen, vi skal tale om din klage.")]
    for text in texts:
        turns += [("citizen", text), ("caseworker", CASEWORKER_QUESTION)]
    return turns


# ---- language of clauses ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "lang"), [
    ("jamen det passer ikke. bana bunu neden yapıyorsunuz, anlamıyorum. undskyld", "tr"),
    ("ja, det er mig. I really do not understand why nobody answered my letters.", "en"),
    ("nej. proszę pana, ja nic z tego nie rozumiem. nej", "pl"),
    ("ja ja. لا أفهم هذه الرسالة أبدا", "ar"),
])
def test_a_clause_in_another_language_is_found_in_a_danish_turn(parse, vocabulary, text, lang):
    spans = foreign_spans(parse(text), vocabulary)
    assert [s.lang for s in spans] == [lang]
    assert spans[0].text.split()[0].strip(",.") in text  # the span is the transcript's own words


@pytest.mark.parametrize("text", [
    "jeg hedder Aleksandra Wiśniewska og jeg ringer om min boligstøtte",
    "det var den fra Rigshospitalet, ikke den anden",
    "det er sgu for nice, you know, men I svarer bare ikke",
    "okay, thanks. det var det",
    "ja. spas. hej hej",
])
def test_names_loan_words_and_one_word_greetings_are_danish(parse, vocabulary, text):
    assert foreign_spans(parse(text), vocabulary) == []
    assert main_language(parse(text), [], vocabulary) == "da"


def test_a_transcript_without_punctuation_is_searched_for_foreign_runs(parse, vocabulary):
    text = ("ja men jeg ringede i går og så sagde hun bana yardım edemeyiz dedi ve telefonu kapattı "
            "og så var det det")
    spans = foreign_spans(parse(text), vocabulary)
    assert [s.lang for s in spans] == ["tr"]


def test_the_main_language_of_a_turn_follows_most_of_its_letters(parse, vocabulary):
    turn = parse("ja. I have sent all the papers to you two times already, and still nothing happens")
    assert main_language(turn, foreign_spans(turn, vocabulary), vocabulary) == "en"
    danish = parse("ja jeg har sendt alle papirerne to gange, og der sker stadig ingenting. sorry")
    assert main_language(danish, foreign_spans(danish, vocabulary), vocabulary) == "da"


def test_writing_systems_name_their_language():
    assert script_language("ขอบคุณมากค่ะ") == "th"
    assert script_language("ሰላም ከመይ ኣለኻ") == "ti"
    assert script_language("я не розумію цього листа") == "uk"
    assert script_language("jeg forstår godt") is None


def test_lingua_chooses_only_among_the_plausible_languages():
    plausible = set(_language_data()["_plausible"])
    assert {"da", "en", "ar", "tr", "pl", "so", "uk"} <= plausible
    lang, confidence = lingua_language("waxaan rabaa inaan la hadlo qof af soomaali ku hadla")
    assert lang in plausible and lang == "so" and confidence > 0.5


# ---- language barrier: the person, not the name --------------------------------------------------------------

def test_one_english_phrase_is_no_language_barrier(nlp):
    state = _call(_citizen("ja hej, det er mig. I mean, come on, det har taget fire måneder nu",
                           "jeg vil bare have et svar på min ansøgning", "tak for det, vi snakkes"))
    assert not state.call.language_barrier


def test_a_foreign_name_and_an_accent_are_no_language_barrier(nlp):
    state = _call(_citizen("ja, det er Gülşen Yıldırım. jeg ringer tilbage om min klage",
                           "det drejer sig om min søns plads i børnehaven, den er ikke kommet",
                           "fint, så venter jeg på jeres brev"))
    assert not state.call.language_barrier


def test_a_complaint_about_an_interpreter_is_no_language_barrier(nlp):
    state = _call(_citizen("min klage handler om tolken, han kom en halv time for sent til mødet",
                           "og tolken sad og skrev sms'er under hele mødet, det synes jeg er for dårligt",
                           "jeg taler selv dansk, men min mand har brug for en tolk"))
    assert not state.call.language_barrier


def test_several_turns_in_another_language_are_a_language_barrier(nlp):
    state = _call(_citizen("ja. ben anlamıyorum, bu mektup ne diyor bilmiyorum",
                           "undskyld. kızım burada değil, o her zaman tercüme ediyor",
                           "ja ja. tamam, tamam"))
    assert state.call.language_barrier


# ---- health barrier: illness that hinders the dialogue, not weariness ------------------------------------------

def test_being_fed_up_is_no_health_barrier(nlp):
    state = _call(_citizen("jeg er altså så træt af det her", "jeg er så træt af at vente på jer",
                           "I glemmer jo altid at ringe tilbage"))
    assert not state.call.health_barrier


def test_saying_one_will_not_forget_is_no_memory_problem(nlp):
    state = _call(_citizen("jeg skriver datoen ned, så jeg ikke glemmer den",
                           "jeg glemmer aldrig sådan noget", "godt, så har jeg styr på det"))
    assert not state.call.health_barrier


def test_losing_the_thread_with_a_caseworker_who_adapts_is_a_health_barrier(nlp):
    state = _call([
        ("caseworker", "Hej, Mads fra jobcentret her, vi skal tale om det, du har klaget over i praktikken."),
        ("citizen", "praktikken ja. undskyld, hvad var det nu vi skulle tale om"),
        ("caseworker", "Det gør ikke noget. Tag dig god tid, der er ingen hast."),
        ("citizen", "jeg har svært ved at holde tråden efter min hjernerystelse"),
    ])
    assert state.call.health_barrier


def test_breathlessness_and_word_finding_are_a_health_barrier(nlp):
    state = _call(_citizen("undskyld... jeg skal lige have vejret... det er lungerne",
                           "ordene de... de vil bare ikke komme i dag", "jeg kan ikke finde ordet"))
    assert state.call.health_barrier


# ---- evidence is the transcript's words ------------------------------------------------------------------------

_INVENTED = ("tur på", "gebrokkent dansk", "tolk tilbudt")


def _normalised(text: str) -> str:
    return re.sub(r"\s+([,.!?;:])", r"\1", text).lower()


@pytest.mark.parametrize("kind", ["language_barrier", "health_barrier"])
def test_barrier_evidence_is_words_of_the_transcript(nlp, kind):
    turns = [
        ("caseworker", "Goddag, det er Sofie fra kommunen. Skal vi have en tolk med?"),
        ("citizen", "ja. ben anlamıyorum, bu mektup ne diyor bilmiyorum"),
        ("caseworker", "Tag dig god tid."),
        ("citizen", "undskyld, jeg ikke forstå. jeg få brev, jeg ikke læse"),
        ("caseworker", "Jeg kan ringe igen, når du har det bedre."),
        ("citizen", "min hukommelse er dårlig efter blodproppen, hvad var det vi talte om"),
        ("citizen", "kızım tercüme ediyor, o bugün burada değil"),
        ("citizen", "jeg kan ikke huske hvad du spurgte om"),
    ]
    state = _call(turns)
    flag = next(f for f in state.call.flags if f.kind == kind)
    transcript = _normalised(" \n ".join(text for _, text in turns))
    assert flag.evidence
    for item in flag.evidence:
        assert not item.startswith(_INVENTED), item
        assert _normalised(item) in transcript, item


def test_plausible_languages_are_known_to_lingua():
    from lingua import IsoCode639_1

    for code in json.loads(json.dumps(_language_data()["_plausible"])):
        assert hasattr(IsoCode639_1, code.upper()), code


# ---- the transcriber's evidence --------------------------------------------------------------------------------

def test_a_moderate_transcriber_vote_counts_when_the_words_lean_the_same_way(parse):
    from assistant.analysis.barriers import guess_language
    from assistant.analysis.types import AsrInfo

    unsure = AsrInfo(language="da", language_probs={"da": 0.6, "en": 0.4})
    assert guess_language(parse("okay. thank you. bye"), unsure) == "en"
    assert guess_language(parse("okay. thank you. bye")) == "da"  # the text alone is too short to tell
    assert guess_language(parse("ja tak, det er helt fint med mig"), unsure) == "da"
    assert guess_language(parse("ja tak"), AsrInfo(language_probs={"da": 0.1, "sv": 0.9})) == "da"


def test_crying_that_stops_the_talk_and_clouding_medication_are_a_health_barrier(nlp):
    state = _call(_citizen("undskyld, jeg kan ikke holde op med at græde",
                           "jeg er helt sløv af den nye medicin, jeg kan ikke tænke klart"))
    assert state.call.health_barrier


def test_crying_once_over_the_decision_is_no_health_barrier(nlp):
    state = _call(_citizen("jeg blev så ked af det at jeg græd da jeg fik brevet",
                           "men nu vil jeg bare have sagen genoptaget", "tak fordi du ringede"))
    assert not state.call.health_barrier


def test_asking_for_an_interpreter_for_oneself_is_a_language_barrier(nlp):
    state = _call(_citizen("ja det er mig", "kan jeg få en tolk til at hjælpe mig næste gang?"))
    assert state.call.language_barrier


def test_an_interpreter_for_someone_else_is_no_language_barrier(nlp):
    state = _call(_citizen("ja det er mig", "min svigerfar har brug for en tolk når han skal til lægen",
                           "men min klage handler om ventetiden på hans hjælpemidler"))
    assert not state.call.language_barrier


def test_own_diagnosis_with_its_hindrance_in_one_turn_is_a_health_barrier(nlp):
    state = _call(_citizen("ja. jeg har fået en hjerneblødning, og nu kan jeg ikke huske noget og bliver "
                           "hurtigt forvirret"))
    assert state.call.health_barrier


def test_someone_elses_diagnosis_with_its_hindrance_is_no_health_barrier(nlp):
    state = _call(_citizen("min far har fået en hjerneblødning, han kan ikke huske noget og bliver hurtigt "
                           "forvirret", "derfor klager jeg over at hjemmeplejen ikke kommer"))
    assert not state.call.health_barrier
