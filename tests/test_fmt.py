"""Danish numbers as the delaftaler write them, and back for the UI."""

import datetime as dt

import pytest

from monitoring.fmt import format_change, format_date, format_value, parse_value, parse_values


@pytest.mark.parametrize(
    ("text", "value", "unit", "label", "note"),
    [
        ("13,9%", 13.9, "pct", None, None),
        ("13,9 %", 13.9, "pct", None, None),
        ("364.534kr", 364534.0, "dkk", None, None),
        ("626.181 kr.", 626181.0, "dkk", None, None),
        ("I alt 459", 459.0, "count", "I alt", None),
        ("200 personer", 200.0, "count", None, None),
        ("25,21% (Horsens Kommune)", 25.21, "pct", "Horsens Kommune", None),
        ("78,89 % (Horsens Kommune)", 78.89, "pct", "Horsens Kommune", None),
        ("0", 0.0, "count", None, None),
        ("1.234", 1234.0, "count", None, None),
        ("?", None, None, None, "?"),
        ("", None, None, None, None),
        ("Afventer data", None, None, None, "Afventer data"),
    ],
)
def test_parse_danish_value(text, value, unit, label, note):
    parsed = parse_value(text)
    assert parsed.value == (pytest.approx(value) if value is not None else None)
    assert (parsed.unit, parsed.label, parsed.note) == (unit, label, note)


def test_parse_several_comparators_in_one_cell():
    parsed = parse_values("Hele kommunen 71% Andre almene boligområder 43,4%")
    assert [(p.label, p.value, p.unit) for p in parsed] == [
        ("Hele kommunen", 71.0, "pct"),
        ("Andre almene boligområder", 43.4, "pct"),
    ]


def test_parse_comparators_with_colons():
    parsed = parse_values("Hele kommunen: 15,6% Andre almene boligområder : 16,3%")
    assert [(p.label, p.value) for p in parsed] == [
        ("Hele kommunen", 15.6),
        ("Andre almene boligområder", 16.3),
    ]


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (13.9, "pct", "13,9 %"),
        (40, "pct", "40,0 %"),
        (364534, "dkk", "364.534 kr."),
        (626181.4, "dkk", "626.181 kr."),
        (459, "count", "459"),
        (1459, "count", "1.459"),
        (2.5, "count", "2,5"),
        (-3.25, "pct", "-3,3 %"),
        (2, "status", "Opnået"),
        (0, "status", "Ikke startet"),
        (None, "pct", "–"),
        (float("nan"), "dkk", "–"),
    ],
)
def test_format_danish_value(value, unit, text):
    assert format_value(value, unit) == text


@pytest.mark.parametrize("text", ["13,9 %", "364.534 kr.", "459", "1.459", "0,5 %"])
def test_format_then_parse_round_trips(text):
    parsed = parse_value(text)
    assert format_value(parsed.value, parsed.unit) == text


def test_format_change_says_percentage_points_for_shares():
    assert format_change(2.5, "pct") == "+2,5 procentpoint"
    assert format_change(-12000, "dkk") == "-12.000 kr."


def test_format_date_in_danish():
    assert format_date(dt.date(2022, 8, 1)) == "1. august 2022"


def test_format_number_shows_only_the_decimals_a_number_has():
    from monitoring.fmt import format_number

    assert [format_number(v) for v in (0.5, 2.0, 10.0, 1234.5, 12.25)] == [
        "0,5",
        "2",
        "10",
        "1.234,5",
        "12,25",
    ]
