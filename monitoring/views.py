"""Display tables in Danish built from the `show --json` snapshot (plain pandas, no Streamlit)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from monitoring.baseline import revised_text, snapshot_revision
from monitoring.fmt import MISSING_TEXT, format_change, format_date, format_value

UNIT_NAMES = {"pct": "Andel (%)", "count": "Antal", "dkk": "Kroner", "status": "Milepæl"}
DIRECTION_NAMES = {1: "Højere er bedre", -1: "Lavere er bedre", 0: "Ikke fastlagt"}
AREA_KIND_NAMES = {
    "afdeling": "Afdeling",
    "boligomraade": "Boligområde",
    "kommune": "Kommune",
    "benchmark": "Sammenligning",
}


def words_instead_of_baseline(baseline: dict[str, Any]) -> str | None:
    """The delaftale's words where it gives no number ("Afventer data"); None when it has one.

    A note beside a number ("Året fremgår ikke af delaftalen.") qualifies the number and never
    stands in for a missing figure.
    """
    return baseline.get("note") if baseline.get("value") is None else None


def baseline_text(baseline: dict[str, Any], unit: str) -> str:
    """ "40,0 % (2021)", or the delaftale's own words when it gives no number ("Afventer data")."""
    year = f" ({baseline['year']})" if baseline.get("year") else ""
    if baseline.get("value") is None:
        return f"{words_instead_of_baseline(baseline) or MISSING_TEXT}{year}"
    note = f". {baseline['note']}" if baseline.get("note") else ""
    return f"{format_value(baseline['value'], unit)}{year}{note}"


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


STATUS_STYLES = {
    "På rette vej": ("green", ":material/trending_up:"),
    "Uændret": ("blue", ":material/trending_flat:"),
    "Går den forkerte vej": ("red", ":material/trending_down:"),
    "Mangler data": ("orange", ":material/help:"),
    "Ikke vurderet": ("gray", ":material/remove:"),
}


def badge_markdown(status: str, text: str | None = None) -> str:
    """A status badge in Streamlit markdown: colour, icon and text together, never colour alone."""
    colour, icon = status_style(status)
    label = (text or status).replace("[", "(").replace("]", ")")
    return f":{colour}-badge[{icon} {label}]"


def status_style(status: str) -> tuple[str, str]:
    """(colour, icon) of a status badge; the text is always shown too, never colour alone."""
    return STATUS_STYLES.get(status, ("gray", ":material/remove:"))


BASELINE_YEAR = "Baselineår"
REVISED = "Revideret baselinetal"
_ROW_KEYS = ("Indikator", "Område", "Enhed")


def yearly_values(subgoal: dict[str, Any]) -> pd.DataFrame:
    """A delmål's yearly values as numbers: one row per indikator and area, one column per year.

    Suppressed or missing years stay empty (NaN), never zero. The indikator's own row holds the
    delaftale's baseline as signed in its baseline year, with `Baselineår`; a later figure for that
    year that differs is kept beside it in `Revideret baselinetal` (see `monitoring.baseline`).
    """
    rows = []
    signed: dict[tuple[str, str], tuple[int, float, float | None]] = {}
    for ind in subgoal["indicators"]:
        baseline = ind["baseline"]
        if baseline.get("year") is not None:
            signed[(ind["name"], ind["area"])] = (
                int(baseline["year"]),
                baseline.get("value"),
                snapshot_revision(ind),
            )
        for obs in ind["observations"]:
            rows.append(
                {
                    "Indikator": ind["name"],
                    "Område": obs["area"],
                    "Enhed": ind["unit"],
                    "År": obs["year"],
                    "Værdi": obs["value"],
                }
            )
    if not rows:
        return pd.DataFrame(columns=[*_ROW_KEYS, BASELINE_YEAR, REVISED])
    frame = pd.DataFrame(rows)
    wide = frame.pivot_table(
        index=list(_ROW_KEYS),
        columns="År",
        values="Værdi",
        aggfunc="first",
        sort=False,
        dropna=False,
    )
    wide.columns = [str(c) for c in wide.columns]
    wide = wide.reindex(columns=sorted(wide.columns)).reset_index()
    baseline_years: list[int | None] = []
    revisions: list[float] = []
    for index, (name, area) in enumerate(zip(wide["Indikator"], wide["Område"], strict=True)):
        year, value, revision = signed.get((name, area), (None, None, None))
        baseline_years.append(year)
        revisions.append(np.nan if revision is None else revision)
        if revision is not None:
            wide.at[index, str(year)] = value
    wide[BASELINE_YEAR] = pd.array(baseline_years, dtype="Int64")
    wide[REVISED] = revisions
    return wide


