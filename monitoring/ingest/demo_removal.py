"""Removing the demo figures while keeping every real import, typed figure and edit.

Only invented figures go: observations still carrying a demo load's batch (and, in stores whose
demo batch is gone, observations marked with the demo source). A real import that replaced a demo
figure keeps its own figure; its record of the demo figure it replaced becomes "the cell was new",
so undoing that import later removes its figure and never brings the invented one back.
"""

from __future__ import annotations

from functools import partial

from sqlalchemy import ColumnElement, Engine, delete, or_, select, update
from sqlalchemy.orm import Session

from monitoring.access.actor import AccessDenied, Actor
from monitoring.access.enforce import areas_outside, authorize, write_scope
from monitoring.demo import DEMO_LABEL, DEMO_SOURCE, demo_batches, orphan_demo_rows
from monitoring.errors import MonitorError, readable
from monitoring.ingest.types import UndoResult
from monitoring.store.db import transaction
from monitoring.store.dberrors import retrying
from monitoring.store.models import ImportBatch, Observation, ObservationChange

ACTION = "remove-demo"
NOTHING_TO_REMOVE = "Der er ingen demodata at fjerne; databasen har kun rigtige tal."


def remove_demo(engine: Engine, user: str, batch_id: int | None = None) -> UndoResult:
    """Delete every demo figure in one audited transaction; real figures stay as they are.

    Refused (one Danish sentence, nothing changed) when there is no demo data, and for a user who
    may not: an administrator may, a projektleder only when every demo figure lies in its plans.
    `batch_id`: the demo load named by `undo-import` (refused when it was removed already).
    """
    return retrying(partial(_remove_once, engine, user, batch_id))


def _demo_cells() -> ColumnElement[bool]:
    """The demo observations left in the store (by batch, or by source when the batch is gone)."""
    return or_(Observation.batch_id.in_(demo_batches()), Observation.id.in_(orphan_demo_rows()))


def _remove_once(engine: Engine, user: str, batch_id: int | None) -> UndoResult:
    with transaction(engine, user=user, action=ACTION) as tx:
        session = tx.session
        named = session.get(ImportBatch, batch_id) if batch_id is not None else None
        if named is not None and named.status != "committed":
            raise MonitorError(f"Import #{batch_id} ({DEMO_LABEL}) er allerede fjernet.")
        batches = list(session.scalars(demo_batches().where(ImportBatch.status == "committed")))
        cells = _demo_cells()
        areas = list(session.scalars(select(Observation.area_id).where(cells).distinct()))
        if not batches and not areas:
            raise MonitorError(NOTHING_TO_REMOVE)
        _require_own_areas(session, tx.actor, areas)
        # A real import's record of a demo figure it replaced: the cell counts as new for it now.
        forgotten = session.execute(
            update(ObservationChange)
            .where(
                ObservationChange.existed.is_(True),
                # By source too: in an old store the demo batch it names may be gone.
                or_(
                    ObservationChange.old_batch_id.in_(demo_batches()),
                    ObservationChange.old_source == DEMO_SOURCE,
                ),
            )
            .values(
                existed=False,
                old_value=None,
                old_state=None,
                old_note=None,
                old_source=None,
                old_batch_id=None,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        deleted = session.execute(
            delete(Observation).where(cells).execution_options(synchronize_session=False)
        ).rowcount
        for demo_id in batches:
            session.get(ImportBatch, demo_id).status = "undone"
            tx.audit(
                entity="import_batch",
                entity_id=demo_id,
                before={"status": "committed"},
                after={"status": "undone", "deleted": deleted, "kept_real": forgotten},
            )
        if not batches:
            tx.audit(entity="observation", after={"deleted_demo_rows": deleted})
    replaced = f" ({forgotten} af dem havde erstattet demotal)" if forgotten else ""
    message = (
        f"Demodata er fjernet: {deleted} opdigtede tal slettet; alle rigtige tal er bevaret"
        f"{replaced}."
    )
    return UndoResult(batches[0] if batches else 0, 0, deleted, 0, message)


def _require_own_areas(session: Session, actor: Actor | None, areas: list[int]) -> None:
    """A projektleder removes the demo only when every demo figure lies within its plans."""
    scope = write_scope(session, actor)
    outside = areas_outside(session, scope, areas)
    if scope is not None and outside:
        shown = ", ".join(sorted(readable(name) for name in outside.values())[:3])
        raise AccessDenied(
            f"Brugeren '{readable(scope.actor.name)}' må kun ændre tal for sine helhedsplaner, "
            f"og demotallene dækker også {len(outside)} område(r) uden for dem (fx {shown}); "
            "en administrator kan fjerne dem."
        )


def demo_removal_refusal(engine: Engine, user: str) -> str | None:
    """Why the user may not remove the demo data (a Danish sentence), or None when it may.

    For the page, to offer the button only to those allowed; writes nothing.
    """
    with Session(engine) as session:
        try:
            actor = authorize(session, user, ACTION)
            cells = _demo_cells()
            areas = session.scalars(select(Observation.area_id).where(cells).distinct())
            _require_own_areas(session, actor, list(areas))
        except AccessDenied as denied:
            return str(denied)
    return None


def is_demo_batch(engine: Engine, batch_id: int) -> bool:
    """Whether the import is a demo load (its undo is `remove_demo`)."""
    with Session(engine) as session:
        query = demo_batches().where(ImportBatch.id == batch_id)
        return session.scalar(query) is not None
