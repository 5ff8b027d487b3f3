"""Reading LBF files (monitoring.lbf): layouts, Danish numbers, suppression, and every bad input.

The builders at the top (xlsx_bytes, BAD_INPUTS, ...) are shared with test_ingest and the
property tests.
"""

from __future__ import annotations

import io
import math
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import defusedxml
import defusedxml.ElementTree
import openpyxl
import pytest
import xlsxwriter

from monitoring.lbf import (
    MAX_FILE_MB,
    LayoutHint,
    MeasureInfo,
    ReadSettings,
    area_from_title,
    column_index,
    column_letter,
    is_suppressed_text,
    parse_cell_text,
    parse_cells,
    propose_mapping,
    read_table,
    year_of,
)

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"


# --------------------------------------------------------------------------------------------
# Builders


def xlsx_bytes(
    sheets: dict[str, list[list[Any]]],
    percent: dict[str, set[tuple[int, int]]] | None = None,
) -> bytes:
    """An .xlsx made with XlsxWriter: rows of values per sheet; (row, col) cells in `percent`
    get a percent number format."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    pct = workbook.add_format({"num_format": "0.0%"})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                fmt = pct if percent and (r, c) in percent.get(name, set()) else None
                if isinstance(value, str):
                    sheet.write_string(r, c, value, fmt)
                else:
                    sheet.write_number(r, c, value, fmt)
    workbook.close()
    return buffer.getvalue()


def zip_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


AREA_LIST = [
    ["Nøgletal for almene afdelinger 2023"],
    [],
    ["Kommune", "Afdelingsnummer", "Afdeling", "Andel 18-64-årige i beskæftigelse (%)"],
    ["Aalborg", "12", "Sundby-Hvorup Boligselskab afd. 12", 45.8],
    ["Aalborg", None, "Løvvangen", 46.1],
]


def small_xlsx() -> bytes:
    return xlsx_bytes({"Data": AREA_LIST})


def pdf_renamed() -> bytes:
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n"


def png_renamed() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)


def truncated() -> bytes:
    data = small_xlsx()
    return data[: len(data) // 2]


def damaged() -> bytes:
    """A workbook whose compressed sheet data is overwritten in the middle (CRC/inflate fails)."""
    data = bytearray(small_xlsx())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle : middle + 16] = b"\xff" * 16
    return bytes(data)


def encrypted_workbook() -> bytes:
    """A minimal but well-formed CFB (OLE) container with the two streams of an encrypted .xlsx."""
    sector = 512
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD

    def entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int):
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", left, right, child)
            + bytes(16 + 4 + 8 + 8)
            + struct.pack("<IQ", start, size)
        )

    info_stream = (b"\x04\x00\x04\x00\x40\x00\x00\x00" + b"<encryption/>").ljust(4096, b"\0")
    package = b"\x00" * 4096
    fat = [fat_sector, end, *list(range(3, 10)), end, *list(range(11, 18)), end]
    fat += [free] * (sector // 4 - len(fat))
    directory = (
        entry("Root Entry", 5, free, free, 1, end, 0)
        + entry("EncryptionInfo", 2, free, 2, free, 2, len(info_stream))
        + entry("EncryptedPackage", 2, free, free, free, 10, len(package))
        + bytes(128)
    )
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", free) * 108
    )
    assert len(header) == sector
    return header + struct.pack(f"<{len(fat)}I", *fat) + directory + info_stream + package


def old_xls() -> bytes:
    data = bytearray(encrypted_workbook())
    for name in ("EncryptionInfo", "EncryptedPackage"):
        encoded = name.encode("utf-16-le")
        data = data.replace(encoded, "Workbook".encode("utf-16-le").ljust(len(encoded), b"\0"))
    return bytes(data)


def empty_workbook() -> bytes:
    return xlsx_bytes({"Ark1": []})


def no_header() -> bytes:
    return xlsx_bytes(
        {"Noter": [["Dette ark er kun en note til læseren."], [], ["Ingen tal og ingen tabel."]]}
    )


def formula_without_value() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append(["Tal for 2023"])
    sheet.append(["Kommune", "Afdeling", "Andel 18-64-årige i beskæftigelse (%)"])
    sheet.append(["Aalborg", "Løvvangen", "=40+6.1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def too_large() -> bytes:
    return small_xlsx() + b"\0" * (MAX_FILE_MB * 1024 * 1024)


def zip_bomb(size: int = 300 * 1024 * 1024) -> bytes:
    """A real workbook plus one part that inflates far beyond the cap (declared honestly)."""
    parts = zip_parts(small_xlsx())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
        with archive.open("xl/media/image1.png", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 22)
            for _ in range(size // len(block)):
                member.write(block)
    return buffer.getvalue()


def lying_zip_bomb(size: int = 40 * 1024 * 1024, declared: int = 1000) -> bytes:
    """A bomb whose zip directory understates the part's size: only inflating it tells."""
    data = bytearray(zip_bomb(size))
    name = b"xl/media/image1.png"
    position = data.find(b"PK\x03\x04" + bytes(0))
    while position >= 0:
        length = struct.unpack("<H", data[position + 26 : position + 28])[0]
        if data[position + 30 : position + 30 + length] == name:
            data[position + 22 : position + 26] = struct.pack("<I", declared)
        position = data.find(b"PK\x03\x04", position + 4)
    position = data.find(b"PK\x01\x02")
    while position >= 0:
        length = struct.unpack("<H", data[position + 28 : position + 30])[0]
        if data[position + 46 : position + 46 + length] == name:
            data[position + 24 : position + 28] = struct.pack("<I", declared)
        position = data.find(b"PK\x01\x02", position + 4)
    return bytes(data)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    b' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    b' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'
)


