"""The store as the resolver sees it: the measure catalogue and the remembered choices."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from monitoring.lbf import (
    MeasureInfo,
    synonym_texts,
)
from monitoring.lbf.labels import Matcher
from monitoring.seed import MEASURES_FILE, SEED_DIR
from monitoring.store.models import (
    AreaMemory,
    Indicator,
    MappingMemory,
    Measure,
)


def shared_measures(seed_dir: Path = SEED_DIR) -> dict[str, MeasureInfo]:
    path = seed_dir / MEASURES_FILE
    if not path.exists():
        return {}
    content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        m["key"]: MeasureInfo(m["key"], m["name"], m["unit"], m.get("population"))
        for m in content.get("measures") or []
        if m.get("key") and m.get("unit")
    }


def measure_catalog(engine: Engine) -> dict[str, MeasureInfo]:
    """Every measure an upload can map to: the store's plus the shared LBF ones not yet loaded."""
    catalog = shared_measures()
    with Session(engine) as session:
        rows = session.execute(select(Measure.key, Measure.name, Measure.unit, Measure.population))
        for key, name, unit, population in rows:
            catalog[key] = MeasureInfo(key, name, unit, population)
    return catalog


def indicator_texts(engine: Engine) -> dict[str, list[str]]:
    """Measure key -> the texts of the indikatorer that use it: other names for the measure."""
    texts: dict[str, list[str]] = {}
    with Session(engine) as session:
        rows = session.execute(
            select(Measure.key, Indicator.name).join(Indicator.measure).order_by(Indicator.id)
        )
        for key, name in rows:
            texts.setdefault(key, []).append(name)
    return texts


def label_matcher(engine: Engine, measures: dict[str, MeasureInfo]) -> Matcher:
    """Matching by meaning against measure names, synonyms and every plan's indikator texts."""
    return Matcher.for_catalogue(measures, synonym_texts(), indicator_texts(engine))


def remembered_mappings(engine: Engine) -> dict[str, str | None]:
    """match_key(label) -> measure key (None: deliberately not imported), as confirmed before."""
    with Session(engine) as session:
        rows = session.execute(select(MappingMemory.label_key, MappingMemory.measure_key))
        return {label_key: measure_key for label_key, measure_key in rows}


def remembered_areas(engine: Engine) -> dict[str, int]:
    """match_key(area text) -> area id, as the user tied them before."""
    with Session(engine) as session:
        return dict(session.execute(select(AreaMemory.text_key, AreaMemory.area_id)).all())


def measure_ids_of(engine_or_session: Engine | Session, keys: set[str]) -> dict[str, int]:
    if not keys:
        return {}
    query = select(Measure.key, Measure.id).where(Measure.key.in_(sorted(keys)))
    if isinstance(engine_or_session, Session):
        return dict(engine_or_session.execute(query).all())
    with Session(engine_or_session) as session:
        return dict(session.execute(query).all())
