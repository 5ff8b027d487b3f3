"""Where a sheet's table is: the block of numeric cells, the header rows above it, the title above those.

Found from the cells' kinds, not from a list of known shapes. The first data row is the row whose
numeric columns change kind right above it: text (or years) in the row above, numbers below. That
row above is the last header row; the header block grows upward over rows that have text above the
numeric columns; what is left above is the title. The body runs down from the first data row,
through section headings, blank rows and invalid cells, and ends before a new header (a second
table) or after its last numeric row (footnotes are left out).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from monitoring.lbf.cells import cell_text, is_suppressed_text, match_key, parse_cell_text
from monitoring.lbf.layout import GENERIC_LABELS, role_of

EMPTY, NUMBER, YEAR, MARKER, TEXT = 0, 1, 2, 3, 4

_YEAR_MIN, _YEAR_MAX = 1980, 2100

# Rows below a candidate first data row that decide which columns hold numbers.
_SAMPLE_ROWS = 30

# Rows the roles of the columns are read from (the body can be much longer).
BODY_SAMPLE_ROWS = 200

MAX_HEADER_ROWS = 4

_YEAR_IN = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")

# Words that may stand with a year in a header without being a label: "År 2019", "pr. 1. januar".
_YEAR_WORDS = {
    "aar",
    "pr",
    "per",
    "januar",
    "december",
    "ultimo",
    "primo",
    "opgjort",
    "tal",
    "aarstal",
    "maaleaar",
}


def split_year(text: str) -> tuple[int | None, str]:
    """ "I beskæftigelse 2022 (pct.)" -> (2022, "I beskæftigelse (pct.)"); "1. januar 2019" -> (2019, "").

    A text with no year or more than one ("2019-2023") gives (None, text).
    """
    found = _YEAR_IN.findall(text)
    if len(found) != 1 or not _YEAR_MIN <= int(found[0]) <= _YEAR_MAX:
        return None, text
    rest = _YEAR_IN.sub(" ", text, count=1).replace("*", " ")
    rest = re.sub(r"\(\s*\)", " ", rest)
    rest = re.sub(r"\s+", " ", rest).strip(" :-–,;/")
    words = match_key(rest).split()
    if all(word in _YEAR_WORDS or word.isdigit() for word in words):
        rest = ""
    return int(found[0]), rest


@functools.lru_cache(maxsize=200_000)
def text_kind(text: str) -> int:
    """The kind of a text cell: EMPTY, YEAR ("2019", "År 2019"), MARKER (".."), NUMBER or TEXT."""
    stripped = text.strip()
    if not stripped:
        return EMPTY
    if is_suppressed_text(stripped):
        return MARKER
    year, rest = split_year(stripped)
    if year is not None and not rest:
        return YEAR
    try:
        parse_cell_text(stripped)
    except ValueError:
        return TEXT
    return NUMBER


def cell_kind(value: Any) -> int:
    kind = type(value)
    if kind is float or kind is int:
        if value != value:  # NaN
            return EMPTY
        if float(value).is_integer() and _YEAR_MIN <= value <= _YEAR_MAX:
            return YEAR
        return NUMBER
    if value is None:
        return EMPTY
    if kind is str:
        return text_kind(value)
    return TEXT  # booleans, dates: not numbers


_NUMERIC_START = re.compile(r"^\s*(?:[-−+]?\s*\d|<\s*\d)")


def looks_numeric(value: Any) -> bool:
    """A cheap test for a number or a suppression marker, for walking long bodies."""
    kind = type(value)
    if kind is float or kind is int:
        return value == value
    if kind is str:
        return bool(_NUMERIC_START.match(value)) or (
            bool(value.strip()) and is_suppressed_text(value)
        )
    return False


@dataclass
class Block:
    """One table in a sheet, 0-based: header rows, first and last data row, numeric columns."""

    header_rows: list[int]
    first: int
    last: int
    width: int
    numeric_columns: list[int]
    kinds: np.ndarray = field(repr=False)  # kinds of the sheet's first rows (the window)
    other_table: int | None = None  # first row of a further table in the sheet, if any

    @property
    def sample(self) -> np.ndarray:
        """Kinds of the first body rows: what the columns hold."""
        return self.kinds[self.first : min(self.last + 1, self.first + BODY_SAMPLE_ROWS)]


def kind_matrix(rows: Sequence[Sequence[Any]], count: int) -> np.ndarray:
    width = max((len(row) for row in rows[:count]), default=0)
    kinds = np.zeros((count, width), dtype=np.int8)
    for r in range(count):
        for c, value in enumerate(rows[r]):
            if value is not None:
                kind = cell_kind(value)
                if kind:
                    kinds[r, c] = kind
    return kinds


def _row_above(nonempty: np.ndarray, row: int, columns: np.ndarray, skip: int = 3) -> int | None:
    """The nearest row above `row` with something over `columns`, passing at most `skip` rows
    (blank spacer rows, or section headings such as "Beskæftigede:" left of the numbers)."""
    for r in range(row - 1, max(-1, row - skip - 2), -1):
        if (nonempty[r] & columns).any():
            return r
    return None


def _column_sums(mask: np.ndarray) -> np.ndarray:
    """Cumulative counts down each column, with a leading zero row: sums[b] - sums[a] = rows a..b-1."""
    sums = np.zeros((mask.shape[0] + 1, mask.shape[1]), dtype=np.int32)
    np.cumsum(mask, axis=0, dtype=np.int32, out=sums[1:])
    return sums


def _numeric_columns(kinds: np.ndarray, first: int, end: int) -> tuple[np.ndarray, np.ndarray]:
    """(numeric, all years) per column over rows first..end-1: mostly numbers or markers."""
    part = kinds[first:end]
    nonempty = (part != EMPTY).sum(axis=0)
    numeric = ((part == NUMBER) | (part == YEAR) | (part == MARKER)).sum(axis=0)
    years = (part == YEAR).sum(axis=0)
    is_numeric = (numeric > 0) & (2 * numeric >= nonempty)
    return is_numeric, is_numeric & (years == numeric)


def _is_year_header(kinds_row: np.ndarray, columns: np.ndarray) -> bool:
    """A row of two or more years over columns of numbers (and no numbers of its own)."""
    if ((kinds_row == NUMBER) | (kinds_row == MARKER)).any():
        return False
    return int(((kinds_row == YEAR) & columns).sum()) >= 2


def _first_data_row(kinds: np.ndarray, last_candidate: int) -> tuple[int, int] | None:
    """(first data row, last header row) that best explain the sheet, or None."""
    rows, width = kinds.shape
    if not width:
        return None
    nonempty = kinds != EMPTY
    numeric = (kinds == NUMBER) | (kinds == YEAR) | (kinds == MARKER)
    years = kinds == YEAR
    nonempty_rows = nonempty.sum(axis=1)
    numeric_rows = numeric.sum(axis=1)
    sums = (_column_sums(nonempty), _column_sums(numeric), _column_sums(years))
    best: tuple[int, int, int] | None = None
    for d in range(min(rows, last_candidate + 1)):
        if numeric_rows[d] == 0 or nonempty_rows[d] < 2:
            continue
        end = min(rows, d + _SAMPLE_ROWS)
        count, number, year = (s[end] - s[d] for s in sums)
        is_numeric = (number > 0) & (2 * number >= count)
        year_column = is_numeric & (year == number)
        above = _row_above(nonempty, d, is_numeric)
        if above is None:
            continue
        if _is_year_header(kinds[d], is_numeric & ~year_column):
            continue
        head = kinds[above]
        good = is_numeric & ((head == TEXT) | ((head == YEAR) & ~year_column))
        bad = is_numeric & ((head == NUMBER) | (head == MARKER) | ((head == YEAR) & year_column))
        score = int(good.sum()) - int(bad.sum())
        if score >= 1 and (best is None or score > best[0]):
            best = (score, d, above)
    return None if best is None else (best[1], best[2])


def _cells(row: Sequence[Any], columns: Sequence[int]) -> list[Any]:
    n = len(row)
    return [row[c] if c < n else None for c in columns]


def _starts_table(
    cells: Sequence[Any], columns: Sequence[int], year_columns: set[int], after_data: bool
) -> bool:
    """A row that starts a new table: text over the numeric columns, or a row of years.

    Right under data it takes text over two columns (one odd text is an invalid value); after a
    blank row or a heading, one is enough when the table has a single value column.
    """
    kinds = [cell_kind(v) for v in cells]
    if any(k in (NUMBER, MARKER) for k in kinds):
        return False
    if after_data:
        texts = sum(1 for k in kinds if k == TEXT)
        return texts >= 2
    values = [k for k, c in zip(kinds, columns, strict=True) if c not in year_columns]
    texts = sum(1 for k in values if k == TEXT)
    years = sum(1 for k in values if k == YEAR)
    return texts >= min(2, len(values)) or years >= 2


def _body_end(
    rows: Sequence[Sequence[Any]], first: int, columns: list[int], year_columns: set[int]
) -> tuple[int, int | None]:
    """(last data row, first row of a further table or None), walking down from `first`."""
    last = first
    after_data = True
    for r in range(first + 1, len(rows)):
        cells = _cells(rows[r], columns)
        numeric = any(looks_numeric(v) for v in cells)
        candidate = not after_data if numeric else any(cell_text(v) for v in cells)
        if candidate and _starts_table(cells, columns, year_columns, after_data):
            return last, r
        if numeric:
            last = r
        after_data = numeric
    return last, None


def _header_block(
    rows: Sequence[Sequence[Any]], last_header: int, columns: list[int], stub_end: int
) -> list[int]:
    """The header rows: upward from the last one while rows name the numeric columns."""
    found = [last_header]
    for r in range(last_header - 1, -1, -1):
        if len(found) >= MAX_HEADER_ROWS:
            break
        row = rows[r]
        over = [v for v in _cells(row, columns) if cell_text(v)]
        if not over or any(cell_kind(v) in (NUMBER, MARKER) for v in over):
            break  # an empty row, a title line left of the table, or numbers
        texts = {cell_text(v) for v in row if cell_text(v)}
        if len(texts) == 1 and any(cell_text(v) for v in row[:stub_end]):
            break  # one text across the whole width: a (merged) title line
        found.insert(0, r)
    return found


def _has_numbers_below(rows: Sequence[Sequence[Any]], start: int) -> bool:
    end = min(len(rows), start + BODY_SAMPLE_ROWS)
    return any(
        sum(1 for v in rows[r] if cell_text(v)) >= 2 and any(looks_numeric(v) for v in rows[r])
        for r in range(start, end)
    )


def _mistyped(value: Any) -> bool:
    """A text where a number belongs ("4l,2", "n/a"), not a header word ("Antal", "I alt")."""
    text = cell_text(value)
    if not text or match_key(text) in GENERIC_LABELS or role_of(text) is not None:
        return False
    return any(ch.isdigit() for ch in text) or len(text) <= 4


def _data_row_above(
    rows: Sequence[Sequence[Any]], kinds: np.ndarray, row: int, columns: list[int]
) -> bool:
    """Whether `row`, above the first numeric row, is a data row whose values are all mistyped.

    It is when its row header is a text (not a header word), the row above it names the columns,
    and each of its cells over the numeric columns is text that reads like a mistyped number.
    """
    if row < 1 or not (kinds[row - 1, columns] != EMPTY).any():
        return False
    stub = [v for v in rows[row][: columns[0]] if cell_text(v)]
    if not stub or any(role_of(v) is not None or cell_kind(v) != TEXT for v in stub):
        return False
    cells = [v for v in _cells(rows[row], columns) if cell_text(v)]
    return bool(cells) and all(_mistyped(v) for v in cells)


def find_block(
    rows: Sequence[Sequence[Any]], scan_rows: int, header_row: int | None = None
) -> Block | None:
    """The sheet's (first) table, or None when no header row sits over columns of numbers.

    `header_row` (0-based) forces the last header row, as a user's hint does.
    """
    count = min(len(rows), scan_rows + BODY_SAMPLE_ROWS)
    kinds = kind_matrix(rows, count)
    if header_row is not None:
        if not 0 <= header_row < count - 1:
            return None
        below = [
            r
            for r in range(header_row + 1, min(count, header_row + 4))
            if (kinds[r] != EMPTY).any()
        ]
        if not below:
            return None
        first, above = below[0], header_row
    else:
        found = _first_data_row(kinds, scan_rows)
        if found is None:
            return None
        first, above = found
    end = min(count, first + _SAMPLE_ROWS)
    is_numeric, is_year = _numeric_columns(kinds, first, end)
    numeric_columns = [int(c) for c in np.flatnonzero(is_numeric)]
    if not numeric_columns:
        return None
    while (
        header_row is None
        and above == first - 1
        and _data_row_above(rows, kinds, above, numeric_columns)
    ):
        first, above = above, above - 1
    if header_row is None:
        first = above + 1  # section headings and spacer rows under the header are body rows
    year_columns = {int(c) for c in np.flatnonzero(is_year)}
    last, other = _body_end(rows, first, numeric_columns, year_columns)
    if other is not None and not _has_numbers_below(rows, other):
        other = None  # a (merged) footnote, not a table
    if other is None:
        later = _first_data_row(kinds[last + 1 :], scan_rows) if last + 1 < count else None
        other = None if later is None else last + 1 + later[1]
    named = [c for c in numeric_columns if c not in year_columns] or numeric_columns
    header_rows = _header_block(rows, above, named, named[0])
    return Block(header_rows, first, last, kinds.shape[1], numeric_columns, kinds, other)