def entity_expansion() -> bytes:
    parts = zip_parts(small_xlsx())
    workbook = parts["xl/workbook.xml"]
    body = workbook[workbook.index(b"?>") + 2 :]
    parts["xl/workbook.xml"] = BILLION_LAUGHS + body.replace(b"</workbook>", b"&lol3;</workbook>")
    return rezip(parts)


def word_document() -> bytes:
    return rezip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


# (id, builder, file name, problem code, words the Danish message must contain)
BAD_INPUTS: list[tuple[str, Callable[[], bytes], str, str, str]] = [
    ("pdf", pdf_renamed, "beboerdata.xlsx", "not_a_spreadsheet", "ikke et regneark, men en PDF"),
    ("image", png_renamed, "beboerdata.xlsx", "not_a_spreadsheet", "et billede"),
    ("word", word_document, "beboerdata.xlsx", "not_a_spreadsheet", "Word-dokument"),
    ("truncated", truncated, "beboerdata.xlsx", "corrupt", "beskadiget eller ufuldstændig"),
    ("damaged", damaged, "beboerdata.xlsx", "corrupt", "beskadiget"),
    ("password", encrypted_workbook, "beboerdata.xlsx", "password_protected", "adgangskode"),
    ("old_xls", old_xls, "beboerdata.xls", "old_excel_format", "gamle Excel-format"),
    ("empty", empty_workbook, "beboerdata.xlsx", "empty_workbook", "Regnearket er tomt"),
    ("empty_file", lambda: b"", "beboerdata.xlsx", "empty_file", "Filen er tom"),
    ("no_header", no_header, "beboerdata.xlsx", "no_header", "ingen genkendelig overskrift"),
    ("formula", formula_without_value, "beboerdata.xlsx", "formula_without_value", "formel uden"),
    ("too_large", too_large, "beboerdata.xlsx", "too_large", "grænsen er 20 MB"),
    ("zip_bomb", zip_bomb, "beboerdata.xlsx", "zip_bomb", "zip-bombe"),
    ("lying_zip_bomb", lying_zip_bomb, "beboerdata.xlsx", "zip_bomb", "zip-bombe"),
    ("entities", entity_expansion, "beboerdata.xlsx", "xml_entities", "DOCTYPE/ENTITY"),
]
# The lying bomb is smaller than the default cap, so it is read with a smaller one.
BAD_INPUT_SETTINGS = {"lying_zip_bomb": ReadSettings(max_uncompressed_bytes=20 * 1024 * 1024)}


# --------------------------------------------------------------------------------------------
# Bad input: one blocking problem in Danish, an empty frame


@pytest.mark.parametrize(
    ("builder", "file_name", "code", "words"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD_INPUTS],
)
def test_bad_input_is_refused_with_a_danish_message(builder, file_name, code, words):
    case = next(c for c in BAD_INPUTS if c[1] is builder)
    table = read_table(builder(), file_name, settings=BAD_INPUT_SETTINGS.get(case[0]))
    errors = [p for p in table.problems if p.blocking]
    assert errors, table.problems
    assert errors[0].code == code
    assert words.casefold() in errors[0].describe().casefold()
    assert table.frame.empty
    assert table.blocking


