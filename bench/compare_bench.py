"""Benchmark of "Sammenlign områder" on a national-scale SQLite store.

8,000 afdelinger (under 1,000 boligområder in 98 kommuner) × 40 measures × 10 years = 3.2 M
observations, plus kommune and benchmark series. The store is generated once with bulk inserts into
a file under /tmp and reused by later runs (delete it, or pass --rebuild, to start over).

Timed, each as the median of a few runs after one warm-up:
- the page's query + computation for one measure and all areas (load, rank, top/bottom, heat
  table, index to first year), target < 1 s;
- the negative-development list for all measures, target < 5 s;
- the same two computed after first loading the whole observation table into pandas (the naive
  way), for the ratio.

Run: .venv/bin/python -m bench.compare_bench [--rebuild] [--db PATH]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from monitoring import compare
from monitoring.store.db import create_schema, get_engine

DEFAULT_DB = Path("/tmp/indikatormonitor-bench-compare.db")
KOMMUNER = 98
BOLIGOMRAADER = 1_000
AFDELINGER = 8_000
MEASURES = 40
YEARS = list(range(2016, 2026))
SUPPRESSED_SHARE = 0.03
EXPECTED_OBSERVATIONS = AFDELINGER * MEASURES * len(YEARS)


def _measures() -> list[tuple[Any, ...]]:
    rng = np.random.default_rng(7)
    rows = []
    for number in range(MEASURES):
        unit = "pct" if number < 30 else ("count" if number < 36 else "dkk")
        direction = int(rng.choice([1, -1]))
        rows.append(
            (
                number + 1,
                f"bench_{unit}_{number:02d}",
                f"Benchmål {number + 1:02d} ({unit})",
                unit,
                "18-64 år",
                direction,
                1,
            )
        )
    return rows


def _areas(afdelinger: int = AFDELINGER) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    next_id = 1
    kommune_ids = []
    for number in range(KOMMUNER):
        name = f"Benchkommune {number + 1:03d} Kommune"
        rows.append((next_id, name, "kommune", str(100 + number), name.lower(), None))
        kommune_ids.append(next_id)
        next_id += 1
    omraade_ids = []
    for number in range(BOLIGOMRAADER):
        name = f"Boligområde {number + 1:04d}"
        parent = kommune_ids[number % KOMMUNER]
        rows.append((next_id, name, "boligomraade", None, name.lower(), parent))
        omraade_ids.append(next_id)
        next_id += 1
    for number in range(afdelinger):
        name = f"Boligselskab {number // 40 + 1:03d} afd. {number % 40 + 1}"
        parent = omraade_ids[number % BOLIGOMRAADER]
        key = name.lower().replace(".", "")
        rows.append((next_id, name, "afdeling", str(number % 40 + 1), key, parent))
        next_id += 1
    for name in ("Hele landet", "Alle almene boligområder"):
        rows.append((next_id, name, "benchmark", None, name.lower(), None))
        next_id += 1
    return rows


def build_store(path: Path, afdelinger: int = AFDELINGER) -> None:
    """Schema through SQLAlchemy (same tables and indexes as the app), rows with bulk inserts."""
    if path.exists():
        path.unlink()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    engine = get_engine(f"sqlite:///{path}")
    create_schema(engine)
    engine.dispose()
    started = time.perf_counter()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.executemany(
        "INSERT INTO measure (id, key, name, unit, population, direction, is_lbf) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        _measures(),
    )
    areas = _areas(afdelinger)
    conn.executemany(
        "INSERT INTO area (id, name, kind, code, match_key, parent_id) VALUES (?, ?, ?, ?, ?, ?)",
        areas,
    )
    rng = np.random.default_rng(11)
    kinds = np.array([a[2] for a in areas])
    area_ids = np.array([a[0] for a in areas])
    subject = area_ids[kinds == "afdeling"]
    reference = area_ids[(kinds == "kommune") | (kinds == "benchmark")]
    years = np.array(YEARS)
    for measure in _measures():
        measure_id, unit = measure[0], measure[3]
        for ids, suppress in ((subject, SUPPRESSED_SHARE), (reference, 0.0)):
            n_areas = len(ids)
            if unit == "pct":
                start = rng.uniform(10, 80, n_areas)
                steps = rng.normal(0, 1.5, (n_areas, len(years)))
                values = np.clip(start[:, None] + np.cumsum(steps, axis=1), 0, 100)
            else:
                start = rng.uniform(20, 400, n_areas) * (1_000 if unit == "dkk" else 1)
                steps = rng.normal(0, 0.05, (n_areas, len(years)))
                values = start[:, None] * np.cumprod(1 + steps, axis=1)
            values = np.round(values, 2)
            suppressed = rng.random(values.shape) < suppress
            area_col = np.repeat(ids, len(years))
            year_col = np.tile(years, n_areas)
            flat_values = values.ravel().astype(object)
            flat_suppressed = suppressed.ravel()
            flat_values[flat_suppressed] = None
            states = np.where(flat_suppressed, "suppressed", "ok")
            conn.executemany(
                "INSERT INTO observation (measure_id, area_id, year, value, state, source) "
                "VALUES (?, ?, ?, ?, ?, 'bench')",
                zip(
                    [measure_id] * len(area_col),
                    area_col.tolist(),
                    year_col.tolist(),
                    flat_values.tolist(),
                    states.tolist(),
                    strict=True,
                ),
            )
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    print(f"Store built in {time.perf_counter() - started:.1f} s: {path}")


def store_ready(path: Path, afdelinger: int = AFDELINGER) -> bool:
    if not path.exists():
        return False
    try:
        conn = sqlite3.connect(path)
        count = conn.execute(
            "SELECT COUNT(*) FROM observation o JOIN area a ON a.id = o.area_id "
            "WHERE a.kind = 'afdeling'"
        ).fetchone()[0]
        conn.close()
    except sqlite3.Error:
        return False
    return count == afdelinger * MEASURES * len(YEARS)


def timed(function: Callable[[], Any], runs: int = 3) -> tuple[float, float, Any]:
    """(first run, median of the following runs) in seconds, and the last result."""
    started = time.perf_counter()
    result = function()
    first = time.perf_counter() - started
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return first, statistics.median(times), result


def page_computation(engine: Any, key: str) -> dict[str, Any]:
    """What the page does for one measure and all areas (every view's computation)."""
    data = compare.load_comparison(engine, key, compare.AreaFilter(), actor="test")
    direction = int(data.measure["direction"])
    year = compare.latest_year(data.observations)
    ranking = compare.rank_areas(data.observations, year, direction)
    selection, omitted = compare.top_bottom(ranking, 10)
    chosen = data.observations[data.observations["area_id"].isin(selection["area_id"])]
    table = compare.heat_table(
        chosen, data.measure["unit"], direction, data.years, order=list(selection["area_id"])
    )
    indexed = compare.index_to_first_year(chosen)
    return {
        "rows": len(data.observations),
        "areas": len(ranking),
        "omitted": omitted,
        "heat": table.values.shape,
        "indexed": len(indexed),
    }


def naive_page_computation(engine: Any, key: str) -> dict[str, Any]:
    """The same, after first reading the whole observation table (with areas) into pandas."""
    with engine.connect() as conn:
        everything = pd.read_sql(
            "SELECT o.measure_id, o.area_id, a.name AS area, a.kind, o.year, o.value, o.state "
            "FROM observation o JOIN area a ON a.id = o.area_id",
            conn,
        )
        measure = pd.read_sql("SELECT id, key, unit, direction FROM measure", conn)
    row = measure[measure["key"] == key].iloc[0]
    frame = everything[
        (everything["measure_id"] == row["id"]) & everything["kind"].isin(compare.SUBJECT_KINDS)
    ].copy()
    frame["kommune"] = None
    frame.loc[frame["state"] != "ok", "value"] = np.nan
    frame = compare.with_labels(frame)
    year = compare.latest_year(frame)
    ranking = compare.rank_areas(frame, year, int(row["direction"]))
    selection, _ = compare.top_bottom(ranking, 10)
    chosen = frame[frame["area_id"].isin(selection["area_id"])]
    compare.heat_table(chosen, row["unit"], int(row["direction"]), order=list(selection["area_id"]))
    compare.index_to_first_year(chosen)
    return {"rows": len(frame), "areas": len(ranking)}


def naive_alerts(engine: Any) -> pd.DataFrame:
    """All-measure alerts after reading the whole observation table into pandas."""
    with engine.connect() as conn:
        everything = pd.read_sql(
            "SELECT o.measure_id, o.area_id, a.name AS area, a.kind, o.year, o.value, o.state "
            "FROM observation o JOIN area a ON a.id = o.area_id",
            conn,
        )
        measures = pd.read_sql("SELECT id, key, name, unit, direction FROM measure", conn)
    frame = everything[
        (everything["state"] == "ok")
        & everything["value"].notna()
        & everything["kind"].isin(compare.SUBJECT_KINDS)
    ]
    latest = frame.groupby("measure_id")["year"].max().rename("alert_year")
    frame = frame.join(latest, on="measure_id")
    wide = {
        name: frame[frame["year"] == frame["alert_year"] - offset].set_index(
            ["measure_id", "area_id"]
        )["value"]
        for name, offset in (("value", 0), ("value_1y", 1), ("value_3y", 3))
    }
    cells = pd.DataFrame(wide).reset_index()
    cells = cells.merge(measures, left_on="measure_id", right_on="id")
    cells = cells.rename(columns={"key": "measure", "name": "measure_name"})
    return compare.negative_development(cells.assign(year=0, area="", kind="", kommune=None))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    if args.rebuild or not store_ready(args.db):
        print(f"Building the national-scale store ({EXPECTED_OBSERVATIONS:,} observations) ...")
        build_store(args.db)
    else:
        print(f"Reusing {args.db}")
    engine = get_engine(f"sqlite:///{args.db}")
    create_schema(engine)  # upgrades a store built by an older version
    key = "bench_pct_00"

    first, page, result = timed(lambda: page_computation(engine, key))
    print(
        f"Page, one measure, all areas: {page:.3f} s (first run {first:.3f} s) "
        f"– {result['rows']:,} observations, {result['areas']:,} areas ranked, target < 1 s"
    )
    first_alerts, alerts_time, found = timed(lambda: compare.alerts(engine, actor="test"), runs=2)
    print(
        f"Alerts, all measures: {alerts_time:.3f} s (first run {first_alerts:.3f} s) "
        f"– {len(found):,} areas × measures flagged, target < 5 s"
    )
    _, naive_page, _ = timed(lambda: naive_page_computation(engine, key), runs=1)
    _, naive_alert_time, naive_found = timed(lambda: naive_alerts(engine), runs=1)
    print(
        f"Naive (whole observation table into pandas first): page {naive_page:.3f} s, "
        f"alerts {naive_alert_time:.3f} s"
    )
    print(
        f"Ratios: page {naive_page / page:.1f}× faster than loading everything first; "
        f"alerts {naive_alert_time / alerts_time:.1f}× faster."
    )
    same = len(naive_found) == len(found)
    print(f"Same number of alerts both ways: {same} ({len(found):,} vs {len(naive_found):,})")
    ok = page < 1.0 and alerts_time < 5.0
    print("Targets met." if ok else "TARGET MISSED.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
