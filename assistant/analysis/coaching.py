"""Caseworker coaching: question type (open/closed/none), leading questions, summaries, talk share, nudges."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.analysis.fuzzy import FuzzyMatch, find_phrases, load_phrases
from assistant.analysis.text import FILLERS, TurnText
from assistant.analysis.types import Coaching, QuestionType

#: A finite verb that opens a yes/no question ("Har du ...", "Er det ...", "Kan vi ...").
QUESTION_VERBS = frozenset(
    "er har kan vil skal må var havde kunne ville skulle fik får ved vidste tror synes mener passer lyder taler "
    "gør gjorde kom ringede sendte brugte prøvede sagde hørte tog står stod ligger vil bor giver hjælper "
    "do does did is are was were can could will would have has".split()
)
SUBJECTS = frozenset("du de i jeg vi det der man han hun den dig you it that there we they".split())
#: Words after which a wh-word starts an embedded clause, not a question ("jeg ved ikke hvad ...").
EMBEDDERS = frozenset("ved vide vidste forstå forstår forstod spurgte spørger spørge huske husker se ser sige sagde "
                      "undersøge finde præcis om at hvis lige bare tjekke tjekker kigge kigger".split())
INVITE_VERBS = ("fortæl", "beskriv", "uddyb", "forklar")
#: Before these a wh-word opens an embedded clause ("svar på hvilken der gjaldt", "der står hvilken hjælp ..."),
#: which without punctuation must not read as a direct question.
BEFORE_EMBEDDED_WH = frozenset("på om til over af med fra ved i står stod står er var viser skriver skrev kan "
                               "vist sagt fortalt".split())
#: Words opening a statement where a first person plans or explains ("Jeg kan fortælle dig ...").
FIRST_PERSON = frozenset({"jeg", "vi"})


@dataclass
class CoachingOptions:
    """When coaching hints appear."""

    nudge_words: int = 110
    """Citizen words since the last summary after which the caseworker is nudged to summarise."""
    nudge_turns: int = 3
    """...or this many citizen turns with a complaint point since the last summary."""
    summary_threshold: float = 1.5
    """Summed summary evidence a caseworker turn needs to count as a summary."""


@dataclass
class QuestionResult:
    """Question type of a caseworker turn and whether the question is leading."""

    question: QuestionType
    leading: bool


def _clauses(turn: TurnText) -> list[tuple[int, int, bool]]:
    """(start, end, is_question) per sentence; without punctuation one clause covering the turn."""
    if not turn.punctuated:
        return [(0, len(turn.tokens), True)]
    out = []
    for start, end in turn.sentences:
        last = end - 1
        while last >= start and turn.is_punct[last] and turn.tokens[last] not in {"?"}:
            last -= 1
        out.append((start, end, last >= start and turn.tokens[last] == "?"))
    return out


def _first_content(turn: TurnText, start: int, end: int) -> int:
    i = start
    while i < end and (turn.is_punct[i] or turn.lowers[i] in FILLERS):
        i += 1
    return i


def fuzzy_matches(turn: TurnText) -> list[FuzzyMatch]:
    """Fuzzy coaching phrases (closing checks, yes/no checks, summary openers) in a turn, computed once per turn."""
    cached = turn.__dict__.get("_coaching_fuzzy")
    if cached is None:
        cached = find_phrases(turn.lowers, load_phrases("coaching_fuzzy"))
        turn.__dict__["_coaching_fuzzy"] = cached
    return cached


def _last_word(turn: TurnText) -> int:
    """Index of the last token that is neither punctuation nor a filler (-1 for an empty turn)."""
    i = len(turn.tokens) - 1
    while i >= 0 and (turn.is_punct[i] or turn.lowers[i] in FILLERS - {"okay", "ok"}):
        i -= 1
    return i


def _ends_with_tag(turn: TurnText) -> bool:
    """A closing check ("er det rigtigt", "passer det") ends the turn, even with a word lost or misheard."""
    last = _last_word(turn)
    return any(m.phrase.label == "tag" and m.end - 1 >= last - 1 for m in fuzzy_matches(turn))


def _ends_with_identity_check(turn: TurnText) -> bool:
    """The opening turn ends on a name (a word the lemma table does not know) or on "[er] det <name>"."""
    last = _last_word(turn)
    if last < 0:
        return False
    from assistant.analysis.pipeline import lemma_table

    table = lemma_table()
    word = turn.lowers[last]
    if word.isalpha() and table and word not in table and word not in FILLERS:
        return True
    tail = turn.lowers[max(0, last - 2):last + 1]
    return "det" in tail[:-1] and tail[-1] not in {"det", "er", "nu", "her", "os"}


@dataclass(frozen=True)
class ReadQuestion:
    """A caseworker turn read once for the question model; the citizen's reply is added when it comes."""

    hand: QuestionResult
    features: dict[str, float]
    punctuated: bool