def test_formula_problem_names_the_cell():
    table = read_table(formula_without_value(), "formler.xlsx")
    problem = next(p for p in table.problems if p.code == "formula_without_value")
    assert (problem.sheet, problem.row, problem.column) == ("Data", 3, "C")
    assert problem.text == "=40+6.1"
    assert problem.describe().startswith("Ark 'Data', række 3, kolonne C ('=40+6.1'): ")


def test_size_limit_is_one_setting():
    data = small_xlsx()
    assert not read_table(data, "a.xlsx").blocking
    refused = read_table(data, "a.xlsx", settings=ReadSettings(max_file_bytes=len(data) - 1))
    assert [p.code for p in refused.problems] == ["too_large"]


def test_zip_bomb_limits_are_configurable():
    data = zip_bomb(8 * 1024 * 1024)  # 8 MB of zeros: far more compressible than any sheet
    assert read_table(data, "a.xlsx").problems[0].code == "zip_bomb"
    lenient = ReadSettings(max_compression_ratio=10**6)
    assert not read_table(data, "a.xlsx", settings=lenient).blocking
    small_cap = ReadSettings(max_compression_ratio=10**6, max_uncompressed_bytes=4 * 1024 * 1024)
    assert read_table(data, "a.xlsx", settings=small_cap).problems[0].code == "zip_bomb"


def test_openpyxl_parses_xml_with_defusedxml():
    """openpyxl (used by the naive benchmark path and for inspection) must refuse entities."""
    from openpyxl.xml import functions

    assert openpyxl.DEFUSEDXML is True
    assert not openpyxl.LXML  # with lxml, openpyxl would use its own (entity-free) parser
    assert functions.fromstring is defusedxml.ElementTree.fromstring
    with pytest.raises(defusedxml.DefusedXmlException):
        functions.fromstring(BILLION_LAUGHS + b"<root>&lol3;</root>")
    with pytest.raises(Exception) as raised:
        openpyxl.load_workbook(io.BytesIO(entity_expansion()))
    chain = []
    error: BaseException | None = raised.value
    while error is not None:
        chain.append(error)
        error = error.__cause__ or error.__context__
    assert any(isinstance(e, defusedxml.DefusedXmlException) for e in chain)


# --------------------------------------------------------------------------------------------
# Cells


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("41,2", 41.2, None),
        ("41,2 %", 41.2, "pct"),
        ("41,2%", 41.2, "pct"),
        ("1.234", 1234.0, None),
        ("364.534 kr.", 364534.0, "dkk"),
        ("-3", -3.0, None),
        ("−3,5", -3.5, None),
        ("12,5 pct.", 12.5, "pct"),
        ("1.234.567,89", 1234567.89, None),
    ],
)
def test_danish_number_text(text, value, unit):
    parsed, parsed_unit, _ = parse_cell_text(text)
    assert parsed == pytest.approx(value)
    assert parsed_unit == unit


@pytest.mark.parametrize("text", ["4l,2", "ca. 40", "40-45", "1,2,3", "ja", "41,2 personer ialt"])
def test_non_numbers_are_refused(text):
    with pytest.raises(ValueError):
        parse_cell_text(text)


def test_decimal_point_is_read_but_flagged():
    assert parse_cell_text("41.25") == (41.25, None, True)
    assert parse_cell_text("1.234") == (1234.0, None, False)  # Danish thousands


@pytest.mark.parametrize(
    "token",
    ["..", "...", "x", "X", "*", "**", "-", "–", "<5", "< 5", "diskr.", "Diskretioneret"],
)
def test_suppressed_cells_are_never_zero(token):
    values, states, _, _ = parse_cells([token])
    assert states == ["suppressed"]
    assert math.isnan(values[0])


@pytest.mark.parametrize("cell", [None, float("nan"), "", "  ", "\u00a0", "\t"])
def test_empty_cells_are_no_value_not_suppressed(cell):
    values, states, _, _ = parse_cells([cell], dash_is_zero=True)
    assert states == ["empty"]
    assert math.isnan(values[0])
    if isinstance(cell, str):
        assert not is_suppressed_text(cell)


def test_dash_as_zero_is_a_setting():
    values, states, _, _ = parse_cells(["-", ".."], dash_is_zero=True)
    assert states == ["ok", "suppressed"]
    assert values[0] == 0.0


