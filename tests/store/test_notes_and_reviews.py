"""Notes (approved versions are immutable, in code and in the database), audit log, flag reviews, statistics."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from assistant.errors import StoreError
from assistant.store import crud
from assistant.store.models import AuditEntry, ImmutableRecordError, NoteVersion
from assistant.store.recorder import CallRecorder
from assistant.store.review import (
    categories_over_time,
    deadline_report,
    flag_precision,
    resolved_share,
    review_queue,
)
from store.builders import CALM_CALL, THREAT_CALL, call_events, feed


@pytest.fixture
def calls(store):
    recorder = CallRecorder(store, outcome_classifier=lambda turns: ("uafklaret", "uafklaret"))
    feed(recorder, call_events("threat", THREAT_CALL, kind="afgoerelse",
                               started_at=datetime(2026, 10, 5, 9, tzinfo=timezone.utc)))
    feed(CallRecorder(store, outcome_classifier=lambda turns: ("lagt_ned", "lagt_ned")),
         call_events("calm", CALM_CALL, started_at=datetime(2026, 11, 2, 9, tzinfo=timezone.utc)))
    return store


def test_note_versions_draft_approve_and_new_version(calls):
    with calls.session() as session:
        user = crud.get_or_create_user(session, username="mette", display_name="Mette")
        v1 = crud.save_note_draft(session, call_id="calm", markdown="# Notat\nCPR 0101901234", outcome="lagt_ned",
                                  author=user)
        assert v1.version == 1 and v1.markdown == "# Notat\nCPR 010190-XXXX"
        again = crud.save_note_draft(session, call_id="calm", markdown="# Notat v1", outcome="lagt_ned", author=user)
        assert again.id == v1.id  # the open draft is edited in place
        crud.approve_note(session, call_id="calm", version=1, user=user)
    with calls.session() as session:
        v2 = crud.save_note_draft(session, call_id="calm", markdown="# Rettelse", outcome="lagt_ned")
        assert v2.version == 2 and v2.status == "draft"
        note = crud.get_note(session, "calm")
        assert [v.status for v in note.versions] == ["approved", "draft"]
        assert note.approved.markdown == "# Notat v1"
        with pytest.raises(StoreError) as err:
            crud.approve_note(session, call_id="calm", version=1, user=None)
        assert err.value.code == "note-not-draft"


def test_approved_version_is_immutable_in_code(calls):
    with calls.session() as session:
        crud.save_note_draft(session, call_id="calm", markdown="# Godkendt", outcome="lagt_ned")
        crud.approve_note(session, call_id="calm", version=1, user=None)
    session = calls.sessions()
    try:
        version = session.query(NoteVersion).one()
        version.markdown = "ændret bagefter"
        with pytest.raises(ImmutableRecordError):
            session.commit()
        session.rollback()
        version = session.query(NoteVersion).one()
        session.delete(version)
        with pytest.raises(ImmutableRecordError):
            session.commit()
        session.rollback()
        with pytest.raises(ImmutableRecordError):
            crud.ensure_mutable(session.query(NoteVersion).one())
    finally:
        session.close()
    with calls.session() as session:
        assert crud.get_note(session, "calm").approved.markdown == "# Godkendt"


def test_approved_version_is_immutable_in_the_database(calls):
    with calls.session() as session:
        crud.save_note_draft(session, call_id="calm", markdown="# Godkendt", outcome="lagt_ned")
        crud.approve_note(session, call_id="calm", version=1, user=None)
    for statement in ("UPDATE note_versions SET markdown = 'hacked'", "DELETE FROM note_versions"):
        with pytest.raises(DBAPIError):
            with calls.engine.begin() as connection:
                connection.execute(text(statement))
    with calls.session() as session:
        assert crud.get_note(session, "calm").approved.markdown == "# Godkendt"


def test_audit_log_is_append_only(calls):
    with calls.session() as session:
        crud.audit(session, user=None, action="view", object_type="note", object_id="calm", detail="CPR 010190-1234")
    with calls.session() as session:
        entry = session.query(AuditEntry).one()
        assert entry.username == "anonymous" and entry.detail == "CPR 010190-XXXX" and entry.at.tzinfo
    session = calls.sessions()
    try:
        session.query(AuditEntry).one().action = "changed"
        with pytest.raises(ImmutableRecordError):
            session.commit()
    finally:
        session.rollback()
        session.close()
    for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError):
            with calls.engine.begin() as connection:
                connection.execute(text(statement))


def test_queue_orders_by_severity_and_lists_reasons(calls):
    with calls.session() as session:
        queue = review_queue(session)
        assert [c.id for c in queue] == ["threat", "calm"]
        assert {f.kind for f in queue[0].flags} == {"threat", "high_frustration", "decision_complaint", "unresolved"}
        assert {f.kind for f in queue[1].flags} == {"high_frustration"}
        threat = next(f for f in queue[0].flags if f.kind == "threat")
        assert threat.evidence == ["banker hende"] and threat.turns == [2]


def test_flag_verdicts_give_precision(calls):
    with calls.session() as session:
        boss = crud.get_or_create_user(session, username="leder", role="supervisor")
        crud.review_flag(session, call_id="threat", kind="threat", verdict="right", reviewer=boss)
        crud.review_flag(session, call_id="threat", kind="high_frustration", verdict="right", reviewer=boss)
        crud.review_flag(session, call_id="calm", kind="high_frustration", verdict="right", reviewer=boss)
        crud.review_flag(session, call_id="calm", kind="high_frustration", verdict="wrong", comment="rolig",
                         reviewer=boss)  # changed mind: the newest verdict counts
        with pytest.raises(StoreError):
            crud.review_flag(session, call_id="calm", kind="threat", verdict="right")
    with calls.session() as session:
        stats = {row["kind"]: row for row in flag_precision(session)}
        assert stats["threat"]["precision"] == 1.0 and stats["threat"]["reviewed"] == 1
        assert stats["high_frustration"]["raised"] == 2
        assert (stats["high_frustration"]["right"], stats["high_frustration"]["wrong"]) == (1, 1)
        assert stats["high_frustration"]["precision"] == 0.5
        assert stats["many_points"]["precision"] is None


def test_statistics_categories_resolved_share_and_deadlines(calls):
    with calls.session() as session:
        months = {(r["period"], r["category"]): r["count"] for r in categories_over_time(session, period="month")}
        assert months == {("2026-10", "afgoerelse"): 1, ("2026-11", "sagsbehandlingstid"): 1,
                          ("2026-11", "manglende_kontakt"): 1}
        weeks = {r["period"] for r in categories_over_time(session, period="week")}
        assert weeks == {"2026-W41", "2026-W45"}
        share = resolved_share(session)
        assert (share["resolved"], share["total"], share["share"], share["reference"]) == (1, 2, 0.5, 0.64)
        # The threat call's case arrived a week before the call: acknowledgement late; the calm one in time.
        crud.link_call_to_case(session, call_id="threat", reference="S-1", received_date=date(2026, 9, 28))
        today = datetime.now(timezone.utc).date()
        crud.link_call_to_case(session, call_id="calm", reference="S-2", received_date=today - timedelta(days=1))
        crud.save_note_draft(session, call_id="calm", markdown="# ok", outcome="lagt_ned")
        crud.approve_note(session, call_id="calm", version=1, user=None)
        report = deadline_report(session, today=today)
        rows = {r["reference"]: r for r in report["cases"]}
        assert rows["S-1"]["acknowledgement_deadline"] == "2026-09-30" and rows["S-1"]["answer_deadline"] == "2026-10-10"
        assert rows["S-1"]["acknowledgement_late"] and rows["S-1"]["answer_late"]
        assert not rows["S-2"]["acknowledgement_late"]
        assert rows["S-2"]["answered_at"] is not None  # closed by phone: the approved note is the answer
        assert not rows["S-2"]["answer_late"]
        assert (report["acknowledgement_late"], report["answer_late"]) == (1, 1)
        # Open and not yet due is not late; open and past due is.
        crud.link_call_to_case(session, call_id="threat", reference="S-3", received_date=today)
        rows = {r["reference"]: r for r in deadline_report(session, today=today)["cases"]}
        assert not rows["S-3"]["answer_late"] and rows["S-3"]["answered_at"] is None
        rows = {r["reference"]: r for r in deadline_report(session, today=today + timedelta(days=13))["cases"]}
        assert rows["S-3"]["answer_late"]
