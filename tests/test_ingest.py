"""Uploads into the store (monitoring.ingest) on SQLite and PostgreSQL: each layout, validation,
preview, one-transaction commit, "Ingen ændringer", exact undo, history, and bad input that
leaves the store untouched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from monitoring import ingest
from monitoring.errors import MonitorError
from monitoring.seed import load_seed
from monitoring.show import store_snapshot
from monitoring.store.db import transaction
from monitoring.store.models import (
    Area,
    Base,
    ImportBatch,
    MappingMemory,
    Measure,
    Observation,
    ObservationChange,
)
from tests.test_lbf_read import BAD_INPUT_SETTINGS, BAD_INPUTS, xlsx_bytes

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
STORE_TABLES = ("area", "measure", "observation", "plan", "indicator", "comparator")


def sample(name: str) -> tuple[bytes, str]:
    return (SAMPLES / name).read_bytes(), name


def tables(
    engine: Engine, names: tuple[str, ...] | None = None
) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (or of `names`), in primary-key order."""
    content = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if names is not None and table.name not in names:
                continue
            rows = connection.execute(select(table).order_by(*table.primary_key.columns))
            content[table.name] = [tuple(row) for row in rows]
    return content


def content(engine: Engine) -> tuple[dict[str, Any], dict[str, list[tuple[Any, ...]]]]:
    """What "unchanged" means: the `show --json` snapshot and every row of every table."""
    return store_snapshot(engine, actor="test"), tables(engine)


@pytest.fixture
def store(engine: Engine) -> Engine:
    load_seed(engine)
    return engine


def observation(engine: Engine, area: str, measure: str, year: int) -> Observation | None:
    with Session(engine) as session:
        return session.scalar(
            select(Observation)
            .join(Area, Area.id == Observation.area_id)
            .join(Measure, Measure.id == Observation.measure_id)
            .where(Area.name == area, Measure.key == measure, Observation.year == year)
        )


def value(engine: Engine, area: str, measure: str, year: int) -> float | None:
    found = observation(engine, area, measure, year)
    assert found is not None, (area, measure, year)
    return found.value


def import_file(engine: Engine, name: str, **options: Any) -> ingest.CommitResult:
    data, file_name = sample(name)
    upload = ingest.read_upload(engine, data, file_name, **options)
    assert not upload.blocking, upload.errors
    return ingest.commit(engine, upload, user="test")


# --------------------------------------------------------------------------------------------
# Each layout, values checked in the store


def test_time_series_sample_lands_in_the_store(store):
    before_baseline = value(store, "Østerbro", "employed_18_64", 2021)
    result = import_file(store, "lbf_tidsserie_oesterbro.xlsx")
    assert result.batch_id is not None
    assert result.counts["unchanged"] == 1  # 2021 = the delaftale's baseline 40 %
    assert value(store, "Østerbro", "employed_18_64", 2021) == before_baseline == 40.0
    assert value(store, "Østerbro", "employed_18_64", 2023) == pytest.approx(42.1)
    assert value(store, "Østerbro", "public_support_18_64", 2023) == pytest.approx(43.3)
    assert value(store, "Østerbro", "household_income_avg", 2015) == 279_400
    assert value(store, "Østerbro", "household_income_avg", 2021) == 318_260
    # the row "Ledige og aktiverede (pct.)" of the table for 18-64-årige: the 18-64 measure
    suppressed = observation(store, "Østerbro", "unemployed_and_activated_18_64", 2014)
    assert (suppressed.value, suppressed.state) == (None, "suppressed")
    assert observation(store, "Østerbro", "unemployed_and_activated", 2014) is None
    assert observation(store, "Østerbro", "household_income_avg", 2023) is None  # lags a year
    with Session(store) as session:
        batch = session.get(ImportBatch, result.batch_id)
        assert (batch.kind, batch.file_name, batch.user, batch.status) == (
            "lbf",
            "lbf_tidsserie_oesterbro.xlsx",
            "test",
            "committed",
        )
        assert batch.sha256 == ingest.read_upload(store, *sample(batch.file_name)).table.sha256
        assert batch.mapping["labels"]["I beskæftigelse (pct.)"] == "employed_18_64"
        assert batch.mapping["counts"]["new"] == result.counts["new"]
    assert observation(store, "Østerbro", "employed_18_64", 2023).source == (
        "Upload: lbf_tidsserie_oesterbro.xlsx"
    )


