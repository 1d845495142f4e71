"""Engine and sessions: SQLite (WAL, foreign keys on) in the data dir by default, PostgreSQL by URL."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from assistant.errors import StoreError
from assistant.privacy.masking import MaskingOptions

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
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()


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
            Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
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
            from assistant.store.migrate import upgrade_database

            upgrade_database(options.url, engine=self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False, info={MASKING_INFO_KEY: options.masking})

    @classmethod
    def open(cls, url: str, *, migrate: bool = True, masking: MaskingOptions | None = None) -> Store:
        """Open (and by default migrate) the database at `url`; `masking` as in `StoreOptions`."""
        return cls(StoreOptions(url=url, migrate=migrate, masking=masking or MaskingOptions()))

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

    def close(self) -> None:
        self.engine.dispose()
