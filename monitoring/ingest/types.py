"""What the upload page renders: area matches, the upload, its preview, commit and undo results."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from monitoring.lbf import (
    LbfTable,
    MappingProposal,
    MeasureInfo,
    Problem,
)

BATCH_KIND = "lbf"


UNIT_WORDS = {"pct": "procent", "count": "antal", "dkk": "kroner", "status": "status"}


STATE_NAMES = {"ok": "tal", "suppressed": "diskretioneret", "missing": "mangler"}


KIND_NAMES = {
    "afdeling": "afdeling",
    "boligomraade": "boligområde",
    "kommune": "kommune",
    "benchmark": "sammenligning",
}


@dataclass
class AreaMatch:
    """One area named in the file and what it is in the store (or will be when committed)."""

    text: str
    code: str | None
    kommune: str | None
    name: str
    kind: str
    area_id: int | None
    is_new: bool
    how: str  # "navn", "nummer", "helhedsplan", "kommune", "angivet", "valgt", "husket", "ny"
    parent_name: str | None = None
    parent_id: int | None = None
    parent_code: str | None = None
    new_parent: bool = False
    cells: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "code": self.code,
            "kommune": self.kommune,
            "area": self.name,
            "kind": self.kind,
            "area_id": self.area_id,
            "new": self.is_new,
            "how": self.how,
            "parent": self.parent_name,
            "new_parent": self.new_parent,
            "cells": self.cells,
        }


@dataclass
class AreaQuestion:
    """An area text the upload cannot tie to one store area by itself: a person must choose."""

    text: str
    sheet: str | None
    row: int | None  # None: the area of the whole sheet (a time series)
    cells: int
    reason: str
    candidates: list[int]  # store area ids, most likely first
    can_create: bool  # the text may become a new area if the person says so

    @property
    def option_key(self) -> str:
        """What `--area "KEY=OMRÅDE"` (and `area_map`/`sheet_areas`) must name to answer it."""
        return self.sheet if self.row is None and self.sheet is not None else self.text

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "sheet": self.sheet,
            "row": self.row,
            "cells": self.cells,
            "reason": self.reason,
            "candidates": list(self.candidates),
            "can_create": self.can_create,
        }


@dataclass(frozen=True)
class StoreDiff:
    """Every importable cell against the store (`changes.diff_with_store`) as of `stamp`."""

    stamp: int
    merged: pd.DataFrame


@dataclass
class Upload:
    """A read and resolved upload: the page's working object between steps."""

    table: LbfTable
    frame: pd.DataFrame  # the tidy frame plus measure_key, unit, area_ref and importable
    mapping: list[MappingProposal]
    areas: list[AreaMatch]
    problems: list[Problem]
    measures: dict[str, MeasureInfo]
    chosen: dict[str, str | None] = field(default_factory=dict)
    area_map: dict[str, int | str] = field(default_factory=dict)
    sheet_areas: dict[str, int | str] = field(default_factory=dict)
    questions: list[AreaQuestion] = field(default_factory=list)
    area_choices: dict[str, int] = field(default_factory=dict)  # file text -> area, to remember
    # The preview's comparison with the store, kept for the commit: used again when the store's
    # change stamp (read under the write lock) is still the one read before the comparison.
    diff: StoreDiff | None = field(default=None, repr=False, compare=False)

    @property
    def blocking(self) -> bool:
        return any(p.blocking for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.blocking]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.blocking]

    @property
    def new_areas(self) -> list[AreaMatch]:
        return [a for a in self.areas if a.is_new]

    @property
    def unmapped(self) -> list[MappingProposal]:
        return [m for m in self.mapping if not m.mapped and not m.ignored]


@dataclass
class Preview:
    """What a commit would do: one row per importable cell, plus counts and a per-area summary.

    `warnings` are said before saving and block nothing (a file revising a signed baseline).
    """

    frame: pd.DataFrame
    counts: dict[str, int]
    warnings: list[Problem] = field(default_factory=list)

    def summary(self) -> pd.DataFrame:
        """New / changed / unchanged per area and measure (the page's preview table)."""
        if self.frame.empty:
            return pd.DataFrame(columns=["area", "measure", "new", "changed", "unchanged"])
        table = (
            self.frame.groupby(["area", "measure", "status"], observed=True, sort=False)
            .size()
            .unstack("status", fill_value=0)
        )
        for status in ("new", "changed", "unchanged"):
            if status not in table.columns:
                table[status] = 0
        return table[["new", "changed", "unchanged"]].reset_index()

    def changed(self) -> pd.DataFrame:
        return self.frame[self.frame["status"] == "changed"]


@dataclass
class CommitResult:
    batch_id: int | None
    counts: dict[str, int]
    message: str

    @property
    def changed_anything(self) -> bool:
        return self.batch_id is not None


@dataclass
class UndoResult:
    batch_id: int
    restored: int
    deleted: int
    areas_removed: int
    message: str
