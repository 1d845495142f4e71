"""The trainers of the citizen's state: frustration level per turn (more follow the same shape).

Each trainer walks the labelled calls turn by turn exactly as the live analyser does (same parsing, same
hand scorer, same context) and turns every labelled citizen turn into an :class:`Example`.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.analysis.barriers import guess_language
from assistant.analysis.features import (
    FRUSTRATION_HIGH_MODEL,
    FRUSTRATION_MODEL,
    TurnContext,
    frustration_features,
    with_call_context,
)
from assistant.analysis.fitted import Features, FitOptions, fit_logistic
from assistant.analysis.frustration import score_frustration
from assistant.analysis.threat import THREAT_MODEL, threat_examples
from assistant.analysis.training import Example, LabelledCall, Trainer, parse_turn, register_trainer
from assistant.analysis.types import AsrInfo



def _asr(turn: dict) -> AsrInfo | None:
    raw = turn.get("asr")
    return AsrInfo.model_validate(raw) if isinstance(raw, dict) else None


@dataclass(frozen=True)
class _CitizenTurn:
    """A citizen turn as the analyser sees it: its call, features and label (None when unlabelled)."""

    call: str
    writer: str
    features: Features
    label: int | None


def _citizen_turns(calls: list[LabelledCall]) -> list[_CitizenTurn]:
    """Every citizen turn in call order, with the features the live analyser computes."""
    turns = []
    for call in calls:
        previous = 0
        for raw in call.turns:
            if raw.get("speaker") != "citizen":
                continue
            turn = parse_turn(raw.get("text", ""))
            asr = _asr(raw)
            hand = score_frustration(turn, previous_level=previous)
            context = TurnContext(previous_hand_level=previous, lang=guess_language(turn, asr), asr=asr)
            label = int(raw["frustration"]) if "frustration" in raw else None
            turns.append(_CitizenTurn(call.id, call.writer, frustration_features(turn, hand, context), label))
            previous = hand.level
    return turns


def frustration_examples(calls: list[LabelledCall]) -> list[Example]:
    """Every citizen turn with a ``frustration`` label, with the features the live analyser computes."""
    return [Example(t.features, t.label, t.writer) for t in _citizen_turns(calls) if t.label is not None]


FRUSTRATION_OPTIONS = FitOptions(c=2.0, min_count=3)

register_trainer(Trainer(
    name=FRUSTRATION_MODEL,
    examples=frustration_examples,
    positive=lambda level: level >= 2,
    options=FRUSTRATION_OPTIONS,
    description="Borgerens frustration pr. tur (0-3): leksikonets cue-typer, struktur, kontekst og tegn-n-gram; "
                "tærsklen for niveau 2+ er valgt på leave-one-writer-out.",
))


def frustration_high_examples(calls: list[LabelledCall]) -> list[Example]:
    """The turns and features of :func:`frustration_examples` plus the call so far, labelled 1 at level 2 or more.

    The call so far is the highest P(level >= 2) the multinomial model gave the citizen's earlier turns. Live
    that model has never seen the call, so here each turn's P comes from a multinomial model fitted without its
    writer (cross-fitting; with one writer only, without its fifth of the calls): in-sample predictions would be
    too sure of themselves and teach the yes/no model to trust them too much.
    """
    turns = _citizen_turns(calls)
    high = _out_of_group_high(turns)
    examples, earlier_max, call = [], None, None
    for turn, p in zip(turns, high):
        if turn.call != call:
            call, earlier_max = turn.call, None
        if turn.label is not None:
            features = with_call_context(turn.features, TurnContext(earlier_high_max=earlier_max))
            examples.append(Example(features, int(turn.label >= 2), turn.writer))
        earlier_max = p if earlier_max is None else max(earlier_max, p)
    return examples


def _out_of_group_high(turns: list[_CitizenTurn]) -> list[float]:
    """P(level >= 2) per turn from a multinomial model fitted on the other writers (or other calls)."""
    writers = sorted({t.writer for t in turns})
    if len(writers) > 1:
        groups = [t.writer for t in turns]
    else:
        calls = sorted({t.call for t in turns})
        fold = {c: i % 5 for i, c in enumerate(calls)}
        groups = [str(fold[t.call]) for t in turns]
    out = [0.0] * len(turns)
    for group in sorted(set(groups)):
        rest = [t for t, g in zip(turns, groups) if g != group and t.label is not None]
        if len({t.label for t in rest}) < 2:
            continue
        model = fit_logistic([t.features for t in rest], [t.label for t in rest], name=FRUSTRATION_MODEL,
                             options=FRUSTRATION_OPTIONS)
        for i, (t, g) in enumerate(zip(turns, groups)):
            if g == group:
                probs = model.predict_proba(t.features)
                out[i] = probs.get(2, 0.0) + probs.get(3, 0.0)
    return out


register_trainer(Trainer(
    name=FRUSTRATION_HIGH_MODEL,
    examples=frustration_high_examples,
    positive=lambda label: label == 1,
    options=FitOptions(c=2.0, min_count=3),
    description="Borgeren frustreret (niveau 2+) eller ej pr. tur: samme features som frustrationsmodellen plus "
                "den højeste sandsynlighed for niveau 2+ i borgerens tidligere ture i opkaldet (fra "
                "frustrationsmodellen, krydsfittet), fittet på den ene beslutning; tærsklen er valgt på "
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
