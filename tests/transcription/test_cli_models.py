"""`assistant models [--verify]` lists the manifest and prepares the bundled model."""

from __future__ import annotations

from typer.testing import CliRunner

from assistant.cli import app
from assistant.config import get_settings


def test_models_lists_manifest_and_verifies(data_dir_env):
    result = CliRunner().invoke(app, ["models", "--verify"])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())  # rich wraps lines at the terminal width
    assert "hviske-v2" in output
    assert "Indbygget model klar" in output and "sha256 kontrolleret" in output


def test_models_reassembles_into_an_empty_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["models"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert (tmp_path / "models" / "whisper-base-ct2" / "model.bin").is_file()
