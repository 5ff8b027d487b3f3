"""The Delaftaler page lists every plan's delmål and indikatorer as the delaftale states them."""

import pytest

from monitoring.seed import seed_files
from tests.ui.text import reading_tables

PAGE = "app_pages/delaftaler.py"


def test_delaftaler_on_empty_store_says_how_to_load(run_page, empty_url):
    at = run_page(PAGE, empty_url)
    assert not at.exception
    assert "monitoring init" in at.info[0].value


@pytest.mark.parametrize("store", ["seeded_url", "demo_url"])
def test_delaftaler_lists_every_plan_with_its_indicators(run_page, request, seeded_plans, store):
    at = run_page(PAGE, request.getfixturevalue(store))
    assert not at.exception
    labels = [e.label for e in at.expander]
    assert len(labels) == len(seed_files())
    for plan in seeded_plans.values():
        assert any(plan["name"] in label for label in labels)
    tables = reading_tables(at)  # the read-only view, the page's default
    total = sum(
        len(s["indicators"])
        for p in seeded_plans.values()
        for a in p["agreements"]
        for s in a["subgoals"]
    )
    assert sum(len(t) for t in tables) == total
    assert list(tables[0].columns) == [
        "Indikator",
        "Mål",
        "Baseline",
        "Anden baseline",
        "Retning",
        "Enhed",
        "Datakilde",
    ]
