"""Building progress-engine inputs from short specs, shared by the progress tests and properties."""

from __future__ import annotations

import datetime as dt
from typing import Any

from monitoring.progress import progress_from_inputs
from monitoring.progress.inputs import (
    COMPARATOR_COLUMNS,
    INDICATOR_COLUMNS,
    OBSERVATION_COLUMNS,
    PLAN_COLUMNS,
    ProgressInputs,
    frame,
)

PERIOD = ("2021-01-01", "2024-12-31")
TODAY = dt.date(2030, 1, 1)
AREA = 1


def _observations(measure_id: int, area_id: int, series: dict[int, Any]) -> list[tuple]:
    """{year: value} where a value may be "suppressed", "missing" or "qualitative" (no number)."""
    rows = []
    for year, value in series.items():
        if isinstance(value, str):
            rows.append((measure_id, area_id, year, None, value))
        else:
            rows.append((measure_id, area_id, year, value, "ok"))
    return rows


def build(specs: list[dict[str, Any]], plans: list[dict[str, Any]] | None = None) -> ProgressInputs:
    """Inputs for indicators given as specs.

    A spec may set: plan (id, default 1), subgoal (id, default 1), unit ("pct"), direction (1),
    baseline ((value, year) or None), baseline_note, target ((value, year) or None), deadline
    (ISO date), obs ({year: value}), comparators ([{label, baseline: (value, year), obs}]),
    measure_name, name.
    """
    plans = plans or [{"plan_id": 1, "slug": "test", "name": "Testplan", "period": PERIOD}]
    period_of = {p["plan_id"]: p.get("period", PERIOD) for p in plans}
    indicator_rows, comparator_rows, observation_rows = [], [], []
    comparator_id = 0
    for i, spec in enumerate(specs):
        indicator_id = i + 1
        measure_id = 1000 + i
        plan_id = spec.get("plan", 1)
        subgoal_id = spec.get("subgoal", 1)
        baseline = spec.get("baseline")
        target = spec.get("target")
        start, end = period_of[plan_id]
        indicator_rows.append(
            (
                indicator_id,
                plan_id,
                plan_id,
                "Beskæftigelse",
                subgoal_id,
                subgoal_id,
                f"Delmål {subgoal_id}",
                i,
                spec.get("name", f"Indikator {indicator_id}"),
                measure_id,
                f"measure_{i}",
                spec.get("measure_name", "Andel 18-64-årige i beskæftigelse"),
                AREA,
                "Testområdet",
                spec.get("unit", "pct"),
                spec.get("direction", 1),
                None if baseline is None else baseline[0],
                None if baseline is None else baseline[1],
                spec.get("baseline_note"),
                None if target is None else target[0],
                None if target is None else target[1],
                None,
                spec.get("deadline"),
                start,
                end,
            )
        )
        observation_rows += _observations(measure_id, AREA, spec.get("obs", {}))
        for position, comp in enumerate(spec.get("comparators", [])):
            comparator_id += 1
            area_id = 100 + position
            comp_baseline = comp.get("baseline") or (None, None)
            comparator_rows.append(
                (
                    comparator_id,
                    indicator_id,
                    position,
                    comp.get("label", "Hele kommunen"),
                    area_id,
                    comp.get("label", "Hele kommunen"),
                    "kommune",
                    comp_baseline[0],
                    comp_baseline[1],
                )
            )
            observation_rows += _observations(measure_id, area_id, comp.get("obs", {}))
    plan_rows = [(p["plan_id"], p["slug"], p["name"], *p.get("period", PERIOD)) for p in plans]
    return ProgressInputs(
        plans=frame(plan_rows, PLAN_COLUMNS),
        indicators=frame(indicator_rows, INDICATOR_COLUMNS),
        comparators=frame(comparator_rows, COMPARATOR_COLUMNS),
        observations=frame(observation_rows, OBSERVATION_COLUMNS),
    )


def run(
    specs: list[dict[str, Any]], year: int | None = None, today: dt.date = TODAY, **kwargs: Any
) -> list[dict[str, Any]]:
    return progress_from_inputs(build(specs), year=year, today=today, **kwargs)


def indicators_of(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for s in plan["subgoals"] for i in s["indicators"]]


def one(spec: dict[str, Any], year: int | None = None, **kwargs: Any) -> dict[str, Any]:
    """The result of a single indicator."""
    return indicators_of(run([spec], year, **kwargs)[0])[0]


def pick(data: Any, path: str) -> Any:
    """`pick(result, "comparators.0.passed")`."""
    for part in path.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data
