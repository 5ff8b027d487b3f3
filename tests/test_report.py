"""The bestyrelse's Excel report: the same figures as the Helhedsplan page, numbers as numbers."""

import io

import openpyxl

from monitoring.db import get_engine
from monitoring.progress import plan_progress
from monitoring.report import plan_report


def test_report_has_status_per_indicator_and_numeric_values(demo_url):
    engine = get_engine(demo_url)
    result = plan_progress(engine, "guldborgsund-mit-liv", 2023)
    from monitoring.show import store_snapshot

    plan = store_snapshot(engine, "guldborgsund-mit-liv")["plans"][0]
    workbook = openpyxl.load_workbook(io.BytesIO(plan_report(plan, result, demo=True)))
    assert workbook.sheetnames == ["Om rapporten", "Status", "Årlige værdier"]
    about = {row[0]: row[1] for row in workbook["Om rapporten"].iter_rows(values_only=True)}
    assert about["Statusår"] == "2023" and "Demodata" in about["ADVARSEL"]
    status = list(workbook["Status"].iter_rows(values_only=True))
    header, rows = status[0], status[1:]
    assert len(rows) == 5
    first = dict(zip(header, rows[0], strict=True))
    assert first["Reference"] == 40.0 and first["Referenceår"] == 2021
    assert isinstance(first["Seneste værdi"], float)
    assert first["Status"] in {"På rette vej", "Uændret", "Går den forkerte vej", "Mangler data"}
    assert first["Vurdering"].startswith("Andelen af 18-64-årige i beskæftigelse")
