"""The comparison with last year's report, cached per report (docs/workbench.md).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("comparison", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("comparison_key", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("comparison_key")
        batch.drop_column("comparison")
