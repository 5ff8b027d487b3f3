"""Hostile text stays text: Markdown, Plotly and spreadsheet escaping, and the download files."""

from __future__ import annotations

import csv
import html
import io
import math
import re

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitoring.present.export import safe_frame, to_csv_bytes, to_excel_bytes
from monitoring.present.plaintext import (
    FORMULA_ESCAPE,
    FORMULA_STARTS,
    WORD_JOINER,
    markdown_text,
    plot_text,
    spreadsheet_text,
)
from tests.hostile import FORMULA_NAMES, HOSTILE_NAMES
from tests.ui.text import shown

MARKDOWN_SPECIALS = set("!#$&()*+-.:<=>@[\\]^_`{|}~")
# Text as a spreadsheet or a browser might receive it: any character, formula starts and
# Markdown specials often.
TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"), st.sampled_from([*FORMULA_STARTS, *MARKDOWN_SPECIALS])
    ),
    max_size=40,
)


@pytest.mark.parametrize("name", FORMULA_NAMES)
def test_formula_names_get_the_escape_in_front(name):
    assert spreadsheet_text(name) == FORMULA_ESCAPE + name


@pytest.mark.parametrize(
    "text", ["\tcmd", "\r=1", " =1+1", "＝1+1", "－2", "＠SUM(A1)", "\n=1", "+45 12 34 56"]
)
def test_every_formula_start_is_neutralised(text):
    assert spreadsheet_text(text).startswith(FORMULA_ESCAPE)


@pytest.mark.parametrize("value", [-2.5, -3, 0, 41.2, None, True, "Løvvangen", "", "13,9 %", "–"])
def test_numbers_and_ordinary_text_are_unchanged(value):
    assert spreadsheet_text(value) is value


@given(TEXT)
def test_spreadsheet_text_never_starts_a_formula(text):
    escaped = spreadsheet_text(text)
    assert escaped.lstrip(" ")[:1] not in FORMULA_STARTS
    assert escaped in (text, FORMULA_ESCAPE + text)


def _unescaped_specials(markdown: str) -> list[str]:
    """Markdown specials not preceded by a backslash (a backslash escapes the next character)."""
    found, position = [], 0
    while position < len(markdown):
        character = markdown[position]
        if character == "\\":
            position += 2
            continue
        if character in MARKDOWN_SPECIALS:
            found.append(character)
        position += 1
    return found


@given(TEXT)
def test_markdown_text_escapes_every_special_and_keeps_the_words(text):
    escaped = markdown_text(text)
    assert _unescaped_specials(escaped) == []
    lines = re.split(r"\r\n?|\n", text)
    expected = "  \n".join(line.replace("\t", " ").strip() for line in lines)
    # shown() reads a no-break space (kept between a number and its unit) as a space.
    invisible = {ord(WORD_JOINER): None, ord("\u00a0"): " "}
    assert shown(escaped).translate(invisible) == expected.translate(invisible)
    # No address is left whole for GitHub's autolinks (found after escapes are resolved).
    plain = shown(escaped)
    assert "://" not in plain and "@" not in plain.replace("@" + WORD_JOINER, "")
    assert not re.search(r"www\.", plain, re.IGNORECASE)


@pytest.mark.parametrize(
    ("name", "markdown"),
    [
        ("![t](http://h.dk/p.png)", "\\!\\[t\\]\\(http\\:" + WORD_JOINER + "//h\\.dk/p\\.png\\)"),
        ("<a href='x'>k</a>", "\\<a href\\='x'\\>k\\</a\\>"),
        ("Hele kommunen: 71 %", "Hele kommunen\\: 71\u00a0%"),
        ("Løvvangen", "Løvvangen"),
        ("  # a\n    b", "\\# a  \nb"),
        (":red[x] $y$", "\\:red\\[x\\] \\$y\\$"),
    ],
)
def test_markdown_text_examples(name, markdown):
    assert markdown_text(name) == markdown


@given(TEXT)
def test_plot_text_has_no_tag_and_reads_the_same(text):
    escaped = plot_text(text)
    assert "<" not in escaped and ">" not in escaped
    assert html.unescape(escaped) == text


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_plot_text_of_hostile_names(name):
    assert "<" not in plot_text(name)
    assert html.unescape(plot_text(name)) == name


