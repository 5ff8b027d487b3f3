"""Benchmark: undoing an import takes time in proportion to the import, not more.

    python -m bench.undo_bench [--areas 2000 8000 32000] [--columns 40] [--db URL]

For each size, a national-scale area list (bench/lbf_bench.py's generator: that many afdelinger
× 40 indikator columns, 5 % suppressed) is imported into a fresh store (the seed plus the columns'
measures; SQLite by default, or the store at --db, whose schema is dropped and rebuilt) and then
undone, both timed in this one process. Undo deletes every observation and every area the import
created. Prints the import and undo times, the undo/import ratio and the undo time per 1,000 areas.

Target (issue 16): undo time roughly proportional to the number of areas (the per-1,000 figure
stays flat) and not slower than the import itself.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from bench.lbf_bench import RESULTS, fill_store, make_workbook


def measure(url: str, areas: int, columns: int) -> dict[str, float]:
    from monitoring import ingest
    from monitoring.store.db import get_engine

    file = RESULTS / f"lbf_area_list_{areas}x{columns}.xlsx"
    if not file.exists():
        print(f"Making {file.name} ...", flush=True)
        make_workbook(file, areas, columns, 0.05)
    fill_store(url, columns)
    engine = get_engine(url)
    start = time.perf_counter()
    upload = ingest.read_upload(engine, file.read_bytes(), file.name)
    if upload.blocking:
        raise SystemExit("\n".join(p.describe() for p in upload.errors[:10]))
    result = ingest.commit(engine, upload, user="bench")
    imported = time.perf_counter()
    undone = ingest.undo(engine, result.batch_id, user="bench")
    end = time.perf_counter()
    assert undone.areas_removed == result.counts["new_areas"], undone.message
    return {
        "areas": areas,
        "observations": result.counts["new"] + result.counts["suppressed"],
        "import_seconds": imported - start,
        "undo_seconds": end - imported,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, nargs="+", default=[2000, 8000, 32000])
    parser.add_argument("--columns", type=int, default=40)
    parser.add_argument("--db", metavar="URL", help="a store to rebuild (default: a SQLite file)")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    url = args.db or f"sqlite:///{RESULTS / 'undo_bench_store.db'}"
    rows = []
    for areas in args.areas:
        row = measure(url, areas, args.columns)
        rows.append(row)
        print(
            f"{areas:>6,} areas × {args.columns} columns: import {row['import_seconds']:6.2f} s, "
            f"undo {row['undo_seconds']:6.2f} s (undo/import {row['undo_seconds'] / row['import_seconds']:.2f}, "
            f"{1000 * row['undo_seconds'] / areas:.3f} s per 1,000 areas)",
            flush=True,
        )
    per_area = [r["undo_seconds"] / r["areas"] for r in rows]
    spread = max(per_area) / min(per_area)
    print(f"undo time per area, largest/smallest: {spread:.2f} (1 = exactly proportional)")
    (RESULTS / "undo_bench.json").write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
