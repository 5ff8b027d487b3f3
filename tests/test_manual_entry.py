"""Typing figures by hand: the grid, what counts as a change, and the trip through the ingest engine."""

import datetime as dt

import pytest

from monitoring import ingest
from monitoring.manual_entry import changed_cells, entry_file, entry_grid, entry_years
from monitoring.seed import load_seed
from monitoring.show import store_snapshot


def _plan(snapshot, slug):
    return next(p for p in snapshot["plans"] if p["slug"] == slug)


def test_entry_years_run_from_the_earliest_baseline_to_this_year(seeded_plans):
    plan = seeded_plans["guldborgsund-mit-liv"]
    assert entry_years(plan, today=dt.date(2024, 5, 1)) == [2020, 2021, 2022, 2023, 2024]


def test_grid_shows_known_values_in_danish(seeded_plans):
    plan = seeded_plans["guldborgsund-mit-liv"]
    grid = entry_grid(plan, [2021, 2022])
    assert grid.at["employed_18_64|Østerbro", "2021"] == "40,0 %"
    assert grid.at["employed_18_64|Østerbro", "2022"] == ""


def test_only_typed_cells_are_changes_and_milestone_words_become_codes(seeded_plans):
    plan = seeded_plans["aalborg-loevvangen"]
    grid = entry_grid(plan, [2021, 2022])
    edited = grid.copy()
    milestone = "aalborg_loevvangen_business_network_established|Løvvangen"
    edited.at[milestone, "2022"] = "Opnået"
    edited.at["aalborg_loevvangen_activity_ready_18_64|Løvvangen", "2021"] = "12,5"
    assert sorted(changed_cells(grid, edited)) == [
        ("Løvvangen", "aalborg_loevvangen_activity_ready_18_64", 2021, "12,5"),
        ("Løvvangen", "aalborg_loevvangen_business_network_established", 2022, "2"),
    ]


def test_typed_figures_are_committed_as_one_undoable_import(engine):
    load_seed(engine)
    before = store_snapshot(engine, actor="test")
    plan = _plan(before, "holstebro-trekanten")
    grid = entry_grid(plan, [2022])
    edited = grid.copy()
    edited.at["holstebro_trekanten_support_group_volunteers|Trekanten", "2022"] = "12"
    edited.at["holstebro_trekanten_temporary_public_support_count|Trekanten", "2022"] = "1.234"
    upload = ingest.read_upload(engine, entry_file(changed_cells(grid, edited)), "indtastning.csv")
    assert not upload.blocking
    result = ingest.commit(engine, upload, user="projektleder")
    values = {
        i["measure"]: i["observations"]
        for a in _plan(store_snapshot(engine, actor="test"), "holstebro-trekanten")["agreements"]
        for s in a["subgoals"]
        for i in s["indicators"]
    }
    assert values["holstebro_trekanten_support_group_volunteers"][0]["value"] == 12
    assert values["holstebro_trekanten_temporary_public_support_count"][0][
        "value"
    ] == pytest.approx(1234)
    ingest.undo(engine, result.batch_id, user="projektleder")
    assert store_snapshot(engine, actor="test") == before


def test_text_that_is_not_a_number_is_refused_with_its_place(engine):
    load_seed(engine)
    plan = _plan(store_snapshot(engine, actor="test"), "holstebro-trekanten")
    grid = entry_grid(plan, [2022])
    edited = grid.copy()
    edited.at["holstebro_trekanten_support_group_volunteers|Trekanten", "2022"] = "mange"
    upload = ingest.read_upload(engine, entry_file(changed_cells(grid, edited)), "indtastning.csv")
    assert upload.blocking
    assert any("mange" in (p.text or "") for p in upload.errors)


def test_every_indikator_can_be_typed_in_by_its_measure_key(seeded_url, seeded_plans):
    """The grid writes measure keys; each must map to its own measure, never be left unmapped."""
    from monitoring.store.db import get_engine

    cells = {
        (ind["area"], ind["measure"], 2024, "1")
        for plan in seeded_plans.values()
        for agreement in plan["agreements"]
        for subgoal in agreement["subgoals"]
        for ind in subgoal["indicators"]
    }
    upload = ingest.read_upload(
        get_engine(seeded_url), entry_file(sorted(cells)), "indtastning.csv"
    )
    assert [p.message for p in upload.problems if p.code == "unmapped"] == []
