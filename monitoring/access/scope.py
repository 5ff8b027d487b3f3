"""Which plans and areas a user's plans and kommuner cover."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine, Select, or_, select
from sqlalchemy.orm import Session, aliased

from monitoring.access.actor import AccessDenied, Actor
from monitoring.errors import readable
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


def places_under(own: Iterable[int]) -> Select:
    """The ids of the places `own` and of what lies one or two levels under them."""
    ids = sorted(own)
    parent = aliased(Area)
    return (
        select(Area.id)
        .outerjoin(parent, Area.parent_id == parent.id)
        .where(or_(Area.id.in_(ids), Area.parent_id.in_(ids), parent.parent_id.in_(ids)))
    )


@dataclass(frozen=True)
class ComparisonScope:
    """What an actor may compare. None: anything, "Alle" included.

    A koordinationsudvalg compares within its kommuner (one must be chosen); a læser or a
    projektleder within its plans (one must be chosen).
    """

    kommuner: list[str] | None
    plans: set[str] | None


def comparison_scope(engine: Engine, actor: Actor, kommune_names: list[str]) -> ComparisonScope:
    """The actor's scope, its kommuner spelt as `kommune_names` (the filter's own choices)."""
    if actor.sees_everything:
        return ComparisonScope(kommuner=None, plans=None)
    wanted = {match_key(kommune_area_name(k)) for k in actor.kommuner}
    kommuner = [name for name in kommune_names if match_key(kommune_area_name(name)) in wanted]
    with Session(engine) as session:
        plans = plan_slugs(session, actor) or set()
    return ComparisonScope(kommuner=kommuner, plans=plans)


def require_comparison_in_scope(
    actor: Actor, scope: ComparisonScope, kommune: str | None, plan: str | None
) -> None:
    """Refuse a comparison of areas outside the actor's kommuner and plans (one Danish sentence)."""
    if scope.kommuner is None:
        return
    if plan is not None and plan in (scope.plans or set()):
        return
    if kommune is not None and kommune in scope.kommuner:
        return
    raise AccessDenied(
        f"Brugeren '{readable(actor.name)}' må kun sammenligne områder i sine helhedsplaner "
        "eller kommuner; vælg en af dem."
    )
