"""Uploads of LBF data into the store: resolve, validate, preview, commit as one batch, undo, history.

The upload page and `python -m monitoring import-lbf` call the same functions, in this order:

    upload = read_upload(engine, data, file_name, year=..., area=...)   # read + resolve + validate
    upload = resolve(engine, upload.table, mapping={...}, area_map={...})  # after user corrections
    changes = preview(engine, upload)                                   # new / changed / unchanged
    result = commit(engine, upload, user="...")                         # one transaction, one batch
    undo(engine, result.batch_id, user="...")                           # restores exactly
    history(engine)                                                     # the import history

Nothing is written before `commit`; `commit` refuses an upload with blocking problems.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from sqlalchemy import Engine, bindparam, delete, false, insert, select
from sqlalchemy.orm import Session

from monitoring.db import transaction
from monitoring.errors import MonitorError
from monitoring.fmt import format_value
from monitoring.lbf import (
    ERROR,
    WARNING,
    LayoutHint,
    LbfTable,
    MappingProposal,
    MeasureInfo,
    Problem,
    ReadSettings,
    cell_text,
    label_summary,
    load_synonyms,
    match_key,  # cached
    propose_mapping,
    read_table,
)
from monitoring.models import (
    Area,
    Comparator,
    ImportBatch,
    Indicator,
    MappingMemory,
    Measure,
    Observation,
    ObservationChange,
    Plan,
    PlanArea,
)
from monitoring.names import kommune_area_name
from monitoring.seed import MEASURES_FILE, SEED_DIR

BATCH_KIND = "lbf"
SOURCE_PREFIX = "Upload"
NO_CHANGES = "Ingen ændringer"
BENCHMARK_NAMES = {
    "hele landet",
    "landsplan",
    "landsgennemsnit",
    "danmark",
    "alle almene boligafdelinger",
    "alle almene afdelinger",
    "almene boligafdelinger i alt",
}
_KIND_ORDER = {"afdeling": 0, "boligomraade": 1, "benchmark": 2, "kommune": 3}
UNIT_WORDS = {"pct": "procent", "count": "antal", "dkk": "kroner", "status": "status"}
STATE_NAMES = {"ok": "tal", "suppressed": "diskretioneret", "missing": "mangler"}
MAX_LISTED_WARNINGS = 200


# --------------------------------------------------------------------------------------------
# Data the page renders


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
    how: str  # "navn", "nummer", "kommune", "titel", "angivet", "valgt", "ny"
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
    """What a commit would do: one row per importable cell, plus counts and a per-area summary."""

    frame: pd.DataFrame
    counts: dict[str, int]

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


# --------------------------------------------------------------------------------------------
# Catalogue of measures and areas


def shared_measures(seed_dir: Path = SEED_DIR) -> dict[str, MeasureInfo]:
    path = seed_dir / MEASURES_FILE
    if not path.exists():
        return {}
    content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        m["key"]: MeasureInfo(m["key"], m["name"], m["unit"])
        for m in content.get("measures") or []
        if m.get("key") and m.get("unit")
    }


def measure_catalog(engine: Engine) -> dict[str, MeasureInfo]:
    """Every measure an upload can map to: the store's plus the shared LBF ones not yet loaded."""
    catalog = shared_measures()
    with Session(engine) as session:
        for key, name, unit in session.execute(select(Measure.key, Measure.name, Measure.unit)):
            catalog[key] = MeasureInfo(key, name, unit)
    return catalog


def remembered_mappings(engine: Engine) -> dict[str, str | None]:
    """match_key(label) -> measure key (None: deliberately not imported), as confirmed before."""
    with Session(engine) as session:
        rows = session.execute(select(MappingMemory.label_key, MappingMemory.measure_key))
        return {label_key: measure_key for label_key, measure_key in rows}


@dataclass
class _StoreArea:
    id: int
    name: str
    kind: str
    code: str | None
    key: str
    parent_id: int | None


class _Areas:
    """The store's areas, indexed for matching names, numbers and kommuner."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(
            select(Area.id, Area.name, Area.kind, Area.code, Area.match_key, Area.parent_id)
        )
        self.by_id = {r.id: _StoreArea(*r) for r in rows}
        self.by_key: dict[str, list[_StoreArea]] = {}
        self.afdeling_by_code: dict[str, list[_StoreArea]] = {}
        self.kommune_by_code: dict[str, _StoreArea] = {}
        for area in self.by_id.values():
            self.by_key.setdefault(area.key, []).append(area)
            if area.kind == "afdeling" and area.code:
                self.afdeling_by_code.setdefault(area.code.lstrip("0"), []).append(area)
            if area.kind == "kommune" and area.code:
                self.kommune_by_code[area.code.lstrip("0")] = area

    def ancestors(self, area: _StoreArea) -> set[int]:
        seen: set[int] = set()
        parent = area.parent_id
        while parent is not None and parent not in seen:
            seen.add(parent)
            parent = self.by_id[parent].parent_id if parent in self.by_id else None
        return seen

    def kommune(self, text: str | None, code: str | None) -> _StoreArea | None:
        if code and code.lstrip("0") in self.kommune_by_code:
            return self.kommune_by_code[code.lstrip("0")]
        if text:
            for area in self.by_key.get(match_key(kommune_area_name(text)), []):
                if area.kind == "kommune":
                    return area
        return None

    def in_titles(self, lines: Sequence[str]) -> _StoreArea | None:
        """The store area whose name appears in a title block (longest name wins, kommune last)."""
        haystack = " " + " ".join(match_key(line) for line in lines) + " "
        best: _StoreArea | None = None
        for key, areas in self.by_key.items():
            if len(key) < 3 or f" {key} " not in haystack:
                continue
            for area in areas:
                if best is None or (
                    _KIND_ORDER.get(area.kind, 9),
                    -len(area.key),
                ) < (_KIND_ORDER.get(best.kind, 9), -len(best.key)):
                    best = area
        return best


# --------------------------------------------------------------------------------------------
# Reading and resolving


def read_upload(
    engine: Engine,
    data: bytes,
    file_name: str,
    *,
    year: int | None = None,
    area: str | None = None,
    mapping: Mapping[str, str | None] | None = None,
    area_map: Mapping[str, int | str] | None = None,
    hint: LayoutHint | None = None,
    settings: ReadSettings | None = None,
) -> Upload:
    """Read the file and resolve it against the store: the page's first step. Writes nothing."""
    table = read_table(data, file_name, year=year, area=area, hint=hint, settings=settings)
    return resolve(engine, table, mapping=mapping, area_map=area_map)


def _chosen_mapping(
    mapping: Mapping[str, str | None] | None, measures: dict[str, MeasureInfo]
) -> tuple[dict[str, str | None], dict[str, str], list[Problem]]:
    chosen: dict[str, str | None] = {}
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    for text, key in (mapping or {}).items():
        measure = (key or "").strip() or None
        if measure is not None and measure not in measures:
            known = ", ".join(sorted(measures))
            problems.append(
                Problem(
                    ERROR,
                    "unknown_measure",
                    f"Målet '{measure}' (valgt for '{text}') findes ikke. Kendte mål: {known}.",
                )
            )
            continue
        chosen[match_key(text)] = measure
        texts[match_key(text)] = text
    return chosen, texts, problems


