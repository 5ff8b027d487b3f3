"""Comparing areas for the koordinationsudvalg: rankings, indexed series, heat tables, alerts.

Two kinds of functions live here:

- a few *loaders* that read one measure (or the last years of every measure) for a filtered set of
  areas with set-based SQL: one statement each, filters applied in the database, never "load the
  whole observation table and filter in pandas";
- *pure pandas functions* (no database, no Streamlit) that rank, index, tabulate and flag.

Conventions shared by all of them:

- a value counts only when its state is ``ok`` and it is not NULL; suppressed, missing and
  qualitative cells stay empty (NaN), never zero;
- change is in percentage points for ``pct`` measures and in relative % for ``count`` and ``dkk``;
- *improvement* is change × direction, so "bedst" is the largest improvement whatever the
  direction; a measure with direction 0 (open) is ranked highest first and never alerts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, and_, func, literal, or_, select
from sqlalchemy.sql import ColumnElement

from monitoring.access.actor import Actor
from monitoring.access.checks import in_scope, require_comparison_visible, visible_areas
from monitoring.errors import MonitorError
from monitoring.names import kommune_area_name, match_key
from monitoring.store.models import (
    AREA_KINDS,
    Agreement,
    Area,
    Comparator,
    Indicator,
    Measure,
    Observation,
    Plan,
    PlanArea,
    Subgoal,
)

SUBJECT_KINDS: tuple[str, ...] = ("afdeling", "boligomraade")
REFERENCE_KINDS: tuple[str, ...] = ("kommune", "benchmark")
MAX_REFERENCES = 4
MAX_TREE_DEPTH = 8
DECIMALS = 9
OBSERVATION_COLUMNS = ["area_id", "area", "kind", "kommune", "year", "value", "state"]


# --------------------------------------------------------------------------------------------
# Filters and loaders (SQL)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaFilter:
    """Which areas to compare.

    kommune: a kommune's name ("Horsens", "Horsens Kommune") or kode ("615"); areas below it.
    plan: a helhedsplan's slug; its areas (PlanArea rows) and their children.
    kinds: area kinds to include (default afdelinger and boligområder).
    search: free text matched against area names as people type them (æøå, case, accents).
    area_id: one area only (whatever its kind); the other filters still narrow it.
    """

    kommune: str | None = None
    plan: str | None = None
    kinds: tuple[str, ...] = SUBJECT_KINDS
    search: str | None = None
    area_id: int | None = None


@dataclass
class Comparison:
    """One measure's observations for the filtered areas, plus the reference areas' series.

    observations/references: long frames with OBSERVATION_COLUMNS plus `label` (a unique display
    name per area). `value` is NaN unless the state is ``ok``.
    """

    measure: dict[str, Any]
    observations: pd.DataFrame
    references: pd.DataFrame
    reference_kommune: str | None = None
    years: list[int] = field(default_factory=list)


def kommune_tree() -> Any:
    """A recursive CTE (area_id, kommune_id): every area with the kommune above it (or itself)."""
    area = Area.__table__
    child = area.alias("child")
    base = (
        select(
            area.c.id.label("area_id"),
            area.c.id.label("kommune_id"),
            literal(0).label("depth"),
        )
        .where(area.c.kind == "kommune")
        .cte("kommune_tree", recursive=True)
    )
    return base.union_all(
        select(child.c.id, base.c.kommune_id, base.c.depth + 1).where(
            child.c.parent_id == base.c.area_id, base.c.depth < MAX_TREE_DEPTH
        )
    )


def resolve_kommune(engine: Engine, kommune: str) -> tuple[int, str]:
    """(id, name) of a kommune given as name or kode; a Danish sentence when it is unknown."""
    text = kommune.strip()
    keys = {match_key(text), match_key(kommune_area_name(text))}
    with engine.connect() as conn:
        row = conn.execute(
            select(Area.id, Area.name)
            .where(Area.kind == "kommune")
            .where(or_(Area.match_key.in_(keys), Area.code == text))
            .order_by(Area.id)
        ).first()
        if row is None:
            known = conn.scalars(
                select(Area.name).where(Area.kind == "kommune").order_by(Area.name).limit(8)
            ).all()
    if row is None:
        hint = f" Kendte kommuner er fx {', '.join(known)}." if known else ""
        raise MonitorError(f"Kommunen '{kommune}' findes ikke i databasen.{hint}")
    return int(row.id), str(row.name)


def _plan_row(engine: Engine, slug: str) -> tuple[int, int]:
    """(plan id, kommune area id) of a plan slug; a Danish sentence when it is unknown."""
    with engine.connect() as conn:
        row = conn.execute(select(Plan.id, Plan.kommune_id).where(Plan.slug == slug)).first()
    if row is None:
        raise MonitorError(
            f"Helhedsplanen '{slug}' findes ikke. Se 'python -m monitoring show' for planernes navne."
        )
    return int(row.id), int(row.kommune_id)


def plan_area_ids(plan_id: int) -> Any:
    """SELECT of the area ids a plan covers: its PlanArea rows and their children."""
    direct = select(PlanArea.area_id).where(PlanArea.plan_id == plan_id)
    children = select(Area.id).where(Area.parent_id.in_(direct))
    return direct.union(children)


def measure_row(engine: Engine, key: str) -> dict[str, Any]:
    """A measure as a dict (id, key, name, unit, population, direction)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(
                Measure.id,
                Measure.key,
                Measure.name,
                Measure.unit,
                Measure.population,
                Measure.direction,
            ).where(Measure.key == key)
        ).first()
    if row is None:
        raise MonitorError(
            f"Målet '{key}' findes ikke. Se listen over mål på siden Sammenlign områder "
            "eller i 'python -m monitoring show --json'."
        )
    return dict(row._mapping)