@pytest.mark.parametrize("name", ["lbf_omraadeliste_2023.xlsx", "lbf_omraadeliste_2023.csv"])
def test_area_list_sample_lands_in_the_store(store, name):
    data, file_name = sample(name)
    upload = ingest.read_upload(store, data, file_name)
    (new_area,) = upload.new_areas
    assert (new_area.name, new_area.kind, new_area.code, new_area.parent_name) == (
        "Svendborg Andelsboligforening afd. 31",
        "afdeling",
        "31",
        "Svendborg Kommune",
    )
    assert {a.name: a.how for a in upload.areas if not a.is_new} == {
        "Sundby-Hvorup Boligselskab afd. 12": "navn",
        "Løvvangen": "navn",
        "Østerbro": "navn",
        "Trekanten": "navn",
        "Sundparken": "navn",
        "Sønderbro": "navn",
        "Skovparken": "navn",
        "Aalborg Kommune": "kommune",
    }
    assert [m.label for m in upload.unmapped] == ["Antal beboere"]
    result = ingest.commit(store, upload, user="test")
    assert result.counts["new_areas"] == 1
    assert value(store, "Sundby-Hvorup Boligselskab afd. 12", "employed_18_64", 2023) == 45.8
    assert value(store, "Aalborg Kommune", "public_support_18_64", 2023) == 20.3
    assert value(store, "Trekanten", "household_income_avg", 2023) == 334_870
    assert observation(store, "Skovparken", "unemployed_and_activated", 2023).state == (
        "suppressed"
    )
    with Session(store) as session:
        created = session.scalar(
            select(Area).where(Area.name == "Svendborg Andelsboligforening afd. 31")
        )
        assert (created.kind, created.code, created.parent.name) == (
            "afdeling",
            "31",
            "Svendborg Kommune",
        )
    assert value(store, "Svendborg Andelsboligforening afd. 31", "employed_18_64", 2023) == 57.2


@pytest.mark.parametrize("name", ["lbf_lang_tabel.csv", "lbf_lang_tabel.xlsx"])
def test_long_table_sample_lands_in_the_store(store, name):
    result = import_file(store, name)
    assert result.counts["new"] + result.counts["changed"] == 30
    assert value(store, "Løvvangen", "employed_18_64", 2023) == pytest.approx(47.3)
    assert value(store, "Trekanten", "household_income_avg", 2022) == 340_250  # "340.250 kr."
    assert observation(store, "Løvvangen", "unemployed_and_activated", 2020).state == "suppressed"


# --------------------------------------------------------------------------------------------
# Same file twice, undo, history


def test_same_file_twice_changes_nothing(store):
    first = import_file(store, "lbf_omraadeliste_2023.xlsx")
    assert first.batch_id is not None
    before = content(store)
    second = import_file(store, "lbf_omraadeliste_2023.xlsx")
    assert second.batch_id is None
    assert second.message.startswith("Ingen ændringer")
    assert second.counts["new"] == second.counts["changed"] == 0
    assert second.counts["unchanged"] == first.counts["new"] + first.counts["unchanged"]
    assert content(store) == before


def test_undo_restores_exactly(store):
    watched = ("area", "observation", "measure", "plan", "indicator", "comparator")
    before, snapshot = tables(store, watched), store_snapshot(store, actor="test")
    first = import_file(store, "lbf_omraadeliste_2023.xlsx")
    second = import_file(store, "lbf_lang_tabel.csv")
    third = import_file(store, "lbf_tidsserie_oesterbro.xlsx")
    assert second.counts["changed"] > 0 and third.counts["changed"] > 0
    assert tables(store, watched) != before
    for result in (third, second, first):
        undone = ingest.undo(store, result.batch_id, user="test")
        assert undone.message.startswith(f"Import #{result.batch_id} er fortrudt")
    assert tables(store, watched) == before
    assert store_snapshot(store, actor="test") == snapshot
    statuses = {b["id"]: b["status"] for b in ingest.history(store, actor="test")}
    assert statuses == {
        first.batch_id: "undone",
        second.batch_id: "undone",
        third.batch_id: "undone",
    }


