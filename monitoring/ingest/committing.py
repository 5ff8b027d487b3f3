"""Writing an upload as one import batch in one transaction; nothing is written before it."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import yaml
from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.orm import Session

from monitoring.access.actor import AccessDenied
from monitoring.access.enforce import areas_outside, outside_text, write_scope
from monitoring.errors import MonitorError
from monitoring.ingest.areas import remember_area_choices
from monitoring.ingest.bulk import bulk_insert, bulk_update, new_ids
from monitoring.ingest.catalog import measure_ids_of
from monitoring.ingest.changes import base_counts, current_diff, has_importable, importable_keys
from monitoring.ingest.resolving import resolve
from monitoring.ingest.types import BATCH_KIND, AreaMatch, CommitResult, Upload
from monitoring.lbf import (
    Problem,
    match_key,  # cached
)
from monitoring.seed import MEASURES_FILE, SEED_DIR
from monitoring.store.db import transaction
from monitoring.store.dberrors import BUSY, retrying
from monitoring.store.models import (
    Area,
    ImportBatch,
    MappingMemory,
    Measure,
    Observation,
    ObservationChange,
)

SOURCE_PREFIX = "Upload"


NO_CHANGES = "Ingen ændringer"


def problems_text(problems: Sequence[Problem], limit: int = 30) -> str:
    lines = [f"- {p.describe()}" for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"- … og {len(problems) - limit} mere.")
    return "\n".join(lines)


def _refusal(upload: Upload) -> MonitorError:
    errors = upload.errors
    return MonitorError(
        f"Filen {upload.table.file_name} kan ikke importeres ({len(errors)} fejl); intet er "
        f"gemt.\n{problems_text(errors)}"
    )


_LABEL_LENGTH: int = MappingMemory.__table__.c.label.type.length


class _NothingToWrite(Exception):
    def __init__(self, counts: dict[str, int], note: str | None) -> None:
        super().__init__(NO_CHANGES)
        self.counts = counts
        self.note = note  # the figures skipped as outside the user's plans, if any


def commit(engine: Engine, upload: Upload, user: str, *, remember: bool = True) -> CommitResult:
    """Write the upload as one import batch in one transaction; "Ingen ændringer" writes nothing.

    Raises MonitorError (nothing written) when the upload has blocking problems, and when the
    store stays busy. The comparison with the store happens under the write lock, so concurrent
    imports land as if one ran after the other. An area the upload refers to that was removed
    since it was read (an undo in between) makes the file be resolved again against the store.
    `remember`: store the user's chosen mappings (source "valgt") and area choices for next year.
    """
    if upload.blocking:
        raise _refusal(upload)
    if not has_importable(upload):
        return CommitResult(None, base_counts(upload), NO_CHANGES)
    for _ in range(_RESOLVE_ATTEMPTS):
        try:
            batch_id, counts, note = retrying(partial(_commit_once, engine, upload, user, remember))
            break
        except _NothingToWrite as nothing:
            same = nothing.counts["unchanged"]
            message = f"{NO_CHANGES}: alle {same} tal i filen står allerede i databasen."
            if nothing.note:
                message = f"{NO_CHANGES}: alle {same} tal for dine områder står allerede i databasen. {nothing.note}"
            return CommitResult(None, nothing.counts, message)
        except _AreasGone:
            upload = resolve(
                engine,
                upload.table,
                mapping=upload.chosen,
                area_map=upload.area_map,
                sheet_areas=upload.sheet_areas,
            )
            if upload.blocking:
                raise _refusal(upload) from None
            if not has_importable(upload):
                return CommitResult(None, base_counts(upload), NO_CHANGES)
    else:
        raise MonitorError(BUSY + " Intet er gemt.")
    new_areas = counts["new_areas"]
    message = (
        f"Import #{batch_id} gemt: {counts['new']} nye, {counts['changed']} ændrede og "
        f"{counts['unchanged']} uændrede tal"
        + (
            f", {new_areas} {'nyt område' if new_areas == 1 else 'nye områder'}"
            if new_areas
            else ""
        )
        + "."
        + (f" {note}" if note else "")
    )
    return CommitResult(batch_id, counts, message)


_RESOLVE_ATTEMPTS = 3


class _AreasGone(Exception):
    """An area the upload was resolved to no longer exists (removed by an undo since)."""


def _commit_once(
    engine: Engine, upload: Upload, user: str, remember: bool
) -> tuple[int, dict[str, int], str | None]:
    with transaction(engine, user=user, action="import-lbf") as tx:
        return _write(tx, upload, importable_keys(upload), base_counts(upload), remember)


def _check_areas_exist(session: Session, upload: Upload) -> None:
    wanted = {a.area_id for a in upload.areas if not a.is_new and a.area_id is not None}
    wanted |= {a.parent_id for a in upload.areas if a.is_new and a.parent_id is not None}
    ordered = sorted(wanted)
    found: set[int] = set()
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        found.update(session.scalars(select(Area.id).where(Area.id.in_(chunk))))
    if found != wanted:
        raise _AreasGone()


def _ensure_measures(session: Session, keys: set[str]) -> dict[str, int]:
    ids = measure_ids_of(session, keys)
    missing = sorted(keys - set(ids))
    if missing:
        specs = {m["key"]: m for m in _shared_specs()}
        for key in missing:
            spec = specs.get(key)
            if spec is None:
                raise MonitorError(f"Målet '{key}' findes ikke i databasen.")
            session.add(
                Measure(
                    key=key,
                    name=spec["name"],
                    unit=spec["unit"],
                    population=spec.get("population"),
                    direction=int(spec.get("direction") or 0),
                    is_lbf=bool(spec.get("lbf", True)),
                )
            )
        session.flush()
        ids = measure_ids_of(session, keys)
    return ids


def _shared_specs() -> list[dict[str, Any]]:
    path = SEED_DIR / MEASURES_FILE
    if not path.exists():
        return []
    return list((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("measures") or [])


def _create_areas(session: Session, upload: Upload) -> list[int]:
    """Insert the upload's new areas (kommuner first) in bulk; fills in their ids."""
    created: list[int] = []
    kommuner: dict[str, int] = {}
    pending_kommuner: dict[str, AreaMatch] = {}
    for area in upload.areas:
        if area.is_new and area.kind == "kommune":
            pending_kommuner.setdefault(match_key(area.name), area)
        elif area.is_new and area.new_parent and area.parent_name:
            pending_kommuner.setdefault(
                match_key(area.parent_name),
                AreaMatch(
                    area.parent_name,
                    area.parent_code,
                    None,
                    area.parent_name,
                    "kommune",
                    None,
                    True,
                    "ny",
                ),
            )
    for key, spec in pending_kommuner.items():
        existing = session.scalar(
            select(Area.id).where(Area.kind == "kommune", Area.match_key == key)
        )
        if existing is None:
            new = Area(name=spec.name, kind="kommune", code=spec.code, match_key=key)
            session.add(new)
            session.flush()
            existing = new.id
            created.append(new.id)
        kommuner[key] = existing
    for area in upload.areas:
        if area.is_new and area.kind == "kommune":
            area.area_id = kommuner[match_key(area.name)]
    wanted = [a for a in upload.areas if a.is_new and a.kind != "kommune"]
    existing = _existing_areas(session, {match_key(a.name) for a in wanted})
    rows = []
    targets = []
    for area in wanted:
        found = existing.get((area.kind, match_key(area.name)))
        if found is not None:  # created meanwhile (another upload, or this one committed twice)
            area.area_id = found
            continue
        parent = area.parent_id
        if parent is None and area.parent_name:
            parent = kommuner.get(match_key(area.parent_name))
        rows.append(
            {
                "name": area.name,
                "kind": area.kind,
                "code": area.code,
                "match_key": match_key(area.name),
                "parent_id": parent,
            }
        )
        targets.append(area)
    if not rows:
        return created
    table = Area.__table__
    ids = new_ids(session, table, len(rows))
    if ids is not None:  # PostgreSQL: the ids first, then one COPY
        columns = {name: [row[name] for row in rows] for name in rows[0]}
        columns["parent_id"] = pd.array(columns["parent_id"], dtype="Int64")
        bulk_insert(session, table, {"id": ids, **columns})
    else:
        # Batched multi-row INSERT ... RETURNING; the rows come back in no given order, so each
        # new area is found by its (kind, match_key), unique among the new ones.
        # Core, not the ORM's bulk insert: no per-row ORM bookkeeping for a national file's areas.
        returning = (table.c.kind, table.c.match_key, table.c.id)
        inserted = session.execute(insert(table).returning(*returning), rows).all()
        found = {(kind, key): area_id for kind, key, area_id in inserted}
        ids = [found[(row["kind"], row["match_key"])] for row in rows]
    for area, area_id in zip(targets, ids, strict=True):
        area.area_id = area_id
        created.append(area_id)
    return created