def read_question(turn: TurnText, opening: bool = False) -> ReadQuestion:
    """The hand rules' answer and the question model's features of a caseworker turn (see :func:`classify_question`)."""
    from assistant.analysis.question_model import question_features

    hand = hand_question(turn, opening)
    return ReadQuestion(hand, question_features(turn, hand.question, opening=opening, summary=summary_score(turn)),
                        turn.punctuated)


def decide_question(read: ReadQuestion, *, reply: TurnText | None = None,
                    models_dir: Path | None = None) -> QuestionResult:
    """The fitted question type of a read turn, with the citizen's reply once it has come (see
    :func:`classify_question`)."""
    from assistant.analysis.question_model import predict_question, with_reply

    features = with_reply(read.features, reply, punctuated=read.punctuated) if reply is not None else read.features
    question = predict_question(features, read.hand.question, models_dir=models_dir)
    return QuestionResult(question, read.hand.leading and question != "none")


def classify_question(turn: TurnText, opening: bool = False, *, reply: TurnText | None = None,
                      models_dir: Path | None = None) -> QuestionResult:
    """The question type of a caseworker turn: the hand rules below, weighed with the turn's word order by the
    fitted question model (``models/question.json``), which also knows transcripts without "?".

    Args:
        turn: The parsed caseworker turn.
        opening: True for the caseworker's first turn of the call.
        reply: The citizen's answer to the turn, once it has come: how it opens ("ja", "nej da") and how long it
            is tell a yes/no question from an open one or a statement, where a transcript lost the "?".
        models_dir: Where the fitted model lies (the shipped artefacts by default).

    Returns:
        The question type and whether a question in it is leading (from the hand rules).

    Raises:
        AnalysisError: when the model is missing (run `assistant train`).
    """
    return decide_question(read_question(turn, opening), reply=reply, models_dir=models_dir)


def hand_question(turn: TurnText, opening: bool = False) -> QuestionResult:
    """Classify a caseworker turn by hand rules: open if its main question is open, closed if yes/no or one fact,
    else none.

    Works with and without punctuation: without it, questions are found from their words and word order.

    Args:
        turn: The parsed caseworker turn.
        opening: True for the caseworker's first turn of the call, where an unpunctuated turn that ends on a
            name ("... angående din henvendelse [taler jeg med] Hanne Mikkelsen") checks who answered.

    Returns:
        The question type and whether a question in it is leading.
    """
    coach = [c for c in turn.cues if c.lexicon == "coaching"]
    open_found = closed_found = leading = False
    # In an unpunctuated summary a wh-word inside the turn is mostly embedded ("... mest om hvordan I har
    # håndteret det"): only a direct question's word order (or a wh-word opening the turn) makes it open.
    strict_wh = not turn.punctuated and summary_score(turn) >= 1.5
    for start, end, is_q in _clauses(turn):
        in_clause = [c for c in coach if start <= c.start < end]
        first = _first_content(turn, start, end)
        kinds = _clause_kinds(turn, in_clause, start, end, first, is_q, strict_wh)
        open_found |= "open" in kinds
        closed_found |= "closed" in kinds
        if ("open" in kinds or "closed" in kinds or is_q) and _is_leading(turn, in_clause, start, end):
            leading = True
    if open_found:
        return QuestionResult("open", leading)
    if not turn.punctuated and (_ends_with_tag(turn) or any(m.phrase.label == "check" for m in fuzzy_matches(turn))
                                or (opening and _ends_with_identity_check(turn))):
        closed_found = True  # a yes/no check whose verb or subject the transcriber lost ("er [det] rigtigt forstået")
    if closed_found:
        return QuestionResult("closed", leading)
    if not turn.punctuated and summary_score(turn) >= 1.5:
        # Without punctuation a summary's closing check is often lost or was only intonation ("... og det gør ham
        # utryg?"); most summaries ask it.
        return QuestionResult("closed", False)
    return QuestionResult("none", False)


