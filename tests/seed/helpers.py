"""Helpers shared by the seed-data tests: reading the YAML files and picking a loaded plan apart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from monitoring.seed import MEASURES_FILE, SEED_DIR

MEASURES_YAML = SEED_DIR / MEASURES_FILE
AREA_OF_EFFORT = "Beskæftigelse"


def load_yaml(path: Path) -> dict[str, Any]:
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(content, dict), path.name
    return content


def seed_yaml(slug: str) -> dict[str, Any]:
    """The raw content of monitoring/data/seed/<slug>.yaml."""
    return load_yaml(SEED_DIR / f"{slug}.yaml")


def main_area_name(content: dict[str, Any]) -> str:
    """The plan's main area: the first boligområde listed in the YAML."""
    return next(a["name"] for a in content["areas"] if a["kind"] == "boligomraade")


def seeded_plan(seeded_plans: dict[str, dict[str, Any]], slug: str) -> dict[str, Any]:
    assert slug in seeded_plans, f"{slug} is not among the seeded plans"
    return seeded_plans[slug]


def agreement_of(plan: dict[str, Any]) -> dict[str, Any]:
    """The plan's only Beskæftigelse delaftale."""
    agreements = [a for a in plan["agreements"] if a["area_of_effort"] == AREA_OF_EFFORT]
    assert len(agreements) == 1
    return agreements[0]


def indicators_of(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Every indicator of the delaftale, delmål by delmål, in document order."""
    return [ind for sub in agreement_of(plan)["subgoals"] for ind in sub["indicators"]]


def indicator_named(plan: dict[str, Any], name: str) -> dict[str, Any]:
    matches = [i for i in indicators_of(plan) if i["name"] == name]
    assert len(matches) == 1, name
    return matches[0]


def comparators_of(indicator: dict[str, Any]) -> list[tuple[str, float | None, int | None]]:
    return [(c["label"], c["value"], c["year"]) for c in indicator["comparators"]]


def assert_comparators(
    indicator: dict[str, Any], expected: list[tuple[str, float, int | None]]
) -> None:
    """The comparators are exactly `expected` (label, value, year), in order."""
    actual = comparators_of(indicator)
    assert [label for label, _, _ in actual] == [label for label, _, _ in expected]
    for (_, value, year), (_, want_value, want_year) in zip(actual, expected, strict=True):
        assert value == pytest.approx(want_value)
        assert year == want_year
