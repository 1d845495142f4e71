"""Replay a sample call's script turn by turn at speaking pace through a text call (the default demo).

The script (`recordings_sample/<name>.script.json`) is what the sample recording was made from, and its
timeline says when each turn ends in the recording. Each turn is handed to the session as a typed turn
at the moment its speech would have ended, so the panel, the analysis, the store and the note see the
same call a perfect transcriber would deliver, in the same rhythm.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import SessionError
from assistant.events import Speaker
from assistant.session.call import CallSession

log = logging.getLogger(__name__)

WORDS_PER_SECOND = 2.5
"""Speaking pace when a script has no timeline: about 150 words a minute, an ordinary phone call."""
DEFAULT_PAUSE_S = 0.8
"""The gap before a turn when the script names none."""


@dataclass(frozen=True)
class ScriptTurn:
    """One turn of a sample's script.

    Attributes:
        speaker: Who says it.
        text: What is said.
        language: The language it is spoken in (ISO 639-1), as a transcriber would report it.
        end_s: Call time (seconds from the start) at which the turn's speech ends.
    """

    speaker: Speaker
    text: str
    language: str
    end_s: float


@dataclass(frozen=True)
class SampleScript:
    """A sample call's script: its title and turns in order."""

    name: str
    title: str
    turns: tuple[ScriptTurn, ...]


def script_path_for(sample: Path) -> Path:
    """`…/02_x.wav` or `…/02_x.script.json` → `…/02_x.script.json`."""
    stem = sample.name.removesuffix(".script.json").removesuffix(".wav")
    return sample.with_name(f"{stem}.script.json")


def load_script(sample: Path) -> SampleScript:
    """Read a sample's script and, when present, its timeline (when each turn ends).

    Args:
        sample: The sample's WAV file or its `.script.json`.

    Raises:
        SessionError: code `script-not-found` or `script-invalid`.
    """
    path = script_path_for(Path(sample))
    try:
        script = json.loads(path.read_text(encoding="utf-8"))
        raw_turns = script["turns"]
    except FileNotFoundError:
        raise SessionError(f"Manuskriptet {path.name} findes ikke ved siden af optagelsen.",
                           code="script-not-found") from None
    except (ValueError, KeyError, TypeError) as err:
        raise SessionError(f"Manuskriptet {path.name} kan ikke læses: {err}", code="script-invalid") from err
    ends = _timeline_ends(path) or _paced_ends(raw_turns, lead_in_s=float(script.get("lead_in_s", 0.5)))
    if len(ends) != len(raw_turns):
        raise SessionError(f"Tidslinjen passer ikke til manuskriptet {path.name}.", code="script-invalid")
    turns = tuple(ScriptTurn(speaker=turn["speaker"], text=turn["text"], language=turn.get("lang", "da"), end_s=end)
                  for turn, end in zip(raw_turns, ends))
    name = path.name.removesuffix(".script.json")
    return SampleScript(name=name, title=str(script.get("title") or name), turns=turns)


def _timeline_ends(script_path: Path) -> list[float] | None:
    timeline = script_path.with_name(script_path.name.replace(".script.json", ".timeline.json"))
    try:
        return [float(turn["end"]) for turn in json.loads(timeline.read_text(encoding="utf-8"))["turns"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no usable timeline: pace by word count instead


def _paced_ends(raw_turns: list[dict], *, lead_in_s: float) -> list[float]:
    ends, clock = [], lead_in_s
    for index, turn in enumerate(raw_turns):
        clock += float(turn.get("pause_before_s", DEFAULT_PAUSE_S)) if index else 0.0
        clock += max(1.0, len(turn["text"].split()) / WORDS_PER_SECOND)
        ends.append(clock)
    return ends


async def replay_script(session: CallSession, script: SampleScript, *, speed: float = 1.0,
                        wait_for_viewer: bool = True) -> None:
    """Hand the script's turns to `session` at speaking pace, then end the call.

    Args:
        session: A running text call (no audio source).
        script: The turns to replay.
        speed: 1.0 is real time; 2.0 twice as fast.
        wait_for_viewer: Start only when a panel (or any event subscriber) is watching the call, so the
            first turns are not over before anyone opened the link.
    """
    if wait_for_viewer:
        await session.watched.wait()
    loop = asyncio.get_running_loop()
    started = loop.time()
    for turn in script.turns:
        delay = started + turn.end_s / speed - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        if session.status != "running":
            return  # the caseworker ended the call early
        await session.add_text(turn.speaker, turn.text, language=turn.language)
    await session.end("completed")
