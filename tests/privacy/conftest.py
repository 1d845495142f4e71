"""Privacy fixtures: the real app with stored calls of different ages."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ (security helpers, store builders)
