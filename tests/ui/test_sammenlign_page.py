"""Sammenlign områder in AppTest: ranking order, alert list, filters and views from the URL."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from monitoring.store.db import create_schema, get_engine
from tests.conftest import build_compare_store
from tests.ui.text import reading_tables

PAGE = "app_pages/sammenlign.py"
VIEWS = ["Rangering", "Små grafer", "Varmetabel", "Negativ udvikling", "Planer side om side"]
RANKING_2025 = [
    "Løvparken afd. 2",
    "Andeparken",
    "Sundhøj",
    "Løvparken",
    "Sundhøj afd. 7",
    "Løvparken afd. 1",
]


def frames(at) -> list[pd.DataFrame]:
    """Every table on the page: data grids (rankings, alerts) and reading tables (plans)."""
    return [element.value for element in at.dataframe] + reading_tables(at)


def table_with(at, column: str) -> pd.DataFrame:
    found = [frame for frame in frames(at) if column in frame.columns]
    assert found, f"no table with column {column!r}"
    return found[0]


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [i.value for i in at.info] + [s.value for s in at.success]
    parts += [s.value for s in at.subheader]
    return "\n".join(str(p) for p in parts)


def chart_markup(at) -> str:
    """The page's first inline SVG chart (`monitoring.present.svg_chart`)."""
    charts = [m.value for m in at.markdown if m.value.startswith('<div class="monitor-chart">')]
    assert charts, "no chart on the page"
    return charts[0]


def test_empty_store_explains_what_to_do(run_page, empty_url):
    at = run_page(PAGE, empty_url)
    assert not at.exception
    assert "monitoring init" in at.info[0].value


@pytest.mark.parametrize("store", ["seeded_url", "demo_url", "compare_url"])
@pytest.mark.parametrize("view", VIEWS)
def test_every_view_renders_on_every_store(run_page, request, store, view):
    at = run_page(PAGE, request.getfixturevalue(store), view=view)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Sammenlign områder"
    assert not at.error


def test_ranking_is_best_first_with_danish_numbers(run_page, compare_url):
    at = run_page(PAGE, compare_url)
    assert not at.exception
    assert at.selectbox(key="measure").value == "employed"  # the measure with most areas
    ranking = table_with(at, "Placering")
    assert list(ranking["Område"]) == RANKING_2025
    assert list(ranking["Placering"]) == ["1.", "2.", "2.", "4.", "5.", "6."]
    assert list(ranking["Værdi"])[:3] == ["55,0 %", "45,0 %", "45,0 %"]
    # The chart's bars top to bottom in the table's order: best first.
    labels = re.findall(r'<g id="ytick_\d+">.*?<text[^>]*>([^<]*)</text>', chart_markup(at))
    assert labels == RANKING_2025


def test_small_multiples_have_a_year_axis_and_danish_values(run_page, compare_url):
    markup = chart_markup(run_page(PAGE, compare_url, view="Små grafer"))
    years = re.findall(r'<g id="xtick_\d+">.*?<text[^>]*>([^<]*)</text>', markup)
    assert years and all(re.fullmatch(r"20\d\d", year) for year in years), years
    assert any(
        re.search(r"&#10;20\d\d: \d+,\d %", t) for t in re.findall(r"<title>(.*?)</title>", markup)
    )


def test_lower_is_better_ranks_the_lowest_first(run_page, compare_url):
    at = run_page(PAGE, compare_url, measure="Andel på offentlig forsørgelse")
    assert not at.exception
    assert list(table_with(at, "Placering")["Område"]) == ["Sundhøj", "Løvparken"]


def test_plan_filter_from_the_url_shows_the_plans_areas(run_page, compare_url):
    at = run_page(PAGE, compare_url, plan="Testplanen")
    assert not at.exception
    ranking = table_with(at, "Placering")
    assert list(ranking["Område"]) == ["Løvparken afd. 2", "Løvparken", "Løvparken afd. 1"]
    markup = chart_markup(at)
    assert "Testby Kommune: 72,0 %" in markup and "Hele landet: 76,0 %" in markup


