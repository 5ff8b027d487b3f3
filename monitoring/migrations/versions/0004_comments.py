"""The projektleder's comments per delmål and status year, shown on the page and in the reports.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subgoal_comment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_slug", sa.String(100), nullable=False),
        sa.Column("subgoal_number", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("subgoal_text", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(100), nullable=False),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("plan_slug", "subgoal_number", "year", name="uq_subgoal_comment"),
    )


def downgrade() -> None:
    op.drop_table("subgoal_comment")
