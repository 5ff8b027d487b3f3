"""Benchmark: the vectorised progress engine against a straightforward per-row Python loop.

    python -m bench.progress_bench [--plans 200] [--indicators 10] [--years 10] [--repeat 15]

Synthetic frames (no database): every plan has `indicators` indicators with `years` yearly
observations for its area and for one comparator area (the kommune); a mix of pct, count, dkk and
milestones, a few suppressed values, some baselines missing ("Afventer data"), some targets.

Both implementations compute the same figures in the same run: reference, latest observation and
its state, change, relative change, improvement, status (with milestones), target progress and
whether it is reached, comparator gaps now and at the reference, share of the gap closed, whether
it is passed, trend slope and projection. The loop walks the observation rows one by one (grouped
by cell in one pass, then one pass per indicator). The results are checked to agree before the
times are printed. Targets from the issue: vectorised >= 20x faster and < 50 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import statistics
import sys
import time
from collections import defaultdict

import numpy as np
import pandas as pd

from monitoring.progress import (
    DEFAULT,
    MISSING,
    NOT_ASSESSED,
    ON_TRACK,
    UNCHANGED,
    WRONG_WAY,
    Tolerance,
    compute_progress,
)
from monitoring.progress.inputs import (
    COMPARATOR_COLUMNS,
    INDICATOR_COLUMNS,
    OBSERVATION_COLUMNS,
    frame,
)

FIRST_YEAR = 2015
TODAY = dt.date(2030, 1, 1)


def synthetic(plans: int, per_plan: int, years: int, seed: int = 7):
    """(indicators with status_year, comparators, observations) as the engine expects them."""
    rng = np.random.default_rng(seed)
    n = plans * per_plan
    ids = np.arange(1, n + 1)
    plan_id = np.repeat(np.arange(1, plans + 1), per_plan)
    unit = rng.choice(["pct", "count", "dkk", "status"], size=n, p=[0.7, 0.13, 0.12, 0.05])
    direction = rng.choice([1, -1, 0], size=n, p=[0.5, 0.4, 0.1])
    scale = np.select([unit == "pct", unit == "count", unit == "dkk"], [40.0, 300.0, 250_000.0], 1)
    start = scale * rng.uniform(0.5, 1.5, n)
    drift = scale * rng.normal(0, 0.03, n)
    year_values = np.arange(FIRST_YEAR, FIRST_YEAR + years)
    last_year = FIRST_YEAR + years - 1
    baseline_known = rng.random(n) > 0.1
    has_target = (rng.random(n) < 0.3) & (unit != "status")
    target = np.where(has_target, start + direction * scale * 0.1, np.nan)
    start_date = pd.Timestamp(f"{FIRST_YEAR + 1}-01-01")
    end_date = pd.Timestamp(f"{last_year + 1}-12-31")
    indicators = frame(
        {
            "indicator_id": ids,
            "plan_id": plan_id,
            "agreement_id": plan_id,
            "area_of_effort": "Beskæftigelse",
            "subgoal_id": plan_id * 100 + np.arange(n) % per_plan // 3,
            "subgoal_position": np.arange(n) % per_plan // 3,
            "subgoal_text": "Delmål",
            "position": np.arange(n) % per_plan,
            "name": [f"Indikator {i}" for i in ids],
            "measure_id": ids,
            "measure_key": [f"m{i}" for i in ids],
            "measure_name": "Andel beboere i job",
            "area_id": 1,
            "area_name": "Området",
            "unit": unit,
            "direction": np.where(unit == "status", 1, direction),
            "baseline_value": np.where(baseline_known & (unit != "status"), start, np.nan),
            "baseline_year": np.where(baseline_known & (unit != "status"), FIRST_YEAR, np.nan),
            "baseline_note": np.where(baseline_known, None, "Afventer data"),
            "target_value": target,
            "target_year": np.where(has_target & (rng.random(n) < 0.5), last_year, np.nan),
            "target_note": None,
            "deadline": np.where(unit == "status", pd.Timestamp(f"{FIRST_YEAR + 4}-12-31"), pd.NaT),
            "period_start": start_date,
            "period_end": end_date,
        },
        INDICATOR_COLUMNS,
    ).assign(status_year=last_year)
    comparators = frame(
        {
            "comparator_id": ids,
            "indicator_id": ids,
            "position": 0,
            "label": "Hele kommunen",
            "area_id": 2,
            "area_name": "Kommunen",
            "area_kind": "kommune",
            "baseline_value": np.where(unit != "status", start * 1.3, np.nan),
            "baseline_year": FIRST_YEAR,
        },
        COMPARATOR_COLUMNS,
    )
    comparators = comparators.loc[unit != "status"].reset_index(drop=True)
    cell_year = np.tile(year_values, n)
    cell_id = np.repeat(ids, years)
    step = np.tile(np.arange(years), n)
    noise = np.repeat(scale, years) * rng.normal(0, 0.01, n * years)
    own = np.repeat(start, years) + np.repeat(drift, years) * step + noise
    own = np.where(np.repeat(unit == "status", years), np.minimum(step // 3, 2), own)
    own = np.round(own, 1)
    state = np.where(rng.random(n * years) < 0.05, "suppressed", "ok")
    kommune = np.round(np.repeat(start * 1.3, years) + np.repeat(drift, years) * step * 0.5, 1)
    numeric_cells = np.repeat(unit != "status", years)
    observations = frame(
        {
            "measure_id": np.concatenate([cell_id, cell_id[numeric_cells]]),
            "area_id": np.r_[np.ones(n * years, int), np.full(numeric_cells.sum(), 2)],
            "year": np.concatenate([cell_year, cell_year[numeric_cells]]),
            "value": np.concatenate([np.where(state == "ok", own, np.nan), kommune[numeric_cells]]),
            "state": np.concatenate([state, np.full(numeric_cells.sum(), "ok")]),
        },
        OBSERVATION_COLUMNS,
    )
    return indicators, comparators, observations


# --------------------------------------------------------------------------------------------
# The straightforward loop: one indicator at a time, one observation row at a time
# --------------------------------------------------------------------------------------------


def _nan(value):
    return value is None or (isinstance(value, float) and math.isnan(value))


def loop_progress(indicators, comparators, observations, tolerance: Tolerance = DEFAULT):
    cells = defaultdict(list)
    for obs in observations.itertuples(index=False):
        cells[(obs.measure_id, obs.area_id)].append(obs)
    comps_of = defaultdict(list)
    for comp in comparators.itertuples(index=False):
        comps_of[comp.indicator_id].append(comp)
    out, comp_out = {}, {}
    for ind in indicators.itertuples(index=False):
        y_status = ind.status_year
        latest = None
        first_valid = last_valid = None
        points = []
        for obs in sorted(cells[(ind.measure_id, ind.area_id)], key=lambda o: o.year):
            if obs.year > y_status:
                continue
            latest = obs
            if obs.state == "ok" and not _nan(obs.value):
                if first_valid is None:
                    first_valid = obs
                last_valid = obs
                points.append((obs.year, obs.value))
        from_baseline = not _nan(ind.baseline_value)
        if from_baseline:
            ref_value, ref_year = ind.baseline_value, ind.baseline_year
        elif first_valid is not None:
            ref_value, ref_year = first_valid.value, first_valid.year
        else:
            ref_value = ref_year = math.nan
        numeric = ind.unit != "status"
        last_value = last_valid.value if last_valid else math.nan
        last_year = last_valid.year if last_valid else math.nan
        comparable = (
            numeric
            and last_valid is not None
            and not _nan(ref_value)
            and (_nan(ref_year) or last_year > ref_year)
        )
        current = last_year == y_status
        change = last_value - ref_value if comparable else math.nan
        relative = math.nan
        if comparable and ind.unit in ("count", "dkk") and ref_value != 0:
            relative = change / abs(ref_value) * 100
        improvement = change * ind.direction if ind.direction != 0 else math.nan
        if numeric:
            if not comparable or not current:
                status = MISSING
            elif ind.direction == 0:
                status = NOT_ASSESSED
            else:
                if ind.unit == "pct":
                    within = abs(round(change, 9)) <= tolerance.pct_points
                elif ref_value != 0:
                    within = abs(round(relative, 9)) <= tolerance.relative_pct
                else:
                    within = round(change, 9) == 0
                if within:
                    status = UNCHANGED
                else:
                    status = ON_TRACK if round(improvement, 9) > 0 else WRONG_WAY
        else:
            code = last_value if last_value in (0, 1, 2) else math.nan
            checked = min(dt.date(int(y_status), 12, 31), TODAY)
            past = not pd.isna(ind.deadline) and checked > ind.deadline.date()
            overdue = (math.nan if _nan(code) else float(code != 2)) if past else 0.0
            if code == 2:
                status = ON_TRACK
            elif _nan(code):
                status = MISSING
            elif overdue == 1:
                status = WRONG_WAY
            elif not current:
                status = MISSING
            else:
                status = ON_TRACK if code == 1 else UNCHANGED
        progress = reached = math.nan
        if numeric and not _nan(ind.target_value) and last_valid is not None:
            span = round(ind.target_value - ref_value, 9)
            ahead = span * ind.direction > 0 if ind.direction else span != 0
            if comparable and ahead:
                progress = (last_value - ref_value) / (ind.target_value - ref_value)
            if ind.direction:
                reached = float(round((last_value - ind.target_value) * ind.direction, 9) >= 0)
            else:
                reached = float(
                    round(abs(last_value - ind.target_value), 9) == 0
                    or (not _nan(progress) and round(progress, 9) >= 1)
                )
        slope = projected = math.nan
        if numeric:
            trend = [(y, v) for y, v in points if _nan(ref_year) or y >= ref_year]
            baseline_point = from_baseline and not _nan(ref_year) and ref_year <= y_status
            if baseline_point and all(y != ref_year for y, _ in points):
                trend.append((ref_year, ref_value))
            if len(trend) >= 3:
                xs = [y - 2000.0 for y, _ in trend]
                ys = [v for _, v in trend]
                mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
                sxx = sum((x - mx) ** 2 for x in xs)
                if sxx > 0:
                    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
                    projected = my + slope * (ind.period_end.year - 2000.0 - mx)
                    projected = (
                        min(100.0, max(0.0, projected))
                        if ind.unit == "pct"
                        else max(0.0, projected)
                    )
        out[ind.indicator_id] = (
            ref_value,
            latest.state if latest is not None else None,
            change,
            relative,
            improvement,
            status,
            progress,
            reached,
            slope,
            projected,
        )
        for comp in comps_of[ind.indicator_id]:
            series = {
                o.year: o.value
                for o in cells[(ind.measure_id, comp.area_id)]
                if o.state == "ok" and not _nan(o.value)
            }
            value_ref = series.get(ref_year, math.nan) if not _nan(ref_year) else math.nan
            if _nan(value_ref) and (comp.baseline_year == ref_year or _nan(ref_year)):
                value_ref = comp.baseline_value
            value_now = series.get(last_year, math.nan) if not _nan(last_year) else math.nan
            if _nan(value_now) and comp.baseline_year == last_year:
                value_now = comp.baseline_value

            def gap(other, own, direction=ind.direction, numeric=numeric):
                if not numeric:
                    return math.nan
                signed = (other - own) * direction if direction else abs(other - own)
                return round(signed, 9)

            gap_ref, gap_now = gap(value_ref, ref_value), gap(value_now, last_value)
            closed = math.nan
            if comparable and gap_ref > 0 and not _nan(gap_now):
                closed = (gap_ref - gap_now) / gap_ref
            passed = float(gap_now < 0) if ind.direction and not _nan(gap_now) else math.nan
            comp_out[comp.comparator_id] = (gap_ref, gap_now, closed, passed)
    return out, comp_out


def _same(a, b) -> bool:
    if isinstance(a, str) or isinstance(b, str) or a is None or b is None:
        return a == b
    if _nan(a) and _nan(b):
        return True
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def check(vectorised, looped) -> int:
    """The two implementations agree field by field; returns the number of values compared."""
    result, comps = vectorised
    by_indicator, by_comparator = looped
    columns = [
        "ref_value",
        "latest_state",
        "change",
        "change_relative",
        "improvement",
        "status",
        "progress",
        "reached",
        "slope",
        "projected_value",
    ]
    compared = 0
    for row in result[["indicator_id", *columns]].itertuples(index=False):
        expected = by_indicator[row.indicator_id]
        for name, got, want in zip(columns, row[1:], expected, strict=True):
            got = (
                None
                if isinstance(got, float) and math.isnan(got) and name == "latest_state"
                else got
            )
            assert _same(got, want), (row.indicator_id, name, got, want)
            compared += 1
    for row in comps[["comparator_id", "gap_ref", "gap_now", "closed", "passed"]].itertuples(
        index=False
    ):
        for name, got, want in zip(
            ("gap_ref", "gap_now", "closed", "passed"),
            row[1:],
            by_comparator[row.comparator_id],
            strict=True,
        ):
            assert _same(got, want), (row.comparator_id, name, got, want)
            compared += 1
    return compared


def timed(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--indicators", type=int, default=10)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    indicators, comparators, observations = synthetic(args.plans, args.indicators, args.years)

    def vectorised():
        return compute_progress(indicators, comparators, observations, today=TODAY)

    def looped():
        return loop_progress(indicators, comparators, observations)

    vectorised()  # warm-up (imports, caches)
    fast, fast_result = timed(vectorised, args.repeat)
    slow, slow_result = timed(looped, max(5, args.repeat // 3))
    compared = check(fast_result, slow_result)
    ratio = slow / fast
    print(
        f"{args.plans} plans x {args.indicators} indicators x {args.years} years: "
        f"{len(indicators)} indicators, {len(comparators)} comparators, "
        f"{len(observations)} observations; {compared} values agree"
    )
    print(f"vectorised engine : {fast * 1000:8.1f} ms (median of {args.repeat})")
    print(f"per-row loop      : {slow * 1000:8.1f} ms (median of {max(5, args.repeat // 3)})")
    print(f"ratio             : {ratio:8.1f}x faster")
    ok = ratio >= 20 and fast < 0.050
    print(f"targets (>= 20x, < 50 ms): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
