"""Negative development: the last years of every measure, flagged where an area moved the wrong way.

One loader (set-based SQL) and pure pandas; `alerts_json` is the `alerts --json` contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, and_, case, func, literal, select
from sqlalchemy.sql import ColumnElement

from monitoring.access.actor import Actor
from monitoring.access.checks import require_comparison_visible
from monitoring.compare.queries import (
    DECIMALS,
    AreaFilter,
    area_conditions,
    area_names,
    measure_row,
    records,
)
from monitoring.compare.ranking import change, change_word
from monitoring.errors import MonitorError
from monitoring.store.models import (
    Area,
    Measure,
    Observation,
)


@dataclass(frozen=True)
class Thresholds:
    """How large a worsening must be to alert (strictly larger than the threshold).

    pct_points_*: for pct measures, in percentage points; relative_pct_*: for count and dkk
    measures, in percent of the earlier value. *_1y: last year; *_3y: last three years.
    """

    pct_points_1y: float = 2.0
    pct_points_3y: float = 4.0
    relative_pct_1y: float = 10.0
    relative_pct_3y: float = 20.0

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if value is None or not np.isfinite(value) or value < 0:
                raise MonitorError(
                    f"Tærsklen {name} skal være et tal på 0 eller mere (fik {value})."
                )

    def for_unit(self, unit: str) -> tuple[float, float]:
        if unit == "pct":
            return self.pct_points_1y, self.pct_points_3y
        return self.relative_pct_1y, self.relative_pct_3y


ALERT_INPUT_COLUMNS = [
    "measure",
    "measure_name",
    "unit",
    "direction",
    "area_id",
    "area",
    "kind",
    "kommune",
    "year",
    "value",
    "value_1y",
    "value_3y",
]


def load_alert_inputs(
    engine: Engine,
    filters: AreaFilter | None = None,
    measure_key: str | None = None,
    year: int | None = None,
    *,
    actor: Actor | str,
) -> pd.DataFrame:
    """Per measure × area: the value in the alert year, one year and three years before.

    The alert year is `year`, else each measure's latest year with a value. Only measures with a
    direction (±1) and a numeric unit. Areas outside `actor`'s plans and kommuner are refused.
    """
    filters = filters or AreaFilter()
    require_comparison_visible(engine, actor, filters.kommune, filters.plan)
    return _alert_rows(engine, filters, measure_key, year)


def _alert_rows(
    engine: Engine, filters: AreaFilter, measure_key: str | None, year: int | None
) -> pd.DataFrame:
    """One statement: the alert years are computed once per measure (a materialised CTE), the
    three years are picked with conditional aggregation, so only one row of ids and numbers per
    measure × area leaves the database; names come from `area_names`.
    """
    measure_conditions: list[ColumnElement[bool]] = [
        Measure.unit != "status",
        Measure.direction != 0,
    ]
    if measure_key:
        measure_conditions.append(Measure.id == measure_row(engine, measure_key)["id"])
    obs = Observation.__table__
    inner = obs.alias("latest_obs")
    if year is None:
        alert_year: Any = (
            select(func.max(inner.c.year))
            .where(
                inner.c.measure_id == Measure.id,
                inner.c.state == "ok",
                inner.c.value.is_not(None),
            )
            .scalar_subquery()
        )
    else:
        alert_year = literal(int(year))
    latest = (
        select(Measure.id.label("measure_id"), alert_year.label("year"))
        .where(*measure_conditions)
        .cte("alert_year")
        # Computed once (one index lookup per measure), not re-evaluated for every observation.
        .prefix_with("MATERIALIZED")
    )
    area = Area.__table__.alias("a")
    conditions, _ = area_conditions(engine, filters, area)

    def at(offset: int) -> Any:
        return func.max(case((obs.c.year == latest.c.year - offset, obs.c.value)))

    stmt = (
        select(latest.c.measure_id, obs.c.area_id, latest.c.year, at(0), at(1), at(3))
        .select_from(latest)
        .join(
            obs,
            and_(
                obs.c.measure_id == latest.c.measure_id,
                obs.c.year.in_([latest.c.year, latest.c.year - 1, latest.c.year - 3]),
            ),
        )
        .join(area, area.c.id == obs.c.area_id)
        .where(obs.c.state == "ok", obs.c.value.is_not(None), *conditions)
        .group_by(latest.c.measure_id, obs.c.area_id, latest.c.year)
    )
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
        measures = conn.execute(
            select(Measure.id, Measure.key, Measure.name, Measure.unit, Measure.direction)
        ).all()
    cells = records(rows, ["measure_id", "area_id", "year", "value", "value_1y", "value_3y"])
    for column in ("value", "value_1y", "value_3y"):
        cells[column] = pd.to_numeric(cells[column], errors="coerce").astype("float64")
    cells = cells[cells["value"].notna()]
    measure_frame = pd.DataFrame.from_records(
        measures, columns=["measure_id", "measure", "measure_name", "unit", "direction"]
    )
    frame = cells.merge(measure_frame, on="measure_id").merge(
        area_names(engine), on="area_id", how="left"
    )
    frame["year"] = frame["year"].astype("int64")
    frame["direction"] = frame["direction"].astype("int64")
    return frame[ALERT_INPUT_COLUMNS].reset_index(drop=True)


ALERT_COLUMNS = [
    *ALERT_INPUT_COLUMNS,
    "change_1y",
    "change_3y",
    "worsening_1y",
    "worsening_3y",
    "flagged_1y",
    "flagged_3y",
    "size",
]


def negative_development(
    inputs: pd.DataFrame, thresholds: Thresholds | None = None
) -> pd.DataFrame:
    """Areas where a measure moved the wrong way by more than a threshold, largest first.

    inputs: rows like `load_alert_inputs` (value, value_1y, value_3y per measure × area).
    change_* is the change in the measure's own terms (pp for pct, relative % otherwise);
    worsening_* is that change against the direction (positive = worse). A window alerts when its
    worsening is strictly larger than its threshold; a missing or suppressed comparison year gives
    no change (never zero) and so no alert for that window. `size` is the larger flagged
    worsening; rows are ordered by size (then measure and area).
    """
    thresholds = thresholds or Thresholds()
    if inputs.empty:
        return pd.DataFrame(columns=ALERT_COLUMNS)
    frame = inputs[inputs["direction"].isin([1, -1]) & (inputs["unit"] != "status")].copy()
    if frame.empty:
        return pd.DataFrame(columns=ALERT_COLUMNS)
    frame["change_1y"] = np.nan
    frame["change_3y"] = np.nan
    frame["threshold_1y"] = np.nan
    frame["threshold_3y"] = np.nan
    for unit, rows in frame.groupby("unit").groups.items():
        part = frame.loc[rows]
        frame.loc[rows, "change_1y"] = change(part["value"], part["value_1y"], str(unit))
        frame.loc[rows, "change_3y"] = change(part["value"], part["value_3y"], str(unit))
        one, three = thresholds.for_unit(str(unit))
        frame.loc[rows, "threshold_1y"] = one
        frame.loc[rows, "threshold_3y"] = three
    frame["worsening_1y"] = np.round(-frame["change_1y"] * frame["direction"], DECIMALS)
    frame["worsening_3y"] = np.round(-frame["change_3y"] * frame["direction"], DECIMALS)
    frame["flagged_1y"] = (frame["worsening_1y"] > frame["threshold_1y"]).fillna(False)
    frame["flagged_3y"] = (frame["worsening_3y"] > frame["threshold_3y"]).fillna(False)
    frame = frame[frame["flagged_1y"] | frame["flagged_3y"]].copy()
    frame["size"] = np.fmax(
        frame["worsening_1y"].where(frame["flagged_1y"]),
        frame["worsening_3y"].where(frame["flagged_3y"]),
    )
    frame = frame.sort_values(
        ["size", "measure", "area"], ascending=[False, True, True], kind="mergesort"
    )
    frame["flagged_1y"] = frame["flagged_1y"].astype(bool)
    frame["flagged_3y"] = frame["flagged_3y"].astype(bool)
    return frame[ALERT_COLUMNS].reset_index(drop=True)


def alerts(
    engine: Engine,
    filters: AreaFilter | None = None,
    measure_key: str | None = None,
    thresholds: Thresholds | None = None,
    year: int | None = None,
    *,
    actor: Actor | str,
) -> pd.DataFrame:
    """The negative-development list straight from the store (load + `negative_development`)."""
    inputs = load_alert_inputs(engine, filters, measure_key, year, actor=actor)
    return negative_development(inputs, thresholds)


def alerts_json(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The alert rows as plain JSON-ready dicts (numbers as numbers, None for missing)."""

    def number(value: Any) -> float | None:
        return None if value is None or pd.isna(value) else round(float(value), 6)

    return [
        {
            "measure": row["measure"],
            "measure_name": row["measure_name"],
            "unit": row["unit"],
            "direction": int(row["direction"]),
            "area": row["area"],
            "area_kind": row["kind"],
            "kommune": None if pd.isna(row["kommune"]) else row["kommune"],
            "year": int(row["year"]),
            "value": number(row["value"]),
            "value_1y_ago": number(row["value_1y"]),
            "value_3y_ago": number(row["value_3y"]),
            "change_1y": number(row["change_1y"]),
            "change_3y": number(row["change_3y"]),
            "change_kind": "procentpoint" if row["unit"] == "pct" else "relativ (%)",
            "worsening_1y": number(row["worsening_1y"]),
            "worsening_3y": number(row["worsening_3y"]),
            "flagged_1y": bool(row["flagged_1y"]),
            "flagged_3y": bool(row["flagged_3y"]),
            "size": number(row["size"]),
        }
        for row in frame.to_dict("records")
    ]


def alerts_export(frame: pd.DataFrame) -> pd.DataFrame:
    """The alert list with Danish column names and numeric cells, for CSV/Excel and the page."""
    return pd.DataFrame(
        {
            "Mål": frame["measure_name"],
            "Område": frame["area"],
            "Type": frame["kind"],
            "Kommune": frame["kommune"],
            "År": frame["year"].astype("int64"),
            "Værdi": frame["value"].astype("float64"),
            "Værdi 1 år før": frame["value_1y"].astype("float64"),
            "Ændring 1 år": frame["change_1y"].astype("float64"),
            "Værdi 3 år før": frame["value_3y"].astype("float64"),
            "Ændring 3 år": frame["change_3y"].astype("float64"),
            "Ændring målt i": frame["unit"].map(change_word),
            "Over tærskel 1 år": frame["flagged_1y"].astype(bool),
            "Over tærskel 3 år": frame["flagged_3y"].astype(bool),
            "Udslag": frame["size"].astype("float64"),
        }
    )
