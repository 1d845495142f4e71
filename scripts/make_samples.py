#!/usr/bin/env python3
"""Generate the sample calls in recordings_sample/ from their script files (espeak-ng voices, sox).

Each `recordings_sample/<name>.script.json` describes one call: speakers (espeak-ng speed, pitch, level)
and turns {speaker, text, lang, voice, pause_before_s}. For every script this writes
`<name>.wav` (stereo 16 kHz PCM16: caseworker left, citizen right; each turn on its speaker's channel with
silence on the other) and `<name>.timeline.json` (where every turn lies in the call, in seconds — ground
truth for tests and the latency benchmark).

The output is deterministic given the scripts: espeak-ng is deterministic, sox runs without dither in
repeatable mode, and the faint line noise comes from a seeded generator.

Usage:
    python scripts/make_samples.py            # all scripts
    python scripts/make_samples.py 01_ventetid_rolig
    python scripts/make_samples.py --check    # regenerate in a temp dir and compare with the committed WAVs
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = ROOT / "recordings_sample"
RATE = 16_000
CHANNEL_OF = {"caseworker": 0, "citizen": 1}
SILENCE_FLOOR = 1e-3  # |sample| below this at the ends of an espeak-ng clip counts as its built-in silence


def synthesize(text: str, *, voice: str, speed: int, pitch: int, workdir: Path) -> np.ndarray:
    """Speak `text` with espeak-ng and return it as 16 kHz mono float32, trimmed of leading/trailing silence."""
    raw, resampled = workdir / "turn_raw.wav", workdir / "turn_16k.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", str(raw), text],
                   check=True, capture_output=True)
    # -R: repeatable, -D: no dither, so the output is bit-identical on every run.
    subprocess.run(["sox", "-R", "-D", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(resampled),
                    "rate", "-h"], check=True, capture_output=True)
    audio, rate = sf.read(str(resampled), dtype="float32")
    assert rate == RATE
    loud = np.flatnonzero(np.abs(audio) > SILENCE_FLOOR)
    return audio[loud[0]:loud[-1] + 1] if len(loud) else audio


def level(audio: np.ndarray, rms_dbfs: float) -> np.ndarray:
    """Scale to a target RMS level (speakers sound at different loudness, as on a real line)."""
    rms = float(np.sqrt(np.mean(audio ** 2))) or 1e-9
    return audio * (10 ** (rms_dbfs / 20) / rms)


def build_call(script: dict, workdir: Path) -> tuple[np.ndarray, list[dict]]:
    """Place every turn on its channel; return the stereo signal (2, n) and the timeline."""
    speakers = script["speakers"]
    pieces, timeline = [], []
    cursor = float(script.get("lead_in_s", 0.6))
    for number, turn in enumerate(script["turns"], start=1):
        profile = speakers[turn["speaker"]]
        audio = synthesize(turn["text"], voice=turn["voice"], speed=turn.get("speed", profile["speed"]),
                           pitch=turn.get("pitch", profile["pitch"]), workdir=workdir)
        audio = level(audio, profile.get("rms_dbfs", -22.0))
        start = cursor + float(turn.get("pause_before_s", 0.8)) if number > 1 else cursor
        start = round(start * RATE) / RATE
        pieces.append((CHANNEL_OF[turn["speaker"]], round(start * RATE), audio))
        end = start + len(audio) / RATE
        timeline.append({"turn": number, "speaker": turn["speaker"], "lang": turn["lang"], "text": turn["text"],
                         "start": round(start, 3), "end": round(end, 3)})
        cursor = end
    total = round((cursor + float(script.get("tail_s", 1.0))) * RATE)
    stereo = np.zeros((2, total), dtype=np.float32)
    for channel, offset, audio in pieces:
        stereo[channel, offset:offset + len(audio)] += audio
    noise_dbfs = script.get("noise_dbfs")
    if noise_dbfs is not None:  # faint, seeded line hiss: digital silence is not what a phone line sounds like
        rng = np.random.default_rng(int(script.get("seed", 0)))
        stereo += rng.standard_normal(stereo.shape).astype(np.float32) * np.float32(10 ** (noise_dbfs / 20))
    np.clip(stereo, -0.99, 0.99, out=stereo)
    return stereo, timeline


def generate(script_path: Path, out_dir: Path) -> Path:
    """Generate one call's WAV and timeline into `out_dir`; returns the WAV path."""
    script = json.loads(script_path.read_text(encoding="utf-8"))
    name = script_path.name.removesuffix(".script.json")
    with tempfile.TemporaryDirectory() as tmp:
        stereo, timeline = build_call(script, Path(tmp))
    wav = out_dir / f"{name}.wav"
    sf.write(str(wav), stereo.T, RATE, subtype="PCM_16")
    meta = {"name": name, "title": script.get("title", ""), "duration": round(stereo.shape[1] / RATE, 3),
            "channels": {"0": "caseworker", "1": "citizen"}, "turns": timeline}
    (out_dir / f"{name}.timeline.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
                                                   encoding="utf-8")
    print(f"{wav.name}: {meta['duration']:.1f} s, {len(timeline)} replikker")
    return wav


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="script names (default: all)")
    parser.add_argument("--check", action="store_true", help="regenerate in a temp dir and compare with the committed files")
    args = parser.parse_args()
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            print(f"{tool} mangler: apt install espeak-ng sox", file=sys.stderr)
            return 2
    scripts = sorted(SAMPLES_DIR.glob("*.script.json"))
    if args.names:
        scripts = [p for p in scripts if p.name.removesuffix(".script.json") in args.names]
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            differ = [p.name for p in scripts if _digest(generate(p, Path(tmp)))
                      != _digest(SAMPLES_DIR / p.name.replace(".script.json", ".wav"))]
        print("identiske" if not differ else f"afviger: {differ}")
        return 1 if differ else 0
    for path in scripts:
        generate(path, SAMPLES_DIR)
    return 0


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


if __name__ == "__main__":
    sys.exit(main())
