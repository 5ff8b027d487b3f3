"""A plan's history: every write that touched it, who and when, before and after; and restoring
an earlier version of one indikator (itself a write in the history).

Plan writes (import of a delaftale, an edit on the page, a restore, the seed) carry the whole plan
before and after; imports, typed-in figures and undos carry their batch's counts, and the
figures an import wrote are read back with what each cell held before (`batch_figures`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from monitoring.access.actor import Actor
from monitoring.access.checks import require_plan_visible
from monitoring.delaftale.editing import content_from_plan, indicator_spec, replace_indicator
from monitoring.delaftale.store import SaveResult, existing_plan, save
from monitoring.errors import MonitorError
from monitoring.fmt import format_value
from monitoring.store.models import (
    Agreement,
    Area,
    AuditEvent,
    ImportBatch,
    Indicator,
    Measure,
    Observation,
    ObservationChange,
    Plan,
    Subgoal,
)

ACTIONS = {
    "seed": "Delaftalen indlæst fra seed-filen",
    "import-delaftale": "Delaftale importeret",
    "edit-plan": "Redigeret på siden Delaftaler",
    "restore-indicator": "Indikator gendannet",
    "import-lbf": "Tal importeret eller tastet ind",
    "undo-import": "Import fortrudt",
    "demo": "Demodata indlæst",
    "remove-demo": "Demodata fjernet",
}


@dataclass(frozen=True)
class HistoryEvent:
    id: int
    at: dt.datetime
    user: str
    action: str
    what: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    batch_id: int | None = None  # the import an import or undo event is about


def _plan_measures(session: Session, slug: str) -> list[int]:
    return list(
        session.scalars(
            select(Indicator.measure_id)
            .join(Subgoal, Subgoal.id == Indicator.subgoal_id)
            .join(Agreement, Agreement.id == Subgoal.agreement_id)
            .join(Plan, Plan.id == Agreement.plan_id)
            .where(Plan.slug == slug)
        )
    )


def _plan_batches(session: Session, slug: str) -> list[int]:
    """Batches that wrote a figure of one of the plan's measures (kept or since undone)."""
    measures = _plan_measures(session, slug)
    written = select(Observation.batch_id).where(Observation.measure_id.in_(measures))
    replaced = select(ObservationChange.batch_id).where(ObservationChange.measure_id.in_(measures))
    undone = select(ImportBatch.id).where(ImportBatch.status == "undone")
    found = session.scalars(
        select(ImportBatch.id).where(
            or_(
                ImportBatch.id.in_(written),
                ImportBatch.id.in_(replaced),
                ImportBatch.id.in_(undone),
            )
        )
    )
    return list(found)


def plan_history(engine: Engine, slug: str, *, actor: Actor | str) -> list[HistoryEvent]:
    """Every audit event of the plan and of the imports that wrote its figures, newest first
    (a plan outside `actor`'s scope is refused)."""
    require_plan_visible(engine, actor, slug)
    with Session(engine) as session:
        batches = [str(b) for b in _plan_batches(session, slug)]
        events = session.scalars(
            select(AuditEvent)
            .where(
                or_(
                    (AuditEvent.entity == "plan") & (AuditEvent.entity_id == slug),
                    (AuditEvent.entity == "import_batch") & AuditEvent.entity_id.in_(batches),
                )
            )
            .order_by(AuditEvent.id.desc())
        )
        return [
            HistoryEvent(
                id=e.id,
                at=e.at,
                user=e.user,
                action=e.action,
                what=ACTIONS.get(e.action, e.action)
                + ("" if e.entity == "plan" else f" (import #{e.entity_id})"),
                before=e.before,
                after=e.after,
                batch_id=int(e.entity_id) if e.entity == "import_batch" else None,
            )
            for e in events
        ]


