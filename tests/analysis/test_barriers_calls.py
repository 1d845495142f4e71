"""Language and health barriers over short calls written for this test (not taken from the dev calls).

A barrier is a call-level judgement: the citizen's Danish, or an illness, hinders *this* conversation. Illness as
the subject of the case, one misheard word or an interpreter declined is no barrier.
"""

from __future__ import annotations

import pytest

QUESTION = "Vil du uddybe det lidt for mig?"

LANGUAGE = [
    ["undskyld, kan du tale lidt langsommere", "hvad betyder partshøring?", "jeg taler ikke så godt dansk endnu"],
    ["jeg vil gerne have en tolk", "jeg forstår ikke så meget dansk"],
    ["can you speak english please", "I don't understand the letter", "yes, the money not come"],
    ["kan du sige det en gang til", "jeg ikke forstå hvad du siger", "min datter plejer at oversætte for mig"],
    ["jeg snakker kun lidt dansk", "du taler for hurtigt for mig"],
    ["dansk er svært for mig", "hvad er det for et ord", "undskyld igen, langsomt"],
    ["ja ja. ikke forstå. brev ikke forstå", "min søn han læse brev for mig"],
    ["tak tak, ja", "przepraszam, nie rozumiem, co pan mówi", "ja, pieniądze nie ma"],
    ["jeg kender ikke det ord", "kan du forklare det med andre ord", "jeg har kun boet i Danmark i et år"],
    ["hvad siger du?", "undskyld, jeg forstår ikke dansk så godt", "kan vi tale engelsk?"],
    ["undskyld jeg forstår ikke", "langsomt igen, tak", "jeg er ny i Danmark"],
    # second batch, measured before tuning on it (4/5)
    ["hvad er en klagefrist?", "undskyld, min dansk ikke god", "du kan ringe med tolk?"],
    ["jeg prøver at forstå men det er svært for mig på dansk", "langsomt, tak"],
    ["hvad? jeg forstår ikke", "jeg snakker bedre arabisk", "send det skriftligt, jeg fanger ikke alle ordene"],
    ["my wife she speak danish, me no", "sorry, sorry, please again"],
    ["ja... øh... hvad hedder det... jeg ved ikke ord på dansk", "undskyld, igen?"],
]

NO_LANGUAGE = [
    ["hvad sagde du? der var lige en bil der kørte forbi", "ja det er rigtigt, jeg har ventet i tre uger"],
    ["nej tak, jeg har ikke brug for tolk, jeg taler fint dansk", "det handler om min boligstøtte"],
    ["kan du gentage sagsnummeret?", "tak, jeg skriver det ned"],
    ["hvad betyder det for min sag?", "okay, så venter jeg"],
    ["jeg arbejder selv som tolk, så jeg ved hvordan det er", "men min klage handler om ventetiden"],
    ["sorry, jeg var lige væk et øjeblik", "ja, det var det jeg mente"],
    ["I svarer alt for langsomt", "og jeg forstår ikke jeres afgørelse"],
    ["jeg forstår ikke hvorfor det skal tage så lang tid", "det er jo bare en underskrift"],
    ["det er fint, jeg forstår godt hvad du siger", "men hvorfor har I ikke svaret"],
    ["kan du lige gentage datoen?", "perfekt, den har jeg skrevet ned"],
]

HEALTH = [
    ["undskyld, jeg kan ikke koncentrere mig", "undskyld, hvad spurgte du mig om?", "jeg bliver så træt"],
    ["jeg hører dårligt, kan du tale højere", "hvad for noget? mine ører er ikke gode", "undskyld, mit høreapparat driller"],
    ["jeg har svært ved at huske hvad du sagde", "min medicin gør mig helt tåget"],
    ["jeg får panik når jeg skal snakke i telefon", "jeg kan ikke få vejret, undskyld", "kan vi tage det en anden dag"],
    ["efter min blodprop har jeg svært ved at finde ordene", "undskyld, hvad var spørgsmålet?"],
    ["jeg mister hele tiden tråden", "mit hoved er helt tomt i dag"],
    ["undskyld jeg græder, jeg kan ikke tale lige nu", "jeg har det rigtig skidt i dag, det er depressionen"],
    ["jeg er helt udkørt, jeg kan ikke tænke ordentligt i dag", "hvad var det nu vi talte om"],
    # second batch, measured before tuning on it (0/4)
    ["undskyld jeg er lidt langsom i dag, jeg har fået ny medicin", "hvad var det du sagde?",
     "jeg kan simpelthen ikke samle tankerne"],
    ["jeg kan ikke holde koncentrationen ret længe", "kan vi holde en pause, jeg er helt udmattet"],
    ["du må undskylde, jeg hører ikke så godt mere", "hvad for noget? tal højere"],
    ["jeg ryster over det hele, jeg kan ikke snakke om det nu", "jeg er bange for at jeg får et anfald"],
]

NO_HEALTH = [
    ["jeg er sygemeldt med stress og venter på svar om forlængelse", "det er nu ni uger siden"],
    ["min søn har ADHD og skulle have haft støtte", "skolen har ikke gjort noget"],
    ["jeg fik afslag på førtidspension selvom jeg har sklerose", "jeg er uenig i afgørelsen"],
    ["min mor har demens og hjemmeplejen kom ikke", "hun sad alene hele dagen"],
    ["jeg kan ikke huske sagsnummeret, men det står på brevet", "det handler om min boligstøtte"],
    ["jeg har ondt i ryggen og kan ikke arbejde", "derfor har jeg søgt sygedagpenge"],
    ["han har angst og tør ikke gå i skole", "vi har ventet på PPR i et halvt år"],
    ["jeg har depression, og jeg har ventet på en bostøtte i fire måneder", "det er hårdt at vente"],
    ["jeg har kræft og har fået afslag på merudgifter", "det er jeg ikke enig i"],
    ["min far er dement og ingen har ringet til os", "vi venter stadig"],
]


def _call(citizen_turns: list[str], *, offer_interpreter: bool = False):
    from assistant.analysis.analyzer import CallAnalyzer

    analyzer = CallAnalyzer.create()
    analyzer.add_turn("caseworker", "Goddag, Jonas her fra kommunen, det gælder klagen fra dig.")
    update = None
    for text in citizen_turns:
        update = analyzer.add_turn("citizen", text)
        analyzer.add_turn("caseworker", QUESTION)
    if offer_interpreter:
        analyzer.add_turn("caseworker", "Vil du have en tolk med næste gang?")
        update = analyzer.add_turn("citizen", "nej tak, det behøver jeg ikke")
    return update.call


@pytest.mark.parametrize("turns", LANGUAGE)
def test_language_barrier(nlp, turns):
    assert _call(turns).language_barrier, turns


@pytest.mark.parametrize("turns", NO_LANGUAGE)
def test_no_language_barrier(nlp, turns):
    assert not _call(turns).language_barrier, turns


def test_interpreter_offered_and_declined_is_no_barrier(nlp):
    assert not _call(["ja det er mig", "det handler om min boligstøtte"], offer_interpreter=True).language_barrier


@pytest.mark.parametrize("turns", HEALTH)
def test_health_barrier(nlp, turns):
    assert _call(turns).health_barrier, turns


@pytest.mark.parametrize("turns", NO_HEALTH)
def test_illness_as_subject_is_no_health_barrier(nlp, turns):
    assert not _call(turns).health_barrier, turns