def test_undo_records_what_was_replaced(store):
    first = import_file(store, "lbf_omraadeliste_2023.xlsx")
    second = import_file(store, "lbf_lang_tabel.csv")
    with Session(store) as session:
        changes = session.scalars(
            select(ObservationChange).where(ObservationChange.batch_id == second.batch_id)
        ).all()
    # A row per replaced cell; the cells the batch added are marked by its id alone.
    assert all(c.existed for c in changes)
    assert len(changes) == second.counts["changed"]
    with Session(store) as session:
        carrying = session.scalar(
            select(func.count()).where(Observation.batch_id == second.batch_id)
        )
    assert carrying == second.counts["new"] + second.counts["changed"]
    replaced = [c for c in changes if c.old_batch_id == first.batch_id]
    assert replaced and all(c.old_state == "ok" for c in replaced)


def test_the_preview_is_reused_only_while_it_still_describes_the_store(store):
    """Resolved while its areas were new, previewed after another import created them (and
    their figures): the commit must compare again, not write the preview's "new" cells."""
    data, file_name = sample("lbf_omraadeliste_2023.xlsx")
    late = ingest.read_upload(store, data, file_name)
    assert late.new_areas
    import_file(store, "lbf_omraadeliste_2023.xlsx")
    changes = ingest.preview(store, late, actor="test")
    assert changes.counts["new"] > 0  # the areas were new when the file was resolved
    result = ingest.commit(store, late, user="test")
    assert result.batch_id is None and result.counts["new"] == 0  # written once, not twice


def test_undo_is_refused_when_a_cell_it_added_is_gone(store):
    first = import_file(store, "lbf_omraadeliste_2023.xlsx")
    with transaction(store, user="test", action="test") as tx:
        gone = tx.session.scalars(
            select(Observation).where(Observation.batch_id == first.batch_id).limit(1)
        ).one()
        tx.session.delete(gone)
    before = content(store)
    with pytest.raises(MonitorError, match="1 af dens tal er siden ændret af en anden ændring"):
        ingest.undo(store, first.batch_id, user="test")
    assert content(store) == before


def test_undo_is_refused_while_a_later_import_holds_the_same_cells(store):
    first = import_file(store, "lbf_omraadeliste_2023.xlsx")
    second = import_file(store, "lbf_lang_tabel.csv")
    before = content(store)
    with pytest.raises(MonitorError, match=f"Fortryd først import #{second.batch_id}"):
        ingest.undo(store, first.batch_id, user="test")
    assert content(store) == before
    ingest.undo(store, second.batch_id, user="test")
    ingest.undo(store, first.batch_id, user="test")
    with pytest.raises(MonitorError, match="allerede fortrudt"):
        ingest.undo(store, first.batch_id, user="test")
    with pytest.raises(MonitorError, match="findes ikke"):
        ingest.undo(store, 9999, user="test")


def test_reimport_after_undo(store):
    first = import_file(store, "lbf_omraadeliste_2023.xlsx")
    ingest.undo(store, first.batch_id, user="test")
    again = import_file(store, "lbf_omraadeliste_2023.xlsx")
    assert again.batch_id is not None
    assert again.counts["new"] == first.counts["new"]


def test_history_lists_imports_newest_first(store):
    first = import_file(store, "lbf_omraadeliste_2023.xlsx")
    second = import_file(store, "lbf_lang_tabel.csv")
    listed = ingest.history(store, actor="test")
    assert [b["id"] for b in listed] == [second.batch_id, first.batch_id]
    assert listed[1]["file_name"] == "lbf_omraadeliste_2023.xlsx"
    assert listed[1]["new_areas"] == 1
    assert listed[0]["can_undo"] is True


