"""The tidy frame's columns, collected as the reader goes and joined once into compact arrays."""

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


@dataclass
class Columns:
    """Columns of tidy rows, collected run by run and joined once into compact arrays.

    A run gives each column as one value for all its rows or as a sequence (an area list passes the
    same list of area texts for every one of its value columns: it is turned into an array once).
    No list with an entry per cell is ever built, so a national file's frame costs its arrays.
    """

    runs: list[dict[str, Any]] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)

    def extend(self, **columns: Any) -> None:
        n = next(len(v) for v in columns.values() if isinstance(v, list | np.ndarray))
        self.runs.append(columns)
        self.sizes.append(n)

    def column(self, name: str, dtype: Any = object) -> np.ndarray:
        """One column over all runs, written into one array (no array per run: a national file
        has thousands of runs, and their small arrays would stay behind as heap holes)."""
        out = np.empty(sum(self.sizes), dtype=dtype)
        numbers: dict[int, np.ndarray] = {}  # the same list of years, converted once
        start = 0
        for run, n in zip(self.runs, self.sizes, strict=True):
            value = run.get(name)
            if dtype is float and isinstance(value, list):
                if id(value) not in numbers:
                    numbers[id(value)] = np.array(
                        [np.nan if v is None else v for v in value], dtype=float
                    )
                value = numbers[id(value)]
            elif dtype is float and value is None:
                value = np.nan
            out[start : start + n] = value
            start += n
        return out

    def empty_cells(self) -> dict[str, set[int | None]]:
        """Per sheet, the years of cells with nothing in them (they are left out of the frame)."""
        found: dict[str, set[int | None]] = {}
        for run in self.runs:
            states = run["state"]
            if EMPTY not in states:
                continue
            years = run["year"] if isinstance(run["year"], list) else [run["year"]] * len(states)
            for year, state in zip(years, states, strict=True):
                if state == EMPTY:
                    found.setdefault(run["sheet"], set()).add(year)
        return found

    def frame(self) -> pd.DataFrame:
        """The tidy frame; empty cells are no value, so they get no row (and no observation)."""
        state = self.column("state")
        keep = state != EMPTY
        everything = bool(keep.all())

        def kept(values: np.ndarray) -> np.ndarray:
            return values if everything else values[keep]

        categories = {"sheet", "column", "label", "state", "unit_hint", "reason"}
        columns: dict[str, Any] = {}
        for name in FRAME_COLUMNS:
            if name == "row":
                columns[name] = kept(self.column(name, "int64"))
            elif name == "year":
                years = kept(self.column(name, float))
                columns[name] = pd.array(years, dtype="Float64").astype("Int64")
            elif name == "value":
                columns[name] = kept(self.column(name, float))
            elif name in categories:
                columns[name] = categorical(kept(state if name == "state" else self.column(name)))
            else:
                columns[name] = pd.Series(kept(self.column(name)), dtype=object, copy=False)
        return pd.DataFrame(columns, copy=False)  # the arrays are new: no second copy


def categorical(values: np.ndarray) -> pd.Categorical:
    """pd.Categorical(values) (sorted categories, None missing), coded by one hash pass over the
    objects instead of first turning every one of a national file's values into a string array."""
    codes, uniques = pd.factorize(values)
    if not len(uniques) or not all(isinstance(v, str) for v in uniques):
        return pd.Categorical(values)
    order = np.argsort(uniques)
    rank = np.empty(len(order) + 1, dtype="int64")
    rank[order] = np.arange(len(order))
    rank[-1] = -1  # missing stays missing
    return pd.Categorical.from_codes(rank[codes], categories=pd.Index(uniques[order].tolist()))
