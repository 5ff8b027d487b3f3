"""The tidy frame's columns, collected compactly as the reader goes and joined once at the end."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from monitoring.lbf.cells import EMPTY

FRAME_COLUMNS = [
    "sheet",
    "row",
    "column",
    "area_text",
    "area_code",
    "kommune_text",
    "kommune_code",
    "label",
    "year",
    "raw",
    "value",
    "state",
    "unit_hint",
    "reason",
]

# Texts that repeat over many cells: kept as a code per cell and each text once (a national area
# list names 8,000 areas on 320,000 cells), and categorical in the frame.
CODED = tuple(c for c in FRAME_COLUMNS if c not in ("row", "year", "raw", "value"))


@dataclass
class Columns:
    """Columns of tidy rows, collected run by run in compact form and joined once.

    A run gives each column as one value for all its rows or as a sequence (an area list passes the
    same list of area texts for every one of its value columns: it is coded once). Each run is
    turned into small arrays as it arrives (codes for texts, floats for numbers), so the reader
    never holds a Python object per cell beyond the cells themselves, and a number cell's own
    object is not kept: its `raw` is None and its value says it (`raw_text`).
    """

    runs: list[dict[str, Any]] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    words: dict[str, dict[Any, int]] = field(default_factory=lambda: {c: {} for c in CODED})
    _shared: dict[tuple[str, int], tuple[Any, np.ndarray]] = field(default_factory=dict)

    def _code(self, name: str, value: Any) -> int:
        if value is None:
            return -1
        words = self.words[name]
        code = words.get(value)
        return _new_word(words, value) if code is None else code

    def _converted(self, name: str, values: Any, convert: Any) -> np.ndarray:
        """`convert(values)`, once per list object: runs share their area, row and year lists."""
        key = (name, id(values))
        found = self._shared.get(key)
        if found is None or found[0] is not values:
            found = (values, convert(values))  # the list is kept, so its id stays its own
            self._shared[key] = found
        return found[1]

    def _codes(self, name: str, values: Any) -> Any:
        if not isinstance(values, list | np.ndarray):
            return self._code(name, values)
        words = self.words[name]
        codes = np.fromiter(
            (
                -1
                if v is None
                else (code if (code := words.get(v)) is not None else _new_word(words, v))
                for v in values
            ),
            dtype=np.int32,
            count=len(values),
        )
        return int(codes[0]) if len(codes) and (codes == codes[0]).all() else codes

    def end_sheet(self) -> None:
        """Let go of the sheet's shared lists (and through them its cells' texts)."""
        self._shared.clear()

    def extend(self, **columns: Any) -> None:
        n = next(len(v) for v in columns.values() if isinstance(v, list | np.ndarray))
        value = np.asarray(columns["value"], dtype=float)
        run: dict[str, Any] = {"value": value, "raw": _raw_objects(columns["raw"], value)}
        for name in CODED:
            given = columns.get(name)
            if isinstance(given, list) and name not in ("state", "unit_hint", "reason"):
                run[name] = self._converted(name, given, lambda v, name=name: self._codes(name, v))
            else:
                run[name] = self._codes(name, given)
        row, year = columns["row"], columns.get("year")
        run["row"] = self._converted("row", row, lambda v: np.asarray(v, dtype="int64"))
        if isinstance(year, list):
            run["year"] = self._converted("year", year, _floats)
        else:
            run["year"] = np.nan if year is None else float(year)
        self.runs.append(run)
        self.sizes.append(n)

    def _joined(self, name: str, dtype: Any) -> np.ndarray:
        """One column over all runs, written into one array (no array per run: a national file
        has thousands of runs, and their small arrays would stay behind as heap holes)."""
        out = np.empty(sum(self.sizes), dtype=dtype)
        start = 0
        for run, n in zip(self.runs, self.sizes, strict=True):
            out[start : start + n] = run[name]
            start += n
        return out

    def empty_cells(self) -> dict[str, set[int | None]]:
        """Per sheet, the years of cells with nothing in them (they are left out of the frame)."""
        empty = self.words["state"].get(EMPTY)
        sheets = {code: sheet for sheet, code in self.words["sheet"].items()}
        found: dict[str, set[int | None]] = {}
        if empty is None:
            return found
        for run, n in zip(self.runs, self.sizes, strict=True):
            states = np.broadcast_to(run["state"], n)
            if not (states == empty).any():
                continue
            years = np.broadcast_to(run["year"], n)[states == empty]
            sheet = sheets[int(np.broadcast_to(run["sheet"], n)[0])]
            found.setdefault(sheet, set()).update(
                None if y != y else int(y) for y in years.tolist()
            )
        return found

    def frame(self) -> pd.DataFrame:
        """The tidy frame; empty cells are no value, so they get no row (and no observation)."""
        empty = self.words["state"].get(EMPTY, -2)
        keep = self._joined("state", np.int32) != empty
        everything = bool(keep.all())

        def kept(values: np.ndarray) -> np.ndarray:
            return values if everything else values[keep]

        columns: dict[str, Any] = {}
        for name in FRAME_COLUMNS:
            if name in CODED:
                codes = kept(self._joined(name, np.int32))
                columns[name] = coded_categorical(codes, list(self.words[name]))
            elif name == "row":
                columns[name] = kept(self._joined(name, "int64"))
            elif name == "year":
                years = kept(self._joined(name, float))
                missing = np.isnan(years)
                years[missing] = 0
                columns[name] = pd.arrays.IntegerArray(years.astype("int64"), missing)
            elif name == "value":
                columns[name] = kept(self._joined(name, float))
            else:
                columns[name] = pd.Series(
                    kept(self._joined(name, object)), dtype=object, copy=False
                )
        return pd.DataFrame(columns, copy=False)  # the arrays are new: no second copy


def _own(value: Any) -> Any:
    """A text as a new object of its own: a text kept from a grid's cell would otherwise keep the
    memory block of its neighbouring cells (a national grid's numbers) from being given back."""
    return value[:1] + value[1:] if type(value) is str and len(value) > 1 else value


def _new_word(words: dict[Any, int], value: Any) -> int:
    code = len(words)
    words[_own(value)] = code
    return code


def _floats(values: list[Any]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _raw_objects(cells: Any, values: np.ndarray) -> np.ndarray:
    """The cells as read, except a plain number that is its own value (None: `raw_text` gives it
    back from the value), so the grid's number objects need not outlive the grid."""
    out = np.empty(len(cells), dtype=object)
    texts: dict[str, str] = {}  # one object per distinct text ("..", "x"), of its own
    out[:] = [
        None
        if (type(v) is float or type(v) is int) and v == x and abs(v) < 1e15
        else (texts.get(v) or texts.setdefault(v, _own(v)) if type(v) is str else v)
        for v, x in zip(cells, values.tolist(), strict=True)
    ]
    return out


def raw_text(raw: Any, value: Any) -> Any:
    """A tidy row's cell as read: its raw object, or its number when the cell was a plain number."""
    return value if raw is None else raw


def coded_categorical(codes: np.ndarray, words: list[Any]) -> pd.Categorical:
    """pd.Categorical of `words[code]` (-1 missing) with the sorted words that occur as its
    categories, without building an object per cell."""
    present = np.bincount(codes[codes >= 0], minlength=len(words)) > 0
    used = [i for i in range(len(words)) if present[i]]
    if not all(isinstance(words[i], str) for i in used):
        return pd.Categorical(np.array([*words, None], dtype=object)[codes])  # -1: the None
    order = sorted(used, key=words.__getitem__)
    small = np.int8 if len(order) < 127 else np.int16 if len(order) < 32767 else np.int32
    rank = np.full(len(words) + 1, -1, dtype=small)  # the codes' own size: no copy to shrink them
    rank[order] = np.arange(len(order))
    categories = pd.Index([words[i] for i in order], dtype=object)
    return pd.Categorical.from_codes(rank[codes], categories=categories)


def coded_column(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A column as (a code per row, -1 missing; the values the codes stand for)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(), np.asarray(column.cat.categories, dtype=object)
    codes, uniques = pd.factorize(column.to_numpy(dtype=object))
    return codes, np.asarray(uniques, dtype=object)


def in_order_of_appearance(codes: np.ndarray, size: int) -> np.ndarray:
    """The distinct codes (each in range(size)) in the order they first appear, as integers.

    A table of first rows when `size` is at most the number of codes (a few labels over a
    million cells: no sort, one array of positions); else by sorting (a hostile file's many
    labels on many sheets), so the memory stays a few arrays the length of `codes` either way.
    """
    if size <= len(codes):
        rows = np.arange(len(codes), dtype=np.int32 if len(codes) < 2**31 else np.int64)
        first = np.full(size, len(codes), dtype=rows.dtype)
        np.minimum.at(first, codes, rows)
        present = np.flatnonzero(first < len(codes))
        return present[np.argsort(first[present], kind="stable")]
    distinct, first = np.unique(codes, return_index=True)
    return distinct[np.argsort(first, kind="stable")]


def no_texts(n: int) -> pd.Categorical:
    """A text column of `n` missing texts, a byte per row (an object column is a pointer per row)."""
    return pd.Categorical.from_codes(
        np.full(n, -1, dtype=np.int8), categories=pd.Index([], dtype=object)
    )


def recoded(column: pd.Series, mapping: dict[Any, Any]) -> pd.Categorical:
    """A categorical column with each category replaced by `mapping[category]` (missing: not
    mapped), by its codes: `column.map(mapping).astype("category")` without an object per row."""
    if not isinstance(column.dtype, pd.CategoricalDtype):
        column = column.astype("category")
    words = [mapping.get(c) for c in column.cat.categories]
    codes, uniques = pd.factorize(np.array(words, dtype=object))  # None: -1
    lookup = np.append(codes, -1)  # a missing row (code -1) stays missing
    return coded_categorical(lookup[column.cat.codes.to_numpy()], uniques.tolist())


def row_keys(columns: list[np.ndarray]) -> np.ndarray:
    """One number per row for its codes in all `columns` (codes from -1, missing, up): equal
    numbers, equal codes. One int64 array instead of a hash of tuples per row."""
    key = np.zeros(len(columns[0]), dtype="int64")
    span = 1  # every key is below it
    for column in columns:
        base = int(column.max(initial=-1)) + 2
        if span * base >= 2**62:  # renumber the keys so far 0, 1, ... before they could overflow
            key, uniques = pd.factorize(key)
            span = len(uniques)
        key *= base
        key += column
        key += 1
        span *= base
    return key


def repeated(key: np.ndarray) -> bool:
    """Whether any number occurs twice."""
    ordered = np.sort(key)
    return bool((ordered[1:] == ordered[:-1]).any())
