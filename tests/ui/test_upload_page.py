"""Upload data in AppTest: upload → mapping → preview → commit → undo, and bad files refused."""

from pathlib import Path

import pytest

from monitoring import ingest
from monitoring.present.upload_views import DO_NOT_IMPORT
from monitoring.show import store_snapshot
from tests.test_area_resolution import values
from tests.test_lbf_read import xlsx_bytes
from tests.ui.text import shown

PAGE = "app_pages/upload.py"
SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def _observations(snapshot, measure, area):
    return {
        o["year"]: o["value"]
        for p in snapshot["plans"]
        for a in p["agreements"]
        for s in a["subgoals"]
        for i in s["indicators"]
        if i["measure"] == measure
        for o in i["observations"]
        if o["area"] == area
    }


def test_upload_page_without_file_shows_empty_history(run_page, store):
    at = run_page(PAGE, store[0])
    assert not at.exception
    assert "Der er ikke importeret nogen filer endnu." in at.info[0].value


def test_upload_map_preview_commit_and_undo(run_page, store):
    url, engine = store
    before = store_snapshot(engine, actor="test")
    at = run_page(PAGE, url)
    data = (SAMPLES / "lbf_tidsserie_oesterbro.xlsx").read_bytes()
    at.file_uploader[0].upload("lbf_tidsserie_oesterbro.xlsx", data).run()
    assert not at.exception
    headings = [s.value for s in at.subheader]
    assert "2. Kortlægning til mål" in headings and "4. Det vil ændre sig" in headings
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Diskretionerede"]) == 3
    new_before_mapping = int(metrics["Nye"])

    # Mapping: the user decides not to import the public-support row, then refreshes.
    editor = at.data_editor[0]
    rows = list(editor.value["Tekst i filen"])
    skipped = rows.index("På offentlig forsørgelse (pct.)")
    at.session_state[editor.key] = {
        "edited_rows": {skipped: {"Mål": DO_NOT_IMPORT}},
        "added_rows": [],
        "deleted_rows": [],
    }
    next(b for b in at.button if b.label == "Opdatér kortlægningen").click().run()
    assert not at.exception
    assert int({m.label: m.value for m in at.metric}["Nye"]) == new_before_mapping - 10

    next(b for b in at.button if b.label == "Gem i databasen").click().run()
    assert not at.exception
    assert "gemt:" in shown(at.success[0].value)
    after = store_snapshot(engine, actor="test")
    employment = _observations(after, "employed_18_64", "Østerbro")
    assert employment[2021] == pytest.approx(40.0)
    assert len(employment) > len(_observations(before, "employed_18_64", "Østerbro"))

    history = at.dataframe[-1].value
    assert list(history["Status"]) == ["Gemt"]
    assert list(history["Nye"]) == [new_before_mapping - 10]
    next(b for b in at.button if b.label == "Fortryd importen").click().run()
    assert not at.exception
    assert store_snapshot(engine, actor="test") == before


def test_same_file_twice_says_no_changes(run_page, store):
    url, _ = store
    data = (SAMPLES / "lbf_omraadeliste_2023.xlsx").read_bytes()
    at = run_page(PAGE, url)
    at.file_uploader[0].upload("liste.xlsx", data).run()
    next(b for b in at.button if b.label == "Gem i databasen").click().run()
    assert "gemt:" in shown(at.success[0].value)
    at.file_uploader[0].upload("liste.xlsx", data).run()
    assert int({m.label: m.value for m in at.metric}["Nye"]) == 0
    next(b for b in at.button if b.label == "Gem i databasen").click().run()
    assert "Ingen ændringer" in shown(at.success[0].value)


def test_not_a_spreadsheet_is_refused_in_danish(run_page, store):
    url, engine = store
    before = store_snapshot(engine, actor="test")
    at = run_page(PAGE, url)
    at.file_uploader[0].upload("rapport.xlsx", b"%PDF-1.7 not a workbook").run()
    assert not at.exception
    assert "kan ikke importeres" in shown(at.error[0].value)
    assert not [b for b in at.button if b.label == "Gem i databasen"]
    assert store_snapshot(engine, actor="test") == before


