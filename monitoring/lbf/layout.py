"""Layout detection: the header row, the role of each column, and the area named in the title rows.

Three layouts are recognised (and can be forced with `LayoutHint` when they are not):
- `time_series`: title rows, then a header row of years; one row per category (LBF Beboerdata).
- `area_list`: one row per area, one column per indikator; the year in a column, title or sheet name.
- `long`: one row per value: `Område; Indikator; År; Værdi` (plus optional afdelingsnummer, kommune).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from monitoring.lbf.cells import Grid, cell_text, column_index, column_letter, match_key, year_of
from monitoring.lbf.problems import LayoutHint, ReadSettings

LAYOUTS = ("time_series", "area_list", "long")


LAYOUT_NAMES = {
    "time_series": "Tidsserie (år som kolonner)",
    "area_list": "Områdeliste (ét område pr. række)",
    "long": "Lang tabel (Område; Indikator; År; Værdi)",
}


@dataclass
class SheetLayout:
    """What the reader found in one sheet: layout, header row and the role of each column."""

    sheet: str
    layout: str
    header_row: int
    columns: dict[str, str] = field(default_factory=dict)  # role -> column letter
    years: list[int] = field(default_factory=list)
    year_source: str | None = None  # "kolonne", "overskrift", "titel", "arknavn", "angivet"
    title: list[str] = field(default_factory=list)
    area_text: str | None = None
    area_code: str | None = None
    kommune_text: str | None = None
    kommune_code: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "layout": self.layout,
            "layout_name": LAYOUT_NAMES[self.layout],
            "header_row": self.header_row,
            "columns": dict(self.columns),
            "years": list(self.years),
            "year_source": self.year_source,
            "title": list(self.title),
            "area": self.area_text,
            "area_code": self.area_code,
            "kommune": self.kommune_text,
        }


_ROLE_WORDS: dict[str, set[str]] = {
    "area": {
        "omraade",
        "boligomraade",
        "boligomraadets navn",
        "omraadenavn",
        "afdeling",
        "afdelingsnavn",
        "afdelingens navn",
        "boligafdeling",
        "afdeling navn",
        "navn",
        "helhedsplan",
        "helhedsplanens navn",
        "area",
        "geografi",
    },
    "code": {
        "afdelingsnummer",
        "afdelingsnr",
        "afd nr",
        "afdnr",
        "afd nummer",
        "afdeling nr",
        "afdelingsnr nr",
        "afdeling nummer",
        "nummer",
        "nr",
        "lbf nr",
        "lbf afdelingsnummer",
    },
    "kommune": {"kommune", "kommunenavn", "kommunens navn"},
    "kommune_code": {"kommunekode", "kommune nr", "kommunenr", "kommunenummer", "kom nr"},
    "organisation": {
        "boligorganisation",
        "boligselskab",
        "organisation",
        "boligorganisationens navn",
        "org nr",
        "organisationsnummer",
        "boligorganisationsnummer",
        "landsdel",
        "region",
    },
    "year": {"aar", "aarstal", "year", "opgoerelsesaar", "periode", "tidspunkt", "maaleaar"},
    "label": {"indikator", "noegletal", "maal", "variabel", "measure", "indikatornavn", "emne"},
    "value": {"vaerdi", "value", "tal", "vaerdi i alt", "resultat"},
    "unit": {"enhed", "unit", "maaleenhed"},
}


_ROLE_OF_KEY = {word: role for role, words in _ROLE_WORDS.items() for word in words}


TOTAL_ROWS = {"i alt", "total", "sum", "samlet", "alle", "i alt afdelinger"}


GENERIC_LABELS = {
    "antal",
    "pct",
    "procent",
    "andel",
    "i alt",
    "heraf",
    "personer",
    "kr",
    "gennemsnit",
    "median",
}


def _role(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    key = match_key(value)
    return _ROLE_OF_KEY.get(key)


def _resolve_column(spec: str | None, header: list[Any]) -> int | None:
    if not spec:
        return None
    wanted = match_key(spec)
    for index, value in enumerate(header):
        if isinstance(value, str) and match_key(value) == wanted:
            return index
    try:
        return column_index(spec)
    except ValueError:
        return None


def title_lines(rows: list[list[Any]], header_row: int) -> list[str]:
    lines = []
    for row in rows[:header_row]:
        texts = [cell_text(v) for v in row if cell_text(v)]
        if texts:
            lines.append(" ".join(texts))
    return lines


_AREA_LINE = re.compile(
    r"^\s*(?:afdeling|boligafdeling|område|omraade|boligområde|helhedsplan|afd\.?)\s*:\s*(?P<name>.+?)\s*$",
    re.IGNORECASE,
)


_KOMMUNE_LINE = re.compile(r"^\s*kommune\s*:\s*(?P<name>.+?)\s*$", re.IGNORECASE)


_KOMMUNE_IN = re.compile(r"(?P<name>[A-ZÆØÅ][\wæøåÆØÅ\-]*(?:[ -][A-ZÆØÅ][\wæøåÆØÅ\-]*)*) Kommune")


_AREA_COMMA_KOMMUNE = re.compile(r"^\s*(?P<area>[^,:]+?),\s*(?P<kommune>[^,]+?\s[Kk]ommune)\s*$")


_CODE_IN = re.compile(r"\bafd(?:eling|\.)?\s*(?:nr\.?|nummer)?\s*(?P<code>\d{1,5})\b", re.I)


_KOMMUNE_CODE_IN = re.compile(r"\bkommunekode\s*:?\s*(?P<code>\d{3})\b", re.I)


def area_from_title(lines: list[str]) -> dict[str, str | None]:
    """The area, afdelingsnummer and kommune a title block names, as far as patterns can tell."""
    found: dict[str, str | None] = {
        "area": None,
        "code": None,
        "kommune": None,
        "kommune_code": None,
    }
    for line in lines:
        if found["area"] is None and (m := _AREA_LINE.match(line)):
            found["area"] = m.group("name")
            continue
        if found["kommune"] is None and (m := _KOMMUNE_LINE.match(line)):
            found["kommune"] = m.group("name")
            continue
        if found["area"] is None and (m := _AREA_COMMA_KOMMUNE.match(line)):
            found["area"] = m.group("area").strip()
            found["kommune"] = found["kommune"] or m.group("kommune").strip()
            continue
        if found["kommune"] is None and (m := _KOMMUNE_IN.search(line)):
            found["kommune"] = f"{m.group('name')} Kommune"
    for line in lines:
        if found["code"] is None and (m := _CODE_IN.search(line)):
            found["code"] = m.group("code")
        if found["kommune_code"] is None and (m := _KOMMUNE_CODE_IN.search(line)):
            found["kommune_code"] = m.group("code")
    if found["area"] and found["code"] is None and (m := _CODE_IN.search(found["area"])):
        found["code"] = m.group("code")
    return found


def row_is_empty(row: Sequence[Any]) -> bool:
    return not any(cell_text(v) for v in row)


def _detect_time_series(grid: Grid, scan: int) -> SheetLayout | None:
    for r, row in enumerate(grid.rows[:scan]):
        year_cols = [(c, y) for c, v in enumerate(row) if (y := year_of(v)) is not None]
        if len(year_cols) < 2 or len({y for _, y in year_cols}) < 2:
            continue
        first = year_cols[0][0]
        if first == 0:
            continue
        numbers = sum(
            1 for c, v in enumerate(row) if isinstance(v, float) and c not in dict(year_cols)
        )
        if numbers > 1:
            continue
        # Data rows must exist below: a label on the left and something under the years.
        has_data = False
        for below in grid.rows[r + 1 : r + 40]:
            label = any(cell_text(v) for v in below[:first])
            values = any(cell_text(below[c]) for c, _ in year_cols if c < len(below))
            if label and values:
                has_data = True
                break
        if not has_data:
            continue
        layout = SheetLayout(grid.name, "time_series", r + 1)
        layout.years = sorted({y for _, y in year_cols})
        layout.year_source = "overskrift"
        layout.columns = {"label": column_letter(0)}
        return layout
    return None


def _header_roles(row: Sequence[Any]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for c, v in enumerate(row):
        role = _role(v)
        if role and role not in roles:
            roles[role] = c
    return roles


def _detect_table(grid: Grid, scan: int) -> SheetLayout | None:
    for r, row in enumerate(grid.rows[:scan]):
        texts = [c for c, v in enumerate(row) if isinstance(v, str) and v.strip()]
        if len(texts) < 2:
            continue
        roles = _header_roles(row)
        if "area" not in roles and "code" not in roles and "kommune" not in roles:
            continue
        if r + 1 >= len(grid.rows) or all(row_is_empty(x) for x in grid.rows[r + 1 : r + 30]):
            continue
        if "label" in roles and "value" in roles:
            layout = SheetLayout(grid.name, "long", r + 1)
        else:
            other = [c for c in texts if _role(row[c]) is None]
            if not other:
                continue
            layout = SheetLayout(grid.name, "area_list", r + 1)
        layout.columns = {role: column_letter(c) for role, c in roles.items()}
        return layout
    return None


def detect_layout(grid: Grid, settings: ReadSettings) -> SheetLayout | None:
    """The first recognisable header from the top: a long/area table or a time series."""
    table = _detect_table(grid, settings.header_scan_rows)
    series = _detect_time_series(grid, settings.header_scan_rows)
    if table and series:
        return table if table.header_row <= series.header_row else series
    return table or series


def layout_from_hint(grid: Grid, hint: LayoutHint, settings: ReadSettings) -> SheetLayout | None:
    detected = detect_layout(grid, settings)
    header_row = hint.header_row or (detected.header_row if detected else None)
    if header_row is None or header_row < 1 or header_row > len(grid.rows):
        return None
    header = grid.rows[header_row - 1]
    kind = hint.layout or (detected.layout if detected else None)
    if kind is None:
        kind = "time_series" if sum(year_of(v) is not None for v in header) >= 2 else "area_list"
    layout = SheetLayout(grid.name, kind, header_row)
    if kind == "time_series":
        layout.years = sorted({y for v in header if (y := year_of(v)) is not None})
        layout.year_source = "overskrift"
        layout.columns = {"label": column_letter(0)}
        return layout
    roles = _header_roles(header)
    for role, spec in (
        ("area", hint.area_column),
        ("code", hint.code_column),
        ("kommune", hint.kommune_column),
        ("year", hint.year_column),
        ("label", hint.label_column),
        ("value", hint.value_column),
    ):
        index = _resolve_column(spec, header)
        if index is not None:
            roles = {k: v for k, v in roles.items() if v != index}
            roles[role] = index
    layout.columns = {role: column_letter(c) for role, c in roles.items()}
    return layout
