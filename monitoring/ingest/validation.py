"""Checks of a resolved upload: blocking errors and warnings per cell, and jumps against history."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from monitoring.fmt import MILESTONE_STATES, format_value
from monitoring.ingest.catalog import measure_ids_of
from monitoring.ingest.types import Upload
from monitoring.lbf import (
    ERROR,
    WARNING,
    Problem,
    cell_text,
    match_key,  # cached
    raw_text,
    repeated,
    row_keys,
)
from monitoring.store.models import (
    Area,
    ImportBatch,
    Observation,
)

MAX_LISTED_WARNINGS = 200

# The largest plausible figure per unit: counts of persons and amounts in kroner (pct is 0-100).
MAX_VALUE = {"count": 1e9, "dkk": 1e12}


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
                level,
                code,
                text,
                sheet=sheet,
                row=int(row),
                column=column,
                text=shown(raw_text(raw, value)),
            )
        )
    return result


def shown(value: Any, limit: int = 60) -> str:
    """A cell's text as a problem quotes it: long texts cut short."""
    text = cell_text(value)
    return text if len(text) <= limit else text[:limit] + "…"


_AREA = Area.__table__.c
AREA_NAME_LENGTH: int = _AREA.name.type.length
AREA_CODE_LENGTH: int = _AREA.code.type.length
FILE_NAME_LENGTH: int = ImportBatch.__table__.c.file_name.type.length


def _unstorable(text: str | None, limit: int) -> bool:
    """Longer than its column (checked here, so SQLite and PostgreSQL agree), or holding NUL."""
    return text is not None and (
        len(text) > limit or len(match_key(text)) > limit or "\x00" in text
    )


def check_texts(upload: Upload) -> list[Problem]:
    """The texts an import writes must fit the store's columns: new areas' names and codes, the
    file name. Blocking, with the place in the file, before the preview rather than at commit."""
    problems: list[Problem] = []
    name = upload.table.file_name
    if _unstorable(name, FILE_NAME_LENGTH):
        problems.append(
            Problem(
                ERROR,
                "text_too_long",
                f"Filnavnet kan ikke gemmes ({len(name)} tegn; højst {FILE_NAME_LENGTH}, ingen "
                "kontroltegn). Giv filen et kortere navn og upload den igen.",
                text=shown(name),
            )
        )
    frame = upload.frame
    refs, first = np.unique(frame["area_ref"].to_numpy(), return_index=True)
    first_row = dict(zip(refs.tolist(), first.tolist(), strict=True))
    # A kommune created as the parent of new areas is named in their rows' kommune column.
    new_kommuner = {
        match_key(a.name): i for i, a in enumerate(upload.areas) if a.is_new and a.kind == "kommune"
    }
    for index, area in enumerate(upload.areas):
        parent = new_kommuner.get(match_key(area.parent_name or "")) if area.new_parent else None
        if parent is not None and index in first_row:
            first_row.setdefault(parent, first_row[index])
    columns = {layout.sheet: layout.columns for layout in upload.table.layouts}
    sheets, rows = frame["sheet"].to_numpy(dtype=object), frame["row"].to_numpy()
    for index, area in enumerate(upload.areas):
        if not area.is_new:
            continue
        place: dict[str, Any] = {}
        if index in first_row:
            first = first_row[index]
            place = {"sheet": sheets[first], "row": int(rows[first])}
        roles = columns.get(place.get("sheet"), {})
        kommune = area.kind == "kommune"
        for text, limit, what, role in (
            (area.name, AREA_NAME_LENGTH, "Områdets navn", "kommune" if kommune else "area"),
            (area.code, AREA_CODE_LENGTH, "Områdets nummer", "kommune_code" if kommune else "code"),
        ):
            if _unstorable(text, limit):
                problems.append(
                    Problem(
                        ERROR,
                        "text_too_long",
                        f"{what} kan ikke gemmes ({len(text)} tegn; højst {limit}, ingen "
                        "kontroltegn). Ret cellen i filen, eller knyt området til et eksisterende.",
                        column=roles.get(role),
                        text=shown(text),
                        **place,
                    )
                )
    return problems


