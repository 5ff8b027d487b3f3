"""Benchmark: a national-scale LBF area list read, validated and committed into SQLite.

    python -m bench.lbf_bench [--areas 8000] [--columns 40] [--suppressed 0.05]

8,000 afdelinger × 40 indikator columns with 5 % suppressed cells, imported two ways in the same
run, each in its own process (so peak memory is its own) on its own copy of the same store:

- fast:  monitoring.ingest.read_upload (python-calamine, vectorised parsing and validation) +
         preview + commit (bulk inserts in one transaction, with the undo records);
- naive: pandas.read_excel(engine="openpyxl") + one ORM object inserted per value (areas looked
         up one by one), committed at the end.

Targets (issue 6): fast < 5 s, peak memory < 500 MB, and at least 5× faster than naive.
Prints both times, the ratio and the peak memory (max RSS) of each path.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RESULTS = ROOT / "bench" / "results"
KOMMUNER = [
    ("Aalborg", 851),
    ("Guldborgsund", 376),
    ("Holstebro", 661),
    ("Horsens", 615),
    ("Svendborg", 479),
    ("København", 101),
    ("Aarhus", 751),
    ("Odense", 461),
]
SHARED_COLUMNS = {
    "employed_18_64": "Andel 18-64-årige i beskæftigelse (%)",
    "public_support_18_64": "Andel 18-64-årige på offentlig forsørgelse (%)",
    "unemployed_and_activated": "Andel ledige og aktiverede (%)",
    "household_income_avg": "Gennemsnitlig husstandsindkomst (kr.)",
}


def bench_measures(columns: int) -> list[dict[str, object]]:
    """The measures of the benchmark's columns: four shared LBF ones, the rest synthetic."""
    specs: list[dict[str, object]] = [
        {"key": key, "name": name, "unit": "dkk" if "indkomst" in name else "pct"}
        for key, name in SHARED_COLUMNS.items()
    ]
    for i in range(len(specs), columns):
        unit = "pct" if i % 3 else "count"
        specs.append(
            {
                "key": f"bench_indicator_{i:02d}",
                "name": f"Benchmarkindikator {i:02d} ({'%' if unit == 'pct' else 'antal'})",
                "unit": unit,
            }
        )
    return specs[:columns]


def make_workbook(path: Path, areas: int, columns: int, suppressed: float) -> None:
    import numpy as np
    import xlsxwriter

    rng = np.random.default_rng(6)
    specs = bench_measures(columns)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Afdelinger 2023")
    sheet.write(0, 0, "Boligsociale data – alle almene afdelinger 2023 (syntetisk benchmark)")
    header = ["Kommune", "Afdelingsnummer", "Afdeling", *[str(s["name"]) for s in specs]]
    for c, text in enumerate(header):
        sheet.write_string(2, c, text)
    values = rng.uniform(0, 100, size=(areas, columns))
    hidden = rng.random(size=(areas, columns)) < suppressed
    tokens = ["..", "x", "<5", "*", "diskr."]
    for r in range(areas):
        kommune = KOMMUNER[r % len(KOMMUNER)][0]
        row = 3 + r
        sheet.write_string(row, 0, kommune)
        sheet.write_number(row, 1, r + 1)
        sheet.write_string(row, 2, f"Benchmark Boligselskab afd. {r + 1}")
        for c, spec in enumerate(specs):
            if hidden[r, c]:
                sheet.write_string(row, 3 + c, tokens[(r + c) % len(tokens)])
            elif spec["unit"] == "dkk":
                sheet.write_number(row, 3 + c, round(200_000 + values[r, c] * 3_000))
            elif spec["unit"] == "count":
                sheet.write_number(row, 3 + c, round(values[r, c] * 20))
            else:
                sheet.write_number(row, 3 + c, round(values[r, c], 1))
    workbook.close()


def make_store(path: Path, columns: int) -> None:
    fill_store(f"sqlite:///{path}", columns)


def fill_store(url: str, columns: int) -> None:
    """A fresh store at `url`: the seed plus the measures of the benchmark's columns."""
    from monitoring.seed import load_seed
    from monitoring.store.db import create_schema, drop_schema, get_engine, transaction
    from monitoring.store.models import Measure

    engine = get_engine(url)
    drop_schema(engine)
    create_schema(engine)
    load_seed(engine)
    with transaction(engine, user="bench", action="bench") as tx:
        existing = {m.key for m in tx.session.query(Measure)}
        for spec in bench_measures(columns):
            if spec["key"] not in existing:
                tx.session.add(
                    Measure(key=spec["key"], name=spec["name"], unit=spec["unit"], is_lbf=True)
                )
    engine.dispose()


