"""Seed data for the delaftale Beskæftigelse, Aktive Boligområder i Svendborg.

The values asserted here are transcribed from the signed delaftale; see the comments in
data/seed/svendborg-aktive-boligomraader.yaml for the judgement calls behind them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

SLUG = "svendborg-aktive-boligomraader"
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
LOCAL_PREFIX = "svendborg_aktive_boligomraader_"
MAIN_AREA = "Aktive Boligområder i Svendborg"
OTHER_BASELINE_AREA = "Anden baseline (delaftale Aktive Boligområder i Svendborg)"


def _plan(seeded_plans: dict) -> dict:
    assert SLUG in seeded_plans, f"{SLUG} is not among the seeded plans"
    return seeded_plans[SLUG]


def _agreement(plan: dict) -> dict:
    agreements = [a for a in plan["agreements"] if a["area_of_effort"] == "Beskæftigelse"]
    assert len(agreements) == 1
    return agreements[0]


def _indicators(plan: dict) -> list[dict]:
    return [ind for sub in _agreement(plan)["subgoals"] for ind in sub["indicators"]]


def _assert_single_comparator(ind: dict, label: str, value: float, year: int) -> None:
    assert len(ind["comparators"]) == 1
    comp = ind["comparators"][0]
    assert comp["label"] == label
    assert comp["value"] == pytest.approx(value)
    assert comp["year"] == year


# --------------------------------------------------------------------------- schema (no fixture)


def _load_yaml(path: Path) -> dict:
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(content, dict)
    return content


def test_svendborg_aktive_boligomraader_yaml_schema():
    content = _load_yaml(SEED_FILE)
    shared = _load_yaml(SEED_DIR / "measures.yaml")["measures"]
    local = content.get("measures") or []

    assert content["slug"] == SLUG
    assert content["name"]
    assert content["kommune"] == {"name": "Svendborg", "code": 479}

    # areas: known kinds, parents refer to areas listed before them, first boligområde is the
    # plan's combined area
    area_names: list[str] = []
    for area in content["areas"]:
        assert area["kind"] in AREA_KINDS
        assert area["name"]
        if area.get("parent"):
            assert area["parent"] in area_names
        area_names.append(area["name"])
    assert next(a["name"] for a in content["areas"] if a["kind"] == "boligomraade") == MAIN_AREA

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
    assert all(isinstance(p, str) and p for p in agreement["parties"])
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


def test_svendborg_aktive_boligomraader_yaml_schema_counts():
    content = _load_yaml(SEED_FILE)
    subgoals = content["agreement"]["subgoals"]
    assert len(subgoals) == 6
    assert [len(s["indicators"]) for s in subgoals] == [1, 1, 1, 1, 1, 1]
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


# --------------------------------------------------------------------------- loaded plan


def test_svendborg_aktive_boligomraader_plan_identity(seeded_plans):
    plan = _plan(seeded_plans)
    assert plan["slug"] == SLUG
    assert plan["name"] == "Aktive Boligområder i Svendborg"
    assert plan["kommune"] in ("Svendborg", "Svendborg Kommune")
    assert str(plan["kommune_code"]) == "479"
    assert plan["period"] == {"start": "2022-01-01", "end": "2025-12-31"}


def test_svendborg_aktive_boligomraader_areas(seeded_plans):
    areas = [(a["name"], a["kind"]) for a in _plan(seeded_plans)["areas"]]
    assert areas[0] == (MAIN_AREA, "boligomraade")
    assert set(areas[1:]) == {
        ("Skovparken", "boligomraade"),
        ("Sanddalsparken", "boligomraade"),
        ("Jægermarken", "boligomraade"),
        ("Toftemarken/Klitemarken/Frilandsvej", "boligomraade"),
    }
    # no afdelinger are named in the document
    assert not [a for a in areas if a[1] == "afdeling"]


def test_svendborg_aktive_boligomraader_agreement(seeded_plans):
    agreement = _agreement(_plan(seeded_plans))
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
    subgoals = _agreement(_plan(seeded_plans))["subgoals"]
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
    ind = _indicators(_plan(seeded_plans))[0]
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
    _assert_single_comparator(ind, "Anden baseline", 17.8, 2020)
    assert ind["comparators"][0]["area"] == OTHER_BASELINE_AREA
    assert ind["target"] is None
    assert ind["deadline"] is None
    assert ind["source"] == "LBF Boligsociale Data"


def test_svendborg_aktive_boligomraader_neet_15_29(seeded_plans):
    ind = _indicators(_plan(seeded_plans))[1]
    assert ind["name"] == (
        "Andel unge i alderen 15-29 år, som ikke er i gang med uddannelse eller beskæftigelse"
    )
    assert ind["measure"] == "neet_15_29"
    assert ind["unit"] == "pct"
    assert ind["direction"] == -1
    assert ind["baseline"]["value"] == pytest.approx(35.0)
    assert ind["baseline"]["year"] == 2019
    assert ind["baseline"]["note"] is None
    _assert_single_comparator(ind, "Anden baseline", 17.4, 2019)
    assert ind["target"] is None
    assert ind["source"] == "LBF Boligsociale Data"


def test_svendborg_aktive_boligomraader_no_work_or_education_18_64(seeded_plans):
    ind = _indicators(_plan(seeded_plans))[2]
    assert ind["name"].startswith("Andel af beboerne mellem 18 og 64 år, som ikke har tilknytning")
    assert ind["measure"] == "no_work_or_education_18_64"
    assert ind["unit"] == "pct"
    # the subgoal says "Flere ... i beskæftigelse", but the indicator is the share WITHOUT
    assert ind["direction"] == -1
    assert ind["baseline"]["value"] == pytest.approx(48.7)
    assert ind["baseline"]["year"] == 2019
    assert ind["baseline"]["note"] is None
    _assert_single_comparator(ind, "Anden baseline", 16.5, 2019)
    assert ind["source"] == "LBF Boligsociale Data"


def test_svendborg_aktive_boligomraader_positive_progression_count(seeded_plans):
    ind = _indicators(_plan(seeded_plans))[3]
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
    _assert_single_comparator(ind, "Anden baseline", 0, 2021)
    assert ind["target"] is None
    assert ind["deadline"] is None
    assert ind["source"] == "Svendborg Kommune"


def test_svendborg_aktive_boligomraader_refugees_no_labour_attachment(seeded_plans):
    ind = _indicators(_plan(seeded_plans))[4]
    assert ind["name"].startswith(
        "Andel af beboere med flygtninge/indvandrerbaggrund mellem 18 og 64"
    )
    assert ind["measure"] == "refugees_immigrants_no_labour_attachment_18_64"
    assert ind["unit"] == "pct"
    assert ind["direction"] == -1
    assert ind["baseline"]["value"] == pytest.approx(55.1)
    assert ind["baseline"]["year"] == 2020
    assert ind["baseline"]["note"] is None
    _assert_single_comparator(ind, "Anden baseline", 36.8, 2020)
    assert ind["source"] == "LBF Beboerdata"


def test_svendborg_aktive_boligomraader_public_support(seeded_plans):
    ind = _indicators(_plan(seeded_plans))[5]
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
    _assert_single_comparator(ind, "Anden baseline", 24.1, 2020)
    assert ind["target"] is None
    assert ind["deadline"] is None
    assert ind["source"] == "LBF Beboerdata"


def test_svendborg_aktive_boligomraader_no_targets_or_deadlines(seeded_plans):
    """The delaftale sets no targets, deadlines or 'Afventer data' baselines."""
    for ind in _indicators(_plan(seeded_plans)):
        assert ind["target"] is None, ind["name"]
        assert ind["deadline"] is None, ind["name"]
        assert ind["baseline"]["value"] is not None, ind["name"]
        assert ind["baseline"]["note"] is None, ind["name"]


def test_svendborg_aktive_boligomraader_baseline_observations(seeded_plans):
    """Every baseline has a value and a year, so each series starts at its baseline."""
    for ind in _indicators(_plan(seeded_plans)):
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
