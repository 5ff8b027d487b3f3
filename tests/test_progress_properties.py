"""Properties of the progress engine (hypothesis): direction symmetry, closing gaps, scale freedom."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from monitoring.progress import MISSING, NOT_ASSESSED, ON_TRACK, STATUSES, UNCHANGED, WRONG_WAY
from tests.progress_cases import one

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
YEARS = (2021, 2022, 2023, 2024)
SWAPPED = {
    ON_TRACK: WRONG_WAY,
    WRONG_WAY: ON_TRACK,
    UNCHANGED: UNCHANGED,
    MISSING: MISSING,
    NOT_ASSESSED: NOT_ASSESSED,
}

pct_value = st.floats(0, 100, allow_nan=False).map(lambda v: round(v, 1))


@st.composite
def series(draw, unit=None):
    unit = unit or draw(st.sampled_from(["pct", "count", "dkk"]))
    value = pct_value if unit == "pct" else st.integers(0, 5000).map(float)
    obs = {y: draw(st.one_of(value, value, value, st.just("suppressed"))) for y in YEARS}
    obs = {y: v for y, v in obs.items() if draw(st.booleans()) or y == YEARS[-1]}
    baseline = draw(st.one_of(st.none(), value.map(lambda v: (v, 2021))))
    target = draw(st.one_of(st.none(), value.map(lambda v: (v, None))))
    comparator = {"baseline": (draw(value), 2021), "obs": {2024: draw(value)}}
    return {
        "unit": unit,
        "baseline": baseline,
        "target": target,
        "obs": obs,
        "comparators": [comparator],
    }


@SETTINGS
@given(spec=series(), direction=st.sampled_from([1, -1]))
def test_flipping_direction_flips_improvement_and_swaps_verdicts(spec, direction):
    ahead = one({**spec, "direction": direction}, 2024)
    flipped = one({**spec, "direction": -direction}, 2024)
    assert ahead["status_code"] in STATUSES
    assert flipped["status_code"] == SWAPPED[ahead["status_code"]]
    assert ahead["change"] == flipped["change"]
    if ahead["improvement"] is None:
        assert flipped["improvement"] is None
    else:
        assert flipped["improvement"] == pytest.approx(-ahead["improvement"])
    for mine, theirs in zip(ahead["comparators"], flipped["comparators"], strict=True):
        if mine["gap_now"] is not None:
            assert theirs["gap_now"] == pytest.approx(-mine["gap_now"])


@SETTINGS
@given(
    unit=st.sampled_from(["pct", "count", "dkk"]),
    direction=st.sampled_from([1, -1, 0]),
    start=st.integers(0, 100),
    other_start=st.integers(0, 100),
    meeting_point=st.integers(0, 100),
)
def test_reaching_the_comparator_closes_the_whole_gap(
    unit, direction, start, other_start, meeting_point
):
    gap = (other_start - start) * direction if direction else abs(other_start - start)
    assume(gap > 0)
    spec = {
        "unit": unit,
        "direction": direction,
        "baseline": (float(start), 2021),
        "obs": {2024: float(meeting_point)},
        "comparators": [{"baseline": (float(other_start), 2021), "obs": {2024: meeting_point}}],
    }
    comparator = one(spec, 2024)["comparators"][0]
    assert comparator["gap_now"] == 0
    assert comparator["gap_closed_share"] == 1.0
    assert comparator["passed"] in (False, None)


@SETTINGS
@given(
    spec=series(unit="dkk"),
    direction=st.sampled_from([1, -1, 0]),
    factor=st.sampled_from([0.001, 0.5, 2.0, 3.0, 7.0, 1000.0, 12_345.0]),
)
def test_scaling_kroner_changes_neither_relative_change_nor_status(spec, direction, factor):
    def scaled(item):
        if isinstance(item, float | int):
            return item * factor
        if isinstance(item, tuple):
            return (scaled(item[0]), item[1])
        return item

    big = {
        **spec,
        "baseline": None if spec["baseline"] is None else scaled(spec["baseline"]),
        "target": None if spec["target"] is None else scaled(spec["target"]),
        "obs": {y: scaled(v) for y, v in spec["obs"].items()},
        "comparators": [
            {"baseline": scaled(c["baseline"]), "obs": {y: scaled(v) for y, v in c["obs"].items()}}
            for c in spec["comparators"]
        ],
    }
    small = one({**spec, "direction": direction}, 2024)
    large = one({**big, "direction": direction}, 2024)
    assert large["status_code"] == small["status_code"]
    if small["change_relative"] is None:
        assert large["change_relative"] is None
    else:
        assert large["change_relative"] == pytest.approx(small["change_relative"], abs=1e-6)
    if small["target"] and small["target"]["progress"] is not None:
        assert large["target"]["progress"] == pytest.approx(small["target"]["progress"], abs=1e-6)


@SETTINGS
@given(spec=series(), direction=st.sampled_from([1, -1, 0]), gap_year=st.sampled_from(YEARS[1:3]))
def test_a_suppressed_year_counts_as_no_value_never_as_zero(spec, direction, gap_year):
    obs = dict(spec["obs"])
    obs.pop(gap_year, None)
    without = one({**spec, "direction": direction, "obs": obs}, 2024)
    suppressed = one({**spec, "direction": direction, "obs": {**obs, gap_year: "suppressed"}}, 2024)
    assert suppressed["change"] == without["change"]
    assert suppressed["status_code"] == without["status_code"]
    assert suppressed["trend"] == without["trend"]
    assert suppressed["comparators"] == without["comparators"]
