"""The trainers of the citizen's state: frustration level per turn (more follow the same shape).

Each trainer walks the labelled calls turn by turn exactly as the live analyser does (same parsing, same
hand scorer, same context) and turns every labelled citizen turn into an :class:`Example`.
"""

from __future__ import annotations

from assistant.analysis.barriers import guess_language
from assistant.analysis.features import (
    FRUSTRATION_FIRST_MODEL,
    FRUSTRATION_HIGH_MODEL,
    FRUSTRATION_MODEL,
    TurnContext,
    frustration_features,
    with_call_context,
)
from assistant.analysis.fitted import FitOptions, fit_logistic
from assistant.analysis.frustration import score_frustration
from assistant.analysis.threat import THREAT_MODEL, threat_examples
from assistant.analysis.training import Example, LabelledCall, Trainer, parse_turn, register_trainer
from assistant.analysis.types import AsrInfo



def _asr(turn: dict) -> AsrInfo | None:
    raw = turn.get("asr")
    return AsrInfo.model_validate(raw) if isinstance(raw, dict) else None


def frustration_examples(calls: list[LabelledCall]) -> list[Example]:
    """Every citizen turn with a ``frustration`` label, with the features the live analyser computes."""
    return [Example(features, label, writer) for _, writer, features, label in _citizen_turns(calls)
            if label is not None]


def _citizen_turns(calls: list[LabelledCall]) -> list[tuple[int, str, dict, int | None]]:
    """Every citizen turn in call order as (call's index, writer, features, level or None when unlabelled).

    The index, not the id: a noisy copy has its original's id, and its turns must not count as the same call."""
    turns = []
    for index, call in enumerate(calls):
        previous = 0
        for raw in call.turns:
            if raw.get("speaker") != "citizen":
                continue
            turn = parse_turn(raw.get("text", ""))
            asr = _asr(raw)
            hand = score_frustration(turn, previous_level=previous)
            context = TurnContext(previous_hand_level=previous, lang=guess_language(turn, asr), asr=asr)
            label = int(raw["frustration"]) if "frustration" in raw else None
            turns.append((index, call.writer, frustration_features(turn, hand, context), label))
            previous = hand.level
    return turns


register_trainer(Trainer(
    name=FRUSTRATION_MODEL,
    examples=frustration_examples,
    positive=lambda level: level >= 2,
    options=FitOptions(c=2.0, min_count=3),
    description="Borgerens frustration pr. tur (0-3): leksikonets cue-typer, struktur, kontekst og tegn-n-gram; "
                "tærsklen for niveau 2+ er valgt på leave-one-writer-out.",
))

# Tried for frustration_high on leave-one-writer-out over dev+train and not kept (F1 of level >= 2, clean / the
# writers' noisy copies; now 0.696 / 0.682): each writer weighing the same in the fit 0.692 / 0.668; noisy copies
# at half weight 0.696 / 0.673; graded AFINN features (negative sum, minimum, count, with negation) 0.692 / 0.676;
# wordfreq Zipf frequency of the content words (rare words, mean, minimum) 0.689-0.696 / 0.674-0.678; the hand
# scorer's highest level so far in the call 0.707 / 0.665; the caseworker's previous turn bringing bad news or an
# apology 0.690 / 0.673; gradient boosting (HistGradientBoosting, depth 3) on the dense features plus the
# cross-fitted n-gram model's probability 0.667-0.697 / 0.643-0.693, one writer down to 0.44-0.51 on noisy; the
# highest cross-fitted P(level >= 2) of the multinomial model over the citizen's earlier turns, as a feature
# 0.712 / 0.657 (`eval --lowo`, commit f316090, backed out). Sentida was not tried as a dependency: its licence
# is CC BY-NC 3.0 (no commercial use) and it pulls in pandas and nltk.
def frustration_first_examples(calls: list[LabelledCall]) -> list[Example]:
    """The same turns and features as :func:`frustration_examples`, labelled 1 at level 2 or more, else 0."""
    return [Example(e.features, int(e.label >= 2), e.writer) for e in frustration_examples(calls)]


