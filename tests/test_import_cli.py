"""The command line for uploads: import-lbf, undo-import and imports (subprocesses, as users run them)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BACKENDS, backend_url
from tests.test_lbf_read import BAD_INPUTS

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
SAMPLE_NAMES = [
    "lbf_tidsserie_oesterbro.xlsx",
    "lbf_omraadeliste_2023.xlsx",
    "lbf_omraadeliste_2023.csv",
    "lbf_lang_tabel.xlsx",
    "lbf_lang_tabel.csv",
]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "monitoring", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "monitor.db"
    done = run_cli("init", "--db", f"sqlite:///{path}")
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture
def url(seeded_template: Path, tmp_path: Path) -> str:
    """A fresh copy of a seeded SQLite store for each test."""
    path = tmp_path / "monitor.db"
    path.write_bytes(seeded_template.read_bytes())
    return f"sqlite:///{path}"


def show(url: str) -> str:
    done = run_cli("show", "--json", "--db", url)
    assert done.returncode == 0, done.stderr
    return done.stdout


def observations(url: str, measure: str, area: str) -> dict[int, tuple[float | None, str]]:
    plans = json.loads(show(url))["plans"]
    found = {}
    for plan in plans:
        for agreement in plan["agreements"]:
            for subgoal in agreement["subgoals"]:
                for indicator in subgoal["indicators"]:
                    if indicator["measure"] != measure:
                        continue
                    for obs in indicator["observations"]:
                        if obs["area"] == area:
                            found[obs["year"]] = (obs["value"], obs["state"])
    return found


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_import_each_sample(url, name):
    done = run_cli("import-lbf", str(SAMPLES / name), "--db", url, "--user", "test")
    assert done.returncode == 0, done.stderr
    assert "Nye: " in done.stdout
    assert "Import #" in done.stdout and "gemt" in done.stdout
    assert "Traceback" not in done.stderr


def test_import_values_reach_show_json(url):
    before = observations(url, "employed_18_64", "Østerbro")
    assert before == {2021: (40.0, "ok")}  # the delaftale's baseline
    done = run_cli("import-lbf", str(SAMPLES / "lbf_tidsserie_oesterbro.xlsx"), "--db", url)
    assert done.returncode == 0, done.stderr
    after = observations(url, "employed_18_64", "Østerbro")
    assert after[2021] == (40.0, "ok")
    assert after[2023] == (42.1, "ok")
    assert sorted(after) == list(range(2014, 2024))


def test_json_report(url):
    done = run_cli("import-lbf", str(SAMPLES / "lbf_omraadeliste_2023.xlsx"), "--db", url, "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["status"] == "committed"
    assert isinstance(report["batch_id"], int)
    assert set(report["counts"]) >= {"new", "changed", "unchanged", "suppressed", "unmapped"}
    assert report["counts"]["new"] == 36
    assert report["counts"]["suppressed"] == 3
    assert report["counts"]["unmapped"] == 1
    assert report["layouts"][0]["layout"] == "area_list"
    assert {m["label"]: m["measure"] for m in report["mapping"]}["Antal beboere"] is None
    assert [a["area"] for a in report["areas"] if a["new"]] == [
        "Svendborg Andelsboligforening afd. 31"
    ]
    assert all(
        {"level", "code", "sheet", "row", "column", "text", "message"} <= set(p)
        for p in report["problems"]
    )


def test_same_file_twice_says_ingen_aendringer(url):
    first = run_cli("import-lbf", str(SAMPLES / "lbf_lang_tabel.csv"), "--db", url)
    assert first.returncode == 0, first.stderr
    before = show(url)
    second = run_cli("import-lbf", str(SAMPLES / "lbf_lang_tabel.csv"), "--db", url)
    assert second.returncode == 0, second.stderr
    assert "Ingen ændringer" in second.stdout
    assert show(url) == before
    as_json = json.loads(
        run_cli("import-lbf", str(SAMPLES / "lbf_lang_tabel.csv"), "--db", url, "--json").stdout
    )
    assert (as_json["status"], as_json["batch_id"]) == ("no_changes", None)


def test_dry_run_writes_nothing(url):
    before = show(url)
    done = run_cli(
        "import-lbf", str(SAMPLES / "lbf_omraadeliste_2023.xlsx"), "--db", url, "--dry-run"
    )
    assert done.returncode == 0, done.stderr
    assert "Prøvekørsel: intet er gemt." in done.stdout
    assert "Nye: 36" in done.stdout
    assert show(url) == before
    assert "Ingen importer endnu." in run_cli("imports", "--db", url).stdout


@pytest.mark.parametrize(
    ("builder", "file_name", "words"),
    [pytest.param(case[1], case[2], case[4], id=case[0]) for case in BAD_INPUTS],
)
def test_bad_input_exits_non_zero_and_writes_nothing(url, tmp_path, builder, file_name, words):
    path = tmp_path / file_name
    path.write_bytes(builder())
    before = show(url)
    done = run_cli("import-lbf", str(path), "--db", url)
    assert done.returncode == 1
    assert done.stderr.startswith(f"Fil: {file_name}") or done.stderr.startswith("Fejl:")
    assert "Fejl: Filen" in done.stderr and "intet er gemt" in done.stderr
    assert words.casefold() in done.stderr.casefold()
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
    as_json = run_cli("import-lbf", str(path), "--db", url, "--json")
    assert as_json.returncode == 1
    report = json.loads(as_json.stdout)
    assert report["status"] == "rejected"
    assert report["problems"][0]["level"] == "error"
    assert show(url) == before


def test_import_without_map_takes_every_unambiguous_label(url, tmp_path):
    from tests.test_ingest import VARIED_LABELS, VARIED_MAPPING
    from tests.test_lbf_read import xlsx_bytes

    path = tmp_path / "varierede_tekster.xlsx"
    path.write_bytes(xlsx_bytes(VARIED_LABELS))
    done = run_cli("import-lbf", str(path), "--db", url, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert (
        "Beskæftigelsesfrekvens, 18-64 år, pct. → employed_18_64 (samme betydning)" in done.stdout
    )
    assert "Andel 16-64-årige i beskæftigelse → IKKE KORTLAGT – forslag" in done.stdout
    assert "ikke kortlagt: 3" in done.stdout
    done = run_cli("import-lbf", str(path), "--db", url, "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert {m["label"]: (m["measure"], m["source"]) for m in report["mapping"]} == VARIED_MAPPING
    assert report["status"] == "committed"
    assert report["counts"]["unmapped"] == 3
    assert report["counts"]["new"] + report["counts"]["changed"] == 12  # 2 × 3 + 3 × 2
    unmapped = [m for m in report["mapping"] if m["measure"] is None]
    assert [m["suggestion"] for m in unmapped] == ["employed_18_64", None, None]
    assert observations(url, "employed_18_64", "Østerbro")[2024] == (42.0, "ok")


def test_map_area_and_year_options(url, tmp_path):
    from tests.test_lbf_read import xlsx_bytes

    path = tmp_path / "egne_tal.xlsx"
    path.write_bytes(
        xlsx_bytes(
            {
                "Ark1": [
                    ["Sted", "Beskæftigede, pct.", "Beboere"],
                    ["Løvvangen", 47.5, 2400],
                    ["Trekanten", 52.0, 1100],
                ]
            }
        )
    )
    refused = run_cli("import-lbf", str(path), "--db", url)
    assert refused.returncode == 1
    assert "områder i rækkerne (kolonne A)" in refused.stderr  # what the reader understood
    assert '--map "TEKST=målnøgle"' in refused.stderr
    # The same with a header word for the areas:
    path.write_bytes(
        xlsx_bytes(
            {
                "Ark1": [
                    ["Afdeling", "Beskæftigede, pct.", "Beboere"],
                    ["Løvvangen", 47.5, 2400],
                ]
            }
        )
    )
    unmapped = run_cli("import-lbf", str(path), "--db", url)
    assert unmapped.returncode == 1
    assert '--map "TEKST=målnøgle"' in unmapped.stderr
    no_year = run_cli(
        "import-lbf", str(path), "--db", url, "--map", "Beskæftigede, pct.=employed_18_64"
    )
    assert no_year.returncode == 1
    assert "--year" in no_year.stderr
    done = run_cli(
        "import-lbf",
        str(path),
        "--db",
        url,
        "--year",
        "2024",
        "--map",
        "Beskæftigede, pct.=employed_18_64",
        "--map",
        "Beboere=",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    mapping = {m["label"]: (m["measure"], m["source"], m["ignored"]) for m in report["mapping"]}
    assert mapping == {
        "Beskæftigede, pct.": ("employed_18_64", "valgt", False),
        "Beboere": (None, "valgt", True),
    }
    assert report["counts"]["unmapped"] == 0
    assert report["counts"]["new"] == 1
    # Remembered: next year's file maps without --map.
    again = run_cli("import-lbf", str(path), "--db", url, "--year", "2025", "--json")
    assert again.returncode == 0, again.stderr
    assert {m["source"] for m in json.loads(again.stdout)["mapping"]} == {"husket"}


def test_area_option_for_a_time_series_without_area(url, tmp_path):
    from tests.test_lbf_read import xlsx_bytes

    path = tmp_path / "serie.xlsx"
    path.write_bytes(
        xlsx_bytes(
            {
                "Ark1": [
                    ["Beskæftigelse for 18-64-årige"],
                    [None, 2022, 2023],
                    ["I beskæftigelse (pct.)", 44.0, 45.5],
                ]
            }
        )
    )
    refused = run_cli("import-lbf", str(path), "--db", url)
    assert refused.returncode == 1
    assert "--area" in refused.stderr
    done = run_cli("import-lbf", str(path), "--db", url, "--area", "løvvangen")
    assert done.returncode == 0, done.stderr
    assert "Kendte områder: Løvvangen" in done.stdout


def test_usage_errors_are_danish(url, tmp_path):
    missing = run_cli("import-lbf", str(tmp_path / "findes-ikke.xlsx"), "--db", url)
    assert (missing.returncode, missing.stderr.strip()) == (
        1,
        f"Fejl: Filen '{tmp_path / 'findes-ikke.xlsx'}' findes ikke. Tjek stien og prøv igen.",
    )
    sample = str(SAMPLES / "lbf_lang_tabel.csv")
    bad_map = run_cli("import-lbf", sample, "--db", url, "--map", "uden lighedstegn")
    assert bad_map.returncode == 1
    assert "--map 'uden lighedstegn' skal skrives som" in bad_map.stderr
    unknown = run_cli("import-lbf", sample, "--db", url, "--map", "Andel ledige og aktiverede=nope")
    assert unknown.returncode == 1
    assert "Målet 'nope'" in unknown.stderr and "findes ikke" in unknown.stderr
    bad_year = run_cli("import-lbf", sample, "--db", url, "--year", "tyve")
    assert bad_year.returncode == 2
    assert "ugyldigt heltal" in bad_year.stderr
    empty = run_cli("import-lbf", sample, "--db", f"sqlite:///{tmp_path / 'tom.db'}")
    assert empty.returncode == 1
    assert "Databasen er tom" in empty.stderr


def test_undo_and_history(url):
    first = json.loads(
        run_cli(
            "import-lbf",
            str(SAMPLES / "lbf_omraadeliste_2023.xlsx"),
            "--db",
            url,
            "--json",
            "--user",
            "anna",
        ).stdout
    )
    second = json.loads(
        run_cli("import-lbf", str(SAMPLES / "lbf_lang_tabel.csv"), "--db", url, "--json").stdout
    )
    history = json.loads(run_cli("imports", "--db", url, "--json").stdout)["imports"]
    assert [b["id"] for b in history] == [second["batch_id"], first["batch_id"]]
    assert history[1]["user"] == "anna"
    text = run_cli("imports", "--db", url).stdout
    assert f"#{first['batch_id']}" in text and "lbf_omraadeliste_2023.xlsx" in text

    blocked = run_cli("undo-import", str(first["batch_id"]), "--db", url)
    assert blocked.returncode == 1
    assert f"Fortryd først import #{second['batch_id']}" in blocked.stderr
    assert run_cli("undo-import", str(second["batch_id"]), "--db", url).returncode == 0
    done = run_cli("undo-import", str(first["batch_id"]), "--db", url)
    assert done.returncode == 0, done.stderr
    assert f"Import #{first['batch_id']} er fortrudt" in done.stdout
    again = run_cli("undo-import", str(first["batch_id"]), "--db", url)
    assert (again.returncode, "allerede fortrudt" in again.stderr) == (1, True)
    statuses = {
        b["id"]: b["status"]
        for b in json.loads(run_cli("imports", "--db", url, "--json").stdout)["imports"]
    }
    assert set(statuses.values()) == {"undone"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_import_and_undo_round_trip(backend, tmp_path):
    url = backend_url(backend, tmp_path)
    assert run_cli("init", "--force", "--db", url).returncode == 0
    before = show(url)
    done = run_cli(
        "import-lbf", str(SAMPLES / "lbf_tidsserie_oesterbro.xlsx"), "--db", url, "--json"
    )
    assert done.returncode == 0, done.stderr
    batch = json.loads(done.stdout)["batch_id"]
    assert show(url) != before
    assert run_cli("undo-import", str(batch), "--db", url).returncode == 0
    assert show(url) == before
