"""From a grid and its layout to the tidy frame, one row per data cell; `read_table` runs it all.

Order of work for one upload:
1. `filecheck` — size, file type, zip bomb, XML entities, password, corrupt: before any parser runs.
2. `read_table` — find the sheets, the header row below the title rows, the layout and the years, and
   turn every data cell into one row of the tidy frame with its state (`ok`, `suppressed`, `invalid`).
3. `propose_mapping` — row/column texts to measure keys, with a confidence; never guesses silently.

`monitoring.ingest` then resolves areas and measures against the store, validates, previews and
commits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from monitoring.lbf.cells import (
    Grid,
    cell_text,
    column_index,
    column_letter,
    is_suppressed_text,
    match_key,
    parse_cell_text,
    parse_cells,
    year_of,
    years_in_text,
)
from monitoring.lbf.delimited import csv_grids
from monitoring.lbf.filecheck import megabytes, sniff_format
from monitoring.lbf.layout import (
    GENERIC_LABELS,
    TOTAL_ROWS,
    SheetLayout,
    area_from_title,
    detect_layout,
    layout_from_hint,
    row_is_empty,
    title_lines,
)
from monitoring.lbf.problems import (
    ERROR,
    WARNING,
    FileRejected,
    LayoutHint,
    Problem,
    ReadSettings,
    blocking_problem,
)
from monitoring.lbf.xlsx import xlsx_grids

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
class LbfTable:
    """The reader's result: a tidy frame of every data cell, the problems and what was detected."""

    file_name: str
    sha256: str
    file_format: str | None
    frame: pd.DataFrame
    problems: list[Problem]
    layouts: list[SheetLayout]
    titles: dict[str, list[str]] = field(default_factory=dict)
    previews: dict[str, list[list[str]]] = field(default_factory=dict)
    year_hint: int | None = None
    area_hint: str | None = None

    @property
    def blocking(self) -> bool:
        return any(p.blocking for p in self.problems)

    @property
    def layout(self) -> str | None:
        kinds = sorted({s.layout for s in self.layouts})
        return kinds[0] if len(kinds) == 1 else ("+".join(kinds) if kinds else None)


@dataclass
class _Columns:
    """Columns of tidy rows, appended to in bulk."""

    data: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in FRAME_COLUMNS})

    def extend(self, **columns: Any) -> None:
        n = None
        for values in columns.values():
            if isinstance(values, list | np.ndarray):
                n = len(values)
                break
        assert n is not None
        for name in FRAME_COLUMNS:
            values = columns.get(name)
            if isinstance(values, list | np.ndarray):
                self.data[name].extend(values)
            else:
                self.data[name].extend([values] * n)

    def frame(self) -> pd.DataFrame:
        data = self.data
        years = np.array([np.nan if y is None else y for y in data["year"]], dtype=float)
        categories = {"sheet", "column", "label", "state", "unit_hint", "reason"}
        columns: dict[str, Any] = {}
        for name in FRAME_COLUMNS:
            if name == "row":
                columns[name] = np.asarray(data[name], dtype="int64")
            elif name == "year":
                columns[name] = pd.array(years, dtype="Float64").astype("Int64")
            elif name == "value":
                columns[name] = np.asarray(data[name], dtype=float)
            elif name in categories:
                columns[name] = pd.Categorical(data[name])
            else:
                columns[name] = pd.Series(data[name], dtype=object)
        return pd.DataFrame(columns)


def _cell(row: Sequence[Any], c: int | None) -> Any:
    if c is None or c >= len(row):
        return None
    return row[c]


def _code_text(value: Any) -> str | None:
    text = cell_text(value)
    return text or None


def _label_text(parts: Iterable[str]) -> str:
    return " – ".join(p for p in parts if p)


def _percent_flags(grid: Grid, rows: Sequence[int], col: int) -> list[bool] | None:
    if not grid.percent_cells:
        return None
    return [(r, col) in grid.percent_cells for r in rows]


