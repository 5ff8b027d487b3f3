"""The printed chart is the page's Plotly figure drawn by matplotlib: same points, colours, dashes,
names, axes, shapes and notes, whatever the units and names."""

from __future__ import annotations

import datetime as dt

import pytest
from matplotlib.colors import to_hex, to_rgba

from monitoring.present.charts import indicator_figure
from monitoring.present.drawing import DASHES, colour, png_bytes, shown_text, to_matplotlib
from monitoring.report.content import load_content
from monitoring.store.db import get_engine


@pytest.fixture(scope="module")
def demo_parts(demo_url):
    engine = get_engine(demo_url)
    slugs = ("guldborgsund-mit-liv", "aalborg-loevvangen", "svendborg-aktive-boligomraader")
    return [
        (content, part)
        for content in (load_content(engine, slug, actor="test") for slug in slugs)
        for subgoal in content.subgoals
        for part in subgoal.indicators
    ]


def test_every_trace_shape_and_note_of_the_page_chart_is_drawn(demo_parts):
    units = set()
    for content, part in demo_parts:
        figure = indicator_figure(part.indicator, content.period, part.verdict.get("trend"))
        axes = to_matplotlib(figure).axes[0]
        units.add(part.unit)
        drawn = {line.get_label(): line for line in axes.get_lines()}
        for trace in figure.data:
            line = drawn[shown_text(trace.name)]
            assert list(line.get_xdata()) == list(trace.x)
            assert list(line.get_ydata()) == pytest.approx(list(trace.y))
            if "lines" in trace.mode:
                assert to_hex(line.get_color()) == trace.line.color.lower()
                assert line.get_linestyle() == ("-" if trace.line.dash == "solid" else "--")
        assert axes.get_xlim() == pytest.approx(tuple(figure.layout.xaxis.range))
        if figure.layout.yaxis.range:
            assert axes.get_ylim() == pytest.approx(tuple(figure.layout.yaxis.range))
        assert axes.get_ylabel() == figure.layout.yaxis.title.text
        assert [t.get_text() for t in axes.texts] == [a.text for a in figure.layout.annotations]
        assert len(axes.patches) == sum(s.type == "rect" for s in figure.layout.shapes)
    assert {"pct", "status"} <= units


def test_colours_dashes_and_escaped_names_translate():
    assert colour("rgba(0, 114, 178, 0.07)") == pytest.approx((0, 114 / 255, 178 / 255, 0.07))
    assert to_rgba(colour("#E69F00")) == to_rgba("#E69F00")
    assert shown_text("&lt;b&gt;Øst &amp; Vest&lt;/b&gt;") == "<b>Øst & Vest</b>"
    assert set(DASHES) >= {"solid", "dash", "dot", "longdash"}


def test_a_long_hostile_name_is_wrapped_in_the_legend_and_the_image_is_sharp():
    name = '<img src=x onerror=alert(1)> =HYPERLINK("x") ' + "Boligområdet Østerbro " * 8
    indicator = {
        "unit": "dkk",
        "area": name,
        "observations": [
            {"area": name, "year": 2021, "value": 250000.0, "state": "ok"},
            {"area": name, "year": 2023, "value": 275500.0, "state": "ok"},
        ],
        "comparators": [],
        "baseline": {"value": 250000.0, "year": 2021},
        "target": {"value": 300000.0},
    }
    figure = indicator_figure(indicator, (dt.date(2021, 1, 1), dt.date(2024, 12, 31)))
    axes = to_matplotlib(figure).axes[0]
    label = next(line.get_label() for line in axes.get_lines() if "img" in line.get_label())
    assert label.replace("\n", " ") == name.strip()
    assert max(len(row) for row in label.split("\n")) <= 45
    ticks = [t.get_text() for t in axes.get_yticklabels()]
    assert any(t.endswith(" kr.") and "." in t[:-4] for t in ticks), ticks  # "250.000 kr."
    png = png_bytes(figure)
    width = int.from_bytes(png[16:20], "big")
    assert png[:4] == b"\x89PNG" and width > 1000  # 16 cm at 200 dpi


def test_a_count_axis_starts_at_zero_and_all_zeros_still_read():
    def axis_of(values):
        points = [{"area": "A", "year": y, "value": v, "state": "ok"} for y, v in values]
        indicator = {
            "unit": "count",
            "area": "A",
            "observations": points,
            "comparators": [],
            "baseline": {"value": None, "year": None},
        }
        figure = indicator_figure(indicator, (dt.date(2021, 1, 1), dt.date(2024, 12, 31)))
        return to_matplotlib(figure).axes[0]

    zeros = axis_of([(2021, 0.0), (2022, 0.0)])
    assert zeros.get_ylim() == (0.0, 5.0)  # a readable scale of whole numbers
    assert "-0,0" not in [t.get_text() for t in zeros.get_yticklabels()]
    low, high = axis_of([(2021, 459.0), (2024, 514.0)]).get_ylim()
    assert low == 0.0 and 514 < high < 560
