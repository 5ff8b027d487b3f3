"""Seed data for the delaftale Beskæftigelse, Aktive Boligområder i Svendborg.

The values asserted here are transcribed from the signed delaftale; see the comments in
monitoring/data/seed/svendborg-aktive-boligomraader.yaml for the judgement calls behind them.
"""

from __future__ import annotations

import pytest

from tests.seed.helpers import (
    agreement_of,
    assert_comparators,
    indicators_of,
    seed_yaml,
    seeded_plan,
)

SLUG = "svendborg-aktive-boligomraader"
MAIN_AREA = "Aktive Boligområder i Svendborg"
OTHER_BASELINE_AREA = "Anden baseline (delaftale Aktive Boligområder i Svendborg)"


# --------------------------------------------------------------------------- YAML (no fixture)


def test_svendborg_aktive_boligomraader_yaml_measures():
    content = seed_yaml(SLUG)
    subgoals = content["agreement"]["subgoals"]
    # the LBF rows use shared keys; only the Svendborg Kommune count is plan-local
    assert [s["indicators"][0]["measure"] for s in subgoals] == [
        "no_education_after_basic_school_18_29",
        "neet_15_29",
        "no_work_or_education_18_64",
        "svendborg_aktive_boligomraader_refugee_immigrant_positive_progression",
        "refugees_immigrants_no_labour_attachment_18_64",
        "public_support_18_64",
    ]
    assert [m["key"] for m in content.get("measures") or []] == [
        "svendborg_aktive_boligomraader_refugee_immigrant_positive_progression"
    ]


def test_svendborg_aktive_boligomraader_main_area_comes_first(seeded_plans):
    areas = [(a["name"], a["kind"]) for a in seeded_plan(seeded_plans, SLUG)["areas"]]
    assert areas[0] == (MAIN_AREA, "boligomraade")
    assert len(areas) == 5  # exactly the five of tests/seed/expected.py


# --------------------------------------------------------------------------- loaded plan


def test_svendborg_aktive_boligomraader_agreement(seeded_plans):
    agreement = agreement_of(seeded_plan(seeded_plans, SLUG))
    assert agreement["activities"] == [
        "På Sporet Igen",
        "Mentornetværk Svendborg",
        "Styrket koordinering",
    ]
    assert agreement["parties"] == [
        "Aktive Boligområder i Svendborg (Boligsocialt sekretariat)",
        "Svendborg Jobcenter – Team Integration",
        "UU Sydfyn",
        "Socialafdelingen",
        "Familieafdelingen",
    ]


def test_svendborg_aktive_boligomraader_counts(seeded_plans):
    subgoals = agreement_of(seeded_plan(seeded_plans, SLUG))["subgoals"]
    assert len(subgoals) == 6
    assert sum(len(s["indicators"]) for s in subgoals) == 6
    assert [s["text"] for s in subgoals] == [
        "Flere unge påbegynder og gennemfører en uddannelse efter grundskolen",
        "Flere unge kommer i beskæftigelse eller uddannelse",
        "Flere beboere kommer i beskæftigelse eller i gang med uddannelse",
        "Flere beboere med flygtninge/indvandrerbaggrund kommer nærmere arbejdsmarkedet og selvforsørgelse",
        "Flere beboere med flygtninge/indvandrerbaggrund kommer i beskæftigelse",
        "Færre beboere er på offentlig forsørgelse",
    ]


def test_svendborg_aktive_boligomraader_no_education_18_29(seeded_plans):
    ind = indicators_of(seeded_plan(seeded_plans, SLUG))[0]
    assert ind["name"] == (
        "Andel unge i alderen 18-29 år, som ikke er i gang med eller har gennemført "
        "uddannelse efter grundskolen"
    )
    assert ind["measure"] == "no_education_after_basic_school_18_29"
    assert ind["unit"] == "pct"
    assert ind["direction"] == -1
    assert ind["area"] == MAIN_AREA
    assert ind["baseline"]["value"] == pytest.approx(42.8)
    assert ind["baseline"]["year"] == 2020
    assert ind["baseline"]["note"] is None
    assert ind["baseline"]["as_written"] == "42,8 %"
    assert_comparators(ind, [("Anden baseline", 17.8, 2020)])
    assert ind["comparators"][0]["area"] == OTHER_BASELINE_AREA
    assert ind["target"] is None
    assert ind["deadline"] is None
    assert ind["source"] == "LBF Boligsociale Data"


