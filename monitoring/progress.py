"""The progress engine: is each indikator moving the right way, and is the gap to the kommune closing?

Plain pandas/numpy, no Streamlit. `compute_progress` takes frames (indicators, comparators,
observations; see `monitoring.progress_inputs`) and returns frames, vectorised over all indicators
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
import math
import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from monitoring.baseline import revised
from monitoring.errors import MonitorError
from monitoring.fmt import (
    MILESTONE_STATES,
    format_change,
    format_date,
    format_percent,
    format_value,
)
from monitoring.progress_inputs import ProgressInputs, load_progress_inputs

if TYPE_CHECKING:
    from sqlalchemy import Engine

ON_TRACK = "På rette vej"
UNCHANGED = "Uændret"
WRONG_WAY = "Går den forkerte vej"
MISSING = "Mangler data"
NOT_ASSESSED = "Ikke vurderet"
STATUSES = (ON_TRACK, UNCHANGED, WRONG_WAY, MISSING, NOT_ASSESSED)

ACHIEVED = 2
TREND_MIN_POINTS = 3
_DECIMALS = 9  # differences are rounded to this before comparing, so 41.0 - 40.0 is exactly 1
_JSON_DECIMALS = 6
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
    return np.round(values, _DECIMALS)


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
        milestone_code, overdue, progress, reached, on_track, expected_share, slope,
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
    # The comparator's own baseline stands in only for its baseline year (or an undated reference).
    value_ref = np.where(
        np.isnan(value_ref) & ((baseline_year == ref_year) | np.isnan(ref_year)),
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


def _status_years(
    inputs: ProgressInputs, years: pd.DataFrame, year: int | None, today: dt.date
) -> pd.Series:
    """The status year per plan: the one asked for, else the latest year with a value, else
    this year (kept within the agreement period)."""
    chosen = {}
    for plan in inputs.plans.itertuples():
        if year is not None:
            chosen[plan.plan_id] = int(year)
            continue
        latest = years.at[plan.plan_id, "latest_data_year"]
        if not pd.isna(latest):
            chosen[plan.plan_id] = int(latest)
            continue
        fallback = today.year
        if not pd.isna(plan.period_end):
            fallback = min(fallback, plan.period_end.year)
        if not pd.isna(plan.period_start):
            fallback = max(fallback, plan.period_start.year)
        chosen[plan.plan_id] = fallback
    return pd.Series(chosen, dtype="int64")


# --------------------------------------------------------------------------------------------
# Frames to the JSON contract, with one Danish sentence per indicator
# --------------------------------------------------------------------------------------------


def _float(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return None
    return round(float(value), _JSON_DECIMALS)


def _int(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _bool(value: Any) -> bool | None:
    return None if value is None or pd.isna(value) else bool(value)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _iso(value: Any) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


_LOWER_FIRST_WORDS = {
    "hele",
    "andre",
    "anden",
    "alle",
    "øvrige",
    "landet",
    "landsgennemsnit",
    "landsgennemsnittet",
    "gennemsnit",
    "gennemsnittet",
    "kommunen",
    "resten",
    "boligområdet",
}


def reference_label(label: str) -> str:
    """A comparator label inside a sentence: "Hele kommunen" → "hele kommunen", names unchanged."""
    first = label.split(" ", 1)[0]
    if first.casefold() in _LOWER_FIRST_WORDS:
        return label[:1].lower() + label[1:]
    return label


def sentence_subject(measure_name: str) -> str:
    """ "Andel 18-64-årige i beskæftigelse" → "Andelen af 18-64-årige i beskæftigelse"."""
    name = measure_name.strip()
    for pattern, replacement in (
        (r"^andel(en)?\s+(af\s+)?", "Andelen af "),
        (r"^antal(let)?\s+(af\s+)?", "Antallet af "),
    ):
        if re.match(pattern, name, flags=re.IGNORECASE):
            return re.sub(pattern, replacement, name, count=1, flags=re.IGNORECASE)
    return name[:1].upper() + name[1:]


def _value(value: float, unit: str) -> str:
    return format_value(value, unit)


def _plain(value: float, unit: str) -> str:
    """A size without its unit, for "fra 31,0 til 28,9 procentpoint"."""
    if unit == "pct":
        return format_value(abs(value), "count", 1)
    return format_value(abs(value), unit)


def _amount(value: float, unit: str) -> str:
    """A size with its unit: "28,9 procentpoint", "1.200 kr.", "35"."""
    if unit == "pct":
        return format_change(abs(value), "pct").removeprefix("+")
    return format_value(abs(value), unit)


def _signed_percent(percent: float) -> str:
    decimals = 1 if abs(percent) < 10 else 0
    text = format_percent(percent / 100.0, decimals)
    return f"+{text}" if percent > 0 and not text.startswith("+") else text


_STATE_WORDS = {
    "suppressed": "diskretioneret (for få personer)",
    "missing": "ikke opgjort",
    "qualitative": "kun beskrevet i ord",
}


def _change_sentence(ind: dict[str, Any], subject: str) -> str:
    unit = ind["unit"]
    ref_value, ref_year = ind["ref_value"], _int(ind["ref_year"])
    last_value, last_year = ind["last_value"], _int(ind["last_year"])
    if not ind["from_baseline"]:
        ref_text = f"{_value(ref_value, unit)} (første måling, {ref_year})"
    elif ref_year is None:
        ref_text = f"{_value(ref_value, unit)} (baseline)"
    else:
        ref_text = f"{_value(ref_value, unit)} ({ref_year})"
    change = round(float(ind["change"]), _DECIMALS)
    if change == 0:
        return f"{subject} er uændret, fra {ref_text} til {_value(last_value, unit)} ({last_year})."
    verb = "er steget" if change > 0 else "er faldet"
    text = (
        f"{subject} {verb} fra {ref_text} til {_value(last_value, unit)} ({last_year}), "
        f"{format_change(ind['change'], unit)}"
    )
    if unit in ("count", "dkk"):
        if ref_value == 0:
            text += "; en relativ ændring kan ikke beregnes, fordi udgangspunktet er 0"
        else:
            text += f" ({_signed_percent(ind['change_relative'])})"
    return text + "."


def _revision_sentence(ind: dict[str, Any]) -> str:
    """The signed baseline stays the reference; a later figure for its year is named beside it."""
    unit = ind["unit"]
    return (
        f"Tallet for baselineåret {_int(ind['ref_year'])} er siden revideret til "
        f"{_value(ind['revised_value'], unit)}; udviklingen regnes fra delaftalens "
        f"{_value(ind['ref_value'], unit)}."
    )


def _comparator_sentence(comp: dict[str, Any], ind: dict[str, Any]) -> str | None:
    unit, direction = ind["unit"], ind["direction"]
    label = reference_label(comp["label"])
    gap_ref, gap_now = comp["gap_ref"], comp["gap_now"]
    if math.isnan(gap_now):
        return None
    if not ind["comparable"] or math.isnan(gap_ref):
        if direction == 0:
            return f"Forskellen til {label} er {_amount(gap_now, unit)}."
        if gap_now > 0:
            return f"Området ligger {_amount(gap_now, unit)} dårligere end {label}."
        if gap_now < 0:
            return f"Området ligger {_amount(gap_now, unit)} bedre end {label}."
        return f"Området ligger på niveau med {label}."
    if direction == 0:
        if gap_now == gap_ref:
            return f"Forskellen til {label} er uændret {_amount(gap_now, unit)}."
        verb = "mindsket" if gap_now < gap_ref else "øget"
        return (
            f"Forskellen til {label} er {verb} fra {_plain(gap_ref, unit)} "
            f"til {_amount(gap_now, unit)}."
        )
    if gap_now < 0:
        if gap_ref > 0:
            return f"Området har overhalet {label} og ligger nu {_amount(gap_now, unit)} bedre."
        return f"Området ligger fortsat bedre end {label}, nu med {_amount(gap_now, unit)}."
    if gap_now == 0:
        return f"Området har nået niveauet for {label}."
    if gap_ref <= 0:
        when = f"i {_int(ind['ref_year'])}" if not pd.isna(ind["ref_year"]) else "ved baseline"
        return (
            f"Området ligger nu {_amount(gap_now, unit)} dårligere end {label}; "
            f"{when} lå det på niveau eller bedre."
        )
    if gap_now == gap_ref:
        return f"Afstanden til {label} er uændret {_amount(gap_now, unit)}."
    verb = "mindsket" if gap_now < gap_ref else "øget"
    return (
        f"Afstanden til {label} er {verb} fra {_plain(gap_ref, unit)} til {_amount(gap_now, unit)}."
    )


def _target_sentence(ind: dict[str, Any]) -> str | None:
    unit = ind["unit"]
    if math.isnan(ind["target_value"]) or math.isnan(ind["last_value"]):
        return None
    target = f"målet på {_value(ind['target_value'], unit)}"
    if not pd.isna(ind["target_year"]):
        target += f" i {int(ind['target_year'])}"
    if ind["reached"] == 1:
        return f"{target[:1].upper()}{target[1:]} er nået."
    progress = ind["progress"]
    if not math.isnan(progress) and progress < 0:
        return f"Udviklingen går væk fra {target}."
    if not math.isnan(progress):
        done = f"{format_percent(progress)} af vejen mod {target} er tilbagelagt"
        if math.isnan(ind["expected_share"]):
            return f"{done}."
        elapsed = format_percent(ind["expected_share"])
        if ind["on_track"] == 1:
            return f"{done}, og {elapsed} af tiden er gået, så det går efter planen."
        return f"{done}, men {elapsed} af tiden er gået, så det går langsommere end planlagt."
    missing = abs(ind["last_value"] - ind["target_value"])
    return f"Der mangler {_amount(missing, unit)} for at nå {target}."


def _milestone_sentence(ind: dict[str, Any]) -> str:
    status_year = int(ind["status_year"])
    code = ind["milestone_code"]
    deadline = None if pd.isna(ind["deadline"]) else pd.Timestamp(ind["deadline"]).date()
    if math.isnan(code):
        text = "Der er ikke registreret nogen status for milepælen endnu."
    else:
        state = MILESTONE_STATES[int(code)].lower()
        text = f"Milepælen er {state} ({_int(ind['last_year'])})."
        if not ind["current"] and code != ACHIEVED:
            text += f" Der er ingen ny status for {status_year}."
    if deadline is not None and code != ACHIEVED:
        if ind["overdue"] == 1:
            text += f" Fristen var {format_date(deadline)}, og den er overskredet."
        elif pd.Timestamp(deadline).date() < min(dt.date(status_year, 12, 31), ind["_today"]):
            text += f" Fristen var {format_date(deadline)}."
        else:
            text += f" Fristen er {format_date(deadline)}."
    return text


def _tidy(text: str) -> str:
    """One full stop after an amount in kroner: "257.398 kr.." ends a sentence as "257.398 kr."."""
    return re.sub(r"\.\.(?=\s|$)", ".", text)


def indicator_sentence(ind: dict[str, Any], comparators: list[dict[str, Any]]) -> str:
    """The plain Danish account of one indicator (a result row of `compute_progress`)."""
    if ind["unit"] == "status":
        return _milestone_sentence(ind)
    unit = ind["unit"]
    status_year = int(ind["status_year"])
    subject = sentence_subject(_text(ind.get("measure_name")) or ind["name"])
    parts: list[str] = []
    if not ind["current"]:
        if _int(ind["latest_year"]) == status_year and ind["latest_state"] in _STATE_WORDS:
            parts.append(f"Tallet for {status_year} er {_STATE_WORDS[ind['latest_state']]}.")
        else:
            parts.append(f"Der er endnu ingen tal for {status_year}.")
        if not math.isnan(ind["last_value"]):
            parts.append(f"Seneste tal er fra {_int(ind['last_year'])}.")
    if math.isnan(ind["last_value"]):
        if ind["from_baseline"]:
            year = _int(ind["ref_year"])
            parts.append(
                f"Baseline er {_value(ind['ref_value'], unit)}"
                + (f" ({year})" if year else "")
                + "; der er endnu ingen nyere tal."
            )
        elif _text(ind.get("baseline_note")):
            parts.append(f"Baseline i delaftalen: {ind['baseline_note'].rstrip('.')}.")
        return _tidy(" ".join(parts))
    if ind["comparable"]:
        parts.append(_change_sentence(ind, subject))
    elif ind["from_baseline"] and _int(ind["last_year"]) == _int(ind["ref_year"]):
        parts.append(
            f"{subject} var {_value(ind['ref_value'], unit)} ved baseline "
            f"({_int(ind['ref_year'])}); der er endnu ingen nyere tal."
        )
    elif ind["from_baseline"]:
        parts.append(
            f"{subject} var {_value(ind['last_value'], unit)} ({_int(ind['last_year'])}), "
            f"før baselineåret {_int(ind['ref_year'])}."
        )
    else:
        parts.append(
            f"{subject} var {_value(ind['last_value'], unit)} ({_int(ind['last_year'])}) ved "
            "første måling; udviklingen kan vurderes, når der kommer flere tal."
        )
    if not math.isnan(ind["revised_value"]):
        parts.append(_revision_sentence(ind))
    parts += [s for c in comparators if (s := _comparator_sentence(c, ind))]
    target = _target_sentence(ind)
    if target:
        parts.append(target)
    if not math.isnan(ind["projected_value"]) and ind["projected_year"] > ind["last_year"]:
        parts.append(
            f"Fortsætter tendensen, er niveauet ca. {_value(ind['projected_value'], unit)} "
            f"i {int(ind['projected_year'])}."
        )
    return _tidy(" ".join(parts))


def subgoal_summary(counts: dict[str, int]) -> str:
    """ "2 af 3 på rette vej, 1 mangler data": counts by status, never a weighted score."""
    total = sum(counts.values())
    text = f"{counts.get(ON_TRACK, 0)} af {total} på rette vej"
    others = [f"{counts[s]} {s.lower()}" for s in STATUSES[1:] if counts.get(s)]
    return ", ".join([text, *others])


def _tolerance_of(unit: str, tolerance: Tolerance) -> dict[str, Any] | None:
    if unit == "pct":
        return {"value": tolerance.pct_points, "kind": "procentpoint"}
    if unit in ("count", "dkk"):
        return {"value": tolerance.relative_pct, "kind": "relativ (%)"}
    return None


def _comparator_json(comp: dict[str, Any]) -> dict[str, Any]:
    return {
        "label": comp["label"],
        "area": comp["area_name"],
        "area_kind": comp["area_kind"],
        "value": _float(comp["value_now"]),
        "year": _int(comp["year_now"]),
        "value_at_reference": _float(comp["value_ref"]),
        "gap_at_reference": _float(comp["gap_ref"]),
        "gap_now": _float(comp["gap_now"]),
        "gap_closed_share": _float(comp["closed"]),
        "passed": _bool(comp["passed"]),
        "ahead_at_reference": _bool(comp["ahead_at_reference"]),
    }


def indicator_json(
    ind: dict[str, Any], comparators: list[dict[str, Any]], tolerance: Tolerance
) -> dict[str, Any]:
    """One indicator in the `progress --json` shape, from a result row and its comparator rows."""
    unit = ind["unit"]
    milestone = None
    if unit == "status":
        code = ind["milestone_code"]
        milestone = {
            "state": None if math.isnan(code) else MILESTONE_STATES[int(code)],
            "deadline": _iso(ind["deadline"]),
            "overdue": _bool(ind["overdue"]),
        }
    target = None
    if not math.isnan(ind["target_value"]) and unit != "status":
        target = {
            "value": _float(ind["target_value"]),
            "year": _int(ind["target_year"]),
            "progress": _float(ind["progress"]),
            "on_track": _bool(ind["on_track"]),
            "reached": _bool(ind["reached"]),
            "expected_share": _float(ind["expected_share"]),
        }
    trend = None
    if not math.isnan(ind["slope"]):
        trend = {
            "slope": _float(ind["slope"]),
            "projected_value": _float(ind["projected_value"]),
            "projected_year": _int(ind["projected_year"]),
            "points": _int(ind["trend_points"]),
        }
    return {
        "id": int(ind["indicator_id"]),
        "name": ind["name"],
        "status": ind["status"],
        "sentence": indicator_sentence(ind, comparators),
        "unit": unit,
        "direction": int(ind["direction"]),
        "measure": ind["measure_key"],
        "measure_name": _text(ind["measure_name"]),
        "area": ind["area_name"],
        "reference": {
            "value": _float(ind["ref_value"]),
            "year": _int(ind["ref_year"]),
            "from_baseline": bool(ind["from_baseline"]),
            "revised_value": _float(ind["revised_value"]),
        },
        "baseline_note": _text(ind["baseline_note"]),
        "latest": {
            "value": _float(ind["latest_value"]),
            "year": _int(ind["latest_year"]),
            "state": _text(ind["latest_state"]) or "missing",
        },
        "last_data_year": _int(ind["last_year"]),
        "last_data_value": _float(ind["last_value"]),
        "change": _float(ind["change"]),
        "change_relative": _float(ind["change_relative"]),
        "improvement": _float(ind["improvement"]),
        "target": target,
        "trend": trend,
        "comparators": [_comparator_json(c) for c in comparators],
        "milestone": milestone,
        "tolerance": _tolerance_of(unit, tolerance),
    }


def _elapsed_share(start: Any, end: Any, year: int) -> float | None:
    if pd.isna(start) or pd.isna(end):
        return None
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    total = (end - start).days
    if total <= 0:
        return 1.0
    passed = (pd.Timestamp(year=year, month=12, day=31) - start).days
    return round(min(1.0, max(0.0, passed / total)), _JSON_DECIMALS)


def progress_from_inputs(
    inputs: ProgressInputs,
    year: int | None = None,
    tolerance: Tolerance = DEFAULT,
    today: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Every plan in `inputs` in the `progress --json` shape: one vectorised pass, then dicts."""
    today = today or dt.date.today()
    years = plan_years(inputs)
    status_years = _status_years(inputs, years, year, today)
    indicators = inputs.indicators.assign(
        status_year=inputs.indicators["plan_id"].map(status_years).astype("int64")
    )
    result, comps = compute_progress(
        indicators, inputs.comparators, inputs.observations, tolerance=tolerance, today=today
    )
    comps_by_indicator: dict[int, list[dict[str, Any]]] = {}
    for comp in comps.sort_values(["indicator_id", "position"]).to_dict("records"):
        comps_by_indicator.setdefault(int(comp["indicator_id"]), []).append(comp)
    by_plan: dict[int, list[dict[str, Any]]] = {}
    for ind in result.to_dict("records"):
        ind["_today"] = today
        by_plan.setdefault(int(ind["plan_id"]), []).append(ind)

    plans = []
    for plan in inputs.plans.to_dict("records"):
        plan_id = int(plan["plan_id"])
        status_year = int(status_years[plan_id])
        subgoals: list[dict[str, Any]] = []
        current_id = None
        for ind in by_plan.get(plan_id, []):
            if ind["subgoal_id"] != current_id:
                current_id = ind["subgoal_id"]
                subgoals.append(
                    {
                        "text": ind["subgoal_text"],
                        "area_of_effort": ind["area_of_effort"],
                        "indicators": [],
                    }
                )
            comparators = comps_by_indicator.get(int(ind["indicator_id"]), [])
            subgoals[-1]["indicators"].append(indicator_json(ind, comparators, tolerance))
        for subgoal in subgoals:
            counts = {s: 0 for s in STATUSES}
            for ind in subgoal["indicators"]:
                counts[ind["status"]] += 1
            subgoal["counts"] = counts
            subgoal["summary"] = subgoal_summary(counts)
        plans.append(
            {
                "plan": plan["name"],
                "slug": plan["slug"],
                "year": status_year,
                "period": {"start": _iso(plan["period_start"]), "end": _iso(plan["period_end"])},
                "elapsed_share": _elapsed_share(
                    plan["period_start"], plan["period_end"], status_year
                ),
                "years": years.at[plan_id, "years"],
                "latest_data_year": _int(years.at[plan_id, "latest_data_year"]),
                "tolerance": asdict(tolerance),
                "subgoals": [
                    {
                        "text": s["text"],
                        "area_of_effort": s["area_of_effort"],
                        "summary": s["summary"],
                        "counts": s["counts"],
                        "indicators": s["indicators"],
                    }
                    for s in subgoals
                ],
            }
        )
    return plans


