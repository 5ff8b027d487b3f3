"""The store's schema as of the first versioned release, with CHECK constraints on the codes.

Stores made before migrations existed (tables from `create_all`, no alembic_version) are adopted:
tables they lack are created (those from before uploads were remembered lack `mapping_memory`),
and the tables they have get the CHECK constraints. A value outside the known codes stops the
upgrade with a sentence naming table, column and value; being one transaction, it changes nothing.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from monitoring.errors import MonitorError

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

AREA_KINDS = ("afdeling", "boligomraade", "kommune", "benchmark")
UNITS = ("pct", "count", "dkk", "status")
STATES = ("ok", "suppressed", "missing", "qualitative")

# table -> (constraint name, column, allowed codes)
CHECKS = {
    "area": ("ck_area_kind", "kind", AREA_KINDS),
    "measure": ("ck_measure_unit", "unit", UNITS),
    "indicator": ("ck_indicator_unit", "unit", UNITS),
    "observation": ("ck_observation_state", "state", STATES),
    "observation_change": ("ck_observation_change_old_state", "old_state", STATES),
}


def _one_of(table: str) -> str:
    _name, column, codes = CHECKS[table]
    return f"{column} IN ({', '.join(repr(code) for code in codes)})"


def _table(
    existing: set[str],
    name: str,
    *items: sa.SchemaItem,
    indexes: dict[str, list[str]] | None = None,
) -> None:
    """Create the table with its CHECK constraint; a table an older store has only gets the check."""
    if name in existing:
        if name in CHECKS:
            _adopt(name)
        return
    if name in CHECKS:
        items = (*items, sa.CheckConstraint(_one_of(name), name=CHECKS[name][0]))
    op.create_table(name, sa.Column("id", sa.Integer(), primary_key=True), *items)
    for index, columns in (indexes or {}).items():
        op.create_index(index, name, columns)


def _adopt(table: str) -> None:
    name, column, codes = CHECKS[table]
    unknown = op.get_bind().execute(
        sa.select(sa.column(column))
        .select_from(sa.table(table))
        .where(sa.column(column).is_not(None), sa.column(column).not_in(codes))
        .limit(1)
    )
    value = unknown.scalar()
    if value is not None:
        raise MonitorError(
            f"Databasen kan ikke opgraderes: tabellen {table} har værdien '{value}' i kolonnen "
            f"{column}, men kun {', '.join(codes)} er tilladt. Ret værdien, og kør init igen."
        )
    with op.batch_alter_table(table) as batch:
        batch.create_check_constraint(name, _one_of(table))


def _fk(column: str, target: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [target], ondelete=ondelete)


# Long: the whole first schema as one revision, in alembic's generated shape.
def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    _table(
        existing,
        "area",
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("code", sa.String(20)),
        sa.Column("match_key", sa.String(200), nullable=False),
        sa.Column("parent_id", sa.Integer()),
        _fk("parent_id", "area.id", "SET NULL"),
        sa.UniqueConstraint("kind", "name", name="uq_area_kind_name"),
        indexes={"ix_area_match_key": ["match_key"]},
    )
    _table(
        existing,
        "audit_event",
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user", sa.String(100), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("entity", sa.String(50), nullable=False),
        sa.Column("entity_id", sa.String(100)),
        sa.Column("before", sa.JSON()),
        sa.Column("after", sa.JSON()),
    )
    _table(
        existing,
        "import_batch",
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("file_name", sa.String(300), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("user", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("rows_accepted", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        indexes={"ix_import_batch_sha256": ["sha256"]},
    )
    _table(
        existing,
        "mapping_memory",
        sa.Column("label_key", sa.String(300), nullable=False, unique=True),
        sa.Column("label", sa.String(300), nullable=False),
        sa.Column("measure_key", sa.String(100)),
        sa.Column("confirmed_by", sa.String(100), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=False),
    )
    _table(
        existing,
        "measure",
        sa.Column("key", sa.String(100), nullable=False, unique=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("unit", sa.String(10), nullable=False),
        sa.Column("population", sa.String(200)),
        sa.Column("direction", sa.Integer(), nullable=False),
        sa.Column("is_lbf", sa.Boolean(), nullable=False),
    )
    _table(
        existing,
        "observation",
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float()),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("source", sa.String(200)),
        sa.Column("batch_id", sa.Integer()),
        _fk("area_id", "area.id", "CASCADE"),
        _fk("batch_id", "import_batch.id", "SET NULL"),
        _fk("measure_id", "measure.id", "CASCADE"),
        sa.UniqueConstraint("measure_id", "area_id", "year", name="uq_observation_cell"),
        indexes={
            "ix_observation_area": ["area_id"],
            "ix_observation_batch_id": ["batch_id"],
            "ix_observation_measure_year": ["measure_id", "year"],
        },
    )
    _table(
        existing,
        "observation_change",
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("existed", sa.Boolean(), nullable=False),
        sa.Column("old_value", sa.Float()),
        sa.Column("old_state", sa.String(20)),
        sa.Column("old_note", sa.Text()),
        sa.Column("old_source", sa.String(200)),
        sa.Column("old_batch_id", sa.Integer()),
        _fk("area_id", "area.id", "CASCADE"),
        _fk("batch_id", "import_batch.id", "CASCADE"),
        _fk("measure_id", "measure.id", "CASCADE"),
        indexes={"ix_observation_change_batch_id": ["batch_id"]},
    )
    _table(
        existing,
        "plan",
        sa.Column("slug", sa.String(100), nullable=False, unique=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kommune_id", sa.Integer(), nullable=False),
        sa.Column("main_area_id", sa.Integer(), nullable=False),
        sa.Column("seed_sha256", sa.String(64)),
        _fk("kommune_id", "area.id"),
        _fk("main_area_id", "area.id"),
    )
    _table(
        existing,
        "agreement",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("area_of_effort", sa.String(200), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("parties", sa.JSON(), nullable=False),
        sa.Column("activities", sa.JSON(), nullable=False),
        sa.Column("staff_resources", sa.Text()),
        _fk("plan_id", "plan.id", "CASCADE"),
        sa.UniqueConstraint("plan_id", "area_of_effort", name="uq_agreement"),
    )
    _table(
        existing,
        "plan_area",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _fk("area_id", "area.id"),
        _fk("plan_id", "plan.id", "CASCADE"),
        sa.UniqueConstraint("plan_id", "area_id", name="uq_plan_area"),
    )
    _table(
        existing,
        "subgoal",
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _fk("agreement_id", "agreement.id", "CASCADE"),
    )
    _table(
        existing,
        "indicator",
        sa.Column("subgoal_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(10), nullable=False),
        sa.Column("direction", sa.Integer(), nullable=False),
        sa.Column("baseline_value", sa.Float()),
        sa.Column("baseline_year", sa.Integer()),
        sa.Column("baseline_note", sa.Text()),
        sa.Column("baseline_as_written", sa.Text()),
        sa.Column("target_value", sa.Float()),
        sa.Column("target_year", sa.Integer()),
        sa.Column("target_note", sa.Text()),
        sa.Column("deadline", sa.Date()),
        sa.Column("source", sa.Text()),
        _fk("area_id", "area.id"),
        _fk("measure_id", "measure.id"),
        _fk("subgoal_id", "subgoal.id", "CASCADE"),
    )
    _table(
        existing,
        "comparator",
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("baseline_value", sa.Float()),
        sa.Column("baseline_year", sa.Integer()),
        sa.Column("as_written", sa.Text()),
        _fk("area_id", "area.id"),
        _fk("indicator_id", "indicator.id", "CASCADE"),
    )


TABLES_CHILDREN_FIRST = (
    "comparator",
    "indicator",
    "subgoal",
    "plan_area",
    "agreement",
    "plan",
    "observation_change",
    "observation",
    "measure",
    "mapping_memory",
    "import_batch",
    "audit_event",
    "area",
)


def downgrade() -> None:
    for name in TABLES_CHILDREN_FIRST:
        op.drop_table(name)