def _existing_areas(session: Session, keys: set[str]) -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    ordered = sorted(keys)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        query = select(Area.kind, Area.match_key, Area.id).where(Area.match_key.in_(chunk))
        for kind, key, area_id in session.execute(query):
            found.setdefault((kind, key), area_id)
    return found


# Long: one transaction's writes in order (areas, measures, cells, memory); splitting would pass the session state around.
def _write(
    tx: Any, upload: Upload, keys: set[str], counts: dict[str, int], remember: bool
) -> tuple[int, dict[str, int]]:
    session: Session = tx.session
    _check_areas_exist(session, upload)
    original_ids = [a.area_id for a in upload.areas]
    try:
        measure_ids = _ensure_measures(session, keys)
        # New areas first (or the ids of areas created since the upload was read), so that the
        # comparison below sees the store as it is inside this transaction.
        created = _create_areas(session, upload)
        fresh = set(created)
        areas_fresh = all(a.area_id in fresh for a in upload.areas if a.is_new)
        merged = current_diff(session, upload, areas_fresh=areas_fresh)
        area_ids = np.array([a.area_id for a in upload.areas], dtype="int64")
        merged["area_id"] = area_ids[merged["area_ref"].to_numpy()]
        merged, created, note = _within_scope(tx, merged, created, counts)
        statuses = merged["status"].value_counts()
        counts.update({s: int(statuses.get(s, 0)) for s in ("new", "changed", "unchanged")})
        counts["suppressed"] = int((merged["state"] == "suppressed").sum())
        counts["new_areas"] = len(created)
        if not (counts["new"] or counts["changed"]):
            raise _NothingToWrite(counts, note)  # rolls back the areas too
        merged["measure_id"] = merged["measure_key"].map(measure_ids).astype("int64")
        table = upload.table
        batch = ImportBatch(
            kind=BATCH_KIND,
            file_name=table.file_name[:300],
            sha256=table.sha256,
            user=tx.user,
            mapping={
                "layout": table.layout,
                "file_format": table.file_format,
                "sheets": [layout.to_dict() for layout in table.layouts],
                "labels": {m.label: m.measure_key for m in upload.mapping if m.mapped or m.ignored},
                "area_map": {str(k): v for k, v in upload.area_map.items()},
                "sheet_areas": {str(k): v for k, v in upload.sheet_areas.items()},
                "created_areas": created,
                "counts": counts,
                "year": table.year_hint,
            },
            rows_accepted=len(merged),
            rows_rejected=int(counts["unmapped_cells"]),
            status="committed",
        )
        session.add(batch)
        session.flush()
        source = f"{SOURCE_PREFIX}: {table.file_name}"[:200]
        written = _rows_where(merged, (merged["status"] != "unchanged").to_numpy())
        existed = (written["status"] == "changed").to_numpy()
        changed, new = _rows_where(written, existed), _rows_where(written, ~existed)
        # What the batch replaces, cell by cell, with everything needed to put it back. The cells
        # it adds get no such row: the batch's id on them says it (undo deletes by that id and
        # counts them against the batch's counts to see that none was changed since).
        bulk_insert(
            session,
            ObservationChange.__table__,
            {
                "batch_id": batch.id,
                "measure_id": changed["measure_id"],
                "area_id": changed["area_id"],
                "year": changed["year"],
                "existed": True,
                "old_value": changed["old_value"],
                "old_state": changed["old_state"],
                "old_note": changed["old_note"],
                "old_source": changed["old_source"],
                "old_batch_id": changed["old_batch_id"].astype("Int64"),
            },
        )
        bulk_insert(
            session,
            Observation.__table__,
            {
                "measure_id": new["measure_id"],
                "area_id": new["area_id"],
                "year": new["year"],
                "value": new["value"],
                "state": new["state"],
                "note": None,
                "source": source,
                "batch_id": batch.id,
            },
        )
        bulk_update(
            session,
            Observation.__table__,
            {
                "value": changed["value"],
                "state": changed["state"],
                "note": None,
                "source": source,
                "batch_id": batch.id,
            },
            changed["obs_id"],
        )
        if remember:
            _remember(session, upload, tx.user)
            remember_area_choices(session, upload, tx.user)
        tx.audit(
            entity="import_batch",
            entity_id=batch.id,
            after={
                "file_name": table.file_name,
                "sha256": table.sha256,
                "counts": counts,
                "created_areas": len(created),
            },
        )
        return batch.id, counts, note
    except BaseException:
        for area, area_id in zip(upload.areas, original_ids, strict=True):
            area.area_id = area_id
        raise


