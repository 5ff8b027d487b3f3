"""PostgreSQL: the bulk tables' foreign keys checked once per statement instead of once per row.

A national area list writes 320,000 observations. PostgreSQL checks a real foreign key with one
query per row and key (a `SELECT ... FOR KEY SHARE` on the parent): three keys on `observation`
made that 960,000 queries, two thirds of the COPY's time on the server. This revision replaces
the foreign keys of `observation` and `observation_change` by triggers that give the same
guarantees set-based, per statement (INSERT, COPY, UPDATE):

- one query over the statement's rows (its transition table) locks every parent they refer to
  FOR KEY SHARE, as a foreign key locks it, and counts them against the distinct ids referred to:
  a concurrent delete of a parent waits for the write, and a write waiting for a concurrent delete
  refuses its rows once the delete commits;
- a missing parent is found by an anti-join and refused with SQLSTATE 23503 and PostgreSQL's own
  message for that key, so the error reads as a foreign key's did (`monitoring.store.dberrors`
  words it the same);
- deleting parents (area, measure, import_batch) does what ON DELETE CASCADE / SET NULL did, with
  one statement per child table; changing a referenced id or truncating a referenced parent alone
  is refused, as a foreign key refuses it.

SQLite keeps its real foreign keys: it checks them through the parent's primary key index, which
costs little there.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# (child table, column, parent table, ON DELETE), as the foreign keys were; the constraint names
# are PostgreSQL's default ones, which the errors and the downgrade keep using.
KEYS = [
    ("observation", "measure_id", "measure", "CASCADE"),
    ("observation", "area_id", "area", "CASCADE"),
    ("observation", "batch_id", "import_batch", "SET NULL"),
    ("observation_change", "batch_id", "import_batch", "CASCADE"),
    ("observation_change", "measure_id", "measure", "CASCADE"),
    ("observation_change", "area_id", "area", "CASCADE"),
]
CHILDREN = list(dict.fromkeys(child for child, _, _, _ in KEYS))
PARENTS = list(dict.fromkeys(parent for _, _, parent, _ in KEYS))


def _name(child: str, column: str) -> str:
    return f"{child}_{column}_fkey"


def _held(column: str, parent: str) -> str:
    """True when every parent the statement's rows refer to by `column` is there: it locks them
    FOR KEY SHARE and counts them against the distinct ids referred to."""
    return f"""(SELECT count(*) FROM (
                SELECT p.id FROM {parent} p
                WHERE p.id IN (SELECT {column} FROM new_rows) FOR KEY SHARE OF p
            ) AS held) = (SELECT count(DISTINCT {column}) FROM new_rows)"""


def _refuse_missing(child: str, column: str, parent: str) -> str:
    name = _name(child, column)
    return f"""
        SELECT n.{column} INTO missing FROM new_rows n
        WHERE n.{column} IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.id = n.{column})
        ORDER BY 1 LIMIT 1;
        IF missing IS NOT NULL THEN
            RAISE foreign_key_violation USING
                MESSAGE = 'insert or update on table "{child}" violates foreign key '
                    || 'constraint "{name}"',
                DETAIL = format('Key ({column})=(%s) is not present in table "{parent}".', missing),
                SCHEMA = TG_TABLE_SCHEMA, TABLE = '{child}', COLUMN = '{column}',
                CONSTRAINT = '{name}';
        END IF;"""


def _child_function(child: str) -> str:
    """One query per statement when every parent is there (it locks them all); otherwise the
    first missing one is refused. Each statement sees the rows committed before it started, as a
    foreign key's check does: a parent that was not there to lock but is found afterwards was
    committed meanwhile, so the loop locks again."""
    keys = [(column, parent) for c, column, parent, _ in KEYS if c == child]
    held = "\n            AND ".join(_held(column, parent) for column, parent in keys)
    refusals = "".join(_refuse_missing(child, column, parent) for column, parent in keys)
    return f"""
CREATE OR REPLACE FUNCTION {child}_check_keys() RETURNS trigger LANGUAGE plpgsql AS $body$
DECLARE
    missing bigint;
BEGIN
    LOOP
        EXIT WHEN {held};{refusals}
    END LOOP;
    RETURN NULL;
END
$body$"""


def _on_delete(parent: str) -> str:
    """What ON DELETE CASCADE / SET NULL did, one statement per child and key."""
    steps = []
    for child, column, target, action in KEYS:
        if target != parent:
            continue
        if action == "CASCADE":
            steps.append(f"DELETE FROM {child} WHERE {column} IN (SELECT id FROM old_rows);")
        else:
            steps.append(
                f"UPDATE {child} SET {column} = NULL WHERE {column} IN (SELECT id FROM old_rows);"
            )
    body = "\n    ".join(steps)
    return f"""