def measures_with_observations(engine: Engine) -> pd.DataFrame:
    """Measures that have at least one value (milestones left out), ordered by name.

    Columns: key, name, unit, direction, population, first_year, last_year (with a value),
    areas_last_year (cells in the last year) and label (the name; with the key when two measures
    share a name). A few index lookups per measure, no scan of the observation table.

    Unscoped on purpose (no `actor`): it names the measures of the shared LBF catalogue and counts
    cells, never a value, an area or a plan, so every user's comparison page offers the same
    measures; the figures come from `load_comparison`, which checks the actor's scope.
    """
    valid = and_(Observation.state == "ok", Observation.value.is_not(None))
    first = (
        select(func.min(Observation.year))
        .where(Observation.measure_id == Measure.id, valid)
        .scalar_subquery()
    )
    last = (
        select(func.max(Observation.year))
        .where(Observation.measure_id == Measure.id, valid)
        .scalar_subquery()
    )
    years = (
        select(
            Measure.id,
            Measure.key,
            Measure.name,
            Measure.unit,
            Measure.direction,
            Measure.population,
            first.label("first_year"),
            last.label("last_year"),
        )
        .where(Measure.unit != "status")
        .subquery()
    )
    in_last_year = (
        select(func.count())
        .where(Observation.measure_id == years.c.id, Observation.year == years.c.last_year)
        .scalar_subquery()
    )
    stmt = select(
        years.c.key,
        years.c.name,
        years.c.unit,
        years.c.direction,
        years.c.population,
        years.c.first_year,
        years.c.last_year,
        in_last_year.label("areas_last_year"),
    ).order_by(years.c.name, years.c.key)
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(stmt).all(), columns=list(stmt.selected_columns.keys()))
    frame = frame[frame["last_year"].notna()].reset_index(drop=True)
    repeated = frame["name"].duplicated(keep=False)
    frame["label"] = frame["name"].where(~repeated, frame["name"] + " (" + frame["key"] + ")")
    return frame


def filter_options(engine: Engine, *, actor: Actor | str) -> dict[str, list[dict[str, Any]]]:
    """What the filters offer: kommuner (name, code) and the plans `actor` may see (slug, name)."""
    with engine.connect() as conn:
        kommuner = conn.execute(
            select(Area.name, Area.code).where(Area.kind == "kommune").order_by(Area.name)
        ).all()
        plans = conn.execute(select(Plan.slug, Plan.name).order_by(Plan.name)).all()
    return {
        "kommuner": [dict(r._mapping) for r in kommuner],
        "plans": in_scope(engine, actor, [dict(r._mapping) for r in plans]),
    }


def load_areas(engine: Engine, *, actor: Actor | str) -> pd.DataFrame:
    """The areas the actor may pick (the upload page's area choices): area_id, area, kind, kommune.

    An administrator gets every area; anyone else the areas of the plans it may see (their places
    and what lies under them, the areas their delaftaler name, their kommuner) and the national
    benchmarks: an area outside them is skipped by an import anyway, and the list would otherwise
    name the areas other plans' imports created.
    """
    areas = area_names(engine)
    shown = visible_areas(engine, actor)
    if shown is None:
        return areas
    keep = areas["area_id"].isin(list(shown)) | (areas["kind"] == "benchmark")
    return areas[keep].reset_index(drop=True)


