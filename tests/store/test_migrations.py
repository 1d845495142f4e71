"""Migrations: they upgrade an empty database on SQLite and PostgreSQL, match the models, and run again safely."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from assistant.store.db import StoreOptions, create_store_engine
from assistant.store.migrate import current_revision, downgrade_database, head_revision, upgrade_database
from assistant.store.models import Base


def test_upgrade_creates_every_table_at_head(db_url):
    assert upgrade_database(db_url) == head_revision()
    engine = create_store_engine(StoreOptions(url=db_url, migrate=False))
    try:
        tables = set(inspect(engine).get_table_names())
        assert {"users", "complaint_cases", "calls", "utterances", "turn_signals", "call_flags", "flag_reviews",
                "suggestions", "notes", "note_versions", "audit_log", "alembic_version"} <= tables
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
    finally:
        engine.dispose()


def test_upgrade_twice_and_downgrade_then_upgrade(db_url):
    upgrade_database(db_url)
    assert upgrade_database(db_url) == head_revision()  # nothing to do the second time
    assert downgrade_database(db_url) is None
    engine = create_store_engine(StoreOptions(url=db_url, migrate=False))
    try:
        assert "calls" not in inspect(engine).get_table_names()
        assert upgrade_database(db_url) == head_revision()
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    from sqlalchemy import text

    from assistant.store.db import Store

    store = Store.open(f"sqlite:///{tmp_path / 'a.db'}")
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    store.close()
