"""A chart's one definition (the Plotly figure built in `monitoring.present.charts`) drawn by
matplotlib, for print (a PNG in the PDF report) and for the page (an SVG, see `present.svg_chart`).

Plotly's own static export (kaleido 1.x) drives a Chrome browser, and a report server has none;
drawing in the browser costs the reader the 4 MB plotly.js bundle (1.5 s for the first chart). So
the figure is translated here trace by trace: the same points, bars, colours, dashes, markers,
names, axis ranges, shapes and annotations. Only what the charts use is translated (scatter and
horizontal bar traces, rect/line shapes, text annotations); anything else is left out rather than
guessed. Names are wrapped so that no legend entry is cut off however long it is, and never read
as mathtext (a name with two "$" stays text).
"""

from __future__ import annotations

import html
import io
import math
import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MultipleLocator
from matplotlib.transforms import blended_transform_factory

from monitoring.fmt import format_value

DPI = 200
PX = 0.75  # Plotly sizes are CSS pixels; matplotlib's are points (1 px = 0.75 pt)
PRINT_SCALE = 0.7  # the page's chart is ~900 px wide; the printed one is 16 cm: shrink sizes alike
DASHES = {
    "solid": "-",
    "dash": (0, (5, 3)),
    "dot": (0, (1, 2)),
    "longdash": (0, (10, 4)),
    "dashdot": (0, (5, 2, 1, 2)),
}
MARKERS = {"diamond": "D", "circle": "o", "square": "s", "triangle-up": "^", "x": "x"}
LEGEND_WIDTH = 45
CATEGORY_WIDTH = 30
HIT_PX = 18  # the invisible circle around a point that shows its hover text on the page
TEXT_AS_TEXT = {"text.parse_math": False, "svg.fonttype": "none"}
_RGBA = re.compile(r"rgba?\(([^)]*)\)")
_FIELD = re.compile(r"%\{([\w.]+)(?::([^}]*))?\}")


@dataclass
class Pen:
    """How big to draw, and where the hover texts go: the page's SVG keeps each point's text
    (`tips`, by the id of the invisible mark that carries it); print has none."""

    scale: float = PRINT_SCALE
    tips: dict[str, str] | None = None
    legend: list[Any] = field(default_factory=list)

    def size(self, pixels: float | None, default: float) -> float:
        return (pixels if pixels is not None else default) * PX * self.scale

    def tip(self, text: str) -> str | None:
        """An id for a mark that shows `text` on hovering, None when there is nothing to show."""
        if self.tips is None or not text:
            return None
        gid = f"tip-{len(self.tips)}"
        self.tips[gid] = text
        return gid


def colour(text: str | None, default: str = "#444444") -> Any:
    """A Plotly colour ('#0072B2', 'rgba(0, 114, 178, 0.07)', 'white') as matplotlib takes it."""
    if not text:
        return default
    match = _RGBA.fullmatch(text.replace(" ", ""))
    if not match:
        return text
    parts = [float(p) for p in match.group(1).split(",")]
    alpha = parts[3] if len(parts) == 4 else 1.0
    return (parts[0] / 255, parts[1] / 255, parts[2] / 255, alpha)


def shown_text(text: Any) -> str:
    """A Plotly text as a reader sees it: the page escapes names (`plot_text`), print unescapes."""
    return html.unescape(re.sub(r"<br\s*/?>", "\n", str(text or "")))


def _field_text(value: Any, spec: str) -> str:
    if value is None or isinstance(value, str):
        return str(value or "")
    number = float(value)
    if number.is_integer() and not spec:
        return str(int(number))  # a year, a count
    decimals = re.search(r"\.(\d)f", spec)
    return format_value(number, "count", int(decimals.group(1)) if decimals else 1)


def hover_text(trace: Any, index: int) -> str:
    """What Plotly shows on hovering a trace's point, from the trace's own hover template."""
    template = trace.hovertemplate
    if not template:
        return ""
    columns = {"x": trace.x, "y": trace.y, "customdata": trace.customdata}

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "fullData.name":
            return str(trace.name or "")
        column = columns.get(name)
        values = [] if column is None else list(column)  # a Series may carry any index
        return _field_text(values[index] if index < len(values) else None, match.group(2) or "")

    text = re.sub(r"<extra>.*?</extra>", "", _FIELD.sub(value, template))
    return shown_text(text).strip()


