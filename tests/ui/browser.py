"""A real Streamlit server and Debian's Chromium (via Playwright) for end-to-end tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
OUTPUT = PROJECT / "test-output" / "browser"
SVG_CHARTS = ".monitor-chart > svg"  # the class `monitoring.present.svg_chart` gives its charts
CHARTS = f".js-plotly-plot, {SVG_CHARTS}"  # every chart on a page, however it is drawn
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    """Debian's Chromium; skipped locally without it, a failure in CI (REQUIRE_BROWSER=1)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but chromium is not installed")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(
    database_url: str, script: Path = PROJECT / "app.py", base_path: str = ""
) -> Iterator[str]:
    """`streamlit run app.py` (or another script) on a free localhost port, under
    `--server.baseUrlPath base_path` when given, ready when /_stcore/health answers."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            *(["--server.baseUrlPath", base_path] if base_path else []),
        ],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}" + (f"/{base_path}" if base_path else "")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("streamlit did not become healthy within 60 s")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_until_drawn(page) -> int:
    """Wait until Streamlit has finished the page script, every lazily loaded element (tables,
    uploaders) has replaced its placeholder and every chart has drawn; the chart count.

    A chart is a Plotly chart (drawn when its SVG is there) or the page's own inline SVG chart
    (`monitoring.present.svg_chart`, drawn as soon as it is in the page)."""
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=60_000
    )
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=60_000)
    charts = page.get_by_test_id("stPlotlyChart")
    for index in range(charts.count()):
        expect(charts.nth(index).locator(".main-svg").first).to_be_attached(timeout=60_000)
    return charts.count() + page.locator(SVG_CHARTS).count()
