"""Seed data for the delaftale Beskæftigelse, Boligsocial Helhedsplan i Løvvangen (Aalborg).

The values asserted here are transcribed from the signed delaftale; see the comments in
monitoring/data/seed/aalborg-loevvangen.yaml for the judgement calls behind them.
"""

from __future__ import annotations

import pytest

from tests.seed.helpers import (
    agreement_of,
    comparators_of,
    indicators_of,
    seeded_plan,
)

SLUG = "aalborg-loevvangen"


# --------------------------------------------------------------------------- YAML (no fixture)


# --------------------------------------------------------------------------- loaded plan


def test_aalborg_loevvangen_agreement(seeded_plans):
    agreement = agreement_of(seeded_plan(seeded_plans, SLUG))
    assert agreement["activities"] == [
        "Erhvervsnetværk 9400",
        "En plads til alle",
        "Fra trivsel til beskæftigelse",
    ]
    assert len(agreement["parties"]) == 6
    assert agreement["parties"][0].startswith("Jobcenter, Familie- og Beskæftigelsesforvaltningen")
    assert agreement["parties"][-1].startswith("Erhvervsnetværk 9400")


def test_aalborg_loevvangen_counts(seeded_plans):
    subgoals = agreement_of(seeded_plan(seeded_plans, SLUG))["subgoals"]
    assert len(subgoals) == 4
    assert [len(s["indicators"]) for s in subgoals] == [1, 1, 1, 1]
    assert subgoals[0]["text"] == "Etablering og forankring af et Erhvervsnetværk 9400"
    assert subgoals[2]["text"].startswith("Reducere andelen af beboere, der er aktivitetsparate")
    assert subgoals[3]["text"] == (
        "Reducere andelen af beboere, der er jobparate og uddannelsesparate (tættest på arbejdsmarkedet)"
    )


def test_aalborg_loevvangen_network_milestone(seeded_plans):
    ind = indicators_of(seeded_plan(seeded_plans, SLUG))[0]
    assert ind["name"].startswith("Erhvervsnetværk er etableret, fungerende og forankret")
    assert ind["unit"] == "status"
    assert ind["direction"] == 1
    assert ind["measure"] == "aalborg_loevvangen_business_network_established"
    assert ind["baseline"]["value"] is None
    assert ind["baseline"]["year"] == 2020
    assert ind["baseline"]["note"].startswith(
        "Pr. 01.10.2020 Arbejde med etablering af Erhvervsnetværk 9400"
    )
    assert ind["deadline"] == "2022-12-31"
    assert ind["target"] is None
    assert ind["comparators"] == []
    assert ind["source"] == "Helhedsplanen/ Virksomhedsservice Aalborg Kommune"


def test_aalborg_loevvangen_network_placements_target(seeded_plans):
    ind = indicators_of(seeded_plan(seeded_plans, SLUG))[1]
    assert ind["name"].startswith("Antal/andel beboere, der årligt formidles i et forløb")
    assert ind["unit"] == "pct"
    assert ind["direction"] == 1
    assert ind["baseline"]["value"] is None
    assert ind["baseline"]["year"] == 2022
    assert ind["baseline"]["note"] == "Første måling pr. 01.01.2022"
    assert ind["comparators"] == []
    assert ind["target"] is not None
    assert ind["target"]["value"] == pytest.approx(20.0)
    assert ind["target"]["year"] is None  # an annual target
    assert ind["deadline"] is None
    assert ind["source"] == "Helhedsplanen/ Virksomhedsservice Aalborg Kommune"


def test_aalborg_loevvangen_activity_ready_baseline(seeded_plans):
    ind = indicators_of(seeded_plan(seeded_plans, SLUG))[2]
    assert ind["name"] == (
        "Andelen af borgere 18-64 år, der er aktivitetsparat, i ressource-forløb, "
        "revalidering og integrationsprogram"
    )
    assert ind["unit"] == "pct"
    assert ind["direction"] == -1
    assert ind["measure"] == "aalborg_loevvangen_activity_ready_18_64"
    assert ind["baseline"]["value"] == pytest.approx(13.9)
    assert ind["baseline"]["year"] == 2020
    assert ind["baseline"]["note"] is None
    assert ind["target"] is None
    assert len(ind["comparators"]) == 1
    label, value, year = comparators_of(ind)[0]
    assert label == "Aalborg Kommune"
    assert value == pytest.approx(3.45)
    assert year == 2020
    assert ind["source"] == "Familie- og Beskæftigelsesforvaltningen, Aalborg Kommune"


def test_aalborg_loevvangen_job_ready_baseline(seeded_plans):
    ind = indicators_of(seeded_plan(seeded_plans, SLUG))[3]
    assert ind["name"] == "Andelen af borgere 18-64 år, der er jobparate og uddannelsesparate"
    assert ind["unit"] == "pct"
    assert ind["direction"] == -1
    assert ind["measure"] == "aalborg_loevvangen_job_education_ready_18_64"
    assert ind["baseline"]["value"] == pytest.approx(3.7)
    assert ind["baseline"]["year"] == 2020
    assert ind["baseline"]["note"] is None
    assert ind["target"] is None
    assert ind["deadline"] is None
    assert len(ind["comparators"]) == 1
    label, value, year = comparators_of(ind)[0]
    assert label == "Aalborg Kommune"
    assert value == pytest.approx(1.22)
    assert year == 2020
    assert ind["source"] == "Familie- og Beskæftigelsesforvaltningen, Aalborg Kommune"


def test_aalborg_loevvangen_baseline_observations(seeded_plans):
    """Baselines with a value and year start the series; words-only baselines do not."""
    inds = indicators_of(seeded_plan(seeded_plans, SLUG))
    for ind, expected in ((inds[2], 13.9), (inds[3], 3.7)):
        values = [
            o["value"] for o in ind["observations"] if o["year"] == 2020 and o["value"] is not None
        ]
        assert any(v == pytest.approx(expected) for v in values), ind["observations"]
    for ind in inds[:2]:
        assert not [
            o for o in ind["observations"] if o["value"] is not None and o["year"] in (2020, 2022)
        ]