def test_typed_figures_are_saved_and_listed_in_the_history(run_page, store):
    url, engine = store
    at = run_page(PAGE, url)
    assert not at.data_editor  # the typed-figures tab is built when chosen
    at.session_state["upload_tab"] = "Indtast tal"
    at.run()
    at.selectbox(key="entry_plan").set_value("holstebro-trekanten").run()
    editor = at.data_editor[0]
    # The newest year stands beside the names; the area (the plan's own, nearly always) last.
    order = list(editor.proto.column_order)
    newest = str(max(int(c) for c in order if c.isdigit()))
    assert order[:3] == ["Indikator", "Enhed", newest] and order[-1] == "Område"
    rows = list(editor.value["Indikator"])
    volunteers = rows.index("Antal frivillige som indgår i Supportgruppen")
    at.session_state[editor.key] = {
        "edited_rows": {volunteers: {"2022": "14"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    next(b for b in at.button if b.label == "Gem indtastede tal").click().run()
    assert not at.exception
    assert "gemt" in shown(at.success[0].value)
    plan = next(
        p
        for p in store_snapshot(engine, actor="test")["plans"]
        if p["slug"] == "holstebro-trekanten"
    )
    observations = [
        o
        for a in plan["agreements"]
        for s in a["subgoals"]
        for i in s["indicators"]
        if i["measure"] == "holstebro_trekanten_support_group_volunteers"
        for o in i["observations"]
    ]
    assert [(o["year"], o["value"]) for o in observations] == [(2022, 14.0)]
    assert "Indtastning" in at.dataframe[-1].value["Fil"].iloc[0]


def test_a_corrected_file_with_the_same_name_and_size_is_read_again(run_page, store):
    url, _ = store
    header = "Område;Indikator;År;Værdi\r\n"
    wrong = (header + "Østerbro;Andel 18-64-årige i beskæftigelse;2022;4l,3\r\n").encode()
    right = (header + "Østerbro;Andel 18-64-årige i beskæftigelse;2022;41,3\r\n").encode()
    assert len(wrong) == len(right) and wrong != right
    at = run_page(PAGE, url)
    at.file_uploader[0].upload("tal.csv", wrong).run()
    assert not at.exception
    assert "kan ikke importeres" in at.error[0].value
    (problems,) = [d.value for d in at.dataframe if "Celle" in d.value.columns]
    assert list(problems["Celle"]) == ["4l,3"]

    at.file_uploader[0].upload("tal.csv", right).run()
    assert not at.exception
    assert not at.error
    assert int({m.label: m.value for m in at.metric}["Nye"]) == 1


def test_preview_warns_when_a_file_revises_the_signed_baseline(run_page, store):
    url, _ = store
    data = (
        "Område;Indikator;År;Værdi\r\nØsterbro;Andel 18-64-årige i beskæftigelse;2021;38,9\r\n"
    ).encode()
    at = run_page(PAGE, url)
    at.file_uploader[0].upload("revision.csv", data).run()
    assert not at.exception
    (warning,) = [shown(w.value) for w in at.warning if "delaftalens baseline" in shown(w.value)]
    assert "38,9 %" in warning and "40,0 %" in warning and "2021" in warning
    assert "Andelen af beboere (18-64 år), der er beskæftiget" in warning


def test_the_area_of_a_sheet_can_be_fixed_on_the_page(run_page, store):
    url, engine = store
    data = xlsx_bytes(
        {
            "Serie": [
                ["Beskæftigelse for 18-64-årige"],
                [None, 2023, 2024],
                ["Andel 18-64-årige i beskæftigelse", 50.5, 51.5],
            ],
            "Kommunen": [
                ["Område: Helhedsplan: Bo Trivsel (Horsens Kommune)"],
                [None, 2023, 2024],
                ["Andel 18-64-årige i beskæftigelse", 77.0, 78.0],
            ],
        }
    )
    at = run_page(PAGE, url)
    at.file_uploader[0].upload("to_ark.xlsx", data).run()
    assert not at.exception
    problems = next(d.value for d in at.dataframe if "Forklaring" in d.value)
    assert "fremgår ikke af arket" in problems["Forklaring"].iloc[0]
    serie = next(s for s in at.selectbox if s.label == "Område for arket 'Serie'")
    assert serie.value == "(vælg området)"
    serie.set_value("Sundparken (boligområde, Horsens Kommune)").run()
    # The title named Bo Trivsel; the person says the sheet is really the kommune's figures.
    kommunen = next(s for s in at.selectbox if s.label == "Område for arket 'Kommunen'")
    assert kommunen.value == "Som læst: Bo Trivsel"
    kommunen.set_value("Horsens Kommune (kommune)").run()
    next(b for b in at.button if b.label == "Opdatér kortlægningen").click().run()
    assert not at.exception
    assert not at.error
    next(b for b in at.button if b.label == "Gem i databasen").click().run()
    assert "gemt:" in shown(at.success[0].value)
    assert values(engine) == {
        ("Sundparken", 2023): 50.5,
        ("Sundparken", 2024): 51.5,
        ("Horsens Kommune", 2023): 77.0,
        ("Horsens Kommune", 2024): 78.0,
    }
    # Next year the same title is tied to the kommune without asking.
    upload = ingest.read_upload(engine, data, "naeste_aar.xlsx")
    assert [(a.name, a.how) for a in upload.areas if a.kind == "kommune"] == [
        ("Horsens Kommune", "husket")
    ]
