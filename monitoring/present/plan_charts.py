"""Every indikator chart of one plan in a status year, built once per store change.

Building a Plotly figure costs tens of milliseconds (Plotly validates every property), and the
Helhedsplan page draws one per indikator on every rerun; the page caches this function's result
on the store's change stamp (`app_pages.shared.plan_charts`), so a rerun reuses the figures.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from monitoring.present.charts import indicator_figure
from monitoring.present.views import empty_state_text
from monitoring.progress import plan_progress
from monitoring.show import store_snapshot

if TYPE_CHECKING:
    import plotly.graph_objects as go
    from sqlalchemy import Engine

    from monitoring.access.actor import Actor


def plan_figures(
    engine: Engine, slug: str, year: int | None, *, actor: Actor | str
) -> list[list[go.Figure | None]]:
    """Per delmål, per indikator (in the snapshot's order): its chart, None when it has none."""
    plan = store_snapshot(engine, slug, actor=actor)["plans"][0]
    result = plan_progress(engine, slug, year, actor=actor)
    period = (
        dt.date.fromisoformat(plan["period"]["start"]),
        dt.date.fromisoformat(plan["period"]["end"]),
    )
    subgoals = [s for a in plan["agreements"] for s in a["subgoals"]]
    return [
        [
            None
            if empty_state_text(indicator)
            else indicator_figure(indicator, period, verdict.get("trend"), result["year"])
            for indicator, verdict in zip(subgoal["indicators"], judged["indicators"], strict=True)
        ]
        for subgoal, judged in zip(subgoals, result["subgoals"], strict=True)
    ]
