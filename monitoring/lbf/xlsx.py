"""From a checked .xlsx to grids: values via calamine, percent cells and formulas from the XML."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from monitoring.lbf.cells import Grid, cell_text, column_index, column_letter
from monitoring.lbf.filecheck import CORRUPT_XLSX, check_xlsx
from monitoring.lbf.problems import WARNING, Problem, ReadSettings, blocking_problem, rejection

_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')


def _cell_position(xml: bytes, start: int) -> tuple[int, int] | None:
    tag_end = xml.find(b">", start)
    match = _CELL_REF.search(xml, start, tag_end if tag_end > 0 else start + 200)
    if not match:
        return None
    return int(match.group(2)) - 1, column_index(match.group(1).decode())


def percent_cells(xml: bytes, styles: set[int]) -> set[tuple[int, int]]:
    """(row, col) of every cell whose number format is a percentage."""
    if not styles:
        return set()
    found: set[tuple[int, int]] = set()
    alternatives = b"|".join(str(s).encode() for s in sorted(styles))
    pattern = re.compile(rb'<(?:\w+:)?c\b[^>]*?\ss="(?:' + alternatives + rb')"')
    for match in pattern.finditer(xml):
        position = _cell_position(xml, match.start())
        if position is not None:
            found.add(position)
    return found


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


_CACHED = re.compile(rb"<(?:\w+:)?v>[^<]+</(?:\w+:)?v>|<(?:\w+:)?is>")


def formulas_without_values(xml: bytes) -> list[tuple[int, int, str]]:
    """(row, col, formula) of formula cells that have no cached value."""
    found: list[tuple[int, int, str]] = []
    if b"<f>" not in xml and b"<f " not in xml and b":f>" not in xml and b":f " not in xml:
        return found
    for match in _FORMULA.finditer(xml):
        start = max(xml.rfind(b"<c ", 0, match.start()), xml.rfind(b":c ", 0, match.start()))
        end = xml.find(b"c>", match.start())
        if start < 0 or end < 0:
            continue
        cell = xml[start : end + 2]
        if _CACHED.search(cell):
            continue
        position = _cell_position(xml, start)
        if position is None:
            continue
        formula = re.search(rb"<(?:\w+:)?f[^>]*>([^<]*)<", cell)
        text = "=" + formula.group(1).decode("utf-8", "replace") if formula else "="
        found.append((*position, text))
    return found


# Cells a workbook's merged ranges may fill in all (a hostile file can merge whole sheets).
MAX_MERGED_FILL = 1_000_000


def fill_merged(
    rows: list[list[Any]], ranges: Sequence[tuple[tuple[int, int], tuple[int, int]]]
) -> None:
    """Copy each merged range's value (kept in its top-left cell only) over the whole range.

    A topic written once over several columns then heads each of them, and a kommune merged down
    over its areas names each row. Ranges are clipped to the sheet's used cells.
    """
    width = max((len(row) for row in rows), default=0)
    budget = MAX_MERGED_FILL
    for (top, left), (bottom, right) in ranges:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        if value is None or value == "":
            continue
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            row = rows[r]
            end = min(right, width - 1) + 1
            budget -= max(0, end - left)
            if budget < 0:
                return
            if len(row) < end:
                row.extend([None] * (end - len(row)))
            for c in range(left, end):
                row[c] = value


def xlsx_grids(data: bytes, settings: ReadSettings, problems: list[Problem]) -> list[Grid]:
    from python_calamine import CalamineWorkbook

    parts = check_xlsx(data, settings)
    # What the reader needs from each sheet's XML, taken before calamine parses the file: a
    # national sheet's XML is larger than its cells, and need not be held while they are read.
    formulas = {name: formulas_without_values(xml) for name, xml in parts.sheet_xml.items()}
    percents = {
        name: percent_cells(xml, parts.percent_styles) for name, xml in parts.sheet_xml.items()
    }
    parts.sheet_xml.clear()
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = workbook.sheets_metadata
    except Exception as exc:  # calamine raises several error types for broken parts
        raise rejection("corrupt", CORRUPT_XLSX) from exc
    grids: list[Grid] = []
    missing_values: list[Problem] = []
    for meta in metadata:
        name = meta.name
        if str(meta.typ).rsplit(".", 1)[-1] != "WorkSheet":
            continue
        if name in parts.hidden or str(meta.visible).rsplit(".", 1)[-1] != "Visible":
            problems.append(
                Problem(WARNING, "hidden_sheet", "Arket er skjult og bliver ikke læst.", sheet=name)
            )
            continue
        try:
            sheet = workbook.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or []
        except Exception as exc:
            raise rejection("corrupt", CORRUPT_XLSX, sheet=name) from exc
        fill_merged(rows, merged)
        for row, col, formula in formulas.get(name, []):
            missing_values.append(
                blocking_problem(
                    "formula_without_value",
                    "Cellen indeholder en formel uden gemt resultat (filen er lavet af et program, "
                    "der ikke beregner formler). Åbn filen i Excel, gem den og upload den igen.",
                    sheet=name,
                    row=row + 1,
                    column=column_letter(col),
                    text=formula,
                )
            )
        grids.append(Grid(name, rows, percents.get(name, set())))
    if missing_values:
        problems.extend(missing_values)
    if not any(any(cell_text(v) for v in row) for g in grids for row in g.rows):
        raise rejection(
            "empty_workbook",
            "Regnearket er tomt: ingen af arkene indeholder data. Tjek, at det er den rigtige fil.",
        )
    return grids
