"""Threat detection on single citizen utterances written for this test (not taken from the dev calls).

Positives: explicit and veiled threats against staff, the office or the municipality; self-harm and suicide
(direct and indirect); violence or abuse the citizen suffers. In several registers, some as a recogniser
would hand them over (lower case, no punctuation, a misheard word). Negatives: figurative or harmless uses of
the same words, escalation through legal channels, and death or illness as the subject of the case.
Missing a threat is the worst error the product can make, so every positive must fire.
"""

from __future__ import annotations

import pytest

VIOLENCE = [
    "så kommer jeg ned og smadrer jeres kontor",
    "Jeg ved hvor du bor.",
    "hvis I ikke betaler inden fredag, så sker der noget",
    "I skal passe på jer derinde",
    "Jeg brænder det hele ned, hele rådhuset.",
    "næste gang jeg kommer op til jer tager jeg en kniv med",
    "så smadrer jeg hele lortet",
    "du skal ikke regne med at gå hjem i ro i aften",
    "så kommer jeg derned og så skal I bare se",
    "Jeg har en bror der ikke er lige så flink som mig, og han kan sagtens finde din adresse.",
    "en dag står jeg uden for din hoveddør",
    "du kommer til at bløde for det her",
    "I skal ikke blive overrasket hvis jobcentret brænder en nat",
    "der er nogen der kommer til at komme til skade hvis det fortsætter",
    "jeg har et jagtgevær stående derhjemme bare så du ved det",
    "så tager jeg et baseballbat med og så snakker vi",
    "jeg kværker ham den sagsbehandler",
    "Jeg skærer halsen over på dig.",
    "vent bare til jeg møder dig på gaden",
    "jeg venter på dig ude på parkeringspladsen når du får fri",
    "jeg har godt set hvilken bil du kører",
    "jeg ved godt hvilken skole dine børn går på",
    "så ryger der nogle ruder hos jer",
    "så flyver der en sten ind gennem jeres vindue",
    "jeg sprænger hele lortet i luften",
    "så skal der nok ske ulykker",
    "du lever farligt min ven",
    "jeg kommer og henter dig",
    "du skal fremover se dig over skulderen",
    "du ender på skadestuen hvis du ikke giver mig pengene",
    "jeg knækker nakken på dig",
    "så går jeg fuldstændig amok derinde",
    "så tager jeg sagen i min egen hånd",
    "det kommer du til at fortryde, det lover jeg dig",
    "Du skal ikke regne med at jeg holder mig i ro",
    "Jeg smadrer hovedet på ham",
    "jeg tæsker den idiot",
    "jeg har lyst til at slå dig",
    "jeg ville ønske jeg kunne slå jer allesammen ned",
    "så får i en kugle",
    "jeg stikker ham ned næste gang jeg ser ham",
    "så kommer jeg ned og smader jeres kontor",  # misheard "smadrer"
    "jeg ved godt hvor i bor allesammen",
    "du skal passe godt på dig selv derude",
    "ja så brænder jeg jeres bule ned",
    "så kommer jeg med nogle venner og så tager vi en snak med dig bagefter",
    "så er jeg ikke ansvarlig for hvad jeg gør",
    "jeg kan ikke garantere for hvad der sker hvis jeg kommer derned",
    "der kommer til at flyde blod",
    "jeg har en pistol",
    "jeg skal nok finde dig",
    "i skal få betalt for det her og jeg mener ikke med penge",
]