def test_search_from_the_url_narrows_the_areas(run_page, compare_url):
    at = run_page(PAGE, compare_url, q="sundhoej")
    assert list(table_with(at, "Placering")["Område"]) == ["Sundhøj", "Sundhøj afd. 7"]


def test_alert_list_for_one_measure_and_for_all(run_page, compare_url):
    at = run_page(PAGE, compare_url, view="Negativ udvikling")
    assert not at.exception
    alerts = table_with(at, "Ændring 1 år")
    assert list(alerts["Område"]) == ["Sundhøj", "Sundhøj afd. 7"]
    assert alerts["Ændring 3 år"].iloc[0] == "-5,0 procentpoint ⚠"
    # The series opens above the same alert list: the link keeps the view.
    assert (
        alerts["Serie"].iloc[0].startswith("sammenlign?view=Negativ+udvikling&measure=Andel+i+besk")
    )
    at = run_page(PAGE, compare_url, view="Negativ udvikling", alle="true")
    alerts = table_with(at, "Ændring 1 år")
    assert list(alerts["Område"]) == ["Løvparken", "Sundhøj", "Løvparken", "Sundhøj afd. 7"]
    assert list(alerts["Mål"])[:2] == ["Gennemsnitlig husstandsindkomst", "Andel i beskæftigelse"]
    assert "4 med negativ udvikling" in texts(at)


def test_alert_thresholds_come_from_the_page(run_page, compare_url):
    at = run_page(PAGE, compare_url, view="Negativ udvikling", pp1="2.6")
    assert at.selectbox(key="url_pp1").value == pytest.approx(2.6)
    assert list(table_with(at, "Ændring 1 år")["Område"]) == ["Sundhøj"]
    at.selectbox(key="url_pp1").set_value(0.5).run()
    at.selectbox(key="url_pp3").set_value(10.0).run()
    assert not at.exception
    assert list(table_with(at, "Ændring 1 år")["Område"]) == [
        "Sundhøj",
        "Sundhøj afd. 7",
        "Løvparken afd. 2",
    ]


def test_alert_link_opens_the_areas_series(run_page, compare_url):
    at = run_page(PAGE, compare_url, view="Negativ udvikling")
    link = table_with(at, "Ændring 1 år")["Serie"].iloc[0]
    query = dict(part.split("=", 1) for part in link.split("?", 1)[1].split("&"))
    at = run_page(PAGE, compare_url, area=query["area"])
    assert not at.exception
    assert "Serie for Sundhøj" in texts(at)


def test_heat_table_and_small_multiples(run_page, compare_url):
    at = run_page(PAGE, compare_url, view="Varmetabel")
    assert not at.exception
    heat = frames(at)[0]
    assert list(heat.columns) == ["2021", "2022", "2023", "2024", "2025"]
    assert len(heat) == 6
    at = run_page(PAGE, compare_url, view="Små grafer", index="true")
    assert not at.exception
    assert at.toggle(key="index").value is True
    assert "Indeksbasis er områdets første år med et tal" in texts(at)


def test_plans_side_by_side_on_the_demo_store(run_page, demo_url, seeded_plans):
    at = run_page(PAGE, demo_url, view="Planer side om side", statusaar="2024")
    assert not at.exception
    summary = table_with(at, "Indikatorer")
    assert sorted(summary["Helhedsplan"]) == sorted(p["name"] for p in seeded_plans.values())
    assert set(summary["Statusår"]) == {"2024"}  # as written on the screen
    assert summary["Indikatorer"].astype(int).sum() == sum(
        len(s["indicators"])
        for p in seeded_plans.values()
        for a in p["agreements"]
        for s in a["subgoals"]
    )


