"""The command line: init, show --json, and one Danish sentence for bad input."""

import json
import subprocess
import sys

import pytest

from monitoring.seed import seed_files
from tests.conftest import BACKENDS, backend_url


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "monitoring", *args], capture_output=True, text=True, env=env
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_init_then_show_json_reproduces_every_plan(backend, tmp_path):
    url = backend_url(backend, tmp_path)
    assert run_cli("init", "--force", "--db", url).returncode == 0
    shown = run_cli("show", "--json", "--db", url)
    assert shown.returncode == 0, shown.stderr
    plans = json.loads(shown.stdout)["plans"]
    assert sorted(p["slug"] for p in plans) == sorted(p.stem for p in seed_files())
    for plan in plans:
        assert set(plan) >= {"slug", "name", "kommune", "kommune_code", "period", "areas"}
        indicators = [i for a in plan["agreements"] for s in a["subgoals"] for i in s["indicators"]]
        assert indicators, plan["slug"]
        for ind in indicators:
            assert set(ind) >= {
                "name",
                "unit",
                "direction",
                "measure",
                "baseline",
                "target",
                "deadline",
                "comparators",
                "source",
                "observations",
            }
            assert ind["baseline"]["value"] is None or isinstance(ind["baseline"]["value"], float)


def test_init_twice_reports_unchanged(tmp_path):
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    run_cli("init", "--db", url)
    second = run_cli("init", "--db", url)
    assert second.returncode == 0
    assert "0 helhedsplaner indlæst" in second.stdout


def test_show_one_plan(tmp_path):
    url = f"sqlite:///{tmp_path / 'one.db'}"
    run_cli("init", "--db", url)
    slug = seed_files()[0].stem
    plans = json.loads(run_cli("show", "--json", "--plan", slug, "--db", url).stdout)["plans"]
    assert [p["slug"] for p in plans] == [slug]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "--bogus"], "ukendte tilvalg"),
        (["frobnicate"], "ugyldigt valg"),
        (
            ["show", "--json", "--db", "postgresql+psycopg://x@127.0.0.1:9/none"],
            "Kan ikke forbinde",
        ),
        (["show", "--json", "--db", "nosuchdialect://x"], "kan ikke bruges"),
        (["show", "--json", "--plan", "findes-ikke"], "findes ikke"),
    ],
)
def test_bad_input_gives_one_danish_sentence(args, message, tmp_path):
    if "--plan" in args:
        url = f"sqlite:///{tmp_path / 'bad.db'}"
        run_cli("init", "--db", url)
        args = [*args, "--db", url]
    result = run_cli(*args)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Fejl:")


def test_show_on_empty_database_says_run_init(tmp_path):
    result = run_cli("show", "--json", "--db", f"sqlite:///{tmp_path / 'empty.db'}")
    assert result.returncode == 1
    assert "init" in result.stderr
