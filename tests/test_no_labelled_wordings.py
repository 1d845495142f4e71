"""No test, code comment or data file quotes a labelled call (../shared/eval): the analysis must be judged on
calls it never saw, and a copied sentence in a test or a rule makes that judgement worthless.

A run of six words in a test (seven in the package: its docstrings name everyday method phrases such as "hvis
jeg forstår dig ret") shared with any turn of any labelled call counts as copied. Stock phrases of five words
and fewer are ordinary Danish and are not flagged.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EVAL_ROOT = Path(os.environ.get("ASSISTANT_EVAL_DIR") or ROOT.parent / "shared" / "eval")
WORD = re.compile(r"[a-zæøå0-9]+")
CHECKED = [("tests", 6, (".py",)), ("assistant", 7, (".py", ".jsonl", ".json", ".toml", ".md", ".js", ".html"))]


def _runs(words: list[str], n: int) -> set[str]:
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.skipif(not EVAL_ROOT.is_dir(), reason="the labelled calls (shared/eval) are not here")
@pytest.mark.parametrize(("folder", "n", "suffixes"), CHECKED)
def test_no_run_of_words_from_a_labelled_call(folder, n, suffixes):
    labelled: set[str] = set()
    for path in EVAL_ROOT.glob("*/*.json"):
        for turn in json.loads(path.read_text(encoding="utf-8")).get("turns", []):
            labelled |= _runs(WORD.findall(turn["text"].lower()), n)
    copied = []
    for path in sorted((ROOT / folder).rglob("*")):
        if path.suffix not in suffixes or "models" in path.parts or not path.is_file():
            continue  # fitted artefacts hold weights learned from the calls, not sentences
        words = WORD.findall(path.read_text(encoding="utf-8").lower())
        copied += [f"{path.relative_to(ROOT)}: {run}" for run in sorted(_runs(words, n) & labelled)]
    assert not copied, copied[:10]