def _number(value: Any) -> bool:
    """A value drawn as a point: not None, not NaN (a gap)."""
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _transform(axes: Any, xref: str | None, yref: str | None) -> Any:
    """Data coordinates for 'x'/'y' (or 'x2'/'y2' on a panel), the axes' fraction for
    'x domain', 'y domain' and 'paper'; on a drawing of panels 'paper' is the figure's fraction."""
    if isinstance(axes, Figure):
        return axes.transFigure
    x = axes.transData if " " not in (xref or "x") and xref != "paper" else axes.transAxes
    y = axes.transData if " " not in (yref or "y") and yref != "paper" else axes.transAxes
    return blended_transform_factory(x, y)


def _legend_name(name: Any) -> str | None:
    return "\n".join(textwrap.wrap(shown_text(name), LEGEND_WIDTH)) or None


def _trace(axes: Any, trace: go.Scatter, pen: Pen) -> None:
    mode = trace.mode or "lines+markers"
    line, marker = trace.line, trace.marker
    line_colour = colour(line.color, None) if line.color else None
    marker_colour = colour(marker.color, None) if isinstance(marker.color, str) else None
    drawn_colour = line_colour or marker_colour or "#444444"
    xs = [] if trace.x is None else list(trace.x)
    ys = [] if trace.y is None else list(trace.y)
    axes.plot(
        xs,
        ys,
        label=_legend_name(trace.name) if trace.showlegend is not False else None,
        color=drawn_colour if "lines" in mode else "none",
        linestyle=DASHES.get(line.dash or "solid", "-") if "lines" in mode else "none",
        linewidth=pen.size(line.width, 2),
        drawstyle="steps-post" if line.shape == "hv" else "default",
        marker=MARKERS.get(marker.symbol or "circle", "o") if "markers" in mode else None,
        markersize=pen.size(marker.size, 6) * (0.75 if marker.symbol == "diamond" else 1),
        markerfacecolor=marker_colour or drawn_colour,
        markeredgecolor=colour(marker.line.color, None) if marker.line.color else "none",
        markeredgewidth=pen.size(marker.line.width, 0),
        zorder=3 if "markers" in mode and "lines" not in mode else 2,
    )
    for index, (x, y) in enumerate(zip(xs, ys, strict=False)):
        gid = pen.tip(hover_text(trace, index)) if _number(x) and _number(y) else None
        if gid:
            axes.plot(
                [x],
                [y],
                linestyle="none",
                marker="o",
                markersize=pen.size(HIT_PX, HIT_PX),
                markerfacecolor=(1, 1, 1, 0),
                markeredgecolor="none",
                gid=gid,
                zorder=4,
            )


def _bars(axes: Any, figure: go.Figure, pen: Pen) -> list[str]:
    """Horizontal bars (a ranking, statuses stacked per plan); the categories top to bottom."""
    bars = [t for t in figure.data if t.type == "bar"]
    axis = figure.layout.yaxis
    categories = list(axis.categoryarray or dict.fromkeys(c for t in bars for c in t.y))
    row_of = {category: row for row, category in enumerate(categories)}
    stacked = figure.layout.barmode == "stack"
    height = 1 - (figure.layout.bargap if figure.layout.bargap is not None else 0.2)
    ends = [0.0] * len(categories)
    for trace in bars:
        fill = colour(trace.marker.color if isinstance(trace.marker.color, str) else None)
        edge = trace.marker.line
        texts = list(trace.text or [])
        for index, (category, value) in enumerate(zip(trace.y, trace.x, strict=True)):
            if not _number(value):
                continue
            row = row_of[category]
            left = ends[row] if stacked else 0.0
            (patch,) = axes.barh(
                row,
                value,
                left=left,
                height=height,
                color=fill,
                edgecolor=colour(edge.color) if edge.width else "none",
                linewidth=pen.size(edge.width, 0),
            ).patches
            patch.set_gid(pen.tip(hover_text(trace, index)))
            text = shown_text(texts[index]) if index < len(texts) else ""
            if text:
                inside = trace.textposition == "inside"
                axes.text(
                    left + value / 2 if inside else left + value,
                    row,
                    text if inside else f" {text}",
                    ha="center" if inside else "left",
                    va="center",
                    color="white" if inside else "#333333",
                    fontsize=pen.size(13, 13),
                )
            if stacked:
                ends[row] += value
        if trace.showlegend is not False and trace.name:
            pen.legend.append(Rectangle((0, 0), 1, 1, facecolor=fill, label=shown_text(trace.name)))
    return ["\n".join(textwrap.wrap(shown_text(c), CATEGORY_WIDTH)) for c in categories]


