"""Each command loads only the modules it uses: the start-up cost is most of a small command's time
and a large part of the national import's memory (issue 17).

Run as users run them (a fresh interpreter per command), then read `sys.modules`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
AREA_LIST = ROOT / "data" / "samples" / "lbf_omraadeliste_2023.xlsx"

# What no import needs: charts, reports, documents, the app, the demo set, store migrations (a
# store at the newest revision is only checked), passwords, and writing spreadsheets.
NEVER_IN_AN_IMPORT = (
    "plotly",
    "matplotlib",
    "reportlab",
    "docx",
    "streamlit",
    "alembic",
    "argon2",
    "xlsxwriter",
    "openpyxl",
    "monitoring.report",
    "monitoring.present",
    "monitoring.progress",
    "monitoring.compare",
    "monitoring.delaftale",
    "monitoring.backup",
    "pyarrow",  # pandas runs on NumPy alone in a command (monitoring.cli.commands)
)
# `--help` only builds the parser: not even the data or database libraries.
# monitoring.demo may come with an import: the import history names (and removes) the demo batch
# through its constants; it loads nothing an import does not already load.
NEVER_FOR_HELP = (
    *NEVER_IN_AN_IMPORT,
    "monitoring.demo",
    "pandas",
    "numpy",
    "pyarrow",
    "sqlalchemy",
    "yaml",
)

PROBE = """
import json, sys
from monitoring.cli import main
try:
    main(sys.argv[2:])
except SystemExit:
    pass
with open(sys.argv[1], "w") as out:
    json.dump(sorted(name for name, module in sys.modules.items() if module is not None), out)
"""


def loaded_by(tmp_path: Path, *args: str) -> set[str]:
    listing = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(listing), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert listing.exists(), done.stderr
    return set(json.loads(listing.read_text()))


def offenders(modules: set[str], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == f or m.startswith(f + ".") for f in forbidden))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'monitor.db'}"
    done = subprocess.run(
        [sys.executable, "-m", "monitoring", "init", "--db", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return url


def test_help_loads_no_data_or_database_library(tmp_path):
    modules = loaded_by(tmp_path, "--help")
    assert "monitoring.cli.commands" in modules  # the probe ran the command line
    assert offenders(modules, NEVER_FOR_HELP) == []


@pytest.mark.parametrize("extra", [[], ["--dry-run"], ["--json"]])
def test_import_lbf_loads_only_the_import(tmp_path, store, extra):
    modules = loaded_by(tmp_path, "import-lbf", str(AREA_LIST), "--db", store, *extra)
    assert "monitoring.ingest.committing" in modules  # the import ran
    assert offenders(modules, NEVER_IN_AN_IMPORT) == []


def test_undo_and_history_load_only_the_import(tmp_path, store):
    modules = loaded_by(tmp_path, "imports", "--db", store) | loaded_by(
        tmp_path, "undo-import", "1", "--db", store
    )
    assert "monitoring.ingest.batches" in modules
    assert offenders(modules, NEVER_IN_AN_IMPORT) == []


def test_the_probe_sees_a_heavy_module_when_a_command_loads_one(tmp_path, store):
    """The check above would pass on a probe that saw nothing: the report command loads it all."""
    out = tmp_path / "r.xlsx"
    args = ["report", "--db", store, "--plan", "guldborgsund-mit-liv", "--format", "xlsx"]
    modules = loaded_by(tmp_path, *args, "--out", str(out))
    assert "monitoring.report" in offenders(modules, NEVER_IN_AN_IMPORT)
