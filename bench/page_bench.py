"""Page load in a real browser: each page with the demo store, warm, until every chart is drawn.

Each page is loaded RUNS times in Debian's Chromium after one warming load; the median time from
navigation until the page script has finished and every chart is drawn (a Plotly chart its SVG, an
inline SVG chart as it arrives) is printed beside a trivial Streamlit page (a title and a line of
text) measured in the same run, with its ratio to it, its chart count and a verdict per target, so
the figures say what the app adds to Streamlit's own start-up on this machine.

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

from playwright.sync_api import expect, sync_playwright

from monitoring.demo import generate_demo, load_demo
from monitoring.seed import load_seed
from monitoring.show import store_snapshot
from monitoring.store.db import create_schema, get_engine
from tests.ui.browser import CHROMIUM_ARGS, chromium_path, streamlit_server, wait_until_drawn

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
TRIVIAL = 'import streamlit as st\nst.title("Trivial")\nst.write("En linje tekst.")\n'


def drawn(page, address: str, arrived: str) -> tuple[float, int]:
    """(seconds until the page is fully drawn, number of charts) for one load."""
    started = time.perf_counter()
    page.goto(address)
    expect(page.get_by_text(arrived, exact=False).first).to_be_attached(timeout=60_000)
    charts = wait_until_drawn(page)
    return time.perf_counter() - started, charts


def median_load(browser, base: str, address: str, arrived: str) -> tuple[float, int]:
    """The median of RUNS warm loads, each in a fresh tab (a new Streamlit session) of one
    browser profile: warm as for a returning reader, server caches and browser cache alike."""
    times, charts = [], 0
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="da-DK")
    for run in range(RUNS + 1):
        page = context.new_page()
        seconds, charts = drawn(page, base + address, arrived)
        page.close()
        if run:  # the first load warms the caches
            times.append(seconds)
    context.close()
    return statistics.median(times), charts


def verdict_line(name: str, median: float, charts: int, trivial: float) -> str:
    """One page's median beside the trivial page's, with a verdict for each target."""
    relative = 2 * trivial + charts * PER_CHART_S
    absolute_ok = "OK" if median <= TARGET_S else "OVER"
    relative_ok = "OK" if median <= relative else "OVER"
    return (
        f"{name:26s} {median * 1000:6.0f} ms {median / trivial:7.2f}× {charts:6d}  "
        f"{absolute_ok:8s} {relative_ok} ({relative * 1000:.0f} ms)"
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
        with streamlit_server(url, trivial_script) as base:
            trivial, _ = median_load(browser, base, "/", "En linje tekst.")
        print(
            f"{'Trivial Streamlit page':26s} {trivial * 1000:6.0f} ms  (RUNS={RUNS}, warm median)"
        )
        print(
            f"{'page':26s} {'median':>9s} {'×trivial':>8s} {'charts':>6s}  {'≤1.5 s':8s} 2×trivial+charts×0.1 s"
        )
        with streamlit_server(url) as base:
            for name, address, arrived in PAGES:
                median, charts = median_load(browser, base, address, arrived)
                print(verdict_line(name, median, charts, trivial))
        browser.close()


if __name__ == "__main__":
    main()
