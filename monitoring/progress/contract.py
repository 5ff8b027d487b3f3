"""The `progress --json` contract: the engine's frames as plans → delmål → indikatorer.

`plan_progress` / `all_plans_progress` are the two calls the pages and the CLI use.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import pandas as pd

from monitoring.access.actor import Actor
from monitoring.access.checks import in_scope, require_plan_visible
from monitoring.errors import MonitorError
from monitoring.fmt import (
    MILESTONE_STATES,
)
from monitoring.progress.engine import (
    ACHIEVED,
    DEFAULT,
    STATUSES,
    Tolerance,
    compute_progress,
    plan_status_years,
    plan_years,
)
from monitoring.progress.inputs import ProgressInputs, load_progress_inputs
from monitoring.progress.jsonvalues import (
    JSON_DECIMALS,
    json_bool,
    json_float,
    json_int,
    json_iso,
    json_text,
)
from monitoring.progress.sentences import indicator_sentence, subgoal_summary
from monitoring.vocabulary import Status

if TYPE_CHECKING:
    from sqlalchemy import Engine


def _tolerance_of(unit: str, tolerance: Tolerance) -> dict[str, Any] | None:
    if unit == "pct":
        return {"value": tolerance.pct_points, "kind": "procentpoint"}
    if unit in ("count", "dkk"):
        return {"value": tolerance.relative_pct, "kind": "relativ (%)"}
    return None


def _comparator_json(comp: dict[str, Any]) -> dict[str, Any]:
    return {
        "label": comp["label"],
        "area": comp["area_name"],
        "area_kind": comp["area_kind"],
        "value": json_float(comp["value_now"]),
        "year": json_int(comp["year_now"]),
        "value_at_reference": json_float(comp["value_ref"]),
        "gap_at_reference": json_float(comp["gap_ref"]),
        "gap_now": json_float(comp["gap_now"]),
        "gap_closed_share": json_float(comp["closed"]),
        "passed": json_bool(comp["passed"]),
        "ahead_at_reference": json_bool(comp["ahead_at_reference"]),
    }


def indicator_json(
    ind: dict[str, Any], comparators: list[dict[str, Any]], tolerance: Tolerance
) -> dict[str, Any]:
    """One indicator in the `progress --json` shape, from a result row and its comparator rows."""
    unit = ind["unit"]
    milestone = None
    if unit == "status":
        code = ind["milestone_code"]
        milestone = {
            "state": None if math.isnan(code) else MILESTONE_STATES[int(code)],
            "achieved_in": json_int(ind["state_since"]) if code == ACHIEVED else None,
            "deadline": json_iso(ind["deadline"]),
            "overdue": json_bool(ind["overdue"]),
        }
    target = None
    if not math.isnan(ind["target_value"]) and unit != "status":
        target = {
            "value": json_float(ind["target_value"]),
            "year": json_int(ind["target_year"]),
            "progress": json_float(ind["progress"]),
            "on_track": json_bool(ind["on_track"]),
            "reached": json_bool(ind["reached"]),
            "expected_share": json_float(ind["expected_share"]),
        }
    trend = None
    if not math.isnan(ind["slope"]):
        trend = {
            "slope": json_float(ind["slope"]),
            "projected_value": json_float(ind["projected_value"]),
            "projected_year": json_int(ind["projected_year"]),
            "points": json_int(ind["trend_points"]),
        }
    return {
        "id": int(ind["indicator_id"]),
        "name": ind["name"],
        "status": Status(ind["status"]).label,
        "status_code": str(ind["status"]),
        "sentence": indicator_sentence(ind, comparators),
        "unit": unit,
        "direction": int(ind["direction"]),
        "measure": ind["measure_key"],
        "measure_name": json_text(ind["measure_name"]),
        "area": ind["area_name"],
        "reference": {
            "value": json_float(ind["ref_value"]),
            "year": json_int(ind["ref_year"]),
            "from_baseline": bool(ind["from_baseline"]),
            "revised_value": json_float(ind["revised_value"]),
        },
        "baseline_note": json_text(ind["baseline_note"]),
        "latest": {
            "value": json_float(ind["latest_value"]),
            "year": json_int(ind["latest_year"]),
            "state": json_text(ind["latest_state"]) or "missing",
        },
        "last_data_year": json_int(ind["last_year"]),
        "last_data_value": json_float(ind["last_value"]),
        "change": json_float(ind["change"]),
        "change_relative": json_float(ind["change_relative"]),
        "improvement": json_float(ind["improvement"]),
        "target": target,
        "trend": trend,
        "comparators": [_comparator_json(c) for c in comparators],
        "milestone": milestone,
        "tolerance": _tolerance_of(unit, tolerance),
    }


def _elapsed_share(start: Any, end: Any, year: int) -> float | None:
    if pd.isna(start) or pd.isna(end):
        return None
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    total = (end - start).days
    if total <= 0:
        return 1.0
    passed = (pd.Timestamp(year=year, month=12, day=31) - start).days
    return round(min(1.0, max(0.0, passed / total)), JSON_DECIMALS)


def progress_from_inputs(
    inputs: ProgressInputs,
    year: int | None = None,
    tolerance: Tolerance = DEFAULT,
    today: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Every plan in `inputs` in the `progress --json` shape: one vectorised pass, then dicts."""
    today = today or dt.date.today()
    years = plan_years(inputs)
    status_years = plan_status_years(inputs, years, year, today)
    indicators = inputs.indicators.assign(
        status_year=inputs.indicators["plan_id"].map(status_years).astype("int64")
    )
    result, comps = compute_progress(
        indicators, inputs.comparators, inputs.observations, tolerance=tolerance, today=today
    )
    comps_by_indicator: dict[int, list[dict[str, Any]]] = {}
    for comp in comps.sort_values(["indicator_id", "position"]).to_dict("records"):
        comps_by_indicator.setdefault(int(comp["indicator_id"]), []).append(comp)
    by_plan: dict[int, list[dict[str, Any]]] = {}
    for ind in result.to_dict("records"):
        ind["_today"] = today
        by_plan.setdefault(int(ind["plan_id"]), []).append(ind)

    plans = []
    for plan in inputs.plans.to_dict("records"):
        plan_id = int(plan["plan_id"])
        status_year = int(status_years[plan_id])
        subgoals: list[dict[str, Any]] = []
        current_id = None
        for ind in by_plan.get(plan_id, []):
            if ind["subgoal_id"] != current_id:
                current_id = ind["subgoal_id"]
                subgoals.append(
                    {
                        "text": ind["subgoal_text"],
                        "area_of_effort": ind["area_of_effort"],
                        "indicators": [],
                    }
                )
            comparators = comps_by_indicator.get(int(ind["indicator_id"]), [])
            subgoals[-1]["indicators"].append(indicator_json(ind, comparators, tolerance))
        for subgoal in subgoals:
            counts = {s.label: 0 for s in STATUSES}
            for ind in subgoal["indicators"]:
                counts[Status(ind["status_code"]).label] += 1
            subgoal["counts"] = counts
            subgoal["summary"] = subgoal_summary(counts)
        plans.append(
            {
                "plan": plan["name"],
                "slug": plan["slug"],
                "year": status_year,
                "period": {
                    "start": json_iso(plan["period_start"]),
                    "end": json_iso(plan["period_end"]),
                },
                "elapsed_share": _elapsed_share(
                    plan["period_start"], plan["period_end"], status_year
                ),
                "years": years.at[plan_id, "years"],
                "latest_data_year": json_int(years.at[plan_id, "latest_data_year"]),
                "tolerance": asdict(tolerance),
                "subgoals": [
                    {
                        "text": s["text"],
                        "area_of_effort": s["area_of_effort"],
                        "summary": s["summary"],
                        "counts": s["counts"],
                        "indicators": s["indicators"],
                    }
                    for s in subgoals
                ],
            }
        )
    return plans