def _shape(axes: Any, shape: Any, pen: Pen) -> None:
    transform = _transform(axes, shape.xref, shape.yref)
    line = shape.line
    edge = {
        "edgecolor": colour(line.color) if line.width else "none",
        "linestyle": DASHES.get(line.dash or "solid", "-"),
        "linewidth": pen.size(line.width, 0),
    }
    if shape.type == "rect":
        axes.add_patch(
            Rectangle(
                (shape.x0, shape.y0),
                shape.x1 - shape.x0,
                shape.y1 - shape.y0,
                transform=transform,
                facecolor=colour(shape.fillcolor, "none"),
                zorder=0,
                **edge,
            )
        )
    elif shape.type == "line":
        axes.add_line(
            Line2D(
                [shape.x0, shape.x1],
                [shape.y0, shape.y1],
                transform=transform,
                color=edge["edgecolor"],
                linestyle=edge["linestyle"],
                linewidth=edge["linewidth"],
                zorder=1,
            )
        )


def _annotation(axes: Any, note: Any, pen: Pen) -> None:
    axes.text(
        note.x,
        note.y,
        shown_text(note.text),
        transform=_transform(axes, note.xref, note.yref),
        ha=note.xanchor if note.xanchor in ("left", "right", "center") else "center",
        va={"top": "top", "bottom": "bottom"}.get(note.yanchor, "bottom"),
        color=colour(note.font.color, "#333333"),
        fontsize=pen.size(note.font.size, 12),
    )


def _value_ticks(settings: Any) -> FuncFormatter:
    """Danish numbers with the axis's suffix: "40 %", "400.000 kr.", "3"."""
    suffix = settings.ticksuffix or ""
    return FuncFormatter(lambda v, _: f"{format_value(v, 'count')}{suffix}")


def _limits(limits: Any, settings: Any, low: float, high: float) -> None:
    if settings.range:
        limits(*settings.range)
    elif settings.rangemode == "tozero":  # as Plotly: from zero, and 0 to 1 when everything is zero
        top = high * 1.06 if math.isfinite(high) and high > 0 else 1.0
        limits(min(0.0, low * 1.06) if math.isfinite(low) else 0.0, top)


def _axes(
    axes: Any, x: Any, y: Any, categories: list[str] | None, pen: Pen, span: tuple[float, float]
) -> None:
    """The value axis as Plotly sets it (`span`: the values it must show); the other is years
    (a trend) or categories (bars)."""
    value, value_axis = (x, axes.xaxis) if categories is not None else (y, axes.yaxis)
    which = "x" if categories is not None else "y"
    if categories is None:
        if x.range:
            axes.set_xlim(*x.range)
        axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
    else:
        axes.set_yticks(range(len(categories)), categories)
        axes.set_ylim(len(categories) - 0.5, -0.5)  # the first category on top
    if x.dtick:
        axes.xaxis.set_major_locator(MultipleLocator(float(x.dtick)))
    _limits(getattr(axes, f"set_{which}lim"), value, *span)
    if value.tickvals:
        getattr(axes, f"set_{which}ticks")(
            list(value.tickvals), [shown_text(t) for t in value.ticktext or value.tickvals]
        )
    else:
        value_axis.set_major_formatter(_value_ticks(value))
        if value.dtick and categories is None:
            value_axis.set_major_locator(MultipleLocator(float(value.dtick)))
    axes.set_ylabel(shown_text(y.title.text), fontsize=pen.size(13, 13))
    axes.set_xlabel(shown_text(x.title.text), fontsize=pen.size(13, 13))
    for axis, settings in ((axes.xaxis, x), (axes.yaxis, y)):
        axis.grid(True, color=colour(settings.gridcolor, "#eeeeee"), linewidth=0.6)
    if categories is not None:
        axes.yaxis.grid(False)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=pen.size(13, 13))


