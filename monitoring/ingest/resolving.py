"""Reading an upload and resolving its texts to the store's measures and areas."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from monitoring.ingest.catalog import (
    KIND_ORDER,
    StoreArea,
    StoreAreas,
    label_matcher,
    measure_catalog,
    remembered_mappings,
)
from monitoring.ingest.types import AreaMatch, Upload
from monitoring.ingest.validation import check_history, validate_upload, warn_unmapped
from monitoring.lbf import (
    ERROR,
    WARNING,
    LayoutHint,
    LbfTable,
    MeasureInfo,
    Problem,
    ReadSettings,
    label_summary,
    load_synonyms,
    match_key,  # cached
    propose_mapping,
    read_table,
)
from monitoring.names import kommune_area_name

BENCHMARK_NAMES = {
    "hele landet",
    "landsplan",
    "landsgennemsnit",
    "danmark",
    "alle almene boligafdelinger",
    "alle almene afdelinger",
    "almene boligafdelinger i alt",
}


def read_upload(
    engine: Engine,
    data: bytes,
    file_name: str,
    *,
    year: int | None = None,
    area: str | None = None,
    mapping: Mapping[str, str | None] | None = None,
    area_map: Mapping[str, int | str] | None = None,
    hint: LayoutHint | None = None,
    settings: ReadSettings | None = None,
) -> Upload:
    """Read the file and resolve it against the store: the page's first step. Writes nothing."""
    table = read_table(data, file_name, year=year, area=area, hint=hint, settings=settings)
    return resolve(engine, table, mapping=mapping, area_map=area_map)


def _chosen_mapping(
    mapping: Mapping[str, str | None] | None, measures: dict[str, MeasureInfo]
) -> tuple[dict[str, str | None], dict[str, str], list[Problem]]:
    chosen: dict[str, str | None] = {}
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    for text, key in (mapping or {}).items():
        measure = (key or "").strip() or None
        if measure is not None and measure not in measures:
            known = ", ".join(sorted(measures))
            problems.append(
                Problem(
                    ERROR,
                    "unknown_measure",
                    f"Målet '{measure}' (valgt for '{text}') findes ikke. Kendte mål: {known}.",
                )
            )
            continue
        chosen[match_key(text)] = measure
        texts[match_key(text)] = text
    return chosen, texts, problems


def resolve(
    engine: Engine,
    table: LbfTable,
    *,
    mapping: Mapping[str, str | None] | None = None,
    area_map: Mapping[str, int | str] | None = None,
) -> Upload:
    """Map texts to measures and areas to the store, and validate every value. Writes nothing.

    `mapping`: row/column text -> measure key (None or "" = do not import), overriding the proposal.
    `area_map`: area text as in the file -> an existing area (id or name) instead of a new area.
    """
    measures = measure_catalog(engine)
    chosen, chosen_texts, problems = _chosen_mapping(mapping, measures)
    problems = [*table.problems, *problems]
    upload = Upload(
        table=table,
        frame=table.frame.assign(
            measure_key=pd.Series(None, index=table.frame.index, dtype=object),
            unit=pd.Series(None, index=table.frame.index, dtype=object),
            area_ref=pd.Series(-1, index=table.frame.index, dtype="int64"),
            importable=False,
        ),
        mapping=[],
        areas=[],
        problems=problems,
        measures=measures,
        chosen=chosen,
        area_map=dict(area_map or {}),
    )
    if table.frame.empty or any(p.blocking for p in table.problems if p.row is None):
        return upload
    upload.mapping = propose_mapping(
        label_summary(table.frame, table.titles),
        measures,
        load_synonyms(),
        remembered_mappings(engine),
        chosen,
        label_matcher(engine, measures),
    )
    labels_in_file = {match_key(m.label) for m in upload.mapping}
    for key, text in chosen_texts.items():
        if key not in labels_in_file:
            problems.append(
                Problem(
                    WARNING,
                    "mapping_not_used",
                    f"Kortlægningen af '{text}' bruges ikke: ingen række eller kolonne i filen "
                    "har den tekst.",
                )
            )
    key_of_label = {m.label: m.measure_key for m in upload.mapping if m.mapped}
    frame = upload.frame
    frame["measure_key"] = frame["label"].map(key_of_label).astype(object)
    frame["unit"] = frame["measure_key"].map({k: m.unit for k, m in measures.items()})
    frame["unit"] = frame["unit"].astype("category")
    mapped = frame["measure_key"].notna().to_numpy()
    warn_unmapped(upload)
    if not mapped.any():
        problems.append(
            Problem(
                ERROR,
                "nothing_mapped",
                "Ingen rækker eller kolonner i filen kunne knyttes til et mål. Vælg målene i "
                'kortlægningen (eller brug --map "TEKST=målnøgle").',
            )
        )
        return upload
    with Session(engine) as session:
        store_areas = StoreAreas(session)
    _resolve_areas(upload, store_areas, mapped)
    validate_upload(upload, mapped)
    check_history(engine, upload)
    return upload


