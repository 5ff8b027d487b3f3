"""The reading pages in Debian's Chromium at a desk (1400 px) and on a phone (390 px).

On every page: the columns a reader needs are on the screen, nothing runs off its right edge,
no English UI text shows, every chart is drawn, its year labels do not overlap, and no request
leaves the machine. A screenshot of each page and width goes to test-output/browser/.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from monitoring import ingest
from monitoring.seed import load_seed
from tests.conftest import session_store
from tests.ui.browser import OUTPUT, PROJECT, streamlit_server, wait_until_drawn

pytestmark = pytest.mark.browser

WIDTHS = {"desk": (1400, 1000), "phone": (390, 844), "wide": (1920, 1080)}
NONE: dict[str, tuple[str, ...]] = {"desk": (), "phone": ()}
# name, address, text that shows the page body has arrived, table headers that must be on screen
# as the page opens (per width; the newest year of a yearly table is checked on every page)
PAGES = [
    ("overblik", "/", "Se helhedsplanen", NONE),
    ("helhedsplan-svendborg", "/helhedsplan?plan=svendborg-aktive-boligomraader", "Delmål 1", NONE),
    ("helhedsplan-guldborgsund", "/helhedsplan?plan=guldborgsund-mit-liv", "Delmål 1", NONE),
    ("helhedsplan-holstebro-slut", "/helhedsplan?plan=holstebro-trekanten", "Delmål 1", NONE),
    ("sammenlign", "/sammenlign", "Rangering", NONE),
    (
        "sammenlign-negativ-udvikling",
        "/sammenlign?view=Negativ+udvikling&alle=true&pp1=2.5",
        "med negativ udvikling",
        NONE,
    ),
    (
        "sammenlign-planer",
        "/sammenlign?view=Planer+side+om+side",
        "Alle indikatorer",
        {
            "desk": ("Indikator", "Status", "Seneste værdi", "Mål"),
            "phone": ("Status", "Seneste værdi"),
        },
    ),
    (
        "delaftaler",
        "/delaftaler",
        "Delaftaler",
        {"desk": ("Indikator", "Mål", "Baseline", "Datakilde"), "phone": ("Indikator", "Mål")},
    ),
    ("upload", "/upload", "Importhistorik", NONE),
]
# What Streamlit, Plotly and the data grid say in English unless told otherwise.
ENGLISH = re.compile(
    r"Download plot|Search|Show/hide|Drag and drop|Browse files|per file|Row: None|Række: None"
    r"|Produced with Plotly|Zoom|Autoscale|Reset axes|Page not found|Running\.\.\."
    r"|\bUpload\b(?! data| fil)"
)

# What Streamlit says to screen readers in English unless app_pages/screen_reader.py translates it.
SCREEN_READER_ENGLISH = re.compile(
    r"\b(Sidebar|sidebar|Collapse|Expand|App pages|Link to heading|Choose|Open|Clear|Remove"
    r"|Add files|Show|Hide|Help for|Download|Search|Fullscreen|progress|icon|file upload)\b"
)
SCREEN_READER_WORDS = """() => [...document.querySelectorAll('[aria-label], [placeholder], [title]')]
  .flatMap(e => ['aria-label', 'placeholder', 'title'].map(name => e.getAttribute(name)))
  .filter(Boolean)"""

# Data grids (the upload page's editors) that must be scrolled sideways to see every column.
SCROLLING_GRIDS = """() => [...document.querySelectorAll('[data-testid="stMain"] .dvn-scroller')]
  .filter(grid => grid.scrollWidth > grid.clientWidth + 1).length"""
# Streamlit's English table and chart toolbars ("Search", "Download as CSV") that are displayed.
TOOLBARS = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stElementToolbar"]')]
  .filter(toolbar => getComputedStyle(toolbar).display !== 'none').length"""
# What the file uploader shows in place of Streamlit's English button and limit line.
UPLOADER_TEXTS = """() => [
  '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]',
  '[data-testid="stFileUploaderDropzoneInstructions"] > div',
].map(s => getComputedStyle(document.querySelector(s), '::after').content)"""
# A number written with a decimal point ("2.0", "135.2"): Danes write "2,0". Dates (02.12.2026)
# and thousands (364.534) are not matched.
POINT_DECIMAL = re.compile(r"(?<![\d.])\d+\.\d{1,2}(?![\d.])")