def run_fast(file: Path, db: Path) -> dict[str, object]:
    from monitoring import ingest
    from monitoring.store.db import get_engine

    engine = get_engine(f"sqlite:///{db}")
    start = time.perf_counter()
    data = file.read_bytes()
    upload = ingest.read_upload(engine, data, file.name)
    read = time.perf_counter()
    if upload.blocking:
        raise SystemExit("\n".join(p.describe() for p in upload.errors[:10]))
    result = ingest.commit(engine, upload, user="bench")
    end = time.perf_counter()
    return {
        "seconds": end - start,
        "read_validate_seconds": read - start,
        "commit_seconds": end - read,
        "new": result.counts["new"],
        "suppressed": result.counts["suppressed"],
        "new_areas": result.counts["new_areas"],
    }


def run_naive(file: Path, db: Path) -> dict[str, object]:
    import pandas as pd
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from monitoring.names import match_key
    from monitoring.store.db import get_engine
    from monitoring.store.models import Area, ImportBatch, Measure, Observation

    engine = get_engine(f"sqlite:///{db}")
    start = time.perf_counter()
    frame = pd.read_excel(file, engine="openpyxl", header=2)
    count = 0
    with Session(engine) as session:
        batch = ImportBatch(kind="naive", file_name=file.name, sha256="-", user="bench")
        session.add(batch)
        session.flush()
        by_key = {m.key: m for m in session.scalars(select(Measure))}
        measures = {
            str(spec["name"]): by_key[str(spec["key"])]
            for spec in bench_measures(len(frame.columns))
            if spec["key"] in by_key
        }
        columns = [c for c in frame.columns if c in measures]
        for _, row in frame.iterrows():
            name = str(row["Afdeling"])
            area = session.scalar(
                select(Area).where(Area.kind == "afdeling", Area.match_key == match_key(name))
            )
            if area is None:
                area = Area(
                    name=name,
                    kind="afdeling",
                    code=str(row["Afdelingsnummer"]),
                    match_key=match_key(name),
                )
                session.add(area)
                session.flush()
            for column in columns:
                value = row[column]
                try:
                    number = float(value)
                    state = "ok"
                except (TypeError, ValueError):
                    number, state = None, "suppressed"
                session.add(
                    Observation(
                        measure_id=measures[column].id,
                        area_id=area.id,
                        year=2023,
                        value=number,
                        state=state,
                        batch_id=batch.id,
                    )
                )
                count += 1
        session.commit()
    return {"seconds": time.perf_counter() - start, "new": count}


def child(path_kind: str, file: Path, db: Path) -> None:
    result = run_fast(file, db) if path_kind == "fast" else run_naive(file, db)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, default=8000)
    parser.add_argument("--columns", type=int, default=40)
    parser.add_argument("--suppressed", type=float, default=0.05)
    parser.add_argument("--child", choices=["fast", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--skip-naive", action="store_true", help="only the fast path")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.file, args.db)
        return 0

    RESULTS.mkdir(parents=True, exist_ok=True)
    file = RESULTS / f"lbf_area_list_{args.areas}x{args.columns}.xlsx"
    if not file.exists():
        print(f"Making {file.name} ...", flush=True)
        make_workbook(file, args.areas, args.columns, args.suppressed)
    store = RESULTS / "lbf_bench_store.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)
    make_store(store, args.columns)
    results: dict[str, dict[str, object]] = {}
    kinds = ["fast"] if args.skip_naive else ["fast", "naive"]
    for kind in kinds:
        db = RESULTS / f"lbf_bench_{kind}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        shutil.copy(store, db)
        child_args = ["--child", kind, "--file", str(file), "--db", str(db)]
        done = subprocess.run(
            [sys.executable, "-m", "bench.lbf_bench", *child_args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(done.stdout, done.stderr, file=sys.stderr)
            return 1
        results[kind] = json.loads(done.stdout.strip().splitlines()[-1])
    fast = results["fast"]
    cells = args.areas * args.columns
    print(f"File: {file.name} ({file.stat().st_size / 1e6:.1f} MB, {cells:,} values)")
    print(
        f"fast  (calamine + bulk insert): {fast['seconds']:.2f} s "
        f"(read+validate {fast['read_validate_seconds']:.2f} s, commit {fast['commit_seconds']:.2f} s), "
        f"peak RSS {fast['peak_rss_mb']:.0f} MB, {fast['new']:,} observations, "
        f"{fast['suppressed']:,} suppressed, {fast['new_areas']:,} new areas"
    )
    verdict = [fast["seconds"] < 5, fast["peak_rss_mb"] < 500]
    if "naive" in results:
        naive = results["naive"]
        ratio = naive["seconds"] / fast["seconds"]
        print(
            f"naive (openpyxl + ORM per value): {naive['seconds']:.2f} s, "
            f"peak RSS {naive['peak_rss_mb']:.0f} MB, {naive['new']:,} observations"
        )
        print(f"ratio naive/fast: {ratio:.1f}x")
        verdict.append(ratio >= 5)
    print(
        "targets (< 5 s, < 500 MB, >= 5x): " + ("met" if all(verdict) else "NOT met"),
        flush=True,
    )
    (RESULTS / "lbf_bench.json").write_text(json.dumps(results, indent=2))
    return 0 if all(verdict) else 1


if __name__ == "__main__":
    sys.exit(main())
