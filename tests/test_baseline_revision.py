"""The delaftale's baseline is kept as signed; a file's other figure for that year stands beside it.

The rule (`monitoring.baseline`), then a real import on SQLite and PostgreSQL: the preview warns,
the reference stays the signed figure, card, sentence, yearly table, chart and Excel report show
both numbers, and undo puts the delaftale's figure back exactly.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from typing import Any

import numpy as np
import openpyxl
import pytest
from sqlalchemy import Engine

from monitoring import ingest
from monitoring.baseline import revised, revised_text
from monitoring.present.charts import indicator_figure
from monitoring.present.views import format_yearly, indicator_card_facts, yearly_values
from monitoring.progress import plan_progress
from monitoring.report.content import load_content
from monitoring.report.workbook import workbook_bytes
from monitoring.seed import SEED_SOURCE, load_seed
from monitoring.show import store_snapshot
from tests.test_ingest import STORE_TABLES, observation, tables
from tests.test_lbf_read import xlsx_bytes

PLAN = "guldborgsund-mit-liv"
PLAN_NAME = "Mit liv – mit sted – min fremtid"
INDICATOR = "Andelen af beboere (18-64 år), der er beskæftiget"
LABEL = "Beskæftigede 18-64 år (pct.)"


@pytest.mark.parametrize(
    ("signed", "figure", "expected"),
    [
        (46.6, 46.2, True),
        (46.6, 46.62, False),  # more decimals than the delaftale wrote: the same figure
        (46.6, 46.7, True),
        (40.0, 40.3, False),  # "40%" as written
        (40.0, 40.6, True),
        (13.9, 13.9, False),
        (364_534.0, 364_534.4, False),
        (364_534.0, 364_600.0, True),
        (2.5, 2.55, False),
        (0.0, 0.4, False),
        (46.6, math.nan, False),
        (math.nan, 46.2, False),
    ],
)
def test_what_counts_as_a_revision(signed, figure, expected):
    assert bool(revised(signed, figure)) is expected


def test_revision_rule_is_vectorised():
    flags = revised(np.array([46.6, 40.0, np.nan]), np.array([46.2, 40.3, 1.0]))
    assert list(flags) == [True, False, False]


def test_revised_text_puts_the_signed_figure_first():
    assert revised_text(46.6, 46.2, "pct") == "46,6 % (revideret: 46,2 %)"
    assert revised_text(364_534, 360_000, "dkk") == "364.534 kr. (revideret: 360.000 kr.)"


# --------------------------------------------------------------------------------------------
# An import that revises Østerbro's employment baseline (40 % in 2021)


@pytest.fixture
def store(engine: Engine) -> Engine:
    load_seed(engine)
    return engine


def upload_of(engine: Engine, baseline_year_value: float) -> ingest.Upload:
    rows = [
        ["Beboerdata"],
        ["Østerbro, Guldborgsund Kommune"],
        [],
        [None, 2021, 2022, 2023],
        [LABEL, baseline_year_value, 40.6, 41.5],
    ]
    upload = ingest.read_upload(
        engine,
        xlsx_bytes({"Østerbro": rows}),
        "oesterbro.xlsx",
        mapping={LABEL: "employed_18_64"},
    )
    assert not upload.blocking, upload.errors
    return upload


def employment(engine: Engine) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(plan snapshot, employment indikator in it, its progress verdict)."""
    (plan,) = store_snapshot(engine, PLAN, actor="test")["plans"]
    result = plan_progress(engine, PLAN, actor="test")
    subgoal, judged = plan["agreements"][0]["subgoals"][0], result["subgoals"][0]
    return plan, subgoal["indicators"][0], judged["indicators"][0]


def test_preview_warns_before_saving(store):
    upload = upload_of(store, 38.9)
    changes = ingest.preview(store, upload, actor="test")
    (warning,) = changes.warnings
    assert not warning.blocking and warning.code == "baseline_revised"
    for part in (INDICATOR, PLAN_NAME, "2021", "40,0 %", "38,9 %"):
        assert part in warning.message, part
    assert (warning.sheet, warning.row, warning.column) == ("Østerbro", 5, "B")
    report = ingest.report(upload, changes, dry_run=True)
    assert warning.to_dict() in report["problems"]
    assert report["counts"]["warnings"] == len(upload.warnings) + 1
    assert any("38,9 %" in line for line in ingest.report_lines(report))
    # Nothing is written by the preview.
    assert observation(store, "Østerbro", "employed_18_64", 2021).source == SEED_SOURCE


