"""Which store area each value of an upload is about: per sheet (a time series) and per row.

`resolve_areas` decides the text that names each sheet's area (or the person's choice for the
sheet), groups the rows by what they say, and lets `area_matcher.AreaMatcher` match each text once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from monitoring.ingest.area_index import AreaIndex
from monitoring.ingest.area_matcher import (
    AreaMatcher,
    Mention,
    Where,
    kommune_spec,
)
from monitoring.ingest.area_text import is_benchmark, kommune_name, parse_area_text, why_not_a_name
from monitoring.ingest.types import AreaMatch, Upload
from monitoring.lbf import (
    ERROR,
    Problem,
    SheetLayout,
    coded_column,
    match_key,  # cached
    row_keys,
)
from monitoring.store.models import AreaMemory, utcnow

_EXPLICIT = {"afdeling", "boligafdeling", "område", "omraade", "boligområde", "helhedsplan", "afd."}


def _explicit_title_area(lines: Iterable[str], text: str | None) -> bool:
    if text is None:
        return False
    return any(line.strip().casefold().split(":")[0].strip() in _EXPLICIT for line in lines)


def _sheet_text(
    layout: SheetLayout, index: AreaIndex, hint: str | None, measure_keys: set[str]
) -> tuple[str | None, str | None]:
    """The text that names a time series' area: an explicit title line ("Område: …"), a known
    area or plan named in the title, a line that is a benchmark or kommune, another plausible
    title text, a "Kommune: X" line, the plain --area, and last a kommune the title mentions."""
    text, code = layout.area_text, layout.area_code
    if _explicit_title_area(layout.title, text):
        return text, code
    found = index.in_titles(layout.title)
    if found is not None:
        return found.name, found.code
    for line in layout.title:
        core = parse_area_text(line).core
        if is_benchmark(core) or kommune_name(core) is not None:
            return line, None
    if text is not None and why_not_a_name(parse_area_text(text).core, measure_keys) is None:
        return text, code
    said = any(line.strip().casefold().startswith("kommune:") for line in layout.title)
    if hint and not said:
        return hint, None
    return layout.kommune_text, None


def _file_kommune(frame: pd.DataFrame, layouts: list[SheetLayout]) -> str | None:
    """The one kommune a file names (in a kommune column, a kommune row or a title), if one."""
    names: dict[str, str] = {}
    texts = [*frame["kommune_text"].dropna().unique(), *(x.kommune_text for x in layouts)]
    for value in frame["area_text"].dropna().unique():
        text = str(value)
        if "kommune" in text.casefold():  # "Horsens Kommune", "Bo Trivsel (Horsens Kommune)"
            parsed = parse_area_text(text)
            texts += [parsed.kommune, parsed.core if kommune_name(parsed.core) else None]
        elif kommune_name(text) is not None:  # a bare "Horsens" row
            texts.append(text)
    for text in texts:
        if text and str(text).strip():
            named = kommune_spec(str(text), None)[0]
            names.setdefault(match_key(named), named)
    return next(iter(names.values())) if len(names) == 1 else None


def resolve_areas(
    upload: Upload,
    index: AreaIndex,
    memory: Mapping[str, int],
    mapped: np.ndarray,
    measure_names: Iterable[str],
) -> None:
    """Set `area_ref` of every mapped row; fill `upload.areas`, `.questions`, `.area_choices`."""
    table, frame = upload.table, upload.frame
    sheets = {match_key(layout.sheet): layout.sheet for layout in table.layouts}
    sheet_areas = dict(upload.sheet_areas)
    text_map: dict[str, int | str] = {}
    for key, target in upload.area_map.items():
        sheet = sheets.get(match_key(str(key)))
        if sheet is not None and sheet not in sheet_areas:
            sheet_areas[sheet] = target
        elif sheet is None:
            text_map[str(key)] = target
    matcher = AreaMatcher(upload, index, memory, text_map, measure_names)
    _check_choices(upload, text_map, sheet_areas)
    named_kommuner = frame.loc[mapped, ["kommune_text", "area_text"]]
    matcher.file_kommune = _file_kommune(named_kommuner, table.layouts)
    refs = np.full(len(frame), -1, dtype="int64")
    done = np.zeros(len(frame), dtype=bool)

    def add(match: AreaMatch | None, rows: np.ndarray) -> None:
        """Put `rows` (positions) on the matched area."""
        if match is None:
            return
        match.cells = len(rows)
        refs[rows] = len(upload.areas)
        upload.areas.append(match)

    for layout in table.layouts:
        chosen = sheet_areas.get(layout.sheet)
        if chosen is None and layout.layout != "time_series":
            continue  # its rows name their areas
        mask = (frame["sheet"] == layout.sheet).to_numpy(dtype=bool, na_value=False) & mapped
        rows = np.flatnonzero(mask)
        if not len(rows):
            continue
        done |= mask
        where = Where(layout.sheet, None, len(rows))
        if chosen is not None:
            item = Mention(
                layout.area_text or "", layout.area_code, layout.kommune_text, None, where
            )
            explicit = _explicit_title_area(layout.title, layout.area_text)
            add(matcher.chosen(item, chosen, remember=explicit), rows)
            continue
        text, code = _sheet_text(layout, index, table.area_hint, matcher.measure_keys)
        if text is None:
            upload.problems.append(
                Problem(
                    ERROR,
                    "no_area",
                    "Det fremgår ikke af arket, hvilket område tallene gælder. Vælg området på "
                    f'siden (eller brug --area "{layout.sheet}=OMRÅDE").',
                    sheet=layout.sheet,
                )
            )
            continue
        _put_text(frame, mask, "area_text", text)
        _put_text(frame, mask, "area_code", code)
        add(
            matcher.match(Mention(text, code, layout.kommune_text, layout.kommune_code, where)),
            rows,
        )
    _resolve_rows(matcher, frame, mapped & ~done, add)
    frame["area_ref"] = refs
    upload.areas.extend(matcher.new_kommuner.values())  # kommuner to create as parents
    _merge_same_areas(upload)


def _resolve_rows(
    matcher: AreaMatcher,
    frame: pd.DataFrame,
    todo: np.ndarray,
    add: Callable[[AreaMatch | None, np.ndarray], None],
) -> None:
    """Rows that name their own area, grouped by what they say; bare numbers last (they need the
    areas the other rows name as context)."""
    identity = ["area_text", "area_code", "kommune_text", "kommune_code"]
    named = (frame["area_text"].notna() | frame["area_code"].notna()).to_numpy()
    positions = np.flatnonzero(todo & named)
    if not len(positions):
        return
    sheet_codes, sheets = coded_column(frame["sheet"])
    row_numbers = frame["row"].to_numpy()
    coded = [coded_column(frame[name]) for name in identity]
    columns = [codes[positions] for codes, _ in coded]  # small integers, not a text per cell
    texts = []
    for members in _groups(columns):
        combo = (
            None if column[members[0]] < 0 else words[column[members[0]]]
            for column, (_, words) in zip(columns, coded, strict=True)
        )
        text, code, kommune_text, kommune_code = (
            None if v is None or v != v else str(v).strip() or None for v in combo
        )
        if text or code:
            texts.append((text or code or "", code, kommune_text, kommune_code, members))
    texts.sort(key=lambda t: not parse_area_text(t[0], t[1]).name)
    for text, code, kommune_text, kommune_code, members in texts:
        rows = positions[members]
        where = Where(str(sheets[sheet_codes[rows[0]]]), int(row_numbers[rows[0]]), len(rows))
        add(matcher.match(Mention(text, code, kommune_text, kommune_code, where)), rows)


def _put_text(frame: pd.DataFrame, mask: np.ndarray, column: str, text: str | None) -> None:
    """Set a text on the masked rows of a (categorical) text column."""
    values = frame[column]
    categorical = isinstance(values.dtype, pd.CategoricalDtype)
    if categorical and text is not None and text not in values.cat.categories:
        frame[column] = values.cat.add_categories([text])
    frame.loc[mask, column] = text


def _groups(columns: list[np.ndarray]) -> list[np.ndarray]:
    """Positions of the rows with the same values in every column (missing values alike), group
    by group in order of first appearance: a groupby on integer codes, not on the texts (an area
    list repeats each area's texts on every one of its cells)."""
    key = row_keys(columns)
    order = np.argsort(key, kind="stable")
    key = key[order]
    groups = np.split(order, np.flatnonzero(key[1:] != key[:-1]) + 1)
    groups.sort(key=lambda members: members[0])  # stable: a group's first member is its first row
    return groups


def _check_choices(
    upload: Upload, text_map: Mapping[str, int | str], sheet_areas: Mapping[str, int | str]
) -> None:
    """A choice for a sheet or text the file does not have is refused: it would silently do
    nothing, and the values would land where the file's own text puts them."""
    frame, table = upload.frame, upload.table
    sheets = [layout.sheet for layout in table.layouts]
    known = {match_key(str(v)) for v in frame["area_text"].dropna().unique()}
    known |= {match_key(str(v)) for v in frame["area_code"].dropna().unique()}
    known |= {match_key(x.area_text) for x in table.layouts if x.area_text}
    known |= {match_key(table.area_hint)} if table.area_hint else set()
    for sheet in sheet_areas:
        if sheet not in sheets:
            known_sheets = ", ".join(f"'{s}'" for s in sheets)
            upload.problems.append(
                Problem(
                    ERROR,
                    "area_choice_not_used",
                    f"Arket '{sheet}' findes ikke i filen (arkene hedder {known_sheets}).",
                )
            )
    for text in text_map:
        if match_key(text) not in known:
            known_sheets = ", ".join(f"'{s}'" for s in sheets)
            upload.problems.append(
                Problem(
                    ERROR,
                    "area_choice_not_used",
                    f"'{text}' i områdevalget findes ikke i filen: det er hverken et ark "
                    f"(arkene hedder {known_sheets}) eller en områdetekst i filen.",
                )
            )


def _merge_same_areas(upload: Upload) -> None:
    """Two spellings of one area ("Løvvangen", "LØVVANGEN") must count as one area."""
    first: dict[tuple[str, str, int | None], int] = {}
    remap: dict[int, int] = {}
    for index, area in enumerate(upload.areas):
        key = (area.kind, match_key(area.name), area.area_id)
        if key in first:
            remap[index] = first[key]
            upload.areas[first[key]].cells += area.cells
        else:
            first[key] = index
    if not remap:
        return
    keep = sorted(first.values())
    renumber = np.full(len(upload.areas) + 1, -1, dtype="int64")  # last slot: ref -1 stays -1
    for new, old in enumerate(keep):
        renumber[old] = new
    for duplicate, original in remap.items():
        renumber[duplicate] = renumber[original]
    upload.areas = [upload.areas[i] for i in keep]
    upload.frame["area_ref"] = renumber[upload.frame["area_ref"].to_numpy()]


def remember_area_choices(session: Session, upload: Upload, user: str) -> None:
    """Keep the person's area choices (file text -> area), so next year's file is not asked."""
    for text, area_id in upload.area_choices.items():
        key = match_key(text)[:300]
        if not key:
            continue
        memory = session.scalar(select(AreaMemory).where(AreaMemory.text_key == key))
        if memory is None:
            memory = AreaMemory(text_key=key, text=text[:300])
            session.add(memory)
        memory.area_id = area_id
        memory.confirmed_by = user
        memory.confirmed_at = utcnow()
