"""Seed data for the delaftale Beskæftigelse, "Mit liv – mit sted – min fremtid" (Guldborgsund).

The values asserted here are transcribed from the signed delaftale; see the comments in
data/seed/guldborgsund-mit-liv.yaml for the judgement calls behind them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

SLUG = "guldborgsund-mit-liv"
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
LOCAL_PREFIX = "guldborgsund_mit_liv_"
OTHER_ALMENE = "Andre almene boligområder"


def _plan(seeded_plans: dict) -> dict:
    assert SLUG in seeded_plans, f"{SLUG} is not among the seeded plans"
    return seeded_plans[SLUG]


def _agreement(plan: dict) -> dict:
    agreements = [a for a in plan["agreements"] if a["area_of_effort"] == "Beskæftigelse"]
    assert len(agreements) == 1
    return agreements[0]


def _indicators(plan: dict) -> list[dict]:
    return [ind for sub in _agreement(plan)["subgoals"] for ind in sub["indicators"]]


def _comparators(indicator: dict) -> list[tuple]:
    return [(c["label"], c["value"], c["year"]) for c in indicator["comparators"]]


def _assert_comparators(indicator: dict, expected: list[tuple[str, float, int]]) -> None:
    actual = _comparators(indicator)
    assert [label for label, _, _ in actual] == [label for label, _, _ in expected]
    for (_, value, year), (_, want_value, want_year) in zip(actual, expected, strict=True):
        assert value == pytest.approx(want_value)
        assert year == want_year


# --------------------------------------------------------------------------- schema (no fixture)


def _load_yaml(path: Path) -> dict:
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(content, dict)
    return content


def test_guldborgsund_mit_liv_yaml_schema():
    content = _load_yaml(SEED_FILE)
    shared = _load_yaml(SEED_DIR / "measures.yaml")["measures"]
    local = content.get("measures") or []

    assert content["slug"] == SLUG
    assert content["name"] == "Mit liv – mit sted – min fremtid"
    assert content["kommune"] == {"name": "Guldborgsund", "code": 376}

    # areas: known kinds, parents refer to areas listed before them, first boligområde is Østerbro
    area_names: list[str] = []
    for area in content["areas"]:
        assert area["kind"] in AREA_KINDS
        assert area["name"]
        if area.get("parent"):
            assert area["parent"] in area_names
        area_names.append(area["name"])
    assert next(a["name"] for a in content["areas"] if a["kind"] == "boligomraade") == "Østerbro"

    # measures: shared keys plus this file's own, no key defined twice, local ones prefixed
    shared_keys = {m["key"] for m in shared}
    local_keys = [m["key"] for m in local]
    assert len(local_keys) == len(set(local_keys))
    assert not shared_keys & set(local_keys)
    measures = {m["key"]: m for m in shared} | {m["key"]: m for m in local}
    for m in local:
        assert {"key", "name", "unit", "population", "direction", "lbf"} <= m.keys()
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
    assert agreement["parties"] and all(isinstance(p, str) and p for p in agreement["parties"])
    assert agreement["activities"]
    assert all(isinstance(a, str) and a for a in agreement["activities"])
    assert isinstance(agreement["staff_resources"], str)

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

            for comp in ind["comparators"]:
                assert {"label", "value", "year", "area", "as_written"} <= comp.keys()
                assert comp["area"]["kind"] in ("kommune", "benchmark")
                if comp["area"]["kind"] == "benchmark":
                    assert comp["area"]["name"]

            if ind["target"] is not None:
                assert {"value", "year", "note"} <= ind["target"].keys()
            if ind["unit"] == "status" or ind["deadline"] is not None:
                assert isinstance(ind["deadline"], dt.date)
    assert used_local == set(local_keys), "every local measure is used by an indicator"


def test_guldborgsund_mit_liv_yaml_schema_counts():
    content = _load_yaml(SEED_FILE)
    subgoals = content["agreement"]["subgoals"]
    assert len(subgoals) == 3
    assert [len(s["indicators"]) for s in subgoals] == [2, 1, 2]
    # every indicator is LBF beboerdata and uses a shared key, so no measures are added here
    assert content.get("measures") in (None, [])


# --------------------------------------------------------------------------- loaded plan


def test_guldborgsund_mit_liv_plan_identity(seeded_plans):
    plan = _plan(seeded_plans)
    assert plan["slug"] == SLUG
    assert plan["name"] == "Mit liv – mit sted – min fremtid"
    assert plan["kommune"] in ("Guldborgsund", "Guldborgsund Kommune")
    assert str(plan["kommune_code"]) == "376"
    assert plan["period"] == {"start": "2022-08-01", "end": "2026-08-01"}


def test_guldborgsund_mit_liv_areas(seeded_plans):
    areas = {(a["name"], a["kind"]) for a in _plan(seeded_plans)["areas"]}
    assert ("Østerbro", "boligomraade") in areas


def test_guldborgsund_mit_liv_agreement(seeded_plans):
    agreement = _agreement(_plan(seeded_plans))
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
    subgoals = _agreement(_plan(seeded_plans))["subgoals"]
    assert len(subgoals) == 3
    assert [len(s["indicators"]) for s in subgoals] == [2, 1, 2]
    assert [s["text"] for s in subgoals] == [
        "Flere skal tilknyttes arbejdsmarkedet og komme i beskæftigelse",
        "Færre modtagere af offentlig forsørgelse",
        "Flere i uddannelse",
    ]


def test_guldborgsund_mit_liv_no_targets_or_deadlines(seeded_plans):
    """The table sets no targets, milestones or words-only baselines."""
    for ind in _indicators(_plan(seeded_plans)):
        assert ind["target"] is None
        assert ind["deadline"] is None
        assert ind["unit"] == "pct"
        assert ind["baseline"]["note"] is None
        assert ind["source"] == "LBF beboerdata"


def test_guldborgsund_mit_liv_employed_baseline(seeded_plans):
    ind = _indicators(_plan(seeded_plans))[0]
    assert ind["name"] == "Andelen af beboere (18-64 år), der er beskæftiget"
    assert ind["measure"] == "employed_18_64"
    assert ind["unit"] == "pct"
    assert ind["direction"] == 1
    assert ind["baseline"]["value"] == pytest.approx(40.0)
    assert ind["baseline"]["year"] == 2021
    assert ind["baseline"]["note"] is None
    _assert_comparators(ind, [("Hele kommunen", 71.0, 2021), (OTHER_ALMENE, 43.4, 2021)])


def test_guldborgsund_mit_liv_immigrants_outside_labour_force(seeded_plans):
    """Continuation row under the first delmål; a lower share is better."""
    sub = _agreement(_plan(seeded_plans))["subgoals"][0]
    ind = sub["indicators"][1]
    assert ind["name"].startswith("Andelen af indvandre og efterkommere (30-64 år)")
    assert ind["measure"] == "immigrants_outside_labour_force_30_64"
    assert ind["unit"] == "pct"
    assert ind["direction"] == -1
    assert ind["baseline"]["value"] == pytest.approx(27.5)
    assert ind["baseline"]["year"] == 2021
    assert ind["baseline"]["note"] is None
    _assert_comparators(ind, [("Hele kommunen", 2.5, 2021), (OTHER_ALMENE, 9.8, 2021)])


def test_guldborgsund_mit_liv_passive_cash_benefit(seeded_plans):
    ind = _agreement(_plan(seeded_plans))["subgoals"][1]["indicators"][0]
    assert ind["name"] == "Andelen af 30-64 årige modtagere af passiv kontanthjælp"
    assert ind["measure"] == "passive_cash_benefit_30_64"
    assert ind["unit"] == "pct"
    assert ind["direction"] == -1
    assert ind["baseline"]["value"] == pytest.approx(28.4)
    assert ind["baseline"]["year"] == 2021
    assert ind["baseline"]["note"] is None
    _assert_comparators(ind, [("Hele kommunen", 15.6, 2021), (OTHER_ALMENE, 16.3, 2021)])


def test_guldborgsund_mit_liv_basic_school_highest(seeded_plans):
    """Under the delmål 'Flere i uddannelse', yet a lower share is better."""
    ind = _agreement(_plan(seeded_plans))["subgoals"][2]["indicators"][0]
    assert ind["name"] == (
        "Andelen af unge (18-29 år) med grundskole som højst fuldførte uddannelse"
    )
    assert ind["measure"] == "basic_school_highest_18_29"
    assert ind["unit"] == "pct"
    assert ind["direction"] == -1
    assert ind["baseline"]["value"] == pytest.approx(30.3)
    assert ind["baseline"]["year"] == 2020
    assert ind["baseline"]["note"] is None
    _assert_comparators(ind, [("Hele kommunen", 21.5, 2020), (OTHER_ALMENE, 32.0, 2020)])


def test_guldborgsund_mit_liv_youth_education_merged_cells(seeded_plans):
    """Blank year/datakilde cells are read as merged with the row above (2020, LBF beboerdata)."""
    ind = _agreement(_plan(seeded_plans))["subgoals"][2]["indicators"][1]
    assert ind["name"] == "Andel personer (25-34 år) med ungdomsuddannelse"
    assert ind["measure"] == "youth_education_25_34"
    assert ind["unit"] == "pct"
    assert ind["direction"] == 1
    assert ind["baseline"]["value"] == pytest.approx(46.6)
    assert ind["baseline"]["year"] == 2020
    assert ind["baseline"]["note"] is None
    assert ind["source"] == "LBF beboerdata"
    _assert_comparators(ind, [("Hele kommunen", 72.0, 2020), (OTHER_ALMENE, 50.4, 2020)])


def test_guldborgsund_mit_liv_comparator_areas(seeded_plans):
    plan = _plan(seeded_plans)
    for ind in _indicators(plan):
        kinds = [c["area_kind"] for c in ind["comparators"]]
        assert kinds == ["kommune", "benchmark"]
        assert ind["comparators"][0]["area"] == plan["kommune"]
        assert ind["comparators"][1]["area"] == ("Andre almene boligområder i Guldborgsund Kommune")


def test_guldborgsund_mit_liv_baseline_observations(seeded_plans):
    """Baselines and comparators with a year start the series for the area and its references."""
    ind = _indicators(_plan(seeded_plans))[0]
    by_area = {(o["area"], o["year"]): o["value"] for o in ind["observations"]}
    assert by_area[("Østerbro", 2021)] == pytest.approx(40.0)
    assert by_area[("Andre almene boligområder i Guldborgsund Kommune", 2021)] == pytest.approx(
        43.4
    )
