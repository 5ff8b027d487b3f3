"""The app's own CSS, on every page: what Streamlit's options cannot say.

- On a phone (up to 640 px) Streamlit keeps its desk-size headings (44, 36 and 28 px), so a
  plan's name takes three lines and a delmål five before the first figure; they shrink there.
- The toolbar Streamlit puts over every table and chart on hover ("Show/hide columns",
  "Download as CSV", "Search", "Fullscreen") speaks English, in tooltips and button labels,
  with no setting to translate it. It is left out: the reading pages (Helhedsplan, Sammenlign)
  offer their tables as Danish CSV and Excel downloads (semicolons, decimal commas), and
  Sammenlign's filters search the areas.
- The reading tables (`monitoring.present.html_table`) look like Streamlit's own tables and
  scroll sideways in their own box on a narrow screen, so the page itself never does.
"""

from __future__ import annotations

import streamlit as st

CSS = """
[data-testid="stMain"] [data-testid="stElementToolbar"] { display: none; }
.monitor-table { overflow-x: auto; margin-bottom: 0.5rem; }
.monitor-table table {
  border-collapse: collapse; width: 100%; font-size: 0.875rem;
  border: 1px solid rgba(49, 51, 63, 0.1);
}
.monitor-table th, .monitor-table td {
  border-bottom: 1px solid rgba(49, 51, 63, 0.1); padding: 0.25rem 0.5rem;
  text-align: left; vertical-align: top;
}
.monitor-table th { font-weight: 400; color: rgba(49, 51, 63, 0.6); }
.monitor-table td.number { text-align: right; }
[data-testid="stElementContainer"]:has(.monitor-script) { display: none; }
.monitor-scroll { max-height: 28rem; overflow-y: auto; }
.monitor-scroll th { position: sticky; top: 0; background: #fff; }
@media (max-width: 640px) {
  [data-testid="stMain"] h1 { font-size: 1.9rem; }
  [data-testid="stMain"] h2 { font-size: 1.45rem; }
  [data-testid="stMain"] h3 { font-size: 1.2rem; }
}
"""


def apply_style() -> None:
    """Add the CSS to the page (a style-only st.html takes no room)."""
    st.html(f"<style>{CSS}</style>")
