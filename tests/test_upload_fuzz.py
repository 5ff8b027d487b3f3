"""Property test on SQLite and PostgreSQL: hostile workbooks and CSVs (digit strings too long for a
float, inf and nan, negative and absurd numbers, unicode digits, formulas, names longer than any
column, NUL characters, broken zips) never give a traceback, never put a non-finite or implausible
value in the store, and leave the store exactly as it was whenever the import is refused.
"""

from __future__ import annotations

import io
import json
import math
from typing import Any

import pytest
import xlsxwriter
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from monitoring import ingest
from monitoring.errors import MonitorError
from monitoring.fmt import MILESTONE_STATES
from monitoring.ingest.validation import MAX_VALUE
from monitoring.seed import load_seed
from monitoring.store.models import Measure, Observation
from tests.test_ingest import STORE_TABLES, content, tables
from tests.test_integrity import unsupported_zip_version
from tests.test_lbf_properties import SMALL_LIMITS, mangled

YEAR = 2023
# One column per unit, mapped explicitly so that every unit's checks are exercised.
COLUMNS = {
    "Tal A": "employed_18_64",  # pct
    "Tal B": "household_income_avg",  # dkk
    "Tal C": "holstebro_trekanten_support_group_volunteers",  # count
    "Tal D": "aalborg_loevvangen_business_network_established",  # status
}
PLAUSIBLE = {
    "pct": lambda v: 0 <= v <= 100,
    "dkk": lambda v: 0 <= v <= MAX_VALUE["dkk"],
    "count": lambda v: 0 <= v <= MAX_VALUE["count"],
    "status": lambda v: v in MILESTONE_STATES,
}

HOSTILE_TEXT = [
    "9" * 400,
    "1" * 40 + ",5",
    "1.000.000.000.000.000,5",
    "-" + "9" * 400,
    "inf",
    "-inf",
    "nan",
    "Infinity",
    "1e400",
    "-5",
    "-12,5",
    "−3",
    "٤١",
    "²",
    "41²",
    "４１",
    "=1+1",
    '=HYPERLINK("http://example.invalid/x","klik")',
    "@SUM(A1)",
    "+41",
    "41\x00",
    "..",
    "x",
    "<5",
    "41,2 %",
    "364.534 kr.",
    "2",
]
HOSTILE_NUMBERS = [1e15, 1e300, -1e300, -3.0, 5e9, 1.5e12, 101.0, 100.0, 2.5, 2.0, 0.0, 1e-300]

hostile_values = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.sampled_from(HOSTILE_NUMBERS),
    st.floats(min_value=-1e6, max_value=1e13, allow_nan=False, allow_infinity=False),
)
benign_values = {  # what each column's measure holds in a genuine file
    "Tal A": st.floats(min_value=0, max_value=100),
    "Tal B": st.floats(min_value=0, max_value=1e6),
    "Tal C": st.integers(min_value=0, max_value=1_000),
    "Tal D": st.sampled_from([0, 1, 2, "1"]),
}
hostile_names = st.one_of(
    st.builds(lambda n, ch: ch * n, st.integers(150, 400), st.sampled_from(["x", "æ", "Ø", "ﬀ"])),
    st.just("n" * 300_000),
    st.sampled_from(["Nyby\x00afd.", "=2+2", "Hele landet", "٤١"]),
    st.text(min_size=1, max_size=12),
)


def sometimes(draw: st.DrawFn, hostile: st.SearchStrategy[Any], usual: st.SearchStrategy[Any]):
    """A hostile value in one draw of four, else a usual one (so that some files are saved)."""
    return draw(hostile if draw(st.integers(0, 3)) == 3 else usual)


def value_of(draw: st.DrawFn, column: str) -> Any:
    usual = st.one_of(benign_values[column], st.sampled_from(["..", "x", "<5", None]))
    return sometimes(draw, hostile_values, usual)


def name_of(draw: st.DrawFn) -> str:
    return sometimes(draw, hostile_names, st.sampled_from(["Nyby afd. 1", "Nyby afd. 2", "Lunden"]))


codes = st.one_of(st.integers(1, 99).map(str), st.just("9" * 30), st.just(""), st.just("²"))
kommuner = st.sampled_from(["Nyby", "Nyby", "Fjernby", "", "K" * 250, "Ny\x00by"])