def _rows_where(frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """`frame[mask]`, with no copy when the mask keeps every row or none: a new year's national
    file is all new cells, and a copy of its 320,000 rows would be made only to be read once."""
    if mask.all():
        return frame
    return frame.iloc[:0] if not mask.any() else frame[mask]


def _within_scope(
    tx: Any, merged: pd.DataFrame, created: list[int], counts: dict[str, int]
) -> tuple[pd.DataFrame, list[int], str | None]:
    """The cells the acting user may write, the areas created for them, and a sentence on the
    skipped ones (None: none). A file with nothing in scope is refused (AccessDenied)."""
    scope = write_scope(tx.session, tx.actor)
    counts["skipped_areas"], counts["skipped_cells"] = 0, 0
    if scope is None:
        return merged, created, None
    area_ids = merged["area_id"].to_numpy()
    outside = areas_outside(tx.session, scope, np.unique(area_ids).tolist(), created)
    if not outside:
        return merged, created, None
    inside = ~np.isin(area_ids, list(outside))
    counts["skipped_areas"], counts["skipped_cells"] = len(outside), int((~inside).sum())
    if not inside.any():
        raise AccessDenied(outside_text(scope, outside.values(), counts["skipped_cells"], None))
    kept = merged[inside]
    created = _drop_unused_areas(tx.session, created, set(kept["area_id"].tolist()))
    note = outside_text(scope, outside.values(), counts["skipped_cells"], "er sprunget over")
    return kept, created, note


def _drop_unused_areas(session: Session, created: list[int], used: set[int]) -> list[int]:
    """Delete the areas this write created that hold no written cell and lie above none that
    does (a skipped file's new afdelinger and kommuner); returns the created areas kept."""
    rows = session.execute(select(Area.id, Area.parent_id).where(Area.id.in_(created))).all()
    parents = {int(area_id): parent for area_id, parent in rows}
    needed = {i for i in created if i in used}
    for area_id in list(needed):
        parent = parents.get(area_id)
        while parent in parents and parent not in needed:
            needed.add(parent)
            parent = parents.get(parent)
    unused = [i for i in created if i not in needed]
    while unused:  # children before their parents
        leaves = [i for i in unused if not any(parents.get(o) == i for o in unused)]
        session.execute(delete(Area).where(Area.id.in_(leaves)))
        unused = [i for i in unused if i not in leaves]
    return [i for i in created if i in needed]


def _remember(session: Session, upload: Upload, user: str) -> None:
    for proposal in upload.mapping:
        if proposal.source != "valgt":
            continue
        key = match_key(proposal.label)
        if max(len(key), len(proposal.label)) > _LABEL_LENGTH or "\x00" in proposal.label:
            continue  # not storable as a memory; the import itself does not need it
        memory = session.scalar(select(MappingMemory).where(MappingMemory.label_key == key))
        if memory is None:
            memory = MappingMemory(label_key=key, label=proposal.label)
            session.add(memory)
        memory.measure_key = proposal.measure_key
        memory.confirmed_by = user
        memory.confirmed_at = pd.Timestamp.now("UTC").tz_localize(None).to_pydatetime()
