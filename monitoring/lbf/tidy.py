"""From a grid and its layout to the tidy frame, one row per data cell; `read_table` runs it all.

Order of work for one upload:
1. `filecheck` — size, file type, zip bomb, XML entities, password, corrupt: before any parser runs.
2. `read_table` — per sheet, `detect_layout` finds the table by structure (header block below the
   title, data block, footnotes) and the role of each row and column (labels, areas, years,
   values); `_tidy_table` turns every data cell into one row of the tidy frame with its label, area,
   year and state (`ok`, `suppressed`, `invalid`).
3. `propose_mapping` — row/column texts to measure keys, with a confidence; never guesses silently.

`monitoring.ingest` then resolves areas and measures against the store, validates, previews and
commits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from monitoring.lbf.cells import (
    Grid,
    cell_text,
    column_letter,
    match_key,
    parse_cells,
    year_of,
    years_in_text,
)
from monitoring.lbf.columns import Columns
from monitoring.lbf.delimited import csv_grids
from monitoring.lbf.detect import detect_layout
from monitoring.lbf.filecheck import megabytes, sniff_format
from monitoring.lbf.layout import (
    GENERIC_LABELS,
    TOTAL_ROWS,
    SheetLayout,
    area_from_title,
    column_span,
    join_label,
    row_is_empty,
    row_span,
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


def _cell(row: Sequence[Any], c: int | None) -> Any:
    if c is None or c >= len(row):
        return None
    return row[c]


def _code_text(value: Any) -> str | None:
    text = cell_text(value)
    return text or None


def _percent_flags(grid: Grid, rows: Sequence[int], col: int) -> list[bool] | None:
    if not grid.percent_cells:
        return None
    return [(r, col) in grid.percent_cells for r in rows]


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


def _sheet_problems(grid: Grid, layout: SheetLayout, year_hint: int | None) -> list[Problem]:
    """What the reader leaves out of a sheet, said once per sheet."""
    problems = []
    if year_hint is not None and layout.year_source in ("kolonne", "overskrift"):
        problems.append(
            Problem(
                WARNING,
                "year_ignored",
                f"Det angivne år {year_hint} bruges ikke: arket har selv årstallene.",
                sheet=grid.name,
            )
        )
    if layout.ignored_columns:
        problems.append(
            Problem(
                WARNING,
                "columns_ignored",
                "Kolonnerne har intet årstal i overskriften (som kolonnerne ved siden af) og bliver "
                "ikke læst.",
                sheet=grid.name,
                row=layout.header_row,
                column=column_span(layout.ignored_columns),
            )
        )
    for c in layout.total_columns:
        problems.append(
            Problem(
                WARNING,
                "total_row",
                "En sumkolonne ('I alt') bliver ikke læst.",
                sheet=grid.name,
                row=layout.header_row,
                column=column_letter(c),
                text=layout.column_keys[c].get("area"),
            )
        )
    if layout.other_table is not None:
        problems.append(
            Problem(
                WARNING,
                "other_table",
                f"Arket har en tabel mere fra række {layout.other_table}; kun den første tabel "
                f"(række {row_span(range(layout.first_row + 1, layout.last_row + 2))}) bliver "
                "læst. Læg tabellerne "
                "i hvert sit ark, eller angiv overskriftsrækken for den anden.",
                sheet=grid.name,
                row=layout.other_table,
            )
        )
    if layout.other_column is not None:
        problems.append(
            Problem(
                WARNING,
                "other_table",
                f"Arket har en tabel mere ved siden af, fra kolonne "
                f"{column_letter(layout.other_column)}; kun kolonne "
                f"{column_span(range(layout.other_column))} bliver læst. Læg tabellerne i hvert "
                "sit ark.",
                sheet=grid.name,
                column=column_letter(layout.other_column),
            )
        )
    return problems


@dataclass
class _RowKeys:
    """The body rows that carry values, with what their row header says."""

    rows: list[int] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)


def _body_rows(
    grid: Grid, layout: SheetLayout, values: list[int], problems: list[Problem]
) -> _RowKeys:
    """Body rows with at least one value; section headings, footnotes and sums are left out."""
    roles = layout.row_roles
    area_c, code_c = roles.get("area"), roles.get("code")
    areas_in_rows = area_c is not None or code_c is not None
    label_cs = layout.label_columns
    kept = _RowKeys()
    section = ""
    for r in range(layout.first_row, layout.last_row + 1):
        row = grid.rows[r]
        label = (
            cell_text(_cell(row, label_cs[0]))
            if len(label_cs) == 1
            else join_label(cell_text(_cell(row, c)) for c in label_cs)
        )
        area = cell_text(_cell(row, area_c)) or cell_text(_cell(row, code_c))
        if not any(cell_text(_cell(row, c)) for c in values):
            if label and not areas_in_rows:
                section = label  # a section heading ("Beskæftigede:") or a footnote
            continue
        place = {"sheet": grid.name, "row": r + 1}
        if label_cs and areas_in_rows and not (label and area):
            if label or area:
                problems.append(
                    blocking_problem(
                        "incomplete_row", "Rækken mangler område eller indikator.", **place
                    )
                )
            continue  # without both: a footnote in another column
        if areas_in_rows and not area:
            problems.append(
                Problem(
                    WARNING,
                    "row_without_area",
                    "Rækken har tal, men intet område, og bliver ikke læst.",
                    **place,
                )
            )
            continue
        if label_cs and not label:
            problems.append(
                Problem(
                    WARNING,
                    "row_without_label",
                    "Rækken har tal, men ingen indikator i "
                    f"kolonne {column_span(label_cs)}, og bliver ikke læst.",
                    **place,
                )
            )
            continue
        if areas_in_rows and match_key(area) in TOTAL_ROWS:
            problems.append(
                Problem(
                    WARNING,
                    "total_row",
                    "En sumrække ('I alt') bliver ikke læst.",
                    text=area,
                    **place,
                )
            )
            continue
        if section and match_key(label) in GENERIC_LABELS:
            label = join_label([section.rstrip(":"), label])
        kept.rows.append(r)
        kept.labels.append(label)
    return kept


def _row_years(
    grid: Grid, rows: list[list[Any]], row_numbers: list[int], year_c: int, problems: list[Problem]
) -> list[int | None]:
    years = [year_of(_cell(row, year_c)) for row in rows]
    for r, row, year in zip(row_numbers, rows, years, strict=True):
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
    return years


def _unit_hints(rows: list[list[Any]], unit_c: int, units: list[str | None]) -> list[str | None]:
    hinted = list(units)
    for i, row in enumerate(rows):
        word = match_key(cell_text(_cell(row, unit_c)))
        if hinted[i] is None and word in {"pct", "procent", "andel"}:
            hinted[i] = "pct"
        elif hinted[i] is None and word in {"kr", "kroner", "dkk"}:
            hinted[i] = "dkk"
    return hinted


def _tidy_table(
    grid: Grid,
    layout: SheetLayout,
    out: Columns,
    settings: ReadSettings,
    problems: list[Problem],
    year_hint: int | None,
) -> None:
    """Every value cell of the table as one tidy row: its label, area and year from wherever the
    layout found them (row header, column header, title), row before column before sheet."""
    roles = layout.row_roles
    year_c, unit_c = roles.get("year"), roles.get("unit")
    if year_c is None and layout.year_source != "overskrift":
        sheet_year, source = _table_year(layout, grid, year_hint)
        layout.year_source = source or None
        layout.years = [sheet_year] if sheet_year is not None else []
    else:
        sheet_year = None
    problems.extend(_sheet_problems(grid, layout, year_hint))
    values = [c for c in layout.value_columns if c not in layout.total_columns]
    kept = _body_rows(grid, layout, values, problems)
    if not kept.rows:
        return
    width = max(layout.value_columns) + 1
    picked = [
        row if len(row) >= width else [*row, *[None] * (width - len(row))]
        for row in (grid.rows[r] for r in kept.rows)
    ]
    n = len(picked)

    def keys(role: str, fallback: str | None) -> list[Any]:
        c = roles.get(role)
        if c is not None:
            return [_code_text(_cell(row, c)) for row in picked]
        return [fallback] * n

    in_rows = "area" in roles or "code" in roles
    areas = keys("area", None if in_rows else layout.area_text)
    codes = keys("code", None if in_rows else layout.area_code)
    kommuner = [k or layout.kommune_text for k in keys("kommune", None)]
    kcodes = [k or layout.kommune_code for k in keys("kommune_code", None)]
    years = (
        _row_years(grid, picked, kept.rows, year_c, problems)
        if year_c is not None
        else [sheet_year] * n
    )
    if year_c is not None:
        layout.years = sorted({y for y in years if y is not None})
    row_numbers = [r + 1 for r in kept.rows]
    for c in values:
        key = layout.column_keys.get(c, {})
        cells = [row[c] for row in picked]
        flags = _percent_flags(grid, kept.rows, c)
        numbers, states, units, reasons = parse_cells(cells, flags, settings.dash_is_zero)
        if unit_c is not None:
            units = _unit_hints(picked, unit_c, units)
        column_label = key.get("label")
        labels: str | list[str]
        if not any(kept.labels):  # the one label of the column (or of the sheet)
            labels = column_label or layout.title_label or ""
        elif column_label:
            labels = [join_label([label, column_label]) for label in kept.labels]
        else:
            labels = [label or layout.title_label or "" for label in kept.labels]
        out.extend(
            sheet=grid.name,
            row=row_numbers,
            column=column_letter(c),
            area_text=[key["area"]] * n if "area" in key else areas,
            area_code=codes,
            kommune_text=kommuner,
            kommune_code=kcodes,
            label=labels,
            year=[key["year"]] * n if "year" in key and year_c is None else years,
            raw=cells,
            value=numbers,
            state=states,
            unit_hint=units,
            reason=reasons,
        )


def _empty_frame() -> pd.DataFrame:
    return Columns().frame()


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# Long: the reader's pipeline step by step (decode, detect, read, tidy); each step is a call.
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
    `year` is the year for values whose year the file does not give; `area` is the area of a
    time series whose title names none (kept as `area_hint`; the resolver decides).
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
    out = Columns()
    grids.reverse()
    while grids:  # each grid is let go once read: a national sheet's cells need not outlive it
        _read_sheet(grids.pop(), table, out, settings, hint)
    table.frame = out.frame()
    problems += _empty_cell_notes(out.empty_cells())
    del out
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


def _read_sheet(
    grid: Grid, table: LbfTable, out: Columns, settings: ReadSettings, hint: LayoutHint | None
) -> None:
    """One sheet into `out`: its layout detected, its cells tidied (or a note why not)."""
    table.previews[grid.name] = grid.preview()
    if hint and hint.sheet and grid.name != hint.sheet:
        return
    if _row_is_empty_grid(grid):
        return
    layout = detect_layout(grid, settings, hint)
    if layout is None:
        table.problems.append(
            Problem(WARNING, "no_header", NO_HEADER + " Arket bliver ikke læst.", sheet=grid.name)
        )
        return
    table.titles[grid.name] = layout.title
    found = area_from_title(layout.title)
    layout.area_text = found["area"]
    layout.area_code = found["code"]
    layout.kommune_text = found["kommune"]
    layout.kommune_code = found["kommune_code"]
    _tidy_table(grid, layout, out, settings, table.problems, table.year_hint)
    out.end_sheet()
    table.layouts.append(layout)


NO_HEADER = (
    "Arket har ingen genkendelig overskriftsrække (årstal som kolonneoverskrifter eller kolonner "
    "som Område, Afdeling, Indikator, År, Værdi)."
)


def _row_is_empty_grid(grid: Grid) -> bool:
    return all(row_is_empty(row) for row in grid.rows)


def _empty_cell_notes(empty: dict[str, set[int | None]]) -> list[Problem]:
    """One line per sheet saying that its empty cells are read as "no figure", not suppressed."""
    notes = []
    for sheet, years in empty.items():
        known = [str(y) for y in sorted(y for y in years if y is not None)]
        if len(known) > 6:
            known = [*known[:5], "…"]
        when = f" (år {', '.join(known)})" if known else ""
        notes.append(
            Problem(
                WARNING,
                "empty_cells",
                f"Tomme celler{when} er læst som 'intet tal i filen': de gemmes ikke – heller "
                "ikke som diskretioneret – og tal, der allerede står i databasen, bevares. "
                "Diskretionerede tal skal være markeret i filen, fx med '..' eller 'x'.",
                sheet=sheet,
            )
        )
    return notes
