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
    role_of,
    title_lines,
)
from monitoring.lbf.problems import LayoutHint, ReadSettings
from monitoring.lbf.structure import (
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


def _join(parts: Sequence[str]) -> str:
    """Label parts top to bottom, each once: "Beskæftigelse for 18-64-årige – I beskæftigelse"."""
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return " – ".join(seen)


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
                    current = cells[c]
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


def _body_texts(grid: Grid, block: Block, column: int) -> list[str]:
    end = min(block.last + 1, block.first + 200)
    return [cell_text(row[column]) for row in grid.rows[block.first : end] if column < len(row)]


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


def _area_among(grid: Grid, block: Block, columns: list[int]) -> int | None:
    """Of two or more unnamed text columns, the one that lists areas beside one of indikatorer.

    It must read like area names (no indikator words) and be filled on every row, as an area
    column is and a topic column of a time series is not; another column must read like
    indikatorer.
    """
    if len(columns) < 2:
        return None
    scores = {}
    for c in columns:
        texts = _body_texts(grid, block, c)
        filled = sum(1 for t in texts if t) >= 0.9 * len(texts)
        scores[c] = _label_score(texts) if filled else 1.0
    area = min(scores, key=scores.__getitem__)
    others = [score for c, score in scores.items() if c != area]
    return area if scores[area] <= 0 and max(others) > 0.5 else None


def _title_label(title: list[str], sheet: str) -> str:
    """The indikator of a sheet whose table has none: its first title line that is not an area."""
    found = area_from_title(title)
    for line in title:
        if found["area"] and found["area"] in line:
            continue
        if split_year(line)[0] is not None and not split_year(line)[1]:
            continue
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
    rows = grid.rows
    width = max([block.width, *(len(rows[r]) for r in block.header_rows)])
    table = _Table(block, width)
    found = _columns(grid, block, width, table, hint)
    if found is None:
        return None
    header, roles, values, beside = found
    # Header rows that name none of the value columns are title lines ("Tal 2023" over a code).
    while len(block.header_rows) > 1 and not any(
        cell_text(_at(rows[block.header_rows[0]], c)) for c in values
    ):
        block.header_rows.pop(0)
        found = _columns(grid, block, width, table, hint)
        if found is None:
            return None
        header, roles, values, beside = found
    first_value = values[0]
    stub_text = [
        c for c in range(first_value) if c not in roles and table.text(c) and c not in values
    ]
    layout = SheetLayout(grid.name, "time_series", block.header_rows[-1] + 1)
    layout.header_rows = [r + 1 for r in block.header_rows]
    layout.title = title_lines(rows, block.header_rows[0], grid.title_joiner, beside)
    layout.other_column = beside
    layout.first_row, layout.last_row = block.first, block.last
    layout.other_table = None if block.other_table is None else block.other_table + 1
    _assign_axes(grid, block, header, table, roles, values, stub_text, layout, hint)
    return layout


def _at(row: Sequence[Any], c: int) -> Any:
    return row[c] if c < len(row) else None


def _columns(
    grid: Grid, block: Block, width: int, table: _Table, hint: LayoutHint | None
) -> tuple[list[list[Any]], dict[int, str], list[int], int | None] | None:
    """The filled header, the role words per column, the value columns (None if none), and the
    first column of another table beside this one."""
    header = _filled_header(grid.rows, block, width)
    roles = _column_roles(header, width, table)
    if hint:
        for role, spec in (
            ("area", hint.area_column),
            ("code", hint.code_column),
            ("kommune", hint.kommune_column),
            ("year", hint.year_column),
            ("label", hint.label_column),
            ("value", hint.value_column),
        ):
            index = _resolve_column(spec, header)
            if index is not None and index < width:
                roles = {c: r for c, r in roles.items() if r != role or role == "label"}
                roles[index] = role
    first_value = block.numeric_columns[0]
    values = [
        c
        for c in range(width)
        if roles.get(c, "value") == "value"
        and (
            table.numeric(c)
            or (c > first_value and table.count[c] == 0 and any(h[c] is not None for h in header))
        )
    ]
    # The leftmost column of years beside other numbers is the year of each row, unless its
    # header names an indikator ("Antal beboere" can be 2010).
    if (
        len(values) > 1
        and values[0] not in roles
        and table.all_years(values[0])
        and table.count[values[0]] > 1
        and not any(
            h[values[0]] is not None and _LABEL_CUES.search(cell_text(h[values[0]])) for h in header
        )
    ):
        roles[values.pop(0)] = "year"
    # An unnamed text column between value columns is the row header of a table beside this one.
    beside = (
        next(
            (c for c in range(values[0] + 1, values[-1]) if c not in roles and table.text(c)), None
        )
        if values
        else None
    )
    if beside is not None:
        values = [c for c in values if c < beside]
    return (header, roles, values, beside) if values else None


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


def _assign_axes(
    grid: Grid,
    block: Block,
    header: list[list[Any]],
    table: _Table,
    roles: dict[int, str],
    values: list[int],
    stub_text: list[int],
    layout: SheetLayout,
    hint: LayoutHint | None,
) -> None:
    row_kinds = _header_row_kinds(header, values)
    text_rows = [k for k, kind in enumerate(row_kinds) if kind == "text"]
    header_texts = _header_texts(header, text_rows, values)
    generic_header = all(match_key(t) in GENERIC_LABELS for t in header_texts)
    stub_score = _label_score([t for c in stub_text for t in _body_texts(grid, block, c)])
    title_area = area_from_title(layout.title)["area"]
    forced = hint.layout if hint else None

    text_header = bool(header_texts) and not generic_header
    header_score = _label_score(header_texts)
    corner = [c for c, r in roles.items() if r == "area" and c < values[0]]
    if (
        forced is None
        and corner
        and text_header
        and _label_score(_body_texts(grid, block, corner[0])) > max(0, header_score)
    ):
        roles[corner[0]] = "label"  # "Område" over a column of indikatorer: areas are columns
    named = sorted(c for c, r in roles.items() if r == "label")
    areas_named = any(r in ("area", "code") for r in roles.values())
    areas_on_columns = False
    if forced == "time_series":
        labels = sorted({*stub_text, *named})
        roles = {c: r for c, r in roles.items() if r not in ("area", "code")}
    elif forced in ("area_list", "long"):
        if not areas_named and stub_text:
            roles[stub_text.pop()] = "area"
        labels = sorted({*named, *(stub_text if forced == "long" or not text_header else [])})
    elif areas_named:
        # Unnamed text beside the areas names the indikator only when the header does not.
        labels = sorted({*named, *(stub_text if not text_header else [])})
    elif named:
        labels = named
        if text_header and header_score <= 0:
            areas_on_columns = True
        elif stub_text and not text_header and title_area is None and stub_score <= 0:
            roles[stub_text[-1]] = "area"
        else:
            labels = sorted({*named, *stub_text})
    elif not stub_text:
        labels = []
    elif title_area is None and (area := _area_among(grid, block, stub_text)) is not None:
        roles[area] = "area"  # a long table without header words: area and indikator columns
        labels = [c for c in stub_text if c != area]
    elif text_header:
        # Text on both axes: the one that reads more like indikatorer holds them.
        if stub_score > header_score:
            labels, areas_on_columns = list(stub_text), header_score <= 0
        else:
            roles[stub_text[-1]] = "area"
            labels = []
    elif stub_score < 0 and title_area is None:
        roles[stub_text[-1]] = "area"  # a list of areas over years; the indikator is the title's
        labels = []
    else:
        labels = list(stub_text)
    label_columns = labels

    row_roles: dict[str, int] = {}
    for c, role in sorted(roles.items()):
        if role in KEY_ROLES and role not in row_roles:
            row_roles[role] = c
    layout.row_roles = row_roles
    layout.label_columns = label_columns
    _column_keys(header, row_kinds, values, areas_on_columns, layout)
    if label_columns and "area" in row_roles and len(layout.value_columns) == 1:
        # One value per row of area and indikator: the value column's header ("Resultat",
        # "Andel") is no part of the indikator.
        layout.column_keys[layout.value_columns[0]].pop("label", None)
    letters = {role: column_letter(c) for role, c in row_roles.items()}
    if label_columns:
        letters["label"] = column_letter(label_columns[-1])
    if "value" in roles.values() and len(layout.value_columns) == 1:
        letters["value"] = column_letter(layout.value_columns[0])
    layout.columns = dict(sorted(letters.items(), key=lambda item: column_index(item[1])))
    _name_layout(layout, areas_on_columns)


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
        if label := _join([t for t in texts[c] if t]):
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
