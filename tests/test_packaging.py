"""The wheel built from the repository works installed into an empty folder, run from another directory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# What a wheel is built from; copied so the build leaves no build/ folder in the checkout.
SOURCES = ("assistant", "prompts", "models", "recordings_sample", "pyproject.toml", "README.md")

CALL = {
    "id": "wheel-check",
    "turns": [
        {"speaker": "caseworker", "text": "Goddag, det er Per fra Borgerservice. Du har skrevet om din boligstøtte."},
        {"speaker": "citizen", "text": "Ja, jeg har ventet i fire måneder på svar, og ingen ringer tilbage."},
        {"speaker": "caseworker", "text": "Hvis jeg forstår dig ret, har du ventet længe. Hvad betyder det for dig?"},
    ],
}


def _copy_sources(target: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
    for name in SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, symlinks=True, ignore=ignore)
        else:
            shutil.copy2(source, target / name)


def _pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", *args], check=True, capture_output=True, text=True)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed with `pip install --target` (no dependencies: the test venv's site-packages has them)."""
    root = tmp_path_factory.mktemp("wheel")
    (root / "src").mkdir()
    _copy_sources(root / "src")
    _pip("wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(root / "dist"), str(root / "src"))
    wheels = list((root / "dist").glob("*.whl"))
    assert len(wheels) == 1
    _pip("install", "-q", "--no-deps", "--target", str(root / "site"), str(wheels[0]))
    return root / "site"


def _run_installed(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    # Only the installed copy and the venv's own site-packages (for dependencies) are on the path.
    env = {**os.environ, "PYTHONPATH": str(site), "ASSISTANT_DATA_DIR": str(cwd / "data"), "COLUMNS": "200"}
    return subprocess.run([str(site / "bin" / "assistant"), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False)


@pytest.mark.slow
def test_wheel_carries_the_data_folders(installed: Path) -> None:
    data = installed / "assistant" / "_data"
    assert (data / "prompts" / "suggestions.toml").is_file()
    assert (data / "prompts" / "notes" / "telefonnotat.md.j2").is_file()
    assert (data / "models" / "manifest.json").is_file()
    assert sorted(p.name for p in (data / "recordings_sample").glob("*.wav")) == \
        sorted(p.name for p in (REPO / "recordings_sample").glob("*.wav"))
    assert not (data / "prompts").is_symlink()  # a copy, not the checkout's link


@pytest.mark.slow
def test_installed_analyze_runs_from_another_directory(installed: Path, tmp_path: Path) -> None:
    (tmp_path / "call.json").write_text(json.dumps(CALL, ensure_ascii=False), encoding="utf-8")
    probe = subprocess.run([sys.executable, "-c", "import assistant, assistant.paths as p; "
                            "print(assistant.__file__); print(p.PROMPTS_DIR)"],
                           cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(installed)},
                           capture_output=True, text=True, check=True)
    assert all(line.startswith(str(installed)) for line in probe.stdout.split())

    result = _run_installed(installed, tmp_path, "analyze", "call.json")

    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["id"] == "wheel-check"
    assert [turn["speaker"] for turn in record["turns"]] == ["caseworker", "citizen", "caseworker"]
    # The suggestions are worded from prompts/suggestions.toml, which the installed package must find.
    assert record["call"]["suggestions"]
    assert all(s["text"] for s in record["call"]["suggestions"])


@pytest.mark.slow
def test_installed_note_help_runs_from_another_directory(installed: Path, tmp_path: Path) -> None:
    result = _run_installed(installed, tmp_path, "note", "--help")

    assert result.returncode == 0, result.stderr
    assert "telefonnotat" in result.stdout.lower()


@pytest.mark.slow
def test_installed_package_migrates_its_database_and_reads_the_model_manifest(installed: Path, tmp_path: Path) -> None:
    calls = _run_installed(installed, tmp_path, "calls")
    models = _run_installed(installed, tmp_path, "models")

    assert calls.returncode == 0, calls.stderr
    assert (tmp_path / "data" / "assistant.db").is_file()  # the Alembic migrations travel in the wheel
    assert models.returncode == 0, models.stderr
    manifest = json.loads((REPO / "models" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["models"][0]["id"] in models.stdout
