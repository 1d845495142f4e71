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


def test_cases_from_before_units_get_the_unit_of_their_first_call(db_url):
    from datetime import datetime, timezone

    from sqlalchemy import text

    assert upgrade_database(db_url, revision="0001") == "0001"
    engine = create_store_engine(StoreOptions(url=db_url, migrate=False))
    now = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    try:
        with engine.begin() as connection:
            for user_id, name, unit in ((1, "anna", "Jobcenter"), (2, "bo", "")):
                connection.execute(text("INSERT INTO users (id, username, display_name, role, unit, active, created_at)"
                                        " VALUES (:id, :name, :name, 'caseworker', :unit, true, :now)"),
                                   {"id": user_id, "name": name, "unit": unit, "now": now})
            for case_id, reference in ((1, "J-1"), (2, "B-1")):
                connection.execute(text("INSERT INTO complaint_cases (id, reference, received_date, unit, "
                                        "acknowledgement_deadline, answer_deadline, created_at) VALUES (:id, :ref, "
                                        "'2026-03-01', '', '2026-03-03', '2026-03-13', :now)"),
                                   {"id": case_id, "ref": reference, "now": now})
            for call_id, case_id, user_id in (("c1", 1, 1), ("c2", 2, 2)):
                connection.execute(text("INSERT INTO calls (id, case_id, caseworker_id, source, direction, started_at,"
                                        " status, citizen_informed, last_seq, updated_at) VALUES (:id, :case, :user, "
                                        "'tekst', 'outgoing', :now, 'ended', false, 0, :now)"),
                                   {"id": call_id, "case": case_id, "user": user_id, "now": now})
        upgrade_database(db_url)
        with engine.connect() as connection:
            units = dict(connection.execute(text("SELECT reference, unit FROM complaint_cases")).all())
        assert units == {"J-1": "Jobcenter", "B-1": ""}
    finally:
        engine.dispose()