@st.composite
def sheets(draw: st.DrawFn) -> list[list[Any]]:
    """An area list or a long table whose cells are now and then hostile."""
    if draw(st.booleans()):
        rows: list[list[Any]] = [["Kommune", "Afdelingsnummer", "Afdeling", *COLUMNS]]
        for number in range(1, draw(st.integers(1, 6)) + 1):
            code = draw(st.one_of(st.just(str(number)), codes))
            rows.append(
                [draw(kommuner), code, name_of(draw), *(value_of(draw, c) for c in COLUMNS)]
            )
        return rows
    rows = [["Område", "Indikator", "År", "Værdi"]]
    for _ in range(draw(st.integers(1, 8))):
        column = draw(st.sampled_from(list(COLUMNS)))
        year = sometimes(draw, st.sampled_from(["2022", "²⁰²³", "٢٠٢٣", "1e3"]), st.just(YEAR))
        rows.append([name_of(draw), column, year, value_of(draw, column)])
    return rows


def xlsx_of(rows: list[list[Any]], formulas: bool) -> bytes:
    """XlsxWriter keeps strings as strings; `formulas` writes '=' texts as formulas instead."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet("Data")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str) and value.startswith("=") and formulas:
                sheet.write_formula(r, c, value)  # no cached result: blocking
            elif isinstance(value, str):
                sheet.write_string(r, c, value.replace("\x00", ""))  # XML cannot hold NUL
            else:
                sheet.write_number(r, c, value)
    workbook.close()
    return buffer.getvalue()


@st.composite
def files(draw: st.DrawFn) -> tuple[bytes, str]:
    rows = draw(sheets())
    if draw(st.booleans()):
        text = "\n".join(";".join("" if v is None else str(v) for v in row) for row in rows)
        encoding = draw(st.sampled_from(["utf-8", "cp1252"]))
        return text.encode(encoding, errors="replace"), "fil.csv"
    data = xlsx_of(rows, formulas=draw(st.booleans()))
    damage = draw(st.sampled_from(["none", "none", "none", "mangled", "zip version"]))
    if damage == "zip version":
        return unsupported_zip_version(data), "fil.xlsx"
    return (draw(mangled(data)) if damage == "mangled" else data), "fil.xlsx"


@pytest.fixture
def store(engine: Engine) -> Engine:
    """The seeded store, with the shared measures of the columns created (import, then undo)."""
    load_seed(engine)
    rows = [["Kommune", "Afdelingsnummer", "Afdeling", *COLUMNS], ["Nyby", "1", "Varm", 1, 1, 1, 1]]
    upload = ingest.read_upload(
        engine, xlsx_of(rows, False), "varm.xlsx", year=YEAR, mapping=COLUMNS
    )
    ingest.undo(engine, ingest.commit(engine, upload, user="test").batch_id, user="test")
    return engine


def stored_values_are_plausible(engine: Engine) -> bool:
    with Session(engine) as session:
        rows = session.execute(
            select(Measure.unit, Observation.value)
            .join(Measure, Measure.id == Observation.measure_id)
            .where(Observation.value.is_not(None))
        ).all()
    return all(math.isfinite(v) and PLAUSIBLE.get(unit, lambda _: True)(v) for unit, v in rows)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(upload_file=files())
def test_hostile_files_are_refused_in_danish_or_stored_plausibly(store, upload_file):
    data, name = upload_file
    before = content(store)
    upload = ingest.read_upload(
        store, data, name, year=YEAR, mapping=COLUMNS, settings=SMALL_LIMITS
    )
    json.dumps(ingest.report(upload), default=str)
    for problem in upload.problems:
        assert problem.message.strip().endswith((".", ")")), problem
        if problem.code == "text_too_long":
            assert len(problem.describe()) < 500  # a 300,000-character name is quoted short
    if upload.blocking:
        event(f"refused: {sorted({p.code for p in upload.errors})[0]}")
        with pytest.raises(MonitorError, match="intet er gemt"):
            ingest.commit(store, upload, user="fuzz")
        assert content(store) == before
        return
    ingest.preview(store, upload, actor="test")
    result = ingest.commit(store, upload, user="fuzz")
    event("saved" if result.batch_id else "no changes")
    assert stored_values_are_plausible(store)
    if result.batch_id is not None:
        ingest.undo(store, result.batch_id, user="fuzz")
    assert tables(store, STORE_TABLES) == {k: before[1][k] for k in STORE_TABLES}
