"""Cases belong to a unit; access requests wait for a second admin.

- Every case created before this revision gets the unit of the caseworker of its earliest linked call
  (a case linked before only had the empty unit, so any unit could rewrite it).
- `access_requests`: a supervisor/admin role, a supervisor's unit or such an account's password, asked for
  by one admin and applied only when another approves.

Revision ID: 0003
Revises: 0002_sessions
Create Date: 2026-12-03 09:40:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002_sessions'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Fill the unit of every case without one from its first call's caseworker; add access_requests."""
    op.create_table('access_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=True),
    sa.Column('unit', sa.String(length=200), nullable=True),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('oidc_only', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_access_requests_requested_by_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_access_requests_decided_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_requests'))
    )
    with op.batch_alter_table('access_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_requests_username'), ['username'], unique=False)
    op.execute("""
        UPDATE complaint_cases SET unit = COALESCE((
            SELECT users.unit FROM calls JOIN users ON users.id = calls.caseworker_id
            WHERE calls.case_id = complaint_cases.id
            ORDER BY calls.started_at LIMIT 1), '')
        WHERE unit = ''
    """)


def downgrade() -> None:
    """Drop access_requests; the cases' units stay (0001 had the column, only empty)."""
    with op.batch_alter_table('access_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_requests_username'))
    op.drop_table('access_requests')
