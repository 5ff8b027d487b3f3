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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import numpy as np
import pandas as pd
from sqlalchemy import Engine, and_, case, func, literal, or_, select
from sqlalchemy.sql import ColumnElement

from monitoring.errors import MonitorError
from monitoring.fmt import MISSING_TEXT, format_value
from monitoring.models import (
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
from monitoring.names import kommune_area_name, match_key
from monitoring.views import AREA_KIND_NAMES, UNIT_NAMES

SUBJECT_KINDS: tuple[str, ...] = ("afdeling", "boligomraade")
REFERENCE_KINDS: tuple[str, ...] = ("kommune", "benchmark")
MAX_REFERENCES = 4
MAX_TREE_DEPTH = 8
_DECIMALS = 9
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


def filter_options(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """What the filters offer: kommuner (name, code) and plans (slug, name)."""
    with engine.connect() as conn:
        kommuner = conn.execute(
            select(Area.name, Area.code).where(Area.kind == "kommune").order_by(Area.name)
        ).all()
        plans = conn.execute(select(Plan.slug, Plan.name).order_by(Plan.name)).all()
    return {
        "kommuner": [dict(r._mapping) for r in kommuner],
        "plans": [dict(r._mapping) for r in plans],
    }


def load_areas(engine: Engine) -> pd.DataFrame:
    """Every area with its kind and the kommune above it: area_id, area, kind, kommune.

    Small (one row per area) and read in one statement; the loaders below fetch only ids and
    numbers for the observations and take names from here.
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


def _area_conditions(
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
) -> Comparison:
    """One measure's observations for the filtered areas (one SQL statement) and the references.

    The reference kommune is the filter's kommune, else the plan's kommune, else the kommune all
    shown areas share. Reference benchmarks are benchmark areas with values for the measure that
    belong to that kommune, that a plan in that kommune compares with, or that no plan uses as a
    comparator (national figures such as "Hele landet").
    """
    filters = filters or AreaFilter()
    measure = measure_row(engine, measure_key)
    area = Area.__table__.alias("a")
    obs = Observation.__table__
    conditions, reference_kommune = _area_conditions(engine, filters, area)
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
    areas = load_areas(engine)
    with engine.connect() as conn:
        observations = _observations(conn.execute(stmt).all(), areas)
    if reference_kommune is None and len(observations):
        names = observations["kommune"].dropna().unique()
        if len(names) == 1:
            reference_kommune, _ = resolve_kommune(engine, str(names[0]))
    references = _load_references(engine, measure["id"], reference_kommune, year_conditions, areas)
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
) -> pd.DataFrame:
    """The reference kommune's and the fitting benchmarks' series for one measure."""
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
    keep = frame.drop_duplicates("area_id")["area_id"].head(MAX_REFERENCES)
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


# --------------------------------------------------------------------------------------------
# Pure calculations
# --------------------------------------------------------------------------------------------


def valid_values(observations: pd.DataFrame) -> pd.DataFrame:
    """Only rows with a usable value (state ok, value present)."""
    if observations.empty:
        return observations
    return observations[(observations["state"] == "ok") & observations["value"].notna()]


def latest_year(observations: pd.DataFrame) -> int | None:
    """The latest year with any usable value, or None."""
    valid = valid_values(observations)
    return int(valid["year"].max()) if len(valid) else None


def rank_areas(observations: pd.DataFrame, year: int, direction: int) -> pd.DataFrame:
    """The areas for one year, best first whatever the direction.

    Returns one row per area with columns rank (1 = bedst; ties share a rank), area_id, label,
    area, kind, kommune, value, state. Areas without a usable value that year (suppressed,
    missing) come last with rank NaN and value NaN. Direction 0 ranks the highest value first.
    """
    columns = ["rank", "area_id", "label", "area", "kind", "kommune", "value", "state"]
    if observations.empty:
        return pd.DataFrame(columns=columns)
    rows = observations[observations["year"] == year]
    areas = observations.drop_duplicates("area_id")[["area_id", "label", "area", "kind", "kommune"]]
    merged = areas.merge(rows[["area_id", "value", "state"]], on="area_id", how="left")
    merged["state"] = merged["state"].fillna("missing")
    merged.loc[merged["state"] != "ok", "value"] = np.nan
    ascending = direction == -1
    merged["rank"] = merged["value"].rank(method="min", ascending=ascending)
    merged = merged.sort_values(
        ["rank", "label"], ascending=[True, True], na_position="last", kind="mergesort"
    )
    return merged[columns].reset_index(drop=True)


def top_bottom(ranking: pd.DataFrame, n: int) -> tuple[pd.DataFrame, int]:
    """The best n and the worst n ranked areas (all of them when there are at most 2n).

    Returns (rows with a `group` column "Top"/"Bund", number of ranked areas left out between them).
    Unranked areas (no value) are never part of the selection.
    """
    ranked = ranking[ranking["rank"].notna()]
    if n <= 0 or len(ranked) <= 2 * n:
        return ranked.assign(group="Alle"), 0
    top = ranked.head(n).assign(group="Top")
    bottom = ranked.tail(n).assign(group="Bund")
    return pd.concat([top, bottom], ignore_index=True), len(ranked) - 2 * n


def reference_values(references: pd.DataFrame, year: int) -> pd.DataFrame:
    """The references' usable values for one year: label, kind, value (kommune first)."""
    if references.empty:
        return pd.DataFrame(columns=["label", "kind", "value"])
    rows = valid_values(references)
    rows = rows[rows["year"] == year]
    order = {"kommune": 0, "benchmark": 1}
    rows = rows.assign(_order=rows["kind"].map(order)).sort_values(["_order", "label"])
    return rows[["label", "kind", "value"]].reset_index(drop=True)


def index_to_first_year(observations: pd.DataFrame) -> pd.DataFrame:
    """Each area's series as an index with its own first usable year = 100.

    The base is the first year with state ok, a value, and a value other than 0; a suppressed or
    missing first year is skipped, never used as base. Adds columns base_year, base_value and
    index (NaN where the value is missing or the area has no usable base).
    """
    frame = observations.copy()
    valid = valid_values(frame)
    valid = valid[valid["value"] != 0].sort_values(["area_id", "year"])
    bases = valid.drop_duplicates("area_id")[["area_id", "year", "value"]].rename(
        columns={"year": "base_year", "value": "base_value"}
    )
    frame = frame.merge(bases, on="area_id", how="left")
    usable = (frame["state"] == "ok") & frame["value"].notna()
    frame["index"] = np.where(usable, frame["value"] / frame["base_value"] * 100.0, np.nan)
    frame.loc[frame["year"] < frame["base_year"], "index"] = np.nan
    return frame


def change(later: Any, earlier: Any, unit: str) -> Any:
    """Change from `earlier` to `later`: percentage points for pct, relative % otherwise.

    Works on scalars and arrays; NaN where either side is missing or a relative base is 0.
    """
    later = np.asarray(later, dtype="float64")
    earlier = np.asarray(earlier, dtype="float64")
    if unit == "pct":
        result = later - earlier
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            result = np.where(earlier != 0, (later - earlier) / np.abs(earlier) * 100.0, np.nan)
    result = np.round(result, _DECIMALS)
    return float(result) if result.ndim == 0 else result


def change_word(unit: str) -> str:
    """How a change is measured, in Danish: "procentpoint" or "%" (relative)."""
    return "procentpoint" if unit == "pct" else "%"


@dataclass
class HeatTable:
    """Areas × years: `values` (numbers, NaN when missing), `improvement` (direction-aware change
    since the year before, NaN when either year lacks a value) and `levels` (-2..2 colour level)."""

    values: pd.DataFrame
    improvement: pd.DataFrame
    levels: pd.DataFrame
    unit: str


HEAT_BANDS = {"pct": (0.5, 2.0), "relative": (2.5, 10.0)}


def heat_table(
    observations: pd.DataFrame,
    unit: str,
    direction: int,
    years: Iterable[int] | None = None,
    order: Sequence[int] | None = None,
) -> HeatTable:
    """A heat table of areas (rows, by label) × years (columns).

    Colour levels: 0 when the change is below the neutral band (or direction is 0, or unknown),
    ±1 for a modest and ±2 for a large improvement (+) or worsening (−); bands in HEAT_BANDS
    (percentage points for pct, relative % otherwise). `order`: area ids in row order (e.g. the
    ranking); default by label.
    """
    years = sorted(int(y) for y in (years if years is not None else observations["year"].unique()))
    if observations.empty:
        empty = pd.DataFrame(columns=years, dtype="float64")
        return HeatTable(empty, empty.copy(), empty.copy(), unit)
    frame = observations.copy()
    frame.loc[frame["state"] != "ok", "value"] = np.nan
    wide = frame.pivot_table(
        index="area_id", columns="year", values="value", aggfunc="first", dropna=False
    )
    wide = wide.reindex(columns=years)
    labels = frame.drop_duplicates("area_id").set_index("area_id")["label"]
    row_order = list(order) if order is not None else list(labels.sort_values().index)
    row_order = [a for a in row_order if a in wide.index] + [
        a for a in wide.index if a not in set(row_order)
    ]
    wide = wide.reindex(row_order)
    previous = wide.shift(1, axis=1)
    # A year's change needs the calendar year just before it in the table.
    consecutive = pd.Series(years, index=years).diff().eq(1).to_numpy()
    changed = pd.DataFrame(
        change(wide.to_numpy(), previous.to_numpy(), unit), index=wide.index, columns=years
    )
    changed.loc[:, ~consecutive] = np.nan
    improvement = changed * (direction if direction else np.nan)
    light, strong = HEAT_BANDS["pct" if unit == "pct" else "relative"]
    magnitude = improvement.abs()
    levels = np.sign(improvement) * np.where(
        magnitude >= strong, 2, np.where(magnitude >= light, 1, 0)
    )
    levels = pd.DataFrame(levels, index=wide.index, columns=years).fillna(0).astype(int)
    names = labels.reindex(wide.index).to_numpy()
    for table in (wide, improvement, levels):
        table.index = pd.Index(names, name="Område")
    wide.columns = improvement.columns = levels.columns = years
    return HeatTable(wide, improvement, levels, unit)


def heat_export(table: HeatTable, observations: pd.DataFrame) -> pd.DataFrame:
    """The heat table as an export frame: Område, Kommune, one numeric column per year."""
    kommuner = observations.drop_duplicates("label").set_index("label")["kommune"]
    frame = table.values.copy()
    frame.columns = [str(c) for c in frame.columns]
    frame.insert(0, "Kommune", kommuner.reindex(frame.index).to_numpy())
    return frame.reset_index()


def series_export(observations: pd.DataFrame, unit: str, indexed: bool = False) -> pd.DataFrame:
    """Long export of the series shown: Område, Kommune, Type, År, Værdi (and Indeks)."""
    frame = index_to_first_year(observations) if indexed else observations.copy()
    out = pd.DataFrame(
        {
            "Område": frame["label"],
            "Kommune": frame["kommune"],
            "Type": frame["kind"],
            "År": frame["year"].astype("int64"),
            "Værdi": frame["value"].astype("float64"),
            "Enhed": unit,
            "Tilstand": frame["state"],
        }
    )
    if indexed:
        out["Indeks (første år = 100)"] = frame["index"].round(2)
        out["Indeksår"] = frame["base_year"]
    return out.sort_values(["Område", "År"]).reset_index(drop=True)


def ranking_export(ranking: pd.DataFrame, unit: str, year: int) -> pd.DataFrame:
    """The ranking as an export frame with real numbers."""
    return pd.DataFrame(
        {
            "Placering": ranking["rank"].astype("Float64"),
            "Område": ranking["label"],
            "Type": ranking["kind"],
            "Kommune": ranking["kommune"],
            "År": year,
            "Værdi": ranking["value"].astype("float64"),
            "Enhed": unit,
            "Tilstand": ranking["state"],
        }
    )


# --------------------------------------------------------------------------------------------
# Negative development (alerts)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    """How large a worsening must be to alert (strictly larger than the threshold).

    pct_points_*: for pct measures, in percentage points; relative_pct_*: for count and dkk
    measures, in percent of the earlier value. *_1y: last year; *_3y: last three years.
    """

    pct_points_1y: float = 2.0
    pct_points_3y: float = 4.0
    relative_pct_1y: float = 10.0
    relative_pct_3y: float = 20.0

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if value is None or not np.isfinite(value) or value < 0:
                raise MonitorError(
                    f"Tærsklen {name} skal være et tal på 0 eller mere (fik {value})."
                )

    def for_unit(self, unit: str) -> tuple[float, float]:
        if unit == "pct":
            return self.pct_points_1y, self.pct_points_3y
        return self.relative_pct_1y, self.relative_pct_3y


ALERT_INPUT_COLUMNS = [
    "measure",
    "measure_name",
    "unit",
    "direction",
    "area_id",
    "area",
    "kind",
    "kommune",
    "year",
    "value",
    "value_1y",
    "value_3y",
]


def load_alert_inputs(
    engine: Engine,
    filters: AreaFilter | None = None,
    measure_key: str | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """Per measure × area: the value in the alert year, one year and three years before.

    The alert year is `year`, else each measure's latest year with a value. Only measures with a
    direction (±1) and a numeric unit. One statement: the alert years are computed once per
    measure (a materialised CTE), the three years are picked with conditional aggregation, so only
    one row of ids and numbers per measure × area leaves the database; names come from
    `load_areas`.
    """
    filters = filters or AreaFilter()
    measure_conditions: list[ColumnElement[bool]] = [
        Measure.unit != "status",
        Measure.direction != 0,
    ]
    if measure_key:
        measure_conditions.append(Measure.id == measure_row(engine, measure_key)["id"])
    obs = Observation.__table__
    inner = obs.alias("latest_obs")
    if year is None:
        alert_year: Any = (
            select(func.max(inner.c.year))
            .where(
                inner.c.measure_id == Measure.id,
                inner.c.state == "ok",
                inner.c.value.is_not(None),
            )
            .scalar_subquery()
        )
    else:
        alert_year = literal(int(year))
    latest = (
        select(Measure.id.label("measure_id"), alert_year.label("year"))
        .where(*measure_conditions)
        .cte("alert_year")
        # Computed once (one index lookup per measure), not re-evaluated for every observation.
        .prefix_with("MATERIALIZED")
    )
    area = Area.__table__.alias("a")
    conditions, _ = _area_conditions(engine, filters, area)

    def at(offset: int) -> Any:
        return func.max(case((obs.c.year == latest.c.year - offset, obs.c.value)))

    stmt = (
        select(latest.c.measure_id, obs.c.area_id, latest.c.year, at(0), at(1), at(3))
        .select_from(latest)
        .join(
            obs,
            and_(
                obs.c.measure_id == latest.c.measure_id,
                obs.c.year.in_([latest.c.year, latest.c.year - 1, latest.c.year - 3]),
            ),
        )
        .join(area, area.c.id == obs.c.area_id)
        .where(obs.c.state == "ok", obs.c.value.is_not(None), *conditions)
        .group_by(latest.c.measure_id, obs.c.area_id, latest.c.year)
    )
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
        measures = conn.execute(
            select(Measure.id, Measure.key, Measure.name, Measure.unit, Measure.direction)
        ).all()
    cells = records(rows, ["measure_id", "area_id", "year", "value", "value_1y", "value_3y"])
    for column in ("value", "value_1y", "value_3y"):
        cells[column] = pd.to_numeric(cells[column], errors="coerce").astype("float64")
    cells = cells[cells["value"].notna()]
    measure_frame = pd.DataFrame.from_records(
        measures, columns=["measure_id", "measure", "measure_name", "unit", "direction"]
    )
    frame = cells.merge(measure_frame, on="measure_id").merge(
        load_areas(engine), on="area_id", how="left"
    )
    frame["year"] = frame["year"].astype("int64")
    frame["direction"] = frame["direction"].astype("int64")
    return frame[ALERT_INPUT_COLUMNS].reset_index(drop=True)


ALERT_COLUMNS = [
    *ALERT_INPUT_COLUMNS,
    "change_1y",
    "change_3y",
    "worsening_1y",
    "worsening_3y",
    "flagged_1y",
    "flagged_3y",
    "size",
]


def negative_development(
    inputs: pd.DataFrame, thresholds: Thresholds | None = None
) -> pd.DataFrame:
    """Areas where a measure moved the wrong way by more than a threshold, largest first.

    inputs: rows like `load_alert_inputs` (value, value_1y, value_3y per measure × area).
    change_* is the change in the measure's own terms (pp for pct, relative % otherwise);
    worsening_* is that change against the direction (positive = worse). A window alerts when its
    worsening is strictly larger than its threshold; a missing or suppressed comparison year gives
    no change (never zero) and so no alert for that window. `size` is the larger flagged
    worsening; rows are ordered by size (then measure and area).
    """
    thresholds = thresholds or Thresholds()
    if inputs.empty:
        return pd.DataFrame(columns=ALERT_COLUMNS)
    frame = inputs[inputs["direction"].isin([1, -1]) & (inputs["unit"] != "status")].copy()
    if frame.empty:
        return pd.DataFrame(columns=ALERT_COLUMNS)
    frame["change_1y"] = np.nan
    frame["change_3y"] = np.nan
    frame["threshold_1y"] = np.nan
    frame["threshold_3y"] = np.nan
    for unit, rows in frame.groupby("unit").groups.items():
        part = frame.loc[rows]
        frame.loc[rows, "change_1y"] = change(part["value"], part["value_1y"], str(unit))
        frame.loc[rows, "change_3y"] = change(part["value"], part["value_3y"], str(unit))
        one, three = thresholds.for_unit(str(unit))
        frame.loc[rows, "threshold_1y"] = one
        frame.loc[rows, "threshold_3y"] = three
    frame["worsening_1y"] = np.round(-frame["change_1y"] * frame["direction"], _DECIMALS)
    frame["worsening_3y"] = np.round(-frame["change_3y"] * frame["direction"], _DECIMALS)
    frame["flagged_1y"] = (frame["worsening_1y"] > frame["threshold_1y"]).fillna(False)
    frame["flagged_3y"] = (frame["worsening_3y"] > frame["threshold_3y"]).fillna(False)
    frame = frame[frame["flagged_1y"] | frame["flagged_3y"]].copy()
    frame["size"] = np.fmax(
        frame["worsening_1y"].where(frame["flagged_1y"]),
        frame["worsening_3y"].where(frame["flagged_3y"]),
    )
    frame = frame.sort_values(
        ["size", "measure", "area"], ascending=[False, True, True], kind="mergesort"
    )
    frame["flagged_1y"] = frame["flagged_1y"].astype(bool)
    frame["flagged_3y"] = frame["flagged_3y"].astype(bool)
    return frame[ALERT_COLUMNS].reset_index(drop=True)


def alerts(
    engine: Engine,
    filters: AreaFilter | None = None,
    measure_key: str | None = None,
    thresholds: Thresholds | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """The negative-development list straight from the store (load + `negative_development`)."""
    return negative_development(load_alert_inputs(engine, filters, measure_key, year), thresholds)


def alerts_json(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The alert rows as plain JSON-ready dicts (numbers as numbers, None for missing)."""

    def number(value: Any) -> float | None:
        return None if value is None or pd.isna(value) else round(float(value), 6)

    return [
        {
            "measure": row["measure"],
            "measure_name": row["measure_name"],
            "unit": row["unit"],
            "direction": int(row["direction"]),
            "area": row["area"],
            "area_kind": row["kind"],
            "kommune": None if pd.isna(row["kommune"]) else row["kommune"],
            "year": int(row["year"]),
            "value": number(row["value"]),
            "value_1y_ago": number(row["value_1y"]),
            "value_3y_ago": number(row["value_3y"]),
            "change_1y": number(row["change_1y"]),
            "change_3y": number(row["change_3y"]),
            "change_kind": "procentpoint" if row["unit"] == "pct" else "relativ (%)",
            "worsening_1y": number(row["worsening_1y"]),
            "worsening_3y": number(row["worsening_3y"]),
            "flagged_1y": bool(row["flagged_1y"]),
            "flagged_3y": bool(row["flagged_3y"]),
            "size": number(row["size"]),
        }
        for row in frame.to_dict("records")
    ]


def alerts_export(frame: pd.DataFrame) -> pd.DataFrame:
    """The alert list with Danish column names and numeric cells, for CSV/Excel and the page."""
    return pd.DataFrame(
        {
            "Mål": frame["measure_name"],
            "Område": frame["area"],
            "Type": frame["kind"],
            "Kommune": frame["kommune"],
            "År": frame["year"].astype("int64"),
            "Værdi": frame["value"].astype("float64"),
            "Værdi 1 år før": frame["value_1y"].astype("float64"),
            "Ændring 1 år": frame["change_1y"].astype("float64"),
            "Værdi 3 år før": frame["value_3y"].astype("float64"),
            "Ændring 3 år": frame["change_3y"].astype("float64"),
            "Ændring målt i": frame["unit"].map(change_word),
            "Over tærskel 1 år": frame["flagged_1y"].astype(bool),
            "Over tærskel 3 år": frame["flagged_3y"].astype(bool),
            "Udslag": frame["size"].astype("float64"),
        }
    )


# --------------------------------------------------------------------------------------------
# Plans side by side
# --------------------------------------------------------------------------------------------

STATUS_ORDER = ("På rette vej", "Uændret", "Går den forkerte vej", "Mangler data", "Ikke vurderet")


def plans_side_by_side(progress: list[dict[str, Any]]) -> dict[str, pd.DataFrame]:
    """Plans × their indicators' statuses, from the progress engine's `all_plans_progress`.

    Returns three frames:
    - "summary": one row per plan: Helhedsplan, Statusår, a count column per status, Indikatorer;
    - "matrix": plans (rows) × measures used by more than one plan (columns), the status text;
    - "detail": one row per indicator: Helhedsplan, Statusår, Delmål, Indikator, Status, Seneste
      værdi (number), Enhed, År for værdien.
    """
    summary_rows, detail_rows = [], []
    for plan in progress:
        counts = dict.fromkeys(STATUS_ORDER, 0)
        for number, subgoal in enumerate(plan.get("subgoals", []), start=1):
            for ind in subgoal.get("indicators", []):
                status = ind.get("status") or "Ikke vurderet"
                counts[status] = counts.get(status, 0) + 1
                latest = ind.get("latest") or {}
                detail_rows.append(
                    {
                        "Helhedsplan": plan["plan"],
                        "Statusår": plan.get("year"),
                        "Delmål": f"{number}. {subgoal.get('text', '')}",
                        "Indikator": ind.get("name"),
                        "Mål": ind.get("measure_name") or ind.get("measure"),
                        "Område": ind.get("area"),
                        "Status": status,
                        "Seneste værdi": latest.get("value"),
                        "Enhed": ind.get("unit"),
                        "År for værdien": latest.get("year"),
                    }
                )
        summary_rows.append(
            {
                "Helhedsplan": plan["plan"],
                "Statusår": plan.get("year"),
                **counts,
                "Indikatorer": sum(counts.values()),
            }
        )
    summary = pd.DataFrame(
        summary_rows, columns=["Helhedsplan", "Statusår", *STATUS_ORDER, "Indikatorer"]
    )
    detail = pd.DataFrame(
        detail_rows,
        columns=[
            "Helhedsplan",
            "Statusår",
            "Delmål",
            "Indikator",
            "Mål",
            "Område",
            "Status",
            "Seneste værdi",
            "Enhed",
            "År for værdien",
        ],
    )
    detail["Seneste værdi"] = pd.to_numeric(detail["Seneste værdi"], errors="coerce")
    matrix = pd.DataFrame(index=pd.Index(summary["Helhedsplan"], name="Helhedsplan"))
    if len(detail):
        shared = detail.groupby("Mål")["Helhedsplan"].nunique()
        shared = shared[shared > 1].index
        cells = (
            detail[detail["Mål"].isin(shared)]
            .groupby(["Helhedsplan", "Mål"], sort=False)["Status"]
            .agg(lambda s: " / ".join(dict.fromkeys(s)))
            .unstack("Mål")
        )
        matrix = cells.reindex(summary["Helhedsplan"]).fillna("–")
        matrix.index.name = "Helhedsplan"
    return {"summary": summary, "matrix": matrix.reset_index(), "detail": detail}


# --------------------------------------------------------------------------------------------
# Tables for reading (Danish formats); exports use the numeric frames above
# --------------------------------------------------------------------------------------------

STATE_NAMES = {
    "ok": "",
    "suppressed": "Diskretioneret",
    "missing": "Mangler",
    "qualitative": "Kun tekst",
}


def format_change_in(value: float | None, unit: str) -> str:
    """A signed change in the measure's own terms: "+2,5 procentpoint", "−12,0 %" (relative)."""
    if value is None or pd.isna(value):
        return MISSING_TEXT
    sign = "+" if value > 0 else ""
    if unit == "pct":
        return f"{sign}{format_value(value, 'count', 1)} procentpoint"
    return f"{sign}{format_value(value, 'count', 1)} %"


def ranking_display(ranking: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The ranking for reading: placement, area, type, kommune, value in Danish format, note."""
    return pd.DataFrame(
        {
            "Placering": [MISSING_TEXT if pd.isna(r) else f"{int(r)}." for r in ranking["rank"]],
            "Område": ranking["label"],
            "Type": ranking["kind"].map(lambda k: AREA_KIND_NAMES.get(k, k)),
            "Kommune": ranking["kommune"].fillna(MISSING_TEXT),
            "Værdi": [format_value(v, unit) for v in ranking["value"]],
            "Bemærkning": ranking["state"].map(lambda s: STATE_NAMES.get(s, s)),
        }
    )


def alerts_display(
    frame: pd.DataFrame, labels: dict[str, str] | None = None, link: str = "sammenlign"
) -> pd.DataFrame:
    """The alert list for reading, with a link per row to the area's series on the page.

    labels: measure key → the label the page's measure selector shows (it is what the URL holds).
    """
    labels = labels or {}
    links = [
        f"{link}?{urlencode({'measure': labels.get(m, n), 'area': int(a)})}"
        for m, n, a in zip(frame["measure"], frame["measure_name"], frame["area_id"], strict=True)
    ]
    return pd.DataFrame(
        {
            "Område": frame["area"],
            "Kommune": frame["kommune"].fillna(MISSING_TEXT),
            "Mål": frame["measure_name"],
            "År": frame["year"].astype(int).astype(str),
            "Værdi": [
                format_value(v, u) for v, u in zip(frame["value"], frame["unit"], strict=True)
            ],
            "Ændring 1 år": [
                format_change_in(v, u) + (" ⚠" if f else "")
                for v, u, f in zip(
                    frame["change_1y"], frame["unit"], frame["flagged_1y"], strict=True
                )
            ],
            "Ændring 3 år": [
                format_change_in(v, u) + (" ⚠" if f else "")
                for v, u, f in zip(
                    frame["change_3y"], frame["unit"], frame["flagged_3y"], strict=True
                )
            ],
            "Serie": links,
        }
    )


def plans_detail_display(detail: pd.DataFrame) -> pd.DataFrame:
    """The indicator list of `plans_side_by_side` for reading: latest value in Danish format."""
    shown = detail.copy()
    shown["Seneste værdi"] = [
        format_value(v, u) if u != "status" else (MISSING_TEXT if pd.isna(v) else f"{v:g}")
        for v, u in zip(detail["Seneste værdi"], detail["Enhed"], strict=True)
    ]
    shown["År for værdien"] = [
        MISSING_TEXT if pd.isna(y) else str(int(y)) for y in detail["År for værdien"]
    ]
    shown["Enhed"] = detail["Enhed"].map(lambda u: UNIT_NAMES.get(u, u))
    return shown
