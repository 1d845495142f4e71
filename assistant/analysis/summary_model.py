"""Does a caseworker turn sum up what the citizen said: the hand evidence of :func:`coaching.summary_score` and the
turn's words → a fitted logistic regression (labels: the ``summary`` flag of caseworker turns).

The hand scorer knows how Danish summaries are built ("hvis jeg forstår dig ret", a clause-initial "så" + subject,
"du har ventet ...", a check at the end); the fit decides how much each part counts and learns the rest from the
words, on writers it did not see (leave-one-writer-out threshold).
"""

from __future__ import annotations

from pathlib import Path

from assistant.analysis.fitted import Features, FitOptions, char_ngrams
from assistant.analysis.text import FILLERS, TurnText
from assistant.analysis.training import Example, LabelledCall, Trainer, load_model, parse_turn, register_trainer

SUMMARY_MODEL = "summary"
SECOND_PERSON = frozenset({"du", "dig", "din", "dit", "dine"})
FIRST_PERSON = frozenset({"jeg", "mig", "min", "mit", "mine", "vi", "os", "vores"})


def summary_features(turn: TurnText, hand_score: float, *, turn_index: int) -> Features:
    """Named features of one caseworker turn for the summary model."""
    words = [w for w, p in zip(turn.lowers, turn.is_punct) if not p]
    content = [w for w in words if w not in FILLERS]
    features: Features = {
        "hand:score": min(hand_score, 4.0) / 4, "bias:turn": 1.0,
        f"hand:level={min(int(hand_score * 2), 6)}": 1.0,
        f"length={min(len(words) // 8, 4)}": 1.0,
        f"position={min(turn_index // 4, 3)}": 1.0,
        f"regime:{'p' if turn.punctuated else 'u'}": 1.0,
    }
    for cue in turn.cues_of("coaching"):
        features[f"cue:{cue.label}"] = features.get(f"cue:{cue.label}", 0.0) + 1.0
    for cue in turn.cues_of("complaint"):
        features["cue:complaint"] = min(3.0, features.get("cue:complaint", 0.0) + 1.0)
    you = sum(w in SECOND_PERSON for w in words)
    me = sum(w in FIRST_PERSON for w in words)
    features["you_share"] = you / max(1, len(words))
    features["me_share"] = me / max(1, len(words))
    if turn.text.rstrip().endswith("?"):
        features["ends:question"] = 1.0
    for k, word in enumerate(content[:3]):
        features[f"start{k}:{word}"] = 1.0
    if len(content) >= 2:
        features[f"start:{content[0]}_{content[1]}"] = 1.0
    features.update(char_ngrams(turn.text))
    return features


def is_summary(turn: TurnText, *, turn_index: int, lemma_table=None, models_dir: Path | None = None) -> bool:
    """The fitted decision: does this caseworker turn sum up what the citizen said.

    Raises:
        AnalysisError: when the model is missing (run `assistant train`).
    """
    from assistant.analysis.coaching import summary_score

    model = load_model(SUMMARY_MODEL, models_dir)
    features = summary_features(turn, summary_score(turn, lemma_table), turn_index=turn_index)
    return model.predict_proba(features).get(True, 0.0) >= model.thresholds.get("positive", 0.5)


def summary_examples(calls: list[LabelledCall]) -> list[Example]:
    """Every caseworker turn with a ``summary`` label, with the features the live analyser computes."""
    from assistant.analysis.coaching import summary_score
    from assistant.analysis.pipeline import lemma_table

    table = lemma_table()
    examples = []
    for call in calls:
        for index, raw in enumerate(call.turns):
            if raw.get("speaker") != "caseworker" or "summary" not in raw:
                continue
            turn = parse_turn(raw.get("text") or "")
            examples.append(Example(summary_features(turn, summary_score(turn, table), turn_index=index),
                                    bool(raw["summary"]), call.writer))
    return examples


register_trainer(Trainer(
    name=SUMMARY_MODEL,
    examples=summary_examples,
    positive=bool,
    options=FitOptions(c=0.5, min_count=3),
    description="Sagsbehandlerens opsummering pr. tur: håndscorerens evidens (faste vendinger, 'så' + subjekt, "
                "'du har ...', tjek til sidst), cue-typer, første ord og tegn-n-gram; tærskel på "
                "leave-one-writer-out.",
))
