"""Indicator card charts: series roles, colours, axes and honest gaps (pure plotly, no Streamlit)."""

import datetime as dt
import re

from monitoring.present.charts import AREA_COLOUR, KOMMUNE_COLOUR, TARGET_COLOUR, indicator_figure

PERIOD = (dt.date(2022, 8, 1), dt.date(2026, 8, 1))


def _indicator(unit="pct", observations=None, **extra):
    indicator = {
        "unit": unit,
        "area": "Østerbro",
        "baseline": {"value": 40.0, "year": 2021},
        "target": None,
        "deadline": None,
        "comparators": [
            {
                "label": "Hele kommunen",
                "area": "Guldborgsund Kommune",
                "area_kind": "kommune",
                "value": 71.0,
                "year": 2021,
            },
        ],
        "observations": observations
        if observations is not None
        else [
            {"area": "Østerbro", "year": 2021, "value": 40.0, "state": "ok"},
            {"area": "Østerbro", "year": 2022, "value": None, "state": "suppressed"},
            {"area": "Østerbro", "year": 2023, "value": 42.5, "state": "ok"},
            {"area": "Guldborgsund Kommune", "year": 2021, "value": 71.0, "state": "ok"},
            {"area": "Guldborgsund Kommune", "year": 2023, "value": 71.4, "state": "ok"},
        ],
    }
    indicator.update(extra)
    return indicator


def _trace(figure, name):
    return next(t for t in figure.data if t.name == name)


def test_area_is_solid_blue_and_kommune_dashed_orange():
    figure = indicator_figure(_indicator(), PERIOD)
    area, kommune = _trace(figure, "Østerbro"), _trace(figure, "Hele kommunen")
    assert area.line.color == AREA_COLOUR and area.line.dash == "solid"
    assert kommune.line.color == KOMMUNE_COLOUR and kommune.line.dash == "dash"


def test_suppressed_year_is_a_gap_never_a_zero_nor_a_bridge():
    area = _trace(indicator_figure(_indicator(), PERIOD), "Østerbro")
    assert list(area.x) == [2021, 2022, 2023]
    assert list(area.y) == [40.0, None, 42.5]
    assert area.connectgaps is False


def test_a_year_missing_from_the_file_is_a_gap_too():
    observations = [
        {"area": "Østerbro", "year": 2019, "value": 5.0, "state": "ok"},
        {"area": "Østerbro", "year": 2022, "value": 7.0, "state": "ok"},
    ]
    area = _trace(indicator_figure(_indicator(observations=observations), PERIOD), "Østerbro")
    assert list(area.x) == [2019, 2020, 2021, 2022] and list(area.y) == [5.0, None, None, 7.0]


def test_hover_texts_are_danish():
    area = _trace(indicator_figure(_indicator(), PERIOD), "Østerbro")
    assert [area.customdata[0], area.customdata[2]] == ["40,0 %", "42,5 %"]


def test_counts_that_are_zero_every_year_get_a_whole_number_axis():
    zeros = [{"area": "Østerbro", "year": y, "value": 0.0, "state": "ok"} for y in (2021, 2022)]
    figure = indicator_figure(
        _indicator(
            unit="count", comparators=[], baseline={"value": 0.0, "year": 2021}, observations=zeros
        ),
        PERIOD,
    )
    axis = figure.layout.yaxis
    assert list(axis.range) == [0, 5] and axis.dtick == 1 and axis.tickformat == ",d"


def test_target_is_named_in_the_legend_not_written_over_the_points():
    figure = indicator_figure(_indicator(target={"value": 42.5, "year": 2026}), PERIOD)
    assert not [a for a in figure.layout.annotations if "Mål" in (a.text or "")]
    assert _trace(figure, "Mål: 42,5 %").showlegend is not False


def test_status_year_cuts_every_series_off():
    observations = [
        {"area": area, "year": year, "value": 40.0 + year - 2021, "state": "ok"}
        for area in ("Østerbro", "Guldborgsund Kommune")
        for year in range(2021, 2026)
    ]
    figure = indicator_figure(_indicator(observations=observations), PERIOD, status_year=2023)
    for name in ("Østerbro", "Hele kommunen"):
        assert max(_trace(figure, name).x) == 2023


def test_baseline_is_a_marked_point_and_target_a_line():
    figure = indicator_figure(_indicator(target={"value": 50.0, "year": 2026}), PERIOD)
    baseline = _trace(figure, "Baseline")
    assert list(baseline.x) == [2021] and baseline.marker.symbol == "diamond"
    target_lines = [s for s in figure.layout.shapes if s.line.color == TARGET_COLOUR]
    assert target_lines and target_lines[0].y0 == 50.0


def test_share_axis_is_0_to_100_unless_the_data_need_zooming():
    wide = indicator_figure(_indicator(), PERIOD)
    assert list(wide.layout.yaxis.range) == [0, 100]
    narrow = _indicator(
        comparators=[],
        observations=[
            {"area": "Østerbro", "year": 2021, "value": 3.7, "state": "ok"},
            {"area": "Østerbro", "year": 2022, "value": 3.2, "state": "ok"},
        ],
        baseline={"value": 3.7, "year": 2021},
    )
    zoomed = indicator_figure(narrow, PERIOD)
    assert zoomed.layout.yaxis.range[1] < 100
    assert "zoomet" in zoomed.layout.yaxis.title.text


