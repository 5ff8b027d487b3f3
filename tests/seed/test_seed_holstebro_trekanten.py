"""Seed data for the delaftale Beskæftigelse, Helhedsplanen Trekanten (Holstebro).

The values asserted here are transcribed from the signed delaftale; see the comments in
monitoring/data/seed/holstebro-trekanten.yaml for the judgement calls behind them.
"""

from __future__ import annotations

import pytest

from tests.seed.helpers import (
    agreement_of,
    indicators_of,
    seeded_plan,
)

SLUG = "holstebro-trekanten"


# --------------------------------------------------------------------------- YAML (no fixture)


# --------------------------------------------------------------------------- loaded plan


def test_holstebro_trekanten_agreement(seeded_plans):
    agreement = agreement_of(seeded_plan(seeded_plans, SLUG))
    assert agreement["activities"] == [
        "Understøtte match og forpligtende samarbejde",
        "Supportgruppe",
        "Hverdagsrådgivning",
    ]
    assert len(agreement["parties"]) == 7
    assert agreement["parties"][0].startswith("Holstebro kommune: Jobcenter, Ydelseskontor")
    assert "Restaurant Kamoon" in agreement["parties"]
    assert agreement["parties"][-1] == "Dansk Flygtningehjælp"


def test_holstebro_trekanten_counts(seeded_plans):
    subgoals = agreement_of(seeded_plan(seeded_plans, SLUG))["subgoals"]
    assert len(subgoals) == 4
    assert [len(s["indicators"]) for s in subgoals] == [1, 1, 1, 1]
    assert sum(len(s["indicators"]) for s in subgoals) == 4
    assert subgoals[0]["text"].startswith(
        "Beboere på midlertidig offentlig forsørgelse kommer i hel eller delvis selvforsørgelse"
    )
    assert subgoals[1]["text"] == (
        "Beboernes mentale og fysiske sundhed styrkes. (målt på 25 år og opefter)"
    )
    assert subgoals[2]["text"] == "Supportgruppe understøtter beboernes jobsøgning"
    assert subgoals[3]["text"] == (
        "Satsning på at beboerne får lønnede timer så hurtigt som muligt (småjob)"
    )


def test_holstebro_trekanten_temporary_support_count(seeded_plans):
    ind = indicators_of(seeded_plan(seeded_plans, SLUG))[0]
    assert ind["name"] == "Antallet af borgere på midlertidig forsørgelse fra området falder"
    assert ind["unit"] == "count"
    assert ind["direction"] == -1
    assert ind["measure"] == "holstebro_trekanten_temporary_public_support_count"
    assert ind["baseline"]["value"] == pytest.approx(459)
    assert ind["baseline"]["year"] is None
    assert ind["baseline"]["note"] is None
    assert ind["comparators"] == []
    assert ind["target"] is None
    assert ind["deadline"] is None
    assert ind["source"] == "Holstebro Kommune, Arbejdsmarkedsafdeling"


def test_holstebro_trekanten_work_capacity(seeded_plans):
    ind = indicators_of(seeded_plan(seeded_plans, SLUG))[1]
    assert ind["name"] == "Beboernes arbejdsevne styrkes"
    assert ind["unit"] == "pct"
    # the measured quantity is the share with reduced work capacity: lower is better
    assert ind["direction"] == -1
    assert ind["measure"] == "holstebro_trekanten_reduced_work_capacity_25plus"
    assert ind["baseline"]["value"] == pytest.approx(26.0)
    assert ind["baseline"]["year"] is None
    assert ind["baseline"]["note"] is None
    assert ind["comparators"] == []
    assert ind["target"] is None
    assert ind["source"] == '"Hvordan har du det" Den nationale sundhedsprofil'


def test_holstebro_trekanten_support_group_volunteers(seeded_plans):
    ind = indicators_of(seeded_plan(seeded_plans, SLUG))[2]
    assert ind["name"] == "Antal frivillige som indgår i Supportgruppen"
    assert ind["unit"] == "count"
    assert ind["direction"] == 1
    assert ind["measure"] == "holstebro_trekanten_support_group_volunteers"
    assert ind["baseline"]["value"] is not None
    assert ind["baseline"]["value"] == pytest.approx(0)
    assert ind["baseline"]["year"] is None
    assert ind["baseline"]["note"] is None
    assert ind["comparators"] == []
    assert ind["target"] is None
    assert ind["source"] == "Den boligsociale helhedsplan registrerer antal frivillige"


def test_holstebro_trekanten_small_jobs_afventer_data(seeded_plans):
    ind = indicators_of(seeded_plan(seeded_plans, SLUG))[3]
    assert ind["name"] == "Antallet af beboere i alderen 30 - 64 år der er i småjobs stiger"
    assert ind["unit"] == "count"
    assert ind["direction"] == 1
    assert ind["measure"] == "holstebro_trekanten_small_jobs_30_64"
    assert ind["baseline"]["value"] is None
    assert ind["baseline"]["year"] is None
    assert ind["baseline"]["note"] == "Afventer data"
    assert ind["comparators"] == []
    assert ind["target"] is None
    assert ind["deadline"] is None
    assert ind["source"] == (
        "Data fra Holstebro Kommune Der påbegyndes udtræk af data i januar 2021"
    )


def test_holstebro_trekanten_no_targets_or_comparators(seeded_plans):
    for ind in indicators_of(seeded_plan(seeded_plans, SLUG)):
        assert ind["target"] is None
        assert ind["deadline"] is None
        assert ind["comparators"] == []


def test_holstebro_trekanten_no_yearless_baseline_observations(seeded_plans):
    """No baseline states a year, so none of them is loaded as an observation."""
    for ind in indicators_of(seeded_plan(seeded_plans, SLUG)):
        assert not [o for o in ind["observations"] if o["value"] is not None], ind["observations"]