def test_preview_shows_old_and_new(store):
    import_file(store, "lbf_omraadeliste_2023.xlsx")
    upload = ingest.read_upload(store, *sample("lbf_lang_tabel.csv"))
    before = content(store)
    changes = ingest.preview(store, upload, actor="test")
    assert content(store) == before  # previews write nothing
    row = changes.frame[
        (changes.frame["area"] == "Løvvangen")
        & (changes.frame["measure"] == "employed_18_64")
        & (changes.frame["year"] == 2023)
    ].iloc[0]
    assert (row["status"], row["old_value"], row["new_value"]) == ("changed", 46.1, 47.3)
    summary = changes.summary()
    assert set(summary.columns) >= {"area", "measure", "new", "changed", "unchanged"}
    assert summary["new"].sum() == changes.counts["new"]


# --------------------------------------------------------------------------------------------
# Bad input: a Danish message, a refused commit, the store unchanged


@pytest.mark.parametrize(
    ("case_id", "builder", "file_name", "code", "words"),
    [pytest.param(*case, id=case[0]) for case in BAD_INPUTS],
)
def test_bad_input_writes_nothing(store, case_id, builder, file_name, code, words):
    before = content(store)
    upload = ingest.read_upload(
        store, builder(), file_name, settings=BAD_INPUT_SETTINGS.get(case_id)
    )
    assert upload.blocking
    assert upload.errors[0].code == code
    assert words.casefold() in upload.errors[0].describe().casefold()
    with pytest.raises(MonitorError) as refused:
        ingest.commit(store, upload, user="test")
    assert "intet er gemt" in str(refused.value)
    assert words.casefold() in str(refused.value).casefold()
    assert content(store) == before


def _bad_values_workbook() -> bytes:
    return xlsx_bytes(
        {
            "2023": [
                ["Boligsociale data 2023"],
                [
                    "Kommune",
                    "Afdeling",
                    "Andel 18-64-årige i beskæftigelse (%)",
                    "Antal på midlertidig forsørgelse",
                ],
                ["Aalborg", "Løvvangen", "4l,2", 12],
                ["Holstebro", "Trekanten", 104.5, -3],
                ["Guldborgsund", "Østerbro", 41.0, 7],
                ["Guldborgsund", "Østerbro", 43.0, 7],
            ]
        }
    )


def test_blocking_value_errors_name_the_cell(store):
    before = content(store)
    upload = ingest.read_upload(
        store,
        _bad_values_workbook(),
        "fejl.xlsx",
        mapping={
            "Antal på midlertidig forsørgelse": "holstebro_trekanten_temporary_public_support_count"
        },
    )
    found = {(p.code, p.row, p.column): p for p in upload.errors}
    assert found[("not_a_number", 3, "C")].text == "4l,2"
    assert "skal være et tal" in found[("not_a_number", 3, "C")].message
    assert "mellem 0 og 100" in found[("percent_out_of_range", 4, "C")].message
    assert "ikke være negativt" in found[("negative_count", 4, "D")].message
    assert {key[1] for key in found if key[0] == "duplicate_conflict"} == {5, 6}
    assert ("duplicate_conflict", 5, "D") not in found  # same value twice is only a warning
    assert (
        found[("not_a_number", 3, "C")]
        .describe()
        .startswith("Ark '2023', række 3, kolonne C ('4l,2'): ")
    )
    with pytest.raises(MonitorError, match="kan ikke importeres"):
        ingest.commit(store, upload, user="test")
    assert content(store) == before


def test_unit_in_cell_must_match_the_measure(store):
    data = xlsx_bytes(
        {
            "2023": [
                ["Afdeling", "Andel 18-64-årige i beskæftigelse (%)"],
                ["Løvvangen", "364.534 kr."],
            ]
        }
    )
    upload = ingest.read_upload(store, data, "enhed.xlsx")
    assert [p.code for p in upload.errors] == ["unit_mismatch"]


def test_unknown_measure_in_mapping_is_blocking(store):
    upload = ingest.read_upload(
        store, *sample("lbf_omraadeliste_2023.xlsx"), mapping={"Antal beboere": "no_such_measure"}
    )
    assert [p.code for p in upload.errors] == ["unknown_measure"]
    assert "no_such_measure" in upload.errors[0].message


