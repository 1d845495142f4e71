"""Commands of the audio area: `assistant devices` lists the sound devices that can record."""

from __future__ import annotations

import typer


def devices() -> None:
    """Vis lydenheder, der kan optage (list input devices for `assistant listen`)."""
    from assistant.audio.capture import format_device_table, list_devices

    typer.echo(format_device_table(list_devices()))
    typer.echo("\nBrug nummer eller navn, fx: assistant listen --device pulse "
               "(to enheder: headset-mikrofon + opkaldslyd).")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("devices")(devices)