def resolve(
    engine: Engine,
    table: LbfTable,
    *,
    mapping: Mapping[str, str | None] | None = None,
    area_map: Mapping[str, int | str] | None = None,
) -> Upload:
    """Map texts to measures and areas to the store, and validate every value. Writes nothing.

    `mapping`: row/column text -> measure key (None or "" = do not import), overriding the proposal.
    `area_map`: area text as in the file -> an existing area (id or name) instead of a new area.
    """
    measures = measure_catalog(engine)
    chosen, chosen_texts, problems = _chosen_mapping(mapping, measures)
    problems = [*table.problems, *problems]
    upload = Upload(
        table=table,
        frame=table.frame.assign(
            measure_key=pd.Series(None, index=table.frame.index, dtype=object),
            unit=pd.Series(None, index=table.frame.index, dtype=object),
            area_ref=pd.Series(-1, index=table.frame.index, dtype="int64"),
            importable=False,
        ),
        mapping=[],
        areas=[],
        problems=problems,
        measures=measures,
        chosen=chosen,
        area_map=dict(area_map or {}),
    )
    if table.frame.empty or any(p.blocking for p in table.problems if p.row is None):
        return upload
    upload.mapping = propose_mapping(
        label_summary(table.frame, table.titles),
        measures,
        load_synonyms(),
        remembered_mappings(engine),
        chosen,
    )
    labels_in_file = {match_key(m.label) for m in upload.mapping}
    for key, text in chosen_texts.items():
        if key not in labels_in_file:
            problems.append(
                Problem(
                    WARNING,
                    "mapping_not_used",
                    f"Kortlægningen af '{text}' bruges ikke: ingen række eller kolonne i filen "
                    "har den tekst.",
                )
            )
    key_of_label = {m.label: m.measure_key for m in upload.mapping if m.mapped}
    frame = upload.frame
    frame["measure_key"] = frame["label"].map(key_of_label).astype(object)
    frame["unit"] = frame["measure_key"].map({k: m.unit for k, m in measures.items()})
    frame["unit"] = frame["unit"].astype("category")
    mapped = frame["measure_key"].notna().to_numpy()
    _warn_unmapped(upload)
    if not mapped.any():
        problems.append(
            Problem(
                ERROR,
                "nothing_mapped",
                "Ingen rækker eller kolonner i filen kunne knyttes til et mål. Vælg målene i "
                'kortlægningen (eller brug --map "TEKST=målnøgle").',
            )
        )
        return upload
    with Session(engine) as session:
        store_areas = _Areas(session)
    _resolve_areas(upload, store_areas, mapped)
    _validate(upload, mapped)
    _check_history(engine, upload)
    return upload


def _resolve_areas(upload: Upload, store: _Areas, mapped: np.ndarray) -> None:
    table, frame, problems = upload.table, upload.frame, upload.problems
    area_map = {match_key(str(k)): v for k, v in upload.area_map.items()}
    # Time series: the area is named in the title block (or given by the user) once per sheet.
    for layout in table.layouts:
        if layout.layout != "time_series":
            continue
        rows = (frame["sheet"] == layout.sheet).to_numpy()
        text, code = layout.area_text, layout.area_code
        kommune = layout.kommune_text
        if table.area_hint is None and not _explicit_title_area(layout.title, text):
            found = store.in_titles(layout.title)
            if found is not None and (found.kind != "kommune" or text is None):
                text, code = found.name, found.code
        if text is None and kommune is not None:
            text = kommune
        if text is None:
            if (rows & mapped).any():
                problems.append(
                    Problem(
                        ERROR,
                        "no_area",
                        "Det fremgår ikke af arket, hvilket område tallene gælder. Vælg området "
                        '(eller brug --area "NAVN").',
                        sheet=layout.sheet,
                    )
                )
            continue
        frame.loc[rows, "area_text"] = text
        frame.loc[rows, "area_code"] = code
    identity = ["area_text", "area_code", "kommune_text", "kommune_code"]
    subset = frame.loc[mapped & frame["area_text"].notna().to_numpy(), identity].fillna("")
    if subset.empty:
        return
    grouped = subset.groupby(identity, sort=False)
    group_of_row = grouped.ngroup().to_numpy()
    sizes = grouped.size()
    ref_of_group = np.full(len(sizes), -1, dtype="int64")
    new_kommuner: dict[str, AreaMatch] = {}
    for group, (combo, cells) in enumerate(sizes.items()):
        text, code, kommune_text, kommune_code = (str(v).strip() or None for v in combo)
        if text is None:
            continue
        match = _match_area(
            text, code, kommune_text, kommune_code, store, area_map, new_kommuner, problems
        )
        if match is None:
            continue
        match.cells = int(cells)
        ref_of_group[group] = len(upload.areas)
        upload.areas.append(match)
    frame.loc[subset.index, "area_ref"] = ref_of_group[group_of_row]
    upload.areas.extend(new_kommuner.values())  # kommuner to create as parents of new areas
    _merge_same_areas(upload)


def _merge_same_areas(upload: Upload) -> None:
    """Two spellings of one area ("Løvvangen", "LØVVANGEN") must count as one area."""
    first: dict[tuple[str, str, int | None], int] = {}
    remap: dict[int, int] = {}
    for index, area in enumerate(upload.areas):
        key = (area.kind, match_key(area.name), area.area_id)
        if key in first:
            remap[index] = first[key]
            upload.areas[first[key]].cells += area.cells
        else:
            first[key] = index
    if not remap:
        return
    keep = sorted(first.values())
    renumber = np.full(len(upload.areas) + 1, -1, dtype="int64")  # last slot: ref -1 stays -1
    for new, old in enumerate(keep):
        renumber[old] = new
    for duplicate, original in remap.items():
        renumber[duplicate] = renumber[original]
    upload.areas = [upload.areas[i] for i in keep]
    upload.frame["area_ref"] = renumber[upload.frame["area_ref"].to_numpy()]


def _explicit_title_area(lines: Sequence[str], text: str | None) -> bool:
    if text is None:
        return False
    return any(line.strip().casefold().split(":")[0].strip() in _EXPLICIT for line in lines)


_EXPLICIT = {"afdeling", "boligafdeling", "område", "omraade", "boligområde", "helhedsplan", "afd."}