def test_svendborg_aktive_boligomraader_neet_15_29(seeded_plans):
    ind = indicators_of(seeded_plan(seeded_plans, SLUG))[1]
    assert ind["name"] == (
        "Andel unge i alderen 15-29 år, som ikke er i gang med uddannelse eller beskæftigelse"
    )
    assert ind["measure"] == "neet_15_29"
    assert ind["unit"] == "pct"
    assert ind["direction"] == -1
    assert ind["baseline"]["value"] == pytest.approx(35.0)
    assert ind["baseline"]["year"] == 2019
    assert ind["baseline"]["note"] is None
    assert_comparators(ind, [("Anden baseline", 17.4, 2019)])
    assert ind["target"] is None
    assert ind["source"] == "LBF Boligsociale Data"


def test_svendborg_aktive_boligomraader_no_work_or_education_18_64(seeded_plans):
    ind = indicators_of(seeded_plan(seeded_plans, SLUG))[2]
    assert ind["name"].startswith("Andel af beboerne mellem 18 og 64 år, som ikke har tilknytning")
    assert ind["measure"] == "no_work_or_education_18_64"
    assert ind["unit"] == "pct"
    # the subgoal says "Flere ... i beskæftigelse", but the indicator is the share WITHOUT
    assert ind["direction"] == -1
    assert ind["baseline"]["value"] == pytest.approx(48.7)
    assert ind["baseline"]["year"] == 2019
    assert ind["baseline"]["note"] is None
    assert_comparators(ind, [("Anden baseline", 16.5, 2019)])
    assert ind["source"] == "LBF Boligsociale Data"


def test_svendborg_aktive_boligomraader_positive_progression_count(seeded_plans):
    ind = indicators_of(seeded_plan(seeded_plans, SLUG))[3]
    assert ind["name"] == (
        "Antal beboere med flygtninge/indvandrerbaggrund med positiv progression"
    )
    assert ind["measure"] == "svendborg_aktive_boligomraader_refugee_immigrant_positive_progression"
    assert ind["unit"] == "count"
    assert ind["direction"] == 1
    assert ind["baseline"]["value"] == pytest.approx(0)
    assert ind["baseline"]["year"] == 2021
    assert ind["baseline"]["note"] is None
    assert ind["baseline"]["as_written"] == "0"
    assert_comparators(ind, [("Anden baseline", 0, 2021)])
    assert ind["target"] is None
    assert ind["deadline"] is None
    assert ind["source"] == "Svendborg Kommune"


def test_svendborg_aktive_boligomraader_refugees_no_labour_attachment(seeded_plans):
    ind = indicators_of(seeded_plan(seeded_plans, SLUG))[4]
    assert ind["name"].startswith(
        "Andel af beboere med flygtninge/indvandrerbaggrund mellem 18 og 64"
    )
    assert ind["measure"] == "refugees_immigrants_no_labour_attachment_18_64"
    assert ind["unit"] == "pct"
    assert ind["direction"] == -1
    assert ind["baseline"]["value"] == pytest.approx(55.1)
    assert ind["baseline"]["year"] == 2020
    assert ind["baseline"]["note"] is None
    assert_comparators(ind, [("Anden baseline", 36.8, 2020)])
    assert ind["source"] == "LBF Beboerdata"


def test_svendborg_aktive_boligomraader_public_support(seeded_plans):
    ind = indicators_of(seeded_plan(seeded_plans, SLUG))[5]
    assert ind["name"] == (
        "Andelen af beboere i alderen 18-64 år, som har modtaget offentlig forsørgelse "
        "i indeværende år"
    )
    assert ind["measure"] == "public_support_18_64"
    assert ind["unit"] == "pct"
    assert ind["direction"] == -1
    assert ind["baseline"]["value"] == pytest.approx(58.5)
    assert ind["baseline"]["year"] == 2020
    assert ind["baseline"]["note"] is None
    assert_comparators(ind, [("Anden baseline", 24.1, 2020)])
    assert ind["target"] is None
    assert ind["deadline"] is None
    assert ind["source"] == "LBF Beboerdata"


def test_svendborg_aktive_boligomraader_no_targets_or_deadlines(seeded_plans):
    """The delaftale sets no targets, deadlines or 'Afventer data' baselines."""
    for ind in indicators_of(seeded_plan(seeded_plans, SLUG)):
        assert ind["target"] is None, ind["name"]
        assert ind["deadline"] is None, ind["name"]
        assert ind["baseline"]["value"] is not None, ind["name"]
        assert ind["baseline"]["note"] is None, ind["name"]


def test_svendborg_aktive_boligomraader_baseline_observations(seeded_plans):
    """Every baseline has a value and a year, so each series starts at its baseline."""
    for ind in indicators_of(seeded_plan(seeded_plans, SLUG)):
        expected = ind["baseline"]["value"]
        values = [
            o["value"]
            for o in ind["observations"]
            if o["year"] == ind["baseline"]["year"] and o["area"] == MAIN_AREA
        ]
        assert any(v == pytest.approx(expected) for v in values if v is not None), (
            ind["name"],
            ind["observations"],
        )
