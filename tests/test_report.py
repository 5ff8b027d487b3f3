"""The bestyrelse's Excel report: the figures typed into the store, their change since the
delaftale's baseline and the status each earns, as numbers in the cells."""

import io

import openpyxl
import pytest

from monitoring import ingest
from monitoring.manual_entry import entry_file
from monitoring.present.report import plan_report
from monitoring.progress import plan_progress
from monitoring.seed import load_seed
from monitoring.show import store_snapshot

SLUG = "guldborgsund-mit-liv"
# measure -> (year, value typed for Østerbro); baselines come from the delaftale
TYPED = {
    "employed_18_64": (2023, "43,0"),  # up 3 points, up is good
    "immigrants_outside_labour_force_30_64": (2023, "30,5"),  # up 3 points, down is good
    "passive_cash_benefit_30_64": (2023, "28,6"),  # up 0.2 points: within 1 point, unchanged
    "youth_education_25_34": (2022, "50,6"),  # up 4 points, but nothing for 2023
}
# (status, reference, reference year, latest, latest year, change), in the delaftale's order
EXPECTED = [
    ("På rette vej", 40.0, 2021, 43.0, 2023, 3.0),
    ("Går den forkerte vej", 27.5, 2021, 30.5, 2023, 3.0),
    ("Uændret", 28.4, 2021, 28.6, 2023, 0.2),
    ("Mangler data", 30.3, 2020, 30.3, 2020, None),  # nothing since the baseline
    ("Mangler data", 46.6, None, 50.6, 2022, 4.0),  # no 2023 figure; an undated baseline
]


def _sheet(workbook, name):
    rows = list(workbook[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_report_states_the_typed_figures_their_change_and_status(sqlite_engine):
    engine = sqlite_engine
    load_seed(engine)
    cells = [("Østerbro", key, year, text) for key, (year, text) in TYPED.items()]
    upload = ingest.read_upload(engine, entry_file(cells), "indtastning.csv")
    assert ingest.commit(engine, upload, user="test").batch_id is not None

    plan = store_snapshot(engine, SLUG)["plans"][0]
    report = plan_report(plan, plan_progress(engine, SLUG, 2023), demo=False)
    workbook = openpyxl.load_workbook(io.BytesIO(report))
    assert workbook.sheetnames == ["Om rapporten", "Status", "Årlige værdier"]
    about = {row[0]: row[1] for row in workbook["Om rapporten"].iter_rows(values_only=True)}
    assert about["Statusår"] == "2023" and "ADVARSEL" not in about

    shown = [
        (
            row["Status"],
            row["Reference"],
            row["Referenceår"],
            row["Seneste værdi"],
            row["Seneste år"],
            row["Ændring"],
        )
        for row in _sheet(workbook, "Status")
    ]
    assert [row[:5] for row in shown] == [row[:5] for row in EXPECTED]
    for (*_, change), (*_, expected) in zip(shown, EXPECTED, strict=True):
        assert change == (None if expected is None else pytest.approx(expected))
    first = _sheet(workbook, "Status")[0]
    assert first["Vurdering"].startswith("Andelen af 18-64-årige i beskæftigelse er steget fra")
    assert "40,0 % (2021) til 43,0 % (2023)" in first["Vurdering"]