def _tidy_time_series(
    grid: Grid,
    layout: SheetLayout,
    out: _Columns,
    settings: ReadSettings,
    problems: list[Problem],
) -> None:
    rows = grid.rows
    h = layout.header_row - 1
    header = rows[h]
    year_cols = {c: y for c, v in enumerate(header) if (y := year_of(v)) is not None}
    first = min(year_cols)
    # A sub-header right under the years ("Antal", "Pct.") splits each year in two columns.
    sub_labels: dict[int, str] = {}
    start = h + 1
    if start < len(rows):
        below = rows[start]
        left_empty = not any(cell_text(v) for v in below[:first])
        subs = {
            c: cell_text(v)
            for c, v in enumerate(below)
            if c >= first and isinstance(v, str) and v.strip() and not is_suppressed_text(v)
        }
        if left_empty and subs and all(_try_number(v) is None for v in subs.values()):
            sub_labels = subs
            current = None
            for c in range(first, len(below)):
                if c in year_cols:
                    current = year_cols[c]
                elif current is not None and c in subs:
                    year_cols[c] = current
            start += 1
    columns = sorted(year_cols)
    section = ""
    for r in range(start, len(rows)):
        row = rows[r]
        label_parts = [cell_text(v) for v in row[:first]]
        label = " ".join(p for p in label_parts if p)
        cells = [row[c] if c < len(row) else None for c in columns]
        if not label:
            if any(cell_text(v) for v in cells):
                problems.append(
                    Problem(
                        WARNING,
                        "row_without_label",
                        "Rækken har tal, men ingen tekst i første kolonne, og bliver ikke læst.",
                        sheet=grid.name,
                        row=r + 1,
                    )
                )
            continue
        if not any(cell_text(v) for v in cells):
            section = label  # a section heading ("Beskæftigede:") or a footnote
            continue
        if match_key(label) in GENERIC_LABELS and section:
            label = _label_text([section.rstrip(":"), label])
        flags = [(r, c) in grid.percent_cells for c in columns] if grid.percent_cells else None
        values, states, units, reasons = parse_cells(cells, flags, settings.dash_is_zero)
        labels = [
            _label_text([label, sub_labels[c]]) if c in sub_labels else label for c in columns
        ]
        out.extend(
            sheet=grid.name,
            row=r + 1,
            column=[column_letter(c) for c in columns],
            area_text=layout.area_text,
            area_code=layout.area_code,
            kommune_text=layout.kommune_text,
            kommune_code=layout.kommune_code,
            label=labels,
            year=[year_cols[c] for c in columns],
            raw=cells,
            value=values,
            state=states,
            unit_hint=units,
            reason=reasons,
        )


def _try_number(text: str) -> float | None:
    try:
        return parse_cell_text(text)[0]
    except ValueError:
        return None


def _table_year(layout: SheetLayout, grid: Grid, year_hint: int | None) -> tuple[int | None, str]:
    if year_hint is not None:
        return year_hint, "angivet"
    from_title = (
        set().union(*(years_in_text(line) for line in layout.title)) if layout.title else set()
    )
    if len(from_title) == 1:
        return next(iter(from_title)), "titel"
    from_sheet = years_in_text(grid.name)
    if len(from_sheet) == 1:
        return next(iter(from_sheet)), "arknavn"
    return None, ""


def _tidy_area_list(
    grid: Grid,
    layout: SheetLayout,
    out: _Columns,
    settings: ReadSettings,
    problems: list[Problem],
    year_hint: int | None,
) -> None:
    rows = grid.rows
    h = layout.header_row - 1
    header = rows[h]
    role_cols = {role: column_index(letter) for role, letter in layout.columns.items()}
    area_c, code_c = role_cols.get("area"), role_cols.get("code")
    kommune_c, kcode_c = role_cols.get("kommune"), role_cols.get("kommune_code")
    year_c = role_cols.get("year")
    used = set(role_cols.values())
    measure_cols = [
        c for c, v in enumerate(header) if c not in used and cell_text(v) and year_of(v) is None
    ]
    year_in_header = [c for c, v in enumerate(header) if c not in used and year_of(v) is not None]
    if year_in_header:
        problems.append(
            Problem(
                WARNING,
                "year_columns_ignored",
                "Kolonner med et årstal som overskrift bliver ikke læst i en områdeliste.",
                sheet=grid.name,
                row=h + 1,
                column=", ".join(column_letter(c) for c in year_in_header),
            )
        )
    sheet_year, source = (
        (None, "kolonne") if year_c is not None else _table_year(layout, grid, year_hint)
    )
    layout.year_source = source or None
    data_rows: list[int] = []
    for r in range(h + 1, len(rows)):
        row = rows[r]
        area = cell_text(_cell(row, area_c)) if area_c is not None else ""
        code = cell_text(_cell(row, code_c)) if code_c is not None else ""
        if not area and not code:
            if any(cell_text(_cell(row, c)) for c in measure_cols):
                problems.append(
                    Problem(
                        WARNING,
                        "row_without_area",
                        "Rækken har tal, men intet område, og bliver ikke læst.",
                        sheet=grid.name,
                        row=r + 1,
                    )
                )
            continue
        if match_key(area) in TOTAL_ROWS:
            problems.append(
                Problem(
                    WARNING,
                    "total_row",
                    "En sumrække ('I alt') bliver ikke læst.",
                    sheet=grid.name,
                    row=r + 1,
                    text=area,
                )
            )
            continue
        if not any(cell_text(_cell(row, c)) for c in measure_cols):
            continue  # a footnote ("Kilde: ...") or an empty row
        data_rows.append(r)
    if not data_rows:
        return
    n = len(data_rows)
    width = max(len(rows[r]) for r in data_rows)
    picked = [
        rows[r] if len(rows[r]) >= width else [*rows[r], *[None] * (width - len(rows[r]))]
        for r in data_rows
    ]
    areas = (
        [cell_text(_cell(row, area_c)) or None for row in picked]
        if area_c is not None
        else [None] * n
    )
    codes = [_code_text(_cell(row, code_c)) for row in picked] if code_c is not None else [None] * n
    kommuner = (
        [cell_text(_cell(row, kommune_c)) or None for row in picked]
        if kommune_c is not None
        else [layout.kommune_text] * n
    )
    kcodes = (
        [_code_text(_cell(row, kcode_c)) for row in picked]
        if kcode_c is not None
        else [layout.kommune_code] * n
    )
    if year_c is not None:
        years = [year_of(_cell(row, year_c)) for row in picked]
        for r, row, year in zip(data_rows, picked, years, strict=True):
            if year is None:
                problems.append(
                    blocking_problem(
                        "bad_year",
                        "Året skal være et årstal som 2023.",
                        sheet=grid.name,
                        row=r + 1,
                        column=column_letter(year_c),
                        text=cell_text(_cell(row, year_c)),
                    )
                )
    else:
        years = [sheet_year] * n
    row_numbers = [r + 1 for r in data_rows]
    for c in measure_cols:
        cells = [row[c] for row in picked]
        flags = _percent_flags(grid, data_rows, c)
        values, states, units, reasons = parse_cells(cells, flags, settings.dash_is_zero)
        out.extend(
            sheet=grid.name,
            row=row_numbers,
            column=column_letter(c),
            area_text=areas,
            area_code=codes,
            kommune_text=kommuner,
            kommune_code=kcodes,
            label=cell_text(header[c]),
            year=years,
            raw=cells,
            value=values,
            state=states,
            unit_hint=units,
            reason=reasons,
        )


