"""Frustration levels from context and structure: what surrounds a cue word, what kind of cue it is, and the
citizen's previous turn. Own sentences (not from the evaluation calls), each also as a recogniser would hand it
over (lower case, no punctuation)."""

from __future__ import annotations

import re

import pytest

from assistant.analysis.frustration import score_frustration


def transcript(text: str) -> str:
    """The text as a transcriber hands it over: lower case, no punctuation."""
    return re.sub(r"[.,!?;:]", "", text.lower())


def both(text: str) -> list[str]:
    return [text, transcript(text)]


def level(parse, text: str, previous_level: int = 0) -> int:
    return score_frustration(parse(text), previous_level=previous_level).level


# --- anger versus weariness ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Jeg er virkelig vred over den måde, jeg er blevet behandlet på.",
    "Ingen ringer nogensinde tilbage, og ingen svarer på mine mails.",
    "Jeg bliver bare sendt rundt fra kontor til kontor.",
    "Ærligt talt er I jo komplet ligeglade med folk som os.",
    "Hvad får I egentlig løn for derinde?",
    "Det er dybt uacceptabelt, og jeg vil have en undskyldning.",
    "Nu har jeg fået nok. Hvis ikke det bliver løst, går jeg til pressen.",
    "Jeg føler mig behandlet som en forbryder, og det er krænkende.",
])
def test_anger_and_reproach_are_frustration(parse, text):
    for variant in both(text):
        assert level(parse, variant) == 2, variant


@pytest.mark.parametrize("text", [
    "Der sker aldrig noget, og hver gang jeg ringer, er der ingen svar.",
    "Jeg er så bekymret og ked af det hele.",
    "Jeg har ventet i seks uger på et svar.",
])
def test_weariness_and_worry_alone_are_irritation(parse, text):
    """Absolutes, resignation and worry without a sign of anger stay at level 1 until they pile up."""
    for variant in both(text):
        assert level(parse, variant) == 1, variant


# --- what surrounds a cue -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Det var ikke fordi, jeg var vred. Jeg ville bare høre ad.",
    "Jeg siger ikke, at I er ligeglade. Jeg vil bare have et svar.",
    "Jeg er jo ikke dum, jeg kan godt læse et brev.",
    "Jeg går ikke til pressen med det, jeg vil bare gerne have et svar.",
])
def test_denied_or_negated_cues_count_nothing(parse, text):
    for variant in both(text):
        assert level(parse, variant) == 0, variant


def test_a_hedge_softens_and_an_intensifier_strengthens(parse):
    hedged = score_frustration(parse("det er lidt irriterende")).score
    plain = score_frustration(parse("det er irriterende")).score
    strong = score_frustration(parse("det er helt urimeligt")).score
    assert hedged < plain
    assert strong > score_frustration(parse("det er urimeligt")).score
    assert level(parse, "det er helt urimeligt") == 2


def test_someone_elses_tears_are_not_the_citizens_feeling(parse):
    daughter = score_frustration(parse("min datter græder hver aften"))
    me = score_frustration(parse("jeg græder hver aften"))
    assert daughter.score < me.score
    assert daughter.level == 0


@pytest.mark.parametrize("text", [
    "Ja for fanden, det vil jeg gerne.",
    "Jo for pokker, det passer fint.",
])
def test_swearing_that_strengthens_a_yes_is_not_anger(parse, text):
    for variant in both(text):
        assert level(parse, variant) == 0, variant


# --- structure ------------------------------------------------------------------------------------------------


def test_counted_failures_are_evidence_but_a_schedule_is_not(parse):
    assert "fem gange" in score_frustration(parse("jeg har ringet fem gange")).evidence
    assert "tredje gang" in score_frustration(parse("det er tredje gang jeg skriver")).evidence
    calm = score_frustration(parse("hjemmeplejen kommer to gange om ugen"))
    assert calm.evidence == [] and calm.level == 0


def test_praise_closing_a_turn_after_anger_is_sarcasm(parse):
    text = "så skal jeg vente til jul. perfekt"
    assert level(parse, text, previous_level=2) == 2
    assert level(parse, transcript(text), previous_level=2) == 2
    assert level(parse, text, previous_level=0) == 0


def test_anger_lingers_one_turn(parse):
    assert level(parse, "ja, det er det", previous_level=2) == 1
    assert level(parse, "ja, det er det", previous_level=0) == 0
    assert level(parse, "ja tak, det lyder godt", previous_level=2) == 0


def test_echoed_word_is_emphasis_but_a_repeated_name_is_not(parse):
    # The evidence is the repeated words themselves, as said (no label text such as "gentagelse").
    assert "hun grinede" in score_frustration(parse("hun grinede. hun grinede ad mig")).evidence
    named = score_frustration(parse("Jeg bor i Odense, Vestergade 3, 5000 Odense")).evidence
    assert "odense" not in named and "gentagelse" not in named


