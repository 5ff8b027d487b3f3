"""Page load in a real browser: each page with the demo store, warm, until every chart is drawn.

Each page is loaded RUNS times in Debian's Chromium after one warming load, each load paired with
a load of a trivial Streamlit page (a title and a line of text, served beside the app) right
before or after it, in turns. The time counted runs from navigation until the page script has
finished and every chart is drawn (a Plotly chart its SVG, an inline SVG chart as it arrives).
Printed per page: the medians of both, the median of the pairs' ratios, the chart count and a
verdict per target. Pairs make the ratio stand against a shared machine's swings in load: a swing
moves both loads of a pair (before, the trivial page was measured once, minutes before the
last page, and the load in between decided a page's ratio by up to 0,4×).

Targets (issue 12): every page fully drawn within 1.5 s warm, and within 2 × the trivial page's
time + the page's chart count × 100 ms.
Usage: python -m bench.page_bench  (needs chromium and the playwright package; PAGE_RUNS=n
loads each page n times instead of 5)
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from monitoring.demo import generate_demo, load_demo
from monitoring.seed import load_seed
from monitoring.show import store_snapshot
from monitoring.store.db import create_schema, get_engine
from tests.ui.browser import CHARTS, CHROMIUM_ARGS, chromium_path, streamlit_server

RUNS = int(os.environ.get("PAGE_RUNS", "5"))
TARGET_S = 1.5
PER_CHART_S = 0.1
# name, address, a text that shows the page body has arrived
PAGES = [
    ("Overblik", "/", "Se helhedsplanen"),
    ("Helhedsplan Guldborgsund", "/helhedsplan?plan=guldborgsund-mit-liv", "Delmål 1"),
    ("Helhedsplan Bo Trivsel", "/helhedsplan?plan=horsens-bo-trivsel", "Delmål 1"),
    ("Sammenlign: rangering", "/sammenlign", "Rangering"),
    ("Sammenlign: små grafer", "/sammenlign?view=Sm%C3%A5+grafer", "samme skala"),
    ("Sammenlign: negativ udv.", "/sammenlign?view=Negativ+udvikling", "negativ udvikling"),
    ("Sammenlign: planer", "/sammenlign?view=Planer+side+om+side", "Alle indikatorer"),
    ("Delaftaler", "/delaftaler", "Delaftaler"),
    ("Upload data", "/upload", "Importhistorik"),
]
TRIVIAL_TEXT = "En linje tekst."
TRIVIAL = f'import streamlit as st\nst.title("Trivial")\nst.write("{TRIVIAL_TEXT}")\n'


# Fully drawn: the page's text has arrived, the script has finished, no element is waiting for
# its code (Streamlit's skeletons) and every Plotly chart has its SVG (inline SVG charts arrive
# drawn). Checked on every animation frame in the page: Playwright's `expect` polls at 100, 250,
# 500 and 1,000 ms intervals, which added up to half a second of waiting to some loads.
DRAWN = """(arrived) => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app !== null
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.body.textContent.toLowerCase().includes(arrived.toLowerCase())
    && document.querySelector('[data-testid="stSkeleton"]') === null
    && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
         .every(chart => chart.querySelector('.main-svg') !== null);
}"""


def drawn(page, address: str, arrived: str) -> tuple[float, int]:
    """(seconds until the page is fully drawn, number of charts) for one load."""
    started = time.perf_counter()
    page.goto(address)
    page.wait_for_function(DRAWN, arg=arrived, polling="raf", timeout=60_000)
    seconds = time.perf_counter() - started
    return seconds, page.locator(CHARTS).count()


def paired_loads(
    browser, base: str, trivial_base: str, address: str, arrived: str
) -> tuple[list[tuple[float, float]], int]:
    """RUNS pairs (page seconds, trivial page seconds) after one warming load of each, every load
    in a fresh tab (a new Streamlit session) of one browser profile per server: warm as for a
    returning reader. The two loads of a pair run back to back, in turns first, so a swing in the
    machine's load moves both sides of a pair."""
    page_context, trivial_context = (
        browser.new_context(viewport={"width": 1400, "height": 1000}, locale="da-DK")
        for _ in range(2)
    )

    def load(context, url: str, text: str) -> tuple[float, int]:
        tab = context.new_page()
        try:
            return drawn(tab, url, text)
        finally:
            tab.close()

    def page_load() -> tuple[float, int]:
        return load(page_context, base + address, arrived)

    def trivial_load() -> float:
        return load(trivial_context, trivial_base + "/", TRIVIAL_TEXT)[0]

    _, charts = page_load()
    trivial_load()
    pairs = []
    for run in range(RUNS):
        if run % 2:
            trivial_seconds = trivial_load()
            page_seconds, charts = page_load()
        else:
            page_seconds, charts = page_load()
            trivial_seconds = trivial_load()
        pairs.append((page_seconds, trivial_seconds))
    page_context.close()
    trivial_context.close()
    return pairs, charts


def verdict_line(name: str, pairs: list[tuple[float, float]], charts: int) -> str:
    """One page's medians beside the trivial page's, with a verdict for each target: the
    relative one on the median of the pairs' margins (page − (2 × trivial + charts × 0.1 s))."""
    page = statistics.median(p for p, _ in pairs)
    trivial = statistics.median(t for _, t in pairs)
    ratio = statistics.median(p / t for p, t in pairs)
    margin = statistics.median(p - (2 * t + charts * PER_CHART_S) for p, t in pairs)
    absolute_ok = "OK" if page <= TARGET_S else "OVER"
    relative_ok = "OK" if margin <= 0 else "OVER"
    return (
        f"{name:26s} {page * 1000:6.0f} ms {trivial * 1000:6.0f} ms {ratio:7.2f}× {charts:6d}  "
        f"{absolute_ok:8s} {relative_ok} ({margin * 1000:+.0f} ms)"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        url = f"sqlite:///{folder}/demo.db"
        engine = get_engine(url)
        create_schema(engine)
        load_seed(engine)
        load_demo(engine, generate_demo(store_snapshot(engine, actor="test")))
        trivial_script = Path(folder) / "trivial.py"
        trivial_script.write_text(TRIVIAL, encoding="utf-8")
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        print(f"RUNS={RUNS} pairs per page, warm; medians; the ratio is the median of the pairs'")
        print(
            f"{'page':26s} {'page':>9s} {'trivial':>9s} {'×trivial':>8s} {'charts':>6s}  "
            f"{'≤1.5 s':8s} ≤2×trivial+charts×0.1 s (median margin)"
        )
        with streamlit_server(url, trivial_script) as trivial_base, streamlit_server(url) as base:
            for name, address, arrived in PAGES:
                pairs, charts = paired_loads(browser, base, trivial_base, address, arrived)
                print(verdict_line(name, pairs, charts), flush=True)
        browser.close()


if __name__ == "__main__":
    main()
