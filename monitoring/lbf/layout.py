"""What the reader understood of a sheet (`SheetLayout`), the header words it knows, the title block.

A sheet's table is found by structure (`monitoring.lbf.structure`) and its rows and columns get
their roles in `monitoring.lbf.detect`; the three layout names say where the areas are:
- `time_series`: one area per sheet, named in the title (LBF Beboerdata): indikatorer and years on
  the axes, either way round.
- `area_list`: one area per row (or per column), indikatorer on the other axis; the year in the
  header, in a column, the title or the sheet name.
- `long`: area and indikator both in columns of each row: `Område; Indikator; År; Værdi`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from monitoring.lbf.cells import cell_text, column_letter, match_key

LAYOUTS = ("time_series", "area_list", "long")


LAYOUT_NAMES = {
    "time_series": "Tidsserie for ét område (området står i titlen)",
    "area_list": "Områdeliste (ét område pr. række eller kolonne)",
    "long": "Lang tabel (Område; Indikator; År; Værdi)",
}


def _spans(numbers: Sequence[int]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for n in sorted(set(numbers)):
        if spans and n == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], n)
        else:
            spans.append((n, n))
    return spans


def column_span(columns: Sequence[int]) -> str:
    """[1, 2, 3, 5] -> "B–D, F"."""
    return ", ".join(
        column_letter(a) if a == b else f"{column_letter(a)}–{column_letter(b)}"
        for a, b in _spans(columns)
    )


def row_span(rows: Sequence[int]) -> str:
    """[4, 5] -> "4–5" (1-based rows as Excel shows them)."""
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in _spans(rows))


def _year_span(years: Sequence[int]) -> str:
    years = sorted(set(years))
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


@dataclass
class SheetLayout:
    """What the reader found in one sheet: where the table is and what each row and column holds.

    Positions in `row_roles`, `label_columns`, `value_columns`, `column_keys`, `first_row` and
    `last_row` are 0-based (for the tidy step); everything in `to_dict` is as Excel shows it.
    """

    sheet: str
    layout: str
    header_row: int  # the last header row, 1-based
    columns: dict[str, str] = field(default_factory=dict)  # role -> column letter
    years: list[int] = field(default_factory=list)
    year_source: str | None = None  # "kolonne", "overskrift", "titel", "arknavn", "angivet"
    title: list[str] = field(default_factory=list)
    area_text: str | None = None
    area_code: str | None = None
    kommune_text: str | None = None
    kommune_code: str | None = None
    header_rows: list[int] = field(default_factory=list)  # 1-based
    label_axis: str | None = None  # "rækker", "kolonner", "titel"
    area_axis: str | None = None  # "rækker", "kolonner", "titel"
    title_label: str | None = None  # the indikator, when only the title names it
    other_table: int | None = None  # 1-based first row of a further table that is not read
    other_column: int | None = None  # first column of a table beside this one, not read
    first_row: int = 0
    last_row: int = -1
    row_roles: dict[str, int] = field(default_factory=dict)  # area, code, kommune, year, unit
    label_columns: list[int] = field(default_factory=list)
    value_columns: list[int] = field(default_factory=list)
    column_keys: dict[int, dict[str, Any]] = field(default_factory=dict)  # label/year/area
    ignored_columns: list[int] = field(default_factory=list)
    total_columns: list[int] = field(default_factory=list)

    def describe(self) -> str:
        """The reading in one Danish sentence, for the report and the upload page."""
        name = LAYOUT_NAMES[self.layout]
        head = "overskrift i række" if len(self.header_rows) < 2 else "overskrift i rækkerne"
        parts = [
            f"{name}: {head} {row_span(self.header_rows or [self.header_row])}, "
            f"tal i række {row_span(range(self.first_row + 1, self.last_row + 2))}, "
            f"kolonne {column_span(self.value_columns)}",
            self._labels_text(),
            self._areas_text(),
            self._years_text(),
        ]
        return "; ".join(p for p in parts if p) + "."

    def _labels_text(self) -> str:
        if self.label_axis == "rækker":
            words = f"indikatorer i rækkerne (kolonne {column_span(self.label_columns)})"
            if any("label" in key for key in self.column_keys.values()):
                words += " og kolonneoverskrifterne"
            return words
        if self.label_axis == "kolonner":
            return "indikatorer i kolonneoverskrifterne"
        return f"indikatoren står i titlen ('{self.title_label}')"

    def _areas_text(self) -> str:
        if self.area_axis == "rækker":
            column = self.row_roles.get("area", self.row_roles.get("code"))
            return f"områder i rækkerne (kolonne {column_letter(column or 0)})"
        if self.area_axis == "kolonner":
            return "områder i kolonneoverskrifterne"
        if self.area_text:
            return f"området: {self.area_text}"
        return "området fremgår ikke af arket"

    def _years_text(self) -> str:
        span = _year_span(self.years)
        if self.year_source == "kolonne":
            return f"år i kolonne {self.columns.get('year', '')}"
        if self.year_source == "overskrift":
            return f"år i kolonneoverskrifterne ({span})"
        where = {"titel": "titlen", "arknavn": "arknavnet", "angivet": "det angivne år"}
        if self.year_source in where:
            return f"året fra {where[self.year_source]} ({span})"
        return "intet år i arket"

    def to_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "layout": self.layout,
            "layout_name": LAYOUT_NAMES[self.layout],
            "header_row": self.header_row,
            "header_rows": list(self.header_rows),
            "data_rows": [self.first_row + 1, self.last_row + 1],
            "value_columns": column_span(self.value_columns),
            "columns": dict(self.columns),
            "label_axis": self.label_axis,
            "area_axis": self.area_axis,
            "years": list(self.years),
            "year_source": self.year_source,
            "title": list(self.title),
            "area": self.area_text,
            "area_code": self.area_code,
            "kommune": self.kommune_text,
            "other_table_row": self.other_table,
            "other_table_column": (
                None if self.other_column is None else column_letter(self.other_column)
            ),
            "description": self.describe(),
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


# Roles of the columns (or header rows) that identify a value rather than hold one.
KEY_ROLES = ("area", "code", "kommune", "kommune_code", "year", "unit")


def role_of(value: Any) -> str | None:
    """The role a header word names: "Afdeling" -> "area", "År" -> "year", "Værdi" -> "value"."""
    if not isinstance(value, str):
        return None
    return _ROLE_OF_KEY.get(match_key(value))


def join_label(parts: Iterable[str]) -> str:
    """Label parts in order, each once: "Beskæftigelse for 18-64-årige – I beskæftigelse (pct.)"."""
    return " – ".join(dict.fromkeys(p for p in parts if p))


def title_lines(
    rows: Sequence[Sequence[Any]], header_row: int, joiner: str = " ", width: int | None = None
) -> list[str]:
    """The non-empty rows above the header as lines (up to column `width`, where a table beside
    this one starts); a merged cell's repeats count once."""
    lines = []
    for row in rows[:header_row]:
        texts: list[str] = []
        for value in row[:width]:
            text = cell_text(value)
            if text and (not texts or texts[-1] != text):
                texts.append(text)
        if texts:
            lines.append(joiner.join(texts))
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
