"""The bulk tables' foreign keys (revision 0007): real constraints on SQLite, set-based triggers on
PostgreSQL, with the same guarantees on both: no orphan gets in (INSERT, UPDATE, COPY), deleting
a parent cascades or sets null as before, a referenced id cannot change, a concurrent delete
cannot orphan a row being written, and the refusal reads as a foreign key's did."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import Engine, delete, func, inspect, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from monitoring.ingest.bulk import bulk_insert
from monitoring.seed import load_seed
from monitoring.store import migrations
from monitoring.store.dberrors import database_error
from monitoring.store.models import (
    Area,
    ImportBatch,
    Measure,
    Observation,
    ObservationChange,
)
from tests.conftest import fresh_engine

KEYS = [
    (Observation, "measure_id", "measure"),
    (Observation, "area_id", "area"),
    (Observation, "batch_id", "import_batch"),
    (ObservationChange, "batch_id", "import_batch"),
    (ObservationChange, "measure_id", "measure"),
    (ObservationChange, "area_id", "area"),
]
MISSING = 987_654_321
YEAR = 1901  # no seeded figure has it


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    load_seed(engine)
    return engine


@pytest.fixture
def pg_engine(tmp_path) -> Engine:
    engine = fresh_engine("postgresql", tmp_path)
    load_seed(engine)
    return engine


def _parents(engine: Engine) -> dict[str, int]:
    """A measure, an area and a new batch to point at."""
    with Session(engine) as session:
        batch = ImportBatch(kind="test", file_name="t", sha256="-", user="test")
        session.add(batch)
        session.commit()
        return {
            "measure_id": session.scalar(select(Measure.id).order_by(Measure.id).limit(1)),
            "area_id": session.scalar(select(Area.id).order_by(Area.id).limit(1)),
            "batch_id": batch.id,
        }


def _row(model: type, parents: dict[str, int]) -> dict[str, object]:
    row: dict[str, object] = {**parents, "year": YEAR}
    if model is ObservationChange:
        row["existed"] = True
    else:
        row["value"] = 1.0
    return row


def _refusal(engine: Engine, model: type, row: dict[str, object]) -> IntegrityError:
    with pytest.raises(IntegrityError) as refused, engine.begin() as connection:
        connection.execute(model.__table__.insert().values(row))
    return refused.value


@pytest.mark.parametrize(("model", "column", "parent"), KEYS)
def test_an_orphan_row_is_refused_naming_the_key(seeded, model, column, parent):
    parents = _parents(seeded)
    refused = _refusal(seeded, model, _row(model, {**parents, column: MISSING}))
    if seeded.dialect.name == "postgresql":
        assert refused.orig.sqlstate == "23503"
        assert refused.orig.diag.constraint_name == f"{model.__tablename__}_{column}_fkey"
        assert f'Key ({column})=({MISSING}) is not present in table "{parent}"' in str(refused)
    assert _written(seeded, model) == 0


def _written(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).where(model.year <= YEAR))


def test_an_update_to_an_orphan_is_refused_and_a_valid_one_kept(seeded):
    parents = _parents(seeded)
    with seeded.begin() as connection:
        connection.execute(Observation.__table__.insert().values(_row(Observation, parents)))
    with pytest.raises(IntegrityError), seeded.begin() as connection:
        connection.execute(update(Observation).values(area_id=MISSING))
    mine = Observation.year == YEAR
    with seeded.begin() as connection:
        connection.execute(update(Observation).where(mine).values(value=2.0, batch_id=None))
    with Session(seeded) as session:
        found = select(Observation.area_id, Observation.value).where(mine)
        assert session.execute(found).all() == [(parents["area_id"], 2.0)]


@pytest.mark.parametrize("model", [Observation, ObservationChange])
def test_a_bulk_write_with_one_orphan_among_many_writes_nothing(seeded, model):
    """COPY on PostgreSQL (statement triggers fire for it too), executemany on SQLite."""
    parents = _parents(seeded)
    n = 2_000
    columns: dict[str, object] = {
        "measure_id": parents["measure_id"],
        "area_id": [parents["area_id"]] * (n - 1) + [MISSING],
        "year": [YEAR - i for i in range(n)],
        "batch_id": parents["batch_id"],
    }
    columns.update(
        {"existed": True} if model is ObservationChange else {"value": 1.0, "state": "ok"}
    )
    with Session(seeded) as session, pytest.raises(DBAPIError) as refused:
        bulk_insert(session, model.__table__, columns)
        session.commit()
    if seeded.dialect.name == "postgresql":
        assert refused.value.orig.sqlstate == "23503"
    assert _written(seeded, model) == 0


def _cells(engine: Engine, parents: dict[str, int]) -> None:
    with engine.begin() as connection:
        for model in (Observation, ObservationChange):
            connection.execute(model.__table__.insert().values(_row(model, parents)))


def _counts(engine: Engine, parents: dict[str, int]) -> dict[str, int]:
    with Session(engine) as session:
        return {
            "observation": _written(engine, Observation),
            "change": _written(engine, ObservationChange),
            "with_batch": session.scalar(
                select(func.count()).where(Observation.batch_id == parents["batch_id"])
            ),
        }


@pytest.mark.parametrize("parent", [Area, Measure])
def test_deleting_an_area_or_measure_deletes_its_cells_and_undo_rows(seeded, parent):
    parents = _parents(seeded)
    if parent is Area:  # an area of its own: the seed's areas are held by plans
        with Session(seeded) as session:
            area = Area(name="Slettes", kind="afdeling", match_key="slettes")
            session.add(area)
            session.commit()
            parents["area_id"] = area.id
    else:
        with Session(seeded) as session:
            measure = Measure(key="slettes", name="Slettes", unit="count")
            session.add(measure)
            session.commit()
            parents["measure_id"] = measure.id
    _cells(seeded, parents)
    assert _counts(seeded, parents) == {"observation": 1, "change": 1, "with_batch": 1}
    key = parents["area_id" if parent is Area else "measure_id"]
    with seeded.begin() as connection:
        connection.execute(delete(parent).where(parent.id == key))
    assert _counts(seeded, parents) == {"observation": 0, "change": 0, "with_batch": 0}


def test_deleting_a_batch_keeps_its_cells_and_drops_its_undo_rows(seeded):
    parents = _parents(seeded)
    _cells(seeded, parents)
    with seeded.begin() as connection:
        connection.execute(delete(ImportBatch).where(ImportBatch.id == parents["batch_id"]))
    assert _counts(seeded, parents) == {"observation": 1, "change": 0, "with_batch": 0}
    with Session(seeded) as session:
        assert session.scalar(select(Observation.batch_id).where(Observation.year == YEAR)) is None


def test_a_referenced_id_cannot_change_and_an_unreferenced_one_can(seeded):
    parents = _parents(seeded)
    _cells(seeded, parents)
    batch = ImportBatch.id == parents["batch_id"]
    with pytest.raises(IntegrityError), seeded.begin() as connection:
        connection.execute(update(ImportBatch).where(batch).values(id=MISSING))
    assert _counts(seeded, parents)["with_batch"] == 1
    free = _parents(seeded)["batch_id"]
    with seeded.begin() as connection:
        connection.execute(update(ImportBatch).where(ImportBatch.id == free).values(id=MISSING))
    with Session(seeded) as session:
        assert session.get(ImportBatch, MISSING) is not None


# PostgreSQL only: the triggers themselves, the concurrent delete, the migration.


def _orphan_sentence(engine: Engine) -> str:
    parents = _parents(engine)
    refused = _refusal(engine, Observation, _row(Observation, {**parents, "area_id": MISSING}))
    return str(database_error(refused, nothing_saved=True))


@pytest.mark.postgres
def test_the_refusal_reads_as_the_foreign_key_s_did(pg_engine):
    with_triggers = _orphan_sentence(pg_engine)
    migrations.downgrade(pg_engine, "0006")
    with_constraint = _orphan_sentence(pg_engine)
    migrations.upgrade(pg_engine)
    assert with_triggers == with_constraint
    assert 'violates foreign key constraint "observation_area_id_fkey"' in with_triggers


@pytest.mark.postgres
def test_postgres_has_triggers_instead_of_the_bulk_tables_foreign_keys(pg_engine):
    def keys() -> dict[str, set[tuple[str, str | None]]]:
        found = inspect(pg_engine)
        return {
            table: {
                (fk["constrained_columns"][0], fk["options"].get("ondelete"))
                for fk in found.get_foreign_keys(table)
            }
            for table in ("observation", "observation_change")
        }

    assert keys() == {"observation": set(), "observation_change": set()}
    with pg_engine.connect() as connection:
        triggers = set(
            connection.scalars(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"))
        )
    assert {"observation_keys_insert", "observation_change_keys_update"} <= triggers
    assert {"area_children_delete", "import_batch_children_truncate"} <= triggers
    migrations.downgrade(pg_engine, "0006")
    assert keys() == {
        "observation": {
            ("measure_id", "CASCADE"),
            ("area_id", "CASCADE"),
            ("batch_id", "SET NULL"),
        },
        "observation_change": {
            ("batch_id", "CASCADE"),
            ("measure_id", "CASCADE"),
            ("area_id", "CASCADE"),
        },
    }
    migrations.upgrade(pg_engine)
    assert keys() == {"observation": set(), "observation_change": set()}


@pytest.mark.postgres
def test_truncating_a_referenced_parent_alone_is_refused(pg_engine):
    parents = _parents(pg_engine)
    _cells(pg_engine, parents)
    with pytest.raises(DBAPIError, match="cannot truncate"), pg_engine.begin() as connection:
        connection.execute(text("TRUNCATE import_batch"))
    with pg_engine.begin() as connection:
        connection.execute(text("TRUNCATE import_batch, observation, observation_change"))
    assert _counts(pg_engine, parents) == {"observation": 0, "change": 0, "with_batch": 0}


def _driver(engine: Engine) -> psycopg.Connection:
    url = engine.url.render_as_string(hide_password=False).replace("+psycopg", "")
    return psycopg.connect(url)


@pytest.fixture
def two(pg_engine) -> Iterator[tuple[psycopg.Connection, psycopg.Connection]]:
    first, second = _driver(pg_engine), _driver(pg_engine)
    try:
        yield first, second
    finally:
        first.close()
        second.close()


def _new_area(engine: Engine) -> int:
    with Session(engine) as session:
        area = Area(name="Omstridt", kind="afdeling", match_key="omstridt")
        session.add(area)
        session.commit()
        return area.id


INSERT = (
    "INSERT INTO observation (measure_id, area_id, year, value, state) "
    f"VALUES (%s, %s, {YEAR}, 1, 'ok')"
)


@pytest.mark.postgres
def test_a_delete_waits_for_a_write_that_refers_to_the_row_then_takes_its_cells(pg_engine, two):
    writer, deleter = two
    parents = _parents(pg_engine)
    area = _new_area(pg_engine)
    writer.execute(INSERT, (parents["measure_id"], area))  # open: holds FOR KEY SHARE
    deleter.execute("SET lock_timeout = '300ms'")
    with pytest.raises(psycopg.errors.LockNotAvailable):
        deleter.execute("DELETE FROM area WHERE id = %s", (area,))
    deleter.rollback()
    writer.commit()
    deleter.execute("DELETE FROM area WHERE id = %s", (area,))
    deleter.commit()
    assert _written(pg_engine, Observation) == 0


def _waiting(engine: Engine, pid: int) -> bool:
    with engine.connect() as connection:
        event = connection.scalar(
            text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
        )
    return event == "Lock"


@pytest.mark.postgres
def test_a_write_waiting_for_a_concurrent_delete_is_refused_once_it_commits(pg_engine, two):
    writer, deleter = two
    parents = _parents(pg_engine)
    area = _new_area(pg_engine)
    deleter.execute("DELETE FROM area WHERE id = %s", (area,))  # open: the row is being deleted
    outcome: list[BaseException | None] = []

    def write() -> None:
        try:
            writer.execute(INSERT, (parents["measure_id"], area))
            writer.commit()
            outcome.append(None)
        except psycopg.Error as exc:
            writer.rollback()
            outcome.append(exc)

    thread = threading.Thread(target=write)
    thread.start()
    deadline = time.monotonic() + 30
    while not _waiting(pg_engine, writer.info.backend_pid):  # the writer waits for the row lock
        assert thread.is_alive() and time.monotonic() < deadline
    deleter.commit()
    thread.join(30)
    assert isinstance(outcome[0], psycopg.errors.ForeignKeyViolation)
    assert _written(pg_engine, Observation) == 0