def indicators_by_name(plan: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    if not plan or "agreements" not in plan:
        return {}
    return {
        ind["name"]: ind
        for agreement in plan["agreements"]
        for sub in agreement["subgoals"]
        for ind in sub["indicators"]
    }


def changed_indicators(event: HistoryEvent) -> list[str]:
    """Names of the indikatorer an event changed (added, removed or altered)."""
    before, after = indicators_by_name(event.before), indicators_by_name(event.after)
    return [n for n in dict.fromkeys([*before, *after]) if before.get(n) != after.get(n)]


def indicator_versions(
    engine: Engine, slug: str, name: str, *, actor: Actor | str
) -> list[tuple[HistoryEvent, dict]]:
    """The indikator as it was before each plan write that changed it (newest first)."""
    return [
        (event, indicators_by_name(event.before)[name])
        for event in plan_history(engine, slug, actor=actor)
        if name in changed_indicators(event) and name in indicators_by_name(event.before)
    ]


def restore_indicator(
    engine: Engine, slug: str, event_id: int, name: str, *, user: str
) -> SaveResult:
    """Put the indikator back as it was before the write `event_id`; one audited write."""
    version = next(
        (
            old
            for event, old in indicator_versions(engine, slug, name, actor=user)
            if event.id == event_id
        ),
        None,
    )
    if version is None:
        raise MonitorError(
            f"Der er ingen tidligere udgave af indikatoren '{name}' fra ændring #{event_id}."
        )
    current = existing_plan(engine, slug)
    if current is None:
        raise MonitorError(f"Helhedsplanen '{slug}' findes ikke længere.")
    restored = replace_indicator(content_from_plan(current), name, indicator_spec(version))
    if restored is None:
        raise MonitorError(
            f"Indikatoren '{name}' findes ikke længere i planen; den kan ikke gendannes her."
        )
    return save(engine, restored, user=user, action="restore-indicator")


def batch_figures(engine: Engine, batch_id: int, slug: str) -> list[dict[str, Any]]:
    """The figures of the plan's measures one import (or typed-in entry) wrote: before and after.

    Before is what the cell held (nothing, for a new cell); after is the batch's own value while
    the cell still carries it, else "ændret siden" (a later import or an undo changed it).
    """
    with Session(engine) as session:
        measures = set(_plan_measures(session, slug))
        rows = session.execute(
            select(ObservationChange, Measure.name, Measure.unit, Area.name, Observation)
            .join(Measure, Measure.id == ObservationChange.measure_id)
            .join(Area, Area.id == ObservationChange.area_id)
            .outerjoin(
                Observation,
                (Observation.measure_id == ObservationChange.measure_id)
                & (Observation.area_id == ObservationChange.area_id)
                & (Observation.year == ObservationChange.year),
            )
            .where(ObservationChange.batch_id == batch_id)
            .order_by(Measure.name, Area.name, ObservationChange.year)
        )
        figures = []
        for change, measure, unit, area, obs in rows:
            if change.measure_id not in measures:
                continue
            before = _shown(change.old_value, change.old_state, unit) if change.existed else "–"
            after = (
                _shown(obs.value, obs.state, unit)
                if obs is not None and obs.batch_id == batch_id
                else "ændret siden"
            )
            figures.append(
                {"Mål": measure, "Område": area, "År": change.year, "Før": before, "Efter": after}
            )
        # A cell the batch added has no change row (its batch id says it all): before is nothing.
        replaced = select(ObservationChange.id).where(
            ObservationChange.batch_id == batch_id,
            ObservationChange.measure_id == Observation.measure_id,
            ObservationChange.area_id == Observation.area_id,
            ObservationChange.year == Observation.year,
        )
        added = session.execute(
            select(Observation, Measure.name, Measure.unit, Area.name)
            .join(Measure, Measure.id == Observation.measure_id)
            .join(Area, Area.id == Observation.area_id)
            .where(Observation.batch_id == batch_id, ~replaced.exists())
        )
        for obs, measure, unit, area in added:
            if obs.measure_id in measures:
                shown = _shown(obs.value, obs.state, unit)
                figures.append(
                    {"Mål": measure, "Område": area, "År": obs.year, "Før": "–", "Efter": shown}
                )
        return sorted(figures, key=lambda f: (f["Mål"], f["Område"], f["År"]))


def _shown(value: float | None, state: str | None, unit: str) -> str:
    return "diskretioneret" if state == "suppressed" else format_value(value, unit)