def _match_area(
    text: str,
    code: str | None,
    kommune_text: str | None,
    kommune_code: str | None,
    store: _Areas,
    area_map: dict[str, int | str],
    new_kommuner: dict[str, AreaMatch],
    problems: list[Problem],
) -> AreaMatch | None:
    key = match_key(text)
    kommune = store.kommune(kommune_text, kommune_code)

    def found(area: _StoreArea, how: str) -> AreaMatch:
        return AreaMatch(text, code, kommune_text, area.name, area.kind, area.id, False, how)

    chosen = area_map.get(key) if key in area_map else area_map.get(match_key(code or ""))
    if chosen is not None:
        target = (
            store.by_id.get(int(chosen))
            if isinstance(chosen, int) or str(chosen).isdigit()
            else next(iter(store.by_key.get(match_key(str(chosen)), [])), None)
        )
        if target is None:
            problems.append(
                Problem(
                    ERROR,
                    "unknown_area",
                    f"Området '{chosen}', som '{text}' skulle knyttes til, findes ikke.",
                )
            )
            return None
        return found(target, "valgt")
    if key.endswith(" kommune") or key == "kommune":
        area = store.kommune(text, kommune_code)
        if area is not None:
            return found(area, "kommune")
        return _new_kommune(text, kommune_code, text)
    candidates = list(store.by_key.get(key, []))
    if candidates:
        if code:
            with_code = [
                a
                for a in candidates
                if a.kind == "afdeling" and (a.code or "").lstrip("0") == code.lstrip("0")
            ]
            candidates = with_code or candidates
        if kommune is not None:
            inside = [a for a in candidates if kommune.id in store.ancestors(a)]
            candidates = inside or candidates
        candidates.sort(key=lambda a: _KIND_ORDER.get(a.kind, 9))
        return found(candidates[0], "navn")
    if code:
        numbered = store.afdeling_by_code.get(code.lstrip("0"), [])
        if kommune is not None:
            numbered = [a for a in numbered if kommune.id in store.ancestors(a)]
        if len(numbered) == 1:
            return found(numbered[0], "nummer")
    if key in BENCHMARK_NAMES:
        return AreaMatch(text, code, kommune_text, text, "benchmark", None, True, "ny")
    kind = "afdeling" if code else "boligomraade"
    match = AreaMatch(text, code, kommune_text, text, kind, None, True, "ny")
    if kommune is not None:
        match.parent_name, match.parent_id = kommune.name, kommune.id
    elif kommune_text or kommune_code:
        name = kommune_area_name(kommune_text) if kommune_text else f"Kommune {kommune_code}"
        match.parent_name, match.parent_code, match.new_parent = name, kommune_code, True
        new_kommuner.setdefault(match_key(name), _new_kommune(name, kommune_code, name))
    else:
        problems.append(
            Problem(
                WARNING,
                "area_without_kommune",
                f"Området '{text}' er nyt, og filen siger ikke, hvilken kommune det ligger i; det "
                "oprettes uden kommune.",
            )
        )
    return match


def _new_kommune(text: str, code: str | None, file_text: str) -> AreaMatch:
    name = kommune_area_name(text.strip())
    return AreaMatch(file_text, code, name, name, "kommune", None, True, "ny", parent_code=code)


def _problem_rows(
    frame: pd.DataFrame, mask: np.ndarray, level: str, code: str, message: Any
) -> list[Problem]:
    """One problem per selected row; `message` is a string or a function of the row."""
    rows = frame.loc[mask, ["sheet", "row", "column", "raw", "label", "value"]]
    result = []
    for sheet, row, column, raw, label, value in rows.itertuples(index=False, name=None):
        text = message(label, value) if callable(message) else message
        result.append(
            Problem(
                level, code, text, sheet=sheet, row=int(row), column=column, text=cell_text(raw)
            )
        )
    return result


def _validate(upload: Upload, mapped: np.ndarray) -> None:
    frame, problems = upload.frame, upload.problems

    def equals(column: str, value: str) -> np.ndarray:
        return (frame[column] == value).to_numpy(dtype=bool, na_value=False)

    value = frame["value"].to_numpy(dtype=float)
    year_known = frame["year"].notna().to_numpy()
    has_area = (frame["area_ref"] >= 0).to_numpy()
    ok = mapped & equals("state", "ok")
    suppressed = mapped & equals("state", "suppressed")
    invalid = mapped & equals("state", "invalid")
    with_hint = ok & frame["unit_hint"].notna().to_numpy()
    hint = frame["unit_hint"].astype(object).to_numpy()
    unit = frame["unit"].astype(object).to_numpy()

    problems += _problem_rows(
        frame,
        invalid & equals("reason", "not_a_number"),
        ERROR,
        "not_a_number",
        "Cellen skal være et tal (fx 41,2 eller 1.234) eller markeret som diskretioneret "
        "(fx '..' eller 'x'). Ret cellen i filen.",
    )
    problems += _problem_rows(
        frame,
        invalid & equals("reason", "date"),
        ERROR,
        "not_a_number",
        "Cellen er en dato, men skal være et tal. Ret cellen i filen.",
    )
    problems += _problem_rows(
        frame,
        ok & equals("reason", "decimal_point"),
        WARNING,
        "decimal_point",
        "Tallet er skrevet med decimalpunktum og læst som decimaltal. Tjek, at det er rigtigt.",
    )
    mismatch = np.zeros(len(frame), dtype=bool)
    if with_hint.any():
        rows = np.flatnonzero(with_hint)
        mismatch[rows] = hint[rows] != unit[rows]
    problems += _problem_rows(
        frame,
        mismatch,
        ERROR,
        "unit_mismatch",
        lambda label, v: (
            f"Cellens enhed passer ikke til målet for '{label}'. Vælg et andet mål "
            "eller ret cellen."
        ),
    )
    pct = ok & equals("unit", "pct") & ~mismatch
    problems += _problem_rows(
        frame,
        pct & ((value < 0) | (value > 100)),
        ERROR,
        "percent_out_of_range",
        lambda label, v: (
            f"En andel skal ligge mellem 0 og 100 %, men cellen giver {_danish(v)} %. "
            f"Ret cellen i filen eller vælg et andet mål for '{label}'."
        ),
    )
    problems += _problem_rows(
        frame,
        ok & equals("unit", "count") & (value < 0),
        ERROR,
        "negative_count",
        "Et antal kan ikke være negativt. Ret cellen i filen.",
    )
    # Shares given as fractions without a percent format (0,41 meant as 41 %).
    for label in pd.unique(frame.loc[pct, "label"]):
        rows = pct & (frame["label"] == label).to_numpy() & ~equals("unit_hint", "pct")
        values = value[rows]
        if len(values) >= 2 and np.nanmax(values) <= 1.0 and np.nanmax(values) > 0:
            problems.append(
                Problem(
                    WARNING,
                    "fraction_percent",
                    f"Alle værdier for '{label}' ligger mellem 0 og 1. Hvis de er brøker (0,41 = "
                    "41 %), så formatér cellerne som procent i Excel; de bliver ellers gemt som "
                    "under 1 %.",
                )
            )
    listed = np.flatnonzero(suppressed)
    if len(listed):
        problems += _problem_rows(
            frame,
            suppressed & (np.cumsum(suppressed) <= MAX_LISTED_WARNINGS),
            WARNING,
            "suppressed",
            "Cellen er diskretioneret (for få personer) og gemmes uden tal – ikke som 0.",
        )
        if len(listed) > MAX_LISTED_WARNINGS:
            problems.append(
                Problem(
                    WARNING,
                    "suppressed",
                    f"… og {len(listed) - MAX_LISTED_WARNINGS} diskretionerede celler mere (i alt "
                    f"{len(listed)}); de gemmes uden tal – ikke som 0.",
                )
            )
    no_year = mapped & ~year_known & ~invalid
    if no_year.any():
        for sheet in pd.unique(frame.loc[no_year, "sheet"]):
            if any(p.code == "bad_year" and p.sheet == sheet for p in problems):
                continue
            problems.append(
                Problem(
                    ERROR,
                    "no_year",
                    "Året fremgår ikke af arket (hverken af en År-kolonne, titlen eller arkets "
                    "navn). Angiv året (eller brug --year ÅÅÅÅ).",
                    sheet=sheet,
                )
            )
    importable = mapped & year_known & has_area & (ok | suppressed)
    # The same area, measure and year twice: blocking when the values differ.
    cells = frame.loc[importable, ["area_ref", "measure_key", "year", "value", "state"]]
    duplicated = cells.duplicated(["area_ref", "measure_key", "year"], keep=False)
    if duplicated.any():
        dup = cells[duplicated]
        spread = dup.groupby(["area_ref", "measure_key", "year"], observed=True).agg(
            values=("value", lambda s: s.round(9).nunique(dropna=False)),
            states=("state", "nunique"),
        )
        conflict_keys = spread[(spread["values"] > 1) | (spread["states"] > 1)].index
        keys = pd.MultiIndex.from_frame(dup[["area_ref", "measure_key", "year"]])
        conflict = dup.index[keys.isin(conflict_keys)]
        same = dup.index[~keys.isin(conflict_keys)]
        mask = np.zeros(len(frame), dtype=bool)
        mask[frame.index.get_indexer(conflict)] = True
        problems += _problem_rows(
            frame,
            mask,
            ERROR,
            "duplicate_conflict",
            lambda label, v: (
                f"Samme område, mål og år står flere gange i filen med forskellige "
                f"værdier (her '{label}'). Ret filen, så hver værdi kun står én gang."
            ),
        )
        repeat = dup.loc[same].duplicated(["area_ref", "measure_key", "year"], keep="first")
        drop = repeat[repeat].index
        importable[frame.index.get_indexer(drop)] = False
        if len(drop):
            problems.append(
                Problem(
                    WARNING,
                    "duplicate_same",
                    f"{len(drop)} værdier står to gange i filen med samme tal; de gemmes én gang.",
                )
            )
        importable[frame.index.get_indexer(conflict)] = False
    frame["importable"] = importable


