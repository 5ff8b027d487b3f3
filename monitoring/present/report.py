"""The bestyrelse's report: one Excel workbook per helhedsplan and status year, for the meeting.

Built from the same snapshot and progress result the Helhedsplan page shows, so the report and
the screen never disagree. Numbers stay numeric cells; the Danish sentences carry the reading.
The reference is the delaftale's baseline as signed; a later, revised figure for the baseline year
stands beside it (`Revideret baselinetal`, on both sheets) and the sentence says so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from monitoring.fmt import format_date, format_percent, format_period
from monitoring.present.export import to_excel_bytes
from monitoring.present.views import yearly_values
from monitoring.vocabulary import Unit, label_of


def status_rows(plan: dict[str, Any], result: dict[str, Any]) -> pd.DataFrame:
    """One row per indikator: delmål, status, latest value, change, comparators and the sentence."""
    subgoals = [s for a in plan["agreements"] for s in a["subgoals"]]
    rows = []
    for number, (subgoal, judged) in enumerate(zip(subgoals, result["subgoals"], strict=True), 1):
        for indicator, verdict in zip(subgoal["indicators"], judged["indicators"], strict=True):
            latest = verdict.get("latest") or {}
            reference = verdict.get("reference") or {}
            comparators = verdict.get("comparators") or []
            rows.append(
                {
                    "Delmål": f"{number}. {subgoal['text']}",
                    "Indikator": indicator["name"],
                    "Enhed": label_of(Unit, indicator["unit"]),
                    "Status": verdict["status"],
                    "Reference": reference.get("value"),
                    "Referenceår": reference.get("year"),
                    "Revideret baselinetal": reference.get("revised_value"),
                    "Seneste værdi": latest.get("value"),
                    "Seneste år": latest.get("year"),
                    "Ændring": verdict.get("change"),
                    "Anden baseline": "; ".join(c["label"] for c in comparators) or None,
                    "Afstand nu": comparators[0].get("gap_now") if comparators else None,
                    "Vurdering": verdict["sentence"],
                }
            )
    return pd.DataFrame(rows)


def about_rows(plan: dict[str, Any], result: dict[str, Any], demo: bool) -> pd.DataFrame:
    start = dt.date.fromisoformat(plan["period"]["start"])
    end = dt.date.fromisoformat(plan["period"]["end"])
    facts = {
        "Helhedsplan": plan["name"],
        "Kommune": plan["kommune"],
        "Aftaleperiode": format_period(start, end),
        "Statusår": result["year"],
        "Andel af perioden gået": format_percent(result["elapsed_share"]),
        "Udskrevet": format_date(dt.date.today()),
        "Kilde": "Indikatormonitor",
    }
    if demo:
        facts["ADVARSEL"] = "Demodata: tallene efter baselineåret er opdigtede eksempler."
    return pd.DataFrame({"Felt": list(facts), "Værdi": [str(v) for v in facts.values()]})


def plan_report(plan: dict[str, Any], result: dict[str, Any], *, demo: bool = False) -> bytes:
    """The whole report as .xlsx: about the plan, status per indikator, yearly values per delmål."""
    subgoals = [s for a in plan["agreements"] for s in a["subgoals"]]
    yearly = [
        yearly_values(s).assign(Delmål=number)
        for number, s in enumerate(subgoals, 1)
        if s["indicators"]
    ]
    values = pd.concat(yearly, ignore_index=True) if yearly else pd.DataFrame()
    return to_excel_bytes(
        {
            "Om rapporten": about_rows(plan, result, demo),
            "Status": status_rows(plan, result),
            "Årlige værdier": values,
        }
    )
