"""Checks outside a write: reads limited to the actor's scope, and commands that write no rows.

Every public read in the domain (`show.store_snapshot`, `progress.plan_progress`,
`compare.load_comparison`, ...) takes the acting `Actor` and asks these functions first. The actor
is looked up again by name, so a role changed or a user disabled since the log-in counts at once,
and an `Actor` made up by a caller is worth no more than the stored user of that name. A refusal
is one Danish sentence (AccessDenied) and a "refused" audit event.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from monitoring.access.actor import AccessDenied, Actor, actor_of
from monitoring.access.enforce import authorize, refusal_event
from monitoring.access.scope import (
    comparison_scope,
    places_under,
    plan_areas,
    plan_slugs,
    require_comparison_in_scope,
)
from monitoring.errors import readable
from monitoring.store.db import transaction


def record_refusal(engine: Engine, user: str, action: str, denied: AccessDenied) -> None:
    with transaction(engine, user=user, action="refused") as tx:
        tx.events.append(refusal_event(user, action, str(denied)))


def require(engine: Engine, user: str, action: str) -> Actor:
    """The acting user when it may take the action; else the refusal is recorded and raised."""
    try:
        with Session(engine) as session:
            return authorize(session, user, action)
    except AccessDenied as denied:
        record_refusal(engine, user, action, denied)
        raise


def _name(actor: Actor | str) -> str:
    return actor if isinstance(actor, str) else actor.name


def reader(engine: Engine, actor: Actor | str) -> Actor:
    """The actor as the store knows it now (open mode: an administrator); an unknown or disabled
    user is refused and recorded."""
    try:
        with Session(engine) as session:
            return actor_of(session, _name(actor))
    except AccessDenied as denied:
        record_refusal(engine, _name(actor), "read", denied)
        raise


def visible_plans(engine: Engine, actor: Actor | str) -> set[str] | None:
    """The slugs of the plans the actor may see; None: every plan."""
    found = reader(engine, actor)
    if found.sees_everything:
        return None
    with Session(engine) as session:
        return plan_slugs(session, found)


def visible_areas(engine: Engine, actor: Actor | str) -> set[int] | None:
    """The areas of the plans the actor may see: their places and what lies under them, the areas
    their delaftaler name (comparison areas, kommuner); None: every area."""
    slugs = visible_plans(engine, actor)
    if slugs is None:
        return None
    with Session(engine) as session:
        own, named, _ = plan_areas(session, slugs)
        return named | set(session.scalars(places_under(own)))


def refuse_plan(engine: Engine, actor: Actor | str, slug: str) -> AccessDenied:
    """The recorded refusal of reading a plan outside the actor's scope (for the caller to raise)."""
    denied = AccessDenied(
        f"Brugeren '{readable(_name(actor))}' må ikke se helhedsplanen '{readable(slug)}'; bed en "
        "administrator om adgang."
    )
    record_refusal(engine, _name(actor), "read", denied)
    return denied


def in_scope(engine: Engine, actor: Actor | str, items: list[dict[str, Any]]) -> list[dict]:
    """The items (dicts with a "slug") of plans the actor may see: what a listing returns."""
    slugs = visible_plans(engine, actor)
    return items if slugs is None else [item for item in items if item["slug"] in slugs]


def require_plan_visible(engine: Engine, actor: Actor | str, slug: str) -> None:
    slugs = visible_plans(engine, actor)
    if slugs is not None and slug not in slugs:
        raise refuse_plan(engine, actor, slug)


def require_comparison_visible(
    engine: Engine, actor: Actor | str, kommune: str | None, plan: str | None
) -> None:
    """Refuse (and record) a comparison of areas outside the actor's plans and kommuner."""
    found = reader(engine, actor)
    try:
        scope = comparison_scope(engine, found, [kommune] if kommune else [])
        require_comparison_in_scope(found, scope, kommune, plan)
    except AccessDenied as denied:
        record_refusal(engine, found.name, "read", denied)
        raise
