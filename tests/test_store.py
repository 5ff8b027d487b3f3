"""The store on SQLite and PostgreSQL: schema, seed loading, idempotence, constraints."""

import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Integer, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from monitoring import ingest
from monitoring.demo import generate_demo, load_demo
from monitoring.manual_entry import changed_cells, entry_file, entry_grid
from monitoring.seed import MEASURES_FILE, SEED_DIR, load_seed, seed_files
from monitoring.show import store_snapshot
from monitoring.store.db import change_stamp, create_schema, drop_schema, transaction
from monitoring.store.models import Area, AuditEvent, ImportBatch, Measure, Observation

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "lbf_tidsserie_oesterbro.xlsx"


def test_seed_loads_every_plan(engine):
    report = load_seed(engine)
    assert sorted(report.loaded) == sorted(p.stem for p in seed_files())
    assert report.conflicts == []
    assert len(store_snapshot(engine, actor="test")["plans"]) == len(seed_files())


def test_seed_twice_changes_nothing(engine):
    load_seed(engine)
    before, stamp = store_snapshot(engine, actor="test"), change_stamp(engine)
    report = load_seed(engine)
    assert report.loaded == []
    assert store_snapshot(engine, actor="test") == before
    assert change_stamp(engine) == stamp


def test_rebuild_after_drop_gives_same_content(engine):
    load_seed(engine)
    before = store_snapshot(engine, actor="test")
    drop_schema(engine)
    create_schema(engine)
    load_seed(engine)
    assert store_snapshot(engine, actor="test") == before


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
    before, stamp = store_snapshot(engine, actor="test"), change_stamp(engine)
    with pytest.raises(RuntimeError), transaction(engine, user="test", action="broken") as tx:
        tx.session.add(Area(name="Halvt skrevet", kind="boligomraade", match_key="halvt"))
        tx.session.flush()
        raise RuntimeError("boom")
    assert store_snapshot(engine, actor="test") == before
    assert change_stamp(engine) == stamp


def _import(engine, user: str, data: bytes, file_name: str) -> int:
    result = ingest.commit(engine, ingest.read_upload(engine, data, file_name), user=user)
    assert result.batch_id is not None
    return result.batch_id


def _sample(engine, user: str) -> int:
    return _import(engine, user, SAMPLE.read_bytes(), SAMPLE.name)


def _manual_entry(engine, user: str) -> int:
    plan = next(
        p
        for p in store_snapshot(engine, actor="test")["plans"]
        if p["slug"] == "holstebro-trekanten"
    )
    grid = entry_grid(plan, [2022])
    edited = grid.copy()
    edited.iloc[0, edited.columns.get_loc("2022")] = "12"
    return _import(engine, user, entry_file(changed_cells(grid, edited)), "indtastning.csv")


def _undo(engine, user: str) -> int:
    batch_id = _sample(engine, "anna")
    ingest.undo(engine, batch_id, user=user)
    return batch_id


def _demo(engine, user: str) -> int:
    load_demo(engine, generate_demo(store_snapshot(engine, actor="test")), user=user)
    with Session(engine) as session:
        return session.scalar(select(func.max(ImportBatch.id)).where(ImportBatch.is_demo))


# kind of write -> (what it does, returning the batch it wrote, the audit action it must leave)
WRITES = {
    "import": (_sample, "import-lbf"),
    "manual entry": (_manual_entry, "import-lbf"),
    "undo": (_undo, "undo-import"),
    "demo": (_demo, "demo"),
}


def _events(engine, after: int) -> list[tuple[str, str, str | None, str]]:
    with Session(engine) as session:
        query = select(AuditEvent).where(AuditEvent.id > after).order_by(AuditEvent.id)
        return [(e.action, e.entity, e.entity_id, e.user) for e in session.scalars(query)]


def test_seed_is_audited_plan_by_plan(engine):
    report = load_seed(engine)
    assert _events(engine, 0) == [("seed", "plan", slug, "init") for slug in report.loaded]


