"""What the Helhedsplan page draws per delmål in a status year, built once per store change.

Building a Plotly figure and drawing it as SVG costs ~0.1 s per chart, and pivoting and formatting
the yearly tables about as much per page; the page shows them on every rerun, so it caches these
functions' results on the store's change stamp (`app_pages.shared.plan_charts`, `plan_tables`)
and a rerun reuses them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from monitoring.present.charts import indicator_figure
from monitoring.present.html_table import html_table
from monitoring.present.plaintext import markdown_text
from monitoring.present.svg_chart import chart_svg
from monitoring.present.views import (
    empty_state_text,
    indicator_card_facts,
    yearly_reading_table,
    yearly_values,
)
from monitoring.progress import plan_progress
from monitoring.show import store_snapshot

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy import Engine

    from monitoring.access.actor import Actor


def _plan_cards(
    engine: Engine, slug: str, year: int | None, actor: Actor | str
) -> tuple[dict, dict, list[list[tuple[dict, dict]]]]:
    """(plan, its progress in `year`, per delmål its (indikator, verdict) pairs in order)."""
    plan = store_snapshot(engine, slug, actor=actor)["plans"][0]
    result = plan_progress(engine, slug, year, actor=actor)
    subgoals = [s for a in plan["agreements"] for s in a["subgoals"]]
    cards = [
        list(zip(subgoal["indicators"], judged["indicators"], strict=True))
        for subgoal, judged in zip(subgoals, result["subgoals"], strict=True)
    ]
    return plan, result, cards


def plan_figures(
    engine: Engine, slug: str, year: int | None, *, actor: Actor | str
) -> list[list[str | None]]:
    """Per delmål, per indikator (in the snapshot's order): its chart's SVG markup (`chart_svg`),
    None when it has none."""
    plan, result, cards = _plan_cards(engine, slug, year, actor)
    period = (
        dt.date.fromisoformat(plan["period"]["start"]),
        dt.date.fromisoformat(plan["period"]["end"]),
    )
    return [
        [
            None
            if empty_state_text(indicator)
            else chart_svg(
                indicator_figure(indicator, period, verdict.get("trend"), result["year"])
            )
            for indicator, verdict in pairs
        ]
        for pairs in cards
    ]


def plan_card_texts(
    engine: Engine, slug: str, year: int | None, *, actor: Actor | str
) -> list[list[str]]:
    """Per delmål, per indikator: its card's facts (a Markdown list) and sentence, as one
    Markdown text with every name escaped. Writing the figures the Danish way costs about half a
    millisecond a card, on every rerun if it were not cached with the charts."""
    _, _, cards = _plan_cards(engine, slug, year, actor)
    return [
        [
            "\n".join(
                f"- **{markdown_text(label)}:** {markdown_text(value)}"
                for label, value in indicator_card_facts(indicator, verdict).items()
            )
            + f"\n\n{markdown_text(verdict['sentence'])}"
            for indicator, verdict in pairs
        ]
        for pairs in cards
    ]


def plan_tables(
    engine: Engine, slug: str, year: int | None, *, actor: Actor | str
) -> list[tuple[pd.DataFrame, str]]:
    """Per delmål: its yearly values (`yearly_values`, for the downloads) and the table a reader
    sees up to the status year `year` (newest year first), as escaped HTML (`html_table`)."""
    plan = store_snapshot(engine, slug, actor=actor)["plans"][0]
    subgoals = [s for a in plan["agreements"] for s in a["subgoals"]]
    tables = []
    for subgoal in subgoals:
        values = yearly_values(subgoal)
        tables.append((values, html_table(yearly_reading_table(values, year))))
    return tables
