"""Hostile names in Debian's Chromium: nothing is fetched from a name, no name becomes a link.

The store's names are Markdown images and links, HTML tags and autolinks pointing at
127.0.0.1:9 (the discard port) and evil.example. Every request the pages make is recorded;
none may go to a planted address, and no <a> element (HTML or Plotly's SVG) may carry a name's
link or text. Each check waits for the page's own content with Playwright's `expect`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from monitoring.names import match_key
from monitoring.present.plaintext import markdown_text
from monitoring.store.db import create_schema, get_engine
from tests.hostile import (
    HOSTILE_NAMES,
    PLANTED,
    build_hostile_store,
    hostile_lbf_csv,
    hostile_name,
)
from tests.ui.browser import CHARTS, OUTPUT, streamlit_server
from tests.ui.text import shown

pytestmark = pytest.mark.browser

TIMEOUT = 30_000
# Link texts of the planted <a href=...>klik</a> and [link](...).
PLANTED_LINK_TEXTS = {"klik", "link"}
ANCHORS = """() => [...document.querySelectorAll('a')].map(a => [
    a.getAttribute('href') || a.getAttribute('xlink:href') || '', a.textContent.trim()])"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("hostile-browser")
    url = f"sqlite:///{folder / 'monitor.db'}"
    engine = get_engine(url)
    create_schema(engine)
    build_hostile_store(engine, folder / "seed")
    with streamlit_server(url) as base:
        yield base


@pytest.fixture
def page(browser):
    """A page that records every request it makes (checked when the test ends)."""
    opened = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="da-DK")
    opened.requests = []
    opened.on("request", lambda request: opened.requests.append(request.url))
    yield opened
    opened.close()


def on_screen(name: str) -> str:
    """How a name reads where Streamlit renders Markdown: its characters, autolinks broken."""
    return shown(markdown_text(name))


def planted_requests(urls: list[str]) -> list[str]:
    """Requests to a planted address, or for the `<img src=x>` and pixel.png of a name."""
    return [
        url
        for url in urls
        if any(marker in url for marker in PLANTED)
        or urlparse(url).path.rsplit("/", 1)[-1] in ("x", "pixel.png")
    ]


def check(page, screenshot: str) -> None:
    """After the page's content is visible: no exception, no planted request, no planted link."""
    page.wait_for_load_state("networkidle")
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / screenshot), full_page=True)
    for marker in PLANTED:
        expect(page.locator(f'a[href*="{marker}"], img[src*="{marker}"]')).to_have_count(0)
    expect(page.locator('img[src="x"]')).to_have_count(0)
    anchors = page.evaluate(ANCHORS)
    assert [a for a in anchors if any(m in a[0] for m in PLANTED)] == [], anchors
    assert [a for a in anchors if a[1] in PLANTED_LINK_TEXTS] == [], anchors
    assert planted_requests(page.requests) == []


def test_helhedsplan_pages_show_names_as_text(page, hostile_server):
    for number in range(5, len(HOSTILE_NAMES)):
        page.goto(f"{hostile_server}/helhedsplan?plan=hostile-{number}")
        expect(page.locator("h1").first).to_have_text(
            on_screen(HOSTILE_NAMES[number]), timeout=TIMEOUT
        )
        page.get_by_text("Parter, aktiviteter og medarbejderressourcer").click()
        expect(
            page.get_by_text(f"Indsatsområde: {on_screen(hostile_name(number + 4))}")
        ).to_be_visible()
        # The chart's legend and tooltips carry the area and comparator names as text.
        expect(page.locator(CHARTS).first).to_contain_text(
            hostile_name(number + 2), timeout=TIMEOUT
        )
        check(page, f"hostile-plan-{number}.png")


def test_overblik_and_delaftaler_show_names_as_text(page, hostile_server):
    page.goto(f"{hostile_server}/")
    for name in HOSTILE_NAMES:
        expect(page.locator("h3", has_text=on_screen(name)).first).to_be_visible(timeout=TIMEOUT)
    check(page, "hostile-overblik.png")
    page.goto(f"{hostile_server}/delaftaler")
    for name in HOSTILE_NAMES:
        summary = page.locator('[data-testid="stExpander"] summary', has_text=on_screen(name)).first
        expect(summary).to_be_visible(timeout=TIMEOUT)
    check(page, "hostile-delaftaler.png")


@pytest.mark.parametrize(
    ("view", "charts"),
    [("Rangering", 1), ("Små grafer", 1), ("Varmetabel", 0), ("Planer side om side", 1)],
)
def test_sammenlign_views_show_names_as_text(page, hostile_server, view, charts):
    page.goto(f"{hostile_server}/sammenlign?view={view.replace(' ', '+')}")
    # The measure's name heads every view but the plans side by side.
    heading = "Alle indikatorer" if view == "Planer side om side" else on_screen(HOSTILE_NAMES[0])
    expect(page.get_by_text(heading, exact=True).first).to_be_visible(timeout=TIMEOUT)
    plots = page.locator(CHARTS)
    expect(plots).to_have_count(charts, timeout=TIMEOUT)
    if charts:
        # Names with tags are drawn as their characters (area labels, legends, panel titles).
        expect(plots.first).to_contain_text(re.compile(r"<(a href|img src)"), timeout=TIMEOUT)
    check(page, f"hostile-sammenlign-{match_key(view).replace(' ', '-')}.png")


def test_upload_preview_shows_new_area_names_as_text(page, hostile_server):
    page.goto(f"{hostile_server}/upload")
    expect(page.get_by_text("Importhistorik", exact=True)).to_be_visible(timeout=TIMEOUT)
    page.locator('input[type="file"]').set_input_files(
        {"name": "nye.csv", "mimeType": "text/csv", "buffer": hostile_lbf_csv(" syd")}
    )
    # Every text contains a known (hostile) area's name: the page asks which area each one is.
    expect(page.get_by_text("3. Områder")).to_be_visible(timeout=TIMEOUT)
    for name in HOSTILE_NAMES:
        expect(page.get_by_text(f"'{on_screen(name + ' syd')}' er", exact=True)).to_be_visible(
            timeout=TIMEOUT
        )
    check(page, "hostile-upload-preview.png")


def test_planted_addresses_are_recognised():
    """The request filter itself: it finds what a rendered name would fetch."""
    assert planted_requests(
        [
            "http://127.0.0.1:9/pixel.png",
            "http://127.0.0.1:8501/helhedsplan/x",
            "http://www.evil.example/",
            "http://127.0.0.1:8501/_stcore/health",
            "http://127.0.0.1:9123/static/js/main.js",
        ]
    ) == [
        "http://127.0.0.1:9/pixel.png",
        "http://127.0.0.1:8501/helhedsplan/x",
        "http://www.evil.example/",
    ]
