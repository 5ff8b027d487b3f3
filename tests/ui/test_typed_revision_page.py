"""Indtast tal: a typed figure that revises the delaftale's baseline is saved only after the
warning was shown and the user chose "Gem alligevel"; editing again withdraws the question."""

from __future__ import annotations

import pytest

from monitoring import ingest
from tests.test_ingest import value
from tests.ui.text import shown

PAGE = "app_pages/upload.py"


def _type(at, text: str):
    at.session_state["upload_tab"] = "Indtast tal"
    at.run()
    at.selectbox(key="entry_plan").set_value("guldborgsund-mit-liv").run()
    editor = at.data_editor[0]
    row = list(editor.value.index).index("employed_18_64|Østerbro")
    at.session_state[editor.key] = {
        "edited_rows": {row: {"2021": text}},
        "added_rows": [],
        "deleted_rows": [],
    }
    return at


def _click(at, label: str):
    return next(b for b in at.button if b.label == label).click().run()


def test_a_typed_baseline_revision_is_saved_only_after_the_warning(run_page, store):
    url, engine = store
    at = _click(_type(run_page(PAGE, url), "38,9"), "Gem indtastede tal")
    assert not at.exception
    (warning,) = [shown(w.value) for w in at.warning if "delaftalens baseline" in shown(w.value)]
    assert "38,9 %" in warning and "40,0 %" in warning and "2021" in warning
    assert value(engine, "Østerbro", "employed_18_64", 2021) == 40.0  # nothing saved yet
    assert ingest.history(engine, actor="test") == []
    assert not _type(at, "40,3").run().exception  # edited again: the question is withdrawn
    assert not [b for b in at.button if b.label == "Gem alligevel"]
    at = _click(_type(at, "38,9"), "Gem indtastede tal")
    at = _click(at, "Gem alligevel")
    assert not at.exception
    assert "gemt" in shown(at.success[0].value)
    assert value(engine, "Østerbro", "employed_18_64", 2021) == pytest.approx(38.9)
    assert not [b for b in at.button if b.label == "Gem alligevel"]


def test_a_figure_matching_the_baseline_is_saved_at_once(run_page, store):
    url, engine = store
    at = _click(_type(run_page(PAGE, url), "40,3"), "Gem indtastede tal")
    assert not at.exception
    assert "gemt" in shown(at.success[0].value)
    assert not [b for b in at.button if b.label == "Gem alligevel"]
    assert value(engine, "Østerbro", "employed_18_64", 2021) == pytest.approx(40.3)
