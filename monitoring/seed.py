"""Load the delaftaler transcribed in monitoring/data/seed/*.yaml into the store.

Loading is idempotent: a plan whose YAML has not changed since it was loaded is left alone; a changed
file replaces that plan's definition in one transaction. Baselines and comparator values with a year
also become observations (source "Delaftale"), unless the store already has a value for that cell;
the cells an earlier version of the file wrote follow the file's corrections.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from monitoring.errors import MonitorError
from monitoring.names import kommune_area_name, match_key
from monitoring.resources import DATA_DIR
from monitoring.store.db import transaction
from monitoring.store.models import (
    AREA_KINDS,
    UNITS,
    Agreement,
    Area,
    Comparator,
    ImportBatch,
    Indicator,
    Measure,
    Observation,
    Plan,
    PlanArea,
    Subgoal,
)

SEED_DIR = DATA_DIR / "seed"
MEASURES_FILE = "measures.yaml"
SEED_SOURCE = "Delaftale"


@dataclass
class SeedReport:
    """What a seed load did: plans loaded, plans unchanged, and cells it declined to overwrite."""

    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise MonitorError(f"Seed-filen {path.name} er ikke gyldig YAML: {exc}.") from exc
    if not isinstance(content, dict):
        raise MonitorError(f"Seed-filen {path.name} skal indeholde en YAML-ordbog.")
    return content


def _require(mapping: dict[str, Any], key: str, where: str) -> Any:
    if key not in mapping or mapping[key] in (None, ""):
        raise MonitorError(f"{where}: feltet '{key}' mangler.")
    return mapping[key]


def upsert_measure(session: Session, spec: dict[str, Any], where: str) -> Measure:
    """Create or update a measure by key."""
    key = _require(spec, "key", where)
    unit = _require(spec, "unit", where)
    if unit not in UNITS:
        raise MonitorError(f"{where}: enheden '{unit}' for målet '{key}' er ukendt.")
    measure = session.scalar(select(Measure).where(Measure.key == key))
    if measure is None:
        measure = Measure(key=key)
        session.add(measure)
    measure.name = _require(spec, "name", where)
    measure.unit = unit
    measure.population = spec.get("population")
    measure.direction = int(spec.get("direction") or 0)
    measure.is_lbf = bool(spec.get("lbf", True))
    return measure


def upsert_area(
    session: Session, name: str, kind: str, code: str | None = None, parent: Area | None = None
) -> Area:
    """Find an area by kind and name (as people type it), creating it when new."""
    if kind not in AREA_KINDS:
        raise MonitorError(f"Områdetypen '{kind}' er ukendt (brug {', '.join(AREA_KINDS)}).")
    key = match_key(name)
    area = session.scalar(select(Area).where(Area.kind == kind, Area.match_key == key))
    if area is None:
        area = Area(name=name, kind=kind, match_key=key)
        session.add(area)
    if code is not None:
        area.code = str(code)
    if parent is not None and area.parent_id is not None and area.parent_id != parent.id:
        raise MonitorError(
            f"Området '{name}' ({kind}) findes allerede under '{area.parent.name}', ikke under "
            f"'{parent.name}'. Giv områderne forskellige navne i seed-filerne, fx med kommunen."
        )
    if parent is not None:
        area.parent = parent
    session.flush()
    return area


def _as_date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise MonitorError(f"{where}: '{value}' er ikke en dato (ÅÅÅÅ-MM-DD).") from exc


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


class _PlanLoader:
    """Builds one plan from its YAML inside an open session."""

    def __init__(
        self, session: Session, content: dict[str, Any], file_name: str, kind: str = "seed"
    ) -> None:
        self.session = session
        self.kind = kind
        self.content = content
        self.where = file_name
        self.cells: dict[tuple[int, int, int], float] = {}
        self.conflicts: list[str] = []

    def _resolve_comparator_area(self, spec: Any, kommune: Area, where: str) -> Area:
        spec = spec or {"kind": "kommune"}
        if isinstance(spec, str):
            spec = {"kind": "benchmark", "name": spec}
        kind = spec.get("kind", "benchmark")
        if kind == "kommune" and not spec.get("name"):
            return kommune
        if kind == "kommune":
            return upsert_area(self.session, kommune_area_name(spec["name"]), "kommune")
        return upsert_area(self.session, _require(spec, "name", where), kind)

    def _note_cell(self, measure: Measure, area: Area, year: int | None, value: Any) -> None:
        if year is None or value is None:
            return
        key = (measure.id, area.id, int(year))
        previous = self.cells.get(key)
        if previous is not None and abs(previous - float(value)) > 1e-9:
            self.conflicts.append(
                f"{self.where}: {measure.key} for {area.name} {year} står både som "
                f"{previous:g} og {float(value):g}; den første bruges."
            )
            return
        self.cells[key] = float(value)

    def load(self) -> Plan:
        c = self.content
        slug = _require(c, "slug", self.where)
        kommune_spec = _require(c, "kommune", self.where)
        kommune = upsert_area(
            self.session,
            kommune_area_name(_require(kommune_spec, "name", self.where)),
            "kommune",
            code=str(_require(kommune_spec, "code", self.where)),
        )
        measures = {
            m["key"]: upsert_measure(self.session, {"lbf": False, **m}, self.where)
            for m in c.get("measures") or []
        }
        self.session.flush()
        areas_by_key: dict[str, Area] = {}
        plan_areas: list[Area] = []
        for spec in _require(c, "areas", self.where):
            parent = areas_by_key.get(match_key(spec["parent"])) if spec.get("parent") else None
            area = upsert_area(
                self.session,
                _require(spec, "name", self.where),
                _require(spec, "kind", self.where),
                code=spec.get("number") or spec.get("code"),
                parent=parent or (kommune if spec.get("kind") == "boligomraade" else None),
            )
            areas_by_key[match_key(area.name)] = area
            plan_areas.append(area)
        main_area = next((a for a in plan_areas if a.kind == "boligomraade"), plan_areas[0])
        plan = Plan(
            slug=slug,
            name=_require(c, "name", self.where),
            kommune=kommune,
            main_area=main_area,
            areas=[PlanArea(area=a, position=i) for i, a in enumerate(plan_areas)],
        )
        self.session.add(plan)
        spec = _require(c, "agreement", self.where)
        period = _require(spec, "period", self.where)
        agreement = Agreement(
            area_of_effort=_require(spec, "area_of_effort", self.where),
            period_start=_as_date(period.get("start"), self.where),
            period_end=_as_date(period.get("end"), self.where),
            parties=list(spec.get("parties") or []),
            activities=list(spec.get("activities") or []),
            staff_resources=spec.get("staff_resources"),
        )
        plan.agreements.append(agreement)
        for s_pos, sub in enumerate(_require(spec, "subgoals", self.where)):
            subgoal = Subgoal(position=s_pos, text=_require(sub, "text", self.where))
            agreement.subgoals.append(subgoal)
            for i_pos, ind in enumerate(_require(sub, "indicators", self.where)):
                where = f"{self.where}, delmål {s_pos + 1}, indikator {i_pos + 1}"
                subgoal.indicators.append(
                    self._indicator(ind, i_pos, measures, areas_by_key, main_area, kommune, where)
                )
        return plan

    def _indicator(
        self,
        ind: dict[str, Any],
        position: int,
        measures: dict[str, Measure],
        areas_by_key: dict[str, Area],
        main_area: Area,
        kommune: Area,
        where: str,
    ) -> Indicator:
        key = _require(ind, "measure", where)
        measure = measures.get(key) or self.session.scalar(
            select(Measure).where(Measure.key == key)
        )
        if measure is None:
            raise MonitorError(f"{where}: målet '{key}' er ikke defineret.")
        area = areas_by_key.get(match_key(ind["area"])) if ind.get("area") else main_area
        if area is None:
            raise MonitorError(f"{where}: området '{ind['area']}' står ikke under areas.")
        baseline = ind.get("baseline") or {}
        target = ind.get("target") or {}
        deadline = ind.get("deadline")
        indicator = Indicator(
            position=position,
            name=_require(ind, "name", where),
            measure=measure,
            area=area,
            unit=ind.get("unit") or measure.unit,
            direction=int(ind.get("direction", measure.direction) or 0),
            baseline_value=_float(baseline.get("value")),
            baseline_year=baseline.get("year"),
            baseline_note=baseline.get("note"),
            baseline_as_written=baseline.get("as_written"),
            target_value=_float(target.get("value")),
            target_year=target.get("year"),
            target_note=target.get("note"),
            deadline=_as_date(deadline, where) if deadline else None,
            source=ind.get("source"),
        )
        self._note_cell(measure, area, indicator.baseline_year, indicator.baseline_value)
        for c_pos, comp in enumerate(ind.get("comparators") or []):
            comp_area = self._resolve_comparator_area(comp.get("area"), kommune, where)
            year = comp.get("year", indicator.baseline_year)
            indicator.comparators.append(
                Comparator(
                    position=c_pos,
                    label=_require(comp, "label", where),
                    area=comp_area,
                    baseline_value=_float(comp.get("value")),
                    baseline_year=year,
                    as_written=comp.get("as_written"),
                )
            )
            self._note_cell(measure, comp_area, year, comp.get("value"))
        return indicator

    def write_observations(self, batch: ImportBatch) -> None:
        """Baseline cells become observations unless the store already holds that cell.

        Cells an earlier load of this file wrote are brought in line with the file as it is now:
        a corrected value replaces the old one, a cell the file no longer states (a borrowed year,
        another measure) is removed. Cells anyone else wrote are left alone.
        """
        earlier = self.session.scalars(
            select(Observation)
            .join(ImportBatch, Observation.batch_id == ImportBatch.id)
            .where(
                ImportBatch.kind == self.kind,
                ImportBatch.file_name == self.where,
                Observation.source == SEED_SOURCE,
            )
        )
        for obs in earlier:
            value = self.cells.get((obs.measure_id, obs.area_id, obs.year))
            if value is None:
                self.session.delete(obs)
            elif obs.value != value or obs.state != "ok":
                obs.value, obs.state, obs.batch_id = value, "ok", batch.id
        self.session.flush()
        for (measure_id, area_id, year), value in self.cells.items():
            exists = self.session.scalar(
                select(Observation.id).where(
                    Observation.measure_id == measure_id,
                    Observation.area_id == area_id,
                    Observation.year == year,
                )
            )
            if exists is None:
                self.session.add(
                    Observation(
                        measure_id=measure_id,
                        area_id=area_id,
                        year=year,
                        value=value,
                        state="ok",
                        source=SEED_SOURCE,
                        batch_id=batch.id,
                    )
                )
        batch.rows_accepted = len(self.cells)


def seed_files(seed_dir: Path = SEED_DIR) -> list[Path]:
    return sorted(p for p in seed_dir.glob("*.yaml") if p.name != MEASURES_FILE)


def load_seed(engine: Engine, seed_dir: Path = SEED_DIR, user: str = "init") -> SeedReport:
    """Load every delaftale in seed_dir; unchanged files are skipped, each plan is one transaction."""
    report = SeedReport()
    measures_path = seed_dir / MEASURES_FILE
    shared = _read_yaml(measures_path).get("measures", []) if measures_path.exists() else []
    shared_bytes = measures_path.read_bytes() if measures_path.exists() else b""
    for path in seed_files(seed_dir):
        raw = path.read_bytes()
        sha = hashlib.sha256(shared_bytes + raw).hexdigest()
        content = _read_yaml(path)
        slug = _require(content, "slug", path.name)
        with Session(engine) as session:
            loaded_sha = session.scalar(select(Plan.seed_sha256).where(Plan.slug == slug))
        if loaded_sha == sha:
            report.unchanged.append(slug)
            continue
        with transaction(engine, user=user, action="seed") as tx:
            for spec in shared:
                upsert_measure(tx.session, spec, measures_path.name)
            _plan, replaced, conflicts = write_plan(tx.session, content, path.name, sha, user)
            tx.audit(
                entity="plan",
                entity_id=slug,
                before={"seed_sha256": loaded_sha} if replaced else None,
                after={"seed_sha256": sha},
            )
            report.loaded.append(slug)
            report.conflicts.extend(conflicts)
    return report


def write_plan(
    session: Session,
    content: dict[str, Any],
    file_name: str,
    sha: str,
    user: str,
    kind: str = "seed",
) -> tuple[Plan, bool, list[str]]:
    """Write one plan in the seed format, replacing the plan with its slug; baselines become
    observations in a batch of `kind`. Returns the plan, whether one was replaced, and conflicts.

    Shared by `load_seed` and the delaftale import (monitoring.delaftale.store)."""
    slug = _require(content, "slug", file_name)
    existing = session.scalar(select(Plan).where(Plan.slug == slug))
    if existing is not None:
        session.delete(existing)
        session.flush()
    loader = _PlanLoader(session, content, file_name, kind)
    plan = loader.load()
    plan.seed_sha256 = sha
    batch = ImportBatch(kind=kind, file_name=file_name, sha256=sha, user=user)
    session.add(batch)
    session.flush()
    loader.write_observations(batch)
    return plan, existing is not None, loader.conflicts
