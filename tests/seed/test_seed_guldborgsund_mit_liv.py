"""Seed data for the delaftale Beskæftigelse, "Mit liv – mit sted – min fremtid" (Guldborgsund).

The values asserted here are transcribed from the signed delaftale; see the comments in
monitoring/data/seed/guldborgsund-mit-liv.yaml for the judgement calls behind them.
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

SLUG = "guldborgsund-mit-liv"
OTHER_ALMENE = "Andre almene boligområder"


# --------------------------------------------------------------------------- YAML (no fixture)


def test_guldborgsund_mit_liv_yaml_adds_no_measures():
    # every indicator is LBF beboerdata and uses a shared key, so no measures are added here
    assert seed_yaml(SLUG).get("measures") in (None, [])


# --------------------------------------------------------------------------- loaded plan


def test_guldborgsund_mit_liv_agreement(seeded_plans):
    agreement = agreement_of(seeded_plan(seeded_plans, SLUG))
    assert agreement["activities"] == [
        "Gå Frem - beskæftigelsesfremmende uddannelsesforløb",
        "En borger – en plan – et sted: Myndighed på en ny måde",
    ]
    assert len(agreement["parties"]) == 4
    assert agreement["parties"][0].startswith(
        "Guldborgsund Kommune, Center for Arbejdsmarked (Jobcenteret)"
    )
    assert agreement["parties"][-1].startswith("Guldborgsund Kommune, Center for Børn & Læring")
    assert "Projektmedarbejder 1: 25%" in agreement["staff_resources"]
    assert "Projektmedarbejder 2: 25%" in agreement["staff_resources"]


def test_guldborgsund_mit_liv_counts(seeded_plans):
    subgoals = agreement_of(seeded_plan(seeded_plans, SLUG))["subgoals"]
    assert len(subgoals) == 3
    assert [len(s["indicators"]) for s in subgoals] == [2, 1, 2]
    assert [s["text"] for s in subgoals] == [
        "Flere skal tilknyttes arbejdsmarkedet og komme i beskæftigelse",
        "Færre modtagere af offentlig forsørgelse",
        "Flere i uddannelse",
    ]


def test_guldborgsund_mit_liv_no_targets_or_deadlines(seeded_plans):
    """The table sets no targets, milestones or words-only baselines; the last row names no source."""
    indicators = indicators_of(seeded_plan(seeded_plans, SLUG))
    for ind in indicators:
        assert ind["target"] is None
        assert ind["deadline"] is None
        assert ind["unit"] == "pct"
        assert ind["baseline"]["value"] is not None
    assert [ind["source"] for ind in indicators] == ["LBF beboerdata"] * 4 + [None]
    assert [ind["baseline"]["note"] for ind in indicators[:4]] == [None] * 4


def test_guldborgsund_mit_liv_employed_baseline(seeded_plans):
    ind = indicators_of(seeded_plan(seeded_plans, SLUG))[0]
    assert ind["name"] == "Andelen af beboere (18-64 år), der er beskæftiget"
    assert ind["measure"] == "employed_18_64"
    assert ind["unit"] == "pct"
    assert ind["direction"] == 1
    assert ind["baseline"]["value"] == pytest.approx(40.0)
    assert ind["baseline"]["year"] == 2021
    assert ind["baseline"]["note"] is None
    assert_comparators(ind, [("Hele kommunen", 71.0, 2021), (OTHER_ALMENE, 43.4, 2021)])


def test_guldborgsund_mit_liv_immigrants_outside_labour_force(seeded_plans):
    """Continuation row under the first delmål; a lower share is better."""
    sub = agreement_of(seeded_plan(seeded_plans, SLUG))["subgoals"][0]
    ind = sub["indicators"][1]
    assert ind["name"].startswith("Andelen af indvandre og efterkommere (30-64 år)")
    assert ind["measure"] == "immigrants_outside_labour_force_30_64"
    assert ind["unit"] == "pct"
    assert ind["direction"] == -1
    assert ind["baseline"]["value"] == pytest.approx(27.5)
    assert ind["baseline"]["year"] == 2021
    assert ind["baseline"]["note"] is None
    assert_comparators(ind, [("Hele kommunen", 2.5, 2021), (OTHER_ALMENE, 9.8, 2021)])


def test_guldborgsund_mit_liv_passive_cash_benefit(seeded_plans):
    ind = agreement_of(seeded_plan(seeded_plans, SLUG))["subgoals"][1]["indicators"][0]
    assert ind["name"] == "Andelen af 30-64 årige modtagere af passiv kontanthjælp"
    assert ind["measure"] == "passive_cash_benefit_30_64"
    assert ind["unit"] == "pct"
    assert ind["direction"] == -1
    assert ind["baseline"]["value"] == pytest.approx(28.4)
    assert ind["baseline"]["year"] == 2021
    assert ind["baseline"]["note"] is None
    assert_comparators(ind, [("Hele kommunen", 15.6, 2021), (OTHER_ALMENE, 16.3, 2021)])


def test_guldborgsund_mit_liv_basic_school_highest(seeded_plans):
    """Under the delmål 'Flere i uddannelse', yet a lower share is better."""
    ind = agreement_of(seeded_plan(seeded_plans, SLUG))["subgoals"][2]["indicators"][0]
    assert ind["name"] == (
        "Andelen af unge (18-29 år) med grundskole som højst fuldførte uddannelse"
    )
    assert ind["measure"] == "basic_school_highest_18_29"
    assert ind["unit"] == "pct"
    assert ind["direction"] == -1
    assert ind["baseline"]["value"] == pytest.approx(30.3)
    assert ind["baseline"]["year"] == 2020
    assert ind["baseline"]["note"] is None
    assert_comparators(ind, [("Hele kommunen", 21.5, 2020), (OTHER_ALMENE, 32.0, 2020)])


def test_guldborgsund_mit_liv_youth_education_without_year(seeded_plans):
    """Blank "Baseline år" and "Datakilde" cells stay blank: no year borrowed from the row above."""
    ind = agreement_of(seeded_plan(seeded_plans, SLUG))["subgoals"][2]["indicators"][1]
    assert ind["name"] == "Andel personer (25-34 år) med ungdomsuddannelse"
    assert ind["measure"] == "youth_education_25_34"
    assert ind["measure_name"] == "Andel 25-34-årige med en ungdomsuddannelse"
    assert ind["unit"] == "pct"
    assert ind["direction"] == 1
    assert ind["baseline"]["value"] == pytest.approx(46.6)
    assert ind["baseline"]["year"] is None
    assert ind["baseline"]["note"] == "Året fremgår ikke af delaftalen."
    assert ind["baseline"]["as_written"] == "46,6%"
    assert ind["source"] is None
    assert ind["target"] is None
    assert ind["deadline"] is None
    assert_comparators(ind, [("Hele kommunen", 72.0, None), (OTHER_ALMENE, 50.4, None)])
    assert [c["as_written"] for c in ind["comparators"]] == [
        "Hele kommunen 72%",
        "Andre almene boligområder 50,4%",
    ]
    # without a year the delaftale's figures are no observations (no 2020 cell from row 4)
    assert ind["observations"] == []


def test_guldborgsund_mit_liv_comparator_areas(seeded_plans):
    plan = seeded_plan(seeded_plans, SLUG)
    for ind in indicators_of(plan):
        kinds = [c["area_kind"] for c in ind["comparators"]]
        assert kinds == ["kommune", "benchmark"]
        assert ind["comparators"][0]["area"] == plan["kommune"]
        assert ind["comparators"][1]["area"] == ("Andre almene boligområder i Guldborgsund Kommune")


def test_guldborgsund_mit_liv_baseline_observations(seeded_plans):
    """Baselines and comparators with a year start the series for the area and its references."""
    ind = indicators_of(seeded_plan(seeded_plans, SLUG))[0]
    by_area = {(o["area"], o["year"]): o["value"] for o in ind["observations"]}
    assert by_area[("Østerbro", 2021)] == pytest.approx(40.0)
    assert by_area[("Andre almene boligområder i Guldborgsund Kommune", 2021)] == pytest.approx(
        43.4
    )
