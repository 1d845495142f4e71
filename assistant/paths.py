"""Where the project's data folders are: `prompts/`, `models/`, `recordings_sample/` and the data dir."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROMPTS_DIR = PROJECT_ROOT / "prompts"
MODELS_DIR = PROJECT_ROOT / "models"
SAMPLES_DIR = PROJECT_ROOT / "recordings_sample"


def data_dir() -> Path:
    """The writable data directory (model cache, database). `ASSISTANT_DATA_DIR` overrides it."""
    base = os.environ.get("ASSISTANT_DATA_DIR")
    if base:
        path = Path(base)
    else:
        xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        path = Path(xdg) / "borgerkontakt-assistant"
    if not path.exists():  # the database and the login key live here: the owner's alone
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.chmod(0o700)
    return path