def area_names(engine: Engine) -> pd.DataFrame:
    """Every area with its kind and the kommune above it: area_id, area, kind, kommune.

    Not a listing for people: the loaders below name the rows their scoped statements chose from
    it (they fetch only ids and numbers). Small (one row per area) and read in one statement.
    """
    tree = kommune_tree()
    area = Area.__table__.alias("a")
    kommune = Area.__table__.alias("k")
    stmt = (
        select(area.c.id, area.c.name, area.c.kind, kommune.c.name)
        .select_from(area)
        .outerjoin(tree, tree.c.area_id == area.c.id)
        .outerjoin(kommune, kommune.c.id == tree.c.kommune_id)
    )
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    frame = pd.DataFrame.from_records(rows, columns=["area_id", "area", "kind", "kommune"])
    return frame.drop_duplicates("area_id").reset_index(drop=True)


def _in_kommune(area: Any, kommune_id: int, tree: Any = None) -> ColumnElement[bool]:
    """`area` lies below the kommune (or is it); pass `tree` when the statement already has one."""
    tree = tree if tree is not None else kommune_tree()
    return area.c.id.in_(select(tree.c.area_id).where(tree.c.kommune_id == kommune_id))


def area_conditions(
    engine: Engine, filters: AreaFilter, area: Any
) -> tuple[list[ColumnElement[bool]], int | None]:
    """WHERE conditions on `area` for the filters, and the reference kommune's id (if any)."""
    unknown = [k for k in filters.kinds if k not in AREA_KINDS]
    if unknown:
        raise MonitorError(f"Områdetypen '{unknown[0]}' er ukendt (brug {', '.join(AREA_KINDS)}).")
    conditions: list[ColumnElement[bool]] = []
    reference_kommune: int | None = None
    if filters.area_id is not None:
        conditions.append(area.c.id == int(filters.area_id))
    elif filters.kinds:
        conditions.append(area.c.kind.in_(list(filters.kinds)))
    if filters.kommune:
        kommune_id, _ = resolve_kommune(engine, filters.kommune)
        conditions.append(_in_kommune(area, kommune_id))
        reference_kommune = kommune_id
    if filters.plan:
        plan_id, plan_kommune = _plan_row(engine, filters.plan)
        conditions.append(area.c.id.in_(plan_area_ids(plan_id)))
        reference_kommune = reference_kommune or plan_kommune
    if filters.search and match_key(filters.search):
        conditions.append(area.c.match_key.contains(match_key(filters.search), autoescape=True))
    return conditions, reference_kommune


OBSERVATION_QUERY_COLUMNS = ["area_id", "year", "value", "state"]


def records(rows: Sequence[Any], columns: list[str]) -> pd.DataFrame:
    """A frame from result rows; plain tuples first (from_records on Row objects is ~7× slower)."""
    return pd.DataFrame([tuple(row) for row in rows], columns=columns)


def _observations(rows: Sequence[Any], areas: pd.DataFrame) -> pd.DataFrame:
    """Observation rows (area_id, year, value, state) with names from `areas`; value NaN unless ok."""
    frame = records(rows, OBSERVATION_QUERY_COLUMNS)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    frame.loc[frame["state"] != "ok", "value"] = np.nan
    frame["year"] = frame["year"].astype("int64")
    frame = frame.merge(areas, on="area_id", how="left")
    return frame[OBSERVATION_COLUMNS]


