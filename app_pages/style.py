"""The app's own CSS, on every page: what Streamlit's theme options cannot say.

On a phone (up to 640 px) Streamlit keeps its desk-size headings (44, 36 and 28 px), so a plan's
name takes three lines and a delmål five before the first figure; the headings shrink there.
"""

from __future__ import annotations

import streamlit as st

PHONE_CSS = """
@media (max-width: 640px) {
  [data-testid="stMain"] h1 { font-size: 1.9rem; }
  [data-testid="stMain"] h2 { font-size: 1.45rem; }
  [data-testid="stMain"] h3 { font-size: 1.2rem; }
}
"""


def apply_style() -> None:
    """Add the CSS to the page (a style-only st.html takes no room)."""
    st.html(f"<style>{PHONE_CSS}</style>")
