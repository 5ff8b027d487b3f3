"""The progress engine's inputs, read from the store as plain DataFrames with a few set-based queries.

`load_progress_inputs(engine)` returns every plan, indicator, comparator and the observations of the
measure × area cells those indicators and comparators point at (four queries, whatever the number
of plans). `monitoring.progress` turns these frames into results without touching the database.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine, func, select, union
from sqlalchemy.orm import Session

from monitoring.errors import MonitorError
from monitoring.store.models import (
    Agreement,
    Area,
    Comparator,
    Indicator,
    Measure,
    Observation,
    Plan,
    Subgoal,
)

PLAN_COLUMNS = ("plan_id", "slug", "name", "period_start", "period_end")
INDICATOR_COLUMNS = (
    "indicator_id",
    "plan_id",
    "agreement_id",
    "area_of_effort",
    "subgoal_id",
    "subgoal_position",
    "subgoal_text",
    "position",
    "name",
    "measure_id",
    "measure_key",
    "measure_name",
    "area_id",
    "area_name",
    "unit",
    "direction",
    "baseline_value",
    "baseline_year",
    "baseline_note",
    "target_value",
    "target_year",
    "target_note",
    "deadline",
    "period_start",
    "period_end",
)
COMPARATOR_COLUMNS = (
    "comparator_id",
    "indicator_id",
    "position",
    "label",
    "area_id",
    "area_name",
    "area_kind",
    "baseline_value",
    "baseline_year",
)
OBSERVATION_COLUMNS = ("measure_id", "area_id", "year", "value", "state")

_FLOAT_COLUMNS = ("baseline_value", "baseline_year", "target_value", "target_year", "value")
_DATE_COLUMNS = ("period_start", "period_end", "deadline")
_INT_COLUMNS = (
    "plan_id",
    "indicator_id",
    "comparator_id",
    "agreement_id",
    "subgoal_id",
    "subgoal_position",
    "position",
    "measure_id",
    "area_id",
    "direction",
    "year",
)


@dataclass(frozen=True)
class ProgressInputs:
    """Frames in the shapes `monitoring.progress` expects.

    plans: one row per plan (period = earliest agreement start to latest agreement end).
    indicators: one row per indicator, in document order (agreement, delmål, indicator), with its
        plan, delmål, measure, area, baseline, target, deadline and agreement period.
    comparators: one row per comparator ("anden baseline") with its area and baseline.
    observations: the observations of every measure × area cell the indicators and comparators use.

    Years that may be unknown (baseline_year, target_year) are floats with NaN; dates are
    datetime64 with NaT.
    """

    plans: pd.DataFrame
    indicators: pd.DataFrame
    comparators: pd.DataFrame
    observations: pd.DataFrame


def frame(rows: list | dict | None, columns: tuple[str, ...]) -> pd.DataFrame:
    """A frame with exactly `columns` and the dtypes the engine expects, also when empty."""
    data = pd.DataFrame(rows if rows is not None else [], columns=list(columns))
    for column in columns:
        if column in _FLOAT_COLUMNS:
            data[column] = pd.to_numeric(data[column], errors="coerce").astype("float64")
        elif column in _DATE_COLUMNS:
            data[column] = pd.to_datetime(data[column]).astype("datetime64[ns]")
        elif column in _INT_COLUMNS:
            data[column] = data[column].astype(np.int64)
    return data


def _plan_filter(slug: str | None):
    return [] if slug is None else [Plan.slug == slug]


# Long: four set-based queries and their column lists, read in one session.
def load_progress_inputs(engine: Engine, slug: str | None = None) -> ProgressInputs:
    """Everything the progress engine needs for one plan (slug) or all plans, in four queries.

    An unknown slug raises MonitorError with a Danish sentence naming the known plans. No `actor`:
    this is the input of `plan_progress` and `all_plans_progress`, which check the actor's scope
    first; callers outside `monitoring.progress` use those.
    """
    where = _plan_filter(slug)
    with Session(engine) as session:
        plan_rows = session.execute(
            select(
                Plan.id,
                Plan.slug,
                Plan.name,
                func.min(Agreement.period_start),
                func.max(Agreement.period_end),
            )
            .outerjoin(Agreement, Agreement.plan_id == Plan.id)
            .where(*where)
            .group_by(Plan.id, Plan.slug, Plan.name)
            .order_by(Plan.name)
        ).all()
        if slug is not None and not plan_rows:
            known = ", ".join(session.scalars(select(Plan.slug).order_by(Plan.slug))) or "ingen"
            raise MonitorError(f"Helhedsplanen '{slug}' findes ikke (kendte planer: {known}).")

        indicator_rows = session.execute(
            select(
                Indicator.id,
                Agreement.plan_id,
                Agreement.id,
                Agreement.area_of_effort,
                Subgoal.id,
                Subgoal.position,
                Subgoal.text,
                Indicator.position,
                Indicator.name,
                Indicator.measure_id,
                Measure.key,
                Measure.name,
                Indicator.area_id,
                Area.name,
                Indicator.unit,
                Indicator.direction,
                Indicator.baseline_value,
                Indicator.baseline_year,
                Indicator.baseline_note,
                Indicator.target_value,
                Indicator.target_year,
                Indicator.target_note,
                Indicator.deadline,
                Agreement.period_start,
                Agreement.period_end,
            )
            .join(Subgoal, Subgoal.id == Indicator.subgoal_id)
            .join(Agreement, Agreement.id == Subgoal.agreement_id)
            .join(Plan, Plan.id == Agreement.plan_id)
            .join(Measure, Measure.id == Indicator.measure_id)
            .join(Area, Area.id == Indicator.area_id)
            .where(*where)
            .order_by(Agreement.plan_id, Agreement.id, Subgoal.position, Indicator.position)
        ).all()

        plan_indicators = (
            select(Indicator.id)
            .join(Subgoal, Subgoal.id == Indicator.subgoal_id)
            .join(Agreement, Agreement.id == Subgoal.agreement_id)
            .join(Plan, Plan.id == Agreement.plan_id)
            .where(*where)
        )
        comparator_rows = session.execute(
            select(
                Comparator.id,
                Comparator.indicator_id,
                Comparator.position,
                Comparator.label,
                Comparator.area_id,
                Area.name,
                Area.kind,
                Comparator.baseline_value,
                Comparator.baseline_year,
            )
            .join(Area, Area.id == Comparator.area_id)
            .where(Comparator.indicator_id.in_(plan_indicators))
            .order_by(Comparator.indicator_id, Comparator.position)
        ).all()

        own_cells = select(Indicator.measure_id, Indicator.area_id).where(
            Indicator.id.in_(plan_indicators)
        )
        comparator_cells = (
            select(Indicator.measure_id, Comparator.area_id)
            .join(Indicator, Indicator.id == Comparator.indicator_id)
            .where(Indicator.id.in_(plan_indicators))
        )
        cells = union(own_cells, comparator_cells).subquery()
        observation_rows = session.execute(
            select(
                Observation.measure_id,
                Observation.area_id,
                Observation.year,
                Observation.value,
                Observation.state,
            ).join(
                cells,
                (Observation.measure_id == cells.c.measure_id)
                & (Observation.area_id == cells.c.area_id),
            )
        ).all()

    return ProgressInputs(
        plans=frame([tuple(r) for r in plan_rows], PLAN_COLUMNS),
        indicators=frame([tuple(r) for r in indicator_rows], INDICATOR_COLUMNS),
        comparators=frame([tuple(r) for r in comparator_rows], COMPARATOR_COLUMNS),
        observations=frame([tuple(r) for r in observation_rows], OBSERVATION_COLUMNS),
    )