CREATE OR REPLACE FUNCTION {parent}_delete_children() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    {body}
    RETURN NULL;
END
$body$"""


def _referenced(parent: str, key: str) -> str:
    """A condition: some child row still refers to the parent id `key`."""
    return " OR ".join(
        f"EXISTS (SELECT 1 FROM {child} WHERE {column} = {key})"
        for child, column, target, _ in KEYS
        if target == parent
    )


def _on_key_change(parent: str) -> str:
    """ON UPDATE NO ACTION: a referenced id may not change (checked after the statement, so ids
    swapped within one statement are fine, as with a foreign key)."""
    referencing = ", ".join(sorted({_name(c, col) for c, col, p, _ in KEYS if p == parent}))
    return f"""
CREATE OR REPLACE FUNCTION {parent}_keep_referenced_ids() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF NEW.id IS DISTINCT FROM OLD.id
       AND NOT EXISTS (SELECT 1 FROM {parent} WHERE id = OLD.id)
       AND ({_referenced(parent, "OLD.id")}) THEN
        RAISE foreign_key_violation USING
            MESSAGE = 'update or delete on table "{parent}" violates a foreign key constraint '
                || '({referencing})',
            DETAIL = format('Key (id)=(%s) is still referenced.', OLD.id),
            SCHEMA = TG_TABLE_SCHEMA, TABLE = '{parent}';
    END IF;
    RETURN NULL;
END
$body$"""


def _on_truncate(parent: str) -> str:
    """TRUNCATE of a referenced parent is refused unless its children went in the same command."""
    return f"""
CREATE OR REPLACE FUNCTION {parent}_truncate_check() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF {" OR ".join(f"EXISTS (SELECT 1 FROM {c} WHERE {col} IS NOT NULL)" for c, col, p, _ in KEYS if p == parent)} THEN
        RAISE feature_not_supported USING
            MESSAGE = 'cannot truncate a table referenced in a foreign key constraint',
            DETAIL = 'Table "{parent}" is referenced by observation or observation_change.',
            HINT = 'Truncate those tables at the same time.';
    END IF;
    RETURN NULL;
END
$body$"""


def _statements() -> list[str]:
    made = []
    for child in CHILDREN:
        made.append(_child_function(child))
        for event in ("INSERT", "UPDATE"):
            made.append(
                f"CREATE TRIGGER {child}_keys_{event.lower()} AFTER {event} ON {child} "
                "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
                f"EXECUTE FUNCTION {child}_check_keys()"
            )
    for parent in PARENTS:
        made += [_on_delete(parent), _on_key_change(parent), _on_truncate(parent)]
        made.append(
            f"CREATE TRIGGER {parent}_children_delete AFTER DELETE ON {parent} "
            "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {parent}_delete_children()"
        )
        made.append(
            f"CREATE TRIGGER {parent}_children_key AFTER UPDATE OF id ON {parent} "
            f"FOR EACH ROW EXECUTE FUNCTION {parent}_keep_referenced_ids()"
        )
        made.append(
            f"CREATE TRIGGER {parent}_children_truncate AFTER TRUNCATE ON {parent} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {parent}_truncate_check()"
        )
    return made


def _functions() -> list[str]:
    names = [f"{child}_check_keys" for child in CHILDREN]
    for parent in PARENTS:
        names += [
            f"{parent}_delete_children",
            f"{parent}_keep_referenced_ids",
            f"{parent}_truncate_check",
        ]
    return names


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    found = {
        (child, fk["constrained_columns"][0]): fk["name"]
        for child in CHILDREN
        for fk in sa.inspect(op.get_bind()).get_foreign_keys(child)
    }
    for child, column, _parent, _action in KEYS:
        op.drop_constraint(found[(child, column)], child, type_="foreignkey")
    for statement in _statements():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for child in CHILDREN:
        for event in ("insert", "update"):
            op.execute(f"DROP TRIGGER {child}_keys_{event} ON {child}")
    for parent in PARENTS:
        for suffix in ("delete", "key", "truncate"):
            op.execute(f"DROP TRIGGER {parent}_children_{suffix} ON {parent}")
    for function in _functions():
        op.execute(f"DROP FUNCTION {function}()")
    for child, column, parent, action in KEYS:
        op.create_foreign_key(
            _name(child, column), child, parent, [column], ["id"], ondelete=action
        )
