"""The store as the resolver sees it: the measure catalogue, remembered mappings and the areas."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from monitoring.lbf import (
    MeasureInfo,
    match_key,  # cached
    synonym_texts,
)
from monitoring.lbf.labels import Matcher
from monitoring.models import (
    Area,
    Indicator,
    MappingMemory,
    Measure,
)
from monitoring.names import kommune_area_name
from monitoring.seed import MEASURES_FILE, SEED_DIR

KIND_ORDER = {"afdeling": 0, "boligomraade": 1, "benchmark": 2, "kommune": 3}


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


@dataclass
class StoreArea:
    id: int
    name: str
    kind: str
    code: str | None
    key: str
    parent_id: int | None


class StoreAreas:
    """The store's areas, indexed for matching names, numbers and kommuner."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(
            select(Area.id, Area.name, Area.kind, Area.code, Area.match_key, Area.parent_id)
        )
        self.by_id = {r.id: StoreArea(*r) for r in rows}
        self.by_key: dict[str, list[StoreArea]] = {}
        self.afdeling_by_code: dict[str, list[StoreArea]] = {}
        self.kommune_by_code: dict[str, StoreArea] = {}
        for area in self.by_id.values():
            self.by_key.setdefault(area.key, []).append(area)
            if area.kind == "afdeling" and area.code:
                self.afdeling_by_code.setdefault(area.code.lstrip("0"), []).append(area)
            if area.kind == "kommune" and area.code:
                self.kommune_by_code[area.code.lstrip("0")] = area

    def ancestors(self, area: StoreArea) -> set[int]:
        seen: set[int] = set()
        parent = area.parent_id
        while parent is not None and parent not in seen:
            seen.add(parent)
            parent = self.by_id[parent].parent_id if parent in self.by_id else None
        return seen

    def kommune(self, text: str | None, code: str | None) -> StoreArea | None:
        if code and code.lstrip("0") in self.kommune_by_code:
            return self.kommune_by_code[code.lstrip("0")]
        if text:
            for area in self.by_key.get(match_key(kommune_area_name(text)), []):
                if area.kind == "kommune":
                    return area
        return None

    def in_titles(self, lines: Sequence[str]) -> StoreArea | None:
        """The store area whose name appears in a title block (longest name wins, kommune last)."""
        haystack = " " + " ".join(match_key(line) for line in lines) + " "
        best: StoreArea | None = None
        for key, areas in self.by_key.items():
            if len(key) < 3 or f" {key} " not in haystack:
                continue
            for area in areas:
                if best is None or (
                    KIND_ORDER.get(area.kind, 9),
                    -len(area.key),
                ) < (KIND_ORDER.get(best.kind, 9), -len(best.key)):
                    best = area
        return best


def measure_ids_of(engine_or_session: Engine | Session, keys: set[str]) -> dict[str, int]:
    if not keys:
        return {}
    query = select(Measure.key, Measure.id).where(Measure.key.in_(sorted(keys)))
    if isinstance(engine_or_session, Session):
        return dict(engine_or_session.execute(query).all())
    with Session(engine_or_session) as session:
        return dict(session.execute(query).all())
