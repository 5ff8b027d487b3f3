"""The role of each row and column of a sheet's table: labels, areas, years and values.

`structure.find_block` finds where the table is; this decides what its parts mean, for every
combination real extracts use: indikatorer in rows or columns, areas in rows, columns or only in
the title, years in the header, in a column or only in the title. Header words (`Område`,
`Indikator`, `År`, `Værdi`, ...) decide where they are present; otherwise the texts' shape does
(an indikator reads like "Andel 18-64-årige (pct.)", an area like "Løvvangen" or "Aalborg Kommune").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from monitoring.lbf.cells import Grid, cell_text, column_index, column_letter, match_key
from monitoring.lbf.layout import (
    GENERIC_LABELS,
    KEY_ROLES,
    TOTAL_ROWS,
    SheetLayout,
    area_from_title,
    join_label,
    role_of,
    title_lines,
)
from monitoring.lbf.problems import LayoutHint, ReadSettings
from monitoring.lbf.structure import (
    BODY_SAMPLE_ROWS,
    EMPTY,
    MARKER,
    NUMBER,
    TEXT,
    YEAR,
    Block,
    cell_kind,
    find_block,
    split_year,
)

_LABEL_CUES = re.compile(
    r"%|\bpct\b|procent|andel|antal|gennemsnit|median|indkomst|årige|\d+\s*[-–]\s*\d+|\bår\b|"
    r"personer|beboere|husstand|\bkr\b|uddannels|beskæftig|ledig|forsørg|ydelse|kontanthjælp|"
    r"dagpenge|alder|børn|unge\b|flytning|indvandrer|efterkommer|enlige|familie|dømt|sigtet|"
    r"karakter|fravær|trivsel|indikator",
    re.IGNORECASE,
)

_AREA_CUES = re.compile(
    r"kommune\b|hele landet|landsgennemsnit|\balmene\b|boligområde|\bafd\b|afdeling|\bregion\b|"
    r"helhedsplan|landsdel|bydel",
    re.IGNORECASE,
)


def _label_score(texts: Sequence[str]) -> float:
    """From -1 (all read like area names) to 1 (all read like indikatorer)."""
    distinct = list(dict.fromkeys(t for t in texts if t))[:60]
    if not distinct:
        return 0.0
    score = 0
    for text in distinct:
        label = bool(_LABEL_CUES.search(text)) or len(text.split()) >= 5
        score += 1 if label else (-1 if _AREA_CUES.search(text) else 0)
    return score / len(distinct)


def _filled_header(rows: Sequence[Sequence[Any]], block: Block, width: int) -> list[list[Any]]:
    """The header rows with every upper row's text spread right over the columns it spans.

    A topic ("Beskæftigelse") or a year written once over its sub-columns ("Antal", "Pct.") holds
    until the next text in its row, or until the row above it changes.
    """
    start = block.numeric_columns[0]
    filled: list[list[Any]] = []
    last = len(block.header_rows) - 1
    for i, r in enumerate(block.header_rows):
        row = rows[r]
        cells = [row[c] if c < len(row) and cell_text(row[c]) else None for c in range(width)]
        if i < last:
            current = None
            for c in range(start, width):
                if i and c > start and filled[i - 1][c] != filled[i - 1][c - 1]:
                    current = None
                if cells[c] is not None:
                    current = None if role_of(cells[c]) else cells[c]  # "Område" spans nothing
                elif current is not None:
                    cells[c] = current
        filled.append(cells)
    return filled


def _column_roles(header: list[list[Any]], width: int, table: _Table) -> dict[int, str]:
    """Role words in the header, per column (the lowest header row that has one wins).

    A word that does not fit what the column holds names its header row instead ("År" left of
    a row of years over a column of indikatorer): it is no column role.
    """
    roles: dict[int, str] = {}
    for cells in reversed(header):
        for c in range(width):
            if c in roles or (role := role_of(cells[c])) is None:
                continue
            if role == "year" and table.count[c] and not table.all_years(c):
                continue
            if role in ("area", "kommune", "label", "unit", "organisation") and table.numeric(c):
                continue
            roles[c] = role
    return roles


def _resolve_column(spec: str | None, header: list[list[Any]]) -> int | None:
    if not spec:
        return None
    wanted = match_key(spec)
    for cells in reversed(header):
        for index, value in enumerate(cells):
            if isinstance(value, str) and match_key(value) == wanted:
                return index
    try:
        return column_index(spec)
    except ValueError:
        return None


class _Table:
    """Column profile of the block: kinds counted over the body sample."""

    def __init__(self, block: Block, width: int) -> None:
        sample = block.sample
        if sample.shape[1] < width:
            sample = np.pad(sample, ((0, 0), (0, width - sample.shape[1])))
        self.count = (sample != EMPTY).sum(axis=0)
        self.numbers = ((sample == NUMBER) | (sample == YEAR) | (sample == MARKER)).sum(axis=0)
        self.years = (sample == YEAR).sum(axis=0)
        self.texts = (sample == TEXT).sum(axis=0)

    def numeric(self, c: int) -> bool:
        return bool(self.numbers[c] > 0 and 2 * self.numbers[c] >= self.count[c])

    def all_years(self, c: int) -> bool:
        return bool(self.years[c] > 0 and self.years[c] == self.numbers[c])

    def text(self, c: int) -> bool:
        return bool(self.texts[c] > 0 and self.texts[c] > self.numbers[c])


def _header_texts(
    header: list[list[Any]], rows: Sequence[int], columns: Sequence[int]
) -> list[str]:
    texts = []
    for k in rows:
        for c in columns:
            value = header[k][c]
            if value is not None and cell_kind(value) == TEXT and role_of(value) != "value":
                texts.append(split_year(cell_text(value))[1] or cell_text(value))
    return texts


def _title_label(title: list[str], sheet: str) -> str:
    """The indikator of a sheet whose table has none: its first title line that is not an area."""
    found = area_from_title(title)
    for line in title:
        if found["area"] and found["area"] in line:
            continue
        if not split_year(line)[1]:
            continue  # only a year ("2023", "pr. 1. januar 2023")
        return line
    return sheet


def detect_layout(
    grid: Grid, settings: ReadSettings, hint: LayoutHint | None = None
) -> SheetLayout | None:
    """What the sheet's table is made of, or None when no header sits over columns of numbers."""
    forced_row = hint.header_row - 1 if hint and hint.header_row else None
    block = find_block(grid.rows, settings.header_scan_rows, forced_row)
    if block is None:
        return None
    reading = _Reading(grid, block, hint)
    if not reading.values:
        return None
    return reading.layout()


