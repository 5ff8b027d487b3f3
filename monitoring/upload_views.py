"""Danish display tables for the upload page, built from the ingest engine's objects (no Streamlit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from monitoring.fmt import MISSING_TEXT, format_value
from monitoring.ingest import STATE_NAMES, Preview, Upload
from monitoring.lbf import LAYOUT_NAMES, Problem
from monitoring.views import AREA_KIND_NAMES

DO_NOT_IMPORT = "(importér ikke)"
CREATE_NEW_AREA = "(opret som nyt område)"
SOURCE_NAMES = {
    "valgt": "Valgt af dig",
    "husket": "Husket fra sidste import",
    "synonym": "Kendt betegnelse",
    "navn": "Målets eget navn",
    "betydning": "Samme betydning som målet",
    "forslag": "Kun forslag – vælg selv",
    "ingen": "Ikke genkendt",
}
STATUS_NAMES = {"new": "Ny", "changed": "Ændret", "unchanged": "Uændret"}
DANISH_TIME = ZoneInfo("Europe/Copenhagen")
HISTORY_STATUS = {"committed": "Gemt", "undone": "Fortrudt"}


def measure_label(key: str | None, upload: Upload) -> str:
    """ "Andel 18-64-årige i beskæftigelse (employed_18_64)", or the do-not-import choice."""
    if not key:
        return DO_NOT_IMPORT
    measure = upload.measures.get(key)
    return f"{measure.name} ({key})" if measure else key


def measure_options(upload: Upload) -> list[str]:
    """The mapping editor's choices: do not import, then every measure by name."""
    labels = sorted(measure_label(key, upload) for key in upload.measures)
    return [DO_NOT_IMPORT, *labels]


def key_of_label(label: str | None, upload: Upload) -> str | None:
    """Back from a choice in the editor to a measure key (None = do not import)."""
    if not label or label == DO_NOT_IMPORT:
        return None
    return next((k for k in upload.measures if measure_label(k, upload) == label), None)


def layouts_table(upload: Upload) -> pd.DataFrame:
    rows = [
        {
            "Ark": layout.sheet,
            "Opbygning": LAYOUT_NAMES.get(layout.layout, layout.layout),
            "Overskriftsrække": layout.header_row,
            "År": ", ".join(str(y) for y in layout.years) or MISSING_TEXT,
            "Område i titlen": layout.area_text or MISSING_TEXT,
        }
        for layout in upload.table.layouts
    ]
    return pd.DataFrame(rows)


def mapping_table(upload: Upload) -> pd.DataFrame:
    """One row per row/column text in the file: the chosen measure, how sure, and why."""
    rows = [
        {
            "Tekst i filen": m.label,
            "Mål": measure_label(m.measure_key, upload),
            "Sikkerhed": round(float(m.confidence), 2) if m.mapped else 0.0,
            "Hvorfor": SOURCE_NAMES.get(m.source, m.source),
            "Forslag": measure_label(m.suggestion, upload) if m.suggestion else "",
            "Celler": m.cells,
        }
        for m in upload.mapping
    ]
    return pd.DataFrame(
        rows, columns=["Tekst i filen", "Mål", "Sikkerhed", "Hvorfor", "Forslag", "Celler"]
    )


def mapping_from_table(edited: pd.DataFrame, upload: Upload) -> dict[str, str | None]:
    """The user's mapping from the edited table: file text -> measure key (None = skip).

    Rows the user changed, plus earlier choices (source "valgt"), so choices survive a re-resolve.
    """
    proposals = {m.label: m for m in upload.mapping}
    chosen: dict[str, str | None] = {}
    for text, choice in zip(edited["Tekst i filen"], edited["Mål"], strict=True):
        key = key_of_label(choice, upload)
        proposal = proposals.get(text)
        if proposal is None or key != proposal.measure_key or proposal.source == "valgt":
            chosen[text] = key
    return chosen


