"""Store and note commands: `assistant note CALL_ID`, `assistant calls`, `assistant db upgrade|current`."""

from __future__ import annotations

from pathlib import Path

import typer

from assistant.config import get_settings


def _open_store(database_url: str | None, *, migrate: bool = True):  # noqa: ANN202 - lazy imports
    from assistant.store.db import Store

    return Store.from_settings(get_settings(), database_url=database_url, migrate=migrate)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    db = typer.Typer(help="Databasen: migreringer og status.", no_args_is_help=True)
    app.add_typer(db, name="db")

    @db.command("upgrade")
    def db_upgrade(
        database_url: str = typer.Option(None, "--database-url", help="SQLAlchemy URL (standard: fra indstillingerne)"),
        revision: str = typer.Option("head", help="Målrevision"),
    ) -> None:
        """Opgrader databasen til nyeste skema (Alembic-migreringer)."""
        from assistant.store.migrate import upgrade_database

        url = database_url or get_settings().resolved_database_url
        now = upgrade_database(url, revision=revision)
        typer.echo(f"Databasen er på revision {now}.")

    @db.command("current")
    def db_current(
        database_url: str = typer.Option(None, "--database-url", help="SQLAlchemy URL (standard: fra indstillingerne)"),
    ) -> None:
        """Vis databasens revision og pakkens nyeste."""
        from assistant.store.migrate import current_revision, head_revision

        store = _open_store(database_url, migrate=False)
        try:
            typer.echo(f"Database: {current_revision(store.engine) or '(tom)'} · nyeste: {head_revision()}")
        finally:
            store.close()

    @app.command("calls")
    def list_stored_calls(
        database_url: str = typer.Option(None, "--database-url", help="SQLAlchemy URL (standard: fra indstillingerne)"),
        limit: int = typer.Option(20, help="Højst så mange opkald"),
    ) -> None:
        """Vis de seneste gemte opkald (id, start, status, udfald)."""
        from assistant.store import crud

        store = _open_store(database_url)
        try:
            with store.session() as session:
                for call in crud.list_calls(session, limit=limit):
                    typer.echo(f"{call.id}\t{call.started_at:%Y-%m-%d %H:%M}\t{call.status}\t{call.outcome or '-'}"
                               f"\t{len(call.utterances)} replikker")
        finally:
            store.close()

    @app.command("note")
    def note(
        call_id: str = typer.Argument(..., help="Opkaldets id"),
        database_url: str = typer.Option(None, "--database-url", help="SQLAlchemy URL (standard: fra indstillingerne)"),
        output: Path = typer.Option(None, "--output", "-o", help="Skriv til en fil (.md, .pdf eller .docx)"),
        fresh: bool = typer.Option(False, "--fresh", help="Lav et nyt udkast fra opkaldet i stedet for det gemte"),
    ) -> None:
        """Udskriv telefonnotatet for et opkald (det gemte, ellers et nyt udkast; intet gemmes)."""
        from assistant.notes.export import document_info, export_note
        from assistant.notes.service import draft_for_call
        from assistant.store import crud

        store = _open_store(database_url)
        try:
            with store.session() as session:
                saved = crud.get_note(session, call_id)
                version = (saved.approved or saved.latest) if saved and not fresh else None
                markdown = version.markdown if version else draft_for_call(session, call_id)[0]
                # The document's author as in the web export: the caseworker and the municipality.
                info = document_info(settings=get_settings(), version=version, call=crud.get_call(session, call_id))
                crud.audit(session, user=None, action="view", object_type="note", object_id=call_id, detail="cli")
        finally:
            store.close()
        if output is None:
            typer.echo(markdown, nl=False)
            return
        fmt = output.suffix.lstrip(".").lower() or "md"
        content, _, _ = export_note(markdown, fmt, info=info)  # type: ignore[arg-type]
        output.write_bytes(content)
        typer.echo(f"Skrevet: {output}")