class _Reading:
    """One sheet's table while its rows and columns get their roles."""

    def __init__(self, grid: Grid, block: Block, hint: LayoutHint | None) -> None:
        self.grid, self.block, self.hint = grid, block, hint
        rows = grid.rows
        self.width = max([block.width, *(len(rows[r]) for r in block.header_rows)])
        self.table = _Table(block, self.width)
        self._find_columns()
        # Header rows that name none of the value columns are title lines ("Tal 2023" over a
        # column of kommunekoder).
        while (
            self.values
            and len(block.header_rows) > 1
            and not any(cell_text(_at(rows[block.header_rows[0]], c)) for c in self.values)
        ):
            block.header_rows.pop(0)
            self._find_columns()

    def _find_columns(self) -> None:
        """The filled header, the role words per column, the value columns, and the first column
        of another table beside this one."""
        table, hint = self.table, self.hint
        self.header = header = _filled_header(self.grid.rows, self.block, self.width)
        self.roles = roles = _column_roles(header, self.width, table)
        for role, spec in _hint_columns(hint):
            index = _resolve_column(spec, header)
            if index is not None and index < self.width:
                self.roles = roles = {
                    c: r for c, r in roles.items() if r != role or role == "label"
                }
                roles[index] = role
        first = self.block.numeric_columns[0]
        # Columns of numbers, a column named "Værdi" whatever it holds (its text cells are then
        # reported as invalid), and empty columns with a header (a year not published yet).
        values = [
            c
            for c in range(self.width)
            if roles.get(c) == "value"
            or (
                c not in roles
                and (
                    table.numeric(c)
                    or (c > first and table.count[c] == 0 and any(h[c] is not None for h in header))
                )
            )
        ]
        # The leftmost column of years beside other numbers is the year of each row, unless its
        # header names an indikator ("Antal beboere" can be 2010).
        if (
            len(values) > 1
            and values[0] not in roles
            and table.all_years(values[0])
            and not any(_LABEL_CUES.search(cell_text(h[values[0]])) for h in header)
            and (table.count[values[0]] > 1 or all(h[values[0]] is None for h in header))
        ):
            roles[values.pop(0)] = "year"
        # An unnamed text column between value columns is the row header of a table beside.
        self.beside = (
            next(
                (c for c in range(values[0] + 1, values[-1]) if c not in roles and table.text(c)),
                None,
            )
            if values
            else None
        )
        self.values = [c for c in values if self.beside is None or c < self.beside]

    def body_texts(self, column: int) -> list[str]:
        block = self.block
        end = min(block.last + 1, block.first + BODY_SAMPLE_ROWS)
        return [cell_text(_at(row, column)) for row in self.grid.rows[block.first : end]]

    def layout(self) -> SheetLayout:
        grid, block = self.grid, self.block
        layout = SheetLayout(grid.name, "time_series", block.header_rows[-1] + 1)
        layout.header_rows = [r + 1 for r in block.header_rows]
        layout.title = title_lines(grid.rows, block.header_rows[0], grid.title_joiner, self.beside)
        layout.first_row, layout.last_row = block.first, block.last
        layout.other_table = None if block.other_table is None else block.other_table + 1
        layout.other_column = self.beside
        row_kinds = _header_row_kinds(self.header, self.values)
        labels, areas_on_columns = self._axes(row_kinds, layout.title)
        for c, role in sorted(self.roles.items()):
            if role in KEY_ROLES and role not in layout.row_roles:
                layout.row_roles[role] = c
        layout.label_columns = labels
        layout.title += self._corner_lines(labels, layout.title)
        _column_keys(self.header, row_kinds, self.values, areas_on_columns, layout)
        if labels and "area" in layout.row_roles and len(layout.value_columns) == 1:
            # One value per row of area and indikator: the value column's header ("Resultat",
            # "Andel") is no part of the indikator.
            layout.column_keys[layout.value_columns[0]].pop("label", None)
        letters = {role: column_letter(c) for role, c in layout.row_roles.items()}
        if labels:
            letters["label"] = column_letter(labels[-1])
        if "value" in self.roles.values() and len(layout.value_columns) == 1:
            letters["value"] = column_letter(layout.value_columns[0])
        layout.columns = dict(sorted(letters.items(), key=lambda item: column_index(item[1])))
        _name_layout(layout, areas_on_columns)
        return layout

    def _corner_lines(self, labels: list[int], title: list[str]) -> list[str]:
        """Header texts over the indikator column ("Beskæftigelse for 18-64-årige" left of the
        years): they title the table as a title line does."""
        lines: list[str] = []
        for cells in self.header:
            for c in labels:
                text = cell_text(cells[c])
                if text and role_of(text) is None and text not in title and text not in lines:
                    lines.append(text)
        return lines

    def _axes(self, row_kinds: list[str], title: list[str]) -> tuple[list[int], bool]:
        """(label columns, whether the areas are the column headers); area columns go in roles.

        Header words decide where there are any; then the texts' shape: of the row headers and
        the column headers, the one that reads more like indikatorer holds them.
        """
        roles, values = self.roles, self.values
        stub = [c for c in range(values[0]) if c not in roles and self.table.text(c)]
        text_rows = [k for k, kind in enumerate(row_kinds) if kind == "text"]
        header_texts = _header_texts(self.header, text_rows, values)
        text_header = any(match_key(t) not in GENERIC_LABELS for t in header_texts)
        header_score = _label_score(header_texts)
        stub_score = _label_score([t for c in stub for t in self.body_texts(c)])
        title_area = area_from_title(title)["area"]
        forced = self.hint.layout if self.hint else None
        corner = [c for c, r in roles.items() if r == "area" and c < values[0]]
        if (
            forced is None
            and corner
            and text_header
            and _label_score(self.body_texts(corner[0])) > max(0, header_score)
        ):
            roles[corner[0]] = "label"  # "Område" over a column of indikatorer: areas are columns
        named = sorted(c for c, r in roles.items() if r == "label")
        if forced == "time_series":
            for c in [c for c, r in roles.items() if r in ("area", "code")]:
                del roles[c]
            return sorted({*stub, *named}), False
        if forced in ("area_list", "long"):
            if not any(r in ("area", "code") for r in roles.values()) and stub:
                roles[stub.pop()] = "area"
            return sorted({*named, *(stub if forced == "long" or not text_header else [])}), False
        if any(r in ("area", "code") for r in roles.values()):
            # Unnamed text beside the areas names the indikator only when the header does not.
            return sorted({*named, *(stub if not text_header else [])}), False
        if named:
            if text_header and header_score <= 0:
                return named, True
            if stub and not text_header and title_area is None and stub_score <= 0:
                roles[stub[-1]] = "area"
                return named, False
            return sorted({*named, *stub}), False
        if not stub:
            return [], False
        if title_area is None and (area := self._area_among(stub)) is not None:
            roles[area] = "area"  # a long table without header words
            return [c for c in stub if c != area], False
        if text_header:
            if stub_score > header_score:
                return stub, header_score <= 0
            roles[stub[-1]] = "area"
            return [], False
        if stub_score < 0 and title_area is None:
            roles[stub[-1]] = "area"  # areas over years; the indikator is the title's
            return [], False
        return stub, False

    def _area_among(self, columns: list[int]) -> int | None:
        """Of two or more unnamed text columns, the one that lists areas beside indikatorer.

        It must read like area names (no indikator words) and be filled on every row, as an
        area column is and a topic column of a time series is not; another column must read
        like indikatorer.
        """
        if len(columns) < 2:
            return None
        scores = {}
        for c in columns:
            texts = self.body_texts(c)
            filled = sum(1 for t in texts if t) >= 0.9 * len(texts)
            scores[c] = _label_score(texts) if filled else 1.0
        area = min(scores, key=scores.__getitem__)
        others = [score for c, score in scores.items() if c != area]
        return area if scores[area] <= 0 and max(others) > 0.5 else None


