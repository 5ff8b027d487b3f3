"""Log-in in Debian's Chromium: a direct link to any page shows only the log-in form; after
logging in, a reader sees its own plan only, and a new tab asks again."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from monitoring.access import users
from tests.ui.browser import streamlit_server

pytestmark = pytest.mark.browser
LINKS = ["/", "/helhedsplan?plan=svendborg-aktive-boligomraader", "/upload", "/brugere"]


@pytest.fixture
def guarded_url(store) -> str:
    url, engine = store
    users.add_user(engine, "opsætning", "anna", "administrator", password="hemmeligt")
    users.add_user(
        engine, "anna", "lise", "læser", plans=["horsens-bo-trivsel"], password="hemmeligt"
    )
    return url


def test_every_link_shows_only_the_log_in_until_logged_in(browser, guarded_url):
    with streamlit_server(guarded_url) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="da-DK")
        for link in LINKS:
            page.goto(f"{base}{link}")
            expect(page.get_by_role("heading", name="Log ind")).to_be_visible(timeout=30_000)
            expect(page.get_by_role("heading", name="Upload data")).to_have_count(0)
            expect(page.get_by_text("Aktive Boligområder")).to_have_count(0)
            expect(page.get_by_text("Page not found")).to_have_count(0)
        page.goto(base)
        expect(page.get_by_role("heading", name="Log ind")).to_be_visible(timeout=30_000)
        page.get_by_label("Brugernavn").fill("lise")
        page.get_by_label("Adgangskode", exact=True).fill("hemmeligt")
        page.get_by_role("button", name="Log ind").click()
        expect(page.get_by_role("heading", name="Overblik")).to_be_visible(timeout=30_000)
        expect(page.get_by_role("heading", name="Bo Trivsel")).to_be_visible()
        expect(page.get_by_text("Logget ind som")).to_be_visible()
        nav = page.get_by_test_id("stSidebarNav")
        expect(nav).not_to_contain_text("Upload data")
        expect(page.get_by_role("heading", name="Aktive Boligområder i Svendborg")).to_have_count(0)
        other = browser.new_page()
        other.goto(f"{base}/helhedsplan")
        expect(other.get_by_role("heading", name="Log ind")).to_be_visible(timeout=30_000)
        other.close()
        page.close()


def test_a_shared_link_opens_its_page_after_the_log_in(browser, guarded_url):
    with streamlit_server(guarded_url) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="da-DK")
        page.goto(f"{base}/helhedsplan?plan=horsens-bo-trivsel&year=2023")
        expect(page.get_by_role("heading", name="Log ind")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Page not found")).to_have_count(0)
        page.get_by_label("Brugernavn").fill("lise")
        page.get_by_label("Adgangskode", exact=True).fill("hemmeligt")
        page.get_by_role("button", name="Log ind").click()
        expect(page.get_by_role("heading", name="Bo Trivsel", exact=True)).to_be_visible(
            timeout=30_000
        )
        expect(page.get_by_text("Delmål 1", exact=False).first).to_be_visible()
        assert "/helhedsplan" in page.url and "plan=horsens-bo-trivsel" in page.url
        page.close()
