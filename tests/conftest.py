"""Shared fixtures: fresh stores on SQLite and (when PG_TEST_URL is set) on a real PostgreSQL server."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, make_url

from monitoring.demo import generate_demo, load_demo
from monitoring.seed import load_seed
from monitoring.show import store_snapshot
from monitoring.store.db import create_schema, drop_schema, get_engine

PG_URL = os.environ.get("PG_TEST_URL")
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def is_test_database(name: str | None) -> bool:
    """The fixtures drop every table in PG_TEST_URL's database, so it must be named as a test one:
    ending in `_test` (CI's monitor_test) or containing `_test_` (monitor_test_<helper>)."""
    return bool(name) and (name.endswith("_test") or "_test_" in name)


def pytest_configure(config: pytest.Config) -> None:
    if PG_URL and not is_test_database(make_url(PG_URL).database):
        raise pytest.UsageError(
            f"PG_TEST_URL names the database '{make_url(PG_URL).database}'; the tests drop every "
            "table in it, so its name must end in '_test' or contain '_test_'."
        )


def backend_url(backend: str, tmp_path: Path) -> str:
    """Where a test's store lives: a SQLite file in tmp_path, or PG_TEST_URL's database."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'monitor.db'}"
    if not PG_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("REQUIRE_POSTGRES=1 but PG_TEST_URL is not set")
        pytest.skip("PostgreSQL tests skipped: set PG_TEST_URL (bash .ci/start-postgres)")
    return PG_URL


def empty_engine(backend: str, tmp_path: Path) -> Engine:
    """A store without any tables, on the chosen backend."""
    engine = get_engine(backend_url(backend, tmp_path))
    drop_schema(engine)
    return engine


def fresh_engine(backend: str, tmp_path: Path) -> Engine:
    """An empty store with the schema built by the migrations, on the chosen backend."""
    engine = empty_engine(backend, tmp_path)
    create_schema(engine)
    return engine


def session_store(
    factory: pytest.TempPathFactory, name: str, *fillers: Callable[[Engine], object]
) -> str:
    """A SQLite store file for the whole test session, filled by `fillers` in order."""
    url = f"sqlite:///{factory.mktemp(name) / 'monitor.db'}"
    engine = get_engine(url)
    create_schema(engine)
    for fill in fillers:
        fill(engine)
    return url


def load_demo_generated(engine: Engine) -> None:
    """The synthetic demo set generated from the store itself (tests never read data/samples)."""
    load_demo(engine, generate_demo(store_snapshot(engine, actor="test")))


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty store, once on SQLite and once on PostgreSQL."""
    yield fresh_engine(request.param, tmp_path)


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Engine:
    return fresh_engine("sqlite", tmp_path)


@pytest.fixture(scope="session")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store loaded from monitoring/data/seed once per test session (read-only for tests)."""
    return session_store(tmp_path_factory, "seeded", load_seed)


@pytest.fixture(scope="session")
def seeded_plans(seeded_url: str) -> dict[str, dict[str, Any]]:
    """slug -> plan dict in the `show --json` shape, from the seeded store."""
    return {p["slug"]: p for p in store_snapshot(get_engine(seeded_url), actor="test")["plans"]}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not PG_URL:
        terminalreporter.write_line(
            "NOTE: PostgreSQL integration tests were SKIPPED (PG_TEST_URL not set).", yellow=True
        )


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A seeded store with the synthetic demo set generated on the fly (not read from data/)."""
    return session_store(tmp_path_factory, "demo", load_seed, load_demo_generated)


# --- A small store for comparing areas (Sammenlign områder, alerts) -------------------------

COMPARE_YEARS = (2021, 2022, 2023, 2024, 2025)
COMPARE_AREAS = [
    # name, kind, code, parent
    ("Testby Kommune", "kommune", "999", None),
    ("Andeby Kommune", "kommune", "998", None),
    ("Løvparken", "boligomraade", None, "Testby Kommune"),
    ("Sundhøj", "boligomraade", None, "Testby Kommune"),
    ("Løvparken afd. 1", "afdeling", "1", "Løvparken"),
    ("Løvparken afd. 2", "afdeling", "2", "Løvparken"),
    ("Sundhøj afd. 7", "afdeling", "7", "Sundhøj"),
    ("Andeparken", "boligomraade", None, "Andeby Kommune"),
    ("Hele landet", "benchmark", None, None),
]
COMPARE_MEASURES = [
    # key, name, unit, direction
    ("employed", "Andel i beskæftigelse", "pct", 1),
    ("public_support", "Andel på offentlig forsørgelse", "pct", -1),
    ("income", "Gennemsnitlig husstandsindkomst", "dkk", 1),
    ("open_count", "Antal aktiviteter", "count", 0),
    ("milestone", "Netværk etableret", "status", 1),
]
S = "suppressed"
COMPARE_SERIES: dict[str, dict[str, list[object]]] = {
    # one value per COMPARE_YEARS; None = missing, S = suppressed
    "employed": {
        "Løvparken": [40, 41, 42, 43, 44],
        "Sundhøj": [50, 50, 49, 48, 45],
        "Løvparken afd. 1": [30, S, 31, 32, 33],
        "Løvparken afd. 2": [60, 58, 57, 56, 55],
        "Sundhøj afd. 7": [35, 36, 37, 39, 36.5],
        "Andeparken": [45, 45, 45, 45, 45],
        "Testby Kommune": [70, 70, 71, 71, 72],
        "Hele landet": [75, 75, 75, 76, 76],
    },
    "public_support": {
        "Løvparken": [31, None, 30, 30, 33],
        "Sundhøj": [20, 20, 20, 20, 19],
    },
    "income": {
        "Løvparken": [190_000, 200_000, 205_000, 200_000, 170_000],
        "Sundhøj": [250_000, 250_000, 250_000, 250_000, 250_000],
    },
    "open_count": {"Løvparken": [10, 5, 3, 2, 1]},
    "milestone": {"Løvparken": [0, 1, 1, 2, 2]},
}


def build_compare_store(engine: Engine) -> None:
    """Two kommuner, boligområder with afdelinger, a national benchmark, one plan, five measures."""
    from monitoring.names import match_key
    from monitoring.store.db import transaction
    from monitoring.store.models import Area, Measure, Observation, Plan, PlanArea

    with transaction(engine, user="test", action="compare-fixture") as tx:
        session = tx.session
        areas: dict[str, Area] = {}
        for name, kind, code, parent in COMPARE_AREAS:
            areas[name] = Area(
                name=name,
                kind=kind,
                code=code,
                match_key=match_key(name),
                parent=areas[parent] if parent else None,
            )
            session.add(areas[name])
        measures = {
            key: Measure(key=key, name=name, unit=unit, direction=direction, is_lbf=True)
            for key, name, unit, direction in COMPARE_MEASURES
        }
        session.add_all(measures.values())
        plan = Plan(
            slug="testplan",
            name="Testplanen",
            kommune=areas["Testby Kommune"],
            main_area=areas["Løvparken"],
        )
        session.add(plan)
        session.flush()
        session.add(PlanArea(plan_id=plan.id, area_id=areas["Løvparken"].id, position=1))
        for key, series in COMPARE_SERIES.items():
            for area_name, values in series.items():
                for year, value in zip(COMPARE_YEARS, values, strict=True):
                    state = "suppressed" if value == S else "missing" if value is None else "ok"
                    session.add(
                        Observation(
                            measure_id=measures[key].id,
                            area_id=areas[area_name].id,
                            year=year,
                            value=float(value) if state == "ok" else None,
                            state=state,
                            source="test",
                        )
                    )
        tx.audit("compare-fixture")


@pytest.fixture
def compare_engine(engine: Engine) -> Engine:
    """The comparison fixture store, once on SQLite and once on PostgreSQL."""
    build_compare_store(engine)
    return engine


@pytest.fixture(scope="session")
def compare_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The comparison fixture store as a SQLite file (read-only for tests)."""
    return session_store(tmp_path_factory, "compare", build_compare_store)
