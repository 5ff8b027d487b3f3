"""Undoing an import batch exactly, and the import history."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import pandas as pd
from sqlalchemy import Engine, and_, delete, func, or_, select, text, true
from sqlalchemy.orm import Session

from monitoring.access.actor import Actor, name_key
from monitoring.access.checks import require
from monitoring.access.enforce import require_own_batch
from monitoring.access.scope import places_under, plan_areas, plan_slugs
from monitoring.demo import DEMO_KIND, DEMO_LABEL
from monitoring.errors import MonitorError
from monitoring.ingest.bulk import bulk_update
from monitoring.ingest.demo_removal import is_demo_batch, remove_demo
from monitoring.ingest.types import BATCH_KIND, UndoResult
from monitoring.store.db import transaction
from monitoring.store.dberrors import retrying
from monitoring.store.models import (
    Area,
    Comparator,
    ImportBatch,
    Indicator,
    Observation,
    ObservationChange,
    Plan,
    PlanArea,
)


def undo(engine: Engine, batch_id: int, user: str) -> UndoResult:
    """Restore exactly what the batch replaced; refused if later writes touched the same cells.

    Set-based: the check, the restore and the deletes go through the cell's unique index and the
    batch's indexes, so the time grows with the batch, not with the store. A demo load is undone
    by removing the demo data (`remove_demo`), which keeps every real figure.
    """
    if is_demo_batch(engine, batch_id):
        return remove_demo(engine, user, batch_id)
    return retrying(partial(_undo_once, engine, batch_id, user))


def _undo_once(engine: Engine, batch_id: int, user: str) -> UndoResult:
    with transaction(engine, user=user, action="undo-import") as tx:
        session = tx.session
        batch = session.get(ImportBatch, batch_id)
        if batch is None:
            raise MonitorError(f"Import #{batch_id} findes ikke. Se listen med 'imports'.")
        if batch.status == "undone":
            raise MonitorError(f"Import #{batch_id} er allerede fortrudt.")
        require_own_batch(tx, batch)
        if batch.kind != BATCH_KIND and not _has_changes(session, batch_id):
            raise MonitorError(
                f"Import #{batch_id} ({batch.kind}) har ingen registrerede ændringer og kan ikke "
                "fortrydes her."
            )
        _refresh_statistics(session)
        later = _cells_changed_since(session, batch)
        if later:
            writes = sorted(b for b in later if b is not None)
            by = (
                "af " + ", ".join(f"import #{b}" for b in writes)
                if writes
                else "af en anden ændring"
            )
            first = f" Fortryd først import #{writes[-1]}." if writes else ""
            raise MonitorError(
                f"Import #{batch_id} kan ikke fortrydes: {sum(later.values())} af dens tal er "
                f"siden ændret {by}.{first}"
            )
        restore = _replaced_cells(session, batch_id)
        bulk_update(
            session,
            Observation.__table__,
            {
                "value": restore["old_value"].astype("float64"),
                "state": restore["old_state"],
                "note": restore["old_note"],
                "source": restore["old_source"],
                "batch_id": restore["old_batch_id"].astype("Int64"),
            },
            restore["obs_id"],
        )
        # Every cell of the batch still carried its id (checked above), and the restored ones
        # now carry their old batch again: what is left is exactly what it added.
        deleted = session.execute(
            delete(Observation)
            .where(Observation.batch_id == batch_id)
            .execution_options(synchronize_session=False)
        ).rowcount
        created = (batch.mapping or {}).get("created_areas") or []
        removed = _remove_created_areas(session, batch_id, created)
        batch.status = "undone"
        tx.audit(
            entity="import_batch",
            entity_id=batch_id,
            before={"status": "committed"},
            after={
                "status": "undone",
                "restored": len(restore),
                "deleted": deleted,
                "areas_removed": removed,
            },
        )
    message = (
        f"Import #{batch_id} er fortrudt: {deleted} tal slettet og {len(restore)} gendannet"
        + (
            f"; {removed} {'område' if removed == 1 else 'områder'} fra importen fjernet"
            if removed
            else ""
        )
        + "."
    )
    return UndoResult(batch_id, len(restore), deleted, removed, message)


_CHANGE = ObservationChange.__table__
_OBSERVATION = Observation.__table__
# An observation in the cell a change row records (the cell's unique index finds it).
_SAME_CELL = and_(
    _OBSERVATION.c.measure_id == _CHANGE.c.measure_id,
    _OBSERVATION.c.area_id == _CHANGE.c.area_id,
    _OBSERVATION.c.year == _CHANGE.c.year,
)


def _refresh_statistics(session: Session) -> None:
    """PostgreSQL plans the joins below from table statistics, which lag behind a big import until
    autovacuum gets to them; with stale ones it scans the whole table per cell (quadratic)."""
    if session.connection().dialect.name == "postgresql":
        session.execute(text("ANALYZE observation, observation_change"))


def _has_changes(session: Session, batch_id: int) -> bool:
    query = select(_CHANGE.c.id).where(_CHANGE.c.batch_id == batch_id).limit(1)
    return session.scalar(query) is not None


def _cells_changed_since(session: Session, batch: ImportBatch) -> dict[int | None, int]:
    """How many of the batch's cells now carry another batch (None: another write, or gone).

    The cells it replaced have change rows to check. The cells it added have none (batches
    written before that have them, existed = false): the batch's counts say how many cells it
    wrote, so any of them not carrying its id any more was changed since; the later batches
    that replaced one of its figures name themselves by their change rows.
    """
    batch_id = batch.id
    current = _OBSERVATION.c.batch_id
    rows = session.execute(
        select(current, func.count())
        .select_from(_CHANGE.outerjoin(_OBSERVATION, _SAME_CELL))
        .where(_CHANGE.c.batch_id == batch_id)
        .where(or_(current.is_(None), current != batch_id))
        .group_by(current)
    )
    later: dict[int | None, int] = {b: count for b, count in rows}
    counts = (batch.mapping or {}).get("counts") or {}
    if "new" not in counts:
        return later
    carrying = session.scalar(
        select(func.count()).select_from(_OBSERVATION).where(_OBSERVATION.c.batch_id == batch_id)
    )
    touched = int(counts["new"]) + int(counts.get("changed", 0)) - int(carrying or 0)
    unexplained = touched - sum(later.values())
    if unexplained <= 0:
        return later
    replaced_by = session.execute(
        select(_CHANGE.c.batch_id, func.count())
        .where(_CHANGE.c.old_batch_id == batch_id, _CHANGE.c.batch_id != batch_id)
        .where(
            _CHANGE.c.batch_id.in_(select(ImportBatch.id).where(ImportBatch.status == "committed"))
        )
        .group_by(_CHANGE.c.batch_id)
    )
    for other, count in replaced_by:
        share = min(count, unexplained)
        if share:
            later[other] = later.get(other, 0) + share
            unexplained -= share
    if unexplained:
        later[None] = later.get(None, 0) + unexplained
    return later


_RESTORED = ["old_value", "old_state", "old_note", "old_source", "old_batch_id"]


def _replaced_cells(session: Session, batch_id: int) -> pd.DataFrame:
    """The batch's cells that existed before it, with what they held then."""
    rows = session.execute(
        select(_OBSERVATION.c.id, *(_CHANGE.c[name] for name in _RESTORED))
        .select_from(_CHANGE.join(_OBSERVATION, _SAME_CELL))
        .where(_CHANGE.c.batch_id == batch_id, _CHANGE.c.existed == true())
    )
    return pd.DataFrame([tuple(row) for row in rows], columns=["obs_id", *_RESTORED])