SELF_HARM = [
    "jeg orker ikke at leve mere",
    "så gør jeg en ende på det",
    "der er ingen grund til at være her",
    "Jeg tager alle mine piller i aften.",
    "I vil ikke høre fra mig igen",
    "jeg har lyst til at dø",
    "Det er bedst for alle hvis jeg bare forsvinder.",
    "jeg kan lige så godt hænge mig",
    "jeg har købt et reb til mig selv",
    "jeg går ud foran et tog",
    "jeg ser ingen anden udvej end at slutte det",
    "når I ringer næste gang er jeg her ikke mere",
    "mine børn er bedre stillet uden mig",
    "jeg har skåret i mig selv igen",
    "jeg har ikke noget at leve for",
    "jeg vil bare sove og aldrig vågne op igen",
    "jeg har samlet piller sammen i flere uger",
    "jeg tager en overdosis",
    "jeg springer ud fra broen",
    "jeg gider ikke leve længere",
    "livet er ikke værd at leve",
    "jeg har haft selvmordstanker hele ugen",
    "det her er mit sidste opkald, farvel",
    "i morgen er jeg væk for altid",
    "jeg ønsker jeg var død",
    "jeg orker ik at lev mere",  # transcript: dropped ending
    "jeg vil ikke være her mere altså på jorden",
    "jeg skader mig selv når det bliver for meget",
    "jeg har tænkt på at køre ind i en lastbil med vilje",
    "jeg kan ikke mere jeg vil bare dø",
    "det ville være nemmere for alle hvis jeg ikke var her",
    "jeg har tænkt på at tage livet af mig",
    "jeg har skrevet et afskedsbrev til mine børn",
    "så tager jeg mit eget liv",
]

ABUSE = [
    "han slår mig",
    "min kæreste truer mig",
    "jeg tør ikke gå hjem",
    "Min mand er voldelig når han drikker.",
    "han tog kvælertag på mig i går",
    "jeg er bange for ham, han har slået børnene",
    "min eksmand forfølger mig og står uden for min dør",
    "han sparker til mig når han er fuld",
    "min far banker mig",
    "jeg bliver slået derhjemme",
    "han har voldtaget mig",
    "han låser mig inde i lejligheden",
    "jeg bor på krisecenter fordi han truede med at slå mig ihjel",
    "hun siger hun slår mig ihjel hvis jeg fortæller det til nogen",
    "min søn tager mine penge og skubber mig ind i væggen",
    "han gav mig blå mærker over det hele i går",
    "min kæreste har truet med at tage børnene og gøre mig noget",
    "jeg er bange for at han dræber mig",
]

POSITIVES = VIOLENCE + SELF_HARM + ABUSE

