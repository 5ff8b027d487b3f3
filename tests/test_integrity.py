"""Impossible numbers and unstorable texts are refused cell by cell in Danish before the preview,
the same on SQLite and PostgreSQL; display code survives non-finite values already in a store;
zips Excel never writes are refused in Danish."""

from __future__ import annotations

import math
import struct

import pytest
from sqlalchemy import Engine

from monitoring import ingest
from monitoring.errors import MonitorError
from monitoring.fmt import format_change, format_percent, format_value, parse_year
from monitoring.lbf import read_table
from monitoring.seed import load_seed
from tests.test_ingest import content, value
from tests.test_lbf_read import small_xlsx, xlsx_bytes

YEAR = 2023
HEADER = ["Kommune", "Afdelingsnummer", "Afdeling", "Andel", "Indkomst", "Frivillige", "Netværk"]
MAPPING = {
    "Andel": "employed_18_64",
    "Indkomst": "household_income_avg",
    "Frivillige": "holstebro_trekanten_support_group_volunteers",
    "Netværk": "aalborg_loevvangen_business_network_established",
}


@pytest.fixture
def store(engine: Engine) -> Engine:
    load_seed(engine)
    return engine


def read(engine: Engine, rows: list[list[object]], name: str = "tal.xlsx") -> ingest.Upload:
    data = xlsx_bytes({"Data": [HEADER, *rows]})
    return ingest.read_upload(engine, data, name, year=YEAR, mapping=MAPPING)


def test_impossible_numbers_are_refused_cell_by_cell(store):
    rows = [
        ["Nyby", "1", "Nyby afd. 1", "9" * 400, -5, 1e15, 5],
        ["Nyby", "2", "Nyby afd. 2", 101, 2e12, -3, 1.5],
        ["Nyby", "3", "Nyby afd. 3", "1" * 40 + ",5", 250_000, 12, 2],
    ]
    before = content(store)
    upload = read(store, rows)
    found = {(p.row, p.column): p.code for p in upload.errors}
    assert found == {
        (2, "D"): "not_finite",
        (2, "E"): "negative_amount",
        (2, "F"): "implausible_value",
        (2, "G"): "bad_status",
        (3, "D"): "percent_out_of_range",
        (3, "E"): "implausible_value",
        (3, "F"): "negative_count",
        (3, "G"): "bad_status",
        (4, "D"): "percent_out_of_range",
    }
    text = {(p.row, p.column): p.describe() for p in upload.errors}
    assert text[(2, "D")].startswith("Ark 'Data', række 2, kolonne D ('99999")
    assert "ikke et brugbart tal" in text[(2, "D")]
    assert "1.000.000.000.000.000 er ikke realistisk for 'Frivillige'" in text[(2, "F")]
    assert "højst 1.000.000.000.000 kr." in text[(3, "E")]
    with pytest.raises(MonitorError, match="intet er gemt"):
        ingest.commit(store, upload, user="test")
    assert content(store) == before


def test_plausible_extremes_are_saved(store):
    upload = read(store, [["Nyby", "1", "Nyby afd. 1", 100, 0, 1e9, 0]])
    assert not upload.blocking, upload.errors
    ingest.commit(store, upload, user="test")
    assert value(store, "Nyby afd. 1", "holstebro_trekanten_support_group_volunteers", YEAR) == 1e9


def test_texts_longer_than_their_columns_are_refused_before_the_preview(store):
    rows = [
        ["Nyby", "1", "x" * 201, 40, 1, 1, 1],
        ["Nyby", "2", "æ" * 150, 40, 1, 1, 1],  # 150 letters, but a 300-letter match key
        ["Nyby", "9" * 21, "Nyby afd. 3", 40, 1, 1, 1],
        ["K" * 200, "4", "Nyby afd. 4", 40, 1, 1, 1],  # "K…K Kommune" is 208 letters
        ["Nyby", "5", "n" * 40_000, 40, 1, 1, 1],  # Excel keeps 32,767 of them
        ["Nyby", "6", "ﬃ" * 80, 40, 1, 1, 1],  # 80 letters, a 240-letter match key
    ]
    before = content(store)
    upload = read(store, rows)
    assert {p.row for p in upload.errors} == {2, 3, 4, 5, 6, 7}  # each row refused, named
    found = {(p.row, p.column, p.code) for p in upload.errors}
    assert {(4, "B", "text_too_long"), (5, "A", "text_too_long")} <= found
    for problem in upload.errors:
        if problem.code == "text_too_long":
            assert len(problem.describe()) < 400  # the text is quoted short
    with pytest.raises(MonitorError, match="intet er gemt"):
        ingest.commit(store, upload, user="test")
    assert content(store) == before


