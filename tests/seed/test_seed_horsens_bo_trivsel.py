"""Seed data for the delaftale Beskæftigelse, Bo Trivsel (Horsens).

The values asserted here are transcribed from the signed delaftale; see the comments in
monitoring/data/seed/horsens-bo-trivsel.yaml for the judgement calls behind them.
"""

from __future__ import annotations

import pytest

from tests.seed.helpers import (
    agreement_of,
    comparators_of,
    indicator_named,
    indicators_of,
    seed_yaml,
    seeded_plan,
)

SLUG = "horsens-bo-trivsel"
SUBGOAL_TEXTS = [
    "Flere skal tættere på arbejdsmarkedet",
    "Den gennemsnitlige indkomst skal øges",
    "Flere skal i arbejde",
]
# Indicator names in the order they are loaded (delmål by first appearance, rows within them).
INDICATOR_NAMES = [
    "Andel ledige og aktiverede",
    "Gennemsnitlig husstandsindkomst",
    "Personer, der modtager økonomisk rådgivning",
    "Andel 18-64årige beskæftigede",
]


# --------------------------------------------------------------------------- YAML (no fixture)


def test_horsens_bo_trivsel_yaml_texts():
    subgoals = seed_yaml(SLUG)["agreement"]["subgoals"]
    assert [s["text"] for s in subgoals] == SUBGOAL_TEXTS
    assert [i["name"] for s in subgoals for i in s["indicators"]] == INDICATOR_NAMES


# --------------------------------------------------------------------------- loaded plan


def test_horsens_bo_trivsel_agreement(seeded_plans):
    agreement = agreement_of(seeded_plan(seeded_plans, SLUG))
    assert agreement["parties"] == [
        "Beskæftigelseschef, Job og Velfærd, Horsens Kommune",
        "Ungechef, Børn Unge og Kultur, Horsens Kommune",
        "Boligsocial chef, Xx Xxxxxxx",
    ]
    activities = agreement["activities"]
    assert len(activities) == 17
    assert activities[0] == "Fremskudt beskæftigelsesindsats"
    assert "Økonomirådgivning" in activities
    assert activities[-1] == "Indsats mod negativ social kontrol"
    assert "92,5 t/uge" in agreement["staff_resources"]
    assert "Økonomirådgivning: 46 t/uge" in agreement["staff_resources"]


def test_horsens_bo_trivsel_counts(seeded_plans):
    subgoals = agreement_of(seeded_plan(seeded_plans, SLUG))["subgoals"]
    assert len(subgoals) == 3
    assert [s["text"] for s in subgoals] == SUBGOAL_TEXTS
    assert [len(s["indicators"]) for s in subgoals] == [1, 2, 1]
    assert [i["name"] for i in indicators_of(seeded_plan(seeded_plans, SLUG))] == INDICATOR_NAMES


def test_horsens_bo_trivsel_unemployed_and_activated(seeded_plans):
    """A share of the not employed (its own measure), and more is closer to the labour market."""
    ind = indicator_named(seeded_plan(seeded_plans, SLUG), "Andel ledige og aktiverede")
    assert ind["measure"] == "unemployed_activated_among_not_employed"
    assert ind["measure_name"] == "Andel ledige og aktiverede blandt ikke-beskæftigede"
    assert ind["unit"] == "pct"
    assert ind["direction"] == 1
    assert ind["area"] == "Bo Trivsel"
    assert ind["baseline"]["value"] == pytest.approx(18.3)
    assert ind["baseline"]["year"] == 2021
    assert ind["baseline"]["note"] is None
    assert ind["baseline"]["as_written"] == "18,3%"
    assert len(ind["comparators"]) == 1
    label, value, year = comparators_of(ind)[0]
    assert label == "Horsens Kommune"
    assert value == pytest.approx(25.21)
    assert year == 2021
    assert ind["comparators"][0]["area_kind"] == "kommune"
    assert ind["target"] is None
    assert ind["deadline"] is None
    assert ind["source"] == "LBF beboerdata"


def test_horsens_bo_trivsel_unemployed_and_activated_measure():
    """Not the shared 16-64 share: an LBF measure of the plan's own, with no age band claimed."""
    content = seed_yaml(SLUG)
    (measure,) = [
        m for m in content["measures"] if m["key"] == "unemployed_activated_among_not_employed"
    ]
    assert measure == {
        "key": "unemployed_activated_among_not_employed",
        "name": "Andel ledige og aktiverede blandt ikke-beskæftigede",
        "unit": "pct",
        "population": "beboere uden for beskæftigelse (aldersgruppen står ikke i delaftalen)",
        "direction": 1,
        "lbf": True,
    }
    (row,) = content["agreement"]["subgoals"][0]["indicators"]
    assert row["measure"] == measure["key"]
    # read as a share of ALL people of working age, the kommune would exceed 100 %
    employed = content["agreement"]["subgoals"][2]["indicators"][0]
    assert employed["comparators"][0]["value"] + row["comparators"][0]["value"] > 100