# Elements wider than the window that no scrolling box of their own holds (first five).
OVERFLOWING = """() => {
  const width = window.innerWidth, found = [];
  for (const element of document.querySelectorAll('[data-testid="stMain"] *')) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    let held = false;
    for (let a = element.parentElement; a; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= width + 1) {
        held = true;
        break;
      }
    }
    if (!held) found.push(`${element.tagName} ${(element.textContent || '').slice(0, 40)}`);
  }
  return found.slice(0, 5);
}"""

# Year labels on each chart's x axis that overlap their neighbour.
OVERLAPPING_TICKS = """() => {
  const overlaps = [];
  for (const chart of document.querySelectorAll('.js-plotly-plot, .monitor-chart > svg')) {
    const boxes = [...chart.querySelectorAll('.xtick text, [id^="xtick"] text')]
      .map(t => t.getBoundingClientRect()).filter(b => b.width > 0).sort((a, b) => a.left - b.left);
    for (let i = 1; i < boxes.length; i++) {
      if (boxes[i].left < boxes[i - 1].right - 1 && boxes[i].top < boxes[i - 1].bottom - 1) {
        overlaps.push(chart.closest('[data-testid]')?.getAttribute('data-testid'));
        break;
      }
    }
  }
  return overlaps;
}"""

# A table header is on the screen as the page opens: inside its table's scrolling box before any
# sideways scrolling, and that box inside the window.
SHOWN = """(th, width) => {
  let box = th.closest('table').parentElement;
  while (box.parentElement && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
  const outer = box.getBoundingClientRect(), cell = th.getBoundingClientRect();
  const right = cell.right - outer.left + box.scrollLeft;
  return right <= box.clientWidth + 1 && outer.right <= width + 1;
}"""
# The year headers of every yearly table (four digits), and whether each is on the screen.
YEAR_HEADERS = f"""() => [...document.querySelectorAll('.monitor-table th')]
  .filter(th => /^\\d{{4}}$/.test(th.textContent.trim()))
  .map(th => [th.textContent.trim(), ({SHOWN})(th, window.innerWidth)])"""


@pytest.fixture(scope="module")
def real_url(tmp_path_factory) -> str:
    """The delaftaler and two real-looking LBF files, no demo: what a new installation has after
    its first imports."""

    def imports(engine) -> None:
        for name in ("lbf_omraadeliste_2023.xlsx", "lbf_tidsserie_oesterbro.xlsx"):
            data = (PROJECT / "data" / "samples" / name).read_bytes()
            ingest.commit(engine, ingest.read_upload(engine, data, name), user="test")

    return session_store(tmp_path_factory, "real", load_seed, imports)


@pytest.fixture(scope="module")
def demo_server(demo_url):
    with streamlit_server(demo_url) as base:
        yield base


