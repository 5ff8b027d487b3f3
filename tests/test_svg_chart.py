"""The page's charts as inline SVG: drawn from the same Plotly figure, every rule kept, every point's
exact Danish value in its tooltip, names as text (no Streamlit, no browser)."""

import datetime as dt
import re

import pandas as pd

from monitoring.present.charts import (
    indicator_figure,
    plan_status_figure,
    ranking_figure,
    small_multiples_figure,
)
from monitoring.present.svg_chart import CHART_CLASS, chart_svg

PERIOD = (dt.date(2022, 8, 1), dt.date(2026, 8, 1))


def _indicator(unit="pct", observations=None, area="Østerbro", **extra):
    indicator = {
        "unit": unit,
        "area": area,
        "baseline": {"value": 40.0, "year": 2021},
        "target": {"value": 30.0},
        "deadline": None,
        "comparators": [],
        "observations": observations
        if observations is not None
        else [
            {"area": area, "year": 2021, "value": 40.0, "state": "ok"},
            {"area": area, "year": 2022, "value": None, "state": "suppressed"},
            {"area": area, "year": 2023, "value": 13.9, "state": "ok"},
        ],
    }
    indicator.update(extra)
    return indicator


def tooltips(markup: str) -> list[str]:
    return re.findall(r"<title>(.*?)</title>", markup)


def texts(markup: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", markup)


def tick_labels(markup: str, axis: str) -> list[str]:
    return re.findall(rf'<g id="{axis}tick_\d+">.*?<text[^>]*>([^<]*)</text>', markup)


def test_each_point_shows_its_exact_danish_value_and_a_gap_year_none():
    markup = chart_svg(indicator_figure(_indicator(), PERIOD))
    assert markup.startswith(f'<div class="{CHART_CLASS}">') and "\n\n" not in markup
    shown = tooltips(markup)
    assert "Østerbro&#10;2021: 40,0 %" in shown and "Østerbro&#10;2023: 13,9 %" in shown
    assert "Baseline 2021: 40,0 %" in shown
    assert not any("2022" in t for t in shown)  # the suppressed year is a gap, not a point


def test_the_chart_has_a_text_alternative_and_no_page_wide_style():
    markup = chart_svg(indicator_figure(_indicator(), PERIOD))
    label = re.search(r'aria-label="([^"]*)"', markup).group(1)
    assert 'role="img"' in markup and "Østerbro" in label and "Mål: 30,0 %" in label
    assert "<style" not in markup and "<metadata" not in markup


def test_target_is_named_in_the_legend_and_ticks_are_danish():
    markup = chart_svg(indicator_figure(_indicator(), PERIOD))
    assert "Mål: 30,0 %" in texts(markup)
    assert "40 %" in tick_labels(markup, "y")
    assert tick_labels(markup, "x")[:3] == ["2021", "2022", "2023"]


def test_an_all_zero_count_gets_a_whole_number_axis():
    zeros = [{"area": "Østerbro", "year": y, "value": 0.0, "state": "ok"} for y in (2021, 2022)]
    figure = indicator_figure(
        _indicator(
            unit="count", observations=zeros, baseline={"value": 0.0, "year": 2021}, target={}
        ),
        PERIOD,
    )
    labels = tick_labels(chart_svg(figure), "y")
    assert labels and all(re.fullmatch(r"\d+", label) for label in labels), labels
    assert labels[-1] == "5"


def test_a_milestone_reads_in_words():
    observations = [{"area": "Østerbro", "year": 2021, "value": 2.0, "state": "ok"}]
    markup = chart_svg(
        indicator_figure(
            _indicator(unit="status", observations=observations, baseline={}, target={}),
            PERIOD,
        )
    )
    assert tick_labels(markup, "y") == ["Ikke startet", "I gang", "Opnået"]
    assert "Østerbro&#10;2021: Opnået" in tooltips(markup)


def test_hostile_names_stay_text():
    name = '<script>alert(1)</script> $x$ [klik](https://evil.example) <a href="x">'
    observations = [{"area": name, "year": 2021, "value": 1.0, "state": "ok"}]
    markup = chart_svg(indicator_figure(_indicator(observations=observations, area=name), PERIOD))
    assert "<script" not in markup and "<a " not in markup
    shown = "&lt;script&gt;alert(1)&lt;/script&gt; $x$ [klik](https://evil.example) &lt;a"
    assert shown in " ".join(texts(markup))  # mathtext would have eaten "$x$"
    assert any(t.startswith(shown) for t in tooltips(markup))


def test_ranking_bars_top_to_bottom_with_values_and_reference_in_the_legend():
    selection = pd.DataFrame({"label": ["Bedst", "Næst"], "value": [55.2, 40.7]})
    references = pd.DataFrame({"label": ["Hele kommunen"], "kind": ["kommune"], "value": [70.8]})
    markup = chart_svg(ranking_figure(selection, references, "pct", 1, 2025))
    assert tick_labels(markup, "y") == ["Bedst", "Næst"]
    assert "Bedst: 55,2 %" in tooltips(markup) and "Næst: 40,7 %" in tooltips(markup)
    assert " 55,2 %" in texts(markup) and "Hele kommunen: 70,8 %" in texts(markup)


def test_plans_side_by_side_stack_counts_per_status():
    summary = pd.DataFrame(
        {
            "Helhedsplan": ["A", "B"],
            "Statusår": [2025, 2024],
            "På rette vej": [2, 0],
            "Uændret": [1, 3],
        }
    )
    markup = chart_svg(plan_status_figure(summary))
    assert tick_labels(markup, "y") == ["A (2025)", "B (2024)"]
    assert "A (2025)&#10;På rette vej: 2" in tooltips(markup)
    assert {"På rette vej", "Uændret"} <= set(texts(markup))


def test_small_multiples_one_panel_per_area_on_one_scale_with_gaps():
    observations = pd.DataFrame(
        {
            "label": ["Aaa", "Aaa", "Aaa", "Bbb", "Bbb"],
            "year": [2021, 2022, 2023, 2021, 2023],
            "value": [10.0, float("nan"), 20.0, 30.0, 45.5],
        },
        index=[7, 3, 9, 4, 5],  # rows picked from a larger frame
    )
    references = pd.DataFrame(
        {
            "label": ["Kommunen"] * 2,
            "kind": ["kommune"] * 2,
            "year": [2021, 2023],
            "value": [20, 30],
        }
    )
    markup = chart_svg(small_multiples_figure(observations, references, "pct", columns=2))
    assert {"Aaa", "Bbb", "Kommunen"} <= set(texts(markup))
    shown = tooltips(markup)
    assert "Aaa&#10;2021: 10,0 %" in shown and "Bbb&#10;2023: 45,5 %" in shown
    assert not any(t.startswith("Aaa") and "2022" in t for t in shown)  # a gap, not a point
    # One scale: the second panel's value axis is the first one's, labelled once.
    assert markup.count('<g id="axes_') == 2 and texts(markup).count("0 %") == 1
