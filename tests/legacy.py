"""A store as the release before migrations left it: its create_all DDL (frozen in tests/data/),
filled by today's writers (the columns are the same), with no alembic_version table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, insert, select

from monitoring.demo import generate_demo, load_demo
from monitoring.seed import load_seed
from monitoring.show import store_snapshot
from monitoring.store.models import (
    Area,
    ImportBatch,
    MappingMemory,
    Measure,
    Observation,
    ObservationChange,
)
from tests.conftest import empty_engine

DATA = Path(__file__).resolve().parent / "data"


def legacy_store(backend: str, tmp_path: Path) -> Engine:
    """The release 0.1 tables, empty, on the chosen backend."""
    engine = empty_engine(backend, tmp_path)
    ddl = (DATA / f"release_0_1.{engine.dialect.name}.sql").read_text(encoding="utf-8")
    with engine.begin() as connection:
        for statement in ddl.split(";\n"):
            if statement.strip():
                connection.exec_driver_sql(statement)
    return engine


def fill(engine: Engine) -> None:
    """Every kind of row: delaftaler and demo data written by today's code, and an import (batch,
    changed cell, remembered mapping) written as rows, since today's importer reads newer tables."""
    load_seed(engine)
    load_demo(engine, generate_demo(store_snapshot(engine, actor="test")))
    at = dt.datetime(2024, 3, 1, 12, 0)
    with engine.begin() as connection:
        measure, key = connection.execute(select(Measure.id, Measure.key).limit(1)).one()
        area = connection.scalar(select(Area.id).where(Area.kind == "boligomraade").limit(1))
        batch = connection.execute(
            insert(ImportBatch.__table__).values(
                kind="lbf",
                file_name="lbf_2024.xlsx",
                sha256="0" * 64,
                user="test",
                created_at=at,
                mapping={"Andel i job": key},
                rows_accepted=1,
                rows_rejected=0,
                status="committed",
                is_demo=False,
            )
        ).inserted_primary_key[0]
        cell = {"measure_id": measure, "area_id": area, "year": 2030}
        connection.execute(
            insert(Observation.__table__).values(**cell, value=41.5, state="ok", batch_id=batch)
        )
        connection.execute(
            insert(ObservationChange.__table__).values(**cell, batch_id=batch, existed=False)
        )
        connection.execute(
            insert(MappingMemory.__table__).values(
                label_key="andel i job",
                label="Andel i job",
                measure_key=key,
                confirmed_by="test",
                confirmed_at=at,
            )
        )


def contents(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (alembic's bookkeeping aside), in id order."""
    tables = MetaData()
    tables.reflect(engine)
    with engine.connect() as connection:
        return {
            name: [tuple(row) for row in connection.execute(select(table).order_by(table.c.id))]
            for name, table in tables.tables.items()
            if name != "alembic_version"
        }
