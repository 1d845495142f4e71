"""Schema migrations (Alembic, inside the package): `upgrade_database(url)` brings a database to the newest revision."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from assistant.errors import StoreError
from assistant.store.db import StoreOptions, create_store_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None):  # noqa: ANN201 - alembic is imported lazily
    """An Alembic `Config` pointing at the package's migrations (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        config.attributes["url"] = url  # not via set_main_option: '%' in passwords would be interpolated
    return config


def upgrade_database(url: str, *, revision: str = "head", engine: Engine | None = None) -> str | None:
    """Run the migrations on the database at `url` up to `revision`.

    Args:
        url: SQLAlchemy URL of the database.
        revision: Target revision ("head" = newest).
        engine: An engine for `url` to reuse (keeps SQLite's pragmas); a temporary one when None.

    Returns:
        The revision the database is at afterwards.

    Raises:
        StoreError: the migration failed (the database is left at the last revision that succeeded).
    """
    return _migrate(url, engine=engine, step="upgrade", revision=revision)


def current_revision(engine: Engine) -> str | None:
    """The revision stamped in the database (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision the package ships."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def downgrade_database(url: str, *, revision: str = "base", engine: Engine | None = None) -> str | None:
    """Undo migrations down to `revision` ("base" = empty database). For development and tests.

    Raises:
        StoreError: the downgrade failed.
    """
    return _migrate(url, engine=engine, step="downgrade", revision=revision)


def _migrate(url: str, *, engine: Engine | None, step: str, revision: str) -> str | None:
    """Run Alembic's `upgrade` or `downgrade` to `revision` in one transaction; returns the new revision."""
    from alembic import command

    own_engine = engine is None
    engine = engine or create_store_engine(StoreOptions(url=url, migrate=False))
    config = alembic_config(url)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            getattr(command, step)(config, revision)
        return current_revision(engine)
    except StoreError:
        raise
    except Exception as err:
        verb = "opgraderes" if step == "upgrade" else "nedgraderes"
        raise StoreError(f"Databasen kunne ikke {verb}: {err}", code="store-migration-failed") from err
    finally:
        if own_engine:
            engine.dispose()
