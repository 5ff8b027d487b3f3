"""A chart for the page as inline SVG: drawn on the server from the chart's one definition.

Streamlit's Plotly element makes the reader's browser fetch and parse the 4 MB plotly.js bundle
(about 1.5 s for the first chart, 0.3 s for each further one); an SVG of ~20 kB is drawn at once.
The same Plotly figure is drawn by matplotlib (`present.drawing`) as the PDF draws it, so page and
print never disagree. What the reader keeps: every point and bar still shows its exact Danish
value on hovering (an SVG <title>, the browser's own tooltip), texts stay text (searchable,
escaped by the SVG writer), and the chart has a text alternative (`aria-label`). What is lost is
Plotly's zoom and pan, which the page had switched off anyway (no toolbar).

The markup goes to `st.markdown(..., unsafe_allow_html=True)` (st.html keeps no SVG): one line
inside a <div> block, so Markdown never reads a name in it as Markdown.
"""

from __future__ import annotations

import hashlib
import io
import re
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from matplotlib import rc_context

from monitoring.present.drawing import PX, TEXT_AS_TEXT, Pen, shown_text, to_matplotlib

if TYPE_CHECKING:
    import plotly.graph_objects as go

PAGE_WIDTH_PX = 460  # drawn at this width: at its own size on a desk, ~0.75 of it on a phone
PANELS_WIDTH_PX = 960  # small multiples: a row of panels across the page
PAGE_SCALE = 0.95
CM_PER_PX = PX / 72 * 2.54
_FONTS = re.compile(r"font-family: [^;\"]*(; )?")
CHART_CLASS = "monitor-chart"
NEWLINE = {
    "\n": "&#10;"
}  # a line break in a tooltip that survives joining the markup into one line
_PREAMBLE = re.compile(
    r"^.*?(?=<svg)|<metadata>.*?</metadata>|<defs>\s*<style.*?</style>\s*</defs>", re.S
)


def description(figure: go.Figure) -> str:
    """The chart's text alternative: what is plotted against what, every series by name."""
    axis = figure.layout.yaxis.title.text or figure.layout.xaxis.title.text or ""
    names = list(dict.fromkeys(shown_text(t.name) for t in figure.data if t.name))
    text = "Graf" + (f" – {shown_text(axis)}" if axis else "")
    return (
        text + (": " + ", ".join(names) if names else "") + ". Tallene står i teksten og tabellen."
    )


def chart_svg(figure: go.Figure) -> str:
    """The figure as one line of SVG markup in a <div>, each point's hover text as its <title>."""
    panels = len({trace.xaxis for trace in figure.data})
    width_px = PANELS_WIDTH_PX if panels > 1 else PAGE_WIDTH_PX
    tips: dict[str, str] = {}
    height_px = (figure.layout.height or 380) - 90  # Plotly's height counts the legend below
    drawing = to_matplotlib(
        figure, width_px * CM_PER_PX, height_px * CM_PER_PX, Pen(scale=PAGE_SCALE, tips=tips)
    )
    buffer = io.StringIO()
    with rc_context(TEXT_AS_TEXT):
        drawing.savefig(buffer, format="svg", bbox_inches="tight", pad_inches=0.05)
    # One font for the whole chart instead of matplotlib's ten-name list on every text (a third
    # of the markup); a reader without DejaVu Sans gets a narrower one, so labels never collide.
    svg = _FONTS.sub("", _PREAMBLE.sub("", buffer.getvalue()))
    prefix = hashlib.sha1(svg.encode()).hexdigest()[:8]
    for gid, text in tips.items():
        svg = svg.replace(
            f'<g id="{gid}">', f'<g id="{prefix}-{gid}"><title>{escape(text, NEWLINE)}</title>'
        )
    width = float(re.search(r'width="([\d.]+)pt"', svg).group(1)) / PX
    svg = re.sub(
        r'width="[\d.]+pt" height="[\d.]+pt"',
        f'role="img" aria-label={quoteattr(description(figure))} width="{width:.0f}"'
        ' style="max-width: 100%; height: auto; stroke-linejoin: round; stroke-linecap: butt;'
        " font-family: 'DejaVu Sans', Arial, Helvetica, sans-serif\"",
        svg,
        count=1,
    )
    return f'<div class="{CHART_CLASS}">\n{" ".join(svg.split())}\n</div>'
