"""The trainers of the citizen's state: frustration level per turn (more follow the same shape).

Each trainer walks the labelled calls turn by turn exactly as the live analyser does (same parsing, same
hand scorer, same context) and turns every labelled citizen turn into an :class:`Example`.
"""

from __future__ import annotations

from assistant.analysis.barriers import guess_language
from assistant.analysis.features import FRUSTRATION_HIGH_MODEL, FRUSTRATION_MODEL, TurnContext, frustration_features
from assistant.analysis.fitted import FitOptions
from assistant.analysis.frustration import score_frustration
from assistant.analysis.threat import THREAT_MODEL, threat_examples
from assistant.analysis.training import Example, LabelledCall, Trainer, parse_turn, register_trainer
from assistant.analysis.types import AsrInfo



def _asr(turn: dict) -> AsrInfo | None:
    raw = turn.get("asr")
    return AsrInfo.model_validate(raw) if isinstance(raw, dict) else None


def frustration_examples(calls: list[LabelledCall]) -> list[Example]:
    """Every citizen turn with a ``frustration`` label, with the features the live analyser computes."""
    examples = []
    for call in calls:
        previous = 0
        for raw in call.turns:
            if raw.get("speaker") != "citizen":
                continue
            turn = parse_turn(raw.get("text", ""))
            asr = _asr(raw)
            hand = score_frustration(turn, previous_level=previous)
            context = TurnContext(previous_hand_level=previous, lang=guess_language(turn, asr), asr=asr)
            if "frustration" in raw:
                examples.append(Example(frustration_features(turn, hand, context), int(raw["frustration"]),
                                        call.writer))
            previous = hand.level
    return examples


register_trainer(Trainer(
    name=FRUSTRATION_MODEL,
    examples=frustration_examples,
    positive=lambda level: level >= 2,
    options=FitOptions(c=2.0, min_count=3),
    description="Borgerens frustration pr. tur (0-3): leksikonets cue-typer, struktur, kontekst og tegn-n-gram; "
                "tærsklen for niveau 2+ er valgt på leave-one-writer-out.",
))

def frustration_high_examples(calls: list[LabelledCall]) -> list[Example]:
    """The same turns and features as :func:`frustration_examples`, labelled 1 at level 2 or more, else 0."""
    return [Example(e.features, int(e.label >= 2), e.writer) for e in frustration_examples(calls)]


register_trainer(Trainer(
    name=FRUSTRATION_HIGH_MODEL,
    examples=frustration_high_examples,
    positive=lambda label: label == 1,
    options=FitOptions(c=2.0, min_count=3),
    description="Borgeren frustreret (niveau 2+) eller ej pr. tur: samme features som frustrationsmodellen, "
                "fittet på den ene beslutning; tærsklen er valgt på leave-one-writer-out. Frustrationsmodellen "
                "skelner derefter 0 fra 1 og 2 fra 3.",
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
