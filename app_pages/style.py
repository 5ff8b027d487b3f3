"""The app's own CSS, on every page: what Streamlit's options cannot say.

- On a phone (up to 640 px) Streamlit keeps its desk-size headings (44, 36 and 28 px), so a
  plan's name takes three lines and a delmål five before the first figure; they shrink there.
- The toolbar Streamlit puts over every table and chart on hover ("Show/hide columns",
  "Download as CSV", "Search", "Fullscreen") speaks English, in tooltips and button labels,
  with no setting to translate it. It is left out: the reading pages (Helhedsplan, Sammenlign)
  offer their tables as Danish CSV and Excel downloads (semicolons, decimal commas), and
  Sammenlign's filters search the areas.
"""

from __future__ import annotations

import streamlit as st

CSS = """
[data-testid="stMain"] [data-testid="stElementToolbar"] { display: none; }
@media (max-width: 640px) {
  [data-testid="stMain"] h1 { font-size: 1.9rem; }
  [data-testid="stMain"] h2 { font-size: 1.45rem; }
  [data-testid="stMain"] h3 { font-size: 1.2rem; }
}
"""


def apply_style() -> None:
    """Add the CSS to the page (a style-only st.html takes no room)."""
    st.html(f"<style>{CSS}</style>")
