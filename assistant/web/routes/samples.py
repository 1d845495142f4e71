"""Sample recordings a demo call can replay."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import APIRouter

from assistant.paths import SAMPLES_DIR
from assistant.web.models import SampleInfo, SampleList

router = APIRouter(prefix="/samples", tags=["samples"])


def _title(wav: Path) -> str | None:
    """A one-line description from the script the sample was made from (JSON `title`/`scenario`, or text)."""
    for script in sorted(wav.parent.glob(f"{wav.stem}.*")):
        if script.suffix == ".wav":
            continue
        try:
            text = script.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if script.suffix == ".json":
            try:
                data = json.loads(text)
            except ValueError:
                continue
            if isinstance(data, dict):
                for key in ("title", "scenario", "description"):
                    if isinstance(data.get(key), str):
                        return data[key]
            continue
        first = next((line.strip("# ").strip() for line in text.splitlines() if line.strip()), "")
        if first:
            return first
    return None


def list_samples(folder: Path = SAMPLES_DIR) -> list[SampleInfo]:
    """The WAV files in `folder`, sorted by name, with length and channels when readable."""
    import soundfile

    samples = []
    for wav in sorted(folder.glob("*.wav")):
        duration = channels = None
        try:
            info = soundfile.info(str(wav))
            duration, channels = round(info.duration, 2), info.channels
        except Exception:  # a broken file is still listed; starting a call on it reports the error
            pass
        samples.append(SampleInfo(name=wav.stem, file=wav.name, duration=duration, channels=channels,
                                  title=_title(wav)))
    return samples


@router.get("", response_model=SampleList, summary="List sample recordings",
            description="The stereo WAV files in recordings_sample/ (left = caseworker, right = citizen).")
async def get_samples() -> SampleList:
    samples = list_samples()
    return SampleList(data=samples, count=len(samples))