def year_range(inputs: ProgressInputs) -> tuple[int, int] | None:
    """The status years that make sense for the (single) plan in `inputs`: from the earliest of
    period start, baselines and data to the latest of period end and data."""
    plan = inputs.plans.iloc[0]
    candidates_low: list[int] = []
    candidates_high: list[int] = []
    if not pd.isna(plan["period_start"]):
        candidates_low.append(plan["period_start"].year)
    if not pd.isna(plan["period_end"]):
        candidates_high.append(plan["period_end"].year)
    baseline_years = inputs.indicators["baseline_year"].dropna()
    if len(baseline_years):
        candidates_low.append(int(baseline_years.min()))
    seen = plan_years(inputs).iloc[0]["years"]
    if seen:
        candidates_low.append(seen[0])
        candidates_high.append(seen[-1])
    if not candidates_low or not candidates_high:
        return None
    return min(candidates_low), max(candidates_high + candidates_low)


def plan_progress(
    engine: Engine,
    slug: str,
    year: int | None = None,
    tolerance: Tolerance = DEFAULT,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """One plan's progress for a status year (None: the latest year with data).

    Raises MonitorError (a Danish sentence) for an unknown slug or a year outside the plan's
    period and data.
    """
    inputs = load_progress_inputs(engine, slug)
    if year is not None:
        bounds = year_range(inputs)
        if bounds is not None and not bounds[0] <= int(year) <= bounds[1]:
            name = inputs.plans.iloc[0]["name"]
            raise MonitorError(
                f"Året {year} kan ikke bruges for {name}: vælg et år mellem "
                f"{bounds[0]} og {bounds[1]}."
            )
    return progress_from_inputs(inputs, year, tolerance, today)[0]


def all_plans_progress(
    engine: Engine,
    year: int | None = None,
    tolerance: Tolerance = DEFAULT,
    today: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Every plan's progress (one load and one vectorised pass for all), ordered by plan name."""
    return progress_from_inputs(load_progress_inputs(engine), year, tolerance, today)