# Long: a flat list of independent checks over the same masks; each check is a few lines.
def validate_upload(upload: Upload, mapped: np.ndarray) -> None:
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
    finite = np.isfinite(value)
    problems += _problem_rows(
        frame,
        ok & ~finite,
        ERROR,
        "not_finite",
        "Cellen er ikke et brugbart tal (den har for mange cifre til at kunne gemmes). Ret cellen "
        "i filen.",
    )
    checked = ok & finite & ~mismatch
    pct = checked & equals("unit", "pct")
    problems += _problem_rows(
        frame,
        pct & ((value < 0) | (value > 100)),
        ERROR,
        "percent_out_of_range",
        lambda label, v: (
            f"En andel skal ligge mellem 0 og 100 %, men cellen giver {danish(v)} %. "
            f"Ret cellen i filen eller vælg et andet mål for '{label}'."
        ),
    )
    for unit, code, what in (
        ("count", "negative_count", "Et antal"),
        ("dkk", "negative_amount", "Et beløb i kroner"),
    ):
        problems += _problem_rows(
            frame,
            checked & equals("unit", unit) & (value < 0),
            ERROR,
            code,
            f"{what} kan ikke være negativt. Ret cellen i filen.",
        )
    for unit, cap in MAX_VALUE.items():
        problems += _problem_rows(
            frame,
            checked & equals("unit", unit) & (value > cap),
            ERROR,
            "implausible_value",
            lambda label, v, unit=unit, cap=cap: (
                f"Tallet {format_value(v, unit)} er ikke realistisk for '{label}' (højst "
                f"{format_value(cap, unit)}). Ret cellen i filen eller vælg et andet mål."
            ),
        )
    problems += _problem_rows(
        frame,
        checked & equals("unit", "status") & ~np.isin(value, list(MILESTONE_STATES)),
        ERROR,
        "bad_status",
        "En status skal være 0 (Ikke startet), 1 (I gang) eller 2 (Opnået). Ret cellen i filen.",
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
    if _repeats(frame, importable):  # then (rarely) which, by the slower way
        cells = frame.loc[importable, ["area_ref", "measure_key", "year", "value", "state"]]
        duplicated = cells.duplicated(["area_ref", "measure_key", "year"], keep=False)
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
    problems += check_texts(upload)


def warn_unmapped(upload: Upload) -> None:
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


def _repeats(frame: pd.DataFrame, importable: np.ndarray) -> bool:
    """Whether two importable cells have the same area, measure and year."""
    positions = np.flatnonzero(importable)
    measures = frame["measure_key"].astype("category").cat.codes.to_numpy()[positions]
    years, _ = pd.factorize(frame["year"].to_numpy(dtype="float64", na_value=np.nan)[positions])
    key = row_keys([frame["area_ref"].to_numpy()[positions], measures, years])
    return repeated(key)


def check_history(engine: Engine, upload: Upload) -> None:
    """Warn about values far outside the area's own history for the measure."""
    frame = upload.frame
    existing = {i: a.area_id for i, a in enumerate(upload.areas) if a.area_id is not None}
    rows = frame[
        frame["importable"] & (frame["state"] == "ok") & frame["area_ref"].isin(list(existing))
    ]
    if rows.empty:
        return
    ids = measure_ids_of(engine, set(rows["measure_key"].dropna()))
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
                    f"({danish(lo)}–{danish(hi)}). Tjek, at det er det rigtige område og mål.",
                    sheet=row.sheet,
                    row=int(row.row),
                    column=row.column,
                    text=cell_text(raw_text(row.raw, row.value)),
                )
            )


def danish(number: float) -> str:
    return format_value(number, "count")