def test_percent_formatted_fractions_become_percent():
    values, _states, units, _ = parse_cells([0.412, 41.2], percent=[True, False])
    assert list(values) == pytest.approx([41.2, 41.2])
    assert units == ["pct", None]


@pytest.mark.parametrize(
    ("cell", "year"),
    [(2019, 2019), (2019.0, 2019), ("2019", 2019), ("2019*", 2019), ("1. januar 2024", 2024)],
)
def test_year_headers(cell, year):
    assert year_of(cell) == year


@pytest.mark.parametrize("cell", [1234, 41.2, "2019-2020", "Antal", "", None, 20190])
def test_not_year_headers(cell):
    assert year_of(cell) is None


def test_column_letters_round_trip():
    for index in (0, 25, 26, 27, 701, 702, 16383):
        assert column_index(column_letter(index)) == index
    assert column_letter(27) == "AB"


def test_area_from_title_patterns():
    found = area_from_title(["Beskæftigelse for 18-64-årige", "Østerbro, Guldborgsund Kommune"])
    assert found["area"] == "Østerbro"
    assert found["kommune"] == "Guldborgsund Kommune"
    found = area_from_title(["Afdeling: Sundby-Hvorup Boligselskab afd. 12", "Aalborg Kommune"])
    assert found == {
        "area": "Sundby-Hvorup Boligselskab afd. 12",
        "code": "12",
        "kommune": "Aalborg Kommune",
        "kommune_code": None,
    }


# --------------------------------------------------------------------------------------------
# The three layouts, in the sample files


def _value(table, **where):
    frame = table.frame
    for column, wanted in where.items():
        frame = frame[frame[column] == wanted]
    assert len(frame) == 1, (where, frame)
    return frame.iloc[0]


def test_time_series_sample():
    table = read_table((SAMPLES / "lbf_tidsserie_oesterbro.xlsx").read_bytes(), "ts.xlsx")
    assert not table.blocking, table.problems
    assert [(s.sheet, s.layout, s.header_row) for s in table.layouts] == [
        ("Beskæftigelse", "time_series", 5),
        ("Indkomst", "time_series", 5),
    ]
    employed = _value(table, label="I beskæftigelse (pct.)", year=2021)
    assert employed["value"] == pytest.approx(40.0)
    assert (employed["sheet"], employed["row"], employed["column"]) == ("Beskæftigelse", 7, "I")
    support = _value(table, label="På offentlig forsørgelse (pct.)", year=2023)
    assert support["value"] == pytest.approx(43.3)  # 0.433 with a percent format
    assert _value(table, label="Ledige og aktiverede (pct.)", year=2014)["state"] == "suppressed"
    income = table.frame[table.frame["label"] == "Gennemsnitlig husstandsindkomst (kr.)"]
    assert sorted(income["year"]) == list(range(2013, 2023))  # one year behind employment
    as_text = _value(table, label="Gennemsnitlig husstandsindkomst (kr.)", year=2015)
    assert (as_text["raw"], as_text["value"]) == ("279.400 kr.", 279400.0)
    assert _value(table, label="Gennemsnitlig husstandsindkomst (kr.)", year=2022)["state"] == (
        "suppressed"
    )
    assert {s.area_text for s in table.layouts} == {"Østerbro"}
    assert {s.kommune_text for s in table.layouts} == {"Guldborgsund Kommune"}


@pytest.mark.parametrize("name", ["lbf_omraadeliste_2023.xlsx", "lbf_omraadeliste_2023.csv"])
def test_area_list_samples(name):
    table = read_table((SAMPLES / name).read_bytes(), name)
    assert not table.blocking, table.problems
    (layout,) = table.layouts
    assert layout.layout == "area_list"
    assert layout.year_source == "titel"
    assert set(table.frame["year"]) == {2023}
    row = _value(
        table, area_text="Sundby-Hvorup Boligselskab afd. 12", label=table.frame["label"].iloc[0]
    )
    assert (row["area_code"], row["kommune_text"], row["value"]) == ("12", "Aalborg", 45.8)
    income = _value(table, area_text="Østerbro", label="Gennemsnitlig husstandsindkomst (kr.)")
    assert income["value"] == 327455.0
    assert (
        _value(table, area_text="Skovparken", label="Andel ledige og aktiverede (%)")["state"]
        == "suppressed"
    )