def settled(page) -> None:
    """Streamlit has finished the script, every chart is drawn, and nothing failed."""
    wait_until_drawn(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def screenshot(page, name: str) -> None:
    """The whole page, not just the window: Streamlit scrolls inside its own box."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"] *')]"
        ".map(e => e.scrollHeight))"
    )
    window = page.viewport_size
    page.set_viewport_size({"width": width, "height": min(max(height, window["height"]), 8000)})
    settled(page)
    page.screenshot(path=str(OUTPUT / f"{name}.png"))
    page.set_viewport_size(window)


def assert_readable(page, width: int, columns: tuple[str, ...] = ()) -> None:
    """The named table headers on screen, nothing wider than the window, no English words and
    no decimal points."""
    for column in columns:
        header = page.locator(".monitor-table th", has_text=column).first
        assert header.evaluate(SHOWN, width), f"{column} is off the screen"
    assert page.evaluate(OVERFLOWING) == []
    text = page.get_by_test_id("stMain").inner_text()
    english = ENGLISH.findall(text)
    assert not english, english
    assert not POINT_DECIMAL.findall(text), POINT_DECIMAL.findall(text)
    assert page.evaluate(TOOLBARS) == 0
    said = [w for w in page.evaluate(SCREEN_READER_WORDS) if SCREEN_READER_ENGLISH.search(w)]
    assert not said, f"English for screen readers: {said}"


@pytest.mark.parametrize("size", list(WIDTHS))
@pytest.mark.parametrize(
    ("name", "address", "arrived", "columns"), PAGES, ids=[p[0] for p in PAGES]
)
def test_reading_page(browser, demo_server, size, name, address, arrived, columns):
    width, height = WIDTHS[size]
    page = browser.new_page(viewport={"width": width, "height": height}, locale="da-DK")
    requested: set[str] = set()
    page.on("request", lambda request: requested.add(urlsplit(request.url).netloc))
    page.goto(demo_server + address)
    expect(page.get_by_text(arrived, exact=False).first).to_be_attached(timeout=30_000)
    settled(page)
    if name == "delaftaler":
        page.get_by_test_id("stExpander").first.locator("summary").click()
        expect(page.locator(".monitor-table").first).to_be_visible()

    assert_readable(page, width, columns.get(size, columns["desk"]))
    for year, shown in page.evaluate(YEAR_HEADERS)[:1]:  # the newest year of the first table
        assert shown, f"{year} is off the screen"
    assert page.evaluate(OVERLAPPING_TICKS) == []
    if name.startswith("helhedsplan"):
        # Plan and year in the page itself: reachable on a phone without opening the sidebar.
        main = page.get_by_test_id("stMain")
        expect(main.get_by_text("Helhedsplan", exact=True).first).to_be_visible()
        expect(main.get_by_text("Statusår", exact=True).first).to_be_visible()
    if name.startswith("sammenlign") and name != "sammenlign-planer":
        # The filters a reader needs in the page itself, not behind the sidebar toggle.
        main = page.get_by_test_id("stMain")
        for label in ("Mål", "Kommune", "Helhedsplan"):
            expect(
                main.get_by_test_id("stWidgetLabel").filter(has_text=label).first
            ).to_be_visible()
    if name == "sammenlign-negativ-udvikling":
        # The thresholds in Danish, the one from the link included.
        for label, value in (
            ("Tærskel 1 år", "2,5 procentpoint"),
            ("Tærskel 3 år", "4,0 procentpoint"),
        ):
            box = page.get_by_test_id("stSelectbox").filter(has_text=label).first
            expect(box.locator("input")).to_have_value(value)
    screenshot(page, f"{name}-{width}")
    own = urlsplit(demo_server).netloc
    assert requested <= {own}, f"requests left the machine: {sorted(requested - {own})}"
    page.close()


def opened_at_desk(browser, address: str, arrived: str):
    """A new tab at 1400 px on `address`, once `arrived` is there and the page has settled."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="da-DK")
    page.goto(address)
    expect(page.get_by_text(arrived).first).to_be_attached(timeout=30_000)
    settled(page)
    return page


def test_clicking_the_chosen_view_keeps_it(browser, demo_server):
    page = opened_at_desk(
        browser, demo_server + "/sammenlign?view=Negativ+udvikling", "Størst udslag først"
    )
    page.get_by_test_id("stButtonGroup").get_by_text("Negativ udvikling").click()
    settled(page)
    expect(page.get_by_text("Størst udslag først").first).to_be_visible()
    # The URL follows the widget once the rerun has restored it: wait for it, do not race it.
    expect(page).to_have_url(re.compile(r"view=Negativ\+udvikling"))
    page.close()


def test_the_rarer_filters_arrive_when_opened_and_stay_while_set(browser, demo_server):
    """*Flere filtre* is built only when opened (a rerun); a filter set there stays in force,
    and in the URL, after the expander is closed again."""
    page = opened_at_desk(browser, demo_server + "/sammenlign", "Rangering")
    search = page.get_by_label("Søg område")
    expect(search).to_have_count(0)
    page.get_by_test_id("stExpander").filter(has_text="Flere filtre").locator("summary").click()
    expect(search).to_be_visible()
    search.fill("Østerbro")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"q=%C3%98sterbro"))
    settled(page)
    page.get_by_test_id("stExpander").filter(has_text="Flere filtre").locator("summary").click()
    settled(page)
    expect(page).to_have_url(re.compile(r"q=%C3%98sterbro"))
    expect(search).to_have_value("Østerbro")
    page.close()