def _warn_unmapped(upload: Upload) -> None:
    problems = upload.problems
    for proposal in upload.mapping:
        if proposal.mapped or proposal.ignored:
            continue
        hint_text = (
            f" Forslag: {proposal.suggestion} ({proposal.suggestion_confidence:.0%} sikker) – "
            "bekræft det i kortlægningen."
            if proposal.suggestion
            else ""
        )
        problems.append(
            Problem(
                WARNING,
                "unmapped",
                f"'{proposal.label}' er ikke knyttet til et mål og bliver ikke importeret."
                + hint_text.replace("%", " %"),
                sheet=proposal.sheets[0] if proposal.sheets else None,
            )
        )


def _check_history(engine: Engine, upload: Upload) -> None:
    """Warn about values far outside the area's own history for the measure."""
    frame = upload.frame
    existing = {i: a.area_id for i, a in enumerate(upload.areas) if a.area_id is not None}
    rows = frame[
        frame["importable"] & (frame["state"] == "ok") & frame["area_ref"].isin(list(existing))
    ]
    if rows.empty:
        return
    ids = _measure_ids(engine, set(rows["measure_key"].dropna()))
    if not ids:
        return
    area_ids = sorted(set(existing.values()))
    query = (
        select(Observation.measure_id, Observation.area_id, Observation.year, Observation.value)
        .where(Observation.measure_id.in_(list(ids.values())))
        .where(Observation.value.is_not(None))
    )
    if len(area_ids) < 500:
        query = query.where(Observation.area_id.in_(area_ids))
    with Session(engine) as session:
        history = pd.DataFrame(
            session.execute(query).all(), columns=["measure_id", "area_id", "year", "value"]
        )
    if history.empty:
        return
    stats: dict[tuple[int, int], list[tuple[int, float]]] = {}
    for measure_id, area_id, year, value in history.itertuples(index=False, name=None):
        stats.setdefault((measure_id, area_id), []).append((year, value))
    for row in rows.itertuples(index=False):
        key = (ids.get(row.measure_key), existing[row.area_ref])
        past = [v for y, v in stats.get(key, []) if y != row.year]
        if len(past) < 2:
            continue
        lo, hi = min(past), max(past)
        floor = 10.0 if row.unit == "pct" else 0.5 * abs(float(np.median(past)))
        margin = max(hi - lo, floor)
        if row.value < lo - margin or row.value > hi + margin:
            upload.problems.append(
                Problem(
                    WARNING,
                    "outlier",
                    f"Værdien ligger langt fra områdets tidligere tal for '{row.label}' "
                    f"({_danish(lo)}–{_danish(hi)}). Tjek, at det er det rigtige område og mål.",
                    sheet=row.sheet,
                    row=int(row.row),
                    column=row.column,
                    text=cell_text(row.raw),
                )
            )


def _danish(number: float) -> str:
    return format_value(number, "count")


def _measure_ids(engine_or_session: Engine | Session, keys: set[str]) -> dict[str, int]:
    if not keys:
        return {}
    query = select(Measure.key, Measure.id).where(Measure.key.in_(sorted(keys)))
    if isinstance(engine_or_session, Session):
        return dict(engine_or_session.execute(query).all())
    with Session(engine_or_session) as session:
        return dict(session.execute(query).all())


# --------------------------------------------------------------------------------------------
# Preview and commit

_PREVIEW_COLUMNS = [
    "area",
    "area_kind",
    "new_area",
    "measure",
    "measure_name",
    "unit",
    "year",
    "status",
    "old_value",
    "old_state",
    "new_value",
    "new_state",
    "sheet",
    "row",
    "column",
]


def _importable(upload: Upload) -> pd.DataFrame:
    frame = upload.frame
    cells = frame.loc[
        frame["importable"],
        ["area_ref", "measure_key", "unit", "year", "value", "state", "sheet", "row", "column"],
    ].copy()
    cells["year"] = cells["year"].astype("int64")
    cells["value"] = cells["value"].where(cells["state"] == "ok")
    return cells


def _existing(session: Session, measure_ids: Sequence[int], years: Sequence[int]) -> pd.DataFrame:
    columns = ["obs_id", "measure_id", "area_id", "year", "old_value", "old_state"]
    columns += ["old_note", "old_source", "old_batch_id"]
    if not measure_ids:
        return pd.DataFrame(columns=columns)
    rows = session.execute(
        select(
            Observation.id,
            Observation.measure_id,
            Observation.area_id,
            Observation.year,
            Observation.value,
            Observation.state,
            Observation.note,
            Observation.source,
            Observation.batch_id,
        )
        .where(Observation.measure_id.in_(list(measure_ids)))
        .where(Observation.year.in_(list(years)))
    ).all()
    return pd.DataFrame(rows, columns=columns)


def _diff(session: Session, upload: Upload, cells: pd.DataFrame) -> pd.DataFrame:
    """Importable cells joined with what the store holds now, with a status per cell."""
    ids = _measure_ids(session, set(cells["measure_key"]))
    area_ids = {i: a.area_id for i, a in enumerate(upload.areas)}
    cells = cells.assign(
        measure_id=cells["measure_key"].map(ids).astype("Int64"),
        area_id=cells["area_ref"].map(area_ids).astype("Int64"),
    )
    existing = _existing(session, sorted(set(ids.values())), sorted(set(cells["year"])))
    existing = existing.astype(
        {"measure_id": "Int64", "area_id": "Int64", "year": "int64", "old_value": "float64"}
    )
    merged = cells.merge(existing, on=["measure_id", "area_id", "year"], how="left")
    exists = merged["obs_id"].notna().to_numpy()
    same_state = (merged["state"].astype(object) == merged["old_state"].astype(object)).to_numpy()
    new_v = merged["value"].to_numpy(dtype=float)
    old_v = merged["old_value"].to_numpy(dtype=float)
    same_value = (np.isnan(new_v) & np.isnan(old_v)) | np.isclose(
        new_v, old_v, rtol=1e-9, atol=1e-9
    )
    status = np.where(~exists, "new", np.where(same_state & same_value, "unchanged", "changed"))
    merged["status"] = status
    return merged


