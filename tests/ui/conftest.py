"""Streamlit AppTest helpers: run a page of app.py against a chosen store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from monitoring.seed import load_seed
from monitoring.store.db import create_schema, get_engine
from tests.ui.browser import CHROMIUM_ARGS, chromium_path

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def run_page(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """Run one page of the app on the store at `url`, with optional query parameters."""

    def run(page: str, url: str, **query: str) -> AppTest:
        monkeypatch.setenv("DATABASE_URL", url)
        at = AppTest.from_file(APP, default_timeout=30)
        for key, value in query.items():
            at.query_params[key] = value
        at.switch_page(page)
        return at.run()

    return run


@pytest.fixture
def empty_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'empty.db'}"


@pytest.fixture
def store(tmp_path: Path) -> tuple[str, Engine]:
    """A seeded SQLite store of its own: (url, engine), for pages that write."""
    url = f"sqlite:///{tmp_path / 'upload.db'}"
    engine = get_engine(url)
    create_schema(engine)
    load_seed(engine)
    return url, engine


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium through Playwright, one per test module (skipped without it)."""
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