def load_comparison(
    engine: Engine,
    measure_key: str,
    filters: AreaFilter | None = None,
    years: tuple[int, int] | None = None,
    *,
    actor: Actor | str,
) -> Comparison:
    """One measure's observations for the filtered areas (one SQL statement) and the references.

    The reference kommune is the filter's kommune, else the plan's kommune, else the kommune all
    shown areas share. Reference benchmarks are benchmark areas with values for the measure that
    belong to that kommune, that a plan in that kommune compares with, or that no plan uses as a
    comparator (national figures such as "Hele landet"). A comparison outside `actor`'s plans and
    kommuner is refused (and recorded).
    """
    filters = filters or AreaFilter()
    require_comparison_visible(engine, actor, filters.kommune, filters.plan)
    measure = measure_row(engine, measure_key)
    area = Area.__table__.alias("a")
    obs = Observation.__table__
    conditions, reference_kommune = area_conditions(engine, filters, area)
    year_conditions: list[ColumnElement[bool]] = []
    if years:
        year_conditions = [obs.c.year >= int(years[0]), obs.c.year <= int(years[1])]
    stmt = (
        select(obs.c.area_id, obs.c.year, obs.c.value, obs.c.state)
        .select_from(obs)
        .join(area, area.c.id == obs.c.area_id)
        .where(obs.c.measure_id == measure["id"], *year_conditions, *conditions)
        .order_by(obs.c.area_id, obs.c.year)
    )
    areas = area_names(engine)
    with engine.connect() as conn:
        observations = _observations(conn.execute(stmt).all(), areas)
    shown_kommuner: list[int] = []
    if reference_kommune is None and len(observations):
        names = observations["kommune"].dropna().unique()
        if len(names) == 1:
            reference_kommune, _ = resolve_kommune(engine, str(names[0]))
        else:  # Kommune = Alle: every shown area's kommune is a reference line of its own
            kommune_rows = areas[(areas["kind"] == "kommune") & areas["area"].isin(names)]
            shown_kommuner = [int(i) for i in kommune_rows["area_id"]]
    references = _load_references(
        engine, measure["id"], reference_kommune, year_conditions, areas, shown_kommuner
    )
    observations = with_labels(observations)
    references = with_labels(references)
    all_years = sorted(set(observations["year"]).union(references["year"]))
    kommune_name = None
    if reference_kommune is not None:
        kommune_name = areas.loc[areas["area_id"] == reference_kommune, "area"].iloc[0]
    return Comparison(
        measure=measure,
        observations=observations,
        references=references,
        reference_kommune=kommune_name,
        years=[int(y) for y in all_years],
    )


def _load_references(
    engine: Engine,
    measure_id: int,
    kommune_id: int | None,
    year_conditions: list[ColumnElement[bool]],
    areas: pd.DataFrame,
    other_kommuner: list[int] | None = None,
) -> pd.DataFrame:
    """The reference kommune's and the fitting benchmarks' series for one measure; with
    `other_kommuner` (areas of several kommuner shown) those kommuner's own series too."""
    area = Area.__table__.alias("a")
    obs = Observation.__table__
    tree = kommune_tree()
    used_by_plan = (
        select(Comparator.area_id)
        .join(Indicator, Indicator.id == Comparator.indicator_id)
        .join(Subgoal, Subgoal.id == Indicator.subgoal_id)
        .join(Agreement, Agreement.id == Subgoal.agreement_id)
        .join(Plan, Plan.id == Agreement.plan_id)
    )
    national = and_(
        area.c.kind == "benchmark",
        area.c.id.not_in(select(tree.c.area_id)),
        area.c.id.not_in(used_by_plan),
    )
    wanted: list[ColumnElement[bool]] = [national]
    if kommune_id is not None:
        wanted.append(and_(area.c.kind == "kommune", area.c.id == kommune_id))
        wanted.append(and_(area.c.kind == "benchmark", _in_kommune(area, kommune_id, tree)))
        wanted.append(
            and_(
                area.c.kind == "benchmark",
                area.c.id.in_(used_by_plan.where(Plan.kommune_id == kommune_id)),
            )
        )
    kommuner = [k for k in other_kommuner or [] if k is not None]
    if kommuner:
        wanted.append(and_(area.c.kind == "kommune", area.c.id.in_(kommuner)))
    stmt = (
        select(obs.c.area_id, obs.c.year, obs.c.value, obs.c.state)
        .select_from(obs)
        .join(area, area.c.id == obs.c.area_id)
        .where(obs.c.measure_id == measure_id, area.c.kind.in_(REFERENCE_KINDS), or_(*wanted))
        .where(*year_conditions)
        .order_by(area.c.kind.desc(), obs.c.area_id, obs.c.year)
    )
    with engine.connect() as conn:
        frame = _observations(conn.execute(stmt).all(), areas)
    keep = frame.drop_duplicates("area_id")["area_id"].head(MAX_REFERENCES + len(kommuner))
    return frame[frame["area_id"].isin(keep)].reset_index(drop=True)


def with_labels(observations: pd.DataFrame) -> pd.DataFrame:
    """Add `label`: the area's name, made unique with its kommune (then its id) where names repeat."""
    frame = observations.copy()
    if frame.empty:
        frame["label"] = pd.Series(dtype="object")
        return frame
    areas = frame.drop_duplicates("area_id")[["area_id", "area", "kommune"]].copy()
    label = areas["area"].astype(str)
    repeated = label.duplicated(keep=False)
    with_kommune = label + " (" + areas["kommune"].fillna("uden kommune").astype(str) + ")"
    label = label.where(~repeated, with_kommune)
    repeated = label.duplicated(keep=False)
    label = label.where(~repeated, label + " #" + areas["area_id"].astype(str))
    frame["label"] = frame["area_id"].map(dict(zip(areas["area_id"], label, strict=True)))
    return frame