def preview(engine: Engine, upload: Upload) -> Preview:
    """New, changed (old → new) and unchanged observations, per cell; writes nothing."""
    cells = _importable(upload)
    counts = _base_counts(upload)
    if cells.empty:
        return Preview(pd.DataFrame(columns=_PREVIEW_COLUMNS), counts)
    with Session(engine) as session:
        merged = _diff(session, upload, cells)
    refs = merged["area_ref"].to_numpy()
    names = np.array([a.name for a in upload.areas], dtype=object)
    kinds = np.array([a.kind for a in upload.areas], dtype=object)
    new_flags = np.array([a.is_new for a in upload.areas], dtype=bool)
    measure_names = {k: m.name for k, m in upload.measures.items()}
    out = pd.DataFrame(
        {
            "area": names[refs],
            "area_kind": kinds[refs],
            "new_area": new_flags[refs],
            "measure": merged["measure_key"].astype(object),
            "measure_name": merged["measure_key"].astype(object).map(measure_names),
            "unit": merged["unit"].astype(object),
            "year": merged["year"],
            "status": merged["status"],
            "old_value": merged["old_value"],
            "old_state": merged["old_state"],
            "new_value": merged["value"],
            "new_state": merged["state"].astype(object),
            "sheet": merged["sheet"].astype(object),
            "row": merged["row"],
            "column": merged["column"].astype(object),
        }
    )
    statuses = out["status"].value_counts()
    counts.update({s: int(statuses.get(s, 0)) for s in ("new", "changed", "unchanged")})
    counts["suppressed"] = int((out["new_state"] == "suppressed").sum())
    return Preview(out, counts)


def _base_counts(upload: Upload) -> dict[str, int]:
    frame = upload.frame
    unmapped_labels = upload.unmapped
    unmapped_set = {m.label for m in unmapped_labels}
    return {
        "new": 0,
        "changed": 0,
        "unchanged": 0,
        "suppressed": 0,
        "unmapped": len(unmapped_labels),
        "unmapped_cells": int(frame["label"].isin(unmapped_set).sum()) if len(frame) else 0,
        "ignored": sum(1 for m in upload.mapping if m.ignored),
        "new_areas": len(upload.new_areas),
        "errors": len(upload.errors),
        "warnings": len(upload.warnings),
    }


def problems_text(problems: Sequence[Problem], limit: int = 30) -> str:
    lines = [f"- {p.describe()}" for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"- … og {len(problems) - limit} mere.")
    return "\n".join(lines)


def _refusal(upload: Upload) -> MonitorError:
    errors = upload.errors
    return MonitorError(
        f"Filen {upload.table.file_name} kan ikke importeres ({len(errors)} fejl); intet er "
        f"gemt.\n{problems_text(errors)}"
    )


class _NothingToWrite(Exception):
    def __init__(self, counts: dict[str, int]) -> None:
        super().__init__(NO_CHANGES)
        self.counts = counts


def commit(engine: Engine, upload: Upload, user: str, *, remember: bool = True) -> CommitResult:
    """Write the upload as one import batch in one transaction; "Ingen ændringer" writes nothing.

    Raises MonitorError (nothing written) when the upload has blocking problems.
    `remember`: store the user's chosen mappings (source "valgt") for next year's file.
    """
    if upload.blocking:
        raise _refusal(upload)
    cells = _importable(upload)
    counts = _base_counts(upload)
    if cells.empty:
        return CommitResult(None, counts, NO_CHANGES)
    try:
        with transaction(engine, user=user, action="import-lbf") as tx:
            batch_id, counts = _write(tx, upload, cells, counts, remember)
    except _NothingToWrite as nothing:
        same = nothing.counts["unchanged"]
        return CommitResult(
            None,
            nothing.counts,
            f"{NO_CHANGES}: alle {same} tal i filen står allerede i databasen.",
        )
    new_areas = counts["new_areas"]
    message = (
        f"Import #{batch_id} gemt: {counts['new']} nye, {counts['changed']} ændrede og "
        f"{counts['unchanged']} uændrede tal"
        + (
            f", {new_areas} {'nyt område' if new_areas == 1 else 'nye områder'}"
            if new_areas
            else ""
        )
        + "."
    )
    return CommitResult(batch_id, counts, message)


def _ensure_measures(session: Session, keys: set[str]) -> dict[str, int]:
    ids = _measure_ids(session, keys)
    missing = sorted(keys - set(ids))
    if missing:
        specs = {m["key"]: m for m in _shared_specs()}
        for key in missing:
            spec = specs.get(key)
            if spec is None:
                raise MonitorError(f"Målet '{key}' findes ikke i databasen.")
            session.add(
                Measure(
                    key=key,
                    name=spec["name"],
                    unit=spec["unit"],
                    population=spec.get("population"),
                    direction=int(spec.get("direction") or 0),
                    is_lbf=bool(spec.get("lbf", True)),
                )
            )
        session.flush()
        ids = _measure_ids(session, keys)
    return ids


