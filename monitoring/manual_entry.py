"""Typing in figures by hand (local indicators, milestones, early numbers) through the upload engine.

The projektleder edits a grid of a plan's indikatorer × years; the changed cells become a small
long table (Område; Indikator; År; Værdi) that goes through exactly the same validation, preview,
one-batch commit, history and undo as an uploaded file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from monitoring.fmt import MILESTONE_STATES, format_value
from monitoring.names import match_key

FIXED_COLUMNS = ["Indikator", "Område", "Enhed"]
_MILESTONE_OF_WORD = {match_key(word): code for code, word in MILESTONE_STATES.items()}
UNIT_HINTS = {
    "pct": "%",
    "count": "antal",
    "dkk": "kr.",
    "status": "Ikke startet / I gang / Opnået",
}


def entry_years(plan: dict[str, Any], today: dt.date | None = None) -> list[int]:
    """The years a plan's figures can be typed for: from the earliest baseline to this year."""
    today = today or dt.date.today()
    baselines = [
        ind["baseline"]["year"]
        for agreement in plan["agreements"]
        for subgoal in agreement["subgoals"]
        for ind in subgoal["indicators"]
        if ind["baseline"].get("year")
    ]
    first = min([int(plan["period"]["start"][:4]), *baselines])
    last = min(int(plan["period"]["end"][:4]), today.year)
    return list(range(first, max(first, last) + 1))


def entry_grid(plan: dict[str, Any], years: list[int]) -> pd.DataFrame:
    """One row per indikator (its own area), one text column per year, Danish formatted.

    The index is "measure|area" so that edits can be traced back to the cell they change.
    """
    rows, index = [], []
    for agreement in plan["agreements"]:
        for subgoal in agreement["subgoals"]:
            for ind in subgoal["indicators"]:
                key = f"{ind['measure']}|{ind['area']}"
                if key in index:
                    continue
                values = {o["year"]: o for o in ind["observations"] if o["area"] == ind["area"]}
                row = {
                    "Indikator": ind["name"],
                    "Område": ind["area"],
                    "Enhed": UNIT_HINTS.get(ind["unit"], ind["unit"]),
                }
                for year in years:
                    observation = values.get(year)
                    row[str(year)] = _cell(observation, ind["unit"])
                rows.append(row)
                index.append(key)
    return pd.DataFrame(rows, index=index, columns=FIXED_COLUMNS + [str(y) for y in years])


def _cell(observation: dict[str, Any] | None, unit: str) -> str:
    if observation is None:
        return ""
    if observation["state"] == "suppressed":
        return "diskr."
    if observation["value"] is None:
        return ""
    return format_value(observation["value"], unit)


def _as_upload_text(text: str) -> str:
    """A milestone word becomes its code; everything else is passed on as typed (Danish notation)."""
    code = _MILESTONE_OF_WORD.get(match_key(text))
    return str(code) if code is not None else text.strip()


def changed_cells(original: pd.DataFrame, edited: pd.DataFrame) -> list[tuple[str, str, int, str]]:
    """(area, measure, year, text) for every cell the user typed or changed (blank ones are skipped)."""
    changes = []
    years = [c for c in original.columns if c not in FIXED_COLUMNS]
    for key in original.index:
        measure, area = key.split("|", 1)
        for year in years:
            before = str(original.at[key, year] or "").strip()
            after = edited.at[key, year]
            after = (
                ""
                if after is None or (isinstance(after, float) and pd.isna(after))
                else str(after).strip()
            )
            if after and after != before:
                changes.append((area, measure, int(year), _as_upload_text(after)))
    return changes


def entry_file(changes: list[tuple[str, str, int, str]]) -> bytes:
    """The typed cells as a long table the upload engine reads like any other file."""
    lines = ["Område;Indikator;År;Værdi"]
    lines += [f"{area};{measure};{year};{text}" for area, measure, year, text in changes]
    return ("\n".join(lines) + "\n").encode("utf-8")
