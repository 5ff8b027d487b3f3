"""Schema versions: the migrations build exactly the models' schema, adopt a store made by the
release before migrations with every row intact, and everything refuses a store that needs init."""

from __future__ import annotations

import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text, update
from sqlalchemy.exc import IntegrityError

from monitoring.errors import MonitorError
from monitoring.seed import load_seed
from monitoring.store import migrations
from monitoring.store.db import create_schema
from monitoring.store.migrations import StoreNotReady, store_status
from monitoring.store.models import (
    AREA_KINDS,
    STATES,
    UNITS,
    Area,
    Base,
    ImportBatch,
    Indicator,
    Measure,
    Observation,
    ObservationChange,
)
from tests.conftest import BACKENDS, empty_engine
from tests.legacy import contents, fill, legacy_store


def schema_diff(engine: Engine) -> list:
    """What differs between the models and the store; on PostgreSQL the bulk tables' foreign keys
    are triggers (0007, `migrations.compared`), which tests/test_set_based_keys.py checks."""
    with engine.connect() as connection:
        options = {"include_object": migrations.compared(engine.dialect.name)}
        return compare_metadata(MigrationContext.configure(connection, opts=options), Base.metadata)


USER_TABLES = {"app_user", "user_scope", "login_session"}  # 0005 and 0006, empty when upgraded


def kept_and_added(after: dict, before: dict) -> set[str]:
    """Every row that was there is there as it was; returns the tables added (all empty)."""
    assert {name: after[name] for name in before} == before
    added = set(after) - set(before)
    assert all(after[name] == [] for name in added)
    return added


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "monitoring", *args], capture_output=True, text=True
    )


def test_migrations_build_exactly_the_models_schema(engine):
    assert schema_diff(engine) == []
    assert migrations.current(engine) == migrations.head()


def test_the_cheap_head_check_reads_the_revisions_as_alembic_does():
    """Opening a store reads the revision files without alembic; they must agree, also after the
    revisions are re-chained (a head that is not alembic's would refuse every current store)."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrations.config())
    assert migrations.head() == scripts.get_current_head()
    assert migrations.revisions() == {
        script.revision: script.down_revision for script in scripts.walk_revisions()
    }


def test_a_store_with_two_versions_at_once_is_refused_in_danish(engine):
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO alembic_version (version_num) VALUES ('0001')"))
    with pytest.raises(MonitorError, match="flere skemaversioner"):
        migrations.require_current(engine)


def test_downgrade_to_nothing_and_up_again(engine):
    migrations.downgrade(engine, "base")
    assert inspect(engine).get_table_names() == ["alembic_version"]
    assert store_status(engine) == "empty"
    migrations.upgrade(engine)
    assert schema_diff(engine) == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_init_upgrades_a_store_of_the_release_before_migrations_and_keeps_every_row(
    backend, tmp_path
):
    engine = legacy_store(backend, tmp_path)
    fill(engine)
    before = contents(engine)
    url = engine.url.render_as_string(hide_password=False)

    refused = run_cli("show", "--json", "--db", url)
    assert refused.returncode == 1
    assert "skal opgraderes: kør 'python -m monitoring init'" in refused.stderr

    upgraded = run_cli("init", "--db", url)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "opgraderet" in upgraded.stdout and "0 helhedsplaner indlæst" in upgraded.stdout
    assert kept_and_added(contents(engine), before) == {
        "area_memory",
        "subgoal_comment",
        *USER_TABLES,
    }
    assert store_status(engine) == "current"
    assert schema_diff(engine) == []
    checks = {c["name"] for c in inspect(engine).get_check_constraints("observation")}
    assert "ck_observation_state" in checks
    assert run_cli("show", "--json", "--db", url).returncode == 0


def seeded_store_from_before_remembered_mappings(backend: str, tmp_path) -> Engine:
    engine = legacy_store(backend, tmp_path)
    load_seed(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE mapping_memory")
    return engine


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_store_from_before_remembered_mappings_gets_the_table(backend, tmp_path):
    engine = seeded_store_from_before_remembered_mappings(backend, tmp_path)
    before = contents(engine)
    assert create_schema(engine) == "outdated"
    assert kept_and_added(contents(engine), before) == {
        "mapping_memory",
        "area_memory",
        "subgoal_comment",
        *USER_TABLES,
    }
    assert schema_diff(engine) == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_unknown_code_stops_the_upgrade_and_changes_nothing(backend, tmp_path):
    engine = seeded_store_from_before_remembered_mappings(backend, tmp_path)
    with engine.begin() as connection:
        first = select(Observation.id).limit(1).scalar_subquery()
        connection.execute(update(Observation).where(Observation.id == first).values(state="?"))
    before = contents(engine)
    with pytest.raises(
        MonitorError, match="tabellen observation har værdien '\\?' i kolonnen state"
    ):
        create_schema(engine)
    # Before it reached observation, the upgrade had rebuilt area and measure with their checks
    # and created mapping_memory: all of it is rolled back, on SQLite too.
    assert contents(engine) == before
    assert inspect(engine).get_check_constraints("area") == []
    assert migrations.current(engine) is None


CHECKED = [
    (Area, "kind", AREA_KINDS),
    (Measure, "unit", UNITS),
    (Indicator, "unit", UNITS),
    (Observation, "state", STATES),
    (ObservationChange, "old_state", STATES),
]


def test_the_store_refuses_codes_outside_the_vocabulary(engine):
    load_seed(engine)
    with engine.begin() as connection:
        batch, measure, area = (
            connection.scalar(select(column).limit(1))
            for column in (ImportBatch.id, Measure.id, Area.id)
        )
        connection.execute(
            ObservationChange.__table__.insert().values(
                batch_id=batch, measure_id=measure, area_id=area, year=2020, existed=False
            )
        )
    for model, column, codes in CHECKED:
        first = select(model.id).order_by(model.id).limit(1).scalar_subquery()
        for code in codes:
            with engine.begin() as connection:
                connection.execute(update(model).where(model.id == first).values({column: code}))
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(update(model).where(model.id == first).values({column: "andet"}))


@pytest.mark.parametrize("backend", BACKENDS)
def test_empty_and_newer_stores_are_refused_in_danish(backend, tmp_path):
    engine = empty_engine(backend, tmp_path)
    with pytest.raises(StoreNotReady) as refused:
        migrations.require_current(engine)
    assert str(refused.value) == "Databasen er tom. Kør først 'python -m monitoring init'."
    create_schema(engine)
    migrations.require_current(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreNotReady, match="nyere version af Indikatormonitor") as newer:
        create_schema(engine)
    assert newer.value.status == "newer"
    assert migrations.current(engine) == "9999"
