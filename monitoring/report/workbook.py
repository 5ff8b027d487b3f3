"""The yearly status as an Excel workbook: about the report, a status sheet, one sheet per delmål.

Numbers are numeric cells with a number format per unit (shares "42,5 %" stored as 42.5 like on
the screen, kroner and counts with thousands separators, milestones as their Danish state), so
the bestyrelse can calculate with them. Every text from the store or a person goes through
`plaintext.spreadsheet_text` and is written as a string, so none becomes a live formula. The
reference is the delaftale's baseline as signed; a revised figure for its year stands beside it.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from typing import Any

import pandas as pd
import xlsxwriter

from monitoring.export import XLSX_OPTIONS
from monitoring.fmt import format_date
from monitoring.plaintext import spreadsheet_text
from monitoring.report.content import DEMO_WARNING, ReportContent
from monitoring.views import UNIT_NAMES, yearly_values

VALUE_FORMATS = {
    "pct": '0.0" %"',
    "dkk": '#,##0" kr."',
    "status": '[=2]"Opnået";[=1]"I gang";"Ikke startet"',
    "count": "#,##0",
    "decimal": "#,##0.0",
}
CHANGE_FORMATS = {
    "pct": '+0.0" pp.";-0.0" pp.";0.0" pp."',
    "dkk": '+#,##0" kr.";-#,##0" kr.";0" kr."',
    "count": "+#,##0.0;-#,##0.0;0",
}
DISTANCE_FORMATS = {"pct": '0.0" pp."', "dkk": '#,##0" kr."', "count": "#,##0.0"}
WIDE_TEXT = 50


class _Writer:
    """One workbook's cached cell formats and the typed writes every sheet uses."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.formats: dict[tuple[str, bool], Any] = {}

    def format(self, number_format: str = "", wrap: bool = False) -> Any:
        key = (number_format, wrap)
        if key not in self.formats:
            properties: dict[str, Any] = {"valign": "top"}
            if number_format:
                properties["num_format"] = number_format
            if wrap:
                properties["text_wrap"] = True
            self.formats[key] = self.book.add_format(properties)
        return self.formats[key]

    def cell(self, sheet: Any, row: int, col: int, value: Any, number_format: str = "") -> None:
        """A number as a number (with its format), a date as a date, anything else as text."""
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
            sheet.write_blank(row, col, None, self.format(number_format))
        elif isinstance(value, bool):
            sheet.write_boolean(row, col, value)
        elif isinstance(value, dt.datetime | dt.date):
            sheet.write_datetime(row, col, value, self.format(number_format or "d. mmm yyyy"))
        elif isinstance(value, int | float) and math.isfinite(value):
            sheet.write_number(row, col, float(value), self.format(number_format))
        else:  # text, or an infinite number a damaged store may hold, shown as "∞"/"-∞"
            if isinstance(value, int | float):
                value = "∞" if value > 0 else "-∞"
            text = spreadsheet_text(str(value))
            sheet.write_string(row, col, text, self.format(wrap=len(text) > WIDE_TEXT))

    def table(
        self,
        sheet: Any,
        headers: list[str],
        rows: list[list[tuple[Any, str]]],
        first_row: int = 0,
    ) -> int:
        """Header, then rows of (value, number format); widths fit the text. Returns next row."""
        header = self.book.add_format({"bold": True, "bottom": 1, "text_wrap": True})
        widths = [len(h) for h in headers]
        for col, title in enumerate(headers):
            sheet.write_string(first_row, col, spreadsheet_text(title), header)
        for offset, row in enumerate(rows, first_row + 1):
            for col, (value, number_format) in enumerate(row):
                self.cell(sheet, offset, col, value, number_format)
                shown = len(str(value)) if isinstance(value, str) else 12
                widths[col] = max(widths[col], min(shown, WIDE_TEXT))
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width + 2)
        return first_row + 1 + len(rows)


def value_format(unit: str, value: Any = None) -> str:
    """The cell format of a value in `unit`; counts show a decimal only when they have one."""
    if unit == "count" and isinstance(value, float) and not value.is_integer():
        return VALUE_FORMATS["decimal"]
    return VALUE_FORMATS.get(unit, VALUE_FORMATS["count"])