def _clause_kinds(turn: TurnText, cues, start: int, end: int, first: int, is_q: bool,
                  strict_wh: bool = False) -> set[str]:
    kinds: set[str] = set()
    punct = turn.punctuated
    closed_wh = {c.start for c in cues if c.label == "closed_wh"}
    for cue in cues:
        if cue.label == "open_wh" and cue.start not in closed_wh and not punct and _wh_inversion(turn, cue.start, end):
            kinds.add("open")  # "... hvordan klarer du dig ..." - a wh-word, a verb, a subject: a direct question
        elif cue.label == "open_wh" and strict_wh and cue.start != first and not (
                _wh_then_verb(turn, cue.start, end) and cue.start >= end - 6):
            continue  # in a summary only a wh-word + verb at its end ("... hvad er der sket") asks
        elif cue.label == "open_wh" and cue.start not in closed_wh:
            prev = turn.lowers[cue.start - 1] if cue.start > start else ""
            at_start = cue.start == first or (not punct and _after_boundary(turn, cue.start, start))
            if (is_q or not punct) and (at_start or (not punct and prev not in EMBEDDERS and prev not in FIRST_PERSON
                                                     and (prev not in BEFORE_EMBEDDED_WH
                                                          or _wh_then_verb(turn, cue.start, end))
                                                     and cue.start < end - 2 and prev not in SUBJECTS)):
                if not punct and not at_start and prev in {"", "det", "for"}:
                    continue
                kinds.add("open")
        elif cue.label == "open_invite" and _invite_counts(turn, cue, start, first, is_q):
            kinds.add("open")
        elif cue.label == "closed_wh" and (cue.start == first or (is_q and cue.start <= first + 1) or (
                not punct and (cue.start == start or turn.lowers[cue.start - 1] not in EMBEDDERS))):
            kinds.add("closed")
        elif cue.label == "closed_q" and not punct:
            kinds.add("closed")
    if not punct and "open" not in kinds and _misheard_wh_question(turn, start, end):
        kinds.add("open")
    if is_q and punct and "open" not in kinds:
        kinds.add("closed")
    if not punct and "open" not in kinds:
        last = turn.lowers[end - 1] if end > start else ""
        if any(c.label == "tag" and c.end >= end - 1 for c in cues) or _verb_first_question(turn, start, end) or (
                last in {"ikke", "vel", "ik", "right"} and end - start > 3):
            kinds.add("closed")
    return kinds


#: Real words that begin like a wh-word; anything else short starting "hv" is a misheard hvad/hvem/hvor.
_HV_WORDS = ("hvis", "hver", "hvor", "hvid", "hvil", "hvad", "hvem", "hvornår", "hvordan", "hvorfor", "hvilk", "hvæs")


def _misheard_wh_question(turn: TurnText, start: int, end: int) -> bool:
    """Without punctuation: a short "hv"-word the recogniser made of a wh-word ("hvas kan vi gøre nu")
    followed by a finite verb or "der" opens a question, unless a verb of knowing or a preposition embeds it."""
    for i in range(start, end - 1):
        low = turn.lowers[i]
        if not low.startswith("hv") or len(low) > 6 or low.startswith(_HV_WORDS):
            continue
        prev = turn.lowers[i - 1] if i > start else ""
        if prev in EMBEDDERS or prev in BEFORE_EMBEDDED_WH or prev in FIRST_PERSON:
            continue
        if turn.lowers[i + 1] in QUESTION_VERBS or turn.lowers[i + 1] == "der":
            return True
    return False


def _wh_then_verb(turn: TurnText, index: int, end: int) -> bool:
    """wh-word directly followed by a finite verb ("hvad ville hjælpe", "hvad er sket"): a direct question's order;
    an embedded clause puts its subject first ("... på hvilken der gjaldt", "hvordan sagen er behandlet")."""
    return index + 1 < end and turn.lowers[index + 1] in QUESTION_VERBS


