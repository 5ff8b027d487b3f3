"""What a reader sees of the text the app escaped: Markdown (`plaintext.markdown_text`) and the
reading tables' HTML (`present.html_table`)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd


def shown(markdown: str) -> str:
    """The text without its backslash escapes: "Import \\#6 gemt\\:" reads "Import #6 gemt:";
    a no-break space (kept between a number and its unit) reads as a space."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u00a0", " ")


class _TableReader(HTMLParser):
    """The header and rows of each `<table>` in the markup, as the text a reader sees."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self._cell: list[str] | None = None
        self._row: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self.tables.append(([], []))
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            self._row.append("".join(self._cell).replace("\u00a0", " "))
            self._cell = None
        elif tag == "tr":
            header, rows = self.tables[-1]
            if header:
                rows.append(self._row)
            else:
                header.extend(self._row)

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def read_tables(markup: str) -> list[pd.DataFrame]:
    """The tables in HTML markup as the text a reader sees: markup unescaped, a no-break space
    read as a space; every cell a string."""
    reader = _TableReader()
    reader.feed(markup)
    return [pd.DataFrame(rows, columns=header) for header, rows in reader.tables]


def reading_tables(at) -> list[pd.DataFrame]:
    """The page's reading tables (`present.html_table` in `st.html`), as `read_tables`."""
    return [table for element in at.html for table in read_tables(element.value)]
