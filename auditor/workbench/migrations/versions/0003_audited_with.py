"""What audited each stored result (``workbench/stamp.py``): a result of an earlier version is shown as
such and can be audited again (docs/workbench.md). Rows stored before this migration have none: nobody
can tell what audited them, so they count as earlier.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("audited_with", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("audited_with")