def _at(row: Sequence[Any], c: int) -> Any:
    return row[c] if c < len(row) else None


def _hint_columns(hint: LayoutHint | None) -> list[tuple[str, str | None]]:
    if hint is None:
        return []
    return [
        ("area", hint.area_column),
        ("code", hint.code_column),
        ("kommune", hint.kommune_column),
        ("year", hint.year_column),
        ("label", hint.label_column),
        ("value", hint.value_column),
    ]


def _header_row_kinds(header: list[list[Any]], values: list[int]) -> list[str]:
    """Per header row: "year" (years over the value columns), "text", or "empty"."""
    kinds = []
    for cells in header:
        over = [cell_kind(cells[c]) for c in values if cells[c] is not None]
        if not over:
            kinds.append("empty")
        elif all(k == YEAR for k in over):
            kinds.append("year")
        else:
            kinds.append("text")
    return kinds


def _column_keys(
    header: list[list[Any]],
    row_kinds: list[str],
    values: list[int],
    areas_on_columns: bool,
    layout: SheetLayout,
) -> None:
    """The label, year and area each value column's header gives it.

    A year inside a header text ("I beskæftigelse 2022 (pct.)") is the column's year only when
    every value column has one; otherwise it is part of the label ("Indkomst under 2000 kr.").
    """
    text_rows = [k for k, kind in enumerate(row_kinds) if kind == "text"]
    area_row = text_rows[-1] if areas_on_columns and text_rows else None
    keys: dict[int, dict[str, Any]] = {}
    texts: dict[int, list[str]] = {}
    for c in values:
        key: dict[str, Any] = {}
        texts[c] = []
        for k, cells in enumerate(header):
            if cells[c] is None:
                continue
            text = cell_text(cells[c])
            if row_kinds[k] == "year":
                key["year"] = split_year(text)[0]
            elif k == area_row:
                key["area"] = text
            elif role_of(text) != "value":
                texts[c].append(text)
        keys[c] = key
    in_rows = "year" in layout.row_roles
    inside = {c: [split_year(t) for t in texts[c]] for c in values}
    embedded = all(any(year for year, _ in found) for found in inside.values())
    if embedded and not in_rows and not any("year" in key for key in keys.values()):
        for c, found in inside.items():
            keys[c]["year"] = next(year for year, _ in found if year)
            texts[c] = [rest for _, rest in found]
    for c in values:
        if label := join_label([t for t in texts[c] if t]):
            keys[c]["label"] = label
    if not in_rows and any("year" in key for key in keys.values()):
        layout.ignored_columns = [c for c in values if "year" not in keys[c]]
        keys = {c: key for c, key in keys.items() if "year" in key}
    if areas_on_columns:
        layout.total_columns = [
            c for c, key in keys.items() if match_key(key.get("area", "")) in TOTAL_ROWS
        ]
    layout.value_columns = list(keys)
    layout.column_keys = keys


def _name_layout(layout: SheetLayout, areas_on_columns: bool) -> None:
    keys = layout.column_keys.values()
    areas_in_rows = any(r in layout.row_roles for r in ("area", "code"))
    if layout.label_columns:
        layout.label_axis = "rækker"
    elif any("label" in key for key in keys):
        layout.label_axis = "kolonner"
    else:
        layout.label_axis = "titel"
        layout.title_label = _title_label(layout.title, layout.sheet)
    if areas_in_rows:
        layout.area_axis = "rækker"
    elif areas_on_columns:
        layout.area_axis = "kolonner"
    else:
        layout.area_axis = "titel"
    if "year" in layout.row_roles:
        layout.year_source = "kolonne"
    elif any("year" in key for key in keys):
        layout.year_source = "overskrift"
        layout.years = sorted({key["year"] for key in keys if "year" in key})
    if areas_in_rows and layout.label_axis == "rækker":
        layout.layout = "long"
    elif areas_in_rows or areas_on_columns:
        layout.layout = "area_list"
    else:
        layout.layout = "time_series"
