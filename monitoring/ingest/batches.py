"""Undoing an import batch exactly, and the import history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import Engine, bindparam, delete, select
from sqlalchemy.orm import Session

from monitoring.db import transaction
from monitoring.errors import MonitorError
from monitoring.ingest.bulk import bulk_update
from monitoring.ingest.changes import stored_observations
from monitoring.ingest.types import BATCH_KIND, UndoResult
from monitoring.models import (
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
    """Restore exactly what the batch replaced; refused if later writes touched the same cells."""
    with transaction(engine, user=user, action="undo-import") as tx:
        session = tx.session
        batch = session.get(ImportBatch, batch_id)
        if batch is None:
            raise MonitorError(f"Import #{batch_id} findes ikke. Se listen med 'imports'.")
        if batch.status == "undone":
            raise MonitorError(f"Import #{batch_id} er allerede fortrudt.")
        changes = pd.DataFrame(
            session.execute(
                select(
                    ObservationChange.measure_id,
                    ObservationChange.area_id,
                    ObservationChange.year,
                    ObservationChange.existed,
                    ObservationChange.old_value,
                    ObservationChange.old_state,
                    ObservationChange.old_note,
                    ObservationChange.old_source,
                    ObservationChange.old_batch_id,
                ).where(ObservationChange.batch_id == batch_id)
            ).all(),
            columns=[
                "measure_id",
                "area_id",
                "year",
                "existed",
                "old_value",
                "old_state",
                "old_note",
                "old_source",
                "old_batch_id",
            ],
        )
        if changes.empty and batch.kind != BATCH_KIND:
            raise MonitorError(
                f"Import #{batch_id} ({batch.kind}) har ingen registrerede ændringer og kan ikke "
                "fortrydes her."
            )
        current = stored_observations(
            session,
            sorted(int(m) for m in set(changes["measure_id"])),
            sorted(int(y) for y in set(changes["year"])),
        ).rename(columns={"old_batch_id": "current_batch"})
        current = current[["obs_id", "measure_id", "area_id", "year", "current_batch"]]
        merged = changes.merge(current, on=["measure_id", "area_id", "year"], how="left")
        touched = merged["current_batch"].astype("Float64") != batch_id
        touched = touched.fillna(True).to_numpy(dtype=bool)
        if touched.any():
            later = sorted(
                {int(b) for b in merged.loc[touched, "current_batch"].dropna() if b != batch_id}
            )
            by = (
                "af " + ", ".join(f"import #{b}" for b in later) if later else "af en anden ændring"
            )
            first = f" Fortryd først import #{later[-1]}." if later else ""
            raise MonitorError(
                f"Import #{batch_id} kan ikke fortrydes: {int(touched.sum())} af dens tal er "
                f"siden ændret {by}.{first}"
            )
        remove = merged[~merged["existed"].astype(bool)]
        restore = merged[merged["existed"].astype(bool)]
        if len(restore):
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
        if len(remove):
            # Every cell of the batch still carries its id (checked above), and the restored
            # ones now carry their old batch again: what is left is exactly what it added.
            session.execute(
                delete(Observation)
                .where(Observation.batch_id == batch_id)
                .execution_options(synchronize_session=False)
            )
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
                "deleted": len(remove),
                "areas_removed": removed,
            },
        )
    message = (
        f"Import #{batch_id} er fortrudt: {len(remove)} tal slettet og {len(restore)} gendannet"
        + (
            f"; {removed} {'område' if removed == 1 else 'områder'} fra importen fjernet"
            if removed
            else ""
        )
        + "."
    )
    return UndoResult(batch_id, len(restore), len(remove), removed, message)


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
        (ObservationChange.area_id, ObservationChange.batch_id != batch_id),
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
    if removable:
        table = Area.__table__
        session.connection().execute(
            delete(table).where(table.c.id == bindparam("aid")),
            [{"aid": i} for i in sorted(removable)],
        )
    return len(removable)


def history(engine: Engine, kinds: Sequence[str] | None = (BATCH_KIND,)) -> list[dict[str, Any]]:
    """The import history, newest first: what the page lists with an undo button."""
    with Session(engine) as session:
        query = select(ImportBatch).order_by(ImportBatch.id.desc())
        if kinds:
            query = query.where(ImportBatch.kind.in_(list(kinds)))
        result = []
        for batch in session.scalars(query):
            mapping = batch.mapping or {}
            counts = mapping.get("counts") or {}
            result.append(
                {
                    "id": batch.id,
                    "kind": batch.kind,
                    "file_name": batch.file_name,
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
                    "can_undo": batch.status == "committed" and batch.kind == BATCH_KIND,
                }
            )
        return result
