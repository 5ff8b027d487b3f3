"""Every indikator chart of one plan in a status year as page markup, built once per store change.

Building a Plotly figure and drawing it as SVG costs ~0.1 s per chart, and the Helhedsplan page
shows one per indikator on every rerun; the page caches this function's result on the store's
change stamp (`app_pages.shared.plan_charts`), so a rerun reuses the markup.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from monitoring.present.charts import indicator_figure
from monitoring.present.svg_chart import chart_svg
from monitoring.present.views import empty_state_text
from monitoring.progress import plan_progress
from monitoring.show import store_snapshot

if TYPE_CHECKING:
    from sqlalchemy import Engine


def plan_figures(engine: Engine, slug: str, year: int | None) -> list[list[str | None]]:
    """Per delmål, per indikator (in the snapshot's order): its chart's SVG markup (`chart_svg`),
    None when it has none."""
    plan = store_snapshot(engine, slug)["plans"][0]
    result = plan_progress(engine, slug, year)
    period = (
        dt.date.fromisoformat(plan["period"]["start"]),
        dt.date.fromisoformat(plan["period"]["end"]),
    )
    subgoals = [s for a in plan["agreements"] for s in a["subgoals"]]
    return [
        [
            None
            if empty_state_text(indicator)
            else chart_svg(
                indicator_figure(indicator, period, verdict.get("trend"), result["year"])
            )
            for indicator, verdict in zip(subgoal["indicators"], judged["indicators"], strict=True)
        ]
        for subgoal, judged in zip(subgoals, result["subgoals"], strict=True)
    ]
