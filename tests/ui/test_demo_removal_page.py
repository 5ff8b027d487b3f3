"""The upload page's "Fjern demotal": listed in the history, one click for those allowed, the
banner gone afterwards; a projektleder whose plans do not hold the demo is told why."""

from __future__ import annotations

from monitoring import ingest
from monitoring.access import users
from monitoring.demo import DEMO_LABEL, demo_active, generate_demo, load_demo
from monitoring.show import store_snapshot
from tests.conftest import load_demo_generated
from tests.test_ingest import import_file
from tests.ui.test_login import log_in
from tests.ui.text import shown

PAGE = "app_pages/upload.py"


def _button(at):
    return next((b for b in at.button if b.label == "Fjern demotal"), None)


def test_the_demo_is_removed_with_one_click_and_real_imports_stay(run_page, store):
    url, engine = store
    load_demo_generated(engine)
    real = import_file(engine, "lbf_tidsserie_oesterbro.xlsx")
    at = run_page(PAGE, url)
    assert not at.exception
    history = at.dataframe[-1].value
    assert list(history["Fil"]) == ["lbf_tidsserie_oesterbro.xlsx", DEMO_LABEL]
    assert "Demotal (opfundne)** er indlæst som import nr." in shown(at.markdown[-1].value)
    # The demo is not offered in the undo list: it has its own button.
    assert at.selectbox(key="undo_choice").options == [
        f"Nr. {real.batch_id}: lbf_tidsserie_oesterbro.xlsx ({ingest.history(engine, actor='test')[0]['created_at'][:10]})"
    ]
    _button(at).click().run()
    assert not at.exception
    assert "Demodata er fjernet" in shown(at.success[0].value)
    assert not demo_active(engine) and _button(at) is None
    history = at.dataframe[-1].value
    assert list(history["Status"]) == ["Gemt", "Fjernet"]
    at.switch_page("app_pages/overblik.py").run()
    assert not [w for w in at.warning if "Demodata" in w.value]  # the banner is gone
    at.query_params["plan"] = "guldborgsund-mit-liv"
    at.switch_page("app_pages/helhedsplan.py").run()
    assert not at.exception
    assert max(at.selectbox(key="url_year").options) == "2023"  # real years only, no invented 2025


def test_a_projektleder_outside_the_demo_gets_the_reason_not_the_button(run_page, store):
    url, engine = store
    users.add_user(engine, "opsætning", "anna", "administrator", password="hemmeligt")
    users.add_user(
        engine, "anna", "per", "projektleder", plans=["horsens-bo-trivsel"], password="hemmeligt"
    )
    load_demo(engine, generate_demo(store_snapshot(engine, actor="anna")), user="anna")
    at = log_in(run_page(PAGE, url), "per", "hemmeligt")
    at.switch_page(PAGE).run()
    assert not at.exception
    assert _button(at) is None
    assert any("må kun ændre tal for sine helhedsplaner" in shown(c.value) for c in at.caption)
    assert demo_active(engine)