def test_horsens_bo_trivsel_household_income(seeded_plans):
    ind = indicator_named(seeded_plan(seeded_plans, SLUG), "Gennemsnitlig husstandsindkomst")
    assert ind["measure"] == "household_income_avg"
    assert ind["unit"] == "dkk"
    assert ind["direction"] == 1
    assert ind["baseline"]["value"] == pytest.approx(364534.0)
    assert ind["baseline"]["year"] == 2021
    assert ind["baseline"]["note"] is None
    assert ind["baseline"]["as_written"] == "364.534kr"
    assert len(ind["comparators"]) == 1
    label, value, year = comparators_of(ind)[0]
    assert label == "Horsens Kommune"
    assert value == pytest.approx(626181.0)
    assert year == 2021
    assert ind["target"] is None
    assert ind["source"] == "LBF beboerdata"


def test_horsens_bo_trivsel_economic_advice_count(seeded_plans):
    """Row 4: a count from Bo Trivsel's own records, baseline year 2022, comparator cell "?"."""
    ind = indicator_named(
        seeded_plan(seeded_plans, SLUG), "Personer, der modtager økonomisk rådgivning"
    )
    assert ind["measure"] == "horsens_bo_trivsel_economic_advice_recipients"
    assert ind["unit"] == "count"
    assert ind["direction"] == 0
    assert ind["baseline"]["value"] == pytest.approx(200.0)
    assert ind["baseline"]["year"] == 2022
    assert ind["baseline"]["note"] is None
    assert ind["baseline"]["as_written"] == "200 personer"
    assert ind["comparators"] == []  # "Evt. anden baseline" is "?"
    assert ind["target"] is None
    assert ind["deadline"] is None
    assert ind["source"] == "Bo Trivsels egen registrering"
    subgoal = next(
        s
        for s in agreement_of(seeded_plan(seeded_plans, SLUG))["subgoals"]
        if ind in s["indicators"]
    )
    assert subgoal["text"] == "Den gennemsnitlige indkomst skal øges"


def test_horsens_bo_trivsel_employed(seeded_plans):
    ind = indicator_named(seeded_plan(seeded_plans, SLUG), "Andel 18-64årige beskæftigede")
    assert ind["measure"] == "employed_18_64"
    assert ind["unit"] == "pct"
    assert ind["direction"] == 1
    assert ind["baseline"]["value"] == pytest.approx(54.4)
    assert ind["baseline"]["year"] == 2021
    assert ind["baseline"]["note"] is None
    assert len(ind["comparators"]) == 1
    label, value, year = comparators_of(ind)[0]
    assert label == "Horsens Kommune"
    assert value == pytest.approx(78.89)
    assert year == 2021
    assert ind["target"] is None
    assert ind["source"] == "LBF beboerdata"


def test_horsens_bo_trivsel_no_targets_or_deadlines(seeded_plans):
    for ind in indicators_of(seeded_plan(seeded_plans, SLUG)):
        assert ind["target"] is None, ind["name"]
        assert ind["deadline"] is None, ind["name"]
        assert ind["unit"] != "status"


def test_horsens_bo_trivsel_baseline_observations(seeded_plans):
    """Baselines and kommune comparators with a year start the series."""
    expected = {
        "Andel ledige og aktiverede": {
            ("Bo Trivsel", 2021): 18.3,
            ("Horsens Kommune", 2021): 25.21,
        },
        "Gennemsnitlig husstandsindkomst": {
            ("Bo Trivsel", 2021): 364534.0,
            ("Horsens Kommune", 2021): 626181.0,
        },
        "Personer, der modtager økonomisk rådgivning": {("Bo Trivsel", 2022): 200.0},
        "Andel 18-64årige beskæftigede": {
            ("Bo Trivsel", 2021): 54.4,
            ("Horsens Kommune", 2021): 78.89,
        },
    }
    for name, cells in expected.items():
        obs = {
            (o["area"], o["year"]): o["value"]
            for o in indicator_named(seeded_plan(seeded_plans, SLUG), name)["observations"]
        }
        for cell, value in cells.items():
            assert cell in obs, (name, cell, obs)
            assert obs[cell] == pytest.approx(value)
