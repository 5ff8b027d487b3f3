"""The page's Plotly chart drawn for print: the same figure object, rendered by matplotlib.

Plotly's own static export (kaleido 1.x) drives a Chrome browser, and a report server has none,
so the figure `monitoring.charts.indicator_figure` builds for the page is translated here trace by
trace: the same points, colours, dashes, markers, names, axis ranges, shapes and annotations.
Only what the indikator charts use is translated (scatter traces, rect/line shapes, text
annotations); anything else is left out rather than guessed. The image is a 200 dpi PNG, sharp
on paper; names are wrapped so that no legend entry is cut off however long it is.
"""

from __future__ import annotations

import html
import io
import math
import re
import textwrap
from typing import Any

import plotly.graph_objects as go
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MultipleLocator
from matplotlib.transforms import blended_transform_factory

from monitoring.fmt import format_value

DPI = 200
PX = 0.75  # Plotly sizes are CSS pixels; matplotlib's are points (1 px = 0.75 pt)
SCALE = 0.7  # the page's chart is ~900 px wide; the printed one is 16 cm: shrink sizes alike
DASHES = {
    "solid": "-",
    "dash": (0, (5, 3)),
    "dot": (0, (1, 2)),
    "longdash": (0, (10, 4)),
    "dashdot": (0, (5, 2, 1, 2)),
}
MARKERS = {"diamond": "D", "circle": "o", "square": "s", "triangle-up": "^", "x": "x"}
LEGEND_WIDTH = 45
_RGBA = re.compile(r"rgba?\(([^)]*)\)")


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


def _size(pixels: float | None, default: float) -> float:
    return (pixels if pixels is not None else default) * PX * SCALE


def _transform(axes: Any, xref: str | None, yref: str | None) -> Any:
    """Data coordinates for 'x'/'y', the axes' fraction for 'x domain', 'y domain' and 'paper'."""
    x = axes.transData if (xref or "x") == "x" else axes.transAxes
    y = axes.transData if (yref or "y") == "y" else axes.transAxes
    return blended_transform_factory(x, y)


def _trace(axes: Any, trace: go.Scatter) -> None:
    mode = trace.mode or "lines+markers"
    line, marker = trace.line, trace.marker
    line_colour = colour(line.color, None) if line.color else None
    marker_colour = colour(marker.color, None) if isinstance(marker.color, str) else None
    drawn_colour = line_colour or marker_colour or "#444444"
    axes.plot(
        list(trace.x or []),
        list(trace.y or []),
        label="\n".join(textwrap.wrap(shown_text(trace.name), LEGEND_WIDTH)) or None,
        color=drawn_colour if "lines" in mode else "none",
        linestyle=DASHES.get(line.dash or "solid", "-") if "lines" in mode else "none",
        linewidth=_size(line.width, 2),
        drawstyle="steps-post" if line.shape == "hv" else "default",
        marker=MARKERS.get(marker.symbol or "circle", "o") if "markers" in mode else None,
        markersize=_size(marker.size, 6) * (0.75 if marker.symbol == "diamond" else 1),
        markerfacecolor=marker_colour or drawn_colour,
        markeredgecolor=colour(marker.line.color, None) if marker.line.color else "none",
        markeredgewidth=_size(marker.line.width, 0),
        zorder=3 if "markers" in mode and "lines" not in mode else 2,
    )


def _shape(axes: Any, shape: Any) -> None:
    transform = _transform(axes, shape.xref, shape.yref)
    line = shape.line
    edge = {
        "edgecolor": colour(line.color) if line.width else "none",
        "linestyle": DASHES.get(line.dash or "solid", "-"),
        "linewidth": _size(line.width, 0),
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


def _annotation(axes: Any, note: Any) -> None:
    axes.text(
        note.x,
        note.y,
        shown_text(note.text),
        transform=_transform(axes, note.xref, note.yref),
        ha=note.xanchor if note.xanchor in ("left", "right", "center") else "center",
        va={"top": "top", "bottom": "bottom"}.get(note.yanchor, "bottom"),
        color=colour(note.font.color, "#333333"),
        fontsize=_size(note.font.size, 12),
    )


def _axes(axes: Any, layout: Any) -> None:
    x, y = layout.xaxis, layout.yaxis
    if x.range:
        axes.set_xlim(*x.range)
    if x.dtick:
        axes.xaxis.set_major_locator(MultipleLocator(float(x.dtick)))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
    if y.range:
        axes.set_ylim(*y.range)
    elif y.rangemode == "tozero":  # as Plotly: from zero, and 0 to 1 when everything is zero
        low, high = axes.dataLim.y0, axes.dataLim.y1
        top = high * 1.06 if math.isfinite(high) and high > 0 else 1.0
        axes.set_ylim(min(0.0, low * 1.06) if math.isfinite(low) else 0.0, top)
    if y.tickvals:
        axes.set_yticks(list(y.tickvals), [shown_text(t) for t in y.ticktext or y.tickvals])
    else:
        suffix = y.ticksuffix or ""
        axes.yaxis.set_major_formatter(
            FuncFormatter(lambda v, _: f"{format_value(v, 'count')}{suffix}")
        )
    axes.set_ylabel(shown_text(y.title.text), fontsize=_size(13, 13))
    for axis, settings in ((axes.xaxis, x), (axes.yaxis, y)):
        axis.grid(True, color=colour(settings.gridcolor, "#eeeeee"), linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=_size(13, 13))


def to_matplotlib(figure: go.Figure, width_cm: float = 16.0, height_cm: float = 7.5) -> Figure:
    """The Plotly figure as a matplotlib figure (no pyplot: safe in a threaded web server)."""
    drawing = Figure(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=DPI)
    axes = drawing.add_subplot()
    for shape in figure.layout.shapes:
        _shape(axes, shape)
    for trace in figure.data:
        _trace(axes, trace)
    _axes(axes, figure.layout)
    for note in figure.layout.annotations:
        _annotation(axes, note)
    handles, labels = axes.get_legend_handles_labels()
    if handles:
        axes.legend(
            handles,
            labels,
            loc="upper left",
            bbox_to_anchor=(0, -0.12),
            ncol=2,
            frameon=False,
            fontsize=_size(13, 13),
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