def test_nothing_mapped_is_blocking(store):
    data = xlsx_bytes({"2023": [["Afdeling", "Helt ukendt nøgletal"], ["Løvvangen", 12]]})
    upload = ingest.read_upload(store, data, "ukendt.xlsx")
    assert [p.code for p in upload.errors] == ["nothing_mapped"]


def test_missing_year_and_area_are_blocking_until_given(store):
    rows = [["Afdeling", "Andel 18-64-årige i beskæftigelse (%)"], ["Løvvangen", 46.0]]
    data = xlsx_bytes({"Data": rows})
    assert [p.code for p in ingest.read_upload(store, data, "a.xlsx").errors] == ["no_year"]
    assert not ingest.read_upload(store, data, "a.xlsx", year=2022).blocking

    series = xlsx_bytes(
        {
            "Ark1": [
                ["Beskæftigelse for 18-64-årige"],
                [None, 2021, 2022],
                ["I beskæftigelse (pct.)", 44.0, 45.0],
            ]
        }
    )
    assert [p.code for p in ingest.read_upload(store, series, "b.xlsx").errors] == ["no_area"]
    upload = ingest.read_upload(store, series, "b.xlsx", area="Løvvangen")
    assert not upload.blocking
    assert [(a.name, a.is_new) for a in upload.areas] == [("Løvvangen", False)]


# --------------------------------------------------------------------------------------------
# Areas and mappings


def test_time_series_area_found_in_the_title_by_store_name(store):
    series = xlsx_bytes(
        {
            "Ark1": [
                ["Beskæftigelse for 18-64-årige"],
                ["Tal for TREKANTEN i Holstebro"],
                [None, 2022, 2023],
                ["I beskæftigelse (pct.)", 50.1, 51.2],
            ]
        }
    )
    upload = ingest.read_upload(store, series, "t.xlsx")
    assert not upload.blocking, upload.errors
    assert [(a.name, a.how) for a in upload.areas] == [("Trekanten", "navn")]


def test_unknown_areas_are_created_and_can_be_mapped_instead(store):
    rows = [
        ["Nøgletal 2023"],
        ["Kommune", "Afdelingsnummer", "Afdeling", "Andel 18-64-årige i beskæftigelse (%)"],
        ["Aalborg", "7", "Nyt Boligselskab afd. 7", 51.0],
        ["Nyby", None, "Solsikken", 49.0],
        ["Aalborg", None, "Løvvangen afd. (gl. navn)", 47.0],
    ]
    data = xlsx_bytes({"Data": rows})
    upload = ingest.read_upload(store, data, "nye.xlsx")
    new = {a.name: (a.kind, a.parent_name, a.new_parent) for a in upload.new_areas}
    assert new == {
        "Nyt Boligselskab afd. 7": ("afdeling", "Aalborg Kommune", False),
        "Solsikken": ("boligomraade", "Nyby Kommune", True),
        "Nyby Kommune": ("kommune", None, False),
    }
    # A text containing a known area's name is never created on its own: it is asked about.
    (question,) = upload.questions
    assert (question.text, question.sheet, question.row) == ("Løvvangen afd. (gl. navn)", "Data", 5)
    assert [p.code for p in upload.errors] == ["area_unclear"]
    upload = ingest.resolve(
        store, upload.table, area_map={"Løvvangen afd. (gl. navn)": "Løvvangen"}
    )
    assert {a.name for a in upload.new_areas} == {
        "Nyt Boligselskab afd. 7",
        "Solsikken",
        "Nyby Kommune",
    }
    assert ingest.preview(store, upload, actor="test").counts["new_areas"] == 3
    result = ingest.commit(store, upload, user="test")
    assert result.counts["new_areas"] == 3
    assert value(store, "Løvvangen", "employed_18_64", 2023) == 47.0
    with Session(store) as session:
        solsikken = session.scalar(select(Area).where(Area.name == "Solsikken"))
        assert solsikken.parent.name == "Nyby Kommune"
        assert solsikken.parent.kind == "kommune"
    before = tables(store, ("area", "observation"))
    ingest.undo(store, result.batch_id, user="test")
    with Session(store) as session:
        names = set(session.scalars(select(Area.name)))
    assert not names & {"Solsikken", "Nyby Kommune", "Nyt Boligselskab afd. 7"}
    assert tables(store, ("area",)) != before["area"]


