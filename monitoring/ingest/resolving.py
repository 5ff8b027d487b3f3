"""Reading an upload and resolving its texts to the store's measures and areas."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from monitoring.ingest.area_index import AreaIndex
from monitoring.ingest.areas import resolve_areas
from monitoring.ingest.catalog import (
    label_matcher,
    measure_catalog,
    remembered_areas,
    remembered_mappings,
)
from monitoring.ingest.types import Upload
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
    no_texts,
    propose_mapping,
    read_table,
    recoded,
)


def read_upload(
    engine: Engine,
    data: bytes,
    file_name: str,
    *,
    year: int | None = None,
    area: str | None = None,
    mapping: Mapping[str, str | None] | None = None,
    area_map: Mapping[str, int | str] | None = None,
    sheet_areas: Mapping[str, int | str] | None = None,
    hint: LayoutHint | None = None,
    settings: ReadSettings | None = None,
) -> Upload:
    """Read the file and resolve it against the store: the page's first step. Writes nothing."""
    table = read_table(data, file_name, year=year, area=area, hint=hint, settings=settings)
    return resolve(engine, table, mapping=mapping, area_map=area_map, sheet_areas=sheet_areas)


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
    sheet_areas: Mapping[str, int | str] | None = None,
) -> Upload:
    """Map texts to measures and areas to the store, and validate every value. Writes nothing.

    `mapping`: row/column text -> measure key (None or "" = do not import), overriding the proposal.
    `area_map`: area text as in the file (or a sheet's name) -> an area (id, name or plan name);
    "" = create the text as a new area. `sheet_areas`: sheet name -> area, for every value on it.
    """
    measures = measure_catalog(engine)
    chosen, chosen_texts, problems = _chosen_mapping(mapping, measures)
    problems = [*table.problems, *problems]
    upload = Upload(
        table=table,
        frame=table.frame.assign(
            measure_key=no_texts(len(table.frame)),
            unit=no_texts(len(table.frame)),
            area_ref=pd.Series(-1, index=table.frame.index, dtype="int64"),
            importable=False,
        ),
        mapping=[],
        areas=[],
        problems=problems,
        measures=measures,
        chosen=chosen,
        area_map=dict(area_map or {}),
        sheet_areas=dict(sheet_areas or {}),
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
    # Categorical: one entry per label, not per cell, for every map and comparison below.
    frame["measure_key"] = recoded(frame["label"], key_of_label)
    frame["unit"] = recoded(frame["measure_key"], {k: m.unit for k, m in measures.items()})
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
        index = AreaIndex(session)
    names = [m.name for m in measures.values()]
    resolve_areas(upload, index, remembered_areas(engine), mapped, names)
    validate_upload(upload, mapped)
    check_history(engine, upload)
    return upload