def _about(writer: _Writer, content: ReportContent) -> None:
    sheet = writer.book.add_worksheet("Om rapporten")
    start, end = content.period
    facts: list[list[tuple[Any, str]]] = [
        [("Helhedsplan", ""), (content.plan["name"], "")],
        [("Kommune", ""), (content.plan["kommune"], "")],
        [("Indsatsområde", ""), (", ".join(a.area_of_effort for a in content.agreements), "")],
        [("Aftaleperiode", ""), (f"{format_date(start)} – {format_date(end)}", "")],
        [("Statusår", ""), (content.year, "0")],
        [("Andel af perioden gået", ""), (content.result.get("elapsed_share"), "0%")],
        [("Rapportens dato", ""), (content.made_on, "")],
        [("Datakilder", ""), ("; ".join(content.sources), "")],
        [("Kilde", ""), ("Indikatormonitor", "")],
    ]
    if content.demo:
        facts.append([("ADVARSEL", ""), (DEMO_WARNING, "")])
    after = writer.table(sheet, ["Felt", "Værdi"], facts)
    imports = [
        [
            (batch["file_name"], ""),
            (batch["kind"], ""),
            (batch["created_at"], "d. mmm yyyy hh:mm"),
            (batch["figures"], "#,##0"),
        ]
        for batch in content.imports
    ]
    writer.table(sheet, ["Import (fil)", "Type", "Importeret", "Antal tal"], imports, after + 1)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, WIDE_TEXT)
    sheet.freeze_panes(1, 0)


STATUS_HEADERS = [
    "Delmål nr.",
    "Delmål",
    "Indikator",
    "Enhed",
    "Status",
    "Tegn",
    "Reference",
    "Referenceår",
    "Revideret baselinetal",
    "Seneste værdi",
    "Seneste år",
    "Ændring",
    "Anden baseline",
    "Afstand ved reference",
    "Afstand nu",
    "Vurdering",
    "Noter",
    "Kommentar",
]


def _status(writer: _Writer, content: ReportContent) -> None:
    sheet = writer.book.add_worksheet("Status")
    rows = []
    for subgoal in content.subgoals:
        comment = subgoal.comment.text if subgoal.comment else None
        for part in subgoal.indicators:
            verdict, unit = part.verdict, part.unit
            reference = verdict.get("reference") or {}
            latest = verdict.get("latest") or {}
            comp = part.comparator or {}
            distance = DISTANCE_FORMATS.get(unit, "")
            rows.append(
                [
                    (subgoal.number, "0"),
                    (subgoal.text, ""),
                    (part.indicator["name"], ""),
                    (UNIT_NAMES.get(unit, unit), ""),
                    (verdict["status"], ""),
                    (part.symbol, ""),
                    (reference.get("value"), value_format(unit, reference.get("value"))),
                    (reference.get("year"), "0"),
                    (reference.get("revised_value"), value_format(unit)),
                    (latest.get("value"), value_format(unit, latest.get("value"))),
                    (latest.get("year"), "0"),
                    (verdict.get("change"), CHANGE_FORMATS.get(unit, "")),
                    (comp.get("label"), ""),
                    (comp.get("gap_at_reference"), distance),
                    (comp.get("gap_now"), distance),
                    (verdict["sentence"], ""),
                    (" ".join(part.notes) or None, ""),
                    (comment, ""),
                ]
            )
    writer.table(sheet, STATUS_HEADERS, rows)
    sheet.freeze_panes(1, 0)


def _subgoal_sheet(writer: _Writer, content: ReportContent, number: int) -> None:
    subgoal = content.subgoals[number - 1]
    sheet = writer.book.add_worksheet(f"Delmål {number}")
    values = yearly_values(subgoal.snapshot)
    headers = [str(c) for c in values.columns]
    rows = []
    for record in values.to_dict("records"):
        unit = record["Enhed"]
        row = []
        for column in values.columns:
            value = record[column]
            if column == "Enhed":
                row.append((UNIT_NAMES.get(unit, unit), ""))
            elif column == "Baselineår":
                row.append((None if pd.isna(value) else int(value), "0"))
            elif isinstance(value, float):
                row.append((value, value_format(unit, value)))
            else:
                row.append((value, ""))
        rows.append(row)
    after = writer.table(sheet, headers, rows)
    notes = [
        [("Delmål", ""), (f"{number}. {subgoal.text}", "")],
        [("Status", ""), (f"{subgoal.summary} ({content.year})", "")],
    ]
    if subgoal.comment:
        byline = f"{subgoal.comment.author}, {format_date(subgoal.comment.written_at.date())}"
        notes.append([("Kommentar", ""), (f"{subgoal.comment.text} ({byline})", "")])
    writer.table(sheet, ["Om delmålet", ""], notes, after + 1)
    sheet.freeze_panes(1, 0)


def workbook_bytes(content: ReportContent) -> bytes:
    """The whole workbook as .xlsx bytes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, **XLSX_OPTIONS})
    writer = _Writer(book)
    _about(writer, content)
    _status(writer, content)
    for subgoal in content.subgoals:
        _subgoal_sheet(writer, content, subgoal.number)
    book.close()
    return buffer.getvalue()
