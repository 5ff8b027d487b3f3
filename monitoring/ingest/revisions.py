"""Figures in an upload for an indikator's baseline year that differ from the signed delaftale.

The import goes ahead (the file's figure is stored like any other), but the preview says it before
saving: the delaftale's baseline stays the reference and the file's figure is shown beside it as a
revised value (`monitoring.baseline`).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from monitoring.baseline import revised
from monitoring.fmt import format_value
from monitoring.lbf import WARNING, Problem
from monitoring.store.models import Agreement, Indicator, Plan, Subgoal


def baseline_revisions(session: Session, merged: pd.DataFrame) -> list[Problem]:
    """One warning per indikator whose baseline-year figure a new or changed cell would revise.

    `merged` is `changes.diff_with_store`'s frame (measure_id, area_id, year, value, state, status,
    sheet, row, column).
    """
    cells = merged[(merged["status"] != "unchanged") & (merged["state"] == "ok")]
    cells = cells[cells["measure_id"].notna() & cells["area_id"].notna()]
    if cells.empty:
        return []
    query = (
        select(Indicator, Plan.name)
        .join(Subgoal, Subgoal.id == Indicator.subgoal_id)
        .join(Agreement, Agreement.id == Subgoal.agreement_id)
        .join(Plan, Plan.id == Agreement.plan_id)
        .where(Indicator.measure_id.in_(sorted({int(m) for m in cells["measure_id"]})))
        .where(Indicator.area_id.in_(sorted({int(a) for a in cells["area_id"]})))
        .where(Indicator.baseline_year.in_(sorted({int(y) for y in cells["year"]})))
        .where(Indicator.baseline_value.is_not(None))
        .order_by(Plan.name, Indicator.id)
    )
    by_cell = {
        (int(m), int(a), int(y)): (v, s, r, c)
        for m, a, y, v, s, r, c in cells[
            ["measure_id", "area_id", "year", "value", "sheet", "row", "column"]
        ].itertuples(index=False, name=None)
    }
    warnings = []
    for indicator, plan in session.execute(query):
        year, signed, unit = indicator.baseline_year, indicator.baseline_value, indicator.unit
        found = by_cell.get((indicator.measure_id, indicator.area_id, year))
        if found is None or not revised(signed, found[0]):
            continue
        value, sheet, row, column = found
        warnings.append(
            Problem(
                WARNING,
                "baseline_revised",
                f"Filens tal for {year} ({format_value(value, unit)}) afviger fra delaftalens "
                f"baseline ({format_value(signed, unit)}) for indikatoren '{indicator.name}' i {plan}. "
                "Delaftalens baseline bevares som udgangspunkt; filens tal gemmes og vises ved "
                "siden af som revideret tal.",
                sheet=sheet,
                row=int(row),
                column=column,
                text=format_value(value, unit),
            )
        )
    return warnings
