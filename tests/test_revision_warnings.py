"""Revising a signed figure is never silent: typed figures and comparator baselines warn before
saving like an LBF file revising an indikator's baseline, and a comparator's signed baseline stays
the comparison's reference."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from monitoring import ingest
from monitoring.manual_entry import changed_cells, entry_file, entry_grid
from monitoring.progress import plan_progress
from monitoring.seed import load_seed
from monitoring.show import store_snapshot

HORSENS = "horsens-bo-trivsel"
GULDBORGSUND = "guldborgsund-mit-liv"


def upload(engine: Engine, *cells: tuple[str, str, int, str]) -> ingest.Upload:
    typed = ingest.read_upload(engine, entry_file(list(cells)), "Indtastning.csv")
    assert not typed.blocking, typed.errors
    return typed


def test_a_typed_figure_revising_a_baseline_warns_before_saving(engine):
    store = engine
    load_seed(store)
    (plan,) = store_snapshot(store, GULDBORGSUND, actor="test")["plans"]
    grid = entry_grid(plan, [2021])
    edited = grid.copy()
    edited.at["employed_18_64|Østerbro", "2021"] = "38,9"
    (warning,) = ingest.preview(
        store, upload(store, *changed_cells(grid, edited)), actor="test"
    ).warnings
    assert warning.code == "baseline_revised" and not warning.blocking
    for part in ("2021", "38,9 %", "40,0 %", "delaftalens baseline"):
        assert part in warning.message, part


def test_a_comparator_baseline_revision_warns_and_the_signed_figure_stays_the_reference(engine):
    store = engine
    load_seed(store)
    employment = ("Horsens Kommune", "employed_18_64")  # signed 78,89 % for 2021
    typed = upload(store, (*employment, 2021, "75,0"))
    (warning,) = ingest.preview(store, typed, actor="test").warnings
    assert warning.code == "baseline_revised"
    for part in ("sammenligningstal for Horsens Kommune", "78,9 %", "75,0 %", "2021"):
        assert part in warning.message, part
    assert (
        ingest.preview(store, upload(store, (*employment, 2021, "78,89")), actor="test").warnings
        == []
    )

    def reference() -> float:
        result = plan_progress(store, HORSENS, 2024, actor="test")
        return next(
            c["value_at_reference"]
            for s in result["subgoals"]
            for i in s["indicators"]
            if i["measure"] == "employed_18_64"
            for c in i["comparators"]
            if c["area"] == "Horsens Kommune"
        )

    assert reference() == pytest.approx(78.89)
    ingest.commit(store, typed, user="test")
    assert reference() == pytest.approx(78.89)  # the file's 75,0 stands beside it, not in place