def _remove_created_areas(session: Session, batch_id: int, ids: Sequence[int]) -> int:
    """Delete the areas the batch created, unless something else now refers to them."""
    candidates = set(ids)
    if not candidates:
        return 0
    used: set[int] = set()
    references = [
        (Observation.area_id, None),
        (PlanArea.area_id, None),
        (Indicator.area_id, None),
        (Comparator.area_id, None),
        (Plan.kommune_id, None),
        (Plan.main_area_id, None),
        # The history of another batch that can still be undone needs the area.
        (
            ObservationChange.area_id,
            ObservationChange.batch_id.in_(
                select(ImportBatch.id).where(
                    ImportBatch.id != batch_id, ImportBatch.status == "committed"
                )
            ),
        ),
    ]
    chunks = [sorted(candidates)[i : i + 500] for i in range(0, len(candidates), 500)]
    for column, condition in references:
        for chunk in chunks:
            query = select(column).where(column.in_(chunk)).distinct()
            if condition is not None:
                query = query.where(condition)
            used.update(session.scalars(query))
    children: dict[int, set[int]] = {}
    for chunk in chunks:
        for child, parent in session.execute(
            select(Area.id, Area.parent_id).where(Area.parent_id.in_(chunk))
        ):
            children.setdefault(parent, set()).add(child)
    removable = candidates - used
    changed = True
    while changed:  # a kommune goes only when all of its children go
        changed = False
        for area in list(removable):
            if not children.get(area, set()) <= removable:
                removable.discard(area)
                changed = True
    ordered = sorted(removable)
    for start in range(0, len(ordered), 500):
        session.execute(
            delete(Area)
            .where(Area.id.in_(ordered[start : start + 500]))
            .execution_options(synchronize_session=False)
        )
    return len(removable)