def _shared_specs() -> list[dict[str, Any]]:
    path = SEED_DIR / MEASURES_FILE
    if not path.exists():
        return []
    return list((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("measures") or [])


def _create_areas(session: Session, upload: Upload) -> list[int]:
    """Insert the upload's new areas (kommuner first) in bulk; fills in their ids."""
    created: list[int] = []
    kommuner: dict[str, int] = {}
    pending_kommuner: dict[str, AreaMatch] = {}
    for area in upload.areas:
        if area.is_new and area.kind == "kommune":
            pending_kommuner.setdefault(match_key(area.name), area)
        elif area.is_new and area.new_parent and area.parent_name:
            pending_kommuner.setdefault(
                match_key(area.parent_name),
                AreaMatch(
                    area.parent_name,
                    area.parent_code,
                    None,
                    area.parent_name,
                    "kommune",
                    None,
                    True,
                    "ny",
                ),
            )
    for key, spec in pending_kommuner.items():
        existing = session.scalar(
            select(Area.id).where(Area.kind == "kommune", Area.match_key == key)
        )
        if existing is None:
            new = Area(name=spec.name, kind="kommune", code=spec.code, match_key=key)
            session.add(new)
            session.flush()
            existing = new.id
            created.append(new.id)
        kommuner[key] = existing
    for area in upload.areas:
        if area.is_new and area.kind == "kommune":
            area.area_id = kommuner[match_key(area.name)]
    wanted = [a for a in upload.areas if a.is_new and a.kind != "kommune"]
    existing = _existing_areas(session, {match_key(a.name) for a in wanted})
    rows = []
    targets = []
    for area in wanted:
        found = existing.get((area.kind, match_key(area.name)))
        if found is not None:  # created meanwhile (another upload, or this one committed twice)
            area.area_id = found
            continue
        parent = area.parent_id
        if parent is None and area.parent_name:
            parent = kommuner.get(match_key(area.parent_name))
        rows.append(
            {
                "name": area.name,
                "kind": area.kind,
                "code": area.code,
                "match_key": match_key(area.name),
                "parent_id": parent,
            }
        )
        targets.append(area)
    if rows:
        ids = session.scalars(
            insert(Area).returning(Area.id, sort_by_parameter_order=True), rows
        ).all()
        for area, new_id in zip(targets, ids, strict=True):
            area.area_id = new_id
        created.extend(ids)
    return created


def _existing_areas(session: Session, keys: set[str]) -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    ordered = sorted(keys)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        query = select(Area.kind, Area.match_key, Area.id).where(Area.match_key.in_(chunk))
        for kind, key, area_id in session.execute(query):
            found.setdefault((kind, key), area_id)
    return found


def _write(
    tx: Any, upload: Upload, cells: pd.DataFrame, counts: dict[str, int], remember: bool
) -> tuple[int, dict[str, int]]:
    session: Session = tx.session
    original_ids = [a.area_id for a in upload.areas]
    try:
        measure_ids = _ensure_measures(session, set(cells["measure_key"]))
        # New areas first (or the ids of areas created since the upload was read), so that the
        # comparison below sees the store as it is inside this transaction.
        created = _create_areas(session, upload)
        merged = _diff(session, upload, cells)
        statuses = merged["status"].value_counts()
        counts.update({s: int(statuses.get(s, 0)) for s in ("new", "changed", "unchanged")})
        counts["suppressed"] = int((merged["state"] == "suppressed").sum())
        counts["new_areas"] = len(created)
        if not (counts["new"] or counts["changed"]):
            raise _NothingToWrite(counts)  # rolls back the areas too
        area_ids = np.array([a.area_id for a in upload.areas], dtype="int64")
        merged["area_id"] = area_ids[merged["area_ref"].to_numpy()]
        merged["measure_id"] = merged["measure_key"].map(measure_ids).astype("int64")
        table = upload.table
        batch = ImportBatch(
            kind=BATCH_KIND,
            file_name=table.file_name[:300],
            sha256=table.sha256,
            user=tx.user,
            mapping={
                "layout": table.layout,
                "file_format": table.file_format,
                "sheets": [layout.to_dict() for layout in table.layouts],
                "labels": {m.label: m.measure_key for m in upload.mapping if m.mapped or m.ignored},
                "area_map": {str(k): v for k, v in upload.area_map.items()},
                "created_areas": created,
                "counts": counts,
                "year": table.year_hint,
            },
            rows_accepted=len(merged),
            rows_rejected=int(counts["unmapped_cells"]),
            status="committed",
        )
        session.add(batch)
        session.flush()
        source = f"{SOURCE_PREFIX}: {table.file_name}"[:200]
        written = merged[merged["status"] != "unchanged"]
        existed = (written["status"] == "changed").to_numpy()
        changed, new = written[existed], written[~existed]
        # What the batch replaces, cell by cell, with everything needed to put it back.
        _bulk_insert(
            session,
            ObservationChange.__table__,
            {
                "batch_id": batch.id,
                "measure_id": changed["measure_id"],
                "area_id": changed["area_id"],
                "year": changed["year"],
                "existed": True,
                "old_value": changed["old_value"],
                "old_state": changed["old_state"],
                "old_note": changed["old_note"],
                "old_source": changed["old_source"],
                "old_batch_id": changed["old_batch_id"].astype("Int64"),
            },
        )
        _bulk_insert(
            session,
            Observation.__table__,
            {
                "measure_id": new["measure_id"],
                "area_id": new["area_id"],
                "year": new["year"],
                "value": new["value"],
                "state": new["state"],
                "note": None,
                "source": source,
                "batch_id": batch.id,
            },
        )
        if len(new):
            # The cells the batch adds (existed = false), copied inside the database: right now
            # the batch's id marks exactly its new observations (the changed ones follow below).
            _record_new_cells(session, batch.id)
        _bulk_update(
            session,
            Observation.__table__,
            {
                "value": changed["value"],
                "state": changed["state"],
                "note": None,
                "source": source,
                "batch_id": batch.id,
            },
            changed["obs_id"],
        )
        if remember:
            _remember(session, upload, tx.user)
        tx.audit(
            entity="import_batch",
            entity_id=batch.id,
            after={
                "file_name": table.file_name,
                "sha256": table.sha256,
                "counts": counts,
                "created_areas": len(created),
            },
        )
        return batch.id, counts
    except BaseException:
        for area, area_id in zip(upload.areas, original_ids, strict=True):
            area.area_id = area_id
        raise


_COLUMN_TYPES = (pd.Series, np.ndarray, list, pd.api.extensions.ExtensionArray)


def _column_values(values: Any, n: int) -> list[Any]:
    """A column as plain Python values (None for missing), or a constant repeated."""
    if not isinstance(values, _COLUMN_TYPES):
        return [values] * n
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) and not series.hasnans:
        return series.to_numpy(dtype=bool).tolist()
    categorical = isinstance(dtype, pd.CategoricalDtype)
    if pd.api.types.is_integer_dtype(dtype) and not categorical and not series.hasnans:
        return series.to_numpy(dtype="int64").tolist()
    if pd.api.types.is_float_dtype(dtype):
        array = series.to_numpy(dtype=float, na_value=np.nan)
        result = array.tolist()
        for i in np.flatnonzero(np.isnan(array)).tolist():
            result[i] = None
        return result
    plain = series.astype(object)
    result = plain.tolist()
    missing = plain.isna().to_numpy()
    for i in np.flatnonzero(missing).tolist():
        result[i] = None
    if result and isinstance(result[0], np.generic):
        result = [v.item() if isinstance(v, np.generic) else v for v in result]
    return result


def _placeholder(session: Session) -> str:
    return "?" if session.get_bind().dialect.paramstyle == "qmark" else "%s"


def _bulk_insert(session: Session, table: Any, columns: dict[str, Any]) -> None:
    """INSERT many rows with one DBAPI executemany: no per-row ORM or Core overhead."""
    n = next(len(v) for v in columns.values() if isinstance(v, _COLUMN_TYPES))
    if n == 0:
        return
    quote = session.get_bind().dialect.identifier_preparer.quote
    names = list(columns)
    marker = _placeholder(session)
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in names)}) "
        f"VALUES ({', '.join([marker] * len(names))})"
    )
    rows = list(zip(*(_column_values(columns[c], n) for c in names), strict=True))
    session.connection().exec_driver_sql(sql, rows)


def _record_new_cells(session: Session, batch_id: int) -> None:
    """ObservationChange rows (existed = false) for the batch's new observations, in one statement."""
    obs = Observation.__table__
    change = ObservationChange.__table__
    session.execute(
        insert(change).from_select(
            ["batch_id", "measure_id", "area_id", "year", "existed"],
            select(obs.c.batch_id, obs.c.measure_id, obs.c.area_id, obs.c.year, false()).where(
                obs.c.batch_id == batch_id
            ),
        )
    )


def _bulk_update(session: Session, table: Any, columns: dict[str, Any], ids: Any) -> None:
    """UPDATE many rows by primary key with one DBAPI executemany."""
    n = len(ids)
    if n == 0:
        return
    quote = session.get_bind().dialect.identifier_preparer.quote
    marker = _placeholder(session)
    names = list(columns)
    sql = (
        f"UPDATE {quote(table.name)} SET "
        + ", ".join(f"{quote(c)} = {marker}" for c in names)
        + f" WHERE {quote('id')} = {marker}"
    )
    values = [_column_values(columns[c], n) for c in names]
    values.append(_column_values(pd.Series(ids).astype("int64"), n))
    session.connection().exec_driver_sql(sql, list(zip(*values, strict=True)))