FRUSTRATION_FIRST_OPTIONS = FitOptions(c=2.0, min_count=3)

register_trainer(Trainer(
    name=FRUSTRATION_FIRST_MODEL,
    examples=frustration_first_examples,
    positive=lambda label: label == 1,
    options=FRUSTRATION_FIRST_OPTIONS,
    description="Første trin: borgeren frustreret (niveau 2+) eller ej ud fra turen alene; dens sandsynlighed "
                "for borgerens tidligere ture i opkaldet er en feature i frustration_high.",
))


def frustration_high_examples(calls: list[LabelledCall]) -> list[Example]:
    """The first stage's examples plus the call so far (:func:`with_call_context`), labelled 1 at level 2+.

    The call so far is the highest first-stage P(level >= 2) of the citizen's earlier turns. Live the first
    stage has never seen the call, so here each turn's P comes from a first stage fitted without its writer
    (cross-fitting; with one writer only, without its fifth of the calls): in-sample predictions would be too
    sure of themselves and teach this model to trust them too much.
    """
    turns = _citizen_turns(calls)
    first = _cross_fitted_first_stage(turns, [call.id for call in calls])
    examples, earlier_max, current_call = [], None, None
    for (call, writer, features, label), p in zip(turns, first):
        if call != current_call:
            current_call, earlier_max = call, None
        if label is not None:
            context = TurnContext(earlier_high_max=earlier_max)
            examples.append(Example(with_call_context(features, context), int(label >= 2), writer))
        earlier_max = p if earlier_max is None else max(earlier_max, p)
    return examples


def _cross_fitted_first_stage(turns: list[tuple[int, str, dict, int | None]], call_ids: list[str]) -> list[float]:
    """The first stage's P(level >= 2) per turn, from a fit on the other writers (or, with one writer, on the
    other fifths of the calls; a call and its noisy copy share an id and so a fifth)."""
    writers = sorted({writer for _, writer, _, _ in turns})
    if len(writers) > 1:
        groups = [writer for _, writer, _, _ in turns]
    else:
        ids = sorted(set(call_ids))
        fold = {call_id: str(i % 5) for i, call_id in enumerate(ids)}
        groups = [fold[call_ids[call]] for call, _, _, _ in turns]
    out = [0.0] * len(turns)
    for group in sorted(set(groups)):
        rest = [(f, int(label >= 2)) for (_, _, f, label), g in zip(turns, groups) if g != group and label is not None]
        if len({y for _, y in rest}) < 2:
            continue
        model = fit_logistic([f for f, _ in rest], [y for _, y in rest], name=FRUSTRATION_FIRST_MODEL,
                             options=FRUSTRATION_FIRST_OPTIONS)
        for i, ((_, _, features, _), g) in enumerate(zip(turns, groups)):
            if g == group:
                out[i] = model.predict_proba(features).get(1, 0.0)
    return out


register_trainer(Trainer(
    name=FRUSTRATION_HIGH_MODEL,
    examples=frustration_high_examples,
    positive=lambda label: label == 1,
    options=FitOptions(c=2.0, min_count=3),
    description="Borgeren frustreret (niveau 2+) eller ej pr. tur: samme features som frustrationsmodellen plus "
                "den højeste sandsynlighed for niveau 2+ i borgerens tidligere ture i opkaldet (fra første trin, "
                "frustration_first, krydsfittet), fittet på den ene beslutning; tærsklen er valgt på "
                "leave-one-writer-out. Frustrationsmodellen skelner derefter 0 fra 1 og 2 fra 3.",
))

register_trainer(Trainer(
    name=THREAT_MODEL,
    examples=threat_examples,
    positive=bool,
    options=FitOptions(c=1.0, min_count=2),
    min_recall=0.7,
    description="Trussel eller selvskade i opkaldet (kun mærket pr. opkald): tegn-n-gram af begge parters ord; "
                "supplerer frasefamilierne i threat.py. Tærsklen er den højeste, der holder recall >= 0,7 på "
                "leave-one-writer-out (recall først).",
))
