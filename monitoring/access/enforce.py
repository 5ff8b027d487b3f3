"""The checks `monitoring.store.db.transaction` and the writes inside it make; refusals are audited.

Imports nothing from monitoring.store.db (which imports this), only the models and the session.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from monitoring.access.actor import AccessDenied, Actor, actor_of, name_key
from monitoring.access.roles import RECORD_ACTIONS, action_text, may, roles_allowed
from monitoring.access.scope import plan_areas, plan_slugs
from monitoring.errors import readable
from monitoring.store.models import Area, AuditEvent, ImportBatch


def authorize(session: Session, user: str, action: str) -> Actor:
    """The acting user, when it may take the action at all; else AccessDenied."""
    if action in RECORD_ACTIONS:
        return Actor(name=user, role="læser")
    actor = actor_of(session, user)
    if not may(actor.role, action):
        raise AccessDenied(
            f"Brugeren '{readable(actor.name)}' ({actor.role}) må ikke {action_text(action)}; "
            f"det kræver rollen {' eller '.join(roles_allowed(action))}."
        )
    return actor


def refusal_event(user: str, action: str, message: str) -> AuditEvent:
    return AuditEvent(
        user=user,
        action="refused",
        entity="access",
        entity_id=action[:100],
        after={"reason": message},
    )


def _plans_text(slugs: set[str] | None) -> str:
    return ", ".join(sorted(slugs)) if slugs else "ingen"


def require_areas(tx: Any, area_ids: Iterable[int], created: Iterable[int] = ()) -> None:
    """Refuse writing figures outside the actor's plans.

    A projektleder may write its plans' own places and what lies under them, the areas its
    delaftaler name (kommune, comparison areas), the national benchmarks everyone shares, and
    areas this very write creates in its plans' kommuner.
    """
    actor: Actor | None = tx.actor
    if actor is None or actor.sees_everything:
        return
    session: Session = tx.session
    slugs = plan_slugs(session, actor)
    own, named, kommuner = plan_areas(session, slugs or ())
    new = {int(i) for i in created}
    unknown = sorted({int(i) for i in area_ids} - named)
    parent = aliased(Area)
    outside: list[str] = []
    for start in range(0, len(unknown), 500):
        rows = session.execute(
            select(Area.id, Area.name, Area.kind, Area.parent_id, parent.parent_id)
            .outerjoin(parent, Area.parent_id == parent.id)
            .where(Area.id.in_(unknown[start : start + 500]))
        )
        for area_id, name, kind, up, up2 in rows:
            if kind == "benchmark" or up in own or up2 in own:
                continue
            if area_id in new and (up is None or up in kommuner or up in new):
                continue
            outside.append(readable(name))
    if outside:
        raise AccessDenied(
            f"Brugeren '{readable(actor.name)}' må kun ændre tal for sine helhedsplaner "
            f"({_plans_text(slugs)}), men der er tal for {len(outside)} område(r) uden for dem, "
            f"fx {', '.join(outside[:3])}; intet er gemt."
        )


def require_plan(tx: Any, slug: str) -> None:
    """A projektleder writes only about its own plans (a comment on a delmål)."""
    actor: Actor | None = tx.actor
    if actor is None or actor.sees_everything:
        return
    slugs = plan_slugs(tx.session, actor) or set()
    if slug not in slugs:
        raise AccessDenied(
            f"Brugeren '{readable(actor.name)}' må kun skrive om sine helhedsplaner "
            f"({_plans_text(slugs)}), ikke om '{readable(slug)}'; intet er gemt."
        )


def require_own_batch(tx: Any, batch: ImportBatch) -> None:
    """A projektleder undoes only its own imports."""
    actor: Actor | None = tx.actor
    if actor is None or actor.sees_everything or name_key(batch.user) == name_key(actor.name):
        return
    raise AccessDenied(
        f"Brugeren '{readable(actor.name)}' må kun fortryde sine egne importer; import "
        f"#{batch.id} er lavet af {readable(batch.user)}."
    )
