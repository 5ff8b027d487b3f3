"""The preview: every importable cell against what the store holds (new, changed, unchanged)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from monitoring.access.actor import Actor
from monitoring.access.checks import reader
from monitoring.access.enforce import WriteScope, areas_outside, outside_text, write_scope
from monitoring.ingest.catalog import measure_ids_of
from monitoring.ingest.revisions import baseline_revisions
from monitoring.ingest.types import Preview, StoreDiff, Upload
from monitoring.lbf import WARNING, Problem, no_texts
from monitoring.store.models import AuditEvent, Observation

_PREVIEW_COLUMNS = [
    "area",
    "area_kind",
    "new_area",
    "measure",
    "measure_name",
    "unit",
    "year",
    "status",
    "old_value",
    "old_state",
    "new_value",
    "new_state",
    "sheet",
    "row",
    "column",
]


def importable_cells(upload: Upload) -> pd.DataFrame:
    frame = upload.frame
    cells = frame.loc[
        frame["importable"],
        ["area_ref", "measure_key", "unit", "year", "value", "state", "sheet", "row", "column"],
    ]  # a new frame already (a mask selects by copying): no second copy
    cells["year"] = cells["year"].astype("int64")
    ok = (cells["state"] == "ok").to_numpy()
    if cells["value"].notna().to_numpy()[~ok].any():  # a value on a suppressed cell: none
        cells["value"] = cells["value"].where(ok)
    return cells


def stored_observations(
    session: Session, measure_ids: Sequence[int], years: Sequence[int]
) -> pd.DataFrame:
    columns = ["obs_id", "measure_id", "area_id", "year", "old_value", "old_state"]
    columns += ["old_note", "old_source", "old_batch_id"]
    if not measure_ids:
        return pd.DataFrame(columns=columns)
    rows = session.execute(
        select(
            Observation.id,
            Observation.measure_id,
            Observation.area_id,
            Observation.year,
            Observation.value,
            Observation.state,
            Observation.note,
            Observation.source,
            Observation.batch_id,
        )
        .where(Observation.measure_id.in_(list(measure_ids)))
        .where(Observation.year.in_(list(years)))
    ).all()
    return pd.DataFrame(rows, columns=columns)


def store_stamp(session: Session) -> int:
    """The latest audit event's id: every write adds one, and writes are serialised by the write
    lock, so an unchanged stamp means nothing was written since it was read."""
    return session.scalar(select(func.max(AuditEvent.id))) or 0


def has_importable(upload: Upload) -> bool:
    return bool(upload.frame["importable"].any())


def importable_keys(upload: Upload) -> set[str]:
    """The measure keys of the importable cells."""
    frame = upload.frame
    return set(frame.loc[frame["importable"], "measure_key"].dropna().unique().tolist())


def current_diff(session: Session, upload: Upload, *, areas_fresh: bool) -> pd.DataFrame:
    """The diff for a commit, under the write lock: the preview's when nothing was written since
    it was computed and every area the upload calls new was created just now (one created by
    another write after the file was resolved may already hold figures), else computed now.
    Ids and columns the commit adds go on a copy. The importable cells are only taken (copied
    out of the frame) when the diff must be computed again."""
    kept = upload.diff
    if kept is not None and areas_fresh and kept.stamp == store_stamp(session):
        return kept.merged.copy(deep=False)
    return diff_with_store(session, upload, importable_cells(upload))


def diff_with_store(session: Session, upload: Upload, cells: pd.DataFrame) -> pd.DataFrame:
    """Importable cells joined with what the store holds now, with a status per cell."""
    ids = measure_ids_of(session, set(cells["measure_key"].dropna().unique().tolist()))
    keys = cells["measure_key"].astype("category")
    cells = cells.assign(
        measure_id=_looked_up(keys.cat.codes.to_numpy(), [ids.get(k) for k in keys.cat.categories]),
        area_id=_looked_up(cells["area_ref"].to_numpy(), [a.area_id for a in upload.areas]),
    )
    years = sorted(set(cells["year"].unique().tolist()))
    existing = stored_observations(session, sorted(set(ids.values())), years)
    if existing.empty:  # a new year (or new measures): every cell is new, nothing to join
        nothing = no_texts(len(cells))
        missing = np.full(len(cells), np.nan, dtype=np.float32)  # all missing: half the bytes
        merged = cells.reset_index(drop=True).assign(
            obs_id=missing,
            old_value=missing.copy(),
            old_state=nothing,
            old_note=nothing,
            old_source=nothing,
            old_batch_id=missing.copy(),
        )
    else:
        existing = existing.astype(
            {"measure_id": "Int64", "area_id": "Int64", "year": "int64", "old_value": "float64"}
        )
        merged = cells.merge(existing, on=["measure_id", "area_id", "year"], how="left")
    exists = merged["obs_id"].notna().to_numpy()
    states = merged["state"].astype("category").cat
    old_states = pd.Categorical(merged["old_state"], categories=states.categories).codes
    same = (states.codes.to_numpy() == old_states) & (old_states >= 0)
    new_v = merged["value"].to_numpy(dtype=float)
    old_v = merged["old_value"].to_numpy(dtype=float)
    same &= np.isclose(new_v, old_v, rtol=1e-9, atol=1e-9, equal_nan=True)
    codes = np.ones(len(merged), dtype="int8")  # changed, unless new or the same
    codes[~exists] = 0
    codes[same & exists] = 2
    merged["status"] = pd.Categorical.from_codes(codes, categories=STATUSES)
    return merged


def _looked_up(positions: np.ndarray, ids: list[int | None]) -> pd.arrays.IntegerArray:
    """`ids[position]` on every row as Int64 (<NA> for a missing id or position -1), by one
    array lookup rather than a dict lookup per row."""
    table = np.array([-1 if i is None else i for i in ids] + [-1], dtype="int64")
    values = table[positions]
    return pd.arrays.IntegerArray(values, values < 0)


STATUSES = ["new", "changed", "unchanged"]


def _by_area(values: list[object], refs: np.ndarray) -> pd.Categorical:
    """An area's name or kind on each of its cells: a code per cell, the text once."""
    codes, uniques = pd.factorize(np.array(values, dtype=object), use_na_sentinel=False)
    return pd.Categorical.from_codes(codes[refs], categories=uniques)