def test_the_comment_field_arrives_when_its_expander_is_opened(browser, demo_server):
    page = opened_at_desk(
        browser, demo_server + "/helhedsplan?plan=guldborgsund-mit-liv", "Delmål 1"
    )
    field = page.get_by_role("textbox", name="Hvorfor har det bevæget sig?")
    expect(field).to_have_count(0)
    editor = page.get_by_test_id("stExpander").filter(has_text="kommentar til delmål 1")
    editor.locator("summary").click()
    expect(field).to_be_visible()
    expect(page.get_by_role("button", name="Gem kommentar")).to_be_visible()
    page.close()


@pytest.mark.parametrize("size", list(WIDTHS))
def test_upload_page_reads_a_file_in_danish(browser, store, size):
    """The uploader in Danish, then a read file: the reading per sheet and the areas as tables
    with every column on screen, the mapping and preview grids without sideways scrolling at a
    desk; the typed-figures tab fits too."""
    width, height = WIDTHS[size]
    sample = PROJECT / "data" / "samples" / "lbf_tidsserie_oesterbro.xlsx"
    with streamlit_server(store[0]) as base:
        page = browser.new_page(viewport={"width": width, "height": height}, locale="da-DK")
        page.goto(base + "/upload")
        expect(page.get_by_text("Importhistorik").first).to_be_attached(timeout=30_000)
        settled(page)
        button, limit = page.evaluate(UPLOADER_TEXTS)
        assert (button, limit) == ('"Vælg fil"', '"Højst 20 MB pr. fil · XLSX, XLSM, CSV, TXT"')
        assert_readable(page, width)
        page.locator('input[type="file"]').set_input_files(str(sample))
        expect(page.get_by_text("4. Det vil ændre sig")).to_be_visible(timeout=30_000)
        settled(page)
        assert_readable(page, width, ("Ark", "Sådan er arket læst", "Område i databasen"))
        if size == "desk":
            assert page.evaluate(SCROLLING_GRIDS) == 0
        screenshot(page, f"upload-fil-{width}")
        page.get_by_role("tab", name="Indtast tal").click()
        expect(page.get_by_role("button", name="Gem indtastede tal")).to_be_visible()
        settled(page)
        assert_readable(page, width)
        if size == "desk":  # every year of the plan and its area without scrolling sideways
            assert page.evaluate(SCROLLING_GRIDS) == 0
        screenshot(page, f"upload-indtast-{width}")
        page.close()


# Every page as a new installation shows it: only the delaftaler (no figures after baseline), and
# after the first real imports (no demo).
STATE_PAGES = [
    ("overblik", "/"),
    ("helhedsplan", "/helhedsplan?plan=svendborg-aktive-boligomraader"),
    ("sammenlign", "/sammenlign"),
    ("sammenlign-planer", "/sammenlign?view=Planer+side+om+side"),
    ("upload", "/upload"),
    ("delaftaler", "/delaftaler"),
]


@pytest.mark.parametrize("size", ["phone", "desk"])
@pytest.mark.parametrize("state", ["seeded_url", "real_url"])
def test_pages_without_demo_data(browser, request, state, size):
    width, height = WIDTHS[size]
    with streamlit_server(request.getfixturevalue(state)) as base:
        page = browser.new_page(viewport={"width": width, "height": height}, locale="da-DK")
        for name, address in STATE_PAGES:
            page.goto(base + address)
            expect(page.get_by_test_id("stMain").locator("h1").first).to_be_visible(timeout=30_000)
            settled(page)
            assert_readable(page, width)
            assert page.get_by_text("Demodata").count() == 0
            screenshot(page, f"{state.removesuffix('_url')}-{name}-{width}")
        page.close()
