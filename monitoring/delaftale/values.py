"""Numbers, units, years and dates as a delaftale writes them ("13,9%", "364.534kr", "Pr. 01.01.2020").

Only a number that stands as a figure counts: one with a unit, one at the end of the cell, or one
before a counting word ("200 personer"). "Erhvervsnetværk 9400 er iværksat" holds no figure.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from monitoring.fmt import parse_number

MONTHS = {
    "januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}  # fmt: skip
_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{4}|\d{2})(?![\d])")
_WORD_DATE = re.compile(r"(?<!\d)(\d{1,2})\.?\s+(" + "|".join(MONTHS) + r")\s+(\d{4})", re.I)
_YEAR_SPAN = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*[-–]\s*(?:(?:19|20)\d{2})?(?!\d)")
_AGE_SPAN = re.compile(
    r"(?<![\d,.])\d{1,2}\s*[-–]\s*\d{1,2}(?![\d,.%])|\d{1,2}\s+og\s+\d{1,2}\s+år"
)
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(?:\s*(%|procent|kr\.?|kroner))?(?![\w])"
)
_COUNT_WORDS = re.compile(
    r"\s*(personer|beboere|borgere|deltagere|frivillige|husstande|unge|stk)\b", re.I
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
UNIT_OF = {"%": "pct", "procent": "pct", "kr": "dkk", "kr.": "dkk", "kroner": "dkk"}


@dataclass(frozen=True)
class Figure:
    """A number found in a cell, where it stands (start, end) and its unit if written."""

    value: float
    unit: str | None
    start: int
    end: int


def _date(day: str, month: int, year: str) -> dt.date | None:
    full = int(year) + (2000 if len(year) == 2 else 0)
    try:
        return dt.date(full, month, int(day))
    except ValueError:
        return None


def dates_in(text: str) -> list[tuple[dt.date, int, int]]:
    """Every date in the text with its position: "1.4.2021", "01-01-2021", "1. august 2022"."""
    found: list[tuple[dt.date, int, int]] = []
    for m in _NUMERIC_DATE.finditer(text):
        date = _date(m.group(1), int(m.group(2)), m.group(3))
        if date is not None and 1990 <= date.year <= 2100:
            found.append((date, m.start(), m.end()))
    for m in _WORD_DATE.finditer(text):
        date = _date(m.group(1), MONTHS[m.group(2).lower()], m.group(3))
        if date is not None:
            found.append((date, m.start(), m.end()))
    return sorted(found, key=lambda f: f[1])


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def without_dates_and_spans(text: str) -> str:
    """The text with dates, year spans ("2021- 2025") and age bands blanked out, same length."""
    spans = [(s, e) for _, s, e in dates_in(text)]
    text = _blank(text, spans)
    spans = [m.span() for m in _YEAR_SPAN.finditer(text)]
    spans += [m.span() for m in _AGE_SPAN.finditer(text)]
    return _blank(text, spans)


def figures(text: str) -> list[Figure]:
    """The figures in a cell (see the module's rule), in reading order."""
    plain = without_dates_and_spans(text)
    found: list[Figure] = []
    for m in _NUMBER.finditer(plain):
        unit = UNIT_OF.get((m.group(3) or "").lower())
        at_end = not plain[m.end() :].strip(" .:;)(")
        counted = bool(_COUNT_WORDS.match(plain, m.end()))
        if unit is None and not (at_end or counted):
            continue
        if unit is None and _YEAR.fullmatch(m.group(0)):
            continue  # a lone year ("2022") is a year, not a figure
        value = parse_number(m.group(1) + (f",{m.group(2)}" if m.group(2) else ""))
        found.append(Figure(value, unit, m.start(), m.end()))
    return found


def year_of(text: str) -> int | None:
    """The year a cell states: "2021", "Baseline 2020", or a date's year ("Pr. 01.01.2020")."""
    stated = dates_in(text)
    if stated:
        return stated[0][0].year
    years = _YEAR.findall(without_dates_and_spans(text))
    return int(years[0]) if years else None


def is_year(text: str) -> bool:
    return bool(re.fullmatch(r"\s*(?:19|20)\d{2}\s*", text))
