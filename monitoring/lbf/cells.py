"""Cell values: Danish numbers, suppressed markers, years, column letters; a sheet's grid of cells."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from monitoring.fmt import parse_number
from monitoring.names import match_key as _match_key

# Texts repeat (labels, kommuner, area names); normalising each once saves real time on big files.
match_key = functools.lru_cache(maxsize=100_000)(_match_key)


_YEAR_MIN, _YEAR_MAX = 1980, 2100

EMPTY = "empty"  # the state of a cell with nothing in it; such cells never reach the tidy frame


@dataclass
class Grid:
    """One sheet's cells as values (None/str/float/bool), 0-based, plus percent-formatted cells."""

    name: str
    rows: list[list[Any]]
    percent_cells: set[tuple[int, int]] = field(default_factory=set)
    title_joiner: str = " "  # how a title row's cells read as one line (", " in comma CSV)

    def preview(self, rows: int = 15, columns: int = 12) -> list[list[str]]:
        return [[cell_text(v) for v in row[:columns]] for row in self.rows[:rows]]


def column_letter(index: int) -> str:
    """0 -> "A", 27 -> "AB"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """ "A" -> 0, "AB" -> 27; raises ValueError for anything but letters."""
    letters = letters.strip().upper()
    if not letters.isalpha() or not letters.isascii():
        raise ValueError(letters)
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def cell_text(value: Any) -> str:
    """A cell as the user sees it (roughly): "41.2", "2019", "" for empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "SAND" if value else "FALSK"
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value).strip()


_SUPPRESSED = {"..", "...", "x", "*", "**", "-", "–", "—", "diskr", "diskr.", "diskretioneret"}


_SUPPRESSED_LESS_THAN = re.compile(r"^<\s*\d+$")


_DASHES = {"-", "–", "—"}


_UNIT_SUFFIX = re.compile(
    r"\s*(?P<unit>%|pct\.?|procent|kr\.?|kroner|dkk)\s*$", re.IGNORECASE | re.UNICODE
)


_UNIT_OF_SUFFIX = {"%": "pct", "pct": "pct", "procent": "pct", "kr": "dkk", "kroner": "dkk"}


_DECIMAL_POINT = re.compile(r"^[-−]?\d+\.(?:\d{1,2}|\d{4,})$")


def is_suppressed_text(text: str) -> bool:
    """An explicit diskretionering marker ("..", "x", "<5", "diskr.", a dash); never empty text.

    An empty cell is no value: LBF leaves a year empty when it is not published yet, and saying
    "diskretioneret" about it would be false.
    """
    t = text.strip().casefold()
    return t in _SUPPRESSED or bool(_SUPPRESSED_LESS_THAN.match(t))


def parse_cell_text(text: str) -> tuple[float, str | None, bool]:
    """A Danish number in text with an optional unit: ("41,2 %") -> (41.2, "pct", False).

    The third item is True when the text used a decimal point ("41.25") that was read as such.
    Raises ValueError when the cell is not one number (with at most a unit after it).
    """
    stripped = text.strip().replace("\u00a0", " ")
    unit = None
    match = _UNIT_SUFFIX.search(stripped)
    if match:
        unit = _UNIT_OF_SUFFIX.get(match.group("unit").casefold().rstrip("."), "dkk")
        stripped = stripped[: match.start()]
    try:
        return parse_number(stripped), unit, False
    except ValueError:
        if _DECIMAL_POINT.match(stripped.replace(" ", "")):
            return float(stripped.replace("−", "-").replace(" ", "")), unit, True
        raise


def parse_cells(
    cells: Sequence[Any], percent: Sequence[bool] | None = None, dash_is_zero: bool = False
) -> tuple[np.ndarray, list[str], list[str | None], list[str | None]]:
    """Values, states, unit hints and reasons for a run of data cells (vectorised where it matters).

    States: `ok` (a number), `suppressed` (an explicit marker such as ".." or "<5": no value, never
    zero), `empty` (nothing in the cell: no figure in this file, so no observation at all),
    `invalid` (text that is not a number; the reason says why). A dash is a suppression marker
    unless `dash_is_zero` (some kommune extracts write 0 as "-").
    """
    n = len(cells)
    values = np.full(n, np.nan)
    states = ["ok"] * n
    units: list[str | None] = [None] * n
    reasons: list[str | None] = [None] * n
    for i, v in enumerate(cells):
        kind = type(v)
        if kind is float or kind is int:
            if v != v:  # NaN from pandas: an empty cell
                states[i] = EMPTY
                continue
            values[i] = v
            if percent is not None and percent[i]:
                values[i] = v * 100.0
                units[i] = "pct"
        elif v is None:
            states[i] = EMPTY
        elif kind is str:
            text = v.strip()
            if not text:
                states[i] = EMPTY
            elif dash_is_zero and text in _DASHES:
                values[i] = 0.0
            elif is_suppressed_text(text):
                states[i] = "suppressed"
            else:
                try:
                    number, unit, point = parse_cell_text(text)
                except ValueError:
                    states[i] = "invalid"
                    reasons[i] = "not_a_number"
                    continue
                values[i] = number
                units[i] = unit
                if point:
                    reasons[i] = "decimal_point"
        elif kind is bool:
            states[i] = "invalid"
            reasons[i] = "not_a_number"
        else:  # dates and times
            states[i] = "invalid"
            reasons[i] = "date"
    return values, states, units, reasons


def year_of(value: Any) -> int | None:
    """A header cell's year: 2019, "2019", "2019*", "1. januar 2019", "År 2019"; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if value == value and float(value).is_integer() and _YEAR_MIN <= value <= _YEAR_MAX:
            return int(value)
        return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 30:
        return None
    years = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text)
    if len(years) != 1:
        return None
    rest = re.sub(r"(?<!\d)(?:19|20)\d{2}(?!\d)", "", text)
    if re.search(r"\d{3,}", rest):
        return None
    year = int(years[0])
    return year if _YEAR_MIN <= year <= _YEAR_MAX else None


def years_in_text(text: str) -> set[int]:
    return {
        int(y)
        for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text)
        if _YEAR_MIN <= int(y) <= _YEAR_MAX
    }