# --- the top of the scale -------------------------------------------------------------------------------------


def test_a_long_account_of_everything_is_not_fury(parse):
    text = ("Fire gange har jeg ringet, og hver gang får jeg at vide, at nogen vender tilbage. Det gør de aldrig. Ingen svarer "
            "på mine mails, og nu har jeg ventet i månedsvis. Det er simpelthen ikke i orden.")
    for variant in both(text):
        assert level(parse, variant) == 2, variant


@pytest.mark.parametrize("text", [
    "Du er en fucking idiot, og det er din chef også.",
    "Skrid ad helvede til med jeres lortekommune, I er nogle svin.",
])
def test_abuse_is_the_top_level(parse, text):
    for variant in both(text):
        assert level(parse, variant) == 3, variant


# --- broad spoken Danish --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Jeg har snart ikke mere tålmodighed tilbage.",
    "Jeg gider ikke høre på flere undskyldninger.",
    "Det er jeres skyld, at jeg nu skylder penge til min udlejer.",
    "I skal ikke komme og fortælle mig, at det er min egen skyld.",
    "Nej, nu stopper festen. Jeg vil tale med en leder.",
    "Jeg kan slet ikke forstå, at I kan tillade jer det.",
    "Det er den værste service, jeg nogensinde har fået.",
    "Hvordan kan det være, at ingen af jer kan give mig et ordentligt svar?",
    "Jeg har ringet igen og igen, og hver gang lover I at ringe mig op.",
    "Det er sgu ikke i orden, at min mor skal vente på at komme i bad.",
])
def test_broad_spoken_frustration(parse, text):
    for variant in both(text):
        assert level(parse, variant) >= 2, variant


@pytest.mark.parametrize("text", [
    "Det gør ikke noget, jeg kan sagtens vente.",
    "Jeg er blevet informeret om processen, og det er fint.",
    "Vi fik pengene udbetalt kontant sidste år.",
    "Han kender mig godt fra sidste gang.",
    "Jeg er lidt presset på tid i dag, kan vi tage det kort?",
    "Jeg har lagt papirerne på bordet, så dem kan jeg finde.",
    "Det er helt sikkert rigtigt, det du siger.",
    "Nå, det er godt at vide, tak.",
])
def test_look_alikes_and_everyday_phrases_stay_calm(parse, text):
    for variant in both(text):
        assert level(parse, variant) == 0, variant


def test_a_reproach_addressed_to_them_is_anger_but_their_question_is_not(parse):
    reproach = score_frustration(parse("I kan ikke bare lave om på reglerne og så forvente, at folk følger med"))
    assert reproach.level == 2
    assert any(e.startswith("i kan") for e in reproach.evidence)
    assert level(parse, "i kan ikke bare lave om på reglerne og så forvente at folk følger med") == 2
    assert level(parse, "Har I ikke fået mine papirer?") == 0
    assert level(parse, "Jeg bor i Vejle og har ikke bil.") == 0


def test_an_exclamation_strengthens_what_it_exclaims(parse):
    plain = score_frustration(parse("det er dårligt"))
    exclaimed = score_frustration(parse("hvor er det dårligt"))
    assert exclaimed.score > plain.score
    assert exclaimed.level == 2


def test_months_without_money_is_a_long_wait(parse):
    assert "tre måneder" in score_frustration(parse("tre måneder uden penge, og så et brev")).evidence


@pytest.mark.parametrize(("text", "frustrated"), [
    ("Der var desværre en fejl i min ansøgning, det var min egen skyld.", False),
    ("Min mand døde sidste år, så det er mig der tager mig af papirerne nu.", False),
    ("Det var ikke optimalt, men sådan er det jo.", False),
    ("Så det er altså min skyld, at I har mistet papirerne?", True),
    ("Jeg har aldrig været så vred i hele mit liv.", True),
])
def test_self_blame_and_understatement_are_sincere_unless_framed(parse, text, frustrated):
    for variant in both(text):
        assert (level(parse, variant) >= 2) == frustrated, variant


# --- threats: only threats against others make a turn furious, as the threat detector counts them -----------


@pytest.mark.parametrize("text", both("Hvis I ikke betaler, så kommer jeg ned og smadrer hele jeres kontor."))
def test_a_threat_of_violence_is_furious(parse, text):
    assert level(parse, text) == 3


@pytest.mark.parametrize("text", [
    *both("Jeg er ikke voldelig, og jeg har aldrig truet nogen."),
    *both("Min kæreste slår mig, og jeg tør ikke gå hjem."),
    *both("Jeg var ved at dø af grin, da jeg læste brevet."),
])
def test_denied_suffered_or_figurative_threat_words_are_not_fury(parse, text):
    assert level(parse, text) < 3
