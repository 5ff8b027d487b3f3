"""Shared fixtures: fresh stores on SQLite and (when PG_TEST_URL is set) on a real PostgreSQL server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from monitoring.db import create_schema, drop_schema, get_engine
from monitoring.demo import generate_demo, load_demo
from monitoring.seed import load_seed
from monitoring.show import store_snapshot

PG_URL = os.environ.get("PG_TEST_URL")
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _postgres_engine() -> Engine:
    if not PG_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("REQUIRE_POSTGRES=1 but PG_TEST_URL is not set")
        pytest.skip("PostgreSQL tests skipped: set PG_TEST_URL (bash .ci/start-postgres)")
    engine = get_engine(PG_URL)
    drop_schema(engine)
    return engine


def fresh_engine(backend: str, tmp_path: Path) -> Engine:
    """An empty store with the schema created, on the chosen backend."""
    engine = (
        _postgres_engine()
        if backend == "postgresql"
        else get_engine(f"sqlite:///{tmp_path / 'monitor.db'}")
    )
    create_schema(engine)
    return engine


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty store, once on SQLite and once on PostgreSQL."""
    yield fresh_engine(request.param, tmp_path)


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Engine:
    return fresh_engine("sqlite", tmp_path)


@pytest.fixture(scope="session")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store loaded from data/seed once per test session (read-only for tests)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'monitor.db'}"
    engine = get_engine(url)
    create_schema(engine)
    load_seed(engine)
    return url


@pytest.fixture(scope="session")
def seeded_plans(seeded_url: str) -> dict[str, dict[str, Any]]:
    """slug -> plan dict in the `show --json` shape, from the seeded store."""
    return {p["slug"]: p for p in store_snapshot(get_engine(seeded_url))["plans"]}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not PG_URL:
        terminalreporter.write_line(
            "NOTE: PostgreSQL integration tests were SKIPPED (PG_TEST_URL not set).", yellow=True
        )


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A seeded store with the synthetic demo set generated on the fly (not read from data/)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'monitor.db'}"
    engine = get_engine(url)
    create_schema(engine)
    load_seed(engine)
    load_demo(engine, generate_demo(store_snapshot(engine)))
    return url
