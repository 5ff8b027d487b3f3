"""An empty cell is no value: not "diskretioneret", no observation, and the store keeps what it has.

Reading (xlsx and CSV, all three layouts, odd blanks), storage on SQLite and PostgreSQL, and what
the bestyrelse reads afterwards: the sentence, the card and the chart of a year not yet published.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Engine

from monitoring import ingest
from monitoring.lbf import read_table
from monitoring.present.charts import indicator_figure
from monitoring.present.views import empty_state_text, indicator_card_facts
from monitoring.progress import plan_progress
from monitoring.seed import load_seed
from monitoring.show import store_snapshot
from tests.test_ingest import content, observation, value
from tests.test_lbf_read import xlsx_bytes

PLAN = "guldborgsund-mit-liv"
EMPLOYED = "Beskæftigede 18-64 år (pct.)"
OUTSIDE = "Indvandrere og efterkommere 30-64 år uden for arbejdsstyrken (pct.)"
ACTIVATED = "Ledige og aktiverede (pct.)"
MAPPING = {
    EMPLOYED: "employed_18_64",
    OUTSIDE: "immigrants_outside_labour_force_30_64",
    ACTIVATED: "unemployed_and_activated",
}


def time_series_rows(blank: Any = None, employed_2023: Any = None) -> list[list[Any]]:
    """Østerbro's time series whose newest employment figure is not published yet (`blank`)."""
    return [
        ["Beboerdata"],
        ["Østerbro, Guldborgsund Kommune"],
        [],
        [None, 2021, 2022, 2023],
        [EMPLOYED, 40.0, 41.3, blank if employed_2023 is None else employed_2023],
        [OUTSIDE, 27.5, 27.0, 26.0],
        [ACTIVATED, "..", blank, "x"],
    ]


def csv_bytes(rows: list[list[Any]], delimiter: str = ";") -> bytes:
    def text(cell: Any) -> str:
        if cell is None:
            return ""
        if isinstance(cell, float):
            return f"{cell:.1f}".replace(".", ",")
        return str(cell)

    return "\r\n".join(delimiter.join(text(c) for c in row) for row in rows).encode("utf-8")


def cells(table) -> dict[tuple[Any, ...], tuple[float, str]]:
    frame = table.frame
    return {
        (area, label, int(year)): (v, state)
        for area, label, year, v, state in frame[
            ["area_text", "label", "year", "value", "state"]
        ].itertuples(index=False, name=None)
    }


def empty_notes(table) -> list[Any]:
    return [p for p in table.problems if p.code == "empty_cells"]


# --------------------------------------------------------------------------------------------
# Reading


@pytest.mark.parametrize("blank", [None, "", "   ", "\u00a0"])
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_time_series_empty_cells_are_left_out_not_suppressed(kind, blank):
    if kind == "xlsx":
        table = read_table(xlsx_bytes({"Østerbro": time_series_rows(blank)}), "ts.xlsx")
    else:
        table = read_table(csv_bytes(time_series_rows(blank)), "ts.csv")
    assert not table.blocking, table.problems
    found = {(label, year): state for (_, label, year), (_, state) in cells(table).items()}
    assert (EMPLOYED, 2023) not in found
    assert (ACTIVATED, 2022) not in found
    assert found[(EMPLOYED, 2022)] == "ok"
    assert found[(ACTIVATED, 2021)] == found[(ACTIVATED, 2023)] == "suppressed"
    assert "empty" not in set(table.frame["state"])
    (note,) = empty_notes(table)
    assert not note.blocking
    assert "2022, 2023" in note.message and "diskretioneret" in note.message
    assert note.sheet == ("Østerbro" if kind == "xlsx" else "ts")


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_area_list_empty_cell_is_no_row(kind):
    rows = [
        ["Nøgletal for almene afdelinger 2023"],
        [],
        ["Kommune", "Afdeling", "Andel i beskæftigelse (%)", "Andel ledige og aktiverede (%)"],
        ["Guldborgsund", "Østerbro", 42.1, None],
        ["Aalborg", "Løvvangen", None, "<5"],
        ["Holstebro", "Trekanten", 51.6, 7.7],
    ]
    data = xlsx_bytes({"Liste": rows}) if kind == "xlsx" else csv_bytes(rows)
    table = read_table(data, f"liste.{kind}")
    assert not table.blocking, table.problems
    found = cells(table)
    assert ("Østerbro", "Andel ledige og aktiverede (%)", 2023) not in found
    assert ("Løvvangen", "Andel i beskæftigelse (%)", 2023) not in found
    assert found[("Løvvangen", "Andel ledige og aktiverede (%)", 2023)][1] == "suppressed"
    assert found[("Østerbro", "Andel i beskæftigelse (%)", 2023)] == (42.1, "ok")
    assert len(found) == 4
    (note,) = empty_notes(table)
    assert "(år 2023)" in note.message


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_long_table_empty_value_is_no_row(kind):
    rows = [
        ["Område", "Indikator", "År", "Værdi"],
        ["Østerbro", "Andel 18-64-årige i beskæftigelse", 2022, 41.3],
        ["Østerbro", "Andel 18-64-årige i beskæftigelse", 2023, None],
        ["Løvvangen", "Andel ledige og aktiverede", 2023, "diskr."],
        ["Løvvangen", "Andel ledige og aktiverede", 2022, "-"],
    ]
    data = xlsx_bytes({"Data": rows}) if kind == "xlsx" else csv_bytes(rows, "\t")
    table = read_table(data, f"lang.{kind}")
    assert not table.blocking, table.problems
    found = cells(table)
    assert ("Østerbro", "Andel 18-64-årige i beskæftigelse", 2023) not in found
    assert found[("Løvvangen", "Andel ledige og aktiverede", 2023)][1] == "suppressed"
    assert found[("Løvvangen", "Andel ledige og aktiverede", 2022)][1] == "suppressed"  # a dash
    assert len(found) == 3


