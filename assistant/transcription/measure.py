"""Measure decode time and accuracy of encoder-window and word-time choices on synthetic Danish speech.

Run: `python -m assistant.transcription.measure [--repeat N]`. Speech is made with espeak-ng (Danish
voices) and sox, so the word error rates only compare settings with each other: Whisper base is far
from accurate on synthetic Danish in absolute terms.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from assistant.config import get_settings
from assistant.transcription.service import load_engine
from assistant.transcription.types import DecodeOptions

SENTENCES = [
    "Jeg vil gerne klage over min sag.",
    "Hej, det er Mette fra kommunen.",
    "Jeg forstår godt, at du er frustreret.",
    "Hvornår kan jeg forvente at få et svar?",
    "Tak for din klage, den vil jeg gerne høre lidt mere om.",
    "Jeg har ventet i flere uger på et svar fra kommunen, og det er ikke i orden.",
    "Min mor har ikke fået den hjemmehjælp, som hun er blevet lovet.",
    "Vi sender dig et brev med afgørelsen inden for fire uger.",
    "Jeg ringede tre gange i sidste uge, men ingen tog telefonen, og jeg fik aldrig det brev, som I lovede "
    "at sende. Det er simpelthen ikke godt nok.",
    "Det drejer sig om min søns skolebus, som ikke er kommet i tre dage, og ingen har fortalt os hvorfor. "
    "Nu må han cykle ti kilometer hver morgen.",
    "Så vidt jeg har opfattet det, drejer det sig om den lange ventetid, og om at dine beskeder til os "
    "aldrig er blevet besvaret. Passer det?",
]
VOICES = ["da", "da+f3"]
CONFIGS = {
    "full window, aligned words": DecodeOptions(encoder_window="full"),
    "auto window, aligned words": DecodeOptions(encoder_window="auto"),
    "auto window, estimated words": DecodeOptions(encoder_window="auto", word_timestamps="estimated"),
    "full window, no words": DecodeOptions(encoder_window="full", word_timestamps="none"),
    "auto window, no words": DecodeOptions(encoder_window="auto", word_timestamps="none"),
}


def synthesize(text: str, voice: str, workdir: Path, name: str) -> np.ndarray:
    """espeak-ng → 16 kHz mono float32 with 0.2 s / 0.3 s of silence around it (like a VAD segment)."""
    import soundfile as sf

    raw, out = workdir / f"{name}.raw.wav", workdir / f"{name}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(raw), text], check=True, capture_output=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out), "pad", "0.2", "0.3"],
                   check=True, capture_output=True)
    return sf.read(out, dtype="float32")[0]


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(edit distance in words, reference length) after lower-casing and removing punctuation."""
    ref, hyp = (re.sub(r"[^\w ]", " ", s.lower()).split() for s in (reference, hypothesis))
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[:], i
        for j, h in enumerate(hyp, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (r != h))
    return row[len(hyp)], len(ref)


BUCKETS = ["≤3 s", "3–6 s", ">6 s"]


def bucket(seconds: float) -> str:
    """Length class of a clip (the ~2 s, ~4 s and ~8 s utterances of the report)."""
    return BUCKETS[0] if seconds <= 3 else BUCKETS[1] if seconds <= 6 else BUCKETS[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=1, help="Decodes per clip and setting (median is used).")
    args = parser.parse_args()

    settings = get_settings()
    engine = load_engine(settings)
    with tempfile.TemporaryDirectory() as tmp:
        clips = [(text, synthesize(text, voice, Path(tmp), f"c{i}{voice}"))
                 for i, text in enumerate(SENTENCES) for voice in VOICES]
    base = DecodeOptions.from_settings(settings)
    engine.transcribe(clips[0][1], options=base)  # warm-up
    lengths = {b: [len(a) / 16_000 for _, a in clips if bucket(len(a) / 16_000) == b] for b in BUCKETS}
    print(f"{len(clips)} clips, {engine.name}, {settings.cpu_threads} threads; median length "
          + ", ".join(f"{b}: {statistics.median(v):.1f} s" for b, v in lengths.items() if v))
    for label, config in CONFIGS.items():
        options = replace(base, encoder_window=config.encoder_window, word_timestamps=config.word_timestamps)
        times: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}
        errors = words = fallbacks = 0
        for text, audio in clips:
            runs, cpu_runs = [], []
            for _ in range(args.repeat):
                start, cpu_start = time.perf_counter(), time.process_time()
                transcript = engine.transcribe(audio, options=options)
                runs.append(time.perf_counter() - start)
                cpu_runs.append(time.process_time() - cpu_start)
            times.setdefault(bucket(len(audio) / 16_000), []).append(statistics.median(runs))
            cpu.setdefault(bucket(len(audio) / 16_000), []).append(statistics.median(cpu_runs))
            e, n = word_errors(text, transcript.text)
            errors, words = errors + e, words + n
            fallbacks += options.encoder_window == "auto" and transcript.encoder_frames == 3000
        per_bucket = "  ".join(f"{b}: {statistics.median(t):.2f} s wall / {statistics.median(cpu[b]):.2f} s CPU"
                               f" (n={len(t)})" for b, t in sorted(times.items(), key=lambda kv: BUCKETS.index(kv[0])))
        print(f"{label:30} WER {errors / words:.1%}  median decode {per_bucket}  full-window fallbacks {fallbacks}",
              flush=True)


if __name__ == "__main__":
    main()
