"""Helhedsplan page: the projektleder's comment field per delmål and the yearly status downloads."""

from __future__ import annotations

import io

import openpyxl
import pypdf

from monitoring.access import users
from monitoring.report.comments import plan_comments
from monitoring.report.content import load_content
from monitoring.report.output import report_bytes
from tests.conftest import load_demo_generated

PLAN = "app_pages/helhedsplan.py"
SLUG = "guldborgsund-mit-liv"
FIELD = f"comment-{SLUG}-2024-2"


def test_a_comment_is_saved_shown_and_in_both_downloads(run_page, store):
    url, engine = store
    load_demo_generated(engine)
    users.add_user(engine, "opsætning", "anna", "administrator")
    users.add_user(
        engine, "anna", "Pia Projektleder", "projektleder", plans=[SLUG], password="hemmelig"
    )
    at = run_page(PLAN, url, plan=SLUG, year="2024")
    at.text_input[0].input("pia projektleder")  # the log-in form; comments are signed by the user
    at.text_input[1].input("hemmelig")
    at.button[0].click().run()
    at.switch_page(PLAN).run()
    assert not at.exception
    editors = [e.label for e in at.expander if "skriv eller ret" in e.label]
    assert len(editors) == 3  # one per delmål, closed: built when opened
    assert not at.text_area
    for number in (1, 2, 3):  # the projektleder opens them
        at.session_state[f"comment-open-{SLUG}-2024-{number}"] = True
    at.run()
    fields = [t for t in at.text_area if t.label == "Hvorfor har det bevæget sig?"]
    assert len(fields) == 3
    downloads = at.get("download_button")
    labels = [d.proto.label for d in downloads]
    assert "Årsstatus som PDF" in labels and "Årsstatus som Excel" in labels

    at.text_area(key=FIELD).input("Kontanthjælpsholdet = flere i job.")
    form_buttons = [b for b in at.button if b.label == "Gem kommentar"]
    form_buttons[1].click()
    at.run()
    assert not at.exception and not at.error
    stored = plan_comments(engine, SLUG, 2024, actor="Pia Projektleder")
    assert stored[2].text == "Kontanthjælpsholdet = flere i job."
    assert stored[2].author == "Pia Projektleder"
    shown = "\n".join(m.value for m in at.markdown)
    assert "Projektlederens kommentar (2024):** Kontanthjælpsholdet \\= flere i job\\." in shown
    assert any("Pia Projektleder" in c.value for c in at.caption)
    assert at.text_area(key=FIELD).value == "Kontanthjælpsholdet = flere i job."

    content = load_content(
        engine, SLUG, 2024, actor="Pia Projektleder"
    )  # what the download buttons call
    pdf = pypdf.PdfReader(io.BytesIO(report_bytes(content, "pdf")))
    assert "Kontanthjælpsholdet = flere i job." in " ".join(p.extract_text() for p in pdf.pages)
    workbook = openpyxl.load_workbook(io.BytesIO(report_bytes(content, "xlsx")))
    texts = [c for row in workbook["Delmål 2"].iter_rows(values_only=True) for c in row]
    assert any(str(t).startswith("Kontanthjælpsholdet = flere i job.") for t in texts)

    at.text_area(key=FIELD).input("")
    [b for b in at.button if b.label == "Gem kommentar"][1].click()
    at.run()
    assert 2 not in plan_comments(engine, SLUG, 2024, actor="Pia Projektleder")
