"""The synthetic demo set: plausible, deterministic, marked as demo, never over real figures."""

import pandas as pd
import pytest

from monitoring.demo import (
    DEMO_FILE,
    demo_active,
    generate_demo,
    has_real_observations,
    load_demo,
)
from monitoring.seed import load_seed
from monitoring.show import store_snapshot


def test_demo_is_deterministic_and_starts_at_the_baselines(seeded_plans):
    snapshot = {"plans": list(seeded_plans.values())}
    first, second = generate_demo(snapshot), generate_demo(snapshot)
    pd.testing.assert_frame_equal(first, second)
    for plan in seeded_plans.values():
        for agreement in plan["agreements"]:
            for subgoal in agreement["subgoals"]:
                for ind in subgoal["indicators"]:
                    base = ind["baseline"]
                    if base["value"] is None or base["year"] is None or ind["unit"] == "status":
                        continue
                    row = first[
                        (first.measure == ind["measure"])
                        & (first.area == ind["area"])
                        & (first.year == base["year"])
                    ]
                    assert row.value.iloc[0] == pytest.approx(base["value"], abs=0.01)


def test_demo_percentages_stay_between_0_and_100(seeded_plans):
    frame = generate_demo({"plans": list(seeded_plans.values())})
    units = {
        i["measure"]: i["unit"]
        for p in seeded_plans.values()
        for a in p["agreements"]
        for s in a["subgoals"]
        for i in s["indicators"]
    }
    shares = frame[frame.measure.map(units) == "pct"].value.dropna()
    assert shares.between(0, 100).all()


def test_demo_load_is_marked_and_keeps_seed_cells(engine):
    load_seed(engine)
    before = store_snapshot(engine, actor="test")
    assert not demo_active(engine) and not has_real_observations(engine)
    added = load_demo(engine, generate_demo(before))
    assert added > 0
    assert demo_active(engine) and has_real_observations(engine)
    after = store_snapshot(engine, actor="test")
    seeded_cells = {
        (i["measure"], o["area"], o["year"]): o["value"]
        for p in before["plans"]
        for a in p["agreements"]
        for s in a["subgoals"]
        for i in s["indicators"]
        for o in i["observations"]
    }
    for plan in after["plans"]:
        for a in plan["agreements"]:
            for s in a["subgoals"]:
                for i in s["indicators"]:
                    for o in i["observations"]:
                        key = (i["measure"], o["area"], o["year"])
                        if key in seeded_cells:
                            assert o["value"] == seeded_cells[key]


def test_shipped_demo_file_matches_the_seed(seeded_plans):
    if not DEMO_FILE.exists():
        pytest.skip("no demo file shipped")
    shipped = pd.read_csv(DEMO_FILE)
    fresh = generate_demo({"plans": list(seeded_plans.values())})
    assert len(shipped) == len(fresh), "run: python -m data.samples.make_demo"
