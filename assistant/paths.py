"""Where the product's data is: `prompts/`, `models/`, `recordings_sample/` (shipped in the package) and the data dir."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path


def packaged_dir(name: str) -> Path:
    """A data folder shipped inside the package, `assistant/_data/<name>`, found through `importlib.resources`.

    In a checkout (and an editable install) `assistant/_data/<name>` is a link to the top-level folder of the
    same name, whose place the product layout fixes (the link is resolved, so paths compare equal to the
    folder's own); a wheel carries a copy. pip always unpacks wheels, so the folder is a real directory and
    callers may use it as a `Path`.
    """
    return Path(str(resources.files("assistant").joinpath("_data", name))).resolve()


PROMPTS_DIR = packaged_dir("prompts")
MODELS_DIR = packaged_dir("models")
SAMPLES_DIR = packaged_dir("recordings_sample")
# The checkout's root: only meaningful in a source checkout (the default place of tools' data beside it).
PROJECT_ROOT = Path(__file__).resolve().parent.parent


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
