"""Seed data for the delaftale Beskæftigelse, Helhedsplanen Trekanten (Holstebro).

The values asserted here are transcribed from the signed delaftale; see the comments in
data/seed/holstebro-trekanten.yaml for the judgement calls behind them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

SLUG = "holstebro-trekanten"
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
LOCAL_PREFIX = "holstebro_trekanten_"


def _plan(seeded_plans: dict) -> dict:
    assert SLUG in seeded_plans, f"{SLUG} is not among the seeded plans"
    return seeded_plans[SLUG]


def _agreement(plan: dict) -> dict:
    agreements = [a for a in plan["agreements"] if a["area_of_effort"] == "Beskæftigelse"]
    assert len(agreements) == 1
    return agreements[0]


def _indicators(plan: dict) -> list[dict]:
    return [ind for sub in _agreement(plan)["subgoals"] for ind in sub["indicators"]]


# --------------------------------------------------------------------------- schema (no fixture)


def _load_yaml(path: Path) -> dict:
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(content, dict)
    return content


def test_holstebro_trekanten_yaml_schema():
    content = _load_yaml(SEED_FILE)
    shared = _load_yaml(SEED_DIR / "measures.yaml")["measures"]
    local = content.get("measures") or []

    assert content["slug"] == SLUG
    assert content["name"] == "Helhedsplanen Trekanten"
    assert content["kommune"] == {"name": "Holstebro", "code": 661}

    area_names: list[str] = []
    for area in content["areas"]:
        assert area["kind"] in AREA_KINDS
        assert area["name"]
        if area.get("parent"):
            assert area["parent"] in area_names
        area_names.append(area["name"])
    assert next(a["name"] for a in content["areas"] if a["kind"] == "boligomraade") == "Trekanten"

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
            is_lbf_source = "LBF" in (ind["source"] or "")
            assert is_lbf_source == (
                ind["measure"] in shared_keys or measures[ind["measure"]].get("lbf") is True
            )

            baseline = ind["baseline"]
            assert baseline.keys() >= BASELINE_KEYS
            assert baseline["value"] is None or isinstance(baseline["value"], (int, float))
            assert baseline["year"] is None or isinstance(baseline["year"], int)
            assert baseline["as_written"]
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


def test_holstebro_trekanten_yaml_schema_counts():
    subgoals = _load_yaml(SEED_FILE)["agreement"]["subgoals"]
    assert len(subgoals) == 4
    assert [len(s["indicators"]) for s in subgoals] == [1, 1, 1, 1]


# --------------------------------------------------------------------------- loaded plan


def test_holstebro_trekanten_plan_identity(seeded_plans):
    plan = _plan(seeded_plans)
    assert plan["slug"] == SLUG
    assert plan["name"] == "Helhedsplanen Trekanten"
    assert plan["kommune"] in ("Holstebro", "Holstebro Kommune")
    assert str(plan["kommune_code"]) == "661"
    assert plan["period"] == {"start": "2021-01-01", "end": "2024-12-31"}


def test_holstebro_trekanten_areas(seeded_plans):
    areas = {(a["name"], a["kind"]) for a in _plan(seeded_plans)["areas"]}
    assert ("Trekanten", "boligomraade") in areas


def test_holstebro_trekanten_agreement(seeded_plans):
    agreement = _agreement(_plan(seeded_plans))
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
    subgoals = _agreement(_plan(seeded_plans))["subgoals"]
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
    ind = _indicators(_plan(seeded_plans))[0]
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
    ind = _indicators(_plan(seeded_plans))[1]
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
    ind = _indicators(_plan(seeded_plans))[2]
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
    ind = _indicators(_plan(seeded_plans))[3]
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
    for ind in _indicators(_plan(seeded_plans)):
        assert ind["target"] is None
        assert ind["deadline"] is None
        assert ind["comparators"] == []


def test_holstebro_trekanten_no_yearless_baseline_observations(seeded_plans):
    """No baseline states a year, so none of them is loaded as an observation."""
    for ind in _indicators(_plan(seeded_plans)):
        assert not [o for o in ind["observations"] if o["value"] is not None], ind["observations"]
