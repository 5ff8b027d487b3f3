"""Users and the plans or kommuner they are given (who may do what: monitoring.access).

A store without users stays open (single-user mode), so this revision only adds empty tables.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ROLES = ("læser", "koordinationsudvalg", "projektleder", "administrator")
SCOPE_KINDS = ("plan", "kommune")


def _one_of(column: str, codes: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(code) for code in codes)})"


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("name_key", sa.String(100), nullable=False, unique=True),
        sa.Column("role", sa.String(30), nullable=False),
        sa.Column("email", sa.String(200), nullable=True),
        sa.Column("password_hash", sa.String(300), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(_one_of("role", ROLES), name="ck_app_user_role"),
    )
    op.create_index("ix_app_user_email", "app_user", ["email"])
    op.create_table(
        "user_scope",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("value", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="CASCADE"),
        sa.UniqueConstraint("user_id", "kind", "value", name="uq_user_scope"),
        sa.CheckConstraint(_one_of("kind", SCOPE_KINDS), name="ck_user_scope_kind"),
    )
    op.create_index("ix_user_scope_user_id", "user_scope", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_user_scope_user_id", table_name="user_scope")
    op.drop_table("user_scope")
    op.drop_index("ix_app_user_email", table_name="app_user")
    op.drop_table("app_user")