NEGATIVES = [
    "jeg er ved at dø af grin over det brev",
    "det slår mig at I aldrig svarer",
    "jeg brænder for mit arbejde og vil gerne tilbage",
    "jeg er helt smadret af træthed efter nattevagten",
    "det er dræbende kedeligt at sidde i telefonkø",
    "det brev var en bombe for os",
    "jeg går til pressen med det her",
    "jeg går til ombudsmanden hvis ikke det bliver rettet",
    "min mor døde sidste år og det er derfor jeg ringer om boet",
    "jeg klager til Ankestyrelsen",
    "jeg tager det op med borgmesteren",
    "jeg slår det op på nettet",
    "jeg slog mig på cyklen i sidste uge, derfor kunne jeg ikke komme",
    "han slog op med mig i foråret og nu bor jeg alene",
    "jeg har banket på jeres dør tre gange uden at nogen åbnede",
    "min telefon blev smadret da jeg tabte den",
    "bilen er smadret så jeg kan ikke komme til mødet",
    "jeg kan ikke leve af de penge I giver mig",
    "jeg orker ikke mere det her papirnusseri",
    "I tager livet af mig med alle de skemaer",
    "min far har kræft og skal i kemo",
    "jeg har en depression og det er derfor jeg har søgt",
    "min søn døde af en overdosis for to år siden",
    "jeg er dødtræt af at ringe til jer",
    "jeg skyder lige en mail afsted bagefter",
    "vi går i krig med det her i medierne",
    "jeg bliver sindssyg af det system",
    "så kommer jeg ned på kontoret i morgen med papirerne",
    "så kommer jeg derned med lønsedlerne på mandag",
    "jeg ved godt hvor jeres kontor ligger, jeg har været der før",
    "jeg ved ikke hvor jeg skal gøre af mig selv",
    "sagsbehandleren truede med at stoppe min ydelse",
    "det kommer I til at fortryde, for jeg går til ombudsmanden",
    "min kæreste døde i en ulykke",
    "jeg har fået et hekseskud og ligger på sofaen",
    "det skal være knivskarpt formuleret i afgørelsen",
    "mit liv er gået helt i stå siden afslaget",
    "jeg ville dø af skam hvis naboerne vidste det",
    "mine piller er ikke kommet fra apoteket",
    "jeg tager mine piller hver morgen",
    "det var et slag i ansigtet at få det afslag",
    "jeg tør ikke åbne min e-boks mere",
    "der er ingen grund til at ringe igen, det er løst",
    "I hører fra min advokat",
    "I hører fra mig igen i næste uge",
    "hjemmeplejen skal passe på min mor, det er deres job",
    "jeg skal passe på min ryg siger lægen",
    "han har angst og tør ikke gå i skolen",
    "jeg har slået op i loven og I tager fejl",
    "det er jo helt vanvittigt, jeg bliver så vred",
    "jeg kommer til at miste min lejlighed hvis pengene ikke kommer",
    "jeg har det elendigt med den måde I har behandlet mig på",
    "jeg var lige ved at falde ned af stolen da jeg læste det",
    "hold da kæft hvor er det dårligt",
    "jeg har været på krisecenter som frivillig i mange år",
    "han skal ikke komme og true med at lukke sagen",
    "det er et spørgsmål om tid før nogen kommer til skade i det hul",
    "MitID hænger sig hele tiden når jeg prøver at logge på",
    "jeg sprang på bussen for at nå mødet",
    "de knuste min rude da de slog græs",
    "I skal finde ud af hvor jeg bor, brevet kom til min gamle adresse",
    "lægen siger jeg skal holde mig i ro",
    "jeg vil gerne tage en snak med dig om min sag",
    "jeg har jeres adresse fra brevet",
    "I kaster mig ud af min lejlighed",
    "min mor kunne have været død",
    "jeg kan dø af det hvis jeg ikke får min medicin",
    "I har sparket mig ud af systemet",
    "det er som at slå hovedet mod en mur",
    "jeg vil gerne gøre jer opmærksom på noget",
    "alle banker siger nej til mig",
    "jeg er helt bange for hende sagsbehandleren",
    "i morgen skal jeg passe på mine børnebørn",
    "på mandag er jeg her ikke, da er jeg på ferie",
    "vi må vente og se",
    "jeg fortryder at jeg klagede",
    "I skal nok få papirerne i morgen",
    "jeg har en stiv nakke og din kollega sagde jeg skulle ringe",
    "der ligger sten på vejen og kommunen gør ingenting",
    "min mor endte på hospitalet fordi hjemmeplejen ikke kom",
    "jeg er ikke voldelig, jeg er bare vred",
    "jeg har aldrig truet nogen",
    "I stikker hovedet i busken",
    "nej, jeg har aldrig tænkt på at gøre mig selv noget",
    "jeg vil ikke slå nogen, jeg vil bare have mine penge",
    "jeg ved ikke hvor hun bor nu",
    "hun kan ikke selv skære kødet, hun skal have hjælp med kniven",
    "siden hænger hele tiden og jeg bliver smidt ud",
    "jeg er ved at gå ud af mit gode skind",
    "jeg har været på hospitalet med min søn hele natten",
]


def _threat(text: str) -> bool:
    from assistant.analysis.analyzer import CallAnalyzer

    analyzer = CallAnalyzer.create()
    analyzer.add_turn("caseworker", "Goddag, det er Lene fra kommunen, jeg ringer om din klage.")
    return analyzer.add_turn("citizen", text).call.threat


@pytest.mark.parametrize("text", POSITIVES)
def test_threat_fires(nlp, text):
    assert _threat(text), text


@pytest.mark.parametrize("text", NEGATIVES)
def test_figurative_or_harmless_is_no_threat(nlp, text):
    assert not _threat(text), text


@pytest.mark.parametrize("text", POSITIVES[::3])
def test_threat_survives_transcript_form(nlp, text):
    """Lower case without punctuation, as a recogniser hands it over."""
    bare = "".join(ch for ch in text.lower() if ch.isalnum() or ch.isspace())
    assert _threat(bare), bare
