"""Probe set for threat/self-harm and health barrier: short calls written for this test, with a recogniser copy.

The probes (``data/threat_health_probes.jsonl``) are our own general Danish: veiled threats, self-harm hints and
abuse suffered; illness that hinders the talk (anxiety, panic, confusion, dementia, heavy medication,
withdrawal, intoxication, crying, needing to stop). Hard negatives use the same words harmlessly: figurative
speech, weariness, lawful escalation, someone else's illness, the office forgetting. None is taken from a
labelled call.

Each probe also has a ``recogniser`` copy made the way ``shared/eval/SCHEMA.md`` describes the ``*_noisy``
splits: lower case, no punctuation, compounds split, fillers inserted, a similar-looking word form substituted
or a short word dropped. The copy is made by :func:`recogniser_version` (deterministic per probe id) and stored
in the data file so it can be read and checked; ``python -m tests.analysis.threat_health_probes --write``
rebuilds it and ``python -m tests.analysis.threat_health_probes [--batch=1|2|3|4|5]`` prints recall and precision
(batch 2, ids ``b2-...``, was written after the first lexicon changes and measured before any change made for
it; batch 3, ``b3-...``, after all of them, and nothing was changed for it; batch 4, ``b4-...``, was written in the next round before
its author looked at how the matcher reads it, and measured after that round's changes; its misses were then made
into general families; batch 5, ``b5-...``, was written after all of that and measured once, nothing changed for it).
"""

from __future__ import annotations

import json
import random
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

PROBES = Path(__file__).parent / "data" / "threat_health_probes.jsonl"

#: Compounds a recogniser often hands over as two words (general Danish word formation).
SPLIT_COMPOUNDS = {
    "sovepiller": "sove piller", "afskedsbrev": "afskeds brev", "angstanfald": "angst anfald",
    "børnehave": "børne have", "papirarbejde": "papir arbejde", "dødtræt": "død træt",
    "lokalavisen": "lokal avisen", "telefonnummeret": "telefon nummeret", "lønsedlerne": "løn sedlerne",
    "køkkenbordet": "køkken bordet", "sagsbehandleren": "sags behandleren", "hjemmeplejen": "hjemme plejen",
    "selvmord": "selv mord", "ankestyrelsen": "anke styrelsen", "månedsvis": "måneds vis",
    "fleksjob": "fleks job", "afrusning": "af rusning", "ombudsmanden": "ombuds manden",
}
#: Hesitations a recogniser writes out.
FILLERS = ("øh", "øhm", "altså")
#: Short words a recogniser drops.
DROPPABLE = frozenset({"det", "at", "er", "jo", "lige", "så", "en", "et", "den", "til"})


def _similar_form(word: str, rng: random.Random) -> str:
    """A similar-looking Danish form of a word, as a recogniser substitutes one (ending dropped or changed, a
    consonant doubled or undoubled)."""
    if len(word) < 4:
        return word
    options = []
    if word.endswith(("er", "en", "et", "te", "de")):
        options.append(word[:-1])
    if word.endswith("e"):
        options.append(word[:-1] + "er")
    for i in range(1, len(word) - 1):
        if word[i] == word[i + 1] and word[i] not in "aeiouyæøå":
            options.append(word[:i] + word[i + 1:])
            break
    options.append(word + "e" if not word.endswith("e") else word[:-1])
    return rng.choice(options)


def recogniser_version(text: str, seed: str) -> str:
    """The turn as a recogniser would hand it over (see the module docstring); the same seed gives the same
    copy."""
    rng = random.Random(zlib.crc32(f"{seed}:{text}".encode()))
    words = "".join(ch if ch.isalnum() or ch.isspace() else " " for ch in text.lower()).split()
    words = [part for w in words for part in SPLIT_COMPOUNDS.get(w, w).split()]
    if len(words) >= 5:
        # One error per turn: a similar-looking form of a longer word, or a short word dropped.
        longer = [i for i, w in enumerate(words) if len(w) >= 5]
        short = [i for i, w in enumerate(words) if w in DROPPABLE]
        if short and (not longer or rng.random() < 0.4):
            del words[rng.choice(short)]
        elif longer:
            i = rng.choice(longer)
            words[i] = _similar_form(words[i], rng)
    if len(words) >= 4:
        words.insert(rng.randrange(1, len(words)), rng.choice(FILLERS))
    return " ".join(words)


@dataclass(frozen=True)
class Probe:
    """One probe: a short call, the signal it tests and whether that signal should be raised."""

    id: str
    signal: str
    """"threat" or "health"."""
    gold: bool
    note: str
    turns: tuple[tuple[str, str], ...]
    recogniser: tuple[tuple[str, str], ...]


def load_probes(path: Path = PROBES) -> list[Probe]:
    """The probes of the data file (``#`` lines are comments)."""
    probes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        row = json.loads(line)
        probes.append(Probe(row["id"], row["signal"], row["gold"], row["note"],
                            tuple(map(tuple, row["turns"])), tuple(map(tuple, row["recogniser"]))))
    return probes


def flags_of(turns) -> dict[str, bool]:
    """Run a call through the live analyser; the threat and health-barrier flags at its end."""
    from assistant.analysis.analyzer import CallAnalyzer

    analyzer = CallAnalyzer.create()
    state = None
    for speaker, text in turns:
        state = analyzer.add_turn(speaker, text)
    return {"threat": state.call.threat, "health": state.call.health_barrier}


@dataclass
class Score:
    """Recall and precision of one signal on one version of the probes, with the probes it got wrong."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    missed: tuple[str, ...] = ()
    false_flags: tuple[str, ...] = ()

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0


def score(probes: list[Probe], signal: str, version: str) -> Score:
    """Recall/precision of ``signal`` on its probes, ``version`` "turns" (clean) or "recogniser"."""
    result = Score()
    for probe in (p for p in probes if p.signal == signal):
        raised = flags_of(getattr(probe, version))[signal]
        if raised and probe.gold:
            result.tp += 1
        elif raised:
            result.fp += 1
            result.false_flags += (probe.id,)
        elif probe.gold:
            result.fn += 1
            result.missed += (probe.id,)
    return result


def _write_recogniser_copies(path: Path = PROBES) -> None:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            row = json.loads(line)
            row["recogniser"] = [[s, recogniser_version(t, row["id"])] for s, t in row["turns"]]
            line = json.dumps(row, ensure_ascii=False)
        lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str]) -> None:
    if "--write" in argv:
        _write_recogniser_copies()
        return
    probes = load_probes()
    batch = next((a.split("=", 1)[1] for a in argv if a.startswith("--batch=")), None)
    if batch == "1":
        probes = [p for p in probes if not p.id.startswith(("b2-", "b3-", "b4-", "b5-"))]
    elif batch in ("2", "3", "4", "5"):
        probes = [p for p in probes if p.id.startswith(f"b{batch}-")]
    for signal in ("threat", "health"):
        for version in ("turns", "recogniser"):
            s = score(probes, signal, version)
            print(f"{signal:7s} {'clean' if version == 'turns' else 'recogniser':10s} recall={s.recall:.3f} "
                  f"precision={s.precision:.3f} (tp={s.tp} fp={s.fp} fn={s.fn}) missed={list(s.missed)} "
                  f"false={list(s.false_flags)}")


if __name__ == "__main__":
    main(sys.argv[1:])
