"""The whole store as plain data: the `show --json` contract, also what the overview page renders."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from monitoring.access.actor import Actor
from monitoring.access.checks import refuse_plan, visible_plans
from monitoring.errors import MonitorError
from monitoring.store.models import (
    Agreement,
    Area,
    Comparator,
    Indicator,
    Observation,
    Plan,
    PlanArea,
    Subgoal,
)


def _observations_by_cell(
    session: Session, plans: list[Plan]
) -> dict[tuple[int, int], list[dict[str, Any]]]:
    """Every observation of the measures the plans use, keyed by (measure, area), sorted by year."""
    measure_ids = {
        ind.measure_id
        for plan in plans
        for agreement in plan.agreements
        for subgoal in agreement.subgoals
        for ind in subgoal.indicators
    }
    cells: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    if not measure_ids:
        return cells
    rows = session.execute(
        select(Observation, Area.name)
        .join(Area, Area.id == Observation.area_id)
        .where(Observation.measure_id.in_(measure_ids))
        .order_by(Observation.year)
    )
    for obs, area_name in rows:
        cells[(obs.measure_id, obs.area_id)].append(
            {"area": area_name, "year": obs.year, "value": obs.value, "state": obs.state}
        )
    return cells


def _indicator(
    ind: Indicator, cells: dict[tuple[int, int], list[dict[str, Any]]]
) -> dict[str, Any]:
    area_ids = [ind.area_id] + [c.area_id for c in ind.comparators if c.area_id != ind.area_id]
    observations = [obs for area_id in area_ids for obs in cells.get((ind.measure_id, area_id), [])]
    return {
        "name": ind.name,
        "unit": ind.unit,
        "direction": ind.direction,
        "measure": ind.measure.key,
        "measure_name": ind.measure.name,
        "area": ind.area.name,
        "area_kind": ind.area.kind,
        "baseline": {
            "value": ind.baseline_value,
            "year": ind.baseline_year,
            "note": ind.baseline_note,
            "as_written": ind.baseline_as_written,
        },
        "target": None
        if ind.target_value is None and ind.target_note is None
        else {"value": ind.target_value, "year": ind.target_year, "note": ind.target_note},
        "deadline": ind.deadline.isoformat() if ind.deadline else None,
        "comparators": [
            {
                "label": c.label,
                "value": c.baseline_value,
                "year": c.baseline_year,
                "area": c.area.name,
                "area_kind": c.area.kind,
                "as_written": c.as_written,
            }
            for c in ind.comparators
        ],
        "source": ind.source,
        "observations": observations,
    }


def plan_as_json(plan: Plan, cells: dict[tuple[int, int], list[dict[str, Any]]]) -> dict[str, Any]:
    first = plan.agreements[0] if plan.agreements else None
    return {
        "slug": plan.slug,
        "name": plan.name,
        "kommune": plan.kommune.name,
        "kommune_code": plan.kommune.code,
        "main_area": plan.main_area.name,
        "period": {
            "start": first.period_start.isoformat() if first else None,
            "end": first.period_end.isoformat() if first else None,
        },
        "areas": [
            {
                "name": pa.area.name,
                "kind": pa.area.kind,
                "code": pa.area.code,
                "parent": pa.area.parent.name if pa.area.parent else None,
            }
            for pa in plan.areas
        ],
        "agreements": [
            {
                "area_of_effort": a.area_of_effort,
                "period": {"start": a.period_start.isoformat(), "end": a.period_end.isoformat()},
                "parties": list(a.parties),
                "activities": list(a.activities),
                "staff_resources": a.staff_resources,
                "subgoals": [
                    {"text": s.text, "indicators": [_indicator(i, cells) for i in s.indicators]}
                    for s in a.subgoals
                ],
            }
            for a in plan.agreements
        ],
    }


def _all_slugs(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return list(session.scalars(select(Plan.slug).order_by(Plan.name)))


def store_snapshot(
    engine: Engine, plan_slug: str | None = None, *, actor: Actor | str
) -> dict[str, Any]:
    """`{"plans": [...]}` in the documented `show --json` shape, only the plans `actor` may see.

    A plan outside its scope is refused (and recorded); an unknown slug is a MonitorError naming
    the plans it may see.
    """
    slugs = visible_plans(engine, actor)
    if plan_slug is not None and slugs is not None and plan_slug not in slugs:
        raise refuse_plan(engine, actor, plan_slug)
    with Session(engine) as session:
        query = (
            select(Plan)
            .options(
                selectinload(Plan.kommune),
                selectinload(Plan.main_area),
                selectinload(Plan.areas).selectinload(PlanArea.area).selectinload(Area.parent),
                selectinload(Plan.agreements)
                .selectinload(Agreement.subgoals)
                .selectinload(Subgoal.indicators)
                .options(
                    selectinload(Indicator.measure),
                    selectinload(Indicator.area),
                    selectinload(Indicator.comparators).selectinload(Comparator.area),
                ),
            )
            .order_by(Plan.name)
        )
        if plan_slug is not None:
            query = query.where(Plan.slug == plan_slug)
        if slugs is not None:
            query = query.where(Plan.slug.in_(sorted(slugs)))
        plans = list(session.scalars(query))
        if plan_slug is not None and not plans:
            shown = [s for s in _all_slugs(engine) if slugs is None or s in slugs]
            known = ", ".join(shown) or "ingen"
            raise MonitorError(f"Helhedsplanen '{plan_slug}' findes ikke. Kendte planer: {known}.")
        cells = _observations_by_cell(session, plans)
        return {"plans": [plan_as_json(p, cells) for p in plans]}