def test_a_row_shorter_than_the_header_has_empty_trailing_cells():
    # CSV exports drop trailing separators; the missing cells are empty, not an error or a crash.
    data = "Kommune;Afdeling;Indkomst (kr.);Antal beboere\nAalborg;Østerbro;0".encode()
    table = read_table(data, "kort.csv", year=2023)
    assert not table.blocking, table.problems
    assert cells(table) == {("Østerbro", "Indkomst (kr.)", 2023): (0.0, "ok")}
    (note,) = empty_notes(table)
    assert "(år 2023)" in note.message


def test_a_file_of_only_empty_cells_has_no_data():
    rows = [["Område", "Indikator", "År", "Værdi"], ["Østerbro", "Andel i beskæftigelse", 2023, ""]]
    table = read_table(csv_bytes(rows), "tom.csv")
    assert table.blocking
    assert [p.code for p in table.problems if p.blocking] == ["no_data"]


# --------------------------------------------------------------------------------------------
# Storage, and what the bestyrelse reads


@pytest.fixture
def store(engine: Engine) -> Engine:
    load_seed(engine)
    return engine


def commit_rows(
    engine: Engine, rows: list[list[Any]], name: str = "oesterbro.xlsx"
) -> ingest.CommitResult:
    upload = ingest.read_upload(engine, xlsx_bytes({"Østerbro": rows}), name, mapping=MAPPING)
    assert not upload.blocking, upload.errors
    return ingest.commit(engine, upload, user="test")


def employment_indicator(engine: Engine) -> tuple[dict[str, Any], dict[str, Any]]:
    """The employment indikator of Guldborgsund's plan: (snapshot indicator, progress verdict)."""
    (plan,) = store_snapshot(engine, PLAN, actor="test")["plans"]
    result = plan_progress(engine, PLAN, actor="test")
    for subgoal, judged in zip(
        [s for a in plan["agreements"] for s in a["subgoals"]], result["subgoals"], strict=True
    ):
        for indicator, verdict in zip(subgoal["indicators"], judged["indicators"], strict=True):
            if indicator["measure"] == "employed_18_64":
                return indicator, verdict | {"_year": result["year"]}
    raise AssertionError("no employment indikator")


def test_trailing_empty_year_gets_no_observation_and_says_no_figures_yet(store):
    result = commit_rows(store, time_series_rows())
    assert result.batch_id is not None
    assert observation(store, "Østerbro", "employed_18_64", 2023) is None
    assert observation(store, "Østerbro", "unemployed_and_activated", 2022) is None
    assert observation(store, "Østerbro", "unemployed_and_activated", 2023).state == "suppressed"
    assert value(store, "Østerbro", "employed_18_64", 2022) == pytest.approx(41.3)
    assert result.counts["suppressed"] == 2

    indicator, verdict = employment_indicator(store)
    assert verdict["_year"] == 2023  # other indikatorer of the plan have 2023 figures
    assert verdict["status"] == "Mangler data"
    assert verdict["latest"] == {"value": pytest.approx(41.3), "year": 2022, "state": "ok"}
    assert verdict["sentence"].startswith(
        "Der er endnu ingen tal for 2023. Seneste tal er fra 2022."
    )
    assert "diskretioneret" not in verdict["sentence"]
    facts = indicator_card_facts(indicator, verdict)
    assert facts["Seneste værdi"] == "41,3 % (2022)"
    assert not any("iskretioneret" in text for text in facts.values())
    assert empty_state_text(indicator) is None
    figure = indicator_figure(indicator, (dt.date(2022, 8, 1), dt.date(2026, 8, 1)))
    area = next(t for t in figure.data if t.name == "Østerbro")
    assert list(area.x) == [2021, 2022]  # 2023 is a gap: no point, no zero
    assert 0 not in list(area.y)
    assert "iskretioneret" not in figure.to_json()


def test_an_empty_cell_never_deletes_or_overwrites_a_stored_figure(store):
    commit_rows(store, time_series_rows(employed_2023=42.0), "first.xlsx")
    assert value(store, "Østerbro", "employed_18_64", 2023) == pytest.approx(42.0)
    before = content(store)
    upload = ingest.read_upload(
        store, xlsx_bytes({"Østerbro": time_series_rows()}), "second.xlsx", mapping=MAPPING
    )
    changes = ingest.preview(store, upload, actor="test")
    assert not (
        (changes.frame["measure"] == "employed_18_64") & (changes.frame["year"] == 2023)
    ).any()
    result = ingest.commit(store, upload, user="test")
    assert result.batch_id is None  # everything else is already stored: nothing to write
    assert content(store) == before
    assert value(store, "Østerbro", "employed_18_64", 2023) == pytest.approx(42.0)