@pytest.mark.parametrize("name", ["lbf_lang_tabel.xlsx", "lbf_lang_tabel.csv"])
def test_long_table_samples(name):
    table = read_table((SAMPLES / name).read_bytes(), name)
    assert not table.blocking, table.problems
    (layout,) = table.layouts
    assert layout.layout == "long"
    assert layout.columns == {
        "area": "A",
        "code": "B",
        "kommune": "C",
        "label": "D",
        "year": "E",
        "value": "F",
    }
    assert len(table.frame) == 30
    suppressed = _value(table, area_text="Løvvangen", label="Andel ledige og aktiverede", year=2020)
    assert suppressed["state"] == "suppressed"
    assert set(table.frame["unit_hint"].dropna()) == {"pct", "dkk"}


def test_csv_encodings_and_separators_read_the_same():
    rows = [
        "Område;Indikator;År;Værdi",
        "Østerbro;Andel 18-64-årige i beskæftigelse;2022;41,3 %",
        "Løvvangen;Andel 18-64-årige i beskæftigelse;2022;..",
    ]
    semicolon = "\r\n".join(rows)
    comma = "\r\n".join(
        ",".join(f'"{cell}"' if "," in cell else cell for cell in row.split(";")) for row in rows
    )
    tables = [
        read_table(semicolon.encode("utf-8"), "a.csv"),
        read_table(semicolon.encode("cp1252"), "a.csv"),
        read_table(b"\xef\xbb\xbf" + semicolon.encode("utf-8"), "a.csv"),
        read_table(comma.encode("utf-8"), "a.csv"),
        read_table(comma.encode("cp1252"), "a.csv"),
    ]
    for table in tables:
        assert not table.blocking, table.problems
        assert list(table.frame["area_text"]) == ["Østerbro", "Løvvangen"]
        assert table.frame["value"].iloc[0] == pytest.approx(41.3)
        assert list(table.frame["state"]) == ["ok", "suppressed"]
    assert "Windows-1252" in tables[1].file_format
    assert "','" in tables[3].file_format


def test_header_is_found_below_title_rows_and_footnotes_are_skipped():
    rows = [
        ["Landsbyggefonden"],
        ["Beboerdata for udvalgte afdelinger"],
        ["pr. 1. januar 2022"],
        [],
        [],
        ["Afdeling", "Andel 18-64-årige i beskæftigelse (%)"],
        ["Løvvangen", 46.0],
        [],
        ["Kilde: Landsbyggefonden"],
    ]
    table = read_table(xlsx_bytes({"Ark1": rows}), "a.xlsx")
    assert not table.blocking
    assert table.layouts[0].header_row == 6
    assert list(table.frame["year"]) == [2022]
    assert list(table.frame["area_text"]) == ["Løvvangen"]


def test_year_from_sheet_name_or_argument():
    rows = [["Afdeling", "Andel 18-64-årige i beskæftigelse (%)"], ["Løvvangen", 46.0]]
    from_sheet = read_table(xlsx_bytes({"Tal 2021": rows}), "a.xlsx")
    assert list(from_sheet.frame["year"]) == [2021]
    assert from_sheet.layouts[0].year_source == "arknavn"
    none = read_table(xlsx_bytes({"Data": rows}), "a.xlsx")
    assert none.frame["year"].isna().all()
    given = read_table(xlsx_bytes({"Data": rows}), "a.xlsx", year=2020)
    assert list(given.frame["year"]) == [2020]


def test_time_series_with_antal_and_pct_sub_columns():
    rows = [
        ["Beskæftigelse 18-64 år"],
        ["Område: Løvvangen"],
        [None, 2021, None, 2022, None],
        [None, "Antal", "Pct.", "Antal", "Pct."],
        ["I beskæftigelse", 120, 44.1, 125, "45,0"],
    ]
    table = read_table(xlsx_bytes({"Beskæftigelse": rows}), "a.xlsx")
    assert not table.blocking, table.problems
    labels = dict(
        zip(
            zip(table.frame["label"], table.frame["year"], strict=True),
            table.frame["value"],
            strict=True,
        )
    )
    assert labels[("I beskæftigelse – Pct.", 2022)] == 45.0
    assert labels[("I beskæftigelse – Antal", 2021)] == 120.0
    assert table.layouts[0].area_text == "Løvvangen"