def test_nul_characters_in_a_csv_name_are_refused(store):
    data = ";".join(HEADER).encode() + b"\n" + b"x" * 5000 + b"\nNyby;1;Ny\x00by afd.;40;1;1;1\n"
    upload = ingest.read_upload(store, data, "nul.csv", year=YEAR, mapping=MAPPING)
    assert [p.code for p in upload.errors] == ["text_too_long"]


def test_names_that_fit_are_saved_alike_on_both_databases(store):
    name = "Nørrebrogadekvarterets Almennyttige Andelsboligselskab Solsikkehavens Østafdelin"
    assert len(name) == 80  # as long as a new area's name can be (monitoring.ingest.area_text)
    rows = [["Nyby", "9" * 20, name, 40, 1, 1, 1], ["Nyby", "2", "Nyby afd. 2", 41, 1, 1, 1]]
    upload = read(store, rows, name="n" * 295 + ".xlsx")
    assert not upload.blocking, upload.errors
    result = ingest.commit(store, upload, user="u" * 100)
    assert value(store, name, "employed_18_64", YEAR) == 40
    ingest.undo(store, result.batch_id, user="test")


def test_a_long_file_name_is_refused(store):
    upload = read(store, [["Nyby", "1", "Nyby afd. 1", 40, 1, 1, 1]], name="n" * 301 + ".xlsx")
    assert [p.code for p in upload.errors] == ["text_too_long"]


def unsupported_zip_version(data: bytes) -> bytes:
    damaged = bytearray(data)
    position = damaged.find(b"PK\x01\x02")
    while position >= 0:
        struct.pack_into("<H", damaged, position + 6, 120)  # version needed to extract: 12.0
        position = damaged.find(b"PK\x01\x02", position + 4)
    return bytes(damaged)


def test_a_zip_version_excel_never_writes_is_refused_in_danish():
    table = read_table(unsupported_zip_version(small_xlsx()), "fil.xlsx")
    assert [p.code for p in table.problems] == ["unsupported_zip"]
    assert "gem den som Excel-projektmappe (.xlsx)" in table.problems[0].message


def test_a_csv_cell_longer_than_the_csv_module_allows_is_read():
    data = b"Omr\xc3\xa5de;Indikator;\xc3\x85r;V\xc3\xa6rdi\n" + b"n" * 200_000 + b";Tal;2023;4\n"
    table = read_table(data, "lang.csv")
    assert not table.blocking, table.problems
    assert len(table.frame) == 1


@pytest.mark.parametrize(
    "number", [math.inf, -math.inf, math.nan, 1e308, -1.7e308, 5e-324, 1e30, 123456.5]
)
@pytest.mark.parametrize("unit", ["pct", "dkk", "count", "status"])
def test_formatting_never_raises(number, unit):
    for text in (format_value(number, unit), format_change(number, unit), format_percent(number)):
        assert isinstance(text, str) and text


def test_infinity_and_big_numbers_read_as_people_expect():
    assert format_value(math.inf, "pct") == "∞ %"
    assert format_value(-math.inf, "dkk") == "-∞ kr."
    assert format_value(math.nan, "count") == "–"
    assert format_value(1e30, "count") == "1" + ".000" * 10
    assert format_value(2.25, "pct") == "2,3 %"  # still half away from zero


@pytest.mark.parametrize(
    ("text", "year"), [("2023", 2023), (" 1980 ", 1980), ("", None), ("  ", None)]
)
def test_a_typed_year(text, year):
    assert parse_year(text) == year


@pytest.mark.parametrize("text", ["²", "٢٠٢٣", "２０２３", "23", "2023,5", "1979", "9" * 30, "år"])
def test_a_typed_year_that_is_not_one_is_a_danish_sentence(text):
    with pytest.raises(ValueError, match="er ikke et årstal mellem 1980 og 2100"):
        parse_year(text)
