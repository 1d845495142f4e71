"""User and retention commands: `assistant users add|disable|enable|reset|list` and `assistant purge`."""

from __future__ import annotations

import typer

from assistant.config import get_settings


def _open_store(database_url: str | None):  # noqa: ANN202 - lazy imports
    from assistant.store.db import Store

    return Store.from_settings(get_settings(), database_url=database_url)


_DB_OPTION = typer.Option(None, "--database-url", help="SQLAlchemy URL (standard: fra indstillingerne)")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    users = typer.Typer(help="Brugere og roller (sagsbehandler, leder, administrator).", no_args_is_help=True)
    app.add_typer(users, name="users")

    @users.command("add")
    def users_add(
        username: str = typer.Argument(..., help="Brugernavn (bogstaver, tal og . _ @ -)"),
        role: str = typer.Option("caseworker", "--role", "-r", help="caseworker, supervisor eller admin"),
        name: str = typer.Option("", "--name", help="Navn, som vises på siderne og i notater"),
        unit: str = typer.Option("", "--unit", help="Enhed (en leder ser sin enheds opkald; uden enhed ingen)"),
        password: bool = typer.Option(False, "--password", help="Indtast selv en adgangskode (ellers genereres en)"),
        oidc_only: bool = typer.Option(False, "--oidc-only", help="Ingen adgangskode: login kun via kommunens login"),
        database_url: str = _DB_OPTION,
    ) -> None:
        """Opret en bruger. En genereret adgangskode vises én gang."""
        from assistant.security.users import add_user

        chosen = "" if oidc_only else (typer.prompt("Adgangskode", hide_input=True, confirmation_prompt=True)
                                       if password else None)
        store = _open_store(database_url)
        try:
            with store.session() as session:
                user, generated = add_user(session, username=username, role=role, display_name=name, unit=unit,
                                           password=chosen, min_length=get_settings().password_min_length)
                typer.echo(f"Bruger '{user.username}' oprettet som {user.role}.")
            if role == "supervisor" and not unit:
                typer.secho("Bemærk: en leder uden enhed ser ingen opkald. Angiv --unit.", fg="yellow", err=True)
            if generated:
                typer.echo(f"Adgangskode (vises kun nu): {generated}")
        finally:
            store.close()

    def _set_active(username: str, active: bool, database_url: str | None) -> None:
        from assistant.security.users import set_active

        store = _open_store(database_url)
        try:
            with store.session() as session:
                set_active(session, username=username, active=active)
            typer.echo(f"Bruger '{username}' er {'aktiveret' if active else 'deaktiveret; alle logins er afsluttet'}.")
        finally:
            store.close()

    @users.command("disable")
    def users_disable(username: str = typer.Argument(...), database_url: str = _DB_OPTION) -> None:
        """Deaktivér en bruger (alle logins afsluttes straks)."""
        _set_active(username, False, database_url)

    @users.command("enable")
    def users_enable(username: str = typer.Argument(...), database_url: str = _DB_OPTION) -> None:
        """Aktivér en deaktiveret bruger igen."""
        _set_active(username, True, database_url)

    @users.command("reset")
    def users_reset(
        username: str = typer.Argument(...),
        password: bool = typer.Option(False, "--password", help="Indtast selv den nye adgangskode"),
        database_url: str = _DB_OPTION,
    ) -> None:
        """Giv en bruger en ny adgangskode (genereret, vises én gang); alle logins afsluttes."""
        from assistant.security.users import reset_password

        chosen = typer.prompt("Ny adgangskode", hide_input=True, confirmation_prompt=True) if password else None
        store = _open_store(database_url)
        try:
            with store.session() as session:
                generated = reset_password(session, username=username, password=chosen,
                                           min_length=get_settings().password_min_length)
            typer.echo(f"Adgangskoden til '{username}' er skiftet.")
            if generated:
                typer.echo(f"Ny adgangskode (vises kun nu): {generated}")
        finally:
            store.close()

    @users.command("list")
    def users_list(database_url: str = _DB_OPTION) -> None:
        """Vis alle brugere (navn, rolle, enhed, aktiv)."""
        from assistant.security.users import list_users

        store = _open_store(database_url)
        try:
            with store.session() as session:
                for user in list_users(session):
                    login = "adgangskode" if user.password_hash else "kun OIDC"
                    typer.echo(f"{user.username}\t{user.role}\t{user.unit or '-'}\t"
                               f"{'aktiv' if user.active else 'deaktiveret'}\t{login}\t{user.display_name}")
        finally:
            store.close()

    @app.command("purge")
    def purge(
        days: int = typer.Option(None, "--days", help="Opbevaringsperiode i dage (standard: retention_days)"),
        database_url: str = _DB_OPTION,
    ) -> None:
        """Slet udskrifter, signaler, forslag og notatkladder ældre end opbevaringsperioden (godkendte notater bevares)."""
        from assistant.privacy.scheduler import purge_now

        retention = get_settings().retention_days if days is None else days
        store = _open_store(database_url)
        try:
            report = purge_now(store, retention_days=retention)
            typer.echo(f"Slettet fra {report.calls} opkald ældre end {retention} dage: {report.utterances} "
                       f"udskriftslinjer, {report.turn_signals} signaler, {report.suggestions} forslag, "
                       f"{report.draft_versions} notatkladder ({report.notes} notater uden godkendt version), "
                       f"{report.review_comments} kommentarer.")
        finally:
            store.close()
