"""Which plans and areas a user's plans and kommuner cover."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from monitoring.access.actor import Actor
from monitoring.names import kommune_area_name, match_key
from monitoring.store.models import (
    Agreement,
    Area,
    Comparator,
    Indicator,
    Plan,
    PlanArea,
    Subgoal,
)


def plan_slugs(session: Session, actor: Actor) -> set[str] | None:
    """The plans the actor may see: its own and those of its kommuner; None means all of them."""
    if actor.sees_everything:
        return None
    slugs = set(actor.plans)
    if actor.kommuner:
        keys = {match_key(kommune_area_name(k)) for k in actor.kommuner}
        rows = session.execute(select(Plan.slug, Area.match_key).join(Plan.kommune))
        slugs |= {slug for slug, key in rows if key in keys}
    return slugs


def plans_in_scope(engine: Engine, actor: Actor, plans: list[dict]) -> list[dict]:
    """The plans (dicts with a "slug") of a list the actor may see."""
    if actor.sees_everything:
        return plans
    with Session(engine) as session:
        slugs = plan_slugs(session, actor) or set()
    return [plan for plan in plans if plan["slug"] in slugs]


def _ids(session: Session, query) -> set[int]:
    return {i for i in session.scalars(query) if i is not None}


def plan_areas(session: Session, slugs: Iterable[str]) -> tuple[set[int], set[int], set[int]]:
    """(own, shown, kommuner) of the plans: their own places (afdelinger, boligområder), every area
    their delaftaler name (also comparison areas), and their kommuner."""
    plan_ids = _ids(session, select(Plan.id).where(Plan.slug.in_(sorted(slugs))))
    indicators = (
        select(Indicator.id)
        .join(Subgoal, Indicator.subgoal_id == Subgoal.id)
        .join(Agreement, Subgoal.agreement_id == Agreement.id)
        .where(Agreement.plan_id.in_(plan_ids))
    )
    kommuner = _ids(session, select(Plan.kommune_id).where(Plan.id.in_(plan_ids)))
    named = (
        _ids(session, select(PlanArea.area_id).where(PlanArea.plan_id.in_(plan_ids)))
        | _ids(session, select(Plan.main_area_id).where(Plan.id.in_(plan_ids)))
        | _ids(session, select(Indicator.area_id).where(Indicator.id.in_(indicators)))
    )
    own = _ids(
        session,
        select(Area.id).where(Area.id.in_(named), Area.kind.in_(["afdeling", "boligomraade"])),
    )
    compared = _ids(
        session, select(Comparator.area_id).where(Comparator.indicator_id.in_(indicators))
    )
    return own, named | compared | kommuner, kommuner
