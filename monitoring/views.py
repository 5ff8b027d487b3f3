"""Display tables in Danish built from the `show --json` snapshot (plain pandas, no Streamlit)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from monitoring.fmt import MISSING_TEXT, format_date, format_value

UNIT_NAMES = {"pct": "Andel (%)", "count": "Antal", "dkk": "Kroner", "status": "Milepæl"}
DIRECTION_NAMES = {1: "Højere er bedre", -1: "Lavere er bedre", 0: "Ikke fastlagt"}
AREA_KIND_NAMES = {
    "afdeling": "Afdeling",
    "boligomraade": "Boligområde",
    "kommune": "Kommune",
    "benchmark": "Sammenligning",
}


def baseline_text(baseline: dict[str, Any], unit: str) -> str:
    """ "40,0 % (2021)", or the delaftale's own words when it gives no number ("Afventer data")."""
    if baseline.get("value") is None:
        words = baseline.get("note") or MISSING_TEXT
        return f"{words} ({baseline['year']})" if baseline.get("year") else words
    year = f" ({baseline['year']})" if baseline.get("year") else ""
    return f"{format_value(baseline['value'], unit)}{year}"


def comparators_text(comparators: list[dict[str, Any]], unit: str) -> str:
    """All comparators of an indicator on one line: "Hele kommunen: 71,0 % (2021); ..."."""
    return "; ".join(f"{c['label']}: {baseline_text(c, unit)}" for c in comparators)


def target_text(indicator: dict[str, Any]) -> str:
    target = indicator.get("target")
    parts = []
    if target and target.get("value") is not None:
        year = f" i {target['year']}" if target.get("year") else ""
        parts.append(f"{format_value(target['value'], indicator['unit'])}{year}")
    elif target and target.get("note"):
        parts.append(target["note"])
    if indicator.get("deadline"):
        parts.append(f"senest {format_date(pd.Timestamp(indicator['deadline']).date())}")
    return ", ".join(parts) or MISSING_TEXT


def indicator_table(subgoal: dict[str, Any]) -> pd.DataFrame:
    """One row per indikator of a delmål, Danish column names, values formatted for reading."""
    rows = [
        {
            "Indikator": ind["name"],
            "Enhed": UNIT_NAMES.get(ind["unit"], ind["unit"]),
            "Retning": DIRECTION_NAMES.get(ind["direction"], MISSING_TEXT),
            "Baseline": baseline_text(ind["baseline"], ind["unit"]),
            "Anden baseline": comparators_text(ind["comparators"], ind["unit"]) or MISSING_TEXT,
            "Mål": target_text(ind),
            "Datakilde": ind.get("source") or MISSING_TEXT,
        }
        for ind in subgoal["indicators"]
    ]
    return pd.DataFrame(rows)


def plan_facts(plan: dict[str, Any]) -> dict[str, str]:
    """The header facts of a plan, formatted: kommune, period, areas."""
    start = pd.Timestamp(plan["period"]["start"]).date()
    end = pd.Timestamp(plan["period"]["end"]).date()
    areas = ", ".join(
        f"{a['name']} ({AREA_KIND_NAMES.get(a['kind'], a['kind']).lower()})" for a in plan["areas"]
    )
    return {
        "Kommune": f"{plan['kommune']} (kommunekode {plan['kommune_code']})",
        "Periode": f"{format_date(start)} – {format_date(end)}",
        "Områder": areas or MISSING_TEXT,
    }


def indicator_count(plan: dict[str, Any]) -> tuple[int, int]:
    """(delmål, indikatorer) of a plan."""
    subgoals = [s for a in plan["agreements"] for s in a["subgoals"]]
    return len(subgoals), sum(len(s["indicators"]) for s in subgoals)
