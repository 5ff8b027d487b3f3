"""Danish numbers and dates: reading them as the delaftaler write them, writing them for the UI.

Number grammar comes from Babel's Danish locale ("." groups thousands, "," is the decimal mark);
this module only knows the words around the numbers (%, kr., personer, labels).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from babel.dates import format_date as babel_format_date
from babel.numbers import NumberFormatError, format_decimal, parse_decimal

LOCALE = "da_DK"
MISSING_TEXT = "–"
MILESTONE_STATES = {0: "Ikke startet", 1: "I gang", 2: "Opnået"}  # status values of milestones

_NUMBER = r"[-−]?\d{1,3}(?:\.\d{3})+(?:,\d+)?|[-−]?\d+(?:,\d+)?"
_UNIT = r"%|procent|kr\.?|kroner|personer|person|pers\.?|stk\.?|deltagere|beboere"
_TOKEN = re.compile(rf"(?P<number>{_NUMBER})\s*(?P<unit>{_UNIT})?", re.IGNORECASE)
_UNIT_OF_WORD = {"%": "pct", "procent": "pct", "kr": "dkk", "kr.": "dkk", "kroner": "dkk"}


@dataclass(frozen=True)
class ParsedNumber:
    """A number read from Danish text, with its unit and label where the text gives them."""

    value: float | None
    unit: str | None = None
    label: str | None = None
    note: str | None = None


def parse_number(text: str) -> float:
    """A bare Danish number ("1.234,5", "41,2") as float; raises ValueError for anything else."""
    cleaned = text.strip().replace("−", "-").replace("\u00a0", "").replace(" ", "")
    if not re.fullmatch(_NUMBER, cleaned):
        raise ValueError(f"'{text}' er ikke et tal")
    try:
        return float(parse_decimal(cleaned, locale=LOCALE))
    except NumberFormatError as exc:
        raise ValueError(f"'{text}' er ikke et tal") from exc


def _unit_of(word: str | None) -> str | None:
    if not word:
        return None
    return _UNIT_OF_WORD.get(word.lower(), "count")


def _clean_label(text: str) -> str | None:
    label = text.strip().strip(":;,()").strip()
    return label or None


def parse_values(text: str | None) -> list[ParsedNumber]:
    """Every number in a cell with its unit and label: "Hele kommunen 71% Andre almene 43,4%" gives two.

    A label is the text before a number (since the previous one) or, if none, a parenthesis right after.
    """
    if text is None:
        return []
    source = str(text).replace("\u00a0", " ")
    results: list[ParsedNumber] = []
    position = 0
    for match in _TOKEN.finditer(source):
        label_before = _clean_label(source[position : match.start()])
        position = match.end()
        trailing = re.match(r"\s*\(([^)]*)\)", source[position:])
        label = label_before
        if trailing and not label_before:
            label = _clean_label(trailing.group(1))
            position += trailing.end()
        unit = _unit_of(match.group("unit")) or "count"
        results.append(ParsedNumber(parse_number(match.group("number")), unit, label))
    return results


def parse_value(text: str | None) -> ParsedNumber:
    """The first number of a cell, or a note when the cell holds words such as "Afventer data" or "?"."""
    stripped = "" if text is None else str(text).strip()
    values = parse_values(stripped)
    if not values:
        return ParsedNumber(None, note=stripped or None)
    return values[0]


# Enough digits for any float (up to 1.8e308) with its decimals: rounding never overflows.
_WIDE = Context(prec=400, rounding=ROUND_HALF_UP)


def _number(value: float, decimals: int) -> str:
    """Rounded half away from zero, as people round by hand (Babel alone rounds half to even).

    Never raises: NaN gives the dash, infinities "∞" (a store may hold them from before checks).
    """
    number = float(value)
    if math.isnan(number):
        return MISSING_TEXT
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    with localcontext(_WIDE):
        rounded = Decimal(repr(number)).quantize(Decimal(1).scaleb(-decimals))
        return format_decimal(rounded, format=pattern, locale=LOCALE)


def format_number(value: float) -> str:
    """A plain number with as many decimals as it has (up to 3): "0,5", "2", "12,25"."""
    text = _number(value, 3)
    return text.rstrip("0").rstrip(",") if "," in text else text


def is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_value(value: float | None, unit: str, decimals: int | None = None) -> str:
    """A value for the UI: "13,9 %", "364.534 kr.", "1.459"; a dash when there is none."""
    if is_missing(value):
        return MISSING_TEXT
    if unit == "pct":
        return f"{_number(value, 1 if decimals is None else decimals)} %"
    if unit == "dkk":
        return f"{_number(value, 0 if decimals is None else decimals)} kr."
    if unit == "status" and value in MILESTONE_STATES:
        return MILESTONE_STATES[int(value)]
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    return _number(value, decimals)


def format_change(value: float | None, unit: str) -> str:
    """A signed change: "+2,5 procentpoint" for shares, "+12.000 kr." or "-3" otherwise."""
    if is_missing(value):
        return MISSING_TEXT
    sign = "+" if value > 0 else ""
    if unit == "pct":
        return f"{sign}{_number(value, 1)} procentpoint"
    return f"{sign}{format_value(value, unit)}"


def format_percent(share: float | None, decimals: int = 0) -> str:
    """A relative figure given as a fraction (0.25) or a ratio: "25 %"."""
    if is_missing(share):
        return MISSING_TEXT
    return f"{_number(share * 100, decimals)} %"


YEAR_RANGE = (1980, 2100)


def parse_year(text: str | None) -> int | None:
    """A year typed by a person ("2023", " 2023 "); None when empty.

    Raises ValueError with a Danish sentence for anything else ("²", "23", "2023,5", "٢٠٢٣").
    """
    stripped = (text or "").strip()
    if not stripped:
        return None
    first, last = YEAR_RANGE
    if not (stripped.isascii() and stripped.isdigit() and first <= int(stripped) <= last):
        raise ValueError(
            f"'{stripped[:20]}' er ikke et årstal mellem {first} og {last}; skriv fx 2023."
        )
    return int(stripped)


def format_date(value: dt.date | None) -> str:
    """A date as Danes write it in prose: "1. august 2022"."""
    if value is None:
        return MISSING_TEXT
    return babel_format_date(value, format="d. MMMM y", locale=LOCALE)


def format_period(start: dt.date, end: dt.date) -> str:
    """An agreement period: "1. august 2022 – 31. juli 2026"."""
    return f"{format_date(start)} – {format_date(end)}"