def _tidy_long(
    grid: Grid,
    layout: SheetLayout,
    out: _Columns,
    settings: ReadSettings,
    problems: list[Problem],
    year_hint: int | None,
) -> None:
    rows = grid.rows
    h = layout.header_row - 1
    role_cols = {role: column_index(letter) for role, letter in layout.columns.items()}
    area_c, code_c = role_cols.get("area"), role_cols.get("code")
    kommune_c, kcode_c = role_cols.get("kommune"), role_cols.get("kommune_code")
    year_c, label_c, value_c = role_cols.get("year"), role_cols["label"], role_cols["value"]
    unit_c = role_cols.get("unit")
    sheet_year, source = (
        (None, "kolonne") if year_c is not None else _table_year(layout, grid, year_hint)
    )
    layout.year_source = source or None
    picked: list[tuple[int, Sequence[Any]]] = []
    for r in range(h + 1, len(rows)):
        row = rows[r]
        if row_is_empty(row):
            continue
        label = cell_text(_cell(row, label_c))
        area = cell_text(_cell(row, area_c)) or cell_text(_cell(row, code_c))
        if not label and not area:
            continue  # a footnote in another column
        if not label or not area:
            problems.append(
                blocking_problem(
                    "incomplete_row",
                    "Rækken mangler område eller indikator.",
                    sheet=grid.name,
                    row=r + 1,
                )
            )
            continue
        picked.append((r, row))
    if not picked:
        return
    cells = [_cell(row, value_c) for _, row in picked]
    flags = _percent_flags(grid, [r for r, _ in picked], value_c)
    values, states, units, reasons = parse_cells(cells, flags, settings.dash_is_zero)
    if unit_c is not None:
        for i, (_, row) in enumerate(picked):
            unit_word = match_key(cell_text(_cell(row, unit_c)))
            if units[i] is None and unit_word in {"pct", "procent", "andel"}:
                units[i] = "pct"
            elif units[i] is None and unit_word in {"kr", "kroner", "dkk"}:
                units[i] = "dkk"
    years: list[int | None] = []
    for r, row in picked:
        if year_c is None:
            years.append(sheet_year)
            continue
        year = year_of(_cell(row, year_c))
        if year is None:
            problems.append(
                blocking_problem(
                    "bad_year",
                    "Året skal være et årstal som 2023.",
                    sheet=grid.name,
                    row=r + 1,
                    column=column_letter(year_c),
                    text=cell_text(_cell(row, year_c)),
                )
            )
        years.append(year)
    out.extend(
        sheet=grid.name,
        row=[r + 1 for r, _ in picked],
        column=column_letter(value_c),
        area_text=[cell_text(_cell(row, area_c)) or None for _, row in picked],
        area_code=[_code_text(_cell(row, code_c)) for _, row in picked],
        kommune_text=[
            cell_text(_cell(row, kommune_c)) or layout.kommune_text or None for _, row in picked
        ],
        kommune_code=[_code_text(_cell(row, kcode_c)) or layout.kommune_code for _, row in picked],
        label=[cell_text(_cell(row, label_c)) for _, row in picked],
        year=years,
        raw=cells,
        value=values,
        state=states,
        unit_hint=units,
        reason=reasons,
    )


