"""The first schema: reports (one per distinct upload, with its summary columns) and reviews.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("suffix", sa.String(16), nullable=False, server_default=""),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("error_code", sa.String(32), nullable=True),
        sa.Column("checklist", sa.String(64), nullable=True),
        sa.Column("checklist_title", sa.String(200), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(32), nullable=True),
        sa.Column("unit", sa.String(300), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("grade", sa.String(32), nullable=True),
        sa.Column("reviewed_score", sa.Float(), nullable=True),
        sa.Column("reviewed_grade", sa.String(32), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("statuses", sa.JSON(), nullable=False),
        sa.Column("unreviewed", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("stale", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("family", sa.String(420), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("previous_id", sa.Integer(), sa.ForeignKey("reports.id"), nullable=True),
        sa.Column("result", sa.LargeBinary(), nullable=True),
    )
    op.create_index("ix_reports_state", "reports", ["state"])
    op.create_index("ix_reports_family", "reports", ["family"])
    op.create_index("ix_reports_season", "reports", ["checklist", "year", "level", "score"])
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("report_id", sa.Integer(), sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("rule_id", sa.String(64), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False, server_default=""),
        sa.Column("reviewer", sa.String(200), nullable=False, server_default=""),
        sa.Column("at", sa.String(40), nullable=False, server_default=""),
        sa.Column("fingerprint", sa.String(16), nullable=False, server_default=""),
        sa.Column("carried_from", sa.Integer(), nullable=True),
        sa.UniqueConstraint("report_id", "rule_id", name="uq_reviews_report_rule"),
    )
    op.create_index("ix_reviews_report_id", "reviews", ["report_id"])


def downgrade() -> None:
    op.drop_table("reviews")
    op.drop_table("reports")
