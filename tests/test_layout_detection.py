"""Layouts found by structure: files built here in the shapes real extracts take, every value checked.

Each builder writes a workbook with openpyxl (merged cells as Excel stores them: the value in the
top-left cell only) or CSV text with `;`, `,` or tab; the tests assert the tidy frame cell by cell
(label, area, year, value) and what the reader says it understood.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Sequence
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from monitoring import ingest
from monitoring.ingest.reporting import report_lines
from monitoring.lbf import LayoutHint, LbfTable, column_letter, read_table
from monitoring.seed import load_seed
from tests.test_ingest import value

# --------------------------------------------------------------------------------------------
# Builders


def workbook(
    rows: Sequence[Sequence[Any]],
    merged: Sequence[str] = (),
    name: str = "Data",
    more: dict[str, Sequence[Sequence[Any]]] | None = None,
) -> bytes:
    """An .xlsx from rows (None = empty cell); `merged` ranges like "B3:C3" (openpyxl keeps the
    top-left value and blanks the rest, as Excel does)."""
    book = openpyxl.Workbook()
    sheets = {name: (rows, merged), **{k: (v, ()) for k, v in (more or {}).items()}}
    for i, (sheet_name, (sheet_rows, sheet_merged)) in enumerate(sheets.items()):
        sheet = book.active if i == 0 else book.create_sheet()
        sheet.title = sheet_name
        for r, row in enumerate(sheet_rows, start=1):
            for c, cell in enumerate(row, start=1):
                if cell is not None:
                    sheet.cell(r, c, cell)
        for cell_range in sheet_merged:
            sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_text(rows: Sequence[Sequence[Any]], delimiter: str = ";") -> bytes:
    """CSV as Excel writes it: Danish numbers as text, fields with the delimiter quoted."""
    lines = []
    for row in rows:
        cells = []
        for cell in row:
            text = "" if cell is None else str(cell)
            if isinstance(cell, float):
                text = text.replace(".", ",")
            if delimiter in text or '"' in text:
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        lines.append(delimiter.join(cells))
    return "\r\n".join(lines).encode("utf-8")


def cells(table: LbfTable) -> dict[tuple[str, str | None, int | None], float | str]:
    """(label, area, year) -> value, or the state for a cell without a value; one entry per cell."""
    found: dict[tuple[str, str | None, int | None], float | str] = {}
    for row in table.frame.itertuples(index=False):
        area = None if pd.isna(row.area_text) else row.area_text  # categorical: missing is NaN
        key = (row.label, area, None if pd.isna(row.year) else int(row.year))
        assert key not in found, f"two cells for {key}"
        found[key] = row.value if row.state == "ok" else row.state
    return found


def read(data: bytes, name: str = "fil.xlsx", **options: Any) -> LbfTable:
    table = read_table(data, name, **options)
    assert not table.blocking, [p.describe() for p in table.problems]
    return table


def codes(table: LbfTable) -> list[str]:
    return [p.code for p in table.problems]


# --------------------------------------------------------------------------------------------
# A time series (LBF Beboerdata): title lines, years in the header, indikatorer in the rows

SERIES = [
    ["Beskæftigelse for 18-64-årige"],
    ["Østerbro, Guldborgsund Kommune"],
    ["Opgjort pr. 1. januar"],
    [],
    [None, 2021, 2022, 2023],
    ["I beskæftigelse (pct.)", 40.0, 41.3, 42.1],
    ["Ledige og aktiverede (pct.)", 8.1, "x", None],
    [],
    ["Kilde: Landsbyggefonden. Tal for under 5 personer er diskretioneret (x)."],
]
SERIES_CELLS = {
    ("I beskæftigelse (pct.)", "Østerbro", 2021): 40.0,
    ("I beskæftigelse (pct.)", "Østerbro", 2022): 41.3,
    ("I beskæftigelse (pct.)", "Østerbro", 2023): 42.1,
    ("Ledige og aktiverede (pct.)", "Østerbro", 2021): 8.1,
    ("Ledige og aktiverede (pct.)", "Østerbro", 2022): "suppressed",
}


@pytest.mark.parametrize(
    ("data", "name"),
    [
        pytest.param(workbook(SERIES), "ts.xlsx", id="xlsx"),
        pytest.param(csv_text(SERIES, ";"), "ts.csv", id="semicolon"),
        pytest.param(csv_text(SERIES, ","), "ts.csv", id="comma"),
        pytest.param(csv_text(SERIES, "\t"), "ts.csv", id="tab"),
    ],
)
def test_title_lines_above_the_header_in_xlsx_and_csv(data, name):
    table = read(data, name)
    found = cells(table)
    assert {k: v for k, v in found.items() if k[2] != 2023 or k[0].startswith("I ")} == (
        SERIES_CELLS
    )
    # The empty cell is no value (how it is kept is the cell reader's business), never a number.
    assert found.get(("Ledige og aktiverede (pct.)", "Østerbro", 2023)) in (
        None,
        "suppressed",
        "empty",
        "missing",
    )
    (layout,) = table.layouts
    assert (layout.layout, layout.header_rows, layout.label_axis) == ("time_series", [5], "rækker")
    assert (layout.year_source, layout.years) == ("overskrift", [2021, 2022, 2023])
    assert layout.title[:2] == ["Beskæftigelse for 18-64-årige", "Østerbro, Guldborgsund Kommune"]
    assert layout.kommune_text == "Guldborgsund Kommune"
    assert "other_table" not in codes(table)  # the footnote is no table


def test_years_in_the_rows_and_indikatorer_in_the_columns():
    rows = [
        ["Område: Løvvangen"],
        ["År", "Andel 18-64-årige i beskæftigelse (%)", "Andel ledige og aktiverede (%)"],
        [2021, 45.7, 12.7],
        [2022, 46.7, 11.9],
    ]
    for data in (workbook(rows), workbook([rows[0], [None, *rows[1][1:]], *rows[2:]])):
        table = read(data)
        assert cells(table) == {
            ("Andel 18-64-årige i beskæftigelse (%)", "Løvvangen", 2021): 45.7,
            ("Andel 18-64-årige i beskæftigelse (%)", "Løvvangen", 2022): 46.7,
            ("Andel ledige og aktiverede (%)", "Løvvangen", 2021): 12.7,
            ("Andel ledige og aktiverede (%)", "Løvvangen", 2022): 11.9,
        }
        (layout,) = table.layouts
        assert (layout.label_axis, layout.year_source, layout.columns) == (
            "kolonner",
            "kolonne",
            {"year": "A"},
        )


# --------------------------------------------------------------------------------------------
# Headers over more than one row; merged header cells

AREA_ROWS = [
    ["Aalborg", "Løvvangen", 46.1, 46.9, 30.0],
    ["Holstebro", "Trekanten", 51.6, 38.4, "x"],
]
TOPIC_CELLS = {
    ("Beskæftigelse for 18-64-årige – I beskæftigelse (pct.)", "Løvvangen", 2023): 46.1,
    ("Beskæftigelse for 18-64-årige – I beskæftigelse (pct.)", "Trekanten", 2023): 51.6,
    ("Beskæftigelse for 18-64-årige – På offentlig forsørgelse (pct.)", "Løvvangen", 2023): 46.9,
    ("Beskæftigelse for 18-64-årige – På offentlig forsørgelse (pct.)", "Trekanten", 2023): 38.4,
    ("Uddannelse – Grundskole som højeste (pct.)", "Løvvangen", 2023): 30.0,
    ("Uddannelse – Grundskole som højeste (pct.)", "Trekanten", 2023): "suppressed",
}
SUB_LABELS = [
    "I beskæftigelse (pct.)",
    "På offentlig forsørgelse (pct.)",
    "Grundskole som højeste (pct.)",
]


def test_topic_row_over_sub_labels_written_once():
    rows = [
        ["Boligsociale data 2023"],
        [],
        [None, None, "Beskæftigelse for 18-64-årige", None, "Uddannelse"],
        ["Kommune", "Afdeling", *SUB_LABELS],
        *AREA_ROWS,
    ]
    for data, name in ((workbook(rows), "a.xlsx"), (csv_text(rows, ";"), "a.csv")):
        table = read(data, name)
        assert cells(table) == TOPIC_CELLS
        (layout,) = table.layouts
        assert layout.header_rows == [3, 4]
        assert (layout.label_axis, layout.area_axis, layout.year_source) == (
            "kolonner",
            "rækker",
            "titel",
        )
        assert set(table.frame["kommune_text"]) == {"Aalborg", "Holstebro"}


def test_merged_header_cells_and_a_merged_kommune():
    rows = [
        ["Boligsociale data 2023"],
        [],
        ["Kommune", "Afdeling", "Beskæftigelse for 18-64-årige", None, "Uddannelse"],
        [None, None, *SUB_LABELS],
        ["Aalborg", "Løvvangen", 46.1, 46.9, 30.0],
        [None, "Sundby-Hvorup Boligselskab afd. 12", 45.8, 47.2, 29.0],
        ["Holstebro", "Trekanten", 51.6, 38.4, "x"],
        [],
        ["Kilde: Landsbyggefonden"],
    ]
    merged = ["A1:E1", "A3:A4", "B3:B4", "C3:D3", "A5:A6", "A9:E9"]
    table = read(workbook(rows, merged))
    found = cells(table)
    assert found[("Beskæftigelse for 18-64-årige – I beskæftigelse (pct.)", "Løvvangen", 2023)] == (
        46.1
    )
    sundby = "Sundby-Hvorup Boligselskab afd. 12"
    assert found[("Uddannelse – Grundskole som højeste (pct.)", sundby, 2023)] == 29.0
    assert len(found) == 9
    kommune = dict(zip(table.frame["area_text"], table.frame["kommune_text"], strict=True))
    assert kommune[sundby] == "Aalborg"  # the merged kommune names every row it spans
    (layout,) = table.layouts
    assert layout.header_rows == [3, 4]
    assert layout.title == ["Boligsociale data 2023"]  # the merged title counts once
    assert "other_table" not in codes(table)  # nor is the merged footnote a table


def test_years_inside_the_column_headers():
    rows = [
        ["Afdeling", "I beskæftigelse 2022 (pct.)", "I beskæftigelse 2023 (pct.)"],
        ["Løvvangen", 46.7, 47.3],
    ]
    assert cells(read(workbook(rows))) == {
        ("I beskæftigelse (pct.)", "Løvvangen", 2022): 46.7,
        ("I beskæftigelse (pct.)", "Løvvangen", 2023): 47.3,
    }
    # A year-like number in only one label is part of the label, not a year.
    rows = [["Afdeling", "Andel med under 2000 kr. pr. måned", "Antal"], ["Løvvangen", 4.0, 12]]
    found = cells(read(workbook(rows), year=2023))
    assert set(found) == {
        ("Andel med under 2000 kr. pr. måned", "Løvvangen", 2023),
        ("Antal", "Løvvangen", 2023),
    }


def one_area(area: str, values: dict[tuple[str, int], Any]) -> dict[tuple[str, str, int], Any]:
    return {(label, area, year): value for (label, year), value in values.items()}


EMPLOYED = "Andel 18-64-årige i beskæftigelse (%)"
SHAPES = [
    pytest.param(
        [
            ["Område: Løvvangen"],
            [None, 2022, 2023],
            ["Beskæftigede:"],
            ["Antal", 120, 125],
            ["Pct.", 44.1, 45.0],
            [],
            ["Ledige:"],
            ["Pct.", 11.0, 10.1],
        ],
        [],
        one_area(
            "Løvvangen",
            {
                ("Beskæftigede – Antal", 2022): 120.0,
                ("Beskæftigede – Antal", 2023): 125.0,
                ("Beskæftigede – Pct.", 2022): 44.1,
                ("Beskæftigede – Pct.", 2023): 45.0,
                ("Ledige – Pct.", 2022): 11.0,
                ("Ledige – Pct.", 2023): 10.1,
            },
        ),
        id="section-headings-name-generic-rows",
    ),
    pytest.param(
        [
            ["Nøgletal for almene afdelinger"],
            ["Afdeling", 2022, None, None, 2023, None, None],
            [None, "Beskæftigelse", None, "Indkomst", "Beskæftigelse", None, "Indkomst"],
            [None, "Antal", "Pct.", "Gns. (kr.)", "Antal", "Pct.", "Gns. (kr.)"],
            ["Løvvangen", 1100, 45.7, 291004, 1130, 46.7, 299000],
            ["Østerbro", 180, 41.3, 318260, "<5", 42.1, 327455],
        ],
        ["A2:A4", "B2:D2", "E2:G2", "B3:C3", "E3:F3"],
        {
            **one_area(
                "Løvvangen",
                {
                    ("Beskæftigelse – Antal", 2022): 1100.0,
                    ("Beskæftigelse – Pct.", 2022): 45.7,
                    ("Indkomst – Gns. (kr.)", 2022): 291004.0,
                    ("Beskæftigelse – Antal", 2023): 1130.0,
                    ("Beskæftigelse – Pct.", 2023): 46.7,
                    ("Indkomst – Gns. (kr.)", 2023): 299000.0,
                },
            ),
            **one_area(
                "Østerbro",
                {
                    ("Beskæftigelse – Antal", 2022): 180.0,
                    ("Beskæftigelse – Pct.", 2022): 41.3,
                    ("Indkomst – Gns. (kr.)", 2022): 318260.0,
                    ("Beskæftigelse – Antal", 2023): "suppressed",
                    ("Beskæftigelse – Pct.", 2023): 42.1,
                    ("Indkomst – Gns. (kr.)", 2023): 327455.0,
                },
            ),
        },
        id="three-header-rows-year-topic-sub-label-merged",
    ),
    pytest.param(
        [
            ["Nøgletal"],
            [None, 2022, None, 2023, None],
            [
                "Afdeling",
                "I beskæftigelse (pct.)",
                "Ledige (pct.)",
                "I beskæftigelse (pct.)",
                "Ledige",
            ],
            ["Løvvangen", 46.1, 11.0, 47.0, 10.0],
        ],
        [],
        one_area(
            "Løvvangen",
            {
                ("I beskæftigelse (pct.)", 2022): 46.1,
                ("Ledige (pct.)", 2022): 11.0,
                ("I beskæftigelse (pct.)", 2023): 47.0,
                ("Ledige", 2023): 10.0,
            },
        ),
        id="year-row-written-once-above-indikator-row",
    ),
    pytest.param(
        [
            ["Område: Løvvangen"],
            [None, 2021, None, 2022, None],
            [None, "Antal", "Pct.", "Antal", "Pct."],
            ["I beskæftigelse", 120, 44.1, 125, "45,0"],
        ],
        ["B2:C2", "D2:E2"],
        one_area(
            "Løvvangen",
            {
                ("I beskæftigelse – Antal", 2021): 120.0,
                ("I beskæftigelse – Pct.", 2021): 44.1,
                ("I beskæftigelse – Antal", 2022): 125.0,
                ("I beskæftigelse – Pct.", 2022): 45.0,
            },
        ),
        id="merged-years-over-antal-and-pct",
    ),
    pytest.param(
        [
            ["Beskæftigelse for 18-64-årige"],
            [None, "Løvvangen", None, "Aalborg Kommune", None],
            [None, 2022, 2023, 2022, 2023],
            ["I beskæftigelse (pct.)", 46.7, 47.3, 71.0, 71.4],
        ],
        ["B2:C2", "D2:E2"],
        {
            ("I beskæftigelse (pct.)", "Løvvangen", 2022): 46.7,
            ("I beskæftigelse (pct.)", "Løvvangen", 2023): 47.3,
            ("I beskæftigelse (pct.)", "Aalborg Kommune", 2022): 71.0,
            ("I beskæftigelse (pct.)", "Aalborg Kommune", 2023): 71.4,
        },
        id="merged-areas-over-years",
    ),
    pytest.param(
        [
            ["Andel 18-64-årige i beskæftigelse (%)"],
            [None, 2022, 2023],
            ["Aalborg Kommune", 71.0, 71.4],
            ["Hele landet", 75.0, 75.2],
        ],
        [],
        {
            (EMPLOYED, "Aalborg Kommune", 2022): 71.0,
            (EMPLOYED, "Aalborg Kommune", 2023): 71.4,
            (EMPLOYED, "Hele landet", 2022): 75.0,
            (EMPLOYED, "Hele landet", 2023): 75.2,
        },
        id="areas-over-years-indikator-in-the-title",
    ),
    pytest.param(
        [
            ["Område: Løvvangen"],
            [],
            [None, None, 2021, None, 2022],
            [],
            ["I beskæftigelse (pct.)", None, 45.0, None, 46.0],
            [],
            ["Ledige (pct.)", None, 12.0, None, 11.0],
            [],
            [],
            ["Note: 2022 er foreløbige tal"],
        ],
        [],
        one_area(
            "Løvvangen",
            {
                ("I beskæftigelse (pct.)", 2021): 45.0,
                ("I beskæftigelse (pct.)", 2022): 46.0,
                ("Ledige (pct.)", 2021): 12.0,
                ("Ledige (pct.)", 2022): 11.0,
            },
        ),
        id="empty-spacer-rows-and-columns",
    ),
]


@pytest.mark.parametrize(("rows", "merged", "expected"), SHAPES)
def test_shape_is_read_cell_by_cell(rows, merged, expected):
    assert cells(read(workbook(rows, merged))) == expected


# --------------------------------------------------------------------------------------------
# Areas and indikatorer on either axis

TRANSPOSED_CELLS = {
    ("Andel 18-64-årige i beskæftigelse (%)", "Løvvangen", 2023): 46.1,
    ("Andel 18-64-årige i beskæftigelse (%)", "Østerbro", 2023): 42.1,
    ("Andel 18-64-årige i beskæftigelse (%)", "Aalborg Kommune", 2023): 71.4,
    ("Andel ledige og aktiverede (%)", "Løvvangen", 2023): 11.2,
    ("Andel ledige og aktiverede (%)", "Østerbro", 2023): 6.9,
    ("Andel ledige og aktiverede (%)", "Aalborg Kommune", 2023): 3.9,
}


@pytest.mark.parametrize("corner", ["Indikator", "Område", None, "Nøgletal 2023"])
def test_transposed_areas_in_the_columns(corner):
    rows = [
        ["Nøgletal 2023"],
        [corner, "Løvvangen", "Østerbro", "Aalborg Kommune"],
        ["Andel 18-64-årige i beskæftigelse (%)", 46.1, 42.1, 71.4],
        ["Andel ledige og aktiverede (%)", 11.2, 6.9, 3.9],
    ]
    table = read(workbook(rows))
    assert cells(table) == TRANSPOSED_CELLS
    (layout,) = table.layouts
    assert (layout.layout, layout.label_axis, layout.area_axis) == (
        "area_list",
        "rækker",
        "kolonner",
    )


def test_kommune_code_and_afdelingsnummer_columns_are_keys_not_values():
    rows = [
        ["Tal 2023"],
        ["Kommunekode", "Kommune", "Afd.nr.", "Afdeling", "Andel ledige (%)"],
        [851, "Aalborg", 12, "Sundby-Hvorup Boligselskab afd. 12", 11.4],
        [661, "Holstebro", None, "Trekanten", 7.7],
    ]
    table = read(workbook(rows))
    assert cells(table) == {
        ("Andel ledige (%)", "Sundby-Hvorup Boligselskab afd. 12", 2023): 11.4,
        ("Andel ledige (%)", "Trekanten", 2023): 7.7,
    }
    frame = table.frame
    assert list(frame["kommune_code"]) == ["851", "661"]
    assert [None if pd.isna(c) else c for c in frame["area_code"]] == ["12", None]
    assert table.layouts[0].columns == {
        "kommune_code": "A",
        "kommune": "B",
        "code": "C",
        "area": "D",
    }


@pytest.mark.parametrize(
    "header",
    [
        ["Område", "Indikator", "År", "Værdi"],
        ["Sted", "Nøgletal", "Periode", "Tal"],
        ["Sted", "Hvad", "Hvornår", "Hvor meget"],  # no header word at all
    ],
)
def test_long_tables_with_and_without_header_words(header):
    rows = [
        header,
        ["Løvvangen", "Andel ledige og aktiverede (%)", 2022, 11.9],
        ["Løvvangen", "Andel ledige og aktiverede (%)", 2023, ".."],
        ["Østerbro", "Gennemsnitlig husstandsindkomst (kr.)", 2023, "327.455 kr."],
    ]
    table = read(workbook(rows))
    assert cells(table) == {
        ("Andel ledige og aktiverede (%)", "Løvvangen", 2022): 11.9,
        ("Andel ledige og aktiverede (%)", "Løvvangen", 2023): "suppressed",
        ("Gennemsnitlig husstandsindkomst (kr.)", "Østerbro", 2023): 327455.0,
    }
    assert table.layouts[0].layout == "long"


def test_long_table_columns_in_any_order():
    rows = [
        ["Indikator", "År", "Område", "Værdi", "Enhed"],
        ["Ledige og aktiverede", 2022, "Løvvangen", 11.9, "pct."],
        ["Husstandsindkomst", 2023, "Østerbro", 327455, "kr."],
    ]
    table = read(workbook(rows))
    assert cells(table) == {
        ("Ledige og aktiverede", "Løvvangen", 2022): 11.9,
        ("Husstandsindkomst", "Østerbro", 2023): 327455.0,
    }
    assert list(table.frame["unit_hint"]) == ["pct", "dkk"]


# --------------------------------------------------------------------------------------------
# Spacers, footnotes, CSV dialects, invalid cells


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_dialects_with_danish_decimal_comma(delimiter):
    rows = [
        ["Boligsociale data", None, None],
        ["Opgjort pr. 1. januar 2023", None, None],
        [None, None, None],
        ["Afdeling", "Andel ledige (%)", "Husstandsindkomst (kr.)"],
        ["Løvvangen", 11.2, "291.004"],
        ["Østerbro", 6.9, "327.455 kr."],
    ]
    table = read(csv_text(rows, delimiter), "liste.csv")
    assert cells(table) == {
        ("Andel ledige (%)", "Løvvangen", 2023): 11.2,
        ("Andel ledige (%)", "Østerbro", 2023): 6.9,
        ("Husstandsindkomst (kr.)", "Løvvangen", 2023): 291004.0,
        ("Husstandsindkomst (kr.)", "Østerbro", 2023): 327455.0,
    }
    assert table.layouts[0].header_rows == [4]


def test_first_data_row_with_only_mistyped_values_is_data_not_header():
    rows = [
        ["Afdeling", "Andel 18-64-årige i beskæftigelse (%)"],
        ["Løvvangen", "4l,2"],
        ["Østerbro", "41,2"],
    ]
    table = read_table(workbook(rows, name="2023"), "a.xlsx")
    assert table.layouts[0].header_rows == [1]
    assert list(zip(table.frame["area_text"], table.frame["state"], strict=True)) == [
        ("Løvvangen", "invalid"),
        ("Østerbro", "ok"),
    ]


def test_a_value_column_named_as_such_is_read_even_when_its_only_cell_is_text():
    table = read_table(
        csv_text(
            [["Område", "Indikator", "År", "Værdi"], ["Løvvangen", "Frivillige", 2022, "mange"]]
        ),
        "a.csv",
    )
    assert list(
        zip(table.frame["label"], table.frame["raw"], table.frame["state"], strict=True)
    ) == [("Frivillige", "mange", "invalid")]


def test_sum_rows_and_columns_are_left_out_with_a_warning():
    rows = [
        ["Tal 2023"],
        ["Indikator", "Løvvangen", "Østerbro", "I alt"],
        ["Antal beboere", 2410, 446, 2856],
    ]
    table = read(workbook(rows))
    assert cells(table) == {
        ("Antal beboere", "Løvvangen", 2023): 2410.0,
        ("Antal beboere", "Østerbro", 2023): 446.0,
    }
    total = next(p for p in table.problems if p.code == "total_row")
    assert (total.row, total.column) == (2, "D")


# --------------------------------------------------------------------------------------------
# More than one table in a sheet: the first is read, the rest reported


def test_a_second_table_below_is_reported_not_mixed_in():
    rows = [
        ["Område: Løvvangen"],
        [None, 2021, 2022],
        ["I beskæftigelse (pct.)", 45.0, 46.0],
        [],
        ["Aalborg Kommune"],
        [None, 2021, 2022],
        ["I beskæftigelse (pct.)", 70.0, 71.0],
    ]
    table = read(workbook(rows))
    assert cells(table) == {
        ("I beskæftigelse (pct.)", "Løvvangen", 2021): 45.0,
        ("I beskæftigelse (pct.)", "Løvvangen", 2022): 46.0,
    }
    (other,) = [p for p in table.problems if p.code == "other_table"]
    assert other.row == 6
    assert "tabel mere fra række 6" in other.describe()
    assert table.layouts[0].to_dict()["other_table_row"] == 6


def test_a_table_beside_is_reported_and_its_title_kept_apart():
    rows = [
        ["Område: Løvvangen", None, None, None, "Aalborg Kommune"],
        [None, 2022, 2023, None, None, 2022, 2023],
        ["I beskæftigelse (pct.)", 46.7, 47.3, None, "I beskæftigelse (pct.)", 71.0, 71.4],
    ]
    table = read(workbook(rows))
    assert cells(table) == {
        ("I beskæftigelse (pct.)", "Løvvangen", 2022): 46.7,
        ("I beskæftigelse (pct.)", "Løvvangen", 2023): 47.3,
    }
    (other,) = [p for p in table.problems if p.code == "other_table"]
    assert other.column == "E"


def test_every_sheet_of_a_workbook_is_read_on_its_own():
    data = workbook(
        SERIES,
        name="Østerbro",
        more={"Kommune": [["Guldborgsund Kommune"], [None, 2022, 2023], ["Ledige (pct.)", 5, 4]]},
    )
    table = read(data)
    assert [(s.sheet, s.area_text) for s in table.layouts] == [
        ("Østerbro", "Østerbro"),
        ("Kommune", None),
    ]
    assert table.layouts[1].kommune_text == "Guldborgsund Kommune"


# --------------------------------------------------------------------------------------------
# Hostile inputs: a clean answer, in bounded time


@pytest.mark.parametrize(
    ("build", "name"),
    [
        (lambda: workbook([["Område", "Indikator"], ["Løvvangen", "Ledige"]]), "tekst.xlsx"),
        (lambda: workbook([[41.2]]), "en.xlsx"),
        (lambda: workbook([["Afdeling"]]), "en.xlsx"),
        (lambda: workbook([[None]]), "tom.xlsx"),
        (lambda: b";;;\r\n;;;\r\n", "tom.csv"),
        (lambda: "\n".join(["a;b;c"] * 50).encode(), "tekst.csv"),
    ],
)
def test_sheets_without_a_table_are_refused_cleanly(build: Callable[[], bytes], name):
    table = read_table(build(), name)
    assert table.blocking
    assert table.frame.empty
    assert table.problems[-1].code in {"no_header", "empty_workbook", "empty_file"}


@pytest.mark.parametrize("kind", ["labels", "numbers"])
def test_one_row_of_ten_thousand_columns_in_bounded_time(kind):
    row = (
        ["Afdeling", *[f"Indikator {i} (pct.)" for i in range(9_999)]]
        if kind == "labels"
        else [float(i) for i in range(10_000)]
    )
    data = csv_text([row], ";")
    start = time.perf_counter()
    table = read_table(data, "bred.csv")
    assert time.perf_counter() - start < 5
    assert table.blocking and table.frame.empty


def test_ten_thousand_columns_with_data_are_read():
    header = ["Afdeling", *[f"Indikator {i} (pct.)" for i in range(9_999)]]
    data = csv_text([header, ["Løvvangen", *[float(i % 100) for i in range(9_999)]]], ";")
    start = time.perf_counter()
    table = read(data, "bred.csv", year=2023)
    assert time.perf_counter() - start < 10
    assert len(table.frame) == 9_999
    assert cells(table)[("Indikator 2050 (pct.)", "Løvvangen", 2023)] == 50.0


# --------------------------------------------------------------------------------------------
# What the reader understood, in the report


def test_the_report_says_what_the_reader_understood():
    rows = [
        ["Boligsociale data 2023"],
        [],
        [None, None, "Beskæftigelse for 18-64-årige", None, "Uddannelse"],
        ["Kommune", "Afdeling", *SUB_LABELS],
        *AREA_ROWS,
    ]
    table = read(workbook(rows, ["C3:D3"]))
    (layout,) = table.layouts
    text = layout.describe()
    assert text.startswith("Områdeliste")
    for words in (
        "overskrift i rækkerne 3–4",
        "tal i række 5–6",
        "kolonne C–E",
        "indikatorer i kolonneoverskrifterne",
        "områder i rækkerne (kolonne B)",
        "året fra titlen (2023)",
    ):
        assert words in text
    data = layout.to_dict()
    assert data["header_rows"] == [3, 4]
    assert data["data_rows"] == [5, 6]
    assert (data["label_axis"], data["area_axis"], data["year_source"]) == (
        "kolonner",
        "rækker",
        "titel",
    )
    assert data["description"] == text


def test_a_hint_forces_the_header_row_and_layout():
    rows = [["Sted", "Beskæftigede pct"], ["Løvvangen", 46.0], ["Østerbro", 41.0]]
    hint = LayoutHint(layout="time_series", header_row=1)
    table = read(workbook(rows), year=2022, area="Trekanten", hint=hint)
    # The given area is the resolver's hint (ingest decides the sheet's area), not frame text.
    assert table.area_hint == "Trekanten"
    assert set(cells(table)) == {
        ("Løvvangen – Beskæftigede pct", None, 2022),
        ("Østerbro – Beskæftigede pct", None, 2022),
    }


# --------------------------------------------------------------------------------------------
# Into the store (SQLite and PostgreSQL): areas in the columns, a two-row merged header


def test_transposed_and_multi_row_header_files_land_on_the_right_area(engine: Engine):
    load_seed(engine)
    transposed = workbook(
        [
            ["Nøgletal 2023"],
            [None, "Løvvangen", "Trekanten"],
            ["Andel 18-64-årige i beskæftigelse (%)", 47.3, 52.4],
        ]
    )
    upload = ingest.read_upload(engine, transposed, "kolonner.xlsx")
    assert not upload.blocking, [p.describe() for p in upload.errors]
    assert not upload.new_areas
    ingest.commit(engine, upload, user="test")
    assert value(engine, "Løvvangen", "employed_18_64", 2023) == 47.3
    assert value(engine, "Trekanten", "employed_18_64", 2023) == 52.4
    assert any(
        "områder i kolonneoverskrifterne" in line for line in report_lines(ingest.report(upload))
    )

    two_rows = workbook(
        [
            ["Boligsociale data 2022"],
            ["Afdeling", "Andel 18-64-årige", None],
            [None, "i beskæftigelse (%)", "på offentlig forsørgelse (%)"],
            ["Løvvangen", 46.7, 44.0],
        ],
        ["A2:A3", "B2:C2"],
    )
    upload = ingest.read_upload(engine, two_rows, "to_rækker.xlsx")
    labels = {m.label: m.measure_key for m in upload.mapping}
    assert labels == {
        "Andel 18-64-årige – i beskæftigelse (%)": "employed_18_64",
        "Andel 18-64-årige – på offentlig forsørgelse (%)": "public_support_18_64",
    }
    assert not upload.blocking, [p.describe() for p in upload.errors]
    ingest.commit(engine, upload, user="test")
    assert value(engine, "Løvvangen", "employed_18_64", 2022) == 46.7
    assert value(engine, "Løvvangen", "public_support_18_64", 2022) == 44.0


# --------------------------------------------------------------------------------------------
# Generated shapes: whatever the decoration, every value lands on its label, area and year

AREAS = ["Løvvangen", "Østerbro", "Trekanten", "Sundby-Hvorup Boligselskab afd. 12", "Hele landet"]
LABELS = [
    "Andel 18-64-årige i beskæftigelse (%)",
    "Andel ledige og aktiverede (pct.)",
    "Gennemsnitlig husstandsindkomst (kr.)",
    "Antal beboere",
    "Andel unge med en ungdomsuddannelse",
]


@st.composite
def shaped_tables(
    draw: st.DrawFn,
) -> tuple[list[list[Any]], list[str], dict[tuple[str, str, int], Any]]:
    """A table in one of the shapes, with title lines, spacers, a topic row and footnotes; its
    merged ranges; and its cells."""
    shape = draw(st.sampled_from(["series", "series_rows", "area_list", "transposed", "long"]))
    labels = draw(st.lists(st.sampled_from(LABELS), min_size=1, max_size=4, unique=True))
    areas = draw(st.lists(st.sampled_from(AREAS), min_size=1, max_size=4, unique=True))
    first = draw(st.integers(2015, 2022))
    years = list(range(first, first + draw(st.integers(1, 4))))
    if shape in ("series", "series_rows"):
        areas = areas[:1]
    elif shape in ("area_list", "transposed"):
        years = years[:1]
    numbers = st.one_of(
        st.integers(0, 999).map(lambda n: n / 10), st.sampled_from(["x", "..", "<5"])
    )
    cells = {(lab, area, y): draw(numbers) for lab in labels for area in areas for y in years}
    title = [[f"Område: {areas[0]}"]] if shape.startswith("series") else [[f"Nøgletal {years[0]}"]]
    title = [[draw(st.sampled_from(["Landsbyggefonden", "Boligsociale data"]))]] * draw(
        st.integers(0, 2)
    ) + title
    if draw(st.booleans()):
        title.append([])
    corner = draw(st.sampled_from([None, "word"]))
    topic, merged = "Beskæftigelse og indkomst", False
    if shape == "series":
        header = [[None, *years]]
        body = [[lab, *(cells[(lab, areas[0], y)] for y in years)] for lab in labels]
    elif shape == "series_rows":
        header = [["År" if corner else None, *labels]]
        body = [[y, *(cells[(lab, areas[0], y)] for lab in labels)] for y in years]
    elif shape == "area_list":
        header = [["Afdeling" if corner else None, *labels]]
        body = [[a, *(cells[(lab, a, years[0])] for lab in labels)] for a in areas]
        if draw(st.booleans()):  # a topic written once (or merged) over the indikatorer
            header.insert(0, [None, topic, *[None] * (len(labels) - 1)])
            merged = len(labels) > 1
    elif shape == "transposed":
        header = [["Indikator" if corner else None, *areas]]
        body = [[lab, *(cells[(lab, a, years[0])] for a in areas)] for lab in labels]
    else:
        header = [["Område", "Indikator", "År", "Værdi"]]
        body = [[a, lab, y, cells[(lab, a, y)]] for (lab, a, y) in cells]
    spacer = draw(st.booleans()) and shape != "long"
    if spacer:  # an empty spacer column after the row header
        header = [[row[0], None, *row[1:]] for row in header]
        body = [[row[0], None, *row[1:]] for row in body]
    if draw(st.booleans()) and len(body) > 1:  # a blank row inside the body
        body.insert(draw(st.integers(1, len(body) - 1)), [])
    footer = [[], ["Kilde: Landsbyggefonden"]] if draw(st.booleans()) else []
    expected = {
        (f"{topic} – {lab}" if len(header) > 1 else lab, area, y): (
            value if isinstance(value, float) else "suppressed"
        )
        for (lab, area, y), value in cells.items()
    }
    ranges = []
    if merged:
        top, left = len(title) + 1, 3 if spacer else 2
        ranges.append(
            f"{column_letter(left - 1)}{top}:{column_letter(left + len(labels) - 2)}{top}"
        )
    return [*title, *header, *body, *footer], ranges, expected


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=shaped_tables(), form=st.sampled_from(["xlsx", ";", ",", "\t"]))
def test_generated_shapes_put_every_value_in_its_place(table, form):
    rows, merged, expected = table
    data = workbook(rows, merged) if form == "xlsx" else csv_text(rows, form)
    found = read(data, "fil.xlsx" if form == "xlsx" else "fil.csv")
    assert cells(found) == expected


def test_the_upload_page_shows_the_reading_per_sheet():
    from types import SimpleNamespace

    from monitoring.present.upload_views import layouts_table

    table = read(workbook(SERIES, name="Beskæftigelse"))
    shown = layouts_table(SimpleNamespace(table=table)).iloc[0]
    assert shown["Ark"] == "Beskæftigelse"
    reading = shown["Sådan er arket læst"]
    assert reading.startswith("Tidsserie for ét område")
    for part in ("overskrift i række 5", "indikatorer i rækkerne", "området: Østerbro"):
        assert part in reading
    assert "år i kolonneoverskrifterne" in reading


def test_a_title_in_the_corner_above_the_indikatorer_is_a_title_line():
    rows = [
        ["Østerbro, Guldborgsund Kommune", 2022, 2023],
        ["I beskæftigelse (pct.)", 41.3, 42.1],
    ]
    table = read(workbook(rows))
    assert cells(table) == one_area(
        "Østerbro",
        {("I beskæftigelse (pct.)", 2022): 41.3, ("I beskæftigelse (pct.)", 2023): 42.1},
    )
    assert table.layouts[0].title == ["Østerbro, Guldborgsund Kommune"]