def _wh_inversion(turn: TurnText, index: int, end: int) -> bool:
    """wh-word + finite verb + subject ("hvordan går det", "hvad tænker du"): word order of a direct question."""
    if index + 2 >= end:
        return False
    verb, subject = turn.lowers[index + 1], turn.lowers[index + 2]
    if subject not in SUBJECTS - {"der"}:
        return False
    from assistant.analysis.pipeline import lemma_table

    return verb in QUESTION_VERBS or _finite_verb(verb, lemma_table())


def _after_boundary(turn: TurnText, index: int, start: int) -> bool:
    """Without punctuation: the word follows a filler/conjunction (og, men, okay, ja ...) or starts the turn."""
    if index == start:
        return True
    prev = turn.lowers[index - 1]
    return prev in FILLERS and prev not in {"så"}


def _invite_counts(turn: TurnText, cue, start: int, first: int, is_q: bool) -> bool:
    """"Fortæl ...", "Kan du fortælle ...?", "jeg vil gerne høre ..." invite an open answer; "Jeg kan fortælle
    dig at ..." does not."""
    low = turn.lowers[cue.start]
    window = turn.lowers[max(start, cue.start - 3):cue.start]
    if low.startswith(INVITE_VERBS):
        if cue.start == first:
            return True  # imperative
        if "jeg" in window or "vi" in window:
            return False
        return is_q or "du" in window or "de" in window or not turn.punctuated
    if low == "høre" or low.startswith("hør"):
        return "gerne" in window or "vil" in window or (is_q and turn.punctuated)
    if low in {"hvad", "what", "how", "why", "tell"}:
        return is_q and cue.start <= first + 3
    # Another form of an invite verb ("fortalt", "forklaret"): only a question mark makes it an invitation.
    return is_q and turn.punctuated


#: Before these, "verb + subject" is a statement with inverted word order ("så kan du ...", "det kan jeg ...").
STATEMENT_BEFORE = frozenset("så da hvis at når som der hvor om jo også bare heller det vi jeg du de man "
                             "han hun ikke hvorfor hvad hvordan hvilke hvornår fordi selvom mens eller men og "
                             "dem ham hende den dette".split())


MODALS = frozenset("skal kan må vil skulle kunne måtte ville".split())


def _topicalised(turn: TurnText, i: int, end: int) -> bool:
    """Mid-turn "verb + subject" that is a statement with a fronted object or adverbial ("den del af sagen kan
    jeg ikke rette", "og er jeg ked af", "fristen er den 12. juni"): a third-person subject, or "jeg"/"vi" after
    a non-modal verb or before "ikke". Offers keep their question reading ("... skal jeg sende det", "kan vi
    lukke klagen")."""
    subject = turn.lowers[i + 1]
    if subject in {"den", "han", "hun"}:
        return True
    if subject in {"jeg", "vi"}:
        after = turn.lowers[i + 2] if i + 2 < end else ""
        return turn.lowers[i] not in MODALS or after == "ikke"
    return False


def _verb_first_question(turn: TurnText, start: int, end: int, tail: int = 20) -> bool:
    """Without punctuation: "... om din sag er det Kurt jeg snakker med" - a finite verb then a subject, near the end of
    the turn (where a caseworker's question usually is), not after a word that makes it a statement."""
    for i in range(start, end - 1):
        if turn.lowers[i] in QUESTION_VERBS and turn.lowers[i + 1] in SUBJECTS:
            prev = turn.lowers[i - 1] if i > start else ""
            if i == start or (prev in FILLERS and prev not in {"så"}):
                return True  # after "ja", "okay", "godt": a new clause anywhere in the turn
            if i >= end - tail and (prev not in STATEMENT_BEFORE or prev in {"og", "men", "eller"}) and not (
                    _topicalised(turn, i, end)):
                return True
    return False


def _is_leading(turn: TurnText, cues, start: int, end: int) -> bool:
    if any(c.label == "leading" for c in cues):
        return True
    if end - start < 2:
        return False
    last = end - 1
    while last > start and turn.is_punct[last]:
        last -= 1
    return turn.lowers[last] in {"ikke", "vel"} and last > start


STRONG_SUMMARY_STARTS = ("hvis jeg", "lad mig", "opsum", "sammenfat", "så det du", "så vidt jeg",
                         "som jeg forstår", "det jeg hører", "samle op", "har jeg fået")
