"""`python -m monitoring alerts`: text and JSON, filters, thresholds, Danish errors (SQLite + PG)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from monitoring.cli import main


def url_of(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["alerts", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_alerts_text_lists_the_largest_first(compare_engine, capsys):
    code, out, err = run(capsys, "--db", url_of(compare_engine))
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0].startswith("Negativ udvikling: 4")
    assert lines[1].startswith("- Løvparken (Testby Kommune) · Gennemsnitlig husstandsindkomst")
    assert "170.000 kr." in lines[1] and "-15,0 % ⚠" in lines[1]
    assert lines[2].startswith("- Sundhøj (Testby Kommune) · Andel i beskæftigelse · 2025: 45,0 %")
    assert "1 år: -3,0 procentpoint ⚠ · 3 år: -5,0 procentpoint ⚠" in lines[2]


def test_alerts_json_contract(compare_engine, capsys):
    code, out, _ = run(
        capsys,
        "--db",
        url_of(compare_engine),
        "--measure",
        "employed",
        "--kommune",
        "Testby",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["count"] == 2
    assert data["filters"]["measure"] == "employed"
    assert data["thresholds"] == {
        "pct_points_1y": 2.0,
        "pct_points_3y": 4.0,
        "relative_pct_1y": 10.0,
        "relative_pct_3y": 20.0,
    }
    first = data["alerts"][0]
    assert set(first) == {
        "measure",
        "measure_name",
        "unit",
        "direction",
        "area",
        "area_kind",
        "kommune",
        "year",
        "value",
        "value_1y_ago",
        "value_3y_ago",
        "change_1y",
        "change_3y",
        "change_kind",
        "worsening_1y",
        "worsening_3y",
        "flagged_1y",
        "flagged_3y",
        "size",
    }
    assert first["area"] == "Sundhøj" and first["area_kind"] == "boligomraade"
    assert first["value"] == 45.0 and first["change_3y"] == -5.0
    assert first["flagged_1y"] is True and first["change_kind"] == "procentpoint"
    assert [a["area"] for a in data["alerts"]] == ["Sundhøj", "Sundhøj afd. 7"]


def test_alerts_thresholds_accept_danish_decimal_commas(compare_engine, capsys):
    code, out, _ = run(
        capsys, "--db", url_of(compare_engine), "--measure", "employed", "--pp-1y", "2,6", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["thresholds"]["pct_points_1y"] == 2.6
    assert [a["area"] for a in data["alerts"]] == ["Sundhøj"]  # afd. 7's 2,5 pp is not above 2,6


def test_alerts_plan_filter_and_no_alerts_message(compare_engine, capsys):
    code, out, _ = run(capsys, "--db", url_of(compare_engine), "--plan", "testplan", "--json")
    assert code == 0
    assert [a["measure"] for a in json.loads(out)["alerts"]] == ["income", "public_support"]
    code, out, _ = run(capsys, "--db", url_of(compare_engine), "--kommune", "Andeby")
    assert code == 0
    assert out.strip() == "Ingen områder er gået den forkerte vej med mere end tærsklerne."


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--measure", "nej"], "Målet 'nej' findes ikke"),
        (["--kommune", "Atlantis"], "Kommunen 'Atlantis' findes ikke i databasen"),
        (["--plan", "nej"], "Helhedsplanen 'nej' findes ikke"),
        (["--pp-1y", "to"], "Tærsklen --pp-1y skal være et tal"),
        (["--rel-3y", "-5"], "Tærsklen --rel-3y skal være 0 eller mere"),
        (["--year", "sidste"], "'sidste' er ikke et årstal"),
    ],
)
def test_bad_input_is_one_danish_sentence_and_exit_1(compare_url, capsys, args, message):
    code, out, err = run(capsys, "--db", compare_url, *args)
    assert code == 1
    assert out == ""
    assert err.startswith("Fejl: ") and message in err
    assert len(err.strip().splitlines()) == 1


def test_unknown_area_kind_is_rejected_by_the_parser(compare_url, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["alerts", "--db", compare_url, "--kind", "by"])
    assert stop.value.code == 2
    assert "ugyldigt valg" in capsys.readouterr().err


def test_alerts_on_an_empty_store_says_to_run_init(tmp_path, capsys):
    code, _, err = run(capsys, "--db", f"sqlite:///{tmp_path / 'empty.db'}")
    assert code == 1
    assert "monitoring init" in err


def test_alerts_runs_as_a_module(compare_url):
    result = subprocess.run(
        [sys.executable, "-m", "monitoring", "alerts", "--db", compare_url, "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["count"] == 4
