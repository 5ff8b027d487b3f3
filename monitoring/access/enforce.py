"""The checks `monitoring.store.db.transaction` and the writes inside it make; refusals are audited.

Imports nothing from monitoring.store.db (which imports this), only the models and the session.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class WriteScope:
    """The areas a projektleder may write figures for: its plans' own places (afdelinger,
    boligområder) and what lies under them, the areas its delaftaler name (kommune, comparison
    areas), the national benchmarks everyone shares, and new areas (this write creates them) in
    its plans' kommuner or under its own places. Not: a new kommune, or new areas in it."""

    actor: Actor
    slugs: frozenset[str]
    own: frozenset[int]
    named: frozenset[int]
    kommuner: frozenset[int]

    def allows_new(self, parent_id: int | None) -> bool:
        """Whether a new area under the existing `parent_id` (None: no parent or a new one) is in."""
        return parent_id is not None and parent_id in self.kommuner | self.own


def write_scope(session: Session, actor: Actor | None) -> WriteScope | None:
    """The actor's write scope; None: it may write figures for every area."""
    if actor is None or actor.sees_everything:
        return None
    slugs = plan_slugs(session, actor) or set()
    own, named, kommuner = plan_areas(session, slugs)
    return WriteScope(
        actor, frozenset(slugs), frozenset(own), frozenset(named), frozenset(kommuner)
    )


def areas_outside(
    session: Session, scope: WriteScope | None, area_ids: Iterable[int], created: Iterable[int] = ()
) -> dict[int, str]:
    """The areas (id → name) among `area_ids` outside the scope; `created`: made by this write."""
    if scope is None:
        return {}
    new = {int(i) for i in created}
    unknown = sorted({int(i) for i in area_ids} - scope.named)
    parent = aliased(Area)
    rows = []
    for start in range(0, len(unknown), 500):
        rows += session.execute(
            select(Area.id, Area.name, Area.kind, Area.parent_id, parent.parent_id)
            .outerjoin(parent, Area.parent_id == parent.id)
            .where(Area.id.in_(unknown[start : start + 500]))
        ).all()
    parents = {area_id: up for area_id, _, _, up, _ in rows}
    outside: dict[int, str] = {}
    for area_id, name, kind, up, up2 in rows:
        if kind == "benchmark" or up in scope.own or up2 in scope.own:
            continue
        top = up
        while top in new:  # a new area under new ones: judged by the first existing parent
            top = parents.get(top) if top in parents else _parent(session, top)
        if area_id in new and scope.allows_new(top):
            continue
        outside[area_id] = name
    return outside


def _parent(session: Session, area_id: int) -> int | None:
    return session.scalar(select(Area.parent_id).where(Area.id == area_id))


def outside_text(scope: WriteScope, names: Iterable[str], cells: int, verb: str | None) -> str:
    """One Danish sentence on the figures an upload holds for areas outside the projektleder's
    plans: `verb` says what happens to them ("er sprunget over"); None: nothing else is in scope."""
    shown = sorted({readable(n) for n in names})
    what = (
        f"{cells} tal for {len(shown)} område(r) uden for helhedsplanerne "
        f"({_plans_text(set(scope.slugs))}), fx {', '.join(shown[:3])}"
    )
    start = f"Brugeren '{readable(scope.actor.name)}' må kun ændre tal for sine helhedsplaner"
    if verb is None:
        return f"{start}, men filen har kun {what}; intet er gemt."
    return f"{start}, så {what}, {verb}."


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
