"""Pure pandas: rank areas, index series, measure change, heat tables and the numeric exports.

No database and no display text; values count only in state ``ok`` (never zero for a gap).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from monitoring.compare.queries import DECIMALS


def valid_values(observations: pd.DataFrame) -> pd.DataFrame:
    """Only rows with a usable value (state ok, value present)."""
    if observations.empty:
        return observations
    return observations[(observations["state"] == "ok") & observations["value"].notna()]


def latest_year(observations: pd.DataFrame) -> int | None:
    """The latest year with any usable value, or None."""
    valid = valid_values(observations)
    return int(valid["year"].max()) if len(valid) else None


def year_shown(observations: pd.DataFrame, end_year: int) -> int:
    """The year a ranking or heat colour is for: `end_year`, or the latest earlier year with values
    when no area has one for `end_year` (the page says so)."""
    with_values = latest_year(observations[observations["year"] <= end_year])
    return end_year if with_values is None else with_values


WELL_COVERED_SHARE = 0.5


def well_covered_year(observations: pd.DataFrame) -> int | None:
    """The latest year in which at least half as many areas have a value as in the best-covered
    year: the default ranking year, so a year with figures for only a few areas (a first file
    of a new year, a handful of invented demo figures) does not rank the rest as missing."""
    valid = valid_values(observations)
    if not len(valid):
        return None
    areas = valid.groupby("year")["area_id"].nunique()
    covered = areas[areas >= WELL_COVERED_SHARE * areas.max()]
    return int(covered.index.max())


def alert_year(end_year: int, last_year: int) -> int | None:
    """The year negative development is judged for: None (each measure's latest year) when the
    period ends at the last year with data, else the period's end."""
    return None if end_year == last_year else end_year


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


def shown_areas(ranking: pd.DataFrame, n: int, limit: int) -> tuple[list[int], bool]:
    """Area ids in rank order, cut to the `n` best and `n` worst when there are more than `limit`;
    the flag says whether it was cut (the page then says how many it left out)."""
    if len(ranking) <= limit:
        return list(ranking["area_id"]), False
    chosen, _ = top_bottom(ranking, n)
    return list(chosen["area_id"]), True


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
    result = np.round(result, DECIMALS)
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


def heat_bands(unit: str) -> tuple[float, float]:
    """(light, strong): the improvement or worsening from which a heat cell is tinted, then dark;
    percentage points for `pct`, relative % otherwise."""
    return HEAT_BANDS["pct" if unit == "pct" else "relative"]


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
    light, strong = heat_bands(unit)
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
