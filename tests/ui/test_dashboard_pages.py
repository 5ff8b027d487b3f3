"""Overblik and Helhedsplan in AppTest: empty, seeded and demo stores; values; query parameters."""

import pytest

from monitoring.seed import load_seed
from monitoring.store.db import create_schema, get_engine
from tests.conftest import load_demo_generated

OVERBLIK = "app_pages/overblik.py"
PLAN = "app_pages/helhedsplan.py"
GULDBORGSUND = "guldborgsund-mit-liv"


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.metric]
    parts += (
        [m.label for m in at.metric] + [h.value for h in at.header] + [t.value for t in at.title]
    )
    parts += [s.value for s in at.subheader] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts).replace("\u00a0", " ")  # "40,0 %" keeps together


@pytest.mark.parametrize("page", [OVERBLIK, PLAN])
def test_page_on_empty_store_explains_what_to_do(run_page, empty_url, page):
    at = run_page(page, empty_url)
    assert not at.exception
    assert "monitoring init" in at.info[0].value


@pytest.mark.parametrize("store", ["seeded_url", "demo_url"])
def test_overblik_lists_every_plan(run_page, request, seeded_plans, store):
    at = run_page(OVERBLIK, request.getfixturevalue(store))
    assert not at.exception
    shown = [s.value for s in at.subheader]
    assert sorted(shown) == sorted(p["name"] for p in seeded_plans.values())
    assert ("Demodata" in "\n".join(w.value for w in at.warning)) == (store == "demo_url")


@pytest.mark.parametrize("store", ["seeded_url", "demo_url"])
def test_helhedsplan_renders_every_plan(run_page, request, seeded_plans, store):
    for slug, plan in seeded_plans.items():
        at = run_page(PLAN, request.getfixturevalue(store), plan=slug)
        assert not at.exception, slug
        assert at.title[0].value == plan["name"]
        subgoals = [s for a in plan["agreements"] for s in a["subgoals"]]
        assert len(at.header) == len(subgoals)


def test_helhedsplan_shows_guldborgsund_employment_baseline_and_kommune(run_page, seeded_url):
    at = run_page(PLAN, seeded_url, plan=GULDBORGSUND)
    assert not at.exception
    text = _texts(at)
    assert "40,0 %" in text
    assert "71,0 %" in text


def test_helhedsplan_year_comes_from_the_query_string(run_page, demo_url):
    at = run_page(PLAN, demo_url, plan=GULDBORGSUND, year="2023")
    assert not at.exception
    assert at.selectbox(key="url_year").value == 2023
    assert "Statusår **2023**" in _texts(at)


def test_an_unknown_plan_in_the_link_is_said_not_silently_replaced(run_page, seeded_url):
    at = run_page(PLAN, seeded_url, plan="findes-ikke")
    assert not at.exception
    assert "ingen helhedsplan med adressen »findes-ikke«" in at.warning[0].value


def test_plan_and_year_are_remembered_across_pages(run_page, demo_url):
    at = run_page(PLAN, demo_url, plan="holstebro-trekanten", year="2022")
    at.switch_page(OVERBLIK).run()
    at.query_params.clear()
    at.switch_page(PLAN).run()
    assert not at.exception
    assert at.selectbox(key="url_plan").value == "holstebro-trekanten"
    assert at.selectbox(key="url_year").value == 2022


def test_a_plan_that_has_ended_is_judged_in_its_last_year_by_default(run_page, demo_url):
    at = run_page(PLAN, demo_url, plan="holstebro-trekanten")  # 2021-2024, demo data to 2025
    assert at.selectbox(key="url_year").value == 2024


def test_a_write_clears_the_page_cache(run_page, tmp_path):
    url = f"sqlite:///{tmp_path / 'write.db'}"
    engine = get_engine(url)
    create_schema(engine)
    load_seed(engine)
    at = run_page(OVERBLIK, url)
    assert not at.warning
    load_demo_generated(engine)
    at.run()
    assert "Demodata" in at.warning[0].value


@pytest.mark.parametrize("page", [OVERBLIK, PLAN, "app_pages/sammenlign.py", "app_pages/upload.py"])
def test_pages_run_on_both_backends(run_page, engine, page):
    load_seed(engine)
    load_demo_generated(engine)
    at = run_page(page, engine.url.render_as_string(hide_password=False), plan=GULDBORGSUND)
    assert not at.exception
    if page == "app_pages/upload.py":
        assert at.title[0].value == "Upload data"
    else:
        assert "Demodata" in at.warning[0].value


@pytest.mark.parametrize("store", ["seeded_url", "demo_url"])
def test_a_plan_without_figures_says_so_once_at_the_top(run_page, request, store):
    at = run_page(PLAN, request.getfixturevalue(store), plan=GULDBORGSUND)
    assert not at.exception
    notes = [i.value for i in at.info if "har tal efter baseline endnu" in i.value]
    # Only baselines (the seed): said once, with where the figures come from; the demo has some.
    assert len(notes) == (store == "seeded_url")
    assert all("Upload data" in note for note in notes)