def format_yearly(values: pd.DataFrame) -> pd.DataFrame:
    """The yearly table for reading: Danish number formats per row's unit, unit names in Danish.

    A revised baseline year reads "46,6 % (revideret: 46,2 %)": the signed figure first.
    """
    shown = values.drop(columns=[BASELINE_YEAR, REVISED]).astype(object)
    years = [c for c in shown.columns if c not in _ROW_KEYS]
    for index, row in values.iterrows():
        for year in years:
            shown.at[index, year] = format_value(row[year], row["Enhed"])
        if not pd.isna(row[REVISED]):
            year = str(row[BASELINE_YEAR])
            shown.at[index, year] = revised_text(row[year], row[REVISED], row["Enhed"])
    shown["Enhed"] = values["Enhed"].map(lambda unit: UNIT_NAMES.get(unit, unit))
    return shown


def _area_points(indicator: dict[str, Any]) -> list[dict[str, Any]]:
    return [o for o in indicator["observations"] if o["area"] == indicator["area"]]


def empty_state_text(indicator: dict[str, Any]) -> str | None:
    """Why a card has no chart, in the delaftale's own words; None when there is a series to draw."""
    points = _area_points(indicator)
    numeric = [o for o in points if o["value"] is not None and o["state"] == "ok"]
    if indicator["unit"] == "status":
        if not numeric:
            return "Milepæl – ingen status registreret endnu."
        return None
    if numeric:
        return None
    if any(o["state"] == "suppressed" for o in points):
        return "Diskretioneret – for få personer til at tallet må vises."
    return words_instead_of_baseline(indicator["baseline"]) or "Ingen tal endnu."


def distance_text(gap: float | None, unit: str) -> str:
    """How far apart area and reference are, without sign: "12,3 pp.", "4.500 kr."."""
    if gap is None:
        return MISSING_TEXT
    if unit == "pct":
        return f"{format_value(abs(gap), 'count', 1)} pp."
    return format_value(abs(gap), unit)


def indicator_card_facts(indicator: dict[str, Any], verdict: dict[str, Any]) -> dict[str, str]:
    """The few figures a card shows: latest value, change since baseline, gap to each comparator."""
    unit = indicator["unit"]
    latest = verdict.get("latest") or {}
    if unit == "status":
        milestone = verdict.get("milestone") or {}
        state = milestone.get("state") or "Ingen status"
        deadline = milestone.get("deadline")
        facts = {"Status": state}
        if deadline:
            overdue = " – overskredet" if milestone.get("overdue") else ""
            facts["Frist"] = f"{format_date(pd.Timestamp(deadline).date())}{overdue}"
        return facts
    if latest.get("value") is not None:
        latest_text = f"{format_value(latest['value'], unit)} ({latest['year']})"
    elif latest.get("state") == "suppressed":
        latest_text = f"Diskretioneret ({latest['year']})"
    else:
        latest_text = words_instead_of_baseline(indicator["baseline"]) or "Mangler data"
    reference = verdict.get("reference") or {}
    facts = {"Seneste værdi": latest_text}
    if reference.get("revised_value") is not None:
        when = f" ({reference['year']})" if reference.get("year") else ""
        facts[f"Baseline{when}"] = (
            revised_text(reference["value"], reference["revised_value"], unit)
            + " – delaftalens tal er udgangspunktet"
        )
    if reference.get("value") is not None:
        label = "baseline" if reference.get("from_baseline") else "første måling"
        when = f" ({reference['year']})" if reference.get("year") else ""
        facts[f"Ændring siden {label}{when}"] = format_change(verdict.get("change"), unit)
    for comp in verdict.get("comparators") or []:
        value = format_value(comp.get("value"), unit)
        gap = comp.get("gap_now")
        if comp.get("passed"):
            value += " · området er forbi"
        elif gap is not None:
            value += f" · afstand {distance_text(gap, unit)}"
        facts[comp["label"]] = value
    return facts


def status_counts(result: dict[str, Any]) -> dict[str, int]:
    """How many of a plan's indikatorer have each status, in a fixed reading order."""
    counts = {status: 0 for status in STATUS_STYLES}
    for subgoal in result["subgoals"]:
        for indicator in subgoal["indicators"]:
            counts[indicator["status"]] = counts.get(indicator["status"], 0) + 1
    return {status: n for status, n in counts.items() if n}
