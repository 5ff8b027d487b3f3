"""The package installs: the wheel holds every file of monitoring/, and in a fresh venv the
`indikatormonitor` command builds a store and shows it without the checkout.

The fresh venv gets the wheel alone (--no-deps, --no-index: offline and quick) and borrows the
tested dependencies through a .pth file; .ci/install-check does the full install from the index.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from monitoring.seed import seed_files
from tests.lockfile import environment_versions, pinned_versions

ROOT = Path(__file__).resolve().parents[1]


PROJECT_FILES = ("pyproject.toml", "requirements.txt", "README.md")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`pip wheel . --no-deps`, on a copy: setuptools leaves build/ behind in the tree it builds."""
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheel")
    for name in PROJECT_FILES:
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "monitoring", source / "monitoring", ignore=shutil.ignore_patterns("__pycache__")
    )
    pip = [sys.executable, "-m", "pip", "--quiet"]
    subprocess.run(
        [*pip, "wheel", ".", "--no-deps", "--no-build-isolation", "--wheel-dir", str(out)],
        check=True,
        cwd=source,
    )
    (built,) = out.glob("indikatormonitor-*.whl")
    return built


def test_wheel_holds_every_file_of_the_package_and_nothing_else(wheel):
    shipped = {
        name
        for name in zipfile.ZipFile(wheel).namelist()
        if not name.startswith("indikatormonitor-")
    }
    source = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "monitoring").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert shipped == source


def test_wheel_declares_the_pinned_runtime_dependencies(wheel):
    metadata = zipfile.ZipFile(wheel).read(f"{wheel.name.split('-py3')[0]}.dist-info/METADATA")
    declared = {
        line.split(":", 1)[1].strip()
        for line in metadata.decode().splitlines()
        if line.startswith("Requires-Dist:")
    }
    pinned = {
        line.strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {d.replace(" ", "") for d in declared} == {p.replace(" ", "") for p in pinned}


def test_installed_command_builds_and_shows_a_store_outside_the_checkout(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--quiet", "--python", str(python)]
    subprocess.run([*pip, "install", "--no-deps", "--no-index", str(wheel)], check=True)
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(subprocess.check_output([python, "-c", purelib], text=True).strip())
    (site / "tested_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PYTHONPATH"}}
    work = tmp_path / "work"
    work.mkdir()

    def run(*args: str) -> subprocess.CompletedProcess:
        done = subprocess.run(args, capture_output=True, text=True, cwd=work, env=env)
        assert done.returncode == 0, done.stderr
        return done

    where = run(str(python), "-c", "import monitoring; print(monitoring.__file__)").stdout
    assert Path(where.strip()).is_relative_to(venv)
    command = str(venv / "bin" / "indikatormonitor")
    assert "5 helhedsplaner indlæst" in run(command, "init").stdout
    assert (work / "data" / "monitor.db").is_file()  # the default store, under the working dir
    plans = json.loads(run(command, "show", "--json").stdout)["plans"]
    assert sorted(p["slug"] for p in plans) == sorted(p.stem for p in seed_files())


def test_constraints_pin_exactly_the_tested_environment():
    pinned = pinned_versions((ROOT / "constraints.txt").read_text(encoding="utf-8"))
    assert pinned == environment_versions(), (
        "the venv differs from constraints.txt: run `make lock`"
    )