#: Finite verbs that follow a clause-initial "så" in statements about next steps ("Så skriver jeg ...").
FINITE_IRREGULAR = frozenset("er var har havde kan kunne skal skulle vil ville må måtte gør gjorde får fik går gik ved "
                             "vidste tager tog siger sagde kommer kom lad lader bliver blev ses står stod".split())


def summary_score(turn: TurnText, lemma_table=None) -> float:
    """How strongly a caseworker turn sums up what the citizen said.

    Evidence: phrases like "hvis jeg forstår dig ret" (strong), "du oplever / du mener / det lyder som om"
    (weaker), a clause-initial "Så" followed by a subject rather than a verb ("Så du har ...", "Så brevet
    sagde ..."), and a check at the end ("er det rigtigt?", "passer det?").
    """
    cached = turn.__dict__.get("_summary_score")
    if cached is not None:
        return cached
    score = _summary_score(turn, lemma_table)
    turn.__dict__["_summary_score"] = score
    return score


def _summary_score(turn: TurnText, lemma_table) -> float:
    # Evidence spans (weight, start, end, is_tag) from the exact cues and the fuzzy phrases; the heaviest wins
    # where they overlap, and the closing check counts once.
    evidence: list[tuple[float, int, int, bool]] = []
    last = _last_word(turn)
    for cue in turn.cues_of("coaching"):
        if cue.label == "summary_strong":
            phrase = " ".join(turn.lowers[cue.start:cue.end])
            evidence.append((2.0 if phrase.startswith(STRONG_SUMMARY_STARTS) else cue.weight, cue.start, cue.end, False))
        elif cue.label == "tag" and cue.end >= len(turn.tokens) - 2:
            evidence.append((0.5, cue.start, cue.end, True))
    for match in fuzzy_matches(turn):
        if match.phrase.label == "summary":
            evidence.append((match.phrase.weight, match.start, match.end, False))
        elif match.phrase.label == "tag" and match.end - 1 >= last - 1:
            evidence.append((0.5, match.start, match.end, True))
    score = 0.0
    covered: set[int] = set()
    tag_counted = False
    for weight, start, end, is_tag in sorted(evidence, key=lambda e: (-e[0], e[1] - e[2])):
        span = set(range(start, end))
        if span & covered or (is_tag and tag_counted):
            continue
        score += weight
        covered |= span
        tag_counted |= is_tag
    if lemma_table is None:
        from assistant.analysis.pipeline import lemma_table as default_table

        lemma_table = default_table()
    if _so_summary(turn, lemma_table):
        score += 1.5
    reports = _second_person_reports(turn)
    if reports >= 3:
        score += 1.0
    return score


REPORT_VERBS = frozenset("fik får har havde forstod ventede ventet mener føler følte oplever oplevede synes syntes skriver "
                         "skrev kunne blev betalte ringede søgte bestilte mangler manglede sagde fortalte "
                         "did got have had felt".split())


def _second_person_reports(turn: TurnText) -> int:
    """How often the caseworker restates what happened to the citizen: "du fik ...", "du har ventet ..."."""
    count = 0
    words = [w for w, p in zip(turn.lowers, turn.is_punct) if not p]
    for i, word in enumerate(words[:-1]):
        if word in {"du", "you"} and (words[i + 1] in REPORT_VERBS or (
                words[i + 1] == "ikke" and i + 2 < len(words) and words[i + 2] in REPORT_VERBS)):
            count += 1
        elif i > 0 and word in REPORT_VERBS and words[i + 1] == "du" and words[i - 1] in {"nu", "så", "og", "siden"}:
            count += 1  # "... og nu får du færre penge"
    return count