def _resolve_areas(upload: Upload, store: StoreAreas, mapped: np.ndarray) -> None:
    table, frame, problems = upload.table, upload.frame, upload.problems
    area_map = {match_key(str(k)): v for k, v in upload.area_map.items()}
    # Time series: the area is named in the title block (or given by the user) once per sheet.
    for layout in table.layouts:
        if layout.layout != "time_series":
            continue
        rows = (frame["sheet"] == layout.sheet).to_numpy()
        text, code = layout.area_text, layout.area_code
        kommune = layout.kommune_text
        if table.area_hint is None and not _explicit_title_area(layout.title, text):
            found = store.in_titles(layout.title)
            if found is not None and (found.kind != "kommune" or text is None):
                text, code = found.name, found.code
        if text is None and kommune is not None:
            text = kommune
        if text is None:
            if (rows & mapped).any():
                problems.append(
                    Problem(
                        ERROR,
                        "no_area",
                        "Det fremgår ikke af arket, hvilket område tallene gælder. Vælg området "
                        '(eller brug --area "NAVN").',
                        sheet=layout.sheet,
                    )
                )
            continue
        frame.loc[rows, "area_text"] = text
        frame.loc[rows, "area_code"] = code
    identity = ["area_text", "area_code", "kommune_text", "kommune_code"]
    subset = frame.loc[mapped & frame["area_text"].notna().to_numpy(), identity].fillna("")
    if subset.empty:
        return
    grouped = subset.groupby(identity, sort=False)
    group_of_row = grouped.ngroup().to_numpy()
    sizes = grouped.size()
    ref_of_group = np.full(len(sizes), -1, dtype="int64")
    new_kommuner: dict[str, AreaMatch] = {}
    for group, (combo, cells) in enumerate(sizes.items()):
        text, code, kommune_text, kommune_code = (str(v).strip() or None for v in combo)
        if text is None:
            continue
        match = _match_area(
            text, code, kommune_text, kommune_code, store, area_map, new_kommuner, problems
        )
        if match is None:
            continue
        match.cells = int(cells)
        ref_of_group[group] = len(upload.areas)
        upload.areas.append(match)
    frame.loc[subset.index, "area_ref"] = ref_of_group[group_of_row]
    upload.areas.extend(new_kommuner.values())  # kommuner to create as parents of new areas
    _merge_same_areas(upload)


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


def _explicit_title_area(lines: Sequence[str], text: str | None) -> bool:
    if text is None:
        return False
    return any(line.strip().casefold().split(":")[0].strip() in _EXPLICIT for line in lines)


_EXPLICIT = {"afdeling", "boligafdeling", "område", "omraade", "boligområde", "helhedsplan", "afd."}


def _match_area(
    text: str,
    code: str | None,
    kommune_text: str | None,
    kommune_code: str | None,
    store: StoreAreas,
    area_map: dict[str, int | str],
    new_kommuner: dict[str, AreaMatch],
    problems: list[Problem],
) -> AreaMatch | None:
    key = match_key(text)
    kommune = store.kommune(kommune_text, kommune_code)

    def found(area: StoreArea, how: str) -> AreaMatch:
        return AreaMatch(text, code, kommune_text, area.name, area.kind, area.id, False, how)

    chosen = area_map.get(key) if key in area_map else area_map.get(match_key(code or ""))
    if chosen is not None:
        target = (
            store.by_id.get(int(chosen))
            if isinstance(chosen, int) or str(chosen).isdigit()
            else next(iter(store.by_key.get(match_key(str(chosen)), [])), None)
        )
        if target is None:
            problems.append(
                Problem(
                    ERROR,
                    "unknown_area",
                    f"Området '{chosen}', som '{text}' skulle knyttes til, findes ikke.",
                )
            )
            return None
        return found(target, "valgt")
    if key.endswith(" kommune") or key == "kommune":
        area = store.kommune(text, kommune_code)
        if area is not None:
            return found(area, "kommune")
        return _new_kommune(text, kommune_code, text)
    candidates = list(store.by_key.get(key, []))
    if candidates:
        if code:
            with_code = [
                a
                for a in candidates
                if a.kind == "afdeling" and (a.code or "").lstrip("0") == code.lstrip("0")
            ]
            candidates = with_code or candidates
        if kommune is not None:
            inside = [a for a in candidates if kommune.id in store.ancestors(a)]
            candidates = inside or candidates
        candidates.sort(key=lambda a: KIND_ORDER.get(a.kind, 9))
        return found(candidates[0], "navn")
    if code:
        numbered = store.afdeling_by_code.get(code.lstrip("0"), [])
        if kommune is not None:
            numbered = [a for a in numbered if kommune.id in store.ancestors(a)]
        if len(numbered) == 1:
            return found(numbered[0], "nummer")
    if key in BENCHMARK_NAMES:
        return AreaMatch(text, code, kommune_text, text, "benchmark", None, True, "ny")
    kind = "afdeling" if code else "boligomraade"
    match = AreaMatch(text, code, kommune_text, text, kind, None, True, "ny")
    if kommune is not None:
        match.parent_name, match.parent_id = kommune.name, kommune.id
    elif kommune_text or kommune_code:
        name = kommune_area_name(kommune_text) if kommune_text else f"Kommune {kommune_code}"
        match.parent_name, match.parent_code, match.new_parent = name, kommune_code, True
        new_kommuner.setdefault(match_key(name), _new_kommune(name, kommune_code, name))
    else:
        problems.append(
            Problem(
                WARNING,
                "area_without_kommune",
                f"Området '{text}' er nyt, og filen siger ikke, hvilken kommune det ligger i; det "
                "oprettes uden kommune.",
            )
        )
    return match


def _new_kommune(text: str, code: str | None, file_text: str) -> AreaMatch:
    name = kommune_area_name(text.strip())
    return AreaMatch(file_text, code, name, name, "kommune", None, True, "ny", parent_code=code)
