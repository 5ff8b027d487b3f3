"""End to end in Debian's Chromium: Overblik, every plan's page and the Delaftaler page render."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from monitoring.seed import load_seed
from monitoring.store.db import create_schema, get_engine
from tests.ui.browser import CHARTS, OUTPUT, PROJECT, streamlit_server

pytestmark = pytest.mark.browser


def _settled(page) -> None:
    """Wait until Streamlit has finished running the page script (its root element says so)."""
    expect(page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=30_000
    )
    expect(page.get_by_test_id("stException")).to_have_count(0)


def _open(browser, url: str, expected: str, screenshot: str):
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="da-DK")
    page.goto(url)
    expect(page.get_by_text(expected, exact=False).first).to_be_visible(timeout=30_000)
    _settled(page)
    assert page.get_by_text("Page not found").count() == 0, f"no such page: {url}"
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / screenshot), full_page=True)
    return page


def test_browser_overblik_and_every_plan_page(browser, demo_url, seeded_plans):
    with streamlit_server(demo_url) as base:
        page = _open(browser, f"{base}/", "Overblik", "overblik.png")
        # A direct link runs app.py's st.navigation: the menu shows page titles, not file names.
        navigation = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Sammenlign områder" in navigation and "shared" not in navigation
        # "Overblik" is in the menu too, so wait for the page body itself: every plan's name
        for plan in seeded_plans.values():
            expect(page.get_by_text(plan["name"], exact=False).first).to_be_visible(timeout=30_000)
        page.close()
        for slug, plan in seeded_plans.items():
            page = _open(browser, f"{base}/helhedsplan?plan={slug}", "Delmål 1", f"plan-{slug}.png")
            assert page.locator("h1").first.inner_text().strip() == plan["name"]
            assert page.get_by_text("Demodata", exact=False).count() > 0
            if slug == "guldborgsund-mit-liv":
                with page.expect_download() as download:
                    page.get_by_role("button", name="Årsstatus som PDF").click()
                report = download.value
                assert report.suggested_filename.startswith(f"{slug}-aarsstatus-")
                assert Path(report.path()).read_bytes()[:4] == b"%PDF"
            page.close()
        page = _open(browser, f"{base}/delaftaler", "Delaftaler", "delaftaler.png")
        page.close()


def test_browser_sammenlign_page(browser, demo_url):
    with streamlit_server(demo_url) as base:
        page = _open(browser, f"{base}/sammenlign", "Rangering", "sammenlign.png")
        assert page.locator("h1").first.inner_text().strip() == "Sammenlign områder"
        assert page.get_by_text("Andel 18-64-årige i beskæftigelse", exact=False).count() > 0
        # The chart draws after the text: wait for it.
        expect(page.locator(CHARTS)).to_have_count(1, timeout=30_000)
        page.close()
        page = _open(
            browser,
            f"{base}/sammenlign?view=Negativ+udvikling&alle=true&pp1=0.5",
            "med negativ udvikling",
            "sammenlign-negativ-udvikling.png",
        )
        page.close()
        page = _open(
            browser,
            f"{base}/sammenlign?view=Planer+side+om+side",
            "Alle indikatorer",
            "sammenlign-planer.png",
        )
        page.close()


def test_browser_upload_sample_file(browser, tmp_path):
    url = f"sqlite:///{tmp_path / 'upload.db'}"
    engine = get_engine(url)
    create_schema(engine)
    load_seed(engine)
    sample = PROJECT / "data" / "samples" / "lbf_omraadeliste_2023.xlsx"
    with streamlit_server(url) as base:
        page = _open(browser, f"{base}/upload", "Importhistorik", "upload-empty.png")
        page.locator('input[type="file"]').set_input_files(str(sample))
        expect(page.get_by_text("4. Det vil ændre sig")).to_be_visible(timeout=30_000)
        _settled(page)
        page.screenshot(path=str(OUTPUT / "upload-preview.png"), full_page=True)
        page.get_by_role("button", name="Gem i databasen").click()
        expect(page.get_by_text("gemt:", exact=False).first).to_be_visible(timeout=30_000)
        # The history below lists the new import once the rerun has finished.
        expect(page.get_by_text("Der er ikke importeret nogen filer endnu.")).to_have_count(
            0, timeout=30_000
        )
        _settled(page)
        page.screenshot(path=str(OUTPUT / "upload-committed.png"), full_page=True)
        page.close()
