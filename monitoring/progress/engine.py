"""The progress engine: is each indikator moving the right way, and is the gap to the kommune closing?

Plain pandas/numpy, no Streamlit. `compute_progress` takes frames (indicators, comparators,
observations; see `monitoring.progress.inputs`) and returns frames, vectorised over all indicators
of all plans at once: no Python loop per observation or per indicator. `progress_from_inputs` turns
those frames into the `progress --json` contract (README, "## progress --json"), and
`plan_progress` / `all_plans_progress` are the two calls the pages and the CLI use.

Rules, in short:
- reference = the delaftale's baseline (value, year) as signed, even when a later file revised the
  figure for that year (the revision is reported beside it); without one, the first observation;
- the latest observation up to the status year is reported with its state; figures use the last
  observation that has a value, and suppressed/missing values are never treated as zero;
- change in percentage points for `pct`, absolute and relative (%) for `count`/`dkk`;
  improvement = change × direction; status with the tolerance in `Tolerance`;
- a status year without a value says `Mangler data` and names the last year that has data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from monitoring.baseline import revised
from monitoring.fmt import (
    MILESTONE_STATES,
)
from monitoring.progress.inputs import ProgressInputs
from monitoring.vocabulary import Status

if TYPE_CHECKING:
    pass

ON_TRACK = Status.ON_TRACK
UNCHANGED = Status.UNCHANGED
WRONG_WAY = Status.WRONG_WAY
MISSING = Status.MISSING
NOT_ASSESSED = Status.NOT_ASSESSED
STATUSES = tuple(Status)  # the reading order: on track first, not assessed last

ACHIEVED = 2
TREND_MIN_POINTS = 3
DECIMALS = 9  # differences are rounded to this before comparing, so 41.0 - 40.0 is exactly 1
_X0 = 2000.0  # years are centred before the least-squares sums


@dataclass(frozen=True)
class Tolerance:
    """How large a change must be to count as movement; anything within it is `Uændret`.

    pct_points: for `pct` indicators, in percentage points.
    relative_pct: for `count` and `dkk` indicators, in percent of the reference value (with a
        reference of 0 any change counts).
    """

    pct_points: float = 1.0
    relative_pct: float = 5.0


DEFAULT = Tolerance()


# --------------------------------------------------------------------------------------------
# Frames in, frames out
# --------------------------------------------------------------------------------------------


def _end_of_year(years: np.ndarray) -> np.ndarray:
    """31 December of each (float) year as datetime64[D]; NaT where the year is NaN."""
    years = np.asarray(years, dtype=float)
    known = ~np.isnan(years)
    out = np.full(years.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    start = (years[known].astype(np.int64) - 1969).astype("datetime64[Y]")
    out[known] = start.astype("datetime64[D]") - np.timedelta64(1, "D")
    return out


def _scatter(size: int, rows: np.ndarray, values: np.ndarray, fill: Any = np.nan) -> np.ndarray:
    out = np.full(size, fill, dtype=object if values.dtype == object else float)
    out[rows] = values
    return out


def _rounded(values: np.ndarray) -> np.ndarray:
    return np.round(values, DECIMALS)


class _ObservationIndex:
    """Observations sorted by (measure × area cell, year), searchable without pandas merges."""

    def __init__(self, observations: pd.DataFrame) -> None:
        measure = observations["measure_id"].to_numpy(dtype=np.int64)
        area = observations["area_id"].to_numpy(dtype=np.int64)
        year = observations["year"].to_numpy(dtype=np.int64)
        value = observations["value"].to_numpy(dtype=float)
        ok = observations["state"].eq("ok").to_numpy(dtype=bool, na_value=False)
        self.area_span = int(area.max()) + 1 if len(area) else 1
        codes, uniques = pd.factorize(measure * self.area_span + area)
        self.cells = pd.Index(uniques)
        self.first_year = int(year.min()) if len(year) else 0
        self.year_span = int(year.max()) - self.first_year + 1 if len(year) else 1
        key = codes * self.year_span + (year - self.first_year)
        order = np.argsort(key, kind="stable")
        self.key = key[order]
        self.code = codes[order]
        self.year = year[order]
        self.value = value[order]
        self.valid = ok[order] & ~np.isnan(self.value)
        self.source_row = order

    def cell_codes(self, measure: np.ndarray, area: np.ndarray) -> np.ndarray:
        """The cell code of each (measure, area); -1 where the store has no observation for it."""
        area = np.asarray(area, dtype=np.int64)
        inside = area < self.area_span
        cell = np.asarray(measure, dtype=np.int64) * self.area_span + np.where(inside, area, 0)
        return np.where(inside, self.cells.get_indexer(cell), -1)

    def series(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(owner, position): every observation of each code's cell, by owner then year."""
        start = np.searchsorted(self.code, codes, side="left")
        end = np.searchsorted(self.code, codes, side="right")
        counts = np.where(codes >= 0, end - start, 0)
        owner = np.repeat(np.arange(len(codes)), counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        return owner, np.repeat(start, counts) + offsets

    def valid_value(self, codes: np.ndarray, years: np.ndarray) -> np.ndarray:
        """The valid value of each (cell code, year), NaN where there is none."""
        years = np.asarray(years, dtype=float)
        offset = years - self.first_year
        searchable = (codes >= 0) & (offset >= 0) & (offset < self.year_span)
        key = codes * self.year_span + np.where(searchable, offset, 0).astype(np.int64)
        position = np.minimum(np.searchsorted(self.key, key), max(len(self.key) - 1, 0))
        if not len(self.key):
            return np.full(len(codes), np.nan)
        found = searchable & (self.key[position] == key) & self.valid[position]
        return np.where(found, self.value[position], np.nan)


# Long: one vectorised pass over all indicators; the steps share a dozen column arrays.
def compute_progress(
    indicators: pd.DataFrame,
    comparators: pd.DataFrame,
    observations: pd.DataFrame,
    *,
    tolerance: Tolerance = DEFAULT,
    today: dt.date | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Progress of every indicator for its own status year, vectorised over all of them.

    Args:
        indicators: the `progress_inputs.INDICATOR_COLUMNS` frame plus `status_year` (int).
        comparators: the `COMPARATOR_COLUMNS` frame.
        observations: the `OBSERVATION_COLUMNS` frame (all states; only `ok` values are used).
        tolerance: what counts as `Uændret`.
        today: the date "now" (milestones in the current year are overdue only after it).

    Returns:
        (indicators, comparators): the input rows (same order, fresh index) with result columns:
        ref_value, ref_year, from_baseline, revised_value (a later figure for the baseline year
        that differs from the signed baseline; see `monitoring.baseline`), latest_value, latest_year, latest_state, last_value,
        last_year, current, comparable, change, change_relative, improvement, status,
        milestone_code, state_since (the year a milestone's latest state began), overdue,
        progress, reached, on_track, expected_share, slope,
        projected_value, projected_year, trend_points; and for comparators value_now, year_now,
        value_ref, gap_ref, gap_now, closed, passed, ahead_at_reference. Unknown is NaN.
    """
    today = today or dt.date.today()
    ind = indicators.reset_index(drop=True)
    n = len(ind)
    unit = ind["unit"]
    is_pct = unit.eq("pct").to_numpy(dtype=bool)
    relative_unit = unit.isin(("count", "dkk")).to_numpy(dtype=bool)
    numeric = unit.ne("status").to_numpy(dtype=bool)
    direction = ind["direction"].to_numpy(dtype=np.int64)
    sign = direction.astype(float)
    judged = direction != 0
    status_year = ind["status_year"].to_numpy(dtype=float)
    baseline_value = ind["baseline_value"].to_numpy(dtype=float)
    baseline_year = ind["baseline_year"].to_numpy(dtype=float)
    index = _ObservationIndex(observations)
    codes = index.cell_codes(ind["measure_id"].to_numpy(), ind["area_id"].to_numpy())

    # The indicators' own series up to each one's status year, ordered by (row, year).
    row, position = index.series(codes)
    year = index.year[position].astype(float)
    keep = year <= status_year[row]
    row, position, year = row[keep], position[keep], year[keep]
    value = index.value[position]
    valid = index.valid[position]

    # Latest observation of any state, and first/last observation that has a value.
    last_row = np.r_[row[1:] != row[:-1], True] if len(row) else np.zeros(0, bool)
    latest_year = _scatter(n, row[last_row], year[last_row])
    latest_value = _scatter(n, row[last_row], np.where(valid, value, np.nan)[last_row])
    latest_state = np.full(n, None, dtype=object)
    latest_state[row[last_row]] = (
        observations["state"].iloc[index.source_row[position[last_row]]].to_numpy(dtype=object)
    )
    vrow, vyear, vvalue = row[valid], year[valid], value[valid]
    vlast = np.r_[vrow[1:] != vrow[:-1], True] if len(vrow) else np.zeros(0, bool)
    vfirst = np.r_[True, vrow[1:] != vrow[:-1]] if len(vrow) else np.zeros(0, bool)
    last_value = _scatter(n, vrow[vlast], vvalue[vlast])
    last_year = _scatter(n, vrow[vlast], vyear[vlast])
    first_value = _scatter(n, vrow[vfirst], vvalue[vfirst])
    first_year = _scatter(n, vrow[vfirst], vyear[vfirst])

    from_baseline = ~np.isnan(baseline_value)
    ref_value = np.where(from_baseline, baseline_value, first_value)
    ref_year = np.where(from_baseline, baseline_year, first_year)
    has_last = ~np.isnan(last_value)
    current = last_year == status_year
    comparable = (
        numeric & has_last & ~np.isnan(ref_value) & (np.isnan(ref_year) | (last_year > ref_year))
    )

    # Change, relative change, improvement, status.
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.where(comparable, last_value - ref_value, np.nan)
        change_relative = np.where(
            relative_unit & (ref_value != 0), change / np.abs(ref_value) * 100.0, np.nan
        )
    improvement = np.where(judged, change * sign, np.nan)
    rounded_change = _rounded(change)
    within = np.where(
        is_pct,
        np.abs(rounded_change) <= tolerance.pct_points,
        np.where(
            ref_value != 0,
            np.abs(_rounded(change_relative)) <= tolerance.relative_pct,
            rounded_change == 0,
        ),
    )
    status = np.select(
        [~comparable | ~current, ~judged, within, _rounded(improvement) > 0],
        [MISSING, NOT_ASSESSED, UNCHANGED, ON_TRACK],
        WRONG_WAY,
    ).astype(object)

    # Milestones: 0 not started, 1 in progress, 2 achieved; overdue when not 2 after the deadline.
    code = np.where(np.isin(last_value, list(MILESTONE_STATES)), last_value, np.nan)
    # The year the latest state began: achieved in 2021 and repeated since reads "(2021)".
    run_start = np.flatnonzero(vfirst | np.r_[True, vvalue[1:] != vvalue[:-1]])
    run_row = vrow[run_start]
    latest_run = np.r_[run_row[1:] != run_row[:-1], True] if len(run_row) else np.zeros(0, bool)
    state_since = _scatter(n, run_row[latest_run], vyear[run_start][latest_run])
    deadline = ind["deadline"].to_numpy(dtype="datetime64[D]")
    year_end = _end_of_year(status_year)
    checked_on = np.minimum(year_end, np.datetime64(today, "D"))
    past_deadline = ~np.isnat(deadline) & (checked_on > deadline)
    overdue = np.where(
        past_deadline, np.where(np.isnan(code), np.nan, (code != ACHIEVED).astype(float)), 0.0
    )
    milestone_status = np.select(
        [code == ACHIEVED, np.isnan(code), overdue == 1, ~current, code == 1],
        [ON_TRACK, MISSING, WRONG_WAY, MISSING, ON_TRACK],
        UNCHANGED,
    ).astype(object)
    status = np.where(numeric, status, milestone_status)

    # Target: progress = (latest - reference) / (target - reference); on track given the time.
    target_value = np.where(numeric, ind["target_value"].to_numpy(dtype=float), np.nan)
    target_year = ind["target_year"].to_numpy(dtype=float)
    has_target = ~np.isnan(target_value)
    span = target_value - ref_value
    rounded_span = _rounded(span)
    ahead = np.where(judged, rounded_span * sign > 0, rounded_span != 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        progress = np.where(
            has_target & comparable & ahead, (last_value - ref_value) / span, np.nan
        )
    to_target = last_value - target_value
    reached = np.where(
        judged,
        _rounded(to_target * sign) >= 0,
        (_rounded(np.abs(to_target)) == 0) | (_rounded(progress) >= 1),
    ).astype(float)
    reached[~(has_target & has_last)] = np.nan
    period_start = ind["period_start"].to_numpy(dtype="datetime64[D]")
    period_end = ind["period_end"].to_numpy(dtype="datetime64[D]")
    target_date = np.where(np.isnan(target_year), period_end, _end_of_year(target_year))
    total_days = (target_date - period_start).astype(float)
    elapsed_days = (year_end - period_start).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected_share = np.where(total_days > 0, np.clip(elapsed_days / total_days, 0.0, 1.0), 1.0)
    expected_share[np.isnat(target_date) | np.isnat(period_start) | ~has_target] = np.nan
    tolerance_abs = np.where(
        is_pct, tolerance.pct_points, tolerance.relative_pct / 100.0 * np.abs(target_value)
    )
    holds = np.where(
        judged,
        _rounded(to_target * sign) >= -tolerance_abs,
        _rounded(np.abs(to_target)) <= tolerance_abs,
    )
    on_track = np.select(
        [~(has_target & has_last), reached == 1, ~np.isnan(progress), ahead],
        [np.nan, 1.0, (_rounded(progress) >= _rounded(expected_share)).astype(float), np.nan],
        holds.astype(float),
    )
    on_track[~np.isnan(progress) & np.isnan(expected_share)] = np.nan

    # Trend: least squares over the values since the reference year (the baseline counts as a
    # point when no observation has that year), projected to the end of the agreement period.
    since = (np.isnan(ref_year[vrow]) | (vyear >= ref_year[vrow])) & numeric[vrow]
    at_baseline = index.valid_value(codes, baseline_year)
    with_point = from_baseline & (baseline_year <= status_year) & numeric
    with_point &= np.isnan(at_baseline)
    extra = np.flatnonzero(with_point)
    t_row = np.concatenate([vrow[since], extra])
    t_x = np.concatenate([vyear[since], baseline_year[extra]]) - _X0
    t_y = np.concatenate([vvalue[since], baseline_value[extra]])
    count = np.bincount(t_row, minlength=n).astype(float)
    sx = np.bincount(t_row, weights=t_x, minlength=n)
    sy = np.bincount(t_row, weights=t_y, minlength=n)
    sxx = np.bincount(t_row, weights=t_x * t_x, minlength=n)
    sxy = np.bincount(t_row, weights=t_x * t_y, minlength=n)
    denominator = count * sxx - sx * sx
    enough = (count >= TREND_MIN_POINTS) & (denominator > 0)
    projected_year = period_end.astype("datetime64[Y]").astype(float) + 1970.0
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(enough, (count * sxy - sx * sy) / denominator, np.nan)
        projected_value = sy / count + slope * (projected_year - _X0 - sx / count)
    projected_value = np.where(
        is_pct, np.clip(projected_value, 0.0, 100.0), np.maximum(projected_value, 0.0)
    )
    projected_value[~enough | np.isnat(period_end)] = np.nan

    computed = {
        "ref_value": ref_value,
        "ref_year": ref_year,
        "from_baseline": from_baseline,
        "revised_value": np.where(
            from_baseline & numeric & revised(baseline_value, at_baseline), at_baseline, np.nan
        ),
        "latest_value": latest_value,
        "latest_year": latest_year,
        "latest_state": latest_state,
        "last_value": last_value,
        "last_year": last_year,
        "current": current,
        "comparable": comparable,
        "change": change,
        "change_relative": change_relative,
        "improvement": improvement,
        "status": status,
        "milestone_code": np.where(numeric, np.nan, code),
        "overdue": np.where(numeric, np.nan, overdue),
        "progress": progress,
        "reached": reached,
        "on_track": on_track,
        "expected_share": expected_share,
        "slope": slope,
        "projected_value": projected_value,
        "state_since": state_since,
        "projected_year": np.where(enough & ~np.isnat(period_end), projected_year, np.nan),
        "trend_points": count,
    }
    result = pd.concat([ind, pd.DataFrame(computed)], axis=1)
    return result, _compare(computed, ind, codes, comparators, index)


def _compare(
    computed: dict[str, np.ndarray],
    ind: pd.DataFrame,
    codes: np.ndarray,
    comparators: pd.DataFrame,
    index: _ObservationIndex,
) -> pd.DataFrame:
    """Each comparator's value now and at the reference, and the gaps (positive = area behind)."""
    comp = comparators.reset_index(drop=True)
    rows = pd.Index(ind["indicator_id"]).get_indexer(comp["indicator_id"])
    if (rows < 0).any():
        comp = comp.loc[rows >= 0].reset_index(drop=True)
        rows = rows[rows >= 0]
    measure = ind["measure_id"].to_numpy()[rows]
    comp_codes = index.cell_codes(measure, comp["area_id"].to_numpy())
    now_year = computed["last_year"][rows]
    ref_year = computed["ref_year"][rows]
    value_now = index.valid_value(comp_codes, now_year)
    value_ref = index.valid_value(comp_codes, ref_year)
    baseline_value = comp["baseline_value"].to_numpy(dtype=float)
    baseline_year = comp["baseline_year"].to_numpy(dtype=float)
    # At the reference year the comparator's signed baseline is the reference, as the indicator's
    # is: a file revising that year's figure is shown beside it, never put in its place.
    value_ref = np.where(
        ~np.isnan(baseline_value) & ((baseline_year == ref_year) | np.isnan(ref_year)),
        baseline_value,
        value_ref,
    )
    value_now = np.where(
        np.isnan(value_now) & (baseline_year == now_year), baseline_value, value_now
    )
    direction = ind["direction"].to_numpy(dtype=float)[rows]
    numeric = ind["unit"].ne("status").to_numpy(dtype=bool)[rows]
    area_ref = computed["ref_value"][rows]
    area_now = computed["last_value"][rows]

    def gap(other: np.ndarray, own: np.ndarray) -> np.ndarray:
        signed = np.where(direction != 0, (other - own) * direction, np.abs(other - own))
        return np.where(numeric, _rounded(signed), np.nan)

    gap_ref = gap(value_ref, area_ref)
    gap_now = gap(value_now, area_now)
    comparable = computed["comparable"][rows]
    with np.errstate(divide="ignore", invalid="ignore"):
        closed = np.where(
            comparable & (gap_ref > 0) & ~np.isnan(gap_now), (gap_ref - gap_now) / gap_ref, np.nan
        )
    passed = np.where((direction != 0) & ~np.isnan(gap_now), (gap_now < 0).astype(float), np.nan)
    ahead_at_reference = np.where(
        (direction != 0) & ~np.isnan(gap_ref), (gap_ref < 0).astype(float), np.nan
    )
    computed_comp = {
        "value_now": np.where(numeric, value_now, np.nan),
        "year_now": np.where(numeric & ~np.isnan(value_now), now_year, np.nan),
        "value_ref": np.where(numeric, value_ref, np.nan),
        "gap_ref": gap_ref,
        "gap_now": gap_now,
        "closed": closed,
        "passed": passed,
        "ahead_at_reference": ahead_at_reference,
    }
    return pd.concat([comp, pd.DataFrame(computed_comp)], axis=1)


def plan_years(inputs: ProgressInputs) -> pd.DataFrame:
    """Per plan: `years` (sorted years with any observation of its indicators' own cells) and
    `latest_data_year` (the last year with a value), indexed by plan_id."""
    cells = inputs.indicators[["plan_id", "measure_id", "area_id"]].drop_duplicates()
    seen = cells.merge(inputs.observations, on=["measure_id", "area_id"], how="inner")
    seen = seen.assign(has_value=(seen["state"] == "ok") & seen["value"].notna())
    years = seen.groupby("plan_id")["year"].unique().map(lambda ys: sorted(int(y) for y in ys))
    latest = seen.loc[seen["has_value"]].groupby("plan_id")["year"].max()
    out = pd.DataFrame(index=inputs.plans["plan_id"])
    out["years"] = [years.get(p, []) for p in out.index]
    out["latest_data_year"] = [int(latest[p]) if p in latest.index else None for p in out.index]
    return out


def plan_status_years(
    inputs: ProgressInputs, years: pd.DataFrame, year: int | None, today: dt.date
) -> pd.Series:
    """The status year per plan: the one asked for, else the latest year with a value, else
    this year; by default never after the agreement period's last year (a plan that has ended is
    judged in its own period, not on figures from after it)."""
    chosen = {}
    for plan in inputs.plans.itertuples():
        if year is not None:
            chosen[plan.plan_id] = int(year)
            continue
        latest = years.at[plan.plan_id, "latest_data_year"]
        if not pd.isna(latest):
            within = pd.isna(plan.period_end) or latest <= plan.period_end.year
            chosen[plan.plan_id] = int(latest) if within else int(plan.period_end.year)
            continue
        fallback = today.year
        if not pd.isna(plan.period_end):
            fallback = min(fallback, plan.period_end.year)
        if not pd.isna(plan.period_start):
            fallback = max(fallback, plan.period_start.year)
        chosen[plan.plan_id] = fallback
    return pd.Series(chosen, dtype="int64")
