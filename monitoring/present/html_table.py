"""Reading tables as one escaped HTML table each, for the pages' `st.html`.

`st.table` draws every cell as its own Markdown element: *Planer side om side* had about 324 of
them and the Delaftaler read view about 358, and the browser spent a good part of those pages'
load on them. One `<table>` per reading table is one element. Every header and cell goes through
`html_text`, so a name from a file is shown as its characters, never as markup; status cells
get a light tint of their status colour, and their text stays (never colour alone).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from monitoring.fmt import MISSING_TEXT, format_number
from monitoring.present.plaintext import html_text
from monitoring.present.status_colours import status_tint

TABLE_CLASS = "monitor-table"  # the app's CSS (app_pages/style.py) styles tables by this class
SCROLL_CLASS = "monitor-scroll"  # a tall table scrolls in its box, its header row staying put


def _cell_text(value: Any) -> str:
    """A cell as text: Danish numbers, a dash for a gap, years and counts as they are."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING_TEXT
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, int):
        return str(value)  # years and counts: "2025", never "2.025"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format_number(value)
    return str(value)


def _cell(tag: str, value: Any, tinted: bool) -> str:
    text = _cell_text(value)
    tint = status_tint(text) if tinted else None
    style = f' style="background-color: {tint}"' if tint else ""
    numeric = (
        ' class="number"' if isinstance(value, int | float) and not isinstance(value, bool) else ""
    )
    return f"<{tag}{numeric}{style}>{html_text(text)}</{tag}>"


def html_table(frame: pd.DataFrame, tinted: Iterable[str] = (), scroll: bool = False) -> str:
    """The frame as one `<table>` in a box that scrolls sideways on a narrow screen.

    tinted: the columns whose status labels ("På rette vej", ...) get their colour's tint.
    scroll: a long list (a ranking) scrolls in a box of about a dozen rows.
    The index is left out, as the pages' `hide_index=True` did.
    """
    classes = f"{TABLE_CLASS} {SCROLL_CLASS}" if scroll else TABLE_CLASS
    tinted_columns = set(tinted)
    header = "".join(f'<th scope="col">{html_text(column)}</th>' for column in frame.columns)
    flags = [column in tinted_columns for column in frame.columns]
    rows = "".join(
        "<tr>"
        + "".join(_cell("td", value, flag) for value, flag in zip(row, flags, strict=True))
        + "</tr>"
        for row in frame.itertuples(index=False, name=None)
    )
    return (
        f'<div class="{classes}"><table><thead><tr>{header}</tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )
