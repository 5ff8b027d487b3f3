"""A log-in survives a page reload (served through serve.py), and a log-out ends it: Debian's
Chromium logs in, reloads, is still logged in, logs out, reloads and sees the log-in form."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from monitoring.access import users
from monitoring.access.sessions import COOKIE
from tests.ui.browser import PROJECT, streamlit_server

pytestmark = pytest.mark.browser


def test_a_reload_keeps_the_log_in_until_log_out(browser, store):
    url, engine = store
    users.add_user(engine, "opsætning", "anna", "administrator", password="hemmeligt")
    users.add_user(
        engine, "anna", "lise", "læser", plans=["horsens-bo-trivsel"], password="hemmeligt"
    )
    with streamlit_server(url, PROJECT / "serve.py") as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
        page = context.new_page()
        page.goto(base)
        log_in = page.get_by_role("heading", name="Log ind")
        expect(log_in).to_be_visible(timeout=30_000)
        page.get_by_label("Brugernavn").fill("lise")
        page.get_by_label("Adgangskode", exact=True).fill("hemmeligt")
        with page.expect_response("**/api/sessie", timeout=30_000) as handed_over:
            page.get_by_role("button", name="Log ind").click()
        assert handed_over.value.status == 204
        (cookie,) = [c for c in context.cookies() if c["name"] == COOKIE]
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"

        page.reload()
        expect(page.get_by_role("heading", name="Overblik")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Logget ind som")).to_be_visible()
        expect(page.get_by_role("heading", name="Bo Trivsel")).to_be_visible()

        page.get_by_role("button", name="Log ud").click()
        expect(log_in).to_be_visible(timeout=30_000)
        page.reload()
        expect(log_in).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Logget ind som")).to_have_count(0)
        context.close()


def test_under_a_base_path_the_log_in_posts_to_the_route_there(browser, store):
    """`--server.baseUrlPath monitor`: the route is served at /monitor/api/sessie and the log-in on
    /monitor posts there (a relative "api/sessie" would go to the root); the cookie, scoped to
    /monitor, then opens /monitor/helhedsplan without a new log-in."""
    url, engine = store
    users.add_user(engine, "opsætning", "anna", "administrator", password="hemmeligt")
    with streamlit_server(url, PROJECT / "serve.py", base_path="monitor") as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
        page = context.new_page()
        page.goto(base)
        expect(page.get_by_role("heading", name="Log ind")).to_be_visible(timeout=30_000)
        page.get_by_label("Brugernavn").fill("anna")
        page.get_by_label("Adgangskode", exact=True).fill("hemmeligt")
        with page.expect_response("**/api/sessie", timeout=30_000) as handed_over:
            page.get_by_role("button", name="Log ind").click()
        assert handed_over.value.status == 204
        assert handed_over.value.url == f"{base}/api/sessie"
        (cookie,) = [c for c in context.cookies() if c["name"] == COOKIE]
        assert cookie["path"] == "/monitor"
        page.goto(f"{base}/helhedsplan")
        expect(page.get_by_text("Logget ind som")).to_be_visible(timeout=30_000)
        expect(page.get_by_role("heading", name="Log ind")).to_have_count(0)
        context.close()
