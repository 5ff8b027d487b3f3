"""A clearly labelled synthetic demo set: plausible yearly values around the real baselines.

The delaftaler's baselines are real; later years are not public. The demo series start at each
baseline (and each comparator's baseline) and wander to 2025 with a gentle drift, so every view of
the app has something to show. Deterministic: the same seed gives the same file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, insert, or_, select
from sqlalchemy.orm import Session

from monitoring.errors import MonitorError
from monitoring.resources import DATA_DIR
from monitoring.store.db import transaction
from monitoring.store.models import Area, ImportBatch, Measure, Observation

DEMO_FILE = DATA_DIR / "demo_observations.csv"
DEMO_LAST_YEAR = 2025
DEMO_FIRST_MEASUREMENT = {"pct": 20.0, "count": 10.0, "dkk": 250_000.0}
DEMO_COLUMNS = ["measure", "area", "area_kind", "year", "value", "state"]
DEMO_KIND = "demo"
DEMO_SOURCE = "Demodata"  # every demo observation's source, also in stores older than this code
DEMO_LABEL = "Demotal (opfundne)"  # how the import history names a demo load
REMOVE_HINT = (
    "Fjern dem under Upload data › Importhistorik (Fjern demotal) eller med "
    "'python -m monitoring remove-demo'."
)


def _rng(*parts: object) -> np.random.Generator:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def _walk(
    start: float, years: int, unit: str, drift: float, rng: np.random.Generator
) -> np.ndarray:
    """A random walk from `start`: absolute steps for shares, relative steps for counts and kroner.

    Shares near 0 or 100 move less, as real small shares do (2,5 % does not drop 2 points a year).
    """
    if unit == "pct":
        scale = min(1.0, max(0.15, min(start, 100.0 - start) / 15.0))
        steps = rng.normal(drift * 1.2 * scale, 1.1 * scale, years)
        return np.clip(start + np.concatenate([[0.0], np.cumsum(steps)[:-1]]), 0.0, 100.0)
    steps = rng.normal(drift * 0.04, 0.03, years)
    return start * np.concatenate([[1.0], np.cumprod(1 + steps)[:-1]])


def _milestone_series(first_year: int, rng: np.random.Generator) -> list[tuple[int, float]]:
    achieved_after = int(rng.integers(1, 4))
    return [
        (year, 2.0 if year - first_year >= achieved_after else 1.0 if year > first_year else 0.0)
        for year in range(first_year, DEMO_LAST_YEAR + 1)
    ]


def _indicator_rows(plan: dict[str, Any], ind: dict[str, Any]) -> list[dict[str, Any]]:
    unit, direction = ind["unit"], ind["direction"] or 1
    base = ind["baseline"]
    first_year = base.get("year") or int(plan["period"]["start"][:4])
    rng = _rng(plan["slug"], ind["measure"], ind["area"])
    rows: list[dict[str, Any]] = []

    def add(area: str, kind: str, year: int, value: float | None, state: str = "ok") -> None:
        rows.append(
            {
                "measure": ind["measure"],
                "area": area,
                "area_kind": kind,
                "year": year,
                "value": None if value is None else round(float(value), 2 if unit == "pct" else 0),
                "state": state,
            }
        )

    if unit == "status":
        for year, value in _milestone_series(first_year, rng):
            add(ind["area"], ind["area_kind"], year, value)
        return rows
    years = DEMO_LAST_YEAR - first_year + 1
    if years < 1:
        return rows
    start = base.get("value")
    if start is None:
        start = DEMO_FIRST_MEASUREMENT[unit]
    # Most areas improve a little, some stand still or slip, as in real life.
    drift = direction * float(rng.choice([1.0, 0.6, 0.0, -0.8], p=[0.45, 0.25, 0.15, 0.15]))
    for offset, value in enumerate(_walk(start, years, unit, drift, rng)):
        suppressed = offset > 0 and rng.random() < 0.04
        add(
            ind["area"],
            ind["area_kind"],
            first_year + offset,
            None if suppressed else value,
            "suppressed" if suppressed else "ok",
        )
    for comp in ind["comparators"]:
        if comp.get("value") is None:
            continue
        comp_rng = _rng(plan["slug"], ind["measure"], comp["area"])
        comp_first = comp.get("year") or first_year
        series = _walk(
            comp["value"], DEMO_LAST_YEAR - comp_first + 1, unit, direction * 0.3, comp_rng
        )
        for offset, value in enumerate(series):
            add(comp["area"], comp["area_kind"], comp_first + offset, value)
    return rows


def generate_demo(snapshot: dict[str, Any]) -> pd.DataFrame:
    """Demo observations for every indicator of the snapshot: one row per measure, area and year.

    The first row for a cell wins, so an area shared by two indicators gets one consistent series.
    """
    rows = [
        row
        for plan in snapshot["plans"]
        for agreement in plan["agreements"]
        for subgoal in agreement["subgoals"]
        for ind in subgoal["indicators"]
        for row in _indicator_rows(plan, ind)
    ]
    frame = pd.DataFrame(rows, columns=DEMO_COLUMNS)
    return frame.drop_duplicates(["measure", "area", "year"], keep="first").reset_index(drop=True)


def demo_batches():
    """The query of every demo load's batch id (marked `is_demo`, or of kind "demo")."""
    return select(ImportBatch.id).where(
        or_(ImportBatch.is_demo.is_(True), ImportBatch.kind == DEMO_KIND)
    )