def test_header_without_known_words_is_read_by_structure_and_a_hint_overrides_it():
    rows = [["Sted", "Beskæftigede pct"], ["Løvvangen", 46.0], ["Østerbro", 41.0]]
    data = xlsx_bytes({"Ark1": rows})
    table = read_table(data, "a.xlsx", year=2022)  # "Sted" is no known header word
    assert not table.blocking, table.problems
    assert list(table.frame["area_text"]) == ["Løvvangen", "Østerbro"]
    assert list(table.frame["label"]) == ["Beskæftigede pct"] * 2
    assert table.layouts[0].area_axis == "rækker"
    # Told otherwise, the reader takes the rows for indikatorer of one area.
    hint = LayoutHint(layout="time_series", header_row=1)
    table = read_table(data, "a.xlsx", year=2022, area="Trekanten", hint=hint)
    assert not table.blocking, table.problems
    assert list(table.frame["label"]) == [
        "Løvvangen – Beskæftigede pct",
        "Østerbro – Beskæftigede pct",
    ]
    # The given area is a hint for the resolver, which decides the sheet's area (ingest).
    assert table.area_hint == "Trekanten"
    assert table.previews["Ark1"][0] == ["Sted", "Beskæftigede pct"]


def test_a_hint_reads_a_sheet_the_reader_does_not_recognise():
    rows = [["Afdeling", 18, 25], ["Løvvangen", 46.0, 12.0]]  # numbers as column headers
    data = xlsx_bytes({"Ark1": rows})
    assert read_table(data, "a.xlsx", year=2022).blocking
    hint = LayoutHint(layout="area_list", header_row=1, area_column="Afdeling")
    table = read_table(data, "a.xlsx", year=2022, hint=hint)
    assert not table.blocking, table.problems
    assert list(zip(table.frame["label"], table.frame["value"], strict=True)) == [
        ("18", 46.0),
        ("25", 12.0),
    ]


def test_invalid_cells_are_marked_not_dropped():
    rows = [
        ["Afdeling", "Andel 18-64-årige i beskæftigelse (%)"],
        ["Løvvangen", "4l,2"],
        ["Østerbro", "41,2"],
    ]
    table = read_table(xlsx_bytes({"2023": rows}), "a.xlsx")
    assert list(table.frame["state"]) == ["invalid", "ok"]
    assert table.frame["reason"].iloc[0] == "not_a_number"
    assert table.frame["reason"].isna().iloc[1]


# --------------------------------------------------------------------------------------------
# Mapping


MEASURES = {
    "employed_18_64": MeasureInfo("employed_18_64", "Andel 18-64-årige i beskæftigelse", "pct"),
    "household_income_avg": MeasureInfo(
        "household_income_avg", "Gennemsnitlig husstandsindkomst", "dkk"
    ),
}


def test_mapping_exact_matches_only_and_suggestions_are_not_applied():
    labels = [
        ("ANDEL 18-64-ÅRIGE I BESKÆFTIGELSE", "", 3, ["A"]),  # the measure's own name
        ("I beskæftigelse (pct.)", "Beskæftigelse for 18-64-årige", 10, ["A"]),  # synonym
        ("Andel 18-64 årige i beskæftigelse i alt", "", 3, ["A"]),  # close, but not exact
        ("Antal beboere", "", 3, ["A"]),
    ]
    synonyms = {"beskaeftigelse for 18 64 aarige i beskaeftigelse pct": "employed_18_64"}
    proposals = propose_mapping(labels, MEASURES, synonyms)
    by_label = {p.label: p for p in proposals}
    assert by_label["ANDEL 18-64-ÅRIGE I BESKÆFTIGELSE"].measure_key == "employed_18_64"
    assert by_label["ANDEL 18-64-ÅRIGE I BESKÆFTIGELSE"].source == "navn"
    assert by_label["I beskæftigelse (pct.)"].measure_key == "employed_18_64"
    assert by_label["I beskæftigelse (pct.)"].source == "synonym"
    close = by_label["Andel 18-64 årige i beskæftigelse i alt"]
    assert close.measure_key is None
    assert close.suggestion == "employed_18_64"
    assert 0.6 <= close.confidence < 1.0
    assert by_label["Antal beboere"].measure_key is None


def test_chosen_and_remembered_mappings_win():
    labels = [("Beskæftigede pct", "", 1, ["A"]), ("Antal beboere", "", 1, ["A"])]
    proposals = propose_mapping(
        labels,
        MEASURES,
        {},
        memory={"antal beboere": None},
        chosen={"beskaeftigede pct": "employed_18_64"},
    )
    assert [(p.measure_key, p.source, p.ignored) for p in proposals] == [
        ("employed_18_64", "valgt", False),
        (None, "husket", True),
    ]