def _remember(session: Session, upload: Upload, user: str) -> None:
    for proposal in upload.mapping:
        if proposal.source != "valgt":
            continue
        key = match_key(proposal.label)
        memory = session.scalar(select(MappingMemory).where(MappingMemory.label_key == key))
        if memory is None:
            memory = MappingMemory(label_key=key[:300], label=proposal.label[:300])
            session.add(memory)
        memory.measure_key = proposal.measure_key
        memory.confirmed_by = user
        memory.confirmed_at = pd.Timestamp.now("UTC").tz_localize(None).to_pydatetime()


# --------------------------------------------------------------------------------------------
# Undo and history


def undo(engine: Engine, batch_id: int, user: str) -> UndoResult:
    """Restore exactly what the batch replaced; refused if later writes touched the same cells."""
    with transaction(engine, user=user, action="undo-import") as tx:
        session = tx.session
        batch = session.get(ImportBatch, batch_id)
        if batch is None:
            raise MonitorError(f"Import #{batch_id} findes ikke. Se listen med 'imports'.")
        if batch.status == "undone":
            raise MonitorError(f"Import #{batch_id} er allerede fortrudt.")
        changes = pd.DataFrame(
            session.execute(
                select(
                    ObservationChange.measure_id,
                    ObservationChange.area_id,
                    ObservationChange.year,
                    ObservationChange.existed,
                    ObservationChange.old_value,
                    ObservationChange.old_state,
                    ObservationChange.old_note,
                    ObservationChange.old_source,
                    ObservationChange.old_batch_id,
                ).where(ObservationChange.batch_id == batch_id)
            ).all(),
            columns=[
                "measure_id",
                "area_id",
                "year",
                "existed",
                "old_value",
                "old_state",
                "old_note",
                "old_source",
                "old_batch_id",
            ],
        )
        if changes.empty and batch.kind != BATCH_KIND:
            raise MonitorError(
                f"Import #{batch_id} ({batch.kind}) har ingen registrerede ændringer og kan ikke "
                "fortrydes her."
            )
        current = _existing(
            session,
            sorted(int(m) for m in set(changes["measure_id"])),
            sorted(int(y) for y in set(changes["year"])),
        ).rename(columns={"old_batch_id": "current_batch"})
        current = current[["obs_id", "measure_id", "area_id", "year", "current_batch"]]
        merged = changes.merge(current, on=["measure_id", "area_id", "year"], how="left")
        touched = merged["current_batch"].astype("Float64") != batch_id
        touched = touched.fillna(True).to_numpy(dtype=bool)
        if touched.any():
            later = sorted(
                {int(b) for b in merged.loc[touched, "current_batch"].dropna() if b != batch_id}
            )
            by = (
                "af " + ", ".join(f"import #{b}" for b in later) if later else "af en anden ændring"
            )
            first = f" Fortryd først import #{later[-1]}." if later else ""
            raise MonitorError(
                f"Import #{batch_id} kan ikke fortrydes: {int(touched.sum())} af dens tal er "
                f"siden ændret {by}.{first}"
            )
        remove = merged[~merged["existed"].astype(bool)]
        restore = merged[merged["existed"].astype(bool)]
        if len(restore):
            _bulk_update(
                session,
                Observation.__table__,
                {
                    "value": restore["old_value"].astype("float64"),
                    "state": restore["old_state"],
                    "note": restore["old_note"],
                    "source": restore["old_source"],
                    "batch_id": restore["old_batch_id"].astype("Int64"),
                },
                restore["obs_id"],
            )
        if len(remove):
            # Every cell of the batch still carries its id (checked above), and the restored
            # ones now carry their old batch again: what is left is exactly what it added.
            session.execute(
                delete(Observation)
                .where(Observation.batch_id == batch_id)
                .execution_options(synchronize_session=False)
            )
        created = (batch.mapping or {}).get("created_areas") or []
        removed = _remove_created_areas(session, batch_id, created)
        batch.status = "undone"
        tx.audit(
            entity="import_batch",
            entity_id=batch_id,
            before={"status": "committed"},
            after={
                "status": "undone",
                "restored": len(restore),
                "deleted": len(remove),
                "areas_removed": removed,
            },
        )
    message = (
        f"Import #{batch_id} er fortrudt: {len(remove)} tal slettet og {len(restore)} gendannet"
        + (
            f"; {removed} {'område' if removed == 1 else 'områder'} fra importen fjernet"
            if removed
            else ""
        )
        + "."
    )
    return UndoResult(batch_id, len(restore), len(remove), removed, message)


def _remove_created_areas(session: Session, batch_id: int, ids: Sequence[int]) -> int:
    """Delete the areas the batch created, unless something else now refers to them."""
    candidates = set(ids)
    if not candidates:
        return 0
    used: set[int] = set()
    references = [
        (Observation.area_id, None),
        (PlanArea.area_id, None),
        (Indicator.area_id, None),
        (Comparator.area_id, None),
        (Plan.kommune_id, None),
        (Plan.main_area_id, None),
        (ObservationChange.area_id, ObservationChange.batch_id != batch_id),
    ]
    chunks = [sorted(candidates)[i : i + 500] for i in range(0, len(candidates), 500)]
    for column, condition in references:
        for chunk in chunks:
            query = select(column).where(column.in_(chunk)).distinct()
            if condition is not None:
                query = query.where(condition)
            used.update(session.scalars(query))
    children: dict[int, set[int]] = {}
    for chunk in chunks:
        for child, parent in session.execute(
            select(Area.id, Area.parent_id).where(Area.parent_id.in_(chunk))
        ):
            children.setdefault(parent, set()).add(child)
    removable = candidates - used
    changed = True
    while changed:  # a kommune goes only when all of its children go
        changed = False
        for area in list(removable):
            if not children.get(area, set()) <= removable:
                removable.discard(area)
                changed = True
    if removable:
        table = Area.__table__
        session.connection().execute(
            delete(table).where(table.c.id == bindparam("aid")),
            [{"aid": i} for i in sorted(removable)],
        )
    return len(removable)


def history(engine: Engine, kinds: Sequence[str] | None = (BATCH_KIND,)) -> list[dict[str, Any]]:
    """The import history, newest first: what the page lists with an undo button."""
    with Session(engine) as session:
        query = select(ImportBatch).order_by(ImportBatch.id.desc())
        if kinds:
            query = query.where(ImportBatch.kind.in_(list(kinds)))
        result = []
        for batch in session.scalars(query):
            mapping = batch.mapping or {}
            counts = mapping.get("counts") or {}
            result.append(
                {
                    "id": batch.id,
                    "kind": batch.kind,
                    "file_name": batch.file_name,
                    "sha256": batch.sha256,
                    "user": batch.user,
                    "created_at": batch.created_at.isoformat(timespec="seconds"),
                    "status": batch.status,
                    "layout": mapping.get("layout"),
                    "new": counts.get("new", 0),
                    "changed": counts.get("changed", 0),
                    "unchanged": counts.get("unchanged", 0),
                    "suppressed": counts.get("suppressed", 0),
                    "new_areas": len(mapping.get("created_areas") or []),
                    "rows_accepted": batch.rows_accepted,
                    "rows_rejected": batch.rows_rejected,
                    "can_undo": batch.status == "committed" and batch.kind == BATCH_KIND,
                }
            )
        return result


