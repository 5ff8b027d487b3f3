"""A file uploader that speaks Danish.

Streamlit 1.67's uploader writes its button ("Upload"), its limit line ("20MB per file • XLSX,
CSV") and its drop hint ("Drag and drop a file here") in English, and the chosen file's size the
English way ("6.8KB"); `st.file_uploader` has no option for any of them (only the label and the
tooltip are ours). So the page hides those texts with CSS and shows Danish ones in their place
as `::after` content, scoped to this one widget by its key's class (`st-key-<key>`); the size is
left out (the label states the limit). CSS, not script: nothing runs in the browser, and a later
Streamlit that renames the elements shows its English again rather than breaking the page (the
browser test then fails on the English).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st


def danish_uploader_css(key: str, limit_mb: int, types: Sequence[str]) -> str:
    """The CSS that replaces the English texts of the uploader with key `key`."""
    scope = f".st-key-{key} [data-testid='stFileUploaderDropzone']"
    limit = f"Højst {limit_mb} MB pr. fil · {', '.join(t.upper() for t in types)}"
    return f"""
{scope} button [data-testid='stMarkdownContainer'] p {{ display: none; }}
{scope} button [data-testid='stMarkdownContainer']::after {{ content: "Vælg fil"; }}
{scope} [data-testid='stFileUploaderDropzoneInstructions'] span {{ display: none; }}
{scope} [data-testid='stFileUploaderDropzoneInstructions'] > div::after {{
  content: "{limit}"; font-size: 0.875rem; }}
{scope} [data-testid='stFileChipName'] + div {{ display: none; }}
{scope} > div:not([data-testid]) > span {{ display: none; }}
{scope} > div:not([data-testid]):has(> span)::after {{ content: "Slip filen her"; }}
"""


def file_uploader(label: str, types: Sequence[str], key: str, **options: Any) -> Any:
    """`st.file_uploader(label, type=types, key=key, **options)` with Danish texts."""
    limit = options.get("max_upload_size") or st.get_option("server.maxUploadSize")
    st.html(f"<style>{danish_uploader_css(key, int(limit), types)}</style>")
    return st.file_uploader(label, type=list(types), key=key, **options)
