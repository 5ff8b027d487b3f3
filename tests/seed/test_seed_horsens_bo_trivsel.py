"""Seed data for the delaftale Beskæftigelse, Bo Trivsel (Horsens).

The values asserted here are transcribed from the signed delaftale; see the comments in
data/seed/horsens-bo-trivsel.yaml for the judgement calls behind them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

SLUG = "horsens-bo-trivsel"
SEED_DIR = Path(__file__).resolve().parents[2] / "data" / "seed"
SEED_FILE = SEED_DIR / f"{SLUG}.yaml"

UNITS = {"pct", "count", "dkk", "status"}
AREA_KINDS = {"afdeling", "boligomraade", "kommune", "benchmark"}
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
MEASURE_KEYS = {"key", "name", "unit", "population", "direction", "lbf"}
LOCAL_PREFIX = "horsens_bo_trivsel_"

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


def _load_yaml(path: Path) -> dict:
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(content, dict)
    return content


def _plan(seeded_plans: dict) -> dict:
    assert SLUG in seeded_plans, f"{SLUG} is not among the seeded plans"
    return seeded_plans[SLUG]


def _agreement(plan: dict) -> dict:
    agreements = [a for a in plan["agreements"] if a["area_of_effort"] == "Beskæftigelse"]
    assert len(agreements) == 1
    return agreements[0]


def _indicators(plan: dict) -> list[dict]:
    return [ind for sub in _agreement(plan)["subgoals"] for ind in sub["indicators"]]


def _indicator(seeded_plans: dict, name: str) -> dict:
    matches = [i for i in _indicators(_plan(seeded_plans)) if i["name"] == name]
    assert len(matches) == 1, name
    return matches[0]


def _comparators(indicator: dict) -> list[tuple]:
    return [(c["label"], c["value"], c["year"]) for c in indicator["comparators"]]


# --------------------------------------------------------------------------- schema (no fixture)


def test_horsens_bo_trivsel_yaml_schema():
    content = _load_yaml(SEED_FILE)
    shared = _load_yaml(SEED_DIR / "measures.yaml")["measures"]
    local = content.get("measures") or []

    assert content["slug"] == SLUG
    assert content["name"] == "Bo Trivsel"
    assert content["kommune"] == {"name": "Horsens", "code": 615}

    # areas: known kinds, parents listed before their children, main area first
    area_names: list[str] = []
    for area in content["areas"]:
        assert area["kind"] in AREA_KINDS
        assert area["name"]
        if area.get("parent"):
            assert area["parent"] in area_names
        area_names.append(area["name"])
    assert next(a["name"] for a in content["areas"] if a["kind"] == "boligomraade") == "Bo Trivsel"

    # measures: shared keys plus this file's own; none defined twice; local ones prefixed
    shared_keys = {m["key"] for m in shared}
    local_keys = [m["key"] for m in local]
    assert len(local_keys) == len(set(local_keys))
    assert not shared_keys & set(local_keys)
    measures = {m["key"]: m for m in shared} | {m["key"]: m for m in local}
    for m in local:
        assert m.keys() >= MEASURE_KEYS
        assert m["unit"] in UNITS
        assert m["direction"] in (-1, 0, 1)
        if m["lbf"] is False:
            assert m["key"].startswith(LOCAL_PREFIX)
        else:
            assert m["lbf"] is True and not m["key"].startswith(LOCAL_PREFIX)

    agreement = content["agreement"]
    assert agreement["area_of_effort"] == "Beskæftigelse"
    start, end = agreement["period"]["start"], agreement["period"]["end"]
    assert isinstance(start, dt.date) and isinstance(end, dt.date) and start < end
    assert all(isinstance(p, str) and p for p in agreement["parties"])
    assert all(isinstance(a, str) and a for a in agreement["activities"])
    assert isinstance(agreement["staff_resources"], str) and agreement["staff_resources"]

    used_local: set[str] = set()
    assert agreement["subgoals"]
    for sub in agreement["subgoals"]:
        assert isinstance(sub["text"], str) and sub["text"]
        assert sub["indicators"]
        for ind in sub["indicators"]:
            assert ind.keys() >= INDICATOR_KEYS, ind.get("name")
            assert ind["unit"] in UNITS
            assert ind["direction"] in (-1, 0, 1)
            assert ind["measure"] in measures, ind["measure"]
            assert measures[ind["measure"]]["unit"] == ind["unit"]
            if ind["measure"] in local_keys:
                used_local.add(ind["measure"])
            if ind.get("area"):
                assert ind["area"] in area_names
            # LBF sources use shared (or lbf: true) measures, everything else plan-local ones
            is_lbf_source = "LBF" in (ind["source"] or "")
            assert is_lbf_source == (
                ind["measure"] in shared_keys or measures[ind["measure"]].get("lbf") is True
            )

            baseline = ind["baseline"]
            assert baseline.keys() >= BASELINE_KEYS
            assert baseline["value"] is None or isinstance(baseline["value"], (int, float))
            assert baseline["year"] is None or isinstance(baseline["year"], int)
            if baseline["value"] is None:
                assert baseline["note"], "a missing baseline value must keep the words in note"
            if ind["unit"] == "pct" and baseline["value"] is not None:
                assert 0 <= baseline["value"] <= 100

            for comp in ind["comparators"]:
                assert comp.keys() >= COMPARATOR_KEYS
                assert comp["label"]
                assert comp["area"]["kind"] in ("kommune", "benchmark")
                if comp["area"]["kind"] == "benchmark":
                    assert comp["area"]["name"]

            if ind["target"] is not None:
                assert {"value", "year", "note"} <= ind["target"].keys()
            if ind["unit"] == "status" or ind["deadline"] is not None:
                assert isinstance(ind["deadline"], dt.date)
    assert used_local == set(local_keys), "every local measure is used by an indicator"


def test_horsens_bo_trivsel_yaml_schema_counts():
    subgoals = _load_yaml(SEED_FILE)["agreement"]["subgoals"]
    assert [s["text"] for s in subgoals] == SUBGOAL_TEXTS
    assert [len(s["indicators"]) for s in subgoals] == [1, 2, 1]
    assert [i["name"] for s in subgoals for i in s["indicators"]] == INDICATOR_NAMES


# --------------------------------------------------------------------------- loaded plan


def test_horsens_bo_trivsel_plan_identity(seeded_plans):
    plan = _plan(seeded_plans)
    assert plan["slug"] == SLUG
    assert plan["name"] == "Bo Trivsel"
    assert plan["kommune"] in ("Horsens", "Horsens Kommune")
    assert str(plan["kommune_code"]) == "615"
    assert plan["period"] == {"start": "2024-01-01", "end": "2027-12-31"}


def test_horsens_bo_trivsel_areas(seeded_plans):
    areas = {(a["name"], a["kind"]) for a in _plan(seeded_plans)["areas"]}
    assert ("Bo Trivsel", "boligomraade") in areas
    assert ("Sundparken", "boligomraade") in areas
    assert ("Sønderbro", "boligomraade") in areas
    assert not [a for a in areas if a[1] == "afdeling"]  # the document names no afdelinger


def test_horsens_bo_trivsel_agreement(seeded_plans):
    agreement = _agreement(_plan(seeded_plans))
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
    subgoals = _agreement(_plan(seeded_plans))["subgoals"]
    assert len(subgoals) == 3
    assert [s["text"] for s in subgoals] == SUBGOAL_TEXTS
    assert [len(s["indicators"]) for s in subgoals] == [1, 2, 1]
    assert [i["name"] for i in _indicators(_plan(seeded_plans))] == INDICATOR_NAMES


def test_horsens_bo_trivsel_unemployed_and_activated(seeded_plans):
    ind = _indicator(seeded_plans, "Andel ledige og aktiverede")
    assert ind["measure"] == "unemployed_and_activated"
    assert ind["unit"] == "pct"
    assert ind["direction"] == -1
    assert ind["area"] == "Bo Trivsel"
    assert ind["baseline"]["value"] == pytest.approx(18.3)
    assert ind["baseline"]["year"] == 2021
    assert ind["baseline"]["note"] is None
    assert ind["baseline"]["as_written"] == "18,3%"
    assert len(ind["comparators"]) == 1
    label, value, year = _comparators(ind)[0]
    assert label == "Horsens Kommune"
    assert value == pytest.approx(25.21)
    assert year == 2021
    assert ind["comparators"][0]["area_kind"] == "kommune"
    assert ind["target"] is None
    assert ind["deadline"] is None
    assert ind["source"] == "LBF beboerdata"


def test_horsens_bo_trivsel_household_income(seeded_plans):
    ind = _indicator(seeded_plans, "Gennemsnitlig husstandsindkomst")
    assert ind["measure"] == "household_income_avg"
    assert ind["unit"] == "dkk"
    assert ind["direction"] == 1
    assert ind["baseline"]["value"] == pytest.approx(364534.0)
    assert ind["baseline"]["year"] == 2021
    assert ind["baseline"]["note"] is None
    assert ind["baseline"]["as_written"] == "364.534kr"
    assert len(ind["comparators"]) == 1
    label, value, year = _comparators(ind)[0]
    assert label == "Horsens Kommune"
    assert value == pytest.approx(626181.0)
    assert year == 2021
    assert ind["target"] is None
    assert ind["source"] == "LBF beboerdata"


def test_horsens_bo_trivsel_economic_advice_count(seeded_plans):
    """Row 4: a count from Bo Trivsel's own records, baseline year 2022, comparator cell "?"."""
    ind = _indicator(seeded_plans, "Personer, der modtager økonomisk rådgivning")
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
    subgoal = next(s for s in _agreement(_plan(seeded_plans))["subgoals"] if ind in s["indicators"])
    assert subgoal["text"] == "Den gennemsnitlige indkomst skal øges"


def test_horsens_bo_trivsel_employed(seeded_plans):
    ind = _indicator(seeded_plans, "Andel 18-64årige beskæftigede")
    assert ind["measure"] == "employed_18_64"
    assert ind["unit"] == "pct"
    assert ind["direction"] == 1
    assert ind["baseline"]["value"] == pytest.approx(54.4)
    assert ind["baseline"]["year"] == 2021
    assert ind["baseline"]["note"] is None
    assert len(ind["comparators"]) == 1
    label, value, year = _comparators(ind)[0]
    assert label == "Horsens Kommune"
    assert value == pytest.approx(78.89)
    assert year == 2021
    assert ind["target"] is None
    assert ind["source"] == "LBF beboerdata"


def test_horsens_bo_trivsel_no_targets_or_deadlines(seeded_plans):
    for ind in _indicators(_plan(seeded_plans)):
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
            for o in _indicator(seeded_plans, name)["observations"]
        }
        for cell, value in cells.items():
            assert cell in obs, (name, cell, obs)
            assert obs[cell] == pytest.approx(value)
