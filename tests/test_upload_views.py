"""Danish display helpers of the upload page."""

from monitoring import ingest
from monitoring.compare import load_areas
from monitoring.present.upload_views import CHOOSE_AREA, local_time, sheet_choices, text_choices
from monitoring.store.db import get_engine
from tests.test_lbf_read import xlsx_bytes


def test_history_times_are_shown_in_danish_time():
    assert local_time("2026-11-23T21:01:05") == "23.11.2026 22:01"  # winter: UTC+1
    assert local_time("2026-07-01T10:00:00") == "01.07.2026 12:00"  # summer: UTC+2


def test_sheet_and_text_choices_offer_candidates_first(seeded_url):
    areas = load_areas(get_engine(seeded_url), actor="test")
    rows = [
        ["Område: Helhedsplan: Bo Trivsel (Horsens Kommune)"],
        [None, 2023, 2024],
        ["Andel 18-64-årige i beskæftigelse", 50.0, 51.0],
    ]
    listed = [
        ["Nøgletal 2023"],
        ["Område", "Andel 18-64-årige i beskæftigelse"],
        ["Løvvangen Nord", 40.0],
        ["Solsikken", 41.0],
    ]
    data = xlsx_bytes({"Serie": rows, "Liste": listed})
    upload = ingest.read_upload(get_engine(seeded_url), data, "to_ark.xlsx")
    by_sheet = {c.key: c for c in sheet_choices(upload, areas)}
    serie = list(by_sheet["Serie"].options.items())
    assert serie[0] == ("Som læst: Bo Trivsel", None)
    assert "Bo Trivsel (boligområde, Horsens Kommune)" in dict(serie)
    liste = list(by_sheet["Liste"].options.items())
    assert liste[0] == ("Som i filen (1 område)", None)
    texts = {c.key: list(c.options.items()) for c in text_choices(upload, areas)}
    assert texts["Løvvangen Nord"][0] == (CHOOSE_AREA, None)
    assert texts["Løvvangen Nord"][1][0] == "Løvvangen (boligområde, Aalborg Kommune)"
    assert texts["Løvvangen Nord"][-1] == ("Opret nyt område: Løvvangen Nord", ingest.CREATE_NEW)
    assert texts["Solsikken"][0] == ("Opret nyt område: Solsikken", None)


def test_mapping_choices_name_measures_without_internal_keys():
    from types import SimpleNamespace

    from monitoring.present.upload_views import key_of_label, measure_options

    measures = {
        "employed_18_64": SimpleNamespace(name="Andel 18-64-årige i beskæftigelse"),
        "volunteers": SimpleNamespace(name="Antal frivillige"),
        "volunteers_youth": SimpleNamespace(name="Antal frivillige"),
    }
    upload = SimpleNamespace(measures=measures)
    options = measure_options(upload)
    assert "Andel 18-64-årige i beskæftigelse" in options
    # Two measures with one name keep their key, so each choice is still one measure.
    assert {"Antal frivillige (volunteers)", "Antal frivillige (volunteers_youth)"} <= set(options)
    assert {key_of_label(o, upload) for o in options} == {None, *measures}
