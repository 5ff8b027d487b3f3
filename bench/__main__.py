"""The one benchmark command: every figure, each beside its baseline or floor measured in the same run.

    python -m bench [--quick] [--db postgresql+psycopg://...] [--out bench/results.json]

It generates (seeded) the national-scale files and stores under bench/results/, warms up, then
measures each figure several times and prints median, min and max with the ratio to its
baseline. The machine is shared, so absolute seconds move from run to run; the ratios, measured
side by side in one run, are the figures to compare: the imports and their floors are measured
interleaved, and each import ratio is the median of per-round ratios. `--quick` (small sizes, fewer runs) is the
smoke check the test suite runs: it never fails on timing.

Figures: the area-list import as a whole `import-lbf` process (wall time and peak memory) against
the floor (bench/floor.py: calamine read + one bulk write of the same rows) and against the naive
path (openpyxl + one ORM object per value); the same on PostgreSQL with --db; undo against the
import; the import at three sizes (linear?); the fixed cost of starting a command; progress,
comparison and alerts against their naive versions; mapping accuracy; the Excel report; page
renders (Helhedsplan warm rerun against a trivial page).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from bench.lbf_bench import RESULTS, ROOT, fill_store, make_workbook


@dataclass(frozen=True)
class Scale:
    areas: int
    columns: int
    runs: int
    sizes: tuple[int, ...]
    afdelinger: int  # comparison store
    plans: int  # progress engine
    page_runs: int


FULL = Scale(8000, 40, 3, (2000, 8000, 32000), 8000, 200, 5)
QUICK = Scale(600, 12, 2, (300, 600, 1200), 300, 20, 2)


def spread(values: list[float]) -> dict[str, Any]:
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "runs": [round(v, 4) for v in values],
    }


def repeat(function: Callable[[], float], runs: int, warmups: int = 1) -> list[float]:
    for _ in range(warmups):
        function()
    return [function() for _ in range(runs)]


def timed_call(function: Callable[[], Any]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


@dataclass(frozen=True)
class Run:
    """One whole process: wall and CPU seconds (CPU is steadier on a shared machine), its own peak
    resident memory, and what it printed."""

    seconds: float
    peak_mb: float
    cpu_seconds: float
    out: str = ""


def process(args: list[str]) -> Run:
    """One whole process, measured; raises when it fails.

    Started through bench.peak: a process started from this one would count this one's memory.
    """
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryFile() as out:
        figures = Path(folder) / "peak.json"
        with tempfile.TemporaryFile() as err:
            launcher = [sys.executable, "-m", "bench.peak", str(figures), sys.executable, *args]
            subprocess.run(launcher, cwd=ROOT, stdout=out, stderr=err, check=True)
            measured = json.loads(figures.read_text(encoding="utf-8"))
            out.seek(0)
            err.seek(0)
            text = out.read().decode()
            if measured["returncode"]:
                raise SystemExit(f"{' '.join(args)} failed:\n{text}\n{err.read().decode()}")
    return Run(measured["seconds"], measured["peak_mb"], measured["cpu_seconds"], text)


class Importer:
    """Runs the floor, the import and the undo as whole processes against one store."""

    def __init__(self, url: str, file: Path, template: Path | None) -> None:
        self.url, self.file, self.template = url, file, template

    def _fresh(self) -> str:
        """A SQLite store copied from the template (cheap, untimed); PostgreSQL is reset by undo."""
        if self.template is None:
            return self.url
        target = RESULTS / "bench_run.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copy(self.template, target)
        return f"sqlite:///{target}"

    def floor(self, file: Path | None = None) -> Run:
        url = self._fresh()
        run = process(["-m", "bench.floor", str(file or self.file), url])
        if self.template is None:
            process(["-m", "bench.floor", "--clean", url])
        return run

    def import_and_undo(self, file: Path | None = None, undo: bool = True) -> tuple[Run, float]:
        """(the import, undo seconds); the store is as before afterwards."""
        url = self._fresh()
        file = file or self.file
        run = process(["-m", "monitoring", "import-lbf", str(file), "--db", url, "--user", "bench"])
        found = re.search(r"Import #(\d+) gemt", run.out)
        if found is None:
            raise SystemExit(f"import-lbf wrote nothing:\n{run.out}")
        if not undo and self.template is not None:  # the next run starts from a fresh copy
            return run, 0.0
        undone = process(["-m", "monitoring", "undo-import", found[1], "--db", url])
        if self.template is None:  # untimed: the undo's dead rows vacuumed before the next run
            process(["-m", "bench.floor", "--clean", url])
        return run, undone.seconds


def paired(measured: list[float], baseline: list[float]) -> float:
    """The median of per-pair ratios: each pair was measured back to back, so a load swing on the
    shared machine moves both sides of a pair and drops out of its ratio (a ratio of two medians
    taken minutes apart does not)."""
    ratios = [m / b for m, b in zip(measured, baseline, strict=True)]
    return statistics.median(ratios)


def interleaved(stores: dict[str, Importer], runs: int) -> dict[str, tuple[list[Run], list]]:
    """Floor and import of every store measured in rounds (floor A, import A, floor B, import B,
    then the next round in the opposite order), each on a fresh store and the same file: the runs
    of one round are seconds apart, so their ratios compare like with like."""
    for importer in stores.values():  # warm-up: disk caches, byte-compiled modules
        importer.floor()
        importer.import_and_undo()
    measured: dict[str, tuple[list[Run], list]] = {name: ([], []) for name in stores}
    order = list(stores)
    for round_ in range(runs):
        for name in order if round_ % 2 == 0 else order[::-1]:
            floors, imports = measured[name]
            floors.append(stores[name].floor())
            imports.append(stores[name].import_and_undo())
    return measured


def bench_file(areas: int, columns: int) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    file = RESULTS / f"lbf_area_list_{areas}x{columns}.xlsx"
    if not file.exists():
        print(f"Making {file.name} ...", flush=True)
        make_workbook(file, areas, columns, 0.05)
    return file


def import_figures(scale: Scale, pg_url: str | None) -> dict[str, Any]:
    file = bench_file(scale.areas, scale.columns)
    template = RESULTS / f"bench_template_{scale.columns}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{template}{suffix}").unlink(missing_ok=True)
    fill_store(f"sqlite:///{template}", scale.columns)
    figures: dict[str, Any] = {}
    stores = {"sqlite": Importer(f"sqlite:///{template}", file, template)}
    if pg_url:
        fill_store(pg_url, scale.columns)
        stores["postgresql"] = Importer(pg_url, file, None)
    measured = interleaved(stores, scale.runs)
    for name, (floors, imports) in measured.items():
        time_ = spread([i.seconds for i, _ in imports])
        cpu = spread([i.cpu_seconds for i, _ in imports])
        memory = spread([i.peak_mb for i, _ in imports])
        floor_mb = spread([f.peak_mb for f in floors])
        undo = spread([u for _, u in imports])
        figures[f"import_{name}"] = {
            "unit": "s",
            **time_,
            "peak_mb": memory,
            "floor": spread([f.seconds for f in floors]),
            "floor_peak_mb": floor_mb,
            "ratio_to_floor": paired([i.seconds for i, _ in imports], [f.seconds for f in floors]),
            "memory_ratio_to_floor": memory["median"] / floor_mb["median"],
            "cpu_seconds": cpu,
            "floor_cpu_seconds": spread([f.cpu_seconds for f in floors]),
            "cpu_ratio_to_floor": paired(
                [i.cpu_seconds for i, _ in imports], [f.cpu_seconds for f in floors]
            ),
        }
        figures[f"undo_{name}"] = {
            "unit": "s",
            **undo,
            "ratio_to_import": paired([u for _, u in imports], [i.seconds for i, _ in imports]),
        }
    if "postgresql" in measured:
        pg, lite = measured["postgresql"][1], measured["sqlite"][1]
        figures["import_postgresql"]["ratio_to_sqlite"] = paired(
            [i.seconds for i, _ in pg], [i.seconds for i, _ in lite]
        )
        # The client's CPU only: the server's work (COPY, index and key checks) is not in it, so
        # for PostgreSQL the wall-clock ratio above is the honest one; this says where the
        # client itself spends more or less than on SQLite.
        figures["import_postgresql"]["client_cpu_ratio_to_sqlite"] = paired(
            [i.cpu_seconds for i, _ in pg], [i.cpu_seconds for i, _ in lite]
        )
    naive = RESULTS / "bench_naive.db"
    shutil.copy(template, naive)
    started = time.perf_counter()
    process(["-m", "bench.lbf_bench", "--child", "naive", "--file", str(file), "--db", str(naive)])
    naive_time = time.perf_counter() - started
    figures["import_sqlite"]["naive"] = naive_time
    figures["import_sqlite"]["naive_ratio"] = naive_time / figures["import_sqlite"]["median"]
    wall: dict[int, float] = {}
    cpu: dict[int, float] = {}
    memory: dict[int, tuple[float, float]] = {}  # areas: (import, floor) peak MB
    sqlite = stores["sqlite"]
    for areas in (1, *scale.sizes):
        if areas == scale.areas:
            wall[areas] = figures["import_sqlite"]["median"]
            cpu[areas] = figures["import_sqlite"]["cpu_seconds"]["median"]
            memory[areas] = (
                figures["import_sqlite"]["peak_mb"]["median"],
                figures["import_sqlite"]["floor_peak_mb"]["median"],
            )
            continue
        sized = bench_file(areas, scale.columns)
        run, _ = sqlite.import_and_undo(sized, undo=False)
        memory[areas] = (run.peak_mb, sqlite.floor(sized).peak_mb)
        if areas > 1:  # one area: the fixed memory of a run, not a point on the time line
            wall[areas], cpu[areas] = run.seconds, run.cpu_seconds
    # The cost of each further 1,000 areas between sizes: equal slopes = linear (the fixed cost of
    # starting the command drops out). In CPU seconds: one wall-clock run per size moves with the
    # machine's load more than the slopes differ.
    steps = list(cpu.items())
    slopes = [(t2 - t1) / (a2 - a1) * 1000 for (a1, t1), (a2, t2) in pairwise(steps)]
    figures["import_linearity"] = {
        "unit": "s",
        "seconds_by_areas": wall,
        "cpu_seconds_by_areas": cpu,
        "marginal_cpu_seconds_per_1000_areas": [round(s, 4) for s in slopes],
        "ratio": max(slopes) / min(slopes),
    }
    figures["import_memory"] = memory_figure(memory)
    return figures


def memory_figure(memory: dict[int, tuple[float, float]]) -> dict[str, Any]:
    """Peak memory of the import and of its floor by file size, split into what every run pays
    (a one-area file: the modules and the store's catalogues) and what each further 1,000 areas
    add (the slope between the two largest sizes), each as a ratio to the floor's."""
    sizes = sorted(memory)
    (a1, (i1, f1)), (a2, (i2, f2)) = ((a, memory[a]) for a in sizes[-2:])
    per_1000 = ((i2 - i1) / (a2 - a1) * 1000, (f2 - f1) / (a2 - a1) * 1000)
    fixed = memory[sizes[0]]
    return {
        "unit": "MB",
        "peak_mb_by_areas": {a: round(memory[a][0], 1) for a in sizes},
        "floor_peak_mb_by_areas": {a: round(memory[a][1], 1) for a in sizes},
        "ratio_by_areas": {a: round(memory[a][0] / memory[a][1], 3) for a in sizes},
        "fixed_mb": fixed[0],
        "floor_fixed_mb": fixed[1],
        "fixed_ratio": fixed[0] / fixed[1],
        "marginal_mb_per_1000_areas": round(per_1000[0], 2),
        "floor_marginal_mb_per_1000_areas": round(per_1000[1], 2),
        "marginal_ratio": per_1000[0] / per_1000[1],
    }


def startup_figure(scale: Scale) -> dict[str, Any]:
    bare = spread(repeat(lambda: process(["-c", "pass"]).seconds, scale.runs, 0))
    command = spread(repeat(lambda: process(["-m", "monitoring", "--help"]).seconds, scale.runs, 0))
    return {
        "unit": "s",
        **command,
        "baseline": bare["median"],
        "ratio": command["median"] / bare["median"],
        "what": "`monitoring --help` vs a bare Python start",
    }


def progress_figure(scale: Scale) -> dict[str, Any]:
    from bench.progress_bench import TODAY, compute_progress, loop_progress, synthetic

    frames = synthetic(scale.plans, 10, 10)
    fast = spread(repeat(lambda: timed_call(lambda: compute_progress(*frames, today=TODAY)), 7))
    slow = spread(repeat(lambda: timed_call(lambda: loop_progress(*frames)), 3, 0))
    return {
        "unit": "s",
        **fast,
        "naive": slow["median"],
        "naive_ratio": slow["median"] / fast["median"],
    }


def comparison_figures(scale: Scale) -> dict[str, Any]:
    from bench import compare_bench
    from monitoring.compare import alerts
    from monitoring.store.db import create_schema, get_engine

    path = RESULTS / f"compare_store_{scale.afdelinger}.db"
    if not compare_bench.store_ready(path, scale.afdelinger):
        compare_bench.build_store(path, scale.afdelinger)
    engine = get_engine(f"sqlite:///{path}")
    create_schema(engine)
    key = "bench_pct_00"
    runs = max(3, scale.runs)
    page = spread(
        repeat(lambda: timed_call(lambda: compare_bench.page_computation(engine, key)), runs)
    )
    naive_page = timed_call(lambda: compare_bench.naive_page_computation(engine, key))
    found = spread(repeat(lambda: timed_call(lambda: alerts(engine, actor="test")), runs))
    naive_alerts = timed_call(lambda: compare_bench.naive_alerts(engine))
    return {
        "comparison": {
            "unit": "s",
            **page,
            "naive": naive_page,
            "naive_ratio": naive_page / page["median"],
        },
        "alerts": {
            "unit": "s",
            **found,
            "naive": naive_alerts,
            "naive_ratio": naive_alerts / found["median"],
        },
    }


def mapping_figure() -> dict[str, Any]:
    from bench import mapping_bench

    cases = mapping_bench.load_corpus()
    with tempfile.TemporaryDirectory() as folder:
        by_name = mapping_bench.mappers(mapping_bench.seeded_store(Path(folder)))
        meaning = mapping_bench.score(cases, by_name["meaning"])
        exact = mapping_bench.score(cases, by_name["exact"])
    return {
        "unit": "share",
        "median": meaning.recall,
        "min": meaning.recall,
        "max": meaning.recall,
        "precision": meaning.precision,
        "wrong": len(meaning.wrong or []),
        "labels": meaning.cases,
        "baseline": exact.recall,
        "what": "recall of the meaning matcher vs exact names only",
    }


def demo_store(folder: Path) -> str:
    from monitoring.demo import generate_demo, load_demo
    from monitoring.seed import load_seed
    from monitoring.show import store_snapshot
    from monitoring.store.db import create_schema, get_engine

    url = f"sqlite:///{folder / 'demo.db'}"
    engine = get_engine(url)
    create_schema(engine)
    load_seed(engine)
    load_demo(engine, generate_demo(store_snapshot(engine, actor="test")))
    return url


def report_figure(url: str, scale: Scale) -> dict[str, Any]:
    from bench.report_bench import trivial_pdf
    from monitoring.report.content import load_content
    from monitoring.report.output import report_bytes
    from monitoring.store.db import get_engine

    engine = get_engine(url)
    slug = "guldborgsund-mit-liv"
    runs = max(3, scale.runs)
    content = load_content(engine, slug, actor="test")
    built = spread(
        repeat(
            lambda: timed_call(
                lambda: report_bytes(load_content(engine, slug, actor="test"), "pdf")
            ),
            runs,
        )
    )
    trivial = spread(repeat(lambda: timed_call(trivial_pdf), runs))
    return {
        "unit": "s",
        **built,
        "xlsx": spread(repeat(lambda: timed_call(lambda: report_bytes(content, "xlsx")), runs)),
        "baseline": trivial["median"],
        "ratio": built["median"] / trivial["median"],
        "what": "the plan's PDF report, store read included, vs a one-page PDF",
    }


def page_figure(url: str, scale: Scale) -> dict[str, Any]:
    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = url
    trivial = AppTest.from_string("import streamlit as st\nst.title('Side')\nst.write('tekst')")
    plan = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    plan.query_params["plan"] = "guldborgsund-mit-liv"
    plan.switch_page("app_pages/helhedsplan.py")
    cold = timed_call(plan.run)
    assert not plan.exception, plan.exception
    trivial.run()
    # Interleaved pairs: a load swing hits both sides of a pair; the ratio is the pairs' median.
    pairs = [(timed_call(plan.run), timed_call(trivial.run)) for _ in range(4 * scale.page_runs)]
    warm = spread([page for page, _ in pairs])
    return {
        "unit": "s",
        **warm,
        "cold": cold,
        "baseline": statistics.median(base for _, base in pairs),
        "ratio": statistics.median(page / base for page, base in pairs),
        "what": "Helhedsplan warm rerun vs a trivial page (AppTest, interleaved pairs)",
    }


LINE = "{:<20} {:>9} {:>9} {:>9}   {}"


def _number(value: float, unit: str) -> str:
    return f"{value:.1%}" if unit == "share" else f"{value:.3f} s"


def describe(name: str, figure: dict[str, Any]) -> str:
    unit = figure["unit"]
    cells = [_number(figure[k], unit) if k in figure else "" for k in ("median", "min", "max")]
    notes = []
    if "peak_mb" in figure:
        notes.append(
            f"{figure['ratio_to_floor']:.2f}× floor ({figure['floor']['median']:.3f} s), "
            f"peak {figure['peak_mb']['median']:.0f} MB = "
            f"{figure['memory_ratio_to_floor']:.2f}× floor ({figure['floor_peak_mb']['median']:.0f} MB), "
            f"CPU {figure['cpu_ratio_to_floor']:.2f}× floor"
        )
    for key, text in (
        ("naive_ratio", "naive {:.1f}× slower"),
        ("ratio_to_sqlite", "{:.2f}× SQLite (wall: the server's CPU is not the client's)"),
        ("client_cpu_ratio_to_sqlite", "client CPU {:.2f}× SQLite"),
        ("ratio_to_import", "{:.2f}× the import"),
    ):
        if key in figure:
            notes.append(text.format(figure[key]))
    if name == "import_memory":
        notes.append(
            "peak MB by areas (import / floor = ratio) "
            + ", ".join(
                f"{a:,}: {m:.0f} / {figure['floor_peak_mb_by_areas'][a]:.0f} = "
                f"{figure['ratio_by_areas'][a]:.2f}×"
                for a, m in figure["peak_mb_by_areas"].items()
            )
            + f"; every run {figure['fixed_mb']:.0f} MB ({figure['fixed_ratio']:.2f}× floor's "
            f"{figure['floor_fixed_mb']:.0f}); each further 1,000 areas "
            f"{figure['marginal_mb_per_1000_areas']:.1f} MB "
            f"({figure['marginal_ratio']:.2f}× floor's "
            f"{figure['floor_marginal_mb_per_1000_areas']:.1f})"
        )
    elif name == "import_linearity":
        notes.append(
            "CPU seconds by areas "
            + ", ".join(f"{a:,}: {s:.2f}" for a, s in figure["cpu_seconds_by_areas"].items())
            + "; each further 1,000 areas "
            + " then ".join(f"{s:.3f} s" for s in figure["marginal_cpu_seconds_per_1000_areas"])
            + f" (ratio {figure['ratio']:.2f}; 1 = linear)"
        )
    elif "baseline" in figure and "ratio" in figure:
        notes.append(f"{figure['ratio']:.2f}× baseline ({_number(figure['baseline'], unit)})")
    elif "baseline" in figure:
        notes.append(f"baseline {_number(figure['baseline'], unit)}")
    if "what" in figure:
        notes.append(figure["what"])
    return LINE.format(name, *cells, "; ".join(notes))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, under a minute")
    parser.add_argument("--db", metavar="URL", help="also import into this PostgreSQL store")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args(argv)
    scale = QUICK if args.quick else FULL
    pg_url = args.db or None
    if pg_url and not pg_url.startswith("postgresql"):
        parser.error("--db takes a PostgreSQL URL (SQLite is always measured)")
    started = time.perf_counter()
    figures: dict[str, Any] = {}
    print(LINE.format("figure", "median", "min", "max", "vs baseline / floor"), flush=True)

    def add(found: dict[str, Any]) -> None:
        for name, figure in found.items():
            figures[name] = figure
            print(describe(name, figure), flush=True)

    add(import_figures(scale, pg_url))
    add({"startup": startup_figure(scale)})
    add({"progress": progress_figure(scale)})
    add(comparison_figures(scale))
    add({"mapping": mapping_figure()})
    with tempfile.TemporaryDirectory() as folder:
        url = demo_store(Path(folder))
        add({"report": report_figure(url, scale)})
        add({"page_helhedsplan": page_figure(url, scale)})
    result = {
        "quick": args.quick,
        "scale": scale.__dict__,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
        },
        "seconds": time.perf_counter() - started,
        "figures": figures,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"{len(figures)} figures in {result['seconds']:.0f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
