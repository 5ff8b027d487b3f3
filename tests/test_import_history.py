"""The import history by role, on both databases (issue 15): an administrator sees every import, a
projektleder its own and those that wrote figures for its plans' places, never another plan's; a
koordinationsudvalg or læser (who may not import) is refused, on the command line as in the domain.
The upload page's area choices (`load_areas`) follow the same plans.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from monitoring import ingest
from monitoring.access import users
from monitoring.access.actor import AccessDenied
from monitoring.cli import main as cli_main
from monitoring.compare import load_areas
from monitoring.seed import load_seed
from tests.test_scoped_import import HORSENS, area_list, refusals

SVENDBORG = "svendborg-aktive-boligomraader"
FILES = {  # file → who imports it, and its rows
    "horsens.csv": ("per", ["Bo Trivsel;Horsens;12,5;250000", "Sundparken;Horsens;13,5;240000"]),
    "svendborg.csv": ("bo", ["Skovparken;Svendborg;15,5;220000"]),
    "svendborg-rettet.csv": ("anna", ["Skovparken;Svendborg;14,5;225000"]),
}


def run(engine: Engine, capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    url = engine.url.render_as_string(hide_password=False)
    code = cli_main([*args, "--db", url])
    out = capsys.readouterr()
    return code, out.out, out.err


def with_imports(engine: Engine, tmp_path: Path) -> Engine:
    """Five users (one of each role, two projektledere) and FILES imported on the command line."""
    load_seed(engine)
    users.add_user(engine, "opsætning", "anna", "administrator", password="hemmeligt")
    users.add_user(engine, "anna", "per", "projektleder", plans=[HORSENS], password="hemmeligt")
    users.add_user(engine, "anna", "Bo", "projektleder", plans=[SVENDBORG], password="hemmeligt")
    users.add_user(
        engine, "anna", "kim", "koordinationsudvalg", kommuner=["Horsens"], password="hemmeligt"
    )
    users.add_user(engine, "anna", "lise", "læser", plans=[HORSENS], password="hemmeligt")
    for name, (user, rows) in FILES.items():
        path = tmp_path / name
        path.write_bytes(area_list(rows))
        url = engine.url.render_as_string(hide_password=False)
        args = ["import-lbf", str(path), "--year", "2024", "--user", user, "--db", url]
        assert cli_main(args) == 0
    return engine


@pytest.fixture
def imported(engine: Engine, tmp_path: Path) -> Engine:
    return with_imports(engine, tmp_path)


def files(batches: list[dict]) -> list[str]:
    return [b["file_name"] for b in batches]


def test_each_projektleder_sees_its_own_imports_and_those_of_its_plans(imported):
    everything = ["svendborg-rettet.csv", "svendborg.csv", "horsens.csv"]
    assert files(ingest.history(imported, actor="anna")) == everything
    assert files(ingest.history(imported, actor="per")) == ["horsens.csv"]
    # The administrator's correction of Svendborg's figures is where Bo's figures came from.
    assert files(ingest.history(imported, actor="bo")) == ["svendborg-rettet.csv", "svendborg.csv"]


def test_an_undone_import_stays_in_the_history_of_the_plan_it_touched(imported, capsys):
    (corrected,) = [b for b in ingest.history(imported, actor="anna") if b["user"] == "anna"]
    code, out, err = run(imported, capsys, "undo-import", str(corrected["id"]), "--user", "anna")
    assert code == 0, out + err
    seen = {b["file_name"]: b["status"] for b in ingest.history(imported, actor="Bo")}
    assert seen == {"svendborg-rettet.csv": "undone", "svendborg.csv": "committed"}
    assert files(ingest.history(imported, actor="per")) == ["horsens.csv"]


@pytest.mark.parametrize("user", ["kim", "lise"])
def test_a_reader_or_koordinationsudvalg_is_refused_and_recorded(imported, capsys, user):
    before = refusals(imported)
    with pytest.raises(AccessDenied, match="må ikke se importhistorikken"):
        ingest.history(imported, actor=user)
    code, out, err = run(imported, capsys, "imports", "--json", "--user", user)
    assert code != 0 and not out
    assert f"Brugeren '{user}'" in err and "må ikke se importhistorikken" in err
    assert "Traceback" not in err
    assert refusals(imported) == before + 2


def test_the_command_line_lists_what_the_user_may_see(imported, capsys):
    code, out, _ = run(imported, capsys, "imports", "--json", "--user", "per")
    assert code == 0
    (batch,) = json.loads(out)["imports"]
    assert (batch["file_name"], batch["user"], batch["new"]) == ("horsens.csv", "per", 4)
    code, out, _ = run(imported, capsys, "imports", "--user", "anna")
    assert code == 0 and all(name in out for name in FILES)
    code, out, _ = run(imported, capsys, "imports", "--user", "per")
    assert code == 0 and "horsens.csv" in out and "svendborg" not in out


def test_open_mode_shows_every_import(engine, tmp_path, capsys):
    load_seed(engine)
    path = tmp_path / "horsens.csv"
    path.write_bytes(area_list(FILES["horsens.csv"][1]))
    assert run(engine, capsys, "import-lbf", str(path), "--year", "2024")[0] == 0
    assert files(ingest.history(engine, actor="hvemsomhelst")) == ["horsens.csv"]


def test_the_area_choices_are_those_of_the_users_plans(imported):
    everything = load_areas(imported, actor="anna")
    per = load_areas(imported, actor="per")
    assert {"Bo Trivsel", "Sundparken", "Skovparken"} <= set(everything["area"])
    assert {"Bo Trivsel", "Sundparken"} <= set(per["area"]) and "Skovparken" not in set(per["area"])
    assert set(everything.loc[everything["kind"] == "benchmark", "area"]) <= set(per["area"])
    assert list(per.columns) == list(everything.columns) and len(per) < len(everything)
    with pytest.raises(AccessDenied, match="findes ikke"):
        load_areas(imported, actor="ukendt")
