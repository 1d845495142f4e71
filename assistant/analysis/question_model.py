"""The caseworker's question type (open/closed/none): the hand rules of :mod:`coaching` and the turn's word order
→ a fitted logistic regression (labels: the ``question`` field of caseworker turns).

A recogniser hands turns over without "?" and capitals, so most features read only the words: which word
opens and which words close the turn (a tag such as "ikke", "ik'", "vel", "right"), a finite verb before its
subject (Danish yes/no questions put the verb first) and the word before it (after "så"/"det" it is a
statement, after "ja"/"og" or at the start a question), a wh-word with the verb straight after it. The hand
rules' answer is a feature too; every feature also appears once per regime (with and without punctuation),
so the fit learns how far to trust each in each. Fitted on the labelled calls and their noisy copies; decided by the most probable class.
"""

from __future__ import annotations

from pathlib import Path

from assistant.analysis.fitted import Features, FitOptions
from assistant.analysis.text import FILLERS, TurnText
from assistant.analysis.training import Example, LabelledCall, Trainer, load_model, parse_turn, register_trainer

QUESTION_MODEL = "question"
QUESTION_TYPES = ("open", "closed", "none")
#: Words that, closing a turn, ask for agreement ("..., ikke?", "ik'", "vel", "right", "okay?").
TAGS = frozenset({"ikke", "ik", "ikk", "vel", "right", "okay", "ok", "sandt", "rigtigt", "korrekt", "hva", "hvad",
                  "eller", "nej", "ja"})
WH_WORDS = frozenset({"hvad", "hvordan", "hvorfor", "hvilken", "hvilket", "hvilke", "hvem", "hvornår", "hvor",
                      "hvorledes", "what", "how", "why", "which", "who", "when", "where"})
#: Words after which a finite verb + subject still opens a question ("ja, har du ...", "og er det ..."); after
#: other words ("så har du ...", "det kan jeg ...") the order is a statement's.
CLAUSE_OPENERS = frozenset({"", "ja", "nej", "okay", "ok", "og", "men", "eller", "godt", "fint", "jamen", "altså",
                            "øh", "øhm", "nå", "super", "tak", "fordi", "så"})


def question_features(turn: TurnText, hand: str, *, opening: bool, summary: float) -> Features:
    """Named features of one caseworker turn for the question model.

    Args:
        turn: The parsed turn.
        hand: The hand rules' question type.
        opening: Whether it is the caseworker's first turn (it often ends on "... er det <name>").
        summary: The hand summary score (an unpunctuated summary usually ends in an unheard check).
    """
    from assistant.analysis.coaching import QUESTION_VERBS, SUBJECTS

    words = [w for w, p in zip(turn.lowers, turn.is_punct) if not p]
    content = [w for w in words if w not in FILLERS or w in TAGS]
    regime = "p" if turn.punctuated else "u"
    features: Features = {"bias:turn": 1.0, f"hand:{hand}": 1.0, f"len:{min(len(words) // 6, 5)}": 1.0,
                          f"summary:{min(int(summary * 2), 4)}": 1.0}
    if opening:
        features["opening"] = 1.0
    text = turn.text.rstrip()
    if text.endswith("?"):
        features["punct:ends_q"] = 1.0
    elif "?" in text:
        features["punct:q_inside"] = 1.0
    if content:
        features[f"first:{_word_class(content[0], QUESTION_VERBS, WH_WORDS)}"] = 1.0
        features[f"last:{content[-1] if content[-1] in TAGS else _word_class(content[-1], QUESTION_VERBS, WH_WORDS)}"] = 1.0
    for word in content[:2]:
        features[f"head:{word}"] = 1.0
    for word in content[-3:]:
        features[f"tail:{word}"] = 1.0
    features.update(_order_features(words, QUESTION_VERBS, SUBJECTS))
    for cue in turn.cues_of("coaching"):
        features[f"cue:{cue.label}"] = 1.0
    # Each feature once more per regime: a turn without punctuation is read differently (no "?" to lean on, words
    # lost), and leave-one-writer-out preferred the crossed features.
    features.update({f"{regime}#{name}": value for name, value in list(features.items())})
    return features


def _word_class(word: str, verbs: frozenset[str], wh: frozenset[str]) -> str:
    return "wh" if word in wh else "verb" if word in verbs else "word"


def _order_features(words: list[str], verbs: frozenset[str], subjects: frozenset[str]) -> Features:
    """Word order: verb + subject (by the word before it and where in the turn) and wh-word + verb."""
    features: Features = {}
    n = len(words)
    for i in range(n - 1):
        where = "end" if i >= n - 8 else "start" if i < 3 else "mid"
        if words[i] in verbs and words[i + 1] in subjects:
            prev = words[i - 1] if i else ""
            opener = "opener" if prev in CLAUSE_OPENERS else "other"
            features[f"inv:{opener}@{where}"] = 1.0
            features[f"inv:{opener}"] = 1.0
        if words[i] in WH_WORDS and (words[i + 1] in verbs or words[i + 1] == "der"):
            prev = words[i - 1] if i else ""
            features[f"wh_verb:{'opener' if prev in CLAUSE_OPENERS else 'other'}@{where}"] = 1.0
    return features


def predict_question(turn: TurnText, hand: str, *, opening: bool, summary: float,
                     models_dir: Path | None = None) -> str:
    """The fitted question type: the most probable of open, closed and none.

    Raises:
        AnalysisError: when the model is missing (run `assistant train`).
    """
    model = load_model(QUESTION_MODEL, models_dir)
    probs = model.predict_proba(question_features(turn, hand, opening=opening, summary=summary))
    return max(QUESTION_TYPES, key=lambda q: (probs.get(q, 0.0), q == hand))


def question_examples(calls: list[LabelledCall]) -> list[Example]:
    """Every caseworker turn with a ``question`` label, with the features the live analyser computes."""
    from assistant.analysis.coaching import hand_question, summary_score

    examples = []
    for call in calls:
        first = True
        for raw in call.turns:
            if raw.get("speaker") != "caseworker":
                continue
            turn = parse_turn(raw.get("text") or "")
            opening, first = first, False
            if raw.get("question") not in QUESTION_TYPES:
                continue
            hand = hand_question(turn, opening=opening).question
            examples.append(Example(question_features(turn, hand, opening=opening, summary=summary_score(turn)),
                                    raw["question"], call.writer))
    return examples


register_trainer(Trainer(
    name=QUESTION_MODEL,
    examples=question_examples,
    positive=lambda q: q != "none",
    # Unweighted classes: leave-one-writer-out preferred them (closed questions are the commonest; weighting the
    # rarer types up turned lost closed questions into "none" in transcripts).
    options=FitOptions(c=0.1, min_count=3, class_weight=None),
    description="Sagsbehandlerens spørgsmålstype pr. tur (åbent/lukket/intet): håndreglernes svar pr. regime "
                "(med/uden tegnsætning), ordstilling (verbum før subjekt, hv-ord + verbum), første og sidste ord "
                "(tags som 'ikke'/'vel'); den mest sandsynlige type vælges.",
))
