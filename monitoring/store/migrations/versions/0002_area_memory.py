"""Remembered area ties: an area text in a file -> the store area a person tied it to.

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
    op.create_table(
        "area_memory",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("text_key", sa.String(300), nullable=False, unique=True),
        sa.Column("text", sa.String(300), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("confirmed_by", sa.String(100), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"], ondelete="CASCADE"),
    )


def downgrade() -> None:
    op.drop_table("area_memory")
