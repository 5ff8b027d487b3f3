"""Indexes on the foreign keys to area that undo deletes through, so undo is proportional to a batch.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_area_parent_id", "area", "parent_id"),
    ("ix_observation_change_area_id", "observation_change", "area_id"),
    ("ix_plan_kommune_id", "plan", "kommune_id"),
    ("ix_plan_main_area_id", "plan", "main_area_id"),
    ("ix_plan_area_area_id", "plan_area", "area_id"),
    ("ix_indicator_area_id", "indicator", "area_id"),
    ("ix_comparator_area_id", "comparator", "area_id"),
]


def upgrade() -> None:
    for name, table, column in INDEXES:
        op.create_index(name, table, [column])


def downgrade() -> None:
    for name, table, _column in reversed(INDEXES):
        op.drop_index(name, table_name=table)