def test_kroner_axis_has_thousands_separators_in_danish():
    figure = indicator_figure(
        _indicator(
            unit="dkk",
            comparators=[],
            baseline={"value": 364534.0, "year": 2021},
            observations=[{"area": "Østerbro", "year": 2021, "value": 364534.0, "state": "ok"}],
        ),
        PERIOD,
    )
    assert figure.layout.separators == ",."
    assert figure.layout.yaxis.tickformat == ",.0f"
    assert list(_trace(figure, "Østerbro").customdata) == ["364.534 kr."]


def test_projection_is_dotted_to_the_projected_year():
    trend = {"slope": 1.0, "projected_value": 45.0, "projected_year": 2026}
    projection = _trace(indicator_figure(_indicator(), PERIOD, trend), "Fremskrivning til 2026")
    assert projection.line.dash == "dot" and list(projection.x) == [2023, 2026]


def test_projection_is_never_a_vertical_stroke_nor_drawn_backwards():
    for year in (2023, 2022):
        trend = {"slope": 1.0, "projected_value": 45.0, "projected_year": year}
        figure = indicator_figure(_indicator(), PERIOD, trend)
        assert not [t for t in figure.data if (t.name or "").startswith("Fremskrivning")]


def test_projection_starts_at_the_status_years_last_point():
    observations = [
        {"area": "Østerbro", "year": year, "value": 40.0 + year - 2021, "state": "ok"}
        for year in range(2021, 2026)
    ]
    trend = {"slope": 1.0, "projected_value": 45.0, "projected_year": 2026}
    figure = indicator_figure(_indicator(observations=observations), PERIOD, trend, 2023)
    assert list(_trace(figure, "Fremskrivning til 2026").x) == [2023, 2026]


def test_milestone_axis_speaks_in_states_and_marks_the_deadline():
    milestone = _indicator(
        unit="status",
        comparators=[],
        baseline={"value": None, "year": 2020},
        deadline="2022-12-31",
        observations=[
            {"area": "Østerbro", "year": 2021, "value": 1.0, "state": "ok"},
            {"area": "Østerbro", "year": 2022, "value": 2.0, "state": "ok"},
        ],
    )
    figure = indicator_figure(milestone, PERIOD)
    assert list(figure.layout.yaxis.ticktext) == ["Ikke startet", "I gang", "Opnået"]
    assert any("Frist" in a.text for a in figure.layout.annotations)


def test_plan_figures_follow_the_plan_and_leave_empty_cards_without_a_chart(demo_url):
    from monitoring.present.plan_charts import plan_figures
    from monitoring.show import store_snapshot
    from monitoring.store.db import get_engine

    engine = get_engine(demo_url)
    plan = store_snapshot(engine, "horsens-bo-trivsel", actor="test")["plans"][0]
    figures = plan_figures(engine, "horsens-bo-trivsel", 2023, actor="test")
    subgoals = [s for a in plan["agreements"] for s in a["subgoals"]]
    assert [len(f) for f in figures] == [len(s["indicators"]) for s in subgoals]
    drawn = [f for row in figures for f in row if f is not None]
    assert drawn and all('role="img"' in markup for markup in drawn)
    # Every point's hover text names its year: none after the status year but the projection.
    points = [t for m in drawn for t in re.findall(r"<title>(.*?)</title>", m, re.S)]
    years = [
        int(y) for t in points if "Fremskrivning" not in t for y in re.findall(r"(\d{4}): ", t)
    ]
    assert years and max(years) <= 2023


def test_year_labels_thin_out_over_a_long_span_so_they_fit_on_a_phone():
    short = indicator_figure(_indicator(), PERIOD).layout.xaxis  # 2021-2026
    assert short.dtick == 1
    observations = [
        {"area": "Østerbro", "year": year, "value": 40.0, "state": "ok"}
        for year in range(2015, 2024)
    ]
    long = indicator_figure(_indicator(observations=observations), PERIOD).layout.xaxis
    assert long.dtick == 2 and long.minor.dtick == 1


def test_plan_card_texts_follow_the_plan_with_facts_and_sentence(demo_url):
    from monitoring.present.plaintext import markdown_text
    from monitoring.present.plan_charts import plan_card_texts
    from monitoring.progress import plan_progress
    from monitoring.show import store_snapshot
    from monitoring.store.db import get_engine

    engine = get_engine(demo_url)
    plan = store_snapshot(engine, "horsens-bo-trivsel", actor="test")["plans"][0]
    result = plan_progress(engine, "horsens-bo-trivsel", 2023, actor="test")
    texts = plan_card_texts(engine, "horsens-bo-trivsel", 2023, actor="test")
    subgoals = [s for a in plan["agreements"] for s in a["subgoals"]]
    assert [len(t) for t in texts] == [len(s["indicators"]) for s in subgoals]
    first = result["subgoals"][0]["indicators"][0]
    assert texts[0][0].startswith("- **Seneste værdi:**")
    assert texts[0][0].endswith(markdown_text(first["sentence"]))
