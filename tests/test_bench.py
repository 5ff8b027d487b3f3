"""`python -m bench --quick` as a smoke check: every figure is measured and written, whatever the
times are (the machine is shared; timing never fails the suite). With PG_TEST_URL the PostgreSQL
import is measured too."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import PG_URL

ROOT = Path(__file__).resolve().parents[1]

FIGURES = {
    "import_sqlite",
    "undo_sqlite",
    "import_linearity",
    "import_memory",
    "startup",
    "progress",
    "comparison",
    "alerts",
    "mapping",
    "report",
    "page_helhedsplan",
}


def test_quick_benchmark_writes_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    command = [sys.executable, "-m", "bench", "--quick", "--out", str(out)]
    if PG_URL:
        command += ["--db", PG_URL]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    expected = FIGURES | ({"import_postgresql", "undo_postgresql"} if PG_URL else set())
    assert set(result["figures"]) == expected
    for name, figure in result["figures"].items():
        if name not in ("import_linearity", "import_memory"):
            assert figure["min"] <= figure["median"] <= figure["max"], name
    sqlite = result["figures"]["import_sqlite"]
    assert sqlite["floor"]["median"] > 0 and sqlite["peak_mb"]["median"] > 0
    assert sqlite["naive"] > 0 and sqlite["ratio_to_floor"] > 0
    assert sqlite["cpu_ratio_to_floor"] > 0
    memory = result["figures"]["import_memory"]
    assert set(memory["peak_mb_by_areas"]) == {"1", "300", "600", "1200"}
    assert memory["fixed_mb"] > memory["floor_fixed_mb"] > 0 and memory["marginal_ratio"] > 0
    if PG_URL:
        assert result["figures"]["import_postgresql"]["ratio_to_sqlite"] > 0
    assert result["figures"]["mapping"]["labels"] > 0
    for name in FIGURES - {"mapping"}:
        assert name in done.stdout


def test_a_process_is_measured_without_the_memory_of_the_one_that_started_it() -> None:
    """A child's ru_maxrss starts at its parent's size; the benchmark's figures must not: a bare
    interpreter started from a 200 MB process still reads as a bare interpreter."""
    from bench.__main__ import process

    ballast = bytearray(200 * 1024 * 1024)
    ballast[::4096] = b"x" * len(ballast[::4096])  # touched: resident
    bare = process(["-c", "pass"])
    assert len(ballast) and bare.peak_mb < 100
    assert bare.seconds > 0 and bare.cpu_seconds >= 0
