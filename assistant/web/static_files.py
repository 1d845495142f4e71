"""Where the panel's static files are."""

from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