def year_range(inputs: ProgressInputs) -> tuple[int, int] | None:
    """The status years that make sense for the (single) plan in `inputs`: from the earliest of
    period start, baselines and data to the latest of period end and data."""
    plan = inputs.plans.iloc[0]
    candidates_low: list[int] = []
    candidates_high: list[int] = []
    if not pd.isna(plan["period_start"]):
        candidates_low.append(plan["period_start"].year)
    if not pd.isna(plan["period_end"]):
        candidates_high.append(plan["period_end"].year)
    baseline_years = inputs.indicators["baseline_year"].dropna()
    if len(baseline_years):
        candidates_low.append(int(baseline_years.min()))
    seen = plan_years(inputs).iloc[0]["years"]
    if seen:
        candidates_low.append(seen[0])
        candidates_high.append(seen[-1])
    if not candidates_low or not candidates_high:
        return None
    return min(candidates_low), max(candidates_high + candidates_low)


def plan_progress(
    engine: Engine,
    slug: str,
    year: int | None = None,
    tolerance: Tolerance = DEFAULT,
    today: dt.date | None = None,
    *,
    actor: Actor | str,
) -> dict[str, Any]:
    """One plan's progress for a status year (None: the latest year with data).

    Raises AccessDenied (recorded) for a plan outside `actor`'s scope, MonitorError (a Danish
    sentence) for an unknown slug or a year outside the plan's period and data.
    """
    require_plan_visible(engine, actor, slug)
    inputs = load_progress_inputs(engine, slug)
    if year is not None:
        bounds = year_range(inputs)
        if bounds is not None and not bounds[0] <= int(year) <= bounds[1]:
            name = inputs.plans.iloc[0]["name"]
            raise MonitorError(
                f"Året {year} kan ikke bruges for {name}: vælg et år mellem "
                f"{bounds[0]} og {bounds[1]}."
            )
    return progress_from_inputs(inputs, year, tolerance, today)[0]


def all_plans_progress(
    engine: Engine,
    year: int | None = None,
    tolerance: Tolerance = DEFAULT,
    today: dt.date | None = None,
    *,
    actor: Actor | str,
) -> list[dict[str, Any]]:
    """Every plan's progress `actor` may see (one load and one vectorised pass), by plan name."""
    plans = progress_from_inputs(load_progress_inputs(engine), year, tolerance, today)
    return in_scope(engine, actor, plans)