def test_same_figure_at_the_delaftale_s_precision_is_no_warning(store):
    changes = ingest.preview(store, upload_of(store, 40.3), actor="test")
    assert changes.warnings == []


def test_signed_baseline_stays_the_reference_and_undo_is_exact(store):
    before = store_snapshot(store, actor="test"), tables(store, STORE_TABLES)
    result = ingest.commit(store, upload_of(store, 38.9), user="test")
    stored = observation(store, "Østerbro", "employed_18_64", 2021)
    assert stored.value == pytest.approx(38.9) and stored.source.startswith("Upload")

    plan, indicator, verdict = employment(store)
    assert verdict["reference"] == {
        "value": 40.0,
        "year": 2021,
        "from_baseline": True,
        "revised_value": pytest.approx(38.9),
    }
    assert verdict["change"] == pytest.approx(1.5)  # 41,5 − the signed 40,0
    assert "er steget fra 40,0 % (2021) til 41,5 % (2023)" in verdict["sentence"]
    assert "revideret til 38,9 %; udviklingen regnes fra delaftalens 40,0 %" in verdict["sentence"]

    facts = indicator_card_facts(indicator, verdict)
    assert facts["Baseline (2021)"].startswith("40,0 % (revideret: 38,9 %)")
    assert facts["Ændring siden baseline (2021)"] == "+1,5 procentpoint"

    subgoal = plan["agreements"][0]["subgoals"][0]
    values = yearly_values(subgoal)
    own = values[(values["Indikator"] == INDICATOR) & (values["Område"] == "Østerbro")].iloc[0]
    assert own["2021"] == 40.0 and own["Revideret baselinetal"] == pytest.approx(38.9)
    assert own["Baselineår"] == 2021
    shown = format_yearly(values)
    assert shown.loc[own.name, "2021"] == "40,0 % (revideret: 38,9 %)"
    assert "Revideret baselinetal" not in shown.columns
    kommune = values[values["Område"] == "Guldborgsund Kommune"].iloc[0]
    assert math.isnan(kommune["Revideret baselinetal"])

    figure = indicator_figure(indicator, (dt.date(2022, 8, 1), dt.date(2026, 8, 1)))
    diamond = next(t for t in figure.data if t.name == "Baseline")
    assert list(diamond.y) == [40.0]
    assert "Baseline 2021: 40,0 % (revideret: 38,9 %)" in diamond.hovertemplate

    workbook = openpyxl.load_workbook(
        io.BytesIO(workbook_bytes(load_content(store, PLAN, actor="test")))
    )
    status = list(workbook["Status"].iter_rows(values_only=True))
    first = dict(zip(status[0], status[1], strict=True))
    assert first["Reference"] == 40.0
    assert first["Revideret baselinetal"] == pytest.approx(38.9)
    yearly = list(workbook["Delmål 1"].iter_rows(values_only=True))
    header = yearly[0]
    row = next(
        dict(zip(header, r, strict=True))
        for r in yearly[1:]
        if r[header.index("Indikator")] == INDICATOR and r[header.index("Område")] == "Østerbro"
    )
    assert row["2021"] == 40.0 and row["Revideret baselinetal"] == pytest.approx(38.9)

    ingest.undo(store, result.batch_id, user="test")
    assert (store_snapshot(store, actor="test"), tables(store, STORE_TABLES)) == before
    assert observation(store, "Østerbro", "employed_18_64", 2021).source == SEED_SOURCE
    assert employment(store)[2]["reference"]["revised_value"] is None


def test_a_revision_that_matches_the_signed_figure_again_is_no_revision(store):
    ingest.commit(store, upload_of(store, 38.9), user="test")
    changes = ingest.preview(store, upload_of(store, 40.0), actor="test")
    assert changes.warnings == []  # back to the signed figure: nothing to warn about
    ingest.commit(store, upload_of(store, 40.0), user="test")
    assert employment(store)[2]["reference"]["revised_value"] is None
