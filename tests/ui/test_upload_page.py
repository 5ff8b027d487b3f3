"""Upload data in AppTest: upload → mapping → preview → commit → undo, and bad files refused."""

from pathlib import Path

import pytest

from monitoring.db import create_schema, get_engine
from monitoring.seed import load_seed
from monitoring.show import store_snapshot
from monitoring.upload_views import DO_NOT_IMPORT
from tests.ui.text import shown

PAGE = "app_pages/upload.py"
SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


@pytest.fixture
def store(tmp_path):
    url = f"sqlite:///{tmp_path / 'upload.db'}"
    engine = get_engine(url)
    create_schema(engine)
    load_seed(engine)
    return url, engine


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
    before = store_snapshot(engine)
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
    after = store_snapshot(engine)
    employment = _observations(after, "employed_18_64", "Østerbro")
    assert employment[2021] == pytest.approx(40.0)
    assert len(employment) > len(_observations(before, "employed_18_64", "Østerbro"))

    history = at.dataframe[-1].value
    assert list(history["Status"]) == ["Gemt"]
    assert list(history["Nye"]) == [new_before_mapping - 10]
    next(b for b in at.button if b.label == "Fortryd importen").click().run()
    assert not at.exception
    assert store_snapshot(engine) == before


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
    before = store_snapshot(engine)
    at = run_page(PAGE, url)
    at.file_uploader[0].upload("rapport.xlsx", b"%PDF-1.7 not a workbook").run()
    assert not at.exception
    assert "kan ikke importeres" in shown(at.error[0].value)
    assert not [b for b in at.button if b.label == "Gem i databasen"]
    assert store_snapshot(engine) == before


def test_typed_figures_are_saved_and_listed_in_the_history(run_page, store):
    url, engine = store
    at = run_page(PAGE, url)
    at.selectbox(key="entry_plan").set_value("holstebro-trekanten").run()
    editor = at.data_editor[0]
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
    plan = next(p for p in store_snapshot(engine)["plans"] if p["slug"] == "holstebro-trekanten")
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