# --------------------------------------------------------------------------------------------
# The report (CLI --json and the page's summary)


def report(
    upload: Upload,
    changes: Preview | None = None,
    result: CommitResult | None = None,
    *,
    dry_run: bool = False,
) -> dict[str, Any]:
    """The import report as plain data (the `import-lbf --json` contract)."""
    table = upload.table
    counts = dict(result.counts if result else changes.counts if changes else _base_counts(upload))
    counts["errors"] = len(upload.errors)
    counts["warnings"] = len(upload.warnings)
    if upload.blocking:
        status = "rejected"
    elif dry_run:
        status = "dry_run"
    elif result is not None:
        status = "committed" if result.changed_anything else "no_changes"
    else:
        status = "preview"
    changed = []
    if changes is not None and not changes.frame.empty:
        for row in changes.changed().itertuples(index=False):
            changed.append(
                {
                    "area": row.area,
                    "measure": row.measure,
                    "year": int(row.year),
                    "old": {"value": _num(row.old_value), "state": row.old_state},
                    "new": {"value": _num(row.new_value), "state": row.new_state},
                }
            )
    summary = []
    if changes is not None:
        for row in changes.summary().itertuples(index=False):
            summary.append(
                {
                    "area": row.area,
                    "measure": row.measure,
                    "new": int(row.new),
                    "changed": int(row.changed),
                    "unchanged": int(row.unchanged),
                }
            )
    return {
        "file": table.file_name,
        "sha256": table.sha256,
        "format": table.file_format,
        "status": status,
        "message": result.message if result else None,
        "batch_id": result.batch_id if result else None,
        "counts": counts,
        "layouts": [layout.to_dict() for layout in table.layouts],
        "mapping": [m.to_dict() for m in upload.mapping],
        "areas": [a.to_dict() for a in upload.areas],
        "summary": summary,
        "changed": changed,
        "problems": [p.to_dict() for p in upload.problems],
    }


def _num(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return float(value)


SOURCE_NAMES = {
    "valgt": "valgt",
    "husket": "husket fra sidst",
    "synonym": "synonym",
    "navn": "målets navn",
    "forslag": "kun forslag",
    "ingen": "intet forslag",
}
KIND_NAMES = {
    "afdeling": "afdeling",
    "boligomraade": "boligområde",
    "kommune": "kommune",
    "benchmark": "sammenligning",
}
STATUS_NAMES = {"committed": "gemt", "undone": "fortrudt"}
MAX_LISTED_PROBLEMS = 15


def report_lines(data: dict[str, Any]) -> list[str]:
    """The import report as Danish text lines (the command line's output without --json)."""
    from monitoring.lbf import LAYOUT_NAMES

    lines = [f"Fil: {data['file']} ({data['format'] or 'ukendt format'})"]
    for sheet in data["layouts"]:
        where = f", område fra titlen: {sheet['area']}" if sheet.get("area") else ""
        lines.append(
            f"Ark '{sheet['sheet']}': {LAYOUT_NAMES[sheet['layout']]}, overskrift i række "
            f"{sheet['header_row']}{where}"
        )
    if data["mapping"]:
        lines.append("Kortlægning:")
        for m in data["mapping"]:
            if m["measure"]:
                target = f"{m['measure']} ({SOURCE_NAMES[m['source']]})"
            elif m["ignored"]:
                target = f"importeres ikke ({SOURCE_NAMES[m['source']]})"
            elif m["suggestion"]:
                target = (
                    f"IKKE KORTLAGT – forslag {m['suggestion']} "
                    f"({round(100 * m['suggestion_confidence'])} % sikker); bekræft med --map"
                )
            else:
                target = 'IKKE KORTLAGT (brug --map "TEKST=målnøgle")'
            lines.append(f"  {m['label']} → {target}")
    new_areas = [a for a in data["areas"] if a["new"]]
    if data["areas"]:
        found = [a["area"] for a in data["areas"] if not a["new"]]
        if found:
            lines.append(f"Kendte områder: {', '.join(found)}")
        for a in new_areas:
            parent = f" under {a['parent']}" if a["parent"] else ""
            lines.append(f"Nyt område: {a['area']} ({KIND_NAMES[a['kind']]}{parent})")
    errors = [p for p in data["problems"] if p["level"] == ERROR]
    warnings = [p for p in data["problems"] if p["level"] != ERROR]
    if warnings:
        lines.append(f"Advarsler ({len(warnings)}):")
        lines += [f"  - {_describe(p)}" for p in warnings[:MAX_LISTED_PROBLEMS]]
        if len(warnings) > MAX_LISTED_PROBLEMS:
            lines.append(f"  - … og {len(warnings) - MAX_LISTED_PROBLEMS} mere (se --json).")
    counts = data["counts"]
    if errors:
        lines.append(
            f"Fejl: Filen {data['file']} kan ikke importeres ({len(errors)} fejl); intet er gemt:"
        )
        lines += [f"  - {_describe(p)}" for p in errors[:50]]
        if len(errors) > 50:
            lines.append(f"  - … og {len(errors) - 50} fejl mere (se --json).")
        return lines
    lines.append(
        f"Nye: {counts['new']}, ændrede: {counts['changed']}, uændrede: {counts['unchanged']}, "
        f"diskretionerede: {counts['suppressed']}, ikke kortlagt: {counts['unmapped']}"
        + (f", nye områder: {counts['new_areas']}" if counts.get("new_areas") else "")
    )
    for change in data["changed"][:MAX_LISTED_PROBLEMS]:
        lines.append(
            f"  Ændret: {change['area']}, {change['measure']} {change['year']}: "
            f"{_value_text(change['old'])} → {_value_text(change['new'])}"
        )
    if len(data["changed"]) > MAX_LISTED_PROBLEMS:
        lines.append(f"  … og {len(data['changed']) - MAX_LISTED_PROBLEMS} ændrede mere.")
    if data["status"] == "dry_run":
        lines.append("Prøvekørsel: intet er gemt.")
    elif data["message"]:
        lines.append(data["message"])
    return lines


def _describe(problem: dict[str, Any]) -> str:
    return Problem(
        problem["level"],
        problem["code"],
        problem["message"],
        problem["sheet"],
        problem["row"],
        problem["column"],
        problem["text"],
    ).describe()


def _value_text(cell: dict[str, Any]) -> str:
    if cell["state"] == "suppressed":
        return "diskretioneret"
    if cell["value"] is None:
        return STATE_NAMES.get(cell["state"] or "", "intet")
    return _danish(cell["value"])


def history_lines(batches: Sequence[dict[str, Any]]) -> list[str]:
    """The import history as text lines, newest first."""
    lines = []
    for b in batches:
        when = b["created_at"].replace("T", " ")[:16]
        lines.append(
            f"#{b['id']}  {when}  {b['file_name']}  ({b['user']})  "
            f"{STATUS_NAMES.get(b['status'], b['status'])}: {b['new']} nye, {b['changed']} ændrede"
            + (f", {b['new_areas']} nye områder" if b["new_areas"] else "")
        )
    return lines
