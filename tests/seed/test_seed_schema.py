"""Structural checks every delaftale in monitoring/data/seed/ must pass (see its README.md).

Plan-specific facts (names, counts, values) are asserted in the per-plan test files.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from monitoring.seed import seed_files
from tests.seed.helpers import AREA_OF_EFFORT, MEASURES_YAML, load_yaml

UNITS = {"pct", "count", "dkk", "status"}
DIRECTIONS = (-1, 0, 1)
AREA_KINDS = {"afdeling", "boligomraade", "kommune", "benchmark"}
COMPARATOR_AREA_KINDS = {"kommune", "benchmark"}
MEASURE_KEYS = {"key", "name", "unit", "population", "direction", "lbf"}
INDICATOR_KEYS = {
    "name",
    "measure",
    "unit",
    "direction",
    "baseline",
    "comparators",
    "target",
    "deadline",
    "source",
}
BASELINE_KEYS = {"value", "year", "note", "as_written"}
COMPARATOR_KEYS = {"label", "value", "year", "area", "as_written"}
TARGET_KEYS = {"value", "year", "note"}

SEED_FILES = seed_files()


def _check_identity(content: dict[str, Any], path: Path) -> None:
    assert content["slug"] == path.stem
    assert isinstance(content["name"], str) and content["name"]
    kommune = content["kommune"]
    assert isinstance(kommune["name"], str) and kommune["name"]
    assert isinstance(kommune["code"], int)


def _check_areas(content: dict[str, Any]) -> list[str]:
    """Known kinds, parents listed before their children, a boligområde as main area."""
    area_names: list[str] = []
    for area in content["areas"]:
        assert area["kind"] in AREA_KINDS
        assert area["name"]
        if area.get("parent"):
            assert area["parent"] in area_names
        area_names.append(area["name"])
    assert any(a["kind"] == "boligomraade" for a in content["areas"])
    return area_names


def _check_local_measures(
    local: list[dict[str, Any]], shared_keys: set[str], prefix: str
) -> list[str]:
    """Local measures: no key defined twice or shadowing a shared one; non-LBF ones prefixed."""
    local_keys = [m["key"] for m in local]
    assert len(local_keys) == len(set(local_keys))
    assert not shared_keys & set(local_keys)
    for m in local:
        assert m.keys() >= MEASURE_KEYS
        assert m["unit"] in UNITS
        assert m["direction"] in DIRECTIONS
        if m["lbf"] is False:
            assert m["key"].startswith(prefix)
        else:
            assert m["lbf"] is True and not m["key"].startswith(prefix)
    return local_keys


def _check_agreement_text(agreement: dict[str, Any]) -> None:
    assert agreement["area_of_effort"] == AREA_OF_EFFORT
    start, end = agreement["period"]["start"], agreement["period"]["end"]
    assert isinstance(start, dt.date) and isinstance(end, dt.date) and start < end
    assert agreement["parties"]
    assert all(isinstance(p, str) and p for p in agreement["parties"])
    assert agreement["activities"]
    assert all(isinstance(a, str) and a for a in agreement["activities"])
    assert isinstance(agreement["staff_resources"], str) and agreement["staff_resources"]


def _check_baseline(ind: dict[str, Any]) -> None:
    baseline = ind["baseline"]
    assert baseline.keys() >= BASELINE_KEYS
    assert baseline["value"] is None or isinstance(baseline["value"], (int, float))
    assert baseline["year"] is None or isinstance(baseline["year"], int)
    assert baseline["as_written"]
    if baseline["value"] is None:
        assert baseline["note"], "a missing baseline value must keep the words in note"
    if ind["unit"] == "pct" and baseline["value"] is not None:
        assert 0 <= baseline["value"] <= 100


def _check_comparators(ind: dict[str, Any]) -> None:
    for comp in ind["comparators"]:
        assert comp.keys() >= COMPARATOR_KEYS
        assert comp["label"]
        assert comp["area"]["kind"] in COMPARATOR_AREA_KINDS
        if comp["area"]["kind"] == "benchmark":
            assert comp["area"]["name"]


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.stem for p in SEED_FILES])
def test_seed_yaml_schema(path: Path):
    content = load_yaml(path)
    _check_identity(content, path)
    area_names = _check_areas(content)

    # measures: shared keys plus this file's own, local ones prefixed with the underscored slug
    shared = load_yaml(MEASURES_YAML)["measures"]
    shared_keys = {m["key"] for m in shared}
    local = content.get("measures") or []
    prefix = content["slug"].replace("-", "_") + "_"
    local_keys = _check_local_measures(local, shared_keys, prefix)
    measures = {m["key"]: m for m in shared} | {m["key"]: m for m in local}

    agreement = content["agreement"]
    _check_agreement_text(agreement)

    used_local: set[str] = set()
    assert agreement["subgoals"]
    for sub in agreement["subgoals"]:
        assert isinstance(sub["text"], str) and sub["text"]
        assert sub["indicators"]
        for ind in sub["indicators"]:
            assert ind.keys() >= INDICATOR_KEYS, ind.get("name")
            assert ind["unit"] in UNITS
            assert ind["direction"] in DIRECTIONS
            assert ind["measure"] in measures, ind["measure"]
            assert measures[ind["measure"]]["unit"] == ind["unit"]
            if ind["measure"] in local_keys:
                used_local.add(ind["measure"])
            if ind.get("area"):
                assert ind["area"] in area_names
            # LBF sources use shared (or lbf: true) measures, other named sources plan-local
            # ones; a datakilde the document leaves blank (null) says nothing either way
            is_lbf_measure = ind["measure"] in shared_keys or measures[ind["measure"]]["lbf"]
            if ind["source"] is not None:
                assert ind["source"], "a blank datakilde is null, not an empty string"
                assert ("LBF" in ind["source"]) == is_lbf_measure, ind["name"]
            _check_baseline(ind)
            _check_comparators(ind)
            if ind["target"] is not None:
                assert ind["target"].keys() >= TARGET_KEYS
            if ind["unit"] == "status" or ind["deadline"] is not None:
                assert isinstance(ind["deadline"], dt.date)
    assert used_local == set(local_keys), "every local measure is used by an indicator"


def test_seed_files_are_found():
    """The parametrization above is not silently empty."""
    assert SEED_FILES
    assert all(p.name != MEASURES_YAML.name for p in SEED_FILES)