def test_confirmed_mapping_is_remembered_for_next_year(store):
    rows = [
        ["Tal 2022"],
        ["Afdeling", "Beskæftigede i pct.", "Antal beboere"],
        ["Løvvangen", 45.5, 2400],
    ]
    data = xlsx_bytes({"Data": rows})
    first = ingest.read_upload(store, data, "a.xlsx")
    assert first.blocking  # no age band: nothing maps
    chosen = {"Beskæftigede i pct.": "employed_18_64", "Antal beboere": None}
    upload = ingest.resolve(store, first.table, mapping=chosen)
    assert not upload.blocking
    ingest.commit(store, upload, user="projektleder")
    with Session(store) as session:
        memory = {
            m.label: (m.measure_key, m.confirmed_by) for m in session.scalars(select(MappingMemory))
        }
    assert memory == {
        "Beskæftigede i pct.": ("employed_18_64", "projektleder"),
        "Antal beboere": (None, "projektleder"),
    }
    next_year = xlsx_bytes({"Data": [["Tal 2023"], *rows[1:2], ["Løvvangen", 46.5, 2410]]})
    upload = ingest.read_upload(store, next_year, "b.xlsx")
    assert not upload.blocking
    assert {m.label: (m.measure_key, m.source) for m in upload.mapping} == {
        "Beskæftigede i pct.": ("employed_18_64", "husket"),
        "Antal beboere": (None, "husket"),
    }
    assert upload.unmapped == []


VARIED_LABELS = {
    "Nøgletal": [
        ["Tal 2024"],
        [
            "Afdeling",
            "Beskæftigelsesfrekvens, 18-64 år, pct.",
            "Andel 18-64-årige på off. forsørgelse",
            "Gns. husstandsindkomst (kr.)",
            "Andel 16-64-årige i beskæftigelse",
            "Antal beboere",
        ],
        ["Løvvangen", 47.0, 30.5, 310_000, 45.0, 2400],
        ["Østerbro", 42.0, 41.0, 290_000, 40.0, 1800],
    ],
    "Tidsserie": [
        ["Beskæftigelse for 18-64-årige"],
        ["Område: Trekanten"],
        [None, 2022, 2023],
        ["Andel i beskæftigelse (%)", 50.1, 51.2],
        ["Ledige og aktiverede (pct.)", 9.0, 8.5],  # an 18-64 table: not the 16-64 measure
        ["I beskæftigelse (antal)", 980, 1010],  # no count measure
        ["Uden tilknytning til arbejdsmarked eller uddannelse (pct.)", 20.0, 19.0],
    ],
}
VARIED_MAPPING = {
    "Beskæftigelsesfrekvens, 18-64 år, pct.": ("employed_18_64", "betydning"),
    "Andel 18-64-årige på off. forsørgelse": ("public_support_18_64", "betydning"),
    "Gns. husstandsindkomst (kr.)": ("household_income_avg", "synonym"),
    "Andel 16-64-årige i beskæftigelse": (None, "forslag"),
    "Antal beboere": (None, "ingen"),
    "Andel i beskæftigelse (%)": ("employed_18_64", "betydning"),
    "Ledige og aktiverede (pct.)": ("unemployed_and_activated_18_64", "synonym"),
    "I beskæftigelse (antal)": (None, "ingen"),
    "Uden tilknytning til arbejdsmarked eller uddannelse (pct.)": (
        "no_work_or_education_18_64",
        "betydning",
    ),
}