@pytest.mark.parametrize("kind", WRITES)
def test_every_kind_of_write_is_audited(engine, kind):
    load_seed(engine)
    write, action = WRITES[kind]
    stamp = change_stamp(engine)
    batch_id = write(engine, "bo")
    assert _events(engine, stamp)[-1] == (action, "import_batch", str(batch_id), "bo")
    with Session(engine) as session:
        unaudited = select(ImportBatch.id).where(
            ImportBatch.kind != "seed",
            ImportBatch.id.not_in(
                select(func.cast(AuditEvent.entity_id, Integer)).where(
                    AuditEvent.entity == "import_batch"
                )
            ),
        )
        assert session.scalars(unaudited).all() == []


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


def _seed_dir_with(tmp_path, slug, change):
    """A seed folder holding the shared measures and one plan, edited by `change(content)`."""
    folder = tmp_path / "seed"
    folder.mkdir(exist_ok=True)
    shutil.copy(SEED_DIR / MEASURES_FILE, folder / MEASURES_FILE)
    content = yaml.safe_load((SEED_DIR / f"{slug}.yaml").read_text(encoding="utf-8"))
    change(content)
    text = yaml.safe_dump(content, allow_unicode=True, sort_keys=False)
    (folder / f"{slug}.yaml").write_text(text, encoding="utf-8")
    return folder


def _seed_cells(engine, measure_key):
    with Session(engine) as session:
        rows = session.execute(
            select(Area.name, Observation.year, Observation.value, Observation.source)
            .join(Area, Observation.area_id == Area.id)
            .join(Measure, Observation.measure_id == Measure.id)
            .where(Measure.key == measure_key)
        )
        return {(name, year): (value, source) for name, year, value, source in rows}


def test_reseed_follows_corrections_and_leaves_other_figures_alone(engine, tmp_path):
    """A borrowed year taken out and a corrected value reach a store seeded from the old file."""
    slug = "guldborgsund-mit-liv"

    def old_version(content):
        employed = content["agreement"]["subgoals"][0]["indicators"][0]
        employed["baseline"]["value"] = 41.0  # a typo, corrected later
        youth = content["agreement"]["subgoals"][2]["indicators"][1]
        youth["baseline"]["year"] = 2020  # the year borrowed from the row above
        for comp in youth["comparators"]:
            comp["year"] = 2020

    load_seed(engine, _seed_dir_with(tmp_path, slug, old_version))
    assert set(_seed_cells(engine, "youth_education_25_34")) == {
        ("Østerbro", 2020),
        ("Guldborgsund Kommune", 2020),
        ("Andre almene boligområder i Guldborgsund Kommune", 2020),
    }
    # a figure from a file replaces one of the seeded cells
    with Session(engine) as session, session.begin():
        kommune_cell = session.scalar(
            select(Observation)
            .join(Area, Observation.area_id == Area.id)
            .join(Measure, Observation.measure_id == Measure.id)
            .where(Measure.key == "youth_education_25_34", Area.name == "Guldborgsund Kommune")
        )
        kommune_cell.value, kommune_cell.source, kommune_cell.batch_id = 72.3, "Upload: x", None

    report = load_seed(engine, _seed_dir_with(tmp_path, slug, lambda content: None))
    assert report.loaded == [slug]
    assert _seed_cells(engine, "youth_education_25_34") == {
        ("Guldborgsund Kommune", 2020): (72.3, "Upload: x"),
    }
    assert _seed_cells(engine, "employed_18_64")[("Østerbro", 2021)] == (40.0, "Delaftale")
    fresh = store_snapshot(engine, actor="test")
    assert load_seed(engine, _seed_dir_with(tmp_path, slug, lambda content: None)).loaded == []
    assert store_snapshot(engine, actor="test") == fresh


def test_fixtures_touch_only_a_database_named_as_a_test_one():
    from tests.conftest import is_test_database

    names = ["monitor_test", "monitor_test_arch", "monitor", "test", "monitor_testing", None, ""]
    assert [n for n in names if is_test_database(n)] == ["monitor_test", "monitor_test_arch"]
