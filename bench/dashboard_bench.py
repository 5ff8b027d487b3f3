"""Dashboard render time on the demo store: cold (empty caches) versus warm (cached reads).

Target (issue 5): a page with the demo set renders in under 1 s warm.
Usage: python -m bench.dashboard_bench
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from monitoring.demo import generate_demo, load_demo
from monitoring.seed import load_seed
from monitoring.show import store_snapshot
from monitoring.store.db import create_schema, get_engine

ROOT = Path(__file__).resolve().parents[1]

PAGES = {"Overblik": "app_pages/overblik.py", "Helhedsplan": "app_pages/helhedsplan.py"}


def _render(page: str, query: dict[str, str]) -> float:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page)
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    assert not at.exception, at.exception
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/demo.db"
        engine = get_engine(url)
        create_schema(engine)
        load_seed(engine)
        load_demo(engine, generate_demo(store_snapshot(engine, actor="test")))
        os.environ["DATABASE_URL"] = url
        for title, page in PAGES.items():
            query = {"plan": "guldborgsund-mit-liv"} if "helhedsplan" in page else {}
            cold = _render(page, query)
            warm = [_render(page, query) for _ in range(5)]
            median = statistics.median(warm)
            verdict = "OK" if median < 1.0 else "OVER TARGET"
            print(
                f"{title:12s} cold {cold * 1000:7.0f} ms   warm median {median * 1000:6.0f} ms "
                f"(cold/warm ratio {cold / median:4.1f}x)   target < 1000 ms warm: {verdict}"
            )


if __name__ == "__main__":
    main()
