"""The store on SQLite and PostgreSQL: schema, seed loading, idempotence, constraints."""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from monitoring.db import change_stamp, create_schema, drop_schema, transaction
from monitoring.models import Area, AuditEvent, Measure, Observation
from monitoring.seed import load_seed, seed_files
from monitoring.show import store_snapshot


def test_seed_loads_every_plan(engine):
    report = load_seed(engine)
    assert sorted(report.loaded) == sorted(p.stem for p in seed_files())
    assert report.conflicts == []
    assert len(store_snapshot(engine)["plans"]) == len(seed_files())


def test_seed_twice_changes_nothing(engine):
    load_seed(engine)
    before, stamp = store_snapshot(engine), change_stamp(engine)
    report = load_seed(engine)
    assert report.loaded == []
    assert store_snapshot(engine) == before
    assert change_stamp(engine) == stamp


def test_rebuild_after_drop_gives_same_content(engine):
    load_seed(engine)
    before = store_snapshot(engine)
    drop_schema(engine)
    create_schema(engine)
    load_seed(engine)
    assert store_snapshot(engine) == before


def test_observation_cell_is_unique(engine):
    load_seed(engine)
    with Session(engine) as session:
        measure_id = session.scalar(select(Measure.id).limit(1))
        area_id = session.scalar(select(Area.id).limit(1))
        session.add(Observation(measure_id=measure_id, area_id=area_id, year=1999, value=1))
        session.add(Observation(measure_id=measure_id, area_id=area_id, year=1999, value=2))
        with pytest.raises(IntegrityError):
            session.commit()


def test_failed_write_leaves_nothing_behind(engine):
    load_seed(engine)
    before, stamp = store_snapshot(engine), change_stamp(engine)
    with pytest.raises(RuntimeError), transaction(engine, user="test", action="broken") as tx:
        tx.session.add(Area(name="Halvt skrevet", kind="boligomraade", match_key="halvt"))
        tx.session.flush()
        raise RuntimeError("boom")
    assert store_snapshot(engine) == before
    assert change_stamp(engine) == stamp


def test_every_write_is_audited(engine):
    load_seed(engine)
    with Session(engine) as session:
        actions = set(session.scalars(select(AuditEvent.action)))
        assert actions == {"seed"}
        assert session.scalar(select(func.count(AuditEvent.id))) == len(seed_files())


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_engine):
    with sqlite_engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_same_area_name_under_another_parent_is_refused_not_merged(engine):
    from monitoring.errors import MonitorError
    from monitoring.seed import upsert_area

    with Session(engine) as session:
        aalborg = upsert_area(session, "Aalborg Kommune", "kommune", code="851")
        horsens = upsert_area(session, "Horsens Kommune", "kommune", code="615")
        upsert_area(session, "Østerbro", "boligomraade", parent=aalborg)
        with pytest.raises(MonitorError, match="findes allerede under 'Aalborg Kommune'"):
            upsert_area(session, "Østerbro", "boligomraade", parent=horsens)