def _frame() -> pd.DataFrame:
    """Hostile text in cells and headers, negative numbers, booleans, gaps, a repeated header."""
    frame = pd.DataFrame(
        {
            "Område": [*FORMULA_NAMES, "Løvvangen"],
            "Værdi": [-2.5, -3.0, 41.2, math.nan, 7.0, 0.0],
            "Over tærskel": [True, False, True, False, True, False],
            "Blandet": [1, "@a", None, -2, "=1", "x"],
            FORMULA_NAMES[0]: ["a", "b", "c", "d", "e", "f"],
        }
    )
    frame.insert(1, "Område ", frame["Område"])
    frame.columns = [*frame.columns[:1], "Område", *frame.columns[2:]]
    return frame


def test_safe_frame_escapes_text_and_keeps_numbers():
    frame = _frame()
    safe = safe_frame(frame)
    assert list(safe.columns)[-1] == FORMULA_ESCAPE + FORMULA_NAMES[0]
    assert list(safe.iloc[:, 0]) == [FORMULA_ESCAPE + n for n in FORMULA_NAMES] + ["Løvvangen"]
    assert list(safe.iloc[:, 1]) == list(safe.iloc[:, 0])
    assert safe["Værdi"].dtype == "float64" and safe["Værdi"].iloc[0] == -2.5
    assert safe["Over tærskel"].dtype == bool
    assert list(safe["Blandet"])[:2] == [1, "'@a"] and safe["Blandet"].iloc[3] == -2
    pd.testing.assert_frame_equal(frame, _frame())  # the page's own frame is untouched


def csv_rows(content: bytes, delimiter: str = ";") -> list[list[str]]:
    return list(
        csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=delimiter)
    )


def test_csv_download_has_escaped_text_and_real_numbers():
    rows = csv_rows(to_csv_bytes(_frame()))
    assert rows[0][-1] == FORMULA_ESCAPE + FORMULA_NAMES[0]
    assert rows[1][:3] == [FORMULA_ESCAPE + FORMULA_NAMES[0]] * 2 + ["-2,5"]
    assert rows[1][4] == "1" and rows[2][4] == "'@a" and rows[4][4] == "-2"


@pytest.mark.parametrize("separator", [",", ";", "\t", "\r", "\n", "\r\n"])
def test_csv_text_cannot_start_a_cell_in_another_dialect(separator):
    """A name with a separator before a formula stays one quoted cell, whatever Excel splits on."""
    name = f"Løvvangen{separator}=cmd|' /C calc'!A0"
    content = to_csv_bytes(pd.DataFrame({"Område": [name], "Værdi": [-2.5]}))
    assert content.decode("utf-8-sig").splitlines()[0] == '"Område";"Værdi"'
    for delimiter in (";", ","):
        rows = csv_rows(content, delimiter)
        assert any(row[0].startswith(name) for row in rows)  # the name is never split
        fields = [field for row in rows for field in row]
        assert [f for f in fields if f[:1] in FORMULA_STARTS and f not in ("-2,5", "-2")] == []


def test_excel_download_has_no_formula_and_real_numbers():
    sheet = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"Tabel": _frame()})))["Tabel"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert sheet["A2"].value == FORMULA_ESCAPE + FORMULA_NAMES[0] and sheet["A2"].data_type == "s"
    assert sheet["C2"].value == -2.5 and sheet["C2"].data_type == "n"
    assert sheet["D2"].value is True
    assert sheet["E5"].value == -2 and sheet["E6"].value == "'=1"
    # XlsxWriter is told never to make a formula or a link of a string, escaped or not.
    links = [c.coordinate for c in cells if c.hyperlink is not None]
    assert links == []


@settings(max_examples=40, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=6), st.lists(st.floats(-1e6, 1e6), min_size=6))
def test_any_text_downloads_without_formulas(texts, numbers):
    frame = pd.DataFrame({"Tekst": texts, "Tal": numbers[: len(texts)]})
    sheet = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"T": frame})))["T"]
    for row in sheet.iter_rows(min_row=2):
        text, number = row
        assert text.data_type != "f"
        assert text.value is None or str(text.value).lstrip(" ")[:1] not in FORMULA_STARTS
        assert number.data_type == "n"
    for text_field, number_field in csv_rows(to_csv_bytes(frame))[1:]:
        assert text_field.lstrip(" ")[:1] not in FORMULA_STARTS
        assert re.fullmatch(r"-?\d+(,\d+)?(e[-+]\d+)?", number_field), number_field
