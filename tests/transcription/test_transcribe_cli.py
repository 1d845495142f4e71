"""`assistant transcribe FILE --json` on a whole sample call: the bundled model, the real pipeline, no pacing."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.paths import SAMPLES_DIR

SAMPLE = SAMPLES_DIR / "03_sprogbarriere_engelsk.wav"


@pytest.mark.slow
def test_a_whole_call_read_faster_than_real_time_loses_no_utterance(data_dir_env):
    """Read as fast as the disk allows, the call must wait for the transcriber, not be refused as overload."""
    result = CliRunner().invoke(app, ["transcribe", str(SAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    utterances = [json.loads(line) for line in lines]  # every line is an utterance, none an error
    turns = json.loads(SAMPLE.with_suffix("").with_suffix(".timeline.json").read_text())["turns"]

    assert len(utterances) >= len(turns) - 1, "at most one turn merged or dropped"
    assert {u["speaker"] for u in utterances} == {"caseworker", "citizen"}
    for speaker in ("caseworker", "citizen"):
        starts = [u["start"] for u in utterances if u["speaker"] == speaker]
        assert starts == sorted(starts), "each speaker's utterances in call order"
    assert any(u["speaker"] == "citizen" and u["language"] == "en" for u in utterances)
    assert all(u["text"] and u["start"] < u["end"] for u in utterances)
