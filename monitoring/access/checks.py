"""Checks outside a write: reads filtered by scope, and commands that write no rows (backup)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from monitoring.access.actor import AccessDenied, Actor, actor_of
from monitoring.access.enforce import authorize, readable_plans, refusal_event
from monitoring.access.scope import comparison_scope, require_comparison_in_scope
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


def visible_plans(engine: Engine, user: str) -> set[str] | None:
    """The slugs of the plans the user may see; None: every plan."""
    try:
        with Session(engine) as session:
            return readable_plans(session, user)
    except AccessDenied as denied:
        record_refusal(engine, user, "read", denied)
        raise


def visible_snapshot(engine: Engine, user: str, snapshot: dict[str, Any]) -> dict[str, Any]:
    """A `show --json` snapshot with only the plans the user may see."""
    slugs = visible_plans(engine, user)
    if slugs is None:
        return snapshot
    return {**snapshot, "plans": [p for p in snapshot["plans"] if p["slug"] in slugs]}


def require_plan_visible(engine: Engine, user: str, slug: str) -> None:
    slugs = visible_plans(engine, user)
    if slugs is not None and slug not in slugs:
        denied = AccessDenied(
            f"Brugeren '{readable(user)}' må ikke se helhedsplanen '{readable(slug)}'; bed en "
            "administrator om adgang."
        )
        record_refusal(engine, user, "read", denied)
        raise denied


def require_comparison_visible(
    engine: Engine, user: str, kommune: str | None, plan: str | None
) -> None:
    """Refuse (and record) a comparison of areas outside the user's plans and kommuner."""
    with Session(engine) as session:
        try:
            found = actor_of(session, user)
        except AccessDenied as denied:
            record_refusal(engine, user, "read", denied)
            raise
    try:
        scope = comparison_scope(engine, found, [kommune] if kommune else [])
        require_comparison_in_scope(found, scope, kommune, plan)
    except AccessDenied as denied:
        record_refusal(engine, user, "read", denied)
        raise
