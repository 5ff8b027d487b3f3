"""Seed data for the delaftale Beskæftigelse, Boligsocial Helhedsplan i Løvvangen (Aalborg).

The values asserted here are transcribed from the signed delaftale; see the comments in
data/seed/aalborg-loevvangen.yaml for the judgement calls behind them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

SLUG = "aalborg-loevvangen"
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
LOCAL_PREFIX = "aalborg_loevvangen_"


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


# --------------------------------------------------------------------------- schema (no fixture)


def _load_yaml(path: Path) -> dict:
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(content, dict)
    return content


def test_aalborg_loevvangen_yaml_schema():
    content = _load_yaml(SEED_FILE)
    shared = _load_yaml(SEED_DIR / "measures.yaml")["measures"]
    local = content.get("measures") or []

    assert content["slug"] == SLUG
    assert content["name"]
    assert content["kommune"] == {"name": "Aalborg", "code": 851}

    # areas: known kinds, parents refer to areas listed before them, first boligområde is Løvvangen
    area_names: list[str] = []
    for area in content["areas"]:
        assert area["kind"] in AREA_KINDS
        assert area["name"]
        if area.get("parent"):
            assert area["parent"] in area_names
        area_names.append(area["name"])
    assert next(a["name"] for a in content["areas"] if a["kind"] == "boligomraade") == "Løvvangen"

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


def test_aalborg_loevvangen_yaml_schema_counts():
    subgoals = _load_yaml(SEED_FILE)["agreement"]["subgoals"]
    assert len(subgoals) == 4
    assert sum(len(s["indicators"]) for s in subgoals) == 4


# --------------------------------------------------------------------------- loaded plan


def test_aalborg_loevvangen_plan_identity(seeded_plans):
    plan = _plan(seeded_plans)
    assert plan["slug"] == SLUG
    assert plan["name"] == "Boligsocial Helhedsplan i Løvvangen"
    assert plan["kommune"] in ("Aalborg", "Aalborg Kommune")
    assert str(plan["kommune_code"]) == "851"
    assert plan["period"] == {"start": "2021-04-01", "end": "2025-03-31"}


def test_aalborg_loevvangen_areas(seeded_plans):
    areas = {(a["name"], a["kind"]) for a in _plan(seeded_plans)["areas"]}
    assert ("Løvvangen", "boligomraade") in areas
    assert ("Sundby-Hvorup Boligselskab afd. 12", "afdeling") in areas


def test_aalborg_loevvangen_agreement(seeded_plans):
    agreement = _agreement(_plan(seeded_plans))
    assert agreement["activities"] == [
        "Erhvervsnetværk 9400",
        "En plads til alle",
        "Fra trivsel til beskæftigelse",
    ]
    assert len(agreement["parties"]) == 6
    assert agreement["parties"][0].startswith("Jobcenter, Familie- og Beskæftigelsesforvaltningen")
    assert agreement["parties"][-1].startswith("Erhvervsnetværk 9400")


def test_aalborg_loevvangen_counts(seeded_plans):
    subgoals = _agreement(_plan(seeded_plans))["subgoals"]
    assert len(subgoals) == 4
    assert [len(s["indicators"]) for s in subgoals] == [1, 1, 1, 1]
    assert subgoals[0]["text"] == "Etablering og forankring af et Erhvervsnetværk 9400"
    assert subgoals[2]["text"].startswith("Reducere andelen af beboere, der er aktivitetsparate")
    assert subgoals[3]["text"] == (
        "Reducere andelen af beboere, der er jobparate og uddannelsesparate (tættest på arbejdsmarkedet)"
    )


def test_aalborg_loevvangen_network_milestone(seeded_plans):
    ind = _indicators(_plan(seeded_plans))[0]
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
    ind = _indicators(_plan(seeded_plans))[1]
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
    ind = _indicators(_plan(seeded_plans))[2]
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
    label, value, year = _comparators(ind)[0]
    assert label == "Aalborg Kommune"
    assert value == pytest.approx(3.45)
    assert year == 2020
    assert ind["source"] == "Familie- og Beskæftigelsesforvaltningen, Aalborg Kommune"


def test_aalborg_loevvangen_job_ready_baseline(seeded_plans):
    ind = _indicators(_plan(seeded_plans))[3]
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
    label, value, year = _comparators(ind)[0]
    assert label == "Aalborg Kommune"
    assert value == pytest.approx(1.22)
    assert year == 2020
    assert ind["source"] == "Familie- og Beskæftigelsesforvaltningen, Aalborg Kommune"


def test_aalborg_loevvangen_baseline_observations(seeded_plans):
    """Baselines with a value and year start the series; words-only baselines do not."""
    inds = _indicators(_plan(seeded_plans))
    for ind, expected in ((inds[2], 13.9), (inds[3], 3.7)):
        values = [
            o["value"] for o in ind["observations"] if o["year"] == 2020 and o["value"] is not None
        ]
        assert any(v == pytest.approx(expected) for v in values), ind["observations"]
    for ind in inds[:2]:
        assert not [
            o for o in ind["observations"] if o["value"] is not None and o["year"] in (2020, 2022)
        ]
