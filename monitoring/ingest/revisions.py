"""Figures in an upload for a baseline year that differ from the signed delaftale (an indikator's
baseline or a comparator's).

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
from monitoring.store.models import Agreement, Comparator, Indicator, Plan, Subgoal


def _signed_baselines(session: Session, measures: list[int], years: list[int]):
    """(measure, area, year, signed value, unit, (text before, after the value)) of every signed
    baseline for the measures and years: each indikator's own, and each comparator's ("anden
    baseline") for the indikator's measure. Not narrowed by area: a national file names tens of
    thousands of areas (one bound parameter each), the store has a few hundred baselines."""
    in_plan = (
        select(Indicator, Plan.name)
        .join(Subgoal, Subgoal.id == Indicator.subgoal_id)
        .join(Agreement, Agreement.id == Subgoal.agreement_id)
        .join(Plan, Plan.id == Agreement.plan_id)
        .where(Indicator.measure_id.in_(measures))
        .order_by(Plan.name, Indicator.id)
    )
    own = in_plan.where(Indicator.baseline_year.in_(years)).where(
        Indicator.baseline_value.is_not(None)
    )
    for ind, plan in session.execute(own):
        what = ("delaftalens baseline (", f") for indikatoren '{ind.name}' i {plan}")
        yield ind.measure_id, ind.area_id, ind.baseline_year, ind.baseline_value, ind.unit, what
    compared = (
        in_plan.add_columns(Comparator)
        .join(Comparator, Comparator.indicator_id == Indicator.id)
        .where(Comparator.baseline_year.in_(years))
        .where(Comparator.baseline_value.is_not(None))
    )
    for ind, plan, comp in session.execute(compared):
        what = (
            f"delaftalens sammenligningstal for {comp.label} (",
            f") ved indikatoren '{ind.name}' i {plan}",
        )
        yield ind.measure_id, comp.area_id, comp.baseline_year, comp.baseline_value, ind.unit, what


def baseline_revisions(session: Session, merged: pd.DataFrame) -> list[Problem]:
    """One warning per signed baseline (an indikator's or a comparator's) whose baseline-year
    figure a new or changed cell would revise.

    `merged` is `changes.diff_with_store`'s frame (measure_id, area_id, year, value, state, status,
    sheet, row, column).
    """
    wanted = (
        (merged["status"] != "unchanged")
        & (merged["state"] == "ok")
        & merged["measure_id"].notna()
        & merged["area_id"].notna()
    )
    if not wanted.any():
        return []
    changed = merged.loc[wanted, ["measure_id", "area_id", "year"]]
    measures = sorted(int(m) for m in changed["measure_id"].unique())
    years = sorted(int(y) for y in changed["year"].dropna().unique())
    baselines = list(_signed_baselines(session, measures, years))
    if not baselines:
        return []
    # Only the cells of a signed baseline's area are looked at (a few, of a national file's).
    areas = {area_id for _, area_id, *_ in baselines}
    touched = wanted & merged["area_id"].isin(areas)
    by_cell = {
        (int(m), int(a), int(y)): (v, s, r, c)
        for m, a, y, v, s, r, c in merged.loc[
            touched, ["measure_id", "area_id", "year", "value", "sheet", "row", "column"]
        ].itertuples(index=False, name=None)
    }
    warnings = []
    for measure_id, area_id, year, signed, unit, what in baselines:
        found = by_cell.get((measure_id, area_id, year))
        if found is None or not revised(signed, found[0]):
            continue
        value, sheet, row, column = found
        warnings.append(
            Problem(
                WARNING,
                "baseline_revised",
                f"Filens tal for {year} ({format_value(value, unit)}) afviger fra "
                + what[0]
                + format_value(signed, unit)
                + what[1]
                + ". Delaftalens tal bevares som udgangspunkt; filens tal gemmes og vises ved "
                "siden af som revideret tal.",
                sheet=sheet,
                row=None if row is None or pd.isna(row) else int(row),
                column=column,
                text=format_value(value, unit),
            )
        )
    return warnings
