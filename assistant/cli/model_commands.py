"""`assistant models`: list known and installed transcription models and verify the bundled one."""

from __future__ import annotations

import typer

from assistant.config import get_settings


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("models")(models)


def models(
    verify: bool = typer.Option(False, "--verify", help="Gen-hash hele den indbyggede modelfil (sha256) og saml den igen, hvis den er beskadiget."),
) -> None:
    """Vis kendte og installerede talegenkendelsesmodeller, og klargør den indbyggede model."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.table import Table

    from assistant.transcription.models import (
        BUNDLED_SHA256,
        bundled_model_dir,
        ensure_bundled_model,
        installed_models,
        load_manifest,
    )

    settings = get_settings()
    console = Console()
    table = Table(title="Kendte modeller (models/manifest.json)")
    for column in ("id", "motor", "størrelse", "dansk WER (cirka)", "ASSISTANT_MODEL"):
        table.add_column(column)
    for entry in load_manifest():
        table.add_row(entry["id"], entry["engine"], entry.get("size", ""), entry.get("danish_wer", ""),
                      entry.get("model_setting", ""))
    console.print(table)

    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task("Klargør den indbyggede Whisper base-model", total=None)
        path = ensure_bundled_model(bundled_model_dir(settings.data_dir), verify=verify, repair=True,
                                    progress=lambda done, total: progress.update(task, completed=done, total=total))
    how = "sha256 kontrolleret" if verify else "størrelse og markør kontrolleret (--verify gen-hasher)"
    console.print(f"[green]Indbygget model klar[/green]: {path} ({how}; sha256 {BUNDLED_SHA256[:12]}…)")

    others = [p for p in installed_models(settings.data_dir) if p != path]
    if others:
        console.print("Andre modeller i datamappen:")
        for other in others:
            console.print(f"  {other}")
    from assistant.transcription.models import AUTO_ENGINE, engine_for, hub_name_for

    engine = settings.engine
    if engine == AUTO_ENGINE:  # say which engine "auto" picks for this model
        engine = f"{AUTO_ENGINE} → {engine_for(hub_name_for(settings.model))}"
    console.print(f"Aktiv: motor={engine} model={settings.model} enhed={settings.device} "
                  f"(ændr med ASSISTANT_ENGINE / ASSISTANT_MODEL; se models/README.md)")
