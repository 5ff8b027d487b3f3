"""Plotly figures for indikatorer: pure functions, data in, figure out, Danish on every label.

Colours are the Okabe–Ito palette (colour-blind safe) and belong to a series' role, so the
boligområde is always blue, the kommune always orange, other references green/pink/sky blue.

Plotly renders a subset of HTML in every text, so every name from the store goes through
`plot_text`, and hover templates refer to a trace's name (`%{fullData.name}`) instead of
embedding it: a name stays text, never a link or a template.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from monitoring.baseline import revised_text, snapshot_revision
from monitoring.fmt import MILESTONE_STATES, format_date, format_value
from monitoring.present.plaintext import plot_text
from monitoring.present.status_colours import LABEL_COLOURS
from monitoring.vocabulary import Unit, label_of

AREA_COLOUR = "#0072B2"
KOMMUNE_COLOUR = "#E69F00"
REFERENCE_COLOURS = ("#009E73", "#CC79A7", "#56B4E9", "#F0E442")
TARGET_COLOUR = "#D55E00"
PERIOD_FILL = "rgba(0, 114, 178, 0.07)"
FONT = {"family": "DejaVu Sans, Arial, sans-serif", "size": 15}
ZOOM_SPAN_PP = 30.0
NAMED_HOVER = "%{fullData.name}<br>%{x}: %{customdata}<extra></extra>"
COUNT_AXIS_MIN = 5
MAX_LABELLED_YEARS = 7  # "2020" … "2026" in 12 px fit side by side in a chart on a 390 px phone
# (the axis spans half a year more on each side than the years it labels)


def axis_title(unit: str) -> str:
    """The y axis of a measure: its unit's label, "Status" for a milestone's 0-1-2 scale."""
    return "Status" if unit == Unit.STATUS else label_of(Unit, unit, "")


def decimal_year(day: dt.date) -> float:
    """A date on a year axis: 1 August 2022 is 2022.58."""
    start = dt.date(day.year, 1, 1)
    return day.year + (day - start).days / 365.25


def comparator_colour(kind: str, position: int) -> str:
    """The kommune is always orange; other references take the next colour in line."""
    if kind == "kommune":
        return KOMMUNE_COLOUR
    return REFERENCE_COLOURS[position % len(REFERENCE_COLOURS)]


def numeric_points(
    observations: list[dict[str, Any]], area: str, until: int | None = None
) -> list[tuple[int, float]]:
    """(year, value) of an area's series up to `until` (the status year); suppressed and missing
    years are left out, never zero."""
    return sorted(
        (o["year"], o["value"])
        for o in observations
        if o["area"] == area
        and o["value"] is not None
        and o["state"] == "ok"
        and (until is None or o["year"] <= until)
    )


def with_gaps(points: list[tuple[int, float]]) -> list[tuple[int, float | None]]:
    """The points with None in every missing year between them, so the line breaks there
    instead of bridging a year without a figure."""
    filled: list[tuple[int, float | None]] = []
    for year, value in points:
        if filled and year - filled[-1][0] > 1:
            filled += [(missing, None) for missing in range(filled[-1][0] + 1, year)]
        filled.append((year, value))
    return filled


def _line(
    points: list[tuple[int, float]], unit: str, name: str, colour: str, dash: str
) -> go.Scatter:
    points = with_gaps(points)
    return go.Scatter(
        x=[p[0] for p in points],
        y=[p[1] for p in points],
        mode="lines+markers",
        connectgaps=False,
        name=plot_text(name),
        line={
            "color": colour,
            "width": 3 if dash == "solid" else 2,
            "dash": dash,
            "shape": "hv" if unit == "status" else "linear",
        },
        marker={"size": 9 if dash == "solid" else 6},
        customdata=[format_value(p[1], unit) for p in points],
        hovertemplate=NAMED_HOVER,
    )


def _y_axis(unit: str, values: list[float]) -> dict[str, Any]:
    title = axis_title(unit)
    axis: dict[str, Any] = {
        "title": {"text": title},
        "gridcolor": "#e5e5e5",
        "zeroline": False,
        "automargin": True,  # room for "400.000 kr." whatever the page's theme
    }
    if unit == "status":
        axis["tickvals"] = list(MILESTONE_STATES)
        axis["ticktext"] = list(MILESTONE_STATES.values())
        axis["range"] = [-0.3, 2.3]
    elif unit == "pct":
        axis["ticksuffix"] = " %"
        low, high = (min(values), max(values)) if values else (0.0, 100.0)
        if values and high - low < ZOOM_SPAN_PP:
            pad = max(2.0, (high - low) * 0.3)
            axis["range"] = [max(0.0, low - pad), min(100.0, high + pad)]
            axis["title"]["text"] = f"{title} – aksen er zoomet ind"
        else:
            axis["range"] = [0, 100]
    elif unit == "dkk":
        axis["tickformat"] = ",.0f"
        axis["ticksuffix"] = " kr."
        axis["rangemode"] = "tozero"
    else:
        axis["rangemode"] = "tozero"
        axis["tickformat"] = ",d"  # a count is a whole number: no "0,2" steps
        high = max(values) if values else 0.0
        if high <= 0:
            # All zero (or nothing): a readable 0–5 scale in whole steps, not 0–1 by 0,2.
            axis["range"] = [0, COUNT_AXIS_MIN]
        if high < 2 * COUNT_AXIS_MIN:
            axis["dtick"] = 1
    return axis


def _year_range(figure: go.Figure, period: tuple[dt.date, dt.date]) -> list[float]:
    """Wide enough for every plotted year and the whole agreement period."""
    years = [x for trace in figure.data for x in (trace.x or []) if x is not None]
    years += [decimal_year(period[0]), decimal_year(period[1])]
    return [min(years) - 0.5, max(years) + 0.5]


def year_axis(years: list[float]) -> dict[str, Any]:
    """A year axis whose labels never overlap on a phone: every year labelled over a short span,
    every other year (a grid line each year) over more than MAX_LABELLED_YEARS."""
    step = 1 if years[1] - years[0] <= MAX_LABELLED_YEARS else 2
    return {
        "dtick": step,
        "tick0": 2000,
        "tickformat": "d",
        "tickfont": {"size": 12},
        "gridcolor": "#f0f0f0",
        "minor": {"dtick": 1, "showgrid": True, "gridcolor": "#f6f6f6"},
        "range": years,
        "automargin": True,
    }


def legend_line(name: str, line: dict[str, Any]) -> go.Scatter:
    """A legend entry for a line drawn as a shape (a target, a reference), which has none."""
    return go.Scatter(x=[None], y=[None], mode="lines", line=line, name=plot_text(name))


def projection_drawn(trend: dict[str, Any] | None, points: list[tuple[int, float]]) -> bool:
    """A projection is drawn only forward from the last drawn point: to a later year, never as a
    vertical stroke in the same year or back in time."""
    if not trend or trend.get("projected_value") is None or not points:
        return False
    return trend.get("projected_year") is not None and trend["projected_year"] > points[-1][0]


# Long: one Plotly figure trace by trace; the length is layout settings, not branching logic.
def indicator_figure(
    indicator: dict[str, Any],
    period: tuple[dt.date, dt.date],
    trend: dict[str, Any] | None = None,
    status_year: int | None = None,
) -> go.Figure:
    """The card chart of one indikator.

    Args:
        indicator: an indicator of the `show --json` snapshot (observations, baseline, comparators).
        period: the agreement's start and end, shaded on the chart.
        trend: the progress engine's trend (`slope`, `projected_value`, `projected_year`) or None.
        status_year: the year the page judges; figures after it are not drawn (None: all).

    Returns:
        The area's series as a solid line, each comparator dashed in its own colour, the baseline
        as signed as a marked point (a revised figure for its year is the series' own point there,
        and the diamond's label names both), the target as a horizontal line, the projection dotted.
    """
    unit = indicator["unit"]
    observations = indicator["observations"]
    figure = go.Figure()
    plotted: list[float] = []
    start, end = period
    figure.add_vrect(
        x0=decimal_year(start),
        x1=decimal_year(end),
        fillcolor=PERIOD_FILL,
        line_width=0,
        layer="below",
        annotation_text="Aftaleperiode",
        annotation_position="top left",
        annotation_font={"size": 12, "color": "#555"},
    )
    for position, comp in enumerate(indicator["comparators"]):
        points = numeric_points(observations, comp["area"], status_year)
        if not points and comp.get("value") is not None and comp.get("year"):
            points = [(comp["year"], comp["value"])]
        if points:
            colour = comparator_colour(comp.get("area_kind", ""), position)
            figure.add_trace(_line(points, unit, comp["label"], colour, "dash"))
            plotted += [p[1] for p in points]
    points = numeric_points(observations, indicator["area"], status_year)
    if points:
        figure.add_trace(_line(points, unit, indicator["area"], AREA_COLOUR, "solid"))
        plotted += [p[1] for p in points]
    baseline = indicator["baseline"]
    if baseline.get("value") is not None and baseline.get("year"):
        revision = snapshot_revision(indicator)
        shown = (
            format_value(baseline["value"], unit)
            if revision is None
            else revised_text(baseline["value"], revision, unit)
        )
        label = f"Baseline {baseline['year']}: {shown}"
        figure.add_trace(
            go.Scatter(
                x=[baseline["year"]],
                y=[baseline["value"]],
                mode="markers",
                name="Baseline",
                marker={
                    "symbol": "diamond",
                    "size": 15,
                    "color": AREA_COLOUR,
                    "line": {"color": "white", "width": 2},
                },
                hovertemplate=f"{label}<extra></extra>",
            )
        )
        plotted.append(baseline["value"])
    target = indicator.get("target") or {}
    if target.get("value") is not None:
        target_line = {"color": TARGET_COLOUR, "dash": "longdash", "width": 2}
        figure.add_hline(y=target["value"], line=target_line)
        figure.add_trace(legend_line(f"Mål: {format_value(target['value'], unit)}", target_line))
        plotted.append(target["value"])
    if indicator.get("deadline"):
        deadline = dt.date.fromisoformat(indicator["deadline"])
        figure.add_vline(
            x=decimal_year(deadline),
            line={"color": TARGET_COLOUR, "dash": "longdash", "width": 2},
            annotation_text=f"Frist {format_date(deadline)}",
            annotation_font={"color": TARGET_COLOUR, "size": 13},
        )
    if projection_drawn(trend, points):
        last_year, last_value = points[-1]
        projection = [(last_year, last_value), (trend["projected_year"], trend["projected_value"])]
        figure.add_trace(
            go.Scatter(
                x=[p[0] for p in projection],
                y=[p[1] for p in projection],
                mode="lines",
                name=f"Fremskrivning til {trend['projected_year']}",
                line={"color": AREA_COLOUR, "dash": "dot", "width": 2},
                customdata=[format_value(p[1], unit) for p in projection],
                hovertemplate="Fremskrivning %{x}: %{customdata}<extra></extra>",
            )
        )
        plotted.append(trend["projected_value"])
    figure.update_layout(
        separators=",.",
        font=FONT,
        height=380,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.15, "x": 0},
        hoverlabel={"font_size": 14},
        yaxis=_y_axis(unit, plotted),
        xaxis=year_axis(_year_range(figure, period)),
    )
    return figure


# --------------------------------------------------------------------------------------------
# Comparing areas (page "Sammenlign områder"): ranking, small multiples, plans side by side
# --------------------------------------------------------------------------------------------

RANKING_BAR_HEIGHT = 26
MAX_SMALL_MULTIPLES = 24


def reference_colour(kind: str, position: int) -> str:
    """Kommune orange, benchmarks the next reference colours (as on the indicator cards)."""
    return comparator_colour(kind, position)


def _short(text: str, width: int = 34) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# Long: one Plotly figure trace by trace; the length is layout settings, not branching logic.
def ranking_figure(
    selection: pd.DataFrame,
    references: pd.DataFrame,
    unit: str,
    direction: int,
    year: int,
    omitted: int = 0,
) -> go.Figure:
    """Horizontal bars, best on top whatever the direction, references as vertical lines.

    Args:
        selection: ranked rows (best first) with label, value and optionally group "Top"/"Bund"
            (from `compare.top_bottom`); bars start at zero.
        references: label, kind, value of the reference areas for the year.
        unit: the measure's unit; values are written on the bars in Danish format.
        direction: +1/-1 (bedst øverst) or 0 (højest øverst).
        omitted: ranked areas left out between top and bottom; shown as a labelled gap.
    """
    labels = [plot_text(label) for label in selection["label"]]
    values = [float(v) for v in selection["value"]]
    if omitted and "group" in selection:
        cut = int((selection["group"] == "Top").sum())
        gap = f"··· {omitted} områder udeladt ···"
        labels = [*labels[:cut], gap, *labels[cut:]]
        values = [*values[:cut], np.nan, *values[cut:]]
    texts = ["" if np.isnan(v) else format_value(v, unit) for v in values]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker={"color": AREA_COLOUR},
            text=texts,
            textposition="outside",
            cliponaxis=False,
            customdata=texts,
            hovertemplate="%{y}: %{customdata}<extra></extra>",
            name=str(year),
            showlegend=False,
        )
    )
    plotted = [v for v in values if not np.isnan(v)]
    for position, ref in enumerate(references.to_dict("records")):
        colour = reference_colour(ref["kind"], position)
        figure.add_vline(
            x=ref["value"],
            line={"color": colour, "dash": "dash", "width": 2},
        )
        # A legend entry per reference line (vlines have none of their own).
        figure.add_trace(
            legend_line(
                f"{ref['label']}: {format_value(ref['value'], unit)}",
                {"color": colour, "dash": "dash", "width": 2},
            )
        )
        plotted.append(float(ref["value"]))
    order = "Bedst øverst" if direction else "Højest øverst"
    high = max(plotted) if plotted else 1.0
    x_axis: dict[str, Any] = {
        "title": {"text": f"{axis_title(unit)} {year} – {order.lower()}"},
        "gridcolor": "#e5e5e5",
        "range": [0, high * 1.15 if high > 0 else 1],
        "zeroline": True,
    }
    if unit == "pct":
        x_axis["ticksuffix"] = " %"
    elif unit == "dkk":
        x_axis["tickformat"] = ",.0f"
        x_axis["ticksuffix"] = " kr."
    rows = len(labels)
    figure.update_layout(
        separators=",.",
        font=FONT,
        height=max(260, 120 + RANKING_BAR_HEIGHT * rows),
        margin={"l": 10, "r": 40, "t": 30, "b": 10},
        plot_bgcolor="white",
        bargap=0.25,
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        hoverlabel={"font_size": 14},
        xaxis=x_axis,
        yaxis={
            "autorange": "reversed",
            "type": "category",
            "categoryorder": "array",
            "categoryarray": labels,
            "automargin": True,
        },
    )
    return figure


# Long: one Plotly figure trace by trace; the length is layout settings, not branching logic.
def small_multiples_figure(
    observations: pd.DataFrame,
    references: pd.DataFrame,
    unit: str,
    indexed: bool = False,
    columns: int = 4,
    value_column: str | None = None,
) -> go.Figure:
    """One small trend chart per area on a shared scale, references dashed in every panel.

    Args:
        observations: long rows with label, year, value (and `index` when indexed), in the order
            the panels should appear; suppressed and missing years are gaps, never zero.
        references: the same shape for the reference areas (drawn in every panel, legend once).
        indexed: plot each area's index (its own first year with a value = 100) instead of values.
        columns: panels per row. At most MAX_SMALL_MULTIPLES panels are drawn.
    """
    column = value_column or ("index" if indexed else "value")
    labels = list(dict.fromkeys(observations["label"]))[:MAX_SMALL_MULTIPLES]
    columns = max(1, min(columns, len(labels) or 1))
    rows = max(1, -(-len(labels) // columns))
    figure = make_subplots(
        rows=rows,
        cols=columns,
        shared_xaxes="all",
        shared_yaxes="all",
        subplot_titles=[plot_text(_short(label)) for label in labels] if len(labels) > 1 else None,
        vertical_spacing=min(0.12, 0.5 / rows),
        horizontal_spacing=0.03,
    )
    ref_series = (
        [
            (position, label, group)
            for position, (label, group) in enumerate(references.groupby("label", sort=False))
        ]
        if len(references)
        else []
    )
    for number, label in enumerate(labels):
        row, col = number // columns + 1, number % columns + 1
        for position, ref_label, group in ref_series:
            kind = str(group["kind"].iloc[0])
            group = group.sort_values("year")
            ys = group[column] if column in group else group["value"]
            figure.add_trace(
                go.Scatter(
                    x=group["year"],
                    y=ys,
                    mode="lines",
                    name=plot_text(ref_label),
                    legendgroup=plot_text(ref_label),
                    showlegend=number == 0,
                    line={"color": reference_colour(kind, position), "dash": "dash", "width": 1.5},
                    connectgaps=False,
                    hovertemplate="%{fullData.name}<br>%{x}: %{y:,.1f}<extra></extra>",
                ),
                row=row,
                col=col,
            )
        series = observations[observations["label"] == label].sort_values("year")
        indexes = series["index"] if "index" in series else series["value"]
        texts = [
            format_value(v, unit)
            + (f" · indeks {format_value(i, 'count', 1)}" if indexed and not pd.isna(i) else "")
            for v, i in zip(series["value"], indexes, strict=True)
        ]
        figure.add_trace(
            go.Scatter(
                x=series["year"],
                y=series[column],
                mode="lines+markers",
                name=plot_text(label),
                showlegend=False,
                line={"color": AREA_COLOUR, "width": 2.5},
                marker={"size": 5},
                connectgaps=False,
                customdata=texts,
                hovertemplate=NAMED_HOVER,
            ),
            row=row,
            col=col,
        )
        if indexed:
            figure.add_hline(
                y=100, line={"color": "#999", "width": 1, "dash": "dot"}, row=row, col=col
            )
    figure.update_annotations(font_size=13)
    figure.update_xaxes(dtick=1 if columns <= 2 else 2, tickformat="d", gridcolor="#f0f0f0")
    y_axis: dict[str, Any] = {"gridcolor": "#e5e5e5", "rangemode": "tozero"}
    if indexed:
        y_axis = {"gridcolor": "#e5e5e5"}
    elif unit == "pct":
        y_axis["ticksuffix"] = " %"
    elif unit == "dkk":
        y_axis["tickformat"] = ",.0f"
    figure.update_yaxes(**y_axis)
    title = "Indeks (første år med tal = 100)" if indexed else axis_title(unit)
    figure.update_yaxes(title_text=title, row=1, col=1)
    figure.update_layout(
        separators=",.",
        font=FONT,
        height=max(300, 110 + 190 * rows),
        margin={"l": 10, "r": 10, "t": 40, "b": 70},
        plot_bgcolor="white",
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0.0,
            "yanchor": "bottom",
            "x": 0,
            "font_size": 13,
        },
        hoverlabel={"font_size": 14},
    )
    return figure


def plan_status_figure(summary: pd.DataFrame) -> go.Figure:
    """Plans side by side: one stacked bar per plan with its indicators counted by status.

    summary: one row per plan with "Helhedsplan", "Statusår" and a count column per status
    (`compare.plans_side_by_side`). Counts are written in the bars and the legend names every
    status, so the chart reads without colour too.
    """
    labels = [
        plot_text(f"{p} ({y})")
        for p, y in zip(summary["Helhedsplan"], summary["Statusår"], strict=True)
    ]
    figure = go.Figure()
    for status, colour in LABEL_COLOURS.items():
        if status not in summary or not summary[status].any():
            continue
        counts = [int(c) for c in summary[status]]
        figure.add_trace(
            go.Bar(
                x=counts,
                y=labels,
                orientation="h",
                name=status,
                marker={"color": colour, "line": {"color": "white", "width": 1}},
                text=[str(c) if c else "" for c in counts],
                textposition="inside",
                insidetextanchor="middle",
                hovertemplate=f"%{{y}}<br>{status}: %{{x}}<extra></extra>",
            )
        )
    figure.update_layout(
        barmode="stack",
        separators=",.",
        font=FONT,
        height=max(220, 110 + 48 * len(labels)),
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        plot_bgcolor="white",
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "traceorder": "normal"},
        xaxis={"title": {"text": "Antal indikatorer"}, "gridcolor": "#e5e5e5", "dtick": 1},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        hoverlabel={"font_size": 14},
    )
    return figure