def history(
    engine: Engine,
    kinds: Sequence[str] | None = (BATCH_KIND, DEMO_KIND),
    *,
    actor: Actor | str,
) -> list[dict[str, Any]]:
    """The import history the actor may see, newest first: what the page lists with an undo button.

    An administrator (and open mode) sees every batch. A projektleder sees the batches it made and
    those that wrote figures for its plans' own places (afdelinger, boligområder and what lies
    under them): where its plans' figures came from, without the file names and users of other
    plans' imports that only share a kommune or a comparison area with its plans. A
    koordinationsudvalg or læser may not import, so the history (like the upload page) is refused.
    A demo load is listed as "Demotal (opfundne)" with `demo` true; its undo removes the demo.
    """
    found = require(engine, actor if isinstance(actor, str) else actor.name, "import-history")
    with Session(engine) as session:
        query = select(ImportBatch).order_by(ImportBatch.id.desc())
        if kinds:
            query = query.where(ImportBatch.kind.in_(list(kinds)))
        shown = None if found.sees_everything else _batches_for(session, found)
        result = []
        for batch in session.scalars(query):
            if shown is not None and batch.id not in shown and not _made_by(batch, found):
                continue
            mapping = batch.mapping or {}
            counts = mapping.get("counts") or {}
            demo = batch.is_demo or batch.kind == DEMO_KIND
            if demo and not counts:  # loaded before demo loads recorded counts
                counts = {"new": batch.rows_accepted}
            result.append(
                {
                    "id": batch.id,
                    "kind": batch.kind,
                    "file_name": DEMO_LABEL if demo else batch.file_name,
                    "sha256": batch.sha256,
                    "user": batch.user,
                    "created_at": batch.created_at.isoformat(timespec="seconds"),
                    "status": batch.status,
                    "layout": mapping.get("layout"),
                    "new": counts.get("new", 0),
                    "changed": counts.get("changed", 0),
                    "unchanged": counts.get("unchanged", 0),
                    "suppressed": counts.get("suppressed", 0),
                    "new_areas": len(mapping.get("created_areas") or []),
                    "rows_accepted": batch.rows_accepted,
                    "rows_rejected": batch.rows_rejected,
                    "can_undo": batch.status == "committed" and (demo or batch.kind == BATCH_KIND),
                    "demo": demo,
                }
            )
        return result


def _made_by(batch: ImportBatch, actor: Actor) -> bool:
    return name_key(batch.user) == name_key(actor.name)


def _batches_for(session: Session, actor: Actor) -> set[int]:
    """The batches that wrote (or replaced) figures of the actor's plans' own places or below."""
    own, _, _ = plan_areas(session, plan_slugs(session, actor) or set())
    places = places_under(own)
    written = select(ObservationChange.batch_id).where(ObservationChange.area_id.in_(places))
    current = select(Observation.batch_id).where(Observation.area_id.in_(places))
    return {i for i in session.scalars(written.union(current)) if i is not None}