def _so_summary(turn: TurnText, lemma_table) -> bool:
    """A clause-initial "så" followed by a subject: "Så du har ventet ...", "Så maden kommer først kl. to"."""
    n = len(turn.lowers)
    for i, low in enumerate(turn.lowers):
        if low not in {"så", "so"} or i + 1 >= n:
            continue
        if turn.punctuated:
            if not turn.is_clause_start(i):
                continue
        elif i > 0 and turn.lowers[i - 1] not in FILLERS - {"så", "og"}:
            continue
        j = i + 1
        while j < n - 1 and turn.lowers[j] in {"øh", "øhm", "altså", "hm"}:
            j += 1
        nxt = turn.lowers[j]
        if nxt == ":":
            return True  # "Så: ..." introduces the list of points
        if i > 0 and turn.lowers[i - 1] == "og":
            continue  # "og så ..." narrates the next step
        if turn.is_punct[i + 1] or nxt in {"længe", "meget", "snart", "mange", "godt", "hurtigt", "vi", "jeg", "lige",
                                            "bare", "nu", "videre", "tak", "fortæl", "kom", "sig", "lad", "hvis"}:
            continue
        if _finite_verb(nxt, lemma_table):
            after_verb = turn.lowers[j + 1] if j + 1 < n else ""
            if not turn.punctuated and after_verb and after_verb not in SUBJECTS and after_verb not in {
                    "så", "lige", "bare", "nok", "også", "jo", "vel"}:
                return True  # transcripts drop the subject: "så [pakken] er stadig ikke nået frem"
            continue  # "Så skriver jeg ..." plans the next step
        after = turn.lowers[i + 2:i + 4]
        if nxt in {"det", "der"} and len(after) >= 2 and _finite_verb(after[0], lemma_table) and after[1] in {
                "jeg", "vi", "du", "jo", "man"}:
            continue  # "Så det gør vi ...", "Så der har du fået ..."
        if nxt == "du" and after and after[0] in {"ikke", "skal", "kan", "slipper", "behøver"} and not (
                turn.punctuated and turn.is_clause_start(i) and after[0] == "ikke"):
            continue  # purpose: "..., så du ikke skal ..."
        return True
    return False


def _finite_verb(word: str, lemma_table) -> bool:
    if word in FINITE_IRREGULAR:
        return True
    lemma = lemma_table.get(word) if lemma_table else None
    return bool(lemma and lemma != word and lemma.endswith("e") and word.endswith(("r", "de", "te")))


@dataclass
class CoachingTracker:
    """Caseworker coaching counts over a call, and the nudge to summarise."""

    options: CoachingOptions = field(default_factory=CoachingOptions)
    coaching: Coaching = field(default_factory=Coaching)
    citizen_words: int = 0
    caseworker_words: int = 0
    words_since_summary: int = 0
    point_turns_since_summary: int = 0

    def add_caseworker(self, turn: TurnText, question: QuestionResult, summary: bool) -> None:
        c = self.coaching
        self.caseworker_words += turn.word_count()
        if question.question == "open":
            c.open_questions += 1
        elif question.question == "closed":
            c.closed_questions += 1
        if question.leading:
            c.leading_questions += 1
        if summary:
            c.summaries += 1
            self.words_since_summary = 0
            self.point_turns_since_summary = 0
        self._refresh()

    def revise_caseworker(self, before: QuestionResult, after: QuestionResult, summary_before: bool,
                          summary_after: bool) -> None:
        """A caseworker turn's type or summary flag changed when the citizen's reply came: move its counts."""
        c = self.coaching
        for result, step in ((before, -1), (after, 1)):
            if result.question == "open":
                c.open_questions += step
            elif result.question == "closed":
                c.closed_questions += step
            c.leading_questions += step if result.leading else 0
        c.summaries += int(summary_after) - int(summary_before)
        if summary_after and not summary_before:
            self.words_since_summary = 0
            self.point_turns_since_summary = 0
        self._refresh()

    def add_citizen(self, turn: TurnText, raised_point: bool, open_points: int) -> None:
        self.citizen_words += turn.word_count()
        self.words_since_summary += turn.word_count()
        if raised_point:
            self.point_turns_since_summary += 1
        self._refresh(open_points)

    def _refresh(self, open_points: int | None = None) -> None:
        c = self.coaching
        total = self.citizen_words + self.caseworker_words
        c.citizen_talk_share = round(self.citizen_words / total, 3) if total else 0.0
        if open_points is None:
            open_points = 1 if self.words_since_summary else 0
        if open_points and (self.words_since_summary >= self.options.nudge_words
                            or self.point_turns_since_summary >= self.options.nudge_turns):
            c.nudge = "Borgeren har fortalt en del uden en opsummering: opsummer med borgerens egne ord."
        else:
            c.nudge = None