def orphan_demo_rows():
    """Demo observations whose batch is gone (the batch id was set to NULL): marked by source."""
    return select(Observation.id).where(
        Observation.batch_id.is_(None), Observation.source == DEMO_SOURCE
    )


def active_demo_batch(session: Session) -> int | None:
    """The id of the committed demo load, if any."""
    query = demo_batches().where(ImportBatch.status == "committed").order_by(ImportBatch.id)
    return session.scalar(query.limit(1))


def demo_active(engine: Engine) -> bool:
    """Whether the store holds demo figures (a committed demo load, or demo rows of a store
    whose demo batch is gone), so views show the banner. Unscoped on purpose: one yes/no about
    the whole store, which every reader must be warned of, and nothing of any plan."""
    with Session(engine) as session:
        if active_demo_batch(session) is not None:
            return True
        return session.scalar(orphan_demo_rows().limit(1)) is not None


def demo_was_removed(engine: Engine) -> bool:
    """Whether a demo load was removed: `demo --if-empty` (make run) then leaves it removed."""
    with Session(engine) as session:
        query = demo_batches().where(ImportBatch.status == "undone")
        return session.scalar(query.limit(1)) is not None


def has_real_observations(engine: Engine) -> bool:
    """Whether anything beyond the delaftalernes own baselines has been loaded."""
    with Session(engine) as session:
        query = select(ImportBatch.id).where(
            ImportBatch.kind != "seed", ImportBatch.status == "committed"
        )
        return session.scalar(query.limit(1)) is not None


def load_demo(engine: Engine, frame: pd.DataFrame, user: str = "demo") -> int:
    """Write the demo set as one demo batch; cells the store already has are left untouched.

    Returns the number of observations added. Refused (one Danish sentence) while demo figures
    are loaded: a second load would add nothing and only blur the history.
    """
    with transaction(engine, user=user, action="demo") as tx:
        session = tx.session
        loaded = active_demo_batch(session)
        if loaded is not None or session.scalar(orphan_demo_rows().limit(1)) is not None:
            where = f" (import #{loaded})" if loaded is not None else ""
            raise MonitorError(f"Demodata er allerede indlæst{where}. {REMOVE_HINT}")
        areas = {(a.kind, a.name): a.id for a in session.scalars(select(Area))}
        measures = {m.key: m.id for m in session.scalars(select(Measure))}
        existing = set(
            session.execute(select(Observation.measure_id, Observation.area_id, Observation.year))
        )
        batch = ImportBatch(
            kind=DEMO_KIND,
            file_name=DEMO_FILE.name,
            sha256=_frame_sha(frame),
            user=user,
            is_demo=True,
        )
        session.add(batch)
        session.flush()
        rows = []
        for row in frame.itertuples(index=False):
            cell = (measures.get(row.measure), areas.get((row.area_kind, row.area)), int(row.year))
            if None in cell or cell in existing:
                continue
            value = None if pd.isna(row.value) else float(row.value)
            rows.append(
                {
                    "measure_id": cell[0],
                    "area_id": cell[1],
                    "year": cell[2],
                    "value": value,
                    "state": row.state,
                    "source": DEMO_SOURCE,
                    "batch_id": batch.id,
                }
            )
        if rows:
            session.execute(insert(Observation), rows)
        batch.rows_accepted = len(rows)
        batch.mapping = {"counts": {"new": len(rows), "changed": 0, "unchanged": 0}}
        tx.audit(entity="import_batch", entity_id=batch.id, after={"demo_rows": len(rows)})
    return len(rows)


def _frame_sha(frame: pd.DataFrame) -> str:
    return hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()


def read_demo_file(path: Path | None = None) -> pd.DataFrame:
    return pd.read_csv(path or DEMO_FILE, dtype={"year": int})
