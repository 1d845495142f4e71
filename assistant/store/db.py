"""Engine and sessions: SQLite (WAL, foreign keys on) in the data dir by default, PostgreSQL by URL."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from assistant.config import Settings
from assistant.errors import StoreError
from assistant.masking import MaskingOptions

log = logging.getLogger(__name__)

MASKING_INFO_KEY = "masking"  # `Session.info` key of the store's `MaskingOptions` (read by `crud`)


@dataclass(frozen=True)
class StoreOptions:
    """How the store connects.

    Attributes:
        url: SQLAlchemy URL (`sqlite:///path.db`, `postgresql+psycopg://user@host/db`).
        migrate: Run the Alembic migrations to the newest revision when the store opens.
        sqlite_busy_timeout_ms: How long a SQLite writer waits for another writer before failing.
        echo: Log every SQL statement (debugging).
        masking: Contact details masked besides CPR numbers in everything written through this store
            (`MaskingOptions.from_settings(settings)`); each session carries them in `session.info`.
    """

    url: str
    migrate: bool = True
    sqlite_busy_timeout_ms: int = 10_000
    echo: bool = False
    masking: MaskingOptions = field(default_factory=MaskingOptions)


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:  # noqa: ARG001
        cursor = dbapi_connection.cursor()
        # WAL: readers never block the writer, and a committed utterance survives a killed process.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Deleted rows are overwritten with zeros, so purged text does not linger in free pages of the file.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()


def _prepare_private_file(path: Path) -> None:
    """Create the database's folder (0700) and file (0600) for the owner only, whatever the umask, and
    tighten the file and its -wal/-shm companions if an older version left them readable by others (SQLite
    gives the -wal and -shm files the database file's permissions when it creates them)."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.parent.chmod(0o700)  # mkdir's mode is filtered by the umask
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists() and file.stat().st_mode & 0o077 and file.stat().st_uid == os.getuid():
            file.chmod(0o600)


def create_store_engine(options: StoreOptions) -> Engine:
    """An engine for `options.url`; for SQLite the folder is created and WAL/foreign keys are switched on.

    Raises:
        StoreError: the URL cannot be parsed or names a driver that is not installed.
    """
    try:
        url = make_url(options.url)
    except Exception as err:
        raise StoreError(f"Ugyldig database-URL: {err}", code="store-bad-url") from err
    kwargs: dict[str, Any] = {"echo": options.echo, "future": True}
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            _prepare_private_file(Path(url.database).expanduser())
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": options.sqlite_busy_timeout_ms / 1000}
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(url, **kwargs)
    except Exception as err:  # e.g. a missing driver (psycopg)
        raise StoreError(f"Databasen kan ikke åbnes ({url.get_backend_name()}): {err}", code="store-open-failed") from err
    if url.get_backend_name() == "sqlite":
        _configure_sqlite(engine, options.sqlite_busy_timeout_ms)
    return engine


class Store:
    """The opened database: an engine plus a session factory.

    Args:
        options: Connection options; migrations run on open when `options.migrate`.

    Raises:
        StoreError: the database cannot be opened or migrated.
    """

    def __init__(self, options: StoreOptions) -> None:
        self.options = options
        self.engine = create_store_engine(options)
        if options.migrate:
            # Imported here: `store.migrate` imports this module (the engine and options it migrates with).
            from assistant.store.migrate import upgrade_database

            upgrade_database(options.url, engine=self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False, info={MASKING_INFO_KEY: options.masking})

    @classmethod
    def open(cls, url: str, *, migrate: bool = True, masking: MaskingOptions | None = None) -> Store:
        """Open (and by default migrate) the database at `url`; `masking` as in `StoreOptions`."""
        return cls(StoreOptions(url=url, migrate=migrate, masking=masking or MaskingOptions()))

    @classmethod
    def from_settings(cls, settings: Settings, *, database_url: str | None = None, migrate: bool = True) -> Store:
        """The database the settings name (SQLite in the data dir by default), masking as the settings say.

        Args:
            settings: Application settings (`database_url`, `data_dir`, `mask_*`).
            database_url: Another database than the settings' (a CLI `--database-url`).
            migrate: Run the migrations to the newest revision first.
        """
        return cls.open(database_url or settings.resolved_database_url, migrate=migrate,
                        masking=MaskingOptions.from_settings(settings))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise
        finally:
            session.close()

    def erase_deleted_content(self) -> bool:
        """Make deleted rows unreadable in the database files (call after a purge has committed).

        SQLite keeps the pages a transaction changed in the -wal file until a checkpoint copies them into the
        database, and a plain checkpoint leaves their old bytes in the -wal file. A TRUNCATE checkpoint copies
        every page (deleted content is already zeroed by `secure_delete`) and cuts the -wal file to zero bytes.
        PostgreSQL reclaims deleted rows with its own (auto)vacuum; nothing is done here.

        Returns:
            True when nothing of the purged content is left in the files (False: a reader held the -wal file;
            it is logged, and the next purge or checkpoint finishes the job).
        """
        if self.dialect != "sqlite":
            return True
        with self.engine.connect() as connection:
            busy, _, _ = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
        if busy:
            log.warning("The database's -wal file could not be emptied after the purge (another reader was active).")
        return not busy

    def close(self) -> None:
        self.engine.dispose()
