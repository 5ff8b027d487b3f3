"""Comparison tables for reading (Danish formats, page links); exports use the numeric frames."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pandas as pd

from monitoring.fmt import MISSING_TEXT, format_value
from monitoring.vocabulary import AreaKind, State, Unit, label_of


def format_change_in(value: float | None, unit: str) -> str:
    """A signed change in the measure's own terms: "+2,5 procentpoint", "−12,0 %" (relative)."""
    if value is None or pd.isna(value):
        return MISSING_TEXT
    sign = "+" if value > 0 else ""
    if unit == "pct":
        return f"{sign}{format_value(value, 'count', 1)} procentpoint"
    return f"{sign}{format_value(value, 'count', 1)} %"


def ranking_display(ranking: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The ranking for reading: placement, area, value in Danish format (beside the name, on
    screen on a phone too), type, kommune, note."""
    return pd.DataFrame(
        {
            "Placering": [MISSING_TEXT if pd.isna(r) else f"{int(r)}." for r in ranking["rank"]],
            "Område": ranking["label"],
            "Værdi": [format_value(v, unit) for v in ranking["value"]],
            "Type": ranking["kind"].map(lambda k: label_of(AreaKind, k)),
            "Kommune": ranking["kommune"].fillna(MISSING_TEXT),
            "Bemærkning": ranking["state"].map(lambda s: label_of(State, s)),
        }
    )


def alerts_display(
    frame: pd.DataFrame,
    labels: dict[str, str] | None = None,
    link: str = "sammenlign",
    keep: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The alert list for reading, with a link per row to the area's series on the page.

    labels: measure key → the label the page's measure selector shows (it is what the URL holds).
    keep: the page's other query parameters (view, thresholds), so the link opens the series
    above the same alert list instead of another view. The link is the second column, so it is
    on screen beside the area's name at any width.
    """
    labels = labels or {}
    kept = {k: v for k, v in (keep or {}).items() if k not in ("measure", "area")}
    links = [
        f"{link}?{urlencode({**kept, 'measure': labels.get(m, n), 'area': int(a)})}"
        for m, n, a in zip(frame["measure"], frame["measure_name"], frame["area_id"], strict=True)
    ]
    return pd.DataFrame(
        {
            "Område": frame["area"],
            "Serie": links,
            "Mål": frame["measure_name"],
            "Kommune": frame["kommune"].fillna(MISSING_TEXT),
            "År": frame["year"].astype(int).astype(str),
            "Værdi": [
                format_value(v, u) for v, u in zip(frame["value"], frame["unit"], strict=True)
            ],
            "Ændring 1 år": [
                format_change_in(v, u) + (" ⚠" if f else "")
                for v, u, f in zip(
                    frame["change_1y"], frame["unit"], frame["flagged_1y"], strict=True
                )
            ],
            "Ændring 3 år": [
                format_change_in(v, u) + (" ⚠" if f else "")
                for v, u, f in zip(
                    frame["change_3y"], frame["unit"], frame["flagged_3y"], strict=True
                )
            ],
        }
    )


def plans_detail_display(detail: pd.DataFrame) -> pd.DataFrame:
    """The indicator list of `plans_side_by_side` for reading: latest value in Danish format,
    the status beside the indikator's name (on screen at any width), context columns after."""
    shown = detail.copy()
    shown["Seneste værdi"] = [
        format_value(v, u) if u != "status" else (MISSING_TEXT if pd.isna(v) else f"{v:g}")
        for v, u in zip(detail["Seneste værdi"], detail["Enhed"], strict=True)
    ]
    shown["År for værdien"] = [
        MISSING_TEXT if pd.isna(y) else str(int(y)) for y in detail["År for værdien"]
    ]
    shown["Enhed"] = detail["Enhed"].map(lambda u: label_of(Unit, u))
    first = ["Helhedsplan", "Indikator", "Status", "Seneste værdi", "År for værdien"]
    return shown[[*first, *(c for c in shown.columns if c not in first)]]


def plans_detail_groups(detail: pd.DataFrame) -> list[tuple[str, int | None, pd.DataFrame]]:
    """`plans_detail_display` as one table per plan: (plan, status year, its indicators). Without
    the plan's name on every row, a phone has room for the status and the latest value."""
    shown = plans_detail_display(detail)
    groups = []
    for (plan, year), rows in shown.groupby(["Helhedsplan", "Statusår"], sort=False, dropna=False):
        table = rows.drop(columns=["Helhedsplan", "Statusår"]).reset_index(drop=True)
        groups.append((str(plan), None if pd.isna(year) else int(year), table))
    return groups


HEAT_TINTS = {
    2: "rgba(0, 114, 178, 0.45)",
    1: "rgba(0, 114, 178, 0.18)",
    0: "rgba(0, 0, 0, 0)",
    -1: "rgba(213, 94, 0, 0.18)",
    -2: "rgba(213, 94, 0, 0.45)",
}


def heat_table_styler(values: pd.DataFrame, levels: pd.DataFrame, unit: str) -> Any:
    """The heat table as a pandas Styler: Danish numbers in every cell, background by level.

    values: areas × years (numbers, NaN = no value shown as "–"); levels: the same shape with
    -2..2 (blue tints for improvement, vermillion for worsening; colour-blind safe Okabe–Ito).
    The text is always visible, so the table also reads without colour.
    """
    shown = values.copy()
    shown.columns = [str(c) for c in shown.columns]
    tints = levels.copy()
    tints.columns = shown.columns
    tints.index = shown.index

    def colours(_frame: pd.DataFrame) -> pd.DataFrame:
        return tints.apply(
            lambda col: col.map(lambda level: f"background-color: {HEAT_TINTS[int(level)]}")
        )

    # Text, not numbers with a display format: Streamlit shows missing numbers as "None".
    text = shown.apply(lambda col: col.map(lambda v: format_value(v, unit)))
    return text.style.apply(colours, axis=None)