def _panels(drawing: Figure, figure: go.Figure) -> dict[str, Any]:
    """One axes per Plotly x axis ("x", "x2", ...) that carries a trace: a single plot, or small
    multiples placed at their axes' domains on one shared scale (`make_subplots`)."""
    names = list(dict.fromkeys(t.xaxis or "x" for t in figure.data if t.type == "scatter"))
    if len(names) <= 1:
        return {"x": drawing.add_subplot()}
    panels: dict[str, Any] = {}
    for name in names:
        suffix = name[1:]
        left, right = figure.layout[f"xaxis{suffix}"].domain
        bottom, top = figure.layout[f"yaxis{suffix}"].domain
        first = next(iter(panels.values()), None)
        axes = drawing.add_axes(
            (left, bottom, right - left, top - bottom), sharex=first, sharey=first
        )
        axes.tick_params(labelleft=left == 0)  # the shared scale is labelled in the first column
        panels[name] = axes
    return panels


def _span(panels: list[Any], which: str) -> tuple[float, float]:
    """The values drawn on every panel: a shared scale shows them all."""
    limits = [
        (a.dataLim.x0, a.dataLim.x1) if which == "x" else (a.dataLim.y0, a.dataLim.y1)
        for a in panels
    ]
    return min(low for low, _ in limits), max(high for _, high in limits)


# Long: one pass per kind of Plotly element; the length is the legend's placement settings.
def to_matplotlib(
    figure: go.Figure, width_cm: float = 16.0, height_cm: float = 7.5, pen: Pen | None = None
) -> Figure:
    """The Plotly figure as a matplotlib figure (no pyplot: safe in a threaded web server)."""
    pen = pen or Pen()
    layout = figure.layout
    with rc_context(TEXT_AS_TEXT):
        drawing = Figure(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=DPI)
        panels = _panels(drawing, figure)
        axes = panels["x"]
        single = len(panels) == 1
        for shape in layout.shapes:
            _shape(panels.get((shape.xref or "x").split()[0], axes), shape, pen)
        categories = _bars(axes, figure, pen) if any(t.type == "bar" for t in figure.data) else None
        for trace in figure.data:
            if trace.type == "scatter":
                _trace(panels[trace.xaxis or "x"], trace, pen)
        span = _span(list(panels.values()), "x" if categories is not None else "y")
        for name, panel in panels.items():
            suffix = name[1:]
            _axes(panel, layout[f"xaxis{suffix}"], layout[f"yaxis{suffix}"], categories, pen, span)
        for note in layout.annotations:
            _annotation(axes if single else drawing, note, pen)
        handles, labels = [], []
        for panel in panels.values():
            found = panel.get_legend_handles_labels()
            handles += found[0]
            labels += found[1]
        handles += pen.legend
        labels += [patch.get_label() for patch in pen.legend]
        above = (layout.legend.y or 0) > 1  # where the figure puts it: above or below
        if handles:
            (axes if single else drawing).legend(
                handles,
                labels,
                loc="lower left" if above else "upper left",
                bbox_to_anchor=(0, 1.02)
                if above
                else (0, -0.12 if categories is None else -0.2)
                if single
                else (0, -0.06),
                ncol=2,
                frameon=False,
                fontsize=pen.size(13, 13),
                handlelength=3,
            )
    return drawing


def png_bytes(figure: go.Figure, width_cm: float = 16.0, height_cm: float = 7.5) -> bytes:
    """A 200 dpi PNG of the figure; the legend below the plot is never cropped."""
    buffer = io.BytesIO()
    to_matplotlib(figure, width_cm, height_cm).savefig(
        buffer,
        format="png",
        dpi=DPI,
        bbox_inches="tight",
        pad_inches=0.05,
        pil_kwargs={"compress_level": 1},  # reportlab compresses the pixels again anyway
    )
    return buffer.getvalue()
