"""The app does not touch a store that needs `init`: every page stops with the one sentence."""

import pytest

from tests.legacy import fill, legacy_store

PAGES = [
    "app_pages/overblik.py",
    "app_pages/helhedsplan.py",
    "app_pages/sammenlign.py",
    "app_pages/upload.py",
    "app_pages/delaftaler.py",
]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_refuses_a_store_that_needs_upgrading(run_page, tmp_path, page):
    engine = legacy_store("sqlite", tmp_path)
    fill(engine)
    at = run_page(page, engine.url.render_as_string())
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Databasen er lavet af en ældre version af Indikatormonitor og skal opgraderes: "
        "kør 'python -m monitoring init' (tallene bevares)."
    ]
    assert not at.subheader and not at.dataframe
