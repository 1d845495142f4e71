"""Commands of this area; `register(app)` adds them to the `assistant` app."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
