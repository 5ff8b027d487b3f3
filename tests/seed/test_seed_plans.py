"""Every seeded plan against what its signed delaftale says (tests/seed/expected.py): the YAML as
transcribed, and the plan as the store holds it after `init`."""

from __future__ import annotations

import pytest

from monitoring.seed import seed_files
from tests.seed.expected import PLANS, PlanFacts
from tests.seed.helpers import main_area_name, seed_yaml, seeded_plan

BY_SLUG = pytest.mark.parametrize("facts", PLANS, ids=[p.slug for p in PLANS])


def test_every_seed_file_has_expected_facts():
    assert {path.stem for path in seed_files()} == {p.slug for p in PLANS}


@BY_SLUG
def test_the_yaml_says_what_the_delaftale_says(facts: PlanFacts):
    content = seed_yaml(facts.slug)
    assert content["slug"] == facts.slug
    if facts.yaml_name:
        assert content["name"] == facts.name
    assert content["kommune"] == {"name": facts.kommune, "code": facts.kommune_code}
    assert main_area_name(content) == facts.main_area
    subgoals = content["agreement"]["subgoals"]
    assert tuple(len(s["indicators"]) for s in subgoals) == facts.indicators_per_subgoal


@BY_SLUG
def test_the_loaded_plan_says_what_the_delaftale_says(seeded_plans, facts: PlanFacts):
    plan = seeded_plan(seeded_plans, facts.slug)
    assert plan["slug"] == facts.slug
    assert plan["name"] == facts.name
    assert plan["kommune"] in (facts.kommune, f"{facts.kommune} Kommune")
    assert str(plan["kommune_code"]) == str(facts.kommune_code)
    assert plan["period"] == {"start": facts.period[0], "end": facts.period[1]}
    areas = {(a["name"], a["kind"]) for a in plan["areas"]}
    assert facts.areas <= areas
    if not facts.afdelinger:
        assert not [a for a in areas if a[1] == "afdeling"]