def test_labels_that_mean_a_measure_are_imported_without_a_mapping(store):
    upload = ingest.read_upload(store, xlsx_bytes(VARIED_LABELS), "varierede.xlsx")
    assert not upload.blocking, upload.errors
    assert {m.label: (m.measure_key, m.source) for m in upload.mapping} == VARIED_MAPPING
    assert {m.label: m.suggestion for m in upload.unmapped} == {
        "Andel 16-64-årige i beskæftigelse": "employed_18_64",  # a suggestion only
        "Antal beboere": None,
        "I beskæftigelse (antal)": None,
    }
    ingest.commit(store, upload, user="test")
    assert value(store, "Løvvangen", "employed_18_64", 2024) == 47.0
    assert value(store, "Østerbro", "public_support_18_64", 2024) == 41.0
    assert value(store, "Løvvangen", "household_income_avg", 2024) == 310_000
    assert value(store, "Trekanten", "employed_18_64", 2023) == pytest.approx(51.2)
    assert value(store, "Trekanten", "no_work_or_education_18_64", 2022) == 20.0
    assert value(store, "Trekanten", "unemployed_and_activated_18_64", 2023) == 8.5
    assert observation(store, "Trekanten", "unemployed_and_activated", 2023) is None


def test_uncertain_match_is_left_unmapped_with_a_suggestion(store):
    rows = [
        ["Tal 2022"],
        ["Afdeling", "Andel 18-64 årige i beskæftigelse i alt"],
        ["Løvvangen", 45.5],
    ]
    upload = ingest.read_upload(store, xlsx_bytes({"Data": rows}), "a.xlsx")
    (proposal,) = upload.mapping
    assert proposal.measure_key is None
    assert proposal.suggestion == "employed_18_64"
    assert 0.6 < proposal.confidence < 1
    assert any(
        p.code == "unmapped" and "Forslag: employed_18_64" in p.message for p in upload.warnings
    )


# --------------------------------------------------------------------------------------------
# Warnings


def test_suppressed_cells_and_outliers_are_warnings(store):
    import_file(store, "lbf_tidsserie_oesterbro.xlsx")
    rows = [
        ["Tal 2024"],
        ["Afdeling", "Andel 18-64-årige i beskæftigelse (%)", "Andel ledige og aktiverede (%)"],
        ["Østerbro", 95.0, "x"],
    ]
    upload = ingest.read_upload(store, xlsx_bytes({"Data": rows}), "a.xlsx")
    assert not upload.blocking
    codes = {p.code: p for p in upload.warnings}
    assert "langt fra områdets tidligere tal" in codes["outlier"].message
    assert (codes["outlier"].row, codes["outlier"].column) == (3, "B")
    assert codes["suppressed"].text == "x"
    result = ingest.commit(store, upload, user="test")
    assert result.counts["suppressed"] == 1
    stored = observation(store, "Østerbro", "unemployed_and_activated", 2024)
    assert (stored.value, stored.state) == (None, "suppressed")


def test_fractions_without_percent_format_are_flagged(store):
    rows = [
        ["Tal 2022"],
        ["Afdeling", "Andel 18-64-årige i beskæftigelse (%)"],
        ["Løvvangen", 0.455],
        ["Østerbro", 0.41],
    ]
    upload = ingest.read_upload(store, xlsx_bytes({"Data": rows}), "a.xlsx")
    assert any(p.code == "fraction_percent" for p in upload.warnings)
    percent = xlsx_bytes({"Data": rows}, percent={"Data": {(2, 1), (3, 1)}})
    upload = ingest.read_upload(store, percent, "b.xlsx")
    assert not any(p.code == "fraction_percent" for p in upload.warnings)
    assert sorted(upload.frame["value"]) == pytest.approx([41.0, 45.5])


def test_report_is_plain_data(store):
    upload = ingest.read_upload(store, *sample("lbf_omraadeliste_2023.xlsx"))
    changes = ingest.preview(store, upload, actor="test")
    result = ingest.commit(store, upload, user="test")
    data = ingest.report(upload, changes, result)
    assert data["status"] == "committed"
    assert data["batch_id"] == result.batch_id
    assert data["counts"]["new"] == result.counts["new"]
    assert data["layouts"][0]["layout"] == "area_list"
    assert {m["label"] for m in data["mapping"]} >= {"Antal beboere"}
    assert any(a["new"] for a in data["areas"])
    lines = ingest.report_lines(data)
    assert any(line.startswith("Nye: ") for line in lines)
