"""The command line: init, show --json, and one Danish sentence for bad input."""

import json
import os
import subprocess
import sys
from pathlib import Path

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


# --- Sentences instead of tracebacks (issue 16, item 7) --------------------------------------

SAMPLE_CSV = Path(__file__).resolve().parents[1] / "data" / "samples" / "lbf_omraadeliste_2023.csv"


def assert_one_sentence(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert result.stderr.startswith("Fejl:") and "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)


@pytest.mark.parametrize("backend", BACKENDS)
def test_undo_of_an_impossible_import_number(backend, tmp_path):
    url = backend_url(backend, tmp_path)
    assert run_cli("init", "--force", "--db", url).returncode == 0
    for number in ["99999999999999999999999", "3000000000", "0", "-1"]:
        undone = run_cli("undo-import", "--db", url, "--", number)
        assert_one_sentence(undone, f"Import #{number} findes ikke")


@pytest.mark.parametrize("variable", [False, True])
def test_database_in_a_folder_that_cannot_be_created(variable, tmp_path):
    (tmp_path / "fil").write_text("ikke en mappe")
    url = f"sqlite:///{tmp_path / 'fil' / 'under' / 'monitor.db'}"
    if variable:
        result = run_cli("init", env={**os.environ, "DATABASE_URL": url})
    else:
        result = run_cli("init", "--db", url)
    assert_one_sentence(result, "kan ikke oprettes", "en del af stien er en fil, ikke en mappe")


def test_a_folder_given_as_the_file_is_called_a_folder(tmp_path):
    url = f"sqlite:///{tmp_path / 'monitor.db'}"
    run_cli("init", "--db", url)
    result = run_cli("import-lbf", str(tmp_path), "--db", url)
    assert_one_sentence(result, "er en mappe, ikke en fil")
    assert "findes ikke" not in result.stderr


@pytest.mark.parametrize("backend", BACKENDS)
def test_file_name_that_is_not_utf8_is_imported_and_shown_readably(backend, tmp_path):
    """A Danish name written by an old Windows program: b"L\\xf8vvangen.csv" is Løvvangen.csv."""
    url = backend_url(backend, tmp_path)
    assert run_cli("init", "--force", "--db", url).returncode == 0
    path = os.fsencode(tmp_path) + b"/L\xf8vvangen 2023.csv"
    Path(os.fsdecode(path)).write_bytes(SAMPLE_CSV.read_bytes())
    done = run_cli("import-lbf", os.fsdecode(path), "--db", url, "--user", os.fsdecode(b"B\xf8rge"))
    assert done.returncode == 0, done.stderr
    assert "Løvvangen 2023.csv" in done.stdout
    history = json.loads(run_cli("imports", "--json", "--db", url).stdout)["imports"]
    assert (history[0]["file_name"], history[0]["user"]) == ("Løvvangen 2023.csv", "Børge")
    missing = run_cli("import-lbf", os.fsdecode(path + b".mangler"), "--db", url)
    assert_one_sentence(missing, "Løvvangen 2023.csv.mangler' findes ikke")
