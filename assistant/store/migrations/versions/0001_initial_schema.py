"""Initial schema: users, cases, calls, utterances, signals, flags and reviews, suggestions, notes, audit log.

Approved note versions and audit entries are protected by triggers as well as in code.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 01:58:47.760675

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""

    op.create_table('complaint_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('received_date', sa.Date(), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=True),
    sa.Column('unit', sa.String(length=200), nullable=False),
    sa.Column('acknowledgement_deadline', sa.Date(), nullable=False),
    sa.Column('answer_deadline', sa.Date(), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_cases')),
    sa.UniqueConstraint('reference', name=op.f('uq_complaint_cases_reference'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('unit', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.String(length=100), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_log_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    op.create_table('calls',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('caseworker_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('direction', sa.String(length=20), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('citizen_informed', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('end_reason', sa.String(length=20), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('outcome_detail', sa.String(length=30), nullable=True),
    sa.Column('complaint_kind', sa.String(length=20), nullable=True),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('signals', sa.JSON(), nullable=True),
    sa.Column('assessment', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['complaint_cases.id'], name=op.f('fk_calls_case_id_complaint_cases')),
    sa.ForeignKeyConstraint(['caseworker_id'], ['users.id'], name=op.f('fk_calls_caseworker_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calls'))
    )
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calls_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_caseworker_id'), ['caseworker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_started_at'), ['started_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_status'), ['status'], unique=False)

    op.create_table('call_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('turns', sa.JSON(), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_call_flags_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_flags')),
    sa.UniqueConstraint('call_id', 'kind', name='uq_call_flags_call_kind')
    )
    with op.batch_alter_table('call_flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_flags_call_id'), ['call_id'], unique=False)

    op.create_table('notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_notes_call_id_calls')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notes')),
    sa.UniqueConstraint('call_id', name=op.f('uq_notes_call_id'))
    )
    op.create_table('suggestions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.String(length=64), nullable=False),
    sa.Column('suggestion_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('turn_index', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('shown_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('acted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_suggestions_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestions')),
    sa.UniqueConstraint('call_id', 'suggestion_id', name='uq_suggestions_call_suggestion')
    )
    with op.batch_alter_table('suggestions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestions_call_id'), ['call_id'], unique=False)

    op.create_table('turn_signals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.String(length=64), nullable=False),
    sa.Column('turn_index', sa.Integer(), nullable=False),
    sa.Column('speaker', sa.String(length=20), nullable=False),
    sa.Column('frustration', sa.Integer(), nullable=True),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=True),
    sa.Column('complaint_points', sa.JSON(), nullable=False),
    sa.Column('complaint_kind', sa.String(length=20), nullable=True),
    sa.Column('flags', sa.JSON(), nullable=False),
    sa.Column('assessment_level', sa.String(length=10), nullable=True),
    sa.Column('assessment_reasons', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_turn_signals_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_turn_signals')),
    sa.UniqueConstraint('call_id', 'turn_index', name='uq_turn_signals_call_turn')
    )
    with op.batch_alter_table('turn_signals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_turn_signals_call_id'), ['call_id'], unique=False)

    op.create_table('utterances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.String(length=64), nullable=False),
    sa.Column('turn_index', sa.Integer(), nullable=False),
    sa.Column('utterance_id', sa.String(length=64), nullable=False),
    sa.Column('speaker', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('start', sa.Float(), nullable=False),
    sa.Column('end', sa.Float(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('avg_logprob', sa.Float(), nullable=True),
    sa.Column('engine', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_utterances_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_utterances')),
    sa.UniqueConstraint('call_id', 'turn_index', name='uq_utterances_call_turn')
    )
    with op.batch_alter_table('utterances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_utterances_call_id'), ['call_id'], unique=False)

    op.create_table('flag_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('flag_id', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.String(length=10), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['flag_id'], ['call_flags.id'], name=op.f('fk_flag_reviews_flag_id_call_flags'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_flag_reviews_reviewer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flag_reviews'))
    )
    with op.batch_alter_table('flag_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flag_reviews_flag_id'), ['flag_id'], unique=False)

    op.create_table('note_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('note_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('markdown', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=30), nullable=True),
    sa.Column('fields', sa.JSON(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_note_versions_approved_by_id_users')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_note_versions_author_id_users')),
    sa.ForeignKeyConstraint(['note_id'], ['notes.id'], name=op.f('fk_note_versions_note_id_notes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_note_versions')),
    sa.UniqueConstraint('note_id', 'version', name='uq_note_versions_note_version')
    )
    with op.batch_alter_table('note_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_note_versions_note_id'), ['note_id'], unique=False)

    _create_immutability_triggers()


_SQLITE_TRIGGERS = [
    """CREATE TRIGGER note_versions_approved_no_update BEFORE UPDATE ON note_versions
       WHEN OLD.status = 'approved'
       BEGIN SELECT RAISE(ABORT, 'approved note version is immutable'); END""",
    """CREATE TRIGGER note_versions_approved_no_delete BEFORE DELETE ON note_versions
       WHEN OLD.status = 'approved'
       BEGIN SELECT RAISE(ABORT, 'approved note version is immutable'); END""",
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
]

_POSTGRES_TRIGGERS = [
    """CREATE FUNCTION note_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF OLD.status = 'approved' THEN RAISE EXCEPTION 'approved note version is immutable'; END IF;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER note_versions_approved_guard BEFORE UPDATE OR DELETE ON note_versions
       FOR EACH ROW EXECUTE FUNCTION note_versions_guard()""",
    """CREATE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$""",
    """CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
       FOR EACH ROW EXECUTE FUNCTION audit_log_guard()""",
]


def _create_immutability_triggers() -> None:
    dialect = op.get_bind().dialect.name
    statements = {"sqlite": _SQLITE_TRIGGERS, "postgresql": _POSTGRES_TRIGGERS}.get(dialect, [])
    for statement in statements:
        op.execute(statement)


def _drop_immutability_triggers() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("note_versions_approved_no_update", "note_versions_approved_no_delete",
                     "audit_log_no_update", "audit_log_no_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS note_versions_approved_guard ON note_versions")
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS note_versions_guard()")
        op.execute("DROP FUNCTION IF EXISTS audit_log_guard()")


def downgrade() -> None:
    """Downgrade schema."""
    _drop_immutability_triggers()

    with op.batch_alter_table('note_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_note_versions_note_id'))

    op.drop_table('note_versions')
    with op.batch_alter_table('flag_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flag_reviews_flag_id'))

    op.drop_table('flag_reviews')
    with op.batch_alter_table('utterances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_utterances_call_id'))

    op.drop_table('utterances')
    with op.batch_alter_table('turn_signals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_turn_signals_call_id'))

    op.drop_table('turn_signals')
    with op.batch_alter_table('suggestions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestions_call_id'))

    op.drop_table('suggestions')
    op.drop_table('notes')
    with op.batch_alter_table('call_flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_flags_call_id'))

    op.drop_table('call_flags')
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calls_status'))
        batch_op.drop_index(batch_op.f('ix_calls_started_at'))
        batch_op.drop_index(batch_op.f('ix_calls_caseworker_id'))
        batch_op.drop_index(batch_op.f('ix_calls_case_id'))

    op.drop_table('calls')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    op.drop_table('users')
    op.drop_table('complaint_cases')

