"""`python -m monitoring user ...` and `--user` on every writing command: refusals are one Danish
sentence and exit 1; a store without users keeps working as before (open single-user mode)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from monitoring.manual_entry import entry_file
from tests.conftest import BACKENDS, backend_url


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "monitoring", *args], capture_output=True, text=True, input=stdin
    )


def ok(*args: str, stdin: str | None = None) -> str:
    done = cli(*args, stdin=stdin)
    assert done.returncode == 0, done.stderr
    return done.stdout


def refused(*args: str) -> str:
    done = cli(*args)
    assert done.returncode == 1, done.stdout
    assert done.stderr.startswith("Fejl: ") and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
    return done.stderr


@pytest.mark.parametrize("backend", BACKENDS)
def test_users_on_the_command_line(backend, tmp_path):
    db = ("--db", backend_url(backend, tmp_path))
    ok("init", "--force", *db)
    assert "åben enkeltbrugertilstand" in ok("user", "list", *db)
    assert "første bruger skal være administrator" in refused(
        "user", "add", "lise", "--role", "læser", *db
    )
    ok(
        "user",
        "add",
        "anna",
        "--role",
        "administrator",
        "--password-stdin",
        *db,
        stdin="hemmeligt\n",
    )
    # Once a user exists, the login name that is no user may do nothing.
    assert "findes ikke" in refused("demo", *db, "--user", "ukendt")
    ok(
        "user",
        "add",
        "lise",
        "--role",
        "læser",
        "--plan",
        "horsens-bo-trivsel",
        *db,
        "--user",
        "anna",
    )
    ok(
        "user",
        "add",
        "per",
        "--role",
        "projektleder",
        "--kommune",
        "Horsens",
        *db,
        "--user",
        "anna",
    )
    listed = json.loads(ok("user", "list", "--json", *db, "--user", "anna"))
    assert [(u["name"], u["role"], u["plans"], u["kommuner"], u["password"]) for u in listed] == [
        ("anna", "administrator", [], [], True),
        ("lise", "læser", ["horsens-bo-trivsel"], [], False),
        ("per", "projektleder", [], ["Horsens Kommune"], False),
    ]
    shown = json.loads(ok("show", "--json", *db, "--user", "lise"))
    assert [p["slug"] for p in shown["plans"]] == ["horsens-bo-trivsel"]
    assert len(json.loads(ok("show", "--json", *db, "--user", "anna"))["plans"]) == 5
    svendborg = ("progress", "--plan", "svendborg-aktive-boligomraader", "--json", *db)
    assert "må ikke se helhedsplanen" in refused(*svendborg, "--user", "lise")
    report = ("report", "--plan", "svendborg-aktive-boligomraader", "--format", "xlsx", *db)
    assert "må ikke se helhedsplanen" in refused(
        *report, "--out", str(tmp_path / "r.xlsx"), "--user", "lise"
    )
    assert not (tmp_path / "r.xlsx").exists()
    assert "findes ikke" in refused("show", "--json", *db, "--user", "ukendt")
    entry = tmp_path / "tal.csv"
    entry.write_bytes(entry_file([("Bo Trivsel", "household_income_avg", 2024, "250000")]))
    assert "må ikke importere" in refused("import-lbf", str(entry), *db, "--user", "lise")
    assert "må ikke indlæse demodata" in refused("demo", *db, "--user", "per")
    assert "må ikke oprette eller ændre brugere" in refused(
        "user", "disable", "anna", *db, "--user", "per"
    )
    assert "må ikke se brugerlisten" in refused("user", "list", *db, "--user", "lise")
    assert "Import #" in ok("import-lbf", str(entry), *db, "--user", "per")
    batch = json.loads(ok("imports", "--json", *db, "--user", "anna"))["imports"][0]
    assert batch["user"] == "per"
    assert "må ikke fortryde" in refused("undo-import", str(batch["id"]), *db, "--user", "Lise")
    ok("user", "set-role", "lise", "projektleder", *db, "--user", "anna")
    assert "egne importer" in refused("undo-import", str(batch["id"]), *db, "--user", "lise")
    ok("user", "disable", "per", *db, "--user", "anna")
    assert "spærret" in refused("undo-import", str(batch["id"]), *db, "--user", "per")
    assert "eneste aktive administrator" in refused(
        "user", "set-role", "anna", "læser", *db, "--user", "anna"
    )
    ok("undo-import", str(batch["id"]), *db, "--user", "anna")
    assert "ugyldigt valg" in cli("user", "add", "x", "--role", "chef", *db).stderr


def test_alerts_stay_within_the_users_plans_and_kommuner(tmp_path):
    db = ("--db", f"sqlite:///{tmp_path / 'monitor.db'}")
    ok("init", *db, "--user", "anna")
    ok("demo", *db, "--user", "anna")
    ok("user", "add", "anna", "--role", "administrator", *db, "--user", "anna")
    ok("user", "add", "lise", "--role", "læser", "--plan", "horsens-bo-trivsel", *db,
       "--user", "anna")  # fmt: skip
    ok("user", "add", "kim", "--role", "koordinationsudvalg", "--kommune", "Horsens", *db,
       "--user", "anna")  # fmt: skip
    assert "må kun sammenligne" in refused("alerts", *db, "--user", "lise")
    assert "må kun sammenligne" in refused("alerts", "--kommune", "Svendborg", *db, "--user", "kim")
    own = json.loads(ok("alerts", "--plan", "horsens-bo-trivsel", "--json", *db, "--user", "lise"))
    assert own["filters"]["plan"] == "horsens-bo-trivsel"
    ok("alerts", "--kommune", "Horsens", "--json", *db, "--user", "kim")
    ok("alerts", "--json", *db, "--user", "anna")  # an administrator sees everything
