"""A store as the release before migrations left it: its create_all DDL (frozen in tests/data/),
filled by today's writers (the columns are the same), with no alembic_version table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, select

from monitoring import ingest
from monitoring.demo import generate_demo, load_demo
from monitoring.seed import load_seed
from monitoring.show import store_snapshot
from tests.conftest import empty_engine

DATA = Path(__file__).resolve().parent / "data"
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


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
    """Every kind of row: delaftaler, an import (batch, changes, remembered mapping), demo data."""
    load_seed(engine)
    sample = SAMPLES / "lbf_tidsserie_oesterbro.xlsx"
    upload = ingest.read_upload(engine, sample.read_bytes(), sample.name)
    ingest.commit(engine, upload, user="test")
    load_demo(engine, generate_demo(store_snapshot(engine)))


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
