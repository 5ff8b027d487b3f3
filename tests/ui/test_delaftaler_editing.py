"""Delaftaler page in AppTest: an edit, a delaftale import and a restore reach the store, and the
history shows each with before and after."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from monitoring.delaftale.store import existing_plan
from tests.ui.text import reading_tables, shown

PAGE = "app_pages/delaftaler.py"
SLUG = "horsens-bo-trivsel"
NAME = "Andel ledige og aktiverede"
TEXT = Path(__file__).resolve().parents[1] / "data" / "delaftaler" / "horsens-bo-trivsel.txt"


def _baseline(engine):
    plan = existing_plan(engine, SLUG)
    return plan["agreements"][0]["subgoals"][0]["indicators"][0]["baseline"]["value"]


def _by_label(widgets, label):
    [widget] = [w for w in widgets if w.label == label]
    return widget


def test_edit_import_and_restore_through_the_page(run_page, store, monkeypatch):
    url, engine = store
    monkeypatch.setenv("LOGNAME", "Pia")  # a store without users: the server's login name acts
    at = run_page(PAGE, url)
    assert not at.exception
    assert any("Pia" in c.value for c in at.caption)  # the history records who acts, not typed text
    at.segmented_control(key="part").set_value("Redigér").run()
    at.selectbox(key="edit_plan").set_value("Bo Trivsel").run()
    assert _by_label(at.selectbox, "Indikator").value == f"1.1 {NAME}"
    _by_label(at.text_input, "Baseline").set_value("19,5")
    [button] = [b for b in at.button if b.label == "Gem indikatoren"]
    button.click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert _baseline(engine) == 19.5
    assert "ny udgave af 'Bo Trivsel'" in shown(at.success[0].value)

    at.segmented_control(key="part").set_value("Importér delaftale").run()
    at.file_uploader[0].upload("bo-trivsel.txt", TEXT.read_bytes()).run()
    assert any("'?' er ikke et tal" in shown(w.value) for w in at.warning)
    assert _by_label(at.selectbox, "Gem som").value == "Bo Trivsel"
    [button] = [b for b in at.button if b.label == "Gem delaftalen"]
    button.click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert _baseline(engine) == 18.3  # the imported document says 18,3 %

    at.segmented_control(key="part").set_value("Historik").run()
    history_plan = at.selectbox(key="history_plan")
    history_plan.set_value("Bo Trivsel").run()
    restore = _by_label(at.selectbox, "Gendan en tidligere udgave af en indikator")
    wanted = [o for o in restore.options if o.startswith(NAME) and "Pia" in o]
    # The version before the import (made by Pia's edit): 19,5.
    restore.set_value(wanted[0]).run()
    [button] = [b for b in at.button if b.label == "Gendan udgaven"]
    button.click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert _baseline(engine) == 19.5

    tables = reading_tables(at)  # the Delaftaler tab's tables come first
    first = next(i for i, t in enumerate(tables) if "Hvad" in t.columns)
    history = tables[first]
    assert list(history["Hvad"][:3]) == [
        "Indikator gendannet",
        "Delaftale importeret",
        "Redigeret på siden Delaftaler",
    ]
    assert set(history["Bruger"][:3]) == {"Pia"}
    changes = tables[first + 1 : first + 4]
    for table in changes:
        row = table[(table["Indikator"] == NAME) & (table["Felt"] == "baseline")].iloc[0]
        assert row["Før"] != row["Efter"]
    restored, imported, edited = changes
    assert "value: 18.3" in restored[restored["Felt"] == "baseline"].iloc[0]["Før"]
    assert "value: 19.5" in restored[restored["Felt"] == "baseline"].iloc[0]["Efter"]
    assert "value: 19.5" in imported[imported["Felt"] == "baseline"].iloc[0]["Før"]
    assert "value: 18.3" in edited[edited["Felt"] == "baseline"].iloc[0]["Før"]


def test_an_invalid_edit_names_the_field_and_saves_nothing(run_page, store):
    url, engine = store
    at = run_page(PAGE, url, part="Redigér")
    at.selectbox(key="edit_plan").set_value("Bo Trivsel").run()
    _by_label(at.text_input, "Baseline").set_value("140")
    [button] = [b for b in at.button if b.label == "Gem indikatoren"]
    button.click().run()
    assert f"Indikator 1 ('{NAME}'), feltet Baseline: 140 % ligger uden for 0-100." in shown(
        at.error[0].value
    )
    assert _baseline(engine) == 18.3


def test_an_unreadable_upload_is_one_sentence(run_page, store):
    url, _engine = store
    at = run_page(PAGE, url, part="Importér delaftale")
    at.file_uploader[0].upload("brev.docx", b"PK\x03\x04 broken").run()
    assert not at.exception
    assert "beskadiget Word-dokument" in shown(at.error[0].value)


def test_a_new_plan_is_created_on_the_page(run_page, store):
    url, engine = store
    at = run_page(PAGE, url, part="Redigér")
    at.selectbox(key="edit_plan").set_value("➕ Ny helhedsplan").run()
    _by_label(at.text_input, "Navn").set_value("Boligsocial Helhedsplan i Vestergården")
    _by_label(at.text_input, "Kommune").set_value("Horsens")
    _by_label(at.date_input, "Periode fra").set_value(dt.date(2025, 1, 1))
    _by_label(at.date_input, "Periode til").set_value(dt.date(2028, 12, 31))
    [subgoals] = [t for t in at.text_area if t.label.startswith("Delmål")]
    subgoals.set_value("Flere i job")
    _by_label(at.text_input, "Første indikator (ny plan)").set_value("Andel i job")
    [button] = [b for b in at.button if b.label == "Gem helhedsplan og delaftale"]
    button.click().run()
    assert not at.exception and not at.error, [shown(e.value) for e in at.error]
    plan = existing_plan(engine, "horsens-vestergaarden")
    assert (plan["kommune"], plan["kommune_code"], plan["main_area"]) == (
        "Horsens Kommune",
        "615",
        "Vestergården",
    )
    assert plan["agreements"][0]["subgoals"][0]["indicators"][0]["name"] == "Andel i job"


def test_a_period_that_ends_before_it_starts_is_refused(run_page, store):
    url, engine = store
    at = run_page(PAGE, url, part="Redigér")
    at.selectbox(key="edit_plan").set_value("Bo Trivsel").run()
    _by_label(at.date_input, "Periode til").set_value(dt.date(2020, 1, 1))
    [button] = [b for b in at.button if b.label == "Gem helhedsplan og delaftale"]
    button.click().run()
    assert "feltet Periode: slutdatoen 2020-01-01 ligger før startdatoen 2024-01-01" in shown(
        at.error[0].value
    )
    assert existing_plan(engine, SLUG)["period"]["end"] == "2027-12-31"