def areas_table(upload: Upload) -> pd.DataFrame:
    rows = [
        {
            "Tekst i filen": a.text,
            "Område i databasen": a.name,
            "Type": AREA_KIND_NAMES.get(a.kind, a.kind),
            "Ny": "Ja – oprettes" if a.is_new else "Nej",
            "Under": a.parent_name or MISSING_TEXT,
            "Celler": a.cells,
        }
        for a in upload.areas
    ]
    return pd.DataFrame(rows)


def area_choices(areas: pd.DataFrame) -> dict[str, int | None]:
    """Existing areas as "Name (type, kommune)" -> id, after the choice to create a new area."""
    choices: dict[str, int | None] = {}
    for row in areas.sort_values(["area", "kind"]).itertuples(index=False):
        kind = AREA_KIND_NAMES.get(row.kind, row.kind).lower()
        kommune = row.kommune if isinstance(row.kommune, str) and row.kommune != row.area else None
        choices[f"{row.area} ({kind}{', ' + kommune if kommune else ''})"] = int(row.area_id)
    return {CREATE_NEW_AREA: None, **choices}


def problems_table(problems: Sequence[Problem]) -> pd.DataFrame:
    """Every problem with its place (sheet, row, column), the cell text and the explanation."""
    rows = [
        {
            "Ark": p.sheet or "",
            "Række": p.row,
            "Kolonne": p.column or "",
            "Celle": p.text or "",
            "Forklaring": p.message,
        }
        for p in problems
    ]
    table = pd.DataFrame(rows, columns=["Ark", "Række", "Kolonne", "Celle", "Forklaring"])
    return table.astype({"Række": "Int64"})


def _cell_text(value: Any, state: Any, unit: Any) -> str:
    if isinstance(state, str) and state != "ok":
        return STATE_NAMES.get(state, state)
    if value is None or pd.isna(value):
        return MISSING_TEXT
    return format_value(float(value), unit if isinstance(unit, str) else "count")


def preview_summary(changes: Preview, upload: Upload) -> pd.DataFrame:
    """New / changed / unchanged per area and measure, with the measures' Danish names."""
    summary = changes.summary()
    summary.columns.name = None
    summary["measure"] = summary["measure"].map(
        lambda key: upload.measures[key].name if key in upload.measures else key
    )
    return summary.rename(
        columns={
            "area": "Område",
            "measure": "Mål",
            "new": "Nye",
            "changed": "Ændrede",
            "unchanged": "Uændrede",
        }
    )


def preview_changes(changes: Preview) -> pd.DataFrame:
    """Changed observations as "old → new", Danish formatted."""
    changed = changes.changed()
    rows = [
        {
            "Område": row.area,
            "Mål": row.measure_name or row.measure,
            "År": int(row.year),
            "Før": _cell_text(row.old_value, row.old_state, row.unit),
            "Efter": _cell_text(row.new_value, row.new_state, row.unit),
        }
        for row in changed.itertuples(index=False)
    ]
    return pd.DataFrame(rows, columns=["Område", "Mål", "År", "Før", "Efter"])


def local_time(utc_iso: str) -> str:
    """A stored UTC time as Danes read it: "23.11.2026 22:01" (Danish time)."""
    moment = dt.datetime.fromisoformat(utc_iso).replace(tzinfo=dt.UTC).astimezone(DANISH_TIME)
    return moment.strftime("%d.%m.%Y %H:%M")


def history_table(batches: Sequence[dict[str, Any]]) -> pd.DataFrame:
    rows = [
        {
            "Nr.": b["id"],
            "Tidspunkt": local_time(b["created_at"]),
            "Fil": b["file_name"],
            "Bruger": b["user"],
            "Status": HISTORY_STATUS.get(b["status"], b["status"]),
            "Nye": b["new"],
            "Ændrede": b["changed"],
            "Nye områder": b["new_areas"],
        }
        for b in batches
    ]
    return pd.DataFrame(
        rows,
        columns=["Nr.", "Tidspunkt", "Fil", "Bruger", "Status", "Nye", "Ændrede", "Nye områder"],
    )