def preview(engine: Engine, upload: Upload, *, actor: Actor | str) -> Preview:
    """New, changed (old → new) and unchanged observations, per cell, of the areas `actor` may
    write; a warning names the cells the import would skip as outside its plans. Writes nothing."""
    cells = importable_cells(upload)
    counts = base_counts(upload)
    if cells.empty:
        return Preview(pd.DataFrame(columns=_PREVIEW_COLUMNS), counts)
    found = reader(engine, actor)
    with Session(engine) as session:
        stamp = store_stamp(session)  # before the comparison: a write after it changes the stamp
        merged = diff_with_store(session, upload, cells)
        warnings = baseline_revisions(session, merged)
        scope = write_scope(session, found)
        outside = _outside_refs(session, scope, upload)
    upload.diff = StoreDiff(stamp, merged)
    if outside:  # outside new areas are not created; one without cells (a kommune) is not named
        counts["new_areas"] -= sum(1 for i in outside if upload.areas[i].is_new)
        skipped = merged["area_ref"].isin(list(outside)).to_numpy()
        outside = {i: outside[i] for i in set(merged.loc[skipped, "area_ref"].tolist())}
        counts["skipped_areas"], counts["skipped_cells"] = len(outside), int(skipped.sum())
        verb = "springes over, når filen gemmes" if not skipped.all() else None
        text = outside_text(scope, outside.values(), counts["skipped_cells"], verb)
        warnings.append(Problem(WARNING, "outside_scope", text))
        merged = merged[~skipped]
    refs = merged["area_ref"].to_numpy()
    new_flags = np.array([a.is_new for a in upload.areas], dtype=bool)
    measure_names = {k: m.name for k, m in upload.measures.items()}
    # Texts repeated on every cell are categorical: a national file's 320,000 cells name a few
    # thousand areas and a few dozen measures.
    out = pd.DataFrame(
        {
            "area": _by_area([a.name for a in upload.areas], refs),
            "area_kind": _by_area([a.kind for a in upload.areas], refs),
            "new_area": new_flags[refs],
            "measure": merged["measure_key"],
            "measure_name": merged["measure_key"].map(measure_names),
            "unit": merged["unit"],
            "year": merged["year"],
            "status": merged["status"],
            "old_value": merged["old_value"],
            "old_state": merged["old_state"].astype("category"),
            "new_value": merged["value"],
            "new_state": merged["state"],
            "sheet": merged["sheet"],
            "row": merged["row"],
            "column": merged["column"],
        },
        copy=False,
    )
    statuses = out["status"].value_counts()
    counts.update({s: int(statuses.get(s, 0)) for s in ("new", "changed", "unchanged")})
    counts["suppressed"] = int((out["new_state"] == "suppressed").sum())
    return Preview(out, counts, warnings)


def _outside_refs(session: Session, scope: WriteScope | None, upload: Upload) -> dict[int, str]:
    """The upload's areas (by position) outside the write scope; new ones judged by their parent."""
    if scope is None:
        return {}
    ids = {i: a.area_id for i, a in enumerate(upload.areas) if not a.is_new}
    names = areas_outside(session, scope, [i for i in ids.values() if i is not None])
    outside = {i: names[area_id] for i, area_id in ids.items() if area_id in names}
    for i, area in enumerate(upload.areas):
        if area.is_new and not scope.allows_new(None if area.new_parent else area.parent_id):
            outside[i] = area.name
    return outside


def base_counts(upload: Upload) -> dict[str, int]:
    frame = upload.frame
    unmapped_labels = upload.unmapped
    unmapped_set = {m.label for m in unmapped_labels}
    return {
        "new": 0,
        "changed": 0,
        "unchanged": 0,
        "suppressed": 0,
        "unmapped": len(unmapped_labels),
        "unmapped_cells": int(frame["label"].isin(unmapped_set).sum()) if len(frame) else 0,
        "ignored": sum(1 for m in upload.mapping if m.ignored),
        "new_areas": len(upload.new_areas),
        "skipped_areas": 0,
        "skipped_cells": 0,
        "errors": len(upload.errors),
        "warnings": len(upload.warnings),
    }
