"""Danish display tables for the upload page, built from the ingest engine's objects (no Streamlit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from monitoring.fmt import MISSING_TEXT, format_value
from monitoring.ingest import CREATE_NEW, STATE_NAMES, Preview, Upload
from monitoring.lbf import Problem
from monitoring.vocabulary import AreaKind, MappingSource, label_of

DO_NOT_IMPORT = "(importér ikke)"
CHOOSE_AREA = "(vælg området)"
STATUS_NAMES = {"new": "Ny", "changed": "Ændret", "unchanged": "Uændret"}
DANISH_TIME = ZoneInfo("Europe/Copenhagen")
HISTORY_STATUS = {"committed": "Gemt", "undone": "Fortrudt"}


def measure_label(key: str | None, upload: Upload) -> str:
    """ "Andel 18-64-årige i beskæftigelse", or the do-not-import choice. The internal key is
    added only where two measures share a name, so every choice stays one measure."""
    if not key:
        return DO_NOT_IMPORT
    measure = upload.measures.get(key)
    if measure is None:
        return key
    namesakes = sum(m.name == measure.name for m in upload.measures.values())
    return measure.name if namesakes == 1 else f"{measure.name} ({key})"


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
    """Per sheet what the reader understood, as one sentence: layout, header rows, where the
    labels, areas and years are. Two columns, so it reads on a phone too."""
    rows = [
        {"Ark": layout.sheet, "Sådan er arket læst": layout.describe()}
        for layout in upload.table.layouts
    ]
    return pd.DataFrame(rows, columns=["Ark", "Sådan er arket læst"])


MAPPING_COLUMNS = ["Tekst i filen", "Mål", "Hvorfor", "Sikkerhed", "Forslag", "Celler"]


def mapping_table(upload: Upload) -> pd.DataFrame:
    """One row per row/column text in the file: the chosen measure, why, how sure, and the
    suggestion for an unsure one (the reason before the bar: it is what the reader acts on)."""
    rows = [
        {
            "Tekst i filen": m.label,
            "Mål": measure_label(m.measure_key, upload),
            "Hvorfor": label_of(MappingSource, m.source),
            "Sikkerhed": round(float(m.confidence), 2) if m.mapped else 0.0,
            "Forslag": measure_label(m.suggestion, upload) if m.suggestion else "",
            "Celler": m.cells,
        }
        for m in upload.mapping
    ]
    return pd.DataFrame(rows, columns=MAPPING_COLUMNS)


def mapping_from_table(edited: pd.DataFrame, upload: Upload) -> dict[str, str | None]:
    """The user's mapping from the edited table: file text -> measure key (None = skip).

    Rows the user changed, plus earlier choices (source "valgt"), so choices survive a re-resolve.
    """
    proposals = {m.label: m for m in upload.mapping}
    chosen: dict[str, str | None] = {}
    for text, choice in zip(edited["Tekst i filen"], edited["Mål"], strict=True):
        key = key_of_label(choice, upload)
        proposal = proposals.get(text)
        if (
            proposal is None
            or key != proposal.measure_key
            or proposal.source == MappingSource.CHOSEN
        ):
            chosen[text] = key
    return chosen


def areas_table(upload: Upload) -> pd.DataFrame:
    rows = [
        {
            "Tekst i filen": a.text,
            "Område i databasen": a.name,
            "Type": label_of(AreaKind, a.kind),
            "Ny": "Ja – oprettes" if a.is_new else "Nej",
            "Under": a.parent_name or MISSING_TEXT,
            "Celler": a.cells,
        }
        for a in upload.areas
    ]
    return pd.DataFrame(rows)


def _store_areas(areas: pd.DataFrame, first: Sequence[int] = ()) -> dict[str, int]:
    """ "Name (type, kommune)" -> id for every store area; the ids in `first` lead, in order."""
    labels: dict[int, str] = {}
    for row in areas.sort_values(["area", "kind"]).itertuples(index=False):
        kind = label_of(AreaKind, row.kind).lower()
        kommune = row.kommune if isinstance(row.kommune, str) and row.kommune != row.area else None
        labels[int(row.area_id)] = f"{row.area} ({kind}{', ' + kommune if kommune else ''})"
    ordered = [i for i in first if i in labels] + [i for i in labels if i not in first]
    return {labels[i]: i for i in ordered}


@dataclass
class AreaChoice:
    """One area selectbox on the page: a sheet's area, or the area of a text in the rows.

    `options`: label -> what to send (`None`: keep what the file says, an area id, or
    `ingest.CREATE_NEW`); the first option is the current state.
    """

    key: str  # the sheet's name (for `sheet_areas`) or the file's text (for `area_map`)
    label: str
    options: dict[str, int | str | None]
    help: str | None = None


def _sheet_refs(upload: Upload) -> dict[str, set[int]]:
    mapped = upload.frame[upload.frame["measure_key"].notna()]
    refs: dict[str, set[int]] = {}
    for sheet, ref in zip(mapped["sheet"].astype(object), mapped["area_ref"], strict=True):
        refs.setdefault(str(sheet), set()).add(int(ref))
    return refs


def sheet_choices(upload: Upload, areas: pd.DataFrame) -> list[AreaChoice]:
    """A selectbox per sheet with values: keep the file's area, or put every value on one area."""
    refs = _sheet_refs(upload)
    asked = {q.sheet: q for q in upload.questions if q.row is None}
    choices = []
    for layout in upload.table.layouts:
        found = refs.get(layout.sheet)
        if not found:
            continue
        question = asked.get(layout.sheet)
        if len(found) > 1:
            count = len(found - {-1})
            current = f"Som i filen ({count} {'område' if count == 1 else 'områder'})"
        elif -1 in found:
            current = CHOOSE_AREA
        else:
            area = upload.areas[next(iter(found))]
            current = f"Som læst: {area.name}" + (" (oprettes)" if area.is_new else "")
        options: dict[str, int | str | None] = {current: None}
        options.update(_store_areas(areas, question.candidates if question else ()))
        if question is not None and question.can_create:
            options[f"Opret nyt område: {question.text}"] = CREATE_NEW
        reason = question.reason[:1].upper() + question.reason[1:] + "." if question else None
        choices.append(
            AreaChoice(layout.sheet, f"Område for arket '{layout.sheet}'", options, reason)
        )
    return choices


def text_choices(upload: Upload, areas: pd.DataFrame) -> list[AreaChoice]:
    """A selectbox per area text in the rows that is new or unclear: pick an area, or create."""
    sheet_level = {next(iter(refs)) for refs in _sheet_refs(upload).values() if len(refs) == 1} - {
        -1
    }
    choices = []
    for question in upload.questions:
        if question.row is None:
            continue
        options: dict[str, int | str | None] = {CHOOSE_AREA: None}
        options.update(_store_areas(areas, question.candidates))
        if question.can_create:
            options[f"Opret nyt område: {question.text}"] = CREATE_NEW
        place = f"Ark '{question.sheet}', række {question.row}: {question.reason}."
        choices.append(AreaChoice(question.text, f"'{question.text}' er", options, place))
    for ref, area in enumerate(upload.areas):
        if area.is_new and area.how == "ny" and ref not in sheet_level and area.kind != "kommune":
            options = {f"Opret nyt område: {area.name}": None, **_store_areas(areas)}
            choices.append(AreaChoice(area.text, f"'{area.text}' er", options))
    return choices


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
            "Status": "Fjernet"
            if b.get("demo") and b["status"] == "undone"
            else HISTORY_STATUS.get(b["status"], b["status"]),
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