def _empty_frame() -> pd.DataFrame:
    return _Columns().frame()


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_table(
    data: bytes,
    file_name: str,
    *,
    year: int | None = None,
    area: str | None = None,
    hint: LayoutHint | None = None,
    settings: ReadSettings | None = None,
) -> LbfTable:
    """Read an uploaded file (bytes) into a tidy frame; never raises for bad input.

    A file that must be refused comes back with an empty frame and one blocking problem.
    `year` is the year for values whose year the file does not give; `area` overrides the area of
    a time series (whose title names it) and is the fallback when the title does not.
    """
    settings = settings or ReadSettings()
    sha = sha256_of(data)
    problems: list[Problem] = []
    table = LbfTable(file_name, sha, None, _empty_frame(), problems, [], year_hint=year)
    table.area_hint = area
    if len(data) > settings.max_file_bytes:
        problems.append(
            blocking_problem(
                "too_large",
                f"Filen fylder {megabytes(len(data))}; grænsen er "
                f"{megabytes(settings.max_file_bytes)}. LBF-filer er normalt langt mindre: tjek, "
                "at det er den rigtige fil, eller del den op.",
            )
        )
        return table
    try:
        file_format = sniff_format(data, file_name)
        table.file_format = file_format
        if file_format == "xlsx":
            grids = xlsx_grids(data, settings, problems)
        else:
            grids, encoding, delimiter = csv_grids(data, file_name)
            table.file_format = f"csv ({encoding}, '{delimiter}')"
    except FileRejected as rejected:
        problems.append(rejected.problem)
        return table
    if any(p.blocking for p in problems):
        return table
    out = _Columns()
    for grid in grids:
        table.previews[grid.name] = grid.preview()
        if hint and hint.sheet and grid.name != hint.sheet:
            continue
        if _row_is_empty_grid(grid):
            continue
        layout = (
            layout_from_hint(grid, hint, settings)
            if hint and (hint.layout or hint.header_row or hint.sheet)
            else detect_layout(grid, settings)
        )
        if layout is None:
            problems.append(
                Problem(
                    WARNING,
                    "no_header",
                    NO_HEADER + " Arket bliver ikke læst.",
                    sheet=grid.name,
                )
            )
            continue
        layout.title = title_lines(grid.rows, layout.header_row - 1)
        table.titles[grid.name] = layout.title
        found = area_from_title(layout.title)
        layout.area_text = area or found["area"]
        layout.area_code = None if area else found["code"]
        layout.kommune_text = found["kommune"]
        layout.kommune_code = found["kommune_code"]
        if layout.layout == "time_series":
            if year is not None:
                problems.append(
                    Problem(
                        WARNING,
                        "year_ignored",
                        f"Det angivne år {year} bruges ikke: i en tidsserie står året over hver "
                        "kolonne.",
                        sheet=grid.name,
                    )
                )
            _tidy_time_series(grid, layout, out, settings, problems)
        elif layout.layout == "area_list":
            _tidy_area_list(grid, layout, out, settings, problems, year)
        elif layout.layout == "long":
            _tidy_long(grid, layout, out, settings, problems, year)
        table.layouts.append(layout)
    table.frame = out.frame()
    if not table.layouts:
        for index, p in enumerate(problems):
            if p.code == "no_header":
                problems[index] = replace(
                    p,
                    level=ERROR,
                    message=NO_HEADER
                    + " Ingen ark i filen kunne læses: ret filen, eller vælg layout og "
                    "overskriftsrække manuelt.",
                )
        if not any(p.blocking for p in problems):
            problems.append(
                blocking_problem(
                    "no_header",
                    "Ingen ark har en genkendelig overskriftsrække. Vælg layout og "
                    "overskriftsrække manuelt.",
                )
            )
    elif table.frame.empty:
        problems.append(
            blocking_problem(
                "no_data",
                "Filen har overskrifter, men ingen tal under dem. Tjek, at det er den rigtige fil.",
            )
        )
    return table


NO_HEADER = (
    "Arket har ingen genkendelig overskriftsrække (årstal som kolonneoverskrifter eller kolonner "
    "som Område, Afdeling, Indikator, År, Værdi)."
)


def _row_is_empty_grid(grid: Grid) -> bool:
    return all(row_is_empty(row) for row in grid.rows)
