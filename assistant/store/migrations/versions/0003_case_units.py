"""Cases belong to a unit: give every case created before this revision the unit of the caseworker of
its earliest linked call (a case linked before only had the empty unit, so any unit could rewrite it).

Data only: `complaint_cases.unit` exists since 0001.

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-03 09:40:00

"""
from typing import Sequence, Union

from alembic import op

revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Fill the unit of every case without one from its first call's caseworker."""
    op.execute("""
        UPDATE complaint_cases SET unit = COALESCE((
            SELECT users.unit FROM calls JOIN users ON users.id = calls.caseworker_id
            WHERE calls.case_id = complaint_cases.id
            ORDER BY calls.started_at LIMIT 1), '')
        WHERE unit = ''
    """)


def downgrade() -> None:
    """Nothing to undo: the units stay (0001 had the column, only empty)."""
