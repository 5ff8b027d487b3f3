"""Property tests: generated and mangled workbooks give a clean report or a clean rejection.

Never a traceback: reading and resolving always return an Upload; an Upload with blocking problems
is refused by commit with a Danish MonitorError and the store is left exactly as it was.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from monitoring import ingest
from monitoring.errors import MonitorError
from monitoring.lbf import ReadSettings, read_table
from monitoring.seed import load_seed
from monitoring.store.db import create_schema, get_engine
from tests.test_ingest import content
from tests.test_lbf_read import small_xlsx, xlsx_bytes

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
SMALL_LIMITS = ReadSettings(max_file_bytes=2 * 1024 * 1024, max_uncompressed_bytes=8 * 1024 * 1024)

LABELS = [
    "Andel 18-64-årige i beskæftigelse (%)",
    "Andel ledige og aktiverede (%)",
    "Gennemsnitlig husstandsindkomst (kr.)",
    "I beskæftigelse (pct.)",
    "Antal beboere",
    "Noget helt andet",
]
AREAS = ["Løvvangen", "Østerbro", "Trekanten", "Sundby-Hvorup Boligselskab afd. 12", "Nyby", ""]
TOKENS = ["..", "x", "X", "*", "-", "<5", "diskr.", "", "41,2", "41,2 %", "1.234", "364.534 kr."]

cell_values = st.one_of(
    st.floats(min_value=-1e6, max_value=1e7, allow_nan=False, allow_infinity=False),
    st.integers(min_value=-1000, max_value=10**6),
    st.sampled_from(TOKENS),
    st.text(max_size=12),
    st.none(),
)


@st.composite
def grids(draw: st.DrawFn) -> list[list[Any]]:
    """A sheet shaped like one of the layouts (or like nothing), with arbitrary cell values."""
    layout = draw(st.sampled_from(["area_list", "time_series", "long", "noise"]))
    rows: list[list[Any]] = [[draw(st.text(max_size=30))] for _ in range(draw(st.integers(0, 3)))]
    width = draw(st.integers(1, 5))
    height = draw(st.integers(0, 8))
    if layout == "area_list":
        rows.append(
            [
                "Kommune",
                "Afdeling",
                *draw(st.lists(st.sampled_from(LABELS), min_size=1, max_size=width)),
            ]
        )
        for _ in range(height):
            rows.append(
                [draw(st.sampled_from(["Aalborg", "Holstebro", ""])), draw(st.sampled_from(AREAS))]
                + [draw(cell_values) for _ in range(len(rows[-1]) - 2 if height else 0)]
            )
    elif layout == "time_series":
        rows.append(
            [None, *draw(st.lists(st.integers(2010, 2025), min_size=2, max_size=width + 1))]
        )
        for _ in range(height):
            rows.append([draw(st.sampled_from(LABELS)), *[draw(cell_values) for _ in range(width)]])
    elif layout == "long":
        rows.append(["Område", "Indikator", "År", "Værdi"])
        for _ in range(height):
            rows.append(
                [
                    draw(st.sampled_from(AREAS)),
                    draw(st.sampled_from(LABELS)),
                    draw(st.one_of(st.integers(2015, 2025), st.sampled_from(["2020", "x", ""]))),
                    draw(cell_values),
                ]
            )
    else:
        rows += [[draw(cell_values) for _ in range(width)] for _ in range(height)]
    return rows


@st.composite
def mangled(draw: st.DrawFn, data: bytes) -> bytes:
    """Bytes of a workbook, damaged in one of the ways files get damaged."""
    damage = ["truncate", "flip", "insert", "prefix", "zero"]
    how = draw(st.sampled_from(["none"] * len(damage) + damage))  # half of them intact
    if how == "none" or not data:
        return data
    position = draw(st.integers(0, len(data) - 1))
    if how == "truncate":
        return data[:position]
    if how == "flip":
        count = draw(st.integers(1, 8))
        damaged = bytearray(data)
        for offset in range(count):
            index = (position + offset * 97) % len(damaged)
            damaged[index] ^= draw(st.integers(1, 255))
        return bytes(damaged)
    if how == "insert":
        return data[:position] + draw(st.binary(min_size=1, max_size=64)) + data[position:]
    if how == "prefix":
        return draw(st.binary(min_size=1, max_size=16)) + data
    return data[:position] + bytes(min(64, len(data) - position)) + data[position + 64 :]


@st.composite
def uploads(draw: st.DrawFn) -> tuple[bytes, str]:
    kind = draw(st.sampled_from(["xlsx", "csv", "sample"]))
    if kind == "sample":
        name = draw(
            st.sampled_from(sorted(p.name for p in SAMPLES.glob("lbf_*.*") if p.suffix != ".py"))
        )
        data = (SAMPLES / name).read_bytes()
    elif kind == "xlsx":
        sheets = {f"Ark{i}": draw(grids()) for i in range(draw(st.integers(1, 2)))}
        data, name = xlsx_bytes(sheets), "genereret.xlsx"
    else:
        rows = draw(grids())
        separator = draw(st.sampled_from([";", ",", "\t"]))
        text = "\n".join(separator.join("" if v is None else str(v) for v in row) for row in rows)
        encoding = draw(st.sampled_from(["utf-8", "cp1252"]))
        data, name = text.encode(encoding, errors="replace"), "genereret.csv"
    return draw(mangled(data)), name


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = get_engine(f"sqlite:///{tmp_path_factory.mktemp('properties') / 'monitor.db'}")
    create_schema(engine)
    load_seed(engine)
    return engine


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(upload=uploads(), year=st.one_of(st.none(), st.integers(2015, 2025)))
def test_clean_report_or_clean_rejection(seeded: Engine, upload: tuple[bytes, str], year):
    data, name = upload
    before = content(seeded)
    result = ingest.read_upload(seeded, data, name, year=year, settings=SMALL_LIMITS)
    report = ingest.report(result)
    json.dumps(report, default=str)  # the --json report is always serialisable
    assert all(line for line in ingest.report_lines(report))
    for problem in result.problems:
        assert problem.level in {"error", "warning"}
        assert problem.message.strip().endswith((".", ")"))
        assert problem.describe()
    if result.blocking:
        event(f"refused: {result.errors[0].code}")
        with pytest.raises(MonitorError) as refused:
            ingest.commit(seeded, result, user="hypothesis")
        assert "intet er gemt" in str(refused.value)
        assert content(seeded) == before
        return
    changes = ingest.preview(seeded, result, actor="test")
    assert content(seeded) == before  # a preview writes nothing
    committed = ingest.commit(seeded, result, user="hypothesis")
    assert committed.counts["new"] == changes.counts["new"]
    assert committed.counts["changed"] == changes.counts["changed"]
    event("committed" if committed.batch_id else "no changes")
    if committed.batch_id is None:
        assert content(seeded) == before
    else:
        again = ingest.commit(seeded, ingest.read_upload(seeded, data, name, year=year), user="h")
        assert again.batch_id is None  # the same file twice: "Ingen ændringer"
        ingest.undo(seeded, committed.batch_id, user="hypothesis")
        assert content(seeded)[0] == before[0]  # show --json is back where it was


@settings(max_examples=300, deadline=None)
@given(
    data=st.one_of(
        st.binary(max_size=2048),
        st.builds(lambda b: small_xlsx()[: len(b)], st.binary(max_size=4000)),
    )
)
def test_reader_never_raises(data: bytes):
    for name in ("fil.xlsx", "fil.csv"):
        table = read_table(data, name)
        assert table.blocking or not table.frame.empty or table.problems
