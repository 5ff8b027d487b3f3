"""Benchmark: the bestyrelse's yearly status for one plan, as PDF and as Excel.

    python -m bench.report_bench [--plan guldborgsund-mit-liv] [--repeat 5]

Builds a throw-away SQLite store with the delaftaler and the synthetic demo set, then times in
one process: reading what the report shows (`load_content`), the PDF (charts included) and the
workbook. Each is measured cold (the first call, with imports and font registration) and warm
(median of --repeat). The trivial baselines run in the same process for a ratio: a one-paragraph
reportlab PDF, and the plain one-sheet Excel download the pages offer (`export.to_excel_bytes`)
of the same status rows. Target from the issue: report generation under 3 s.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from monitoring.demo import generate_demo, load_demo
from monitoring.seed import load_seed
from monitoring.show import store_snapshot
from monitoring.store.db import create_schema, get_engine

TARGET_SECONDS = 3.0


def timed(work: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(first call, median of `repeat` further calls) in seconds."""
    start = time.perf_counter()
    work()
    cold = time.perf_counter() - start
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        runs.append(time.perf_counter() - start)
    return cold, statistics.median(runs)


def trivial_pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(
        [Paragraph("Årsstatus", getSampleStyleSheet()["Normal"])]
    )
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", default="guldborgsund-mit-liv")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        engine = get_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        create_schema(engine)
        load_seed(engine)
        load_demo(engine, generate_demo(store_snapshot(engine, actor="test")))

        from monitoring.present.export import to_excel_bytes
        from monitoring.report.content import load_content
        from monitoring.report.output import report_bytes

        content = load_content(engine, args.plan, actor="test")
        rows = pd.DataFrame(
            [
                {"Indikator": p.indicator["name"], "Status": p.verdict["status"]}
                | {"Seneste": (p.verdict.get("latest") or {}).get("value")}
                for s in content.subgoals
                for p in s.indicators
            ]
        )
        charts = sum(len(s.indicators) for s in content.subgoals)
        pages = report_bytes(content, "pdf").count(b"/Type /Page\n")
        print(f"Plan {args.plan}: {len(content.subgoals)} delmål, {charts} indikatorer")
        results = {
            "load_content": timed(
                lambda: load_content(engine, args.plan, actor="test"), args.repeat
            ),
            "pdf": timed(lambda: report_bytes(content, "pdf"), args.repeat),
            "xlsx": timed(lambda: report_bytes(content, "xlsx"), args.repeat),
            "trivial pdf": timed(trivial_pdf, args.repeat),
            "trivial xlsx": timed(lambda: to_excel_bytes({"Status": rows}), args.repeat),
        }
    for name, (cold, warm) in results.items():
        print(f"  {name:<13} cold {cold * 1000:8.1f} ms   warm {warm * 1000:8.1f} ms")
    load = results["load_content"][1]
    for kind in ("pdf", "xlsx"):
        total = load + results[kind][1]
        ratio = results[kind][1] / results[f"trivial {kind}"][1]
        verdict = "OK" if total < TARGET_SECONDS else "OVER TARGET"
        print(
            f"{kind}: {total:.2f} s with reading the store (target < {TARGET_SECONDS:.0f} s, "
            f"{verdict}); {ratio:.0f}x the trivial {kind}"
            + (f"; {pages} pages" if kind == "pdf" else "")
        )


if __name__ == "__main__":
    main()