def test_all_measures_disables_the_measure_choice_and_keeps_it(run_page, compare_url):
    at = run_page(
        PAGE, compare_url, view="Negativ udvikling", measure="Andel på offentlig forsørgelse"
    )
    assert not at.selectbox(key="measure").disabled
    at.toggle(key="alle").set_value(True).run()
    assert not at.exception
    assert at.selectbox(key="measure").disabled  # every measure is listed: one does not apply
    at.toggle(key="alle").set_value(False).run()
    assert not at.selectbox(key="measure").disabled
    assert at.selectbox(key="measure").value == "public_support"


def test_the_rarer_filters_are_built_only_when_open_or_set(run_page, compare_url):
    at = run_page(PAGE, compare_url)
    assert not at.exception
    assert not at.multiselect and not at.text_input and not at.number_input  # closed, unset
    assert len(table_with(at, "Placering")) == 6  # the defaults apply: every area kind
    at.session_state["more_filters"] = True  # the reader opens *Flere filtre*
    at.run()
    assert [w.key for w in at.multiselect] == ["kinds"]
    assert [w.key for w in at.text_input] == ["q"]
    at.text_input(key="q").set_value("sundhoej").run()
    assert list(table_with(at, "Placering")["Område"]) == ["Sundhøj", "Sundhøj afd. 7"]
    at.query_params["q"] = "sundhoej"  # as the browser does for a bound widget (AppTest does not)
    at.session_state["more_filters"] = False  # closed again: a filter that is set stays in force
    at.run()
    assert [w.key for w in at.text_input] == ["q"]
    assert list(table_with(at, "Placering")["Område"]) == ["Sundhøj", "Sundhøj afd. 7"]


def test_the_thresholds_are_built_when_opened_and_always_stated(run_page, compare_url):
    at = run_page(PAGE, compare_url, view="Negativ udvikling")
    assert not at.exception
    assert not [s for s in at.selectbox if s.label.startswith("Tærskel")]  # closed, unset
    stated = "Tærskler: 2,0 procentpoint på 1 år og 4,0 procentpoint på 3 år for andele"
    assert any(c.value.startswith(stated) for c in at.caption)
    at.session_state["thresholds_open"] = True  # the reader opens *Tærskler*
    at.run()
    assert len([s for s in at.selectbox if s.label.startswith("Tærskel")]) == 4
    at.selectbox(key="url_pp1").set_value(0.5).run()
    assert any(c.value.startswith("Tærskler: 0,5 procentpoint på 1 år") for c in at.caption)
    at.session_state["thresholds_open"] = False  # closed again: the threshold set stays
    at.run()
    assert at.selectbox(key="url_pp1").value == pytest.approx(0.5)


def _with_many_afdelinger(engine, count: int) -> None:
    """`count` more afdelinger in Løvparken, each with this year's employment share."""
    from monitoring.names import match_key
    from monitoring.store.db import transaction
    from monitoring.store.models import Area, Measure, Observation

    with transaction(engine, user="test", action="many-afdelinger") as tx:
        session = tx.session
        parent = session.query(Area).filter_by(name="Løvparken").one()
        measure = session.query(Measure).filter_by(key="employed").one()
        for number in range(count):
            name = f"Løvparken afd. {100 + number}"
            area = Area(name=name, kind="afdeling", match_key=match_key(name), parent=parent)
            session.add(area)
            session.flush()
            session.add(
                Observation(
                    measure_id=measure.id, area_id=area.id, year=2025, value=40 + number % 30
                )
            )


def test_a_national_ranking_is_a_data_grid(run_page, tmp_path):
    """Up to a few hundred areas the ranking is a table of text; beyond, a data grid that
    draws only the rows in view."""
    url = f"sqlite:///{tmp_path / 'many.db'}"
    engine = get_engine(url)
    create_schema(engine)
    build_compare_store(engine)
    _with_many_afdelinger(engine, 400)
    at = run_page(PAGE, url, measure="Andel i beskæftigelse")
    assert not at.exception
    assert not [t for t in reading_tables(at) if "Placering" in t.columns]
    [grid] = [d.value for d in at.dataframe if "Placering" in d.value.columns]
    assert len(grid) > 400
