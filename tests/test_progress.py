"""The progress engine, table-driven: one row per case the issue lists, pure frames in, dicts out."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest

from monitoring.progress import (
    MISSING,
    NOT_ASSESSED,
    ON_TRACK,
    STATUSES,
    UNCHANGED,
    WRONG_WAY,
    Tolerance,
    reference_label,
    sentence_subject,
    subgoal_summary,
)
from tests.progress_cases import indicators_of, one, pick, run

EMPLOYMENT = {"unit": "pct", "direction": 1, "baseline": (40.0, 2021)}
EXAMPLE_SENTENCE = (
    "Andelen af 18-64-årige i beskæftigelse er steget fra 40,0 % (2021) til 42,5 % (2023), "
    "+2,5 procentpoint. Afstanden til hele kommunen er mindsket fra 31,0 til 28,9 procentpoint."
)

# (id, spec, status year, expected {path: value}, substrings the sentence must contain)
CASES = [
    (
        "issue example: higher is better, rising, gap to the kommune closing",
        {
            **EMPLOYMENT,
            "obs": {2021: 40.0, 2023: 42.5},
            "comparators": [
                {"label": "Hele kommunen", "baseline": (71.0, 2021), "obs": {2023: 71.4}}
            ],
        },
        2023,
        {
            "status_code": ON_TRACK,
            "change": 2.5,
            "change_relative": None,
            "improvement": 2.5,
            "reference": {
                "value": 40.0,
                "year": 2021,
                "from_baseline": True,
                "revised_value": None,
            },
            "latest": {"value": 42.5, "year": 2023, "state": "ok"},
            "comparators.0.value": 71.4,
            "comparators.0.gap_at_reference": 31.0,
            "comparators.0.gap_now": 28.9,
            "comparators.0.gap_closed_share": pytest.approx(2.1 / 31.0),
            "comparators.0.passed": False,
            "tolerance": {"value": 1.0, "kind": "procentpoint"},
        },
        [EXAMPLE_SENTENCE],
    ),
    (
        "higher is better, falling",
        {**EMPLOYMENT, "obs": {2021: 40.0, 2023: 37.0}},
        2023,
        {"status_code": WRONG_WAY, "change": -3.0, "improvement": -3.0},
        ["er faldet fra 40,0 % (2021) til 37,0 % (2023), -3,0 procentpoint."],
    ),
    (
        "lower is better, falling",
        {"unit": "pct", "direction": -1, "baseline": (30.0, 2021), "obs": {2023: 27.0}},
        2023,
        {"status_code": ON_TRACK, "change": -3.0, "improvement": 3.0},
        ["er faldet"],
    ),
    (
        "lower is better, rising",
        {"unit": "pct", "direction": -1, "baseline": (30.0, 2021), "obs": {2023: 33.0}},
        2023,
        {"status_code": WRONG_WAY, "change": 3.0, "improvement": -3.0},
        ["er steget"],
    ),
    (
        "direction 0: the change, no judgement",
        {"unit": "pct", "direction": 0, "baseline": (40.0, 2021), "obs": {2023: 42.5}},
        2023,
        {"status_code": NOT_ASSESSED, "change": 2.5, "improvement": None},
        ["+2,5 procentpoint"],
    ),
    (
        "pct within tolerance",
        {**EMPLOYMENT, "obs": {2023: 40.9}},
        2023,
        {"status_code": UNCHANGED, "change": 0.9, "improvement": 0.9},
        [],
    ),
    (
        "pct exactly at the tolerance is unchanged (41.0 - 40.0 is not 1.0000001)",
        {**EMPLOYMENT, "obs": {2023: 41.0}},
        2023,
        {"status_code": UNCHANGED, "change": 1.0},
        [],
    ),
    (
        "pct just past the tolerance",
        {**EMPLOYMENT, "obs": {2023: 41.1}},
        2023,
        {"status_code": ON_TRACK},
        [],
    ),
    (
        "count: 5 % relative is within tolerance",
        {"unit": "count", "direction": 1, "baseline": (200, 2021), "obs": {2023: 210}},
        2023,
        {"status_code": UNCHANGED, "change": 10.0, "change_relative": 5.0},
        ["+10 (+5,0 %)"],
    ),
    (
        "count: 15 % up, higher is better",
        {"unit": "count", "direction": 1, "baseline": (200, 2021), "obs": {2023: 230}},
        2023,
        {"status_code": ON_TRACK, "change": 30.0, "change_relative": 15.0, "improvement": 30.0},
        ["fra 200 (2021) til 230 (2023), +30 (+15 %)"],
    ),
    (
        "dkk: falling income, higher is better",
        {
            "unit": "dkk",
            "direction": 1,
            "baseline": (300_000, 2021),
            "obs": {2023: 280_000},
            "measure_name": "Gennemsnitlig husstandsindkomst",
        },
        2023,
        {
            "status_code": WRONG_WAY,
            "change": -20_000.0,
            "change_relative": pytest.approx(-6.666667),
            "tolerance": {"value": 5.0, "kind": "relativ (%)"},
        },
        ["Gennemsnitlig husstandsindkomst er faldet fra 300.000 kr. (2021) til 280.000 kr."],
    ),
    (
        "baseline missing: the first observation is the reference, flagged",
        {
            "unit": "count",
            "direction": 1,
            "baseline": None,
            "baseline_note": "Afventer data",
            "obs": {2022: 10, 2023: 12},
            "measure_name": "Antal beboere i småjobs",
        },
        2023,
        {
            "status_code": ON_TRACK,
            "reference": {
                "value": 10.0,
                "year": 2022,
                "from_baseline": False,
                "revised_value": None,
            },
            "baseline_note": "Afventer data",
            "change": 2.0,
            "change_relative": 20.0,
        },
        ["Antallet af beboere i småjobs er steget fra 10 (første måling, 2022) til 12 (2023)"],
    ),
    (
        "baseline 0: no relative change, no division by zero",
        {"unit": "count", "direction": 1, "baseline": (0, 2021), "obs": {2023: 3}},
        2023,
        {"status_code": ON_TRACK, "change": 3.0, "change_relative": None, "improvement": 3.0},
        ["en relativ ændring kan ikke beregnes, fordi udgangspunktet er 0"],
    ),
    (
        "baseline 0 and still 0",
        {"unit": "count", "direction": 1, "baseline": (0, 2021), "obs": {2023: 0}},
        2023,
        {"status_code": UNCHANGED, "change": 0.0, "change_relative": None},
        ["er uændret"],
    ),
    (
        "baseline without a year (as written in the delaftale)",
        {"unit": "count", "direction": -1, "baseline": (459, None), "obs": {2023: 430}},
        2023,
        {
            "status_code": ON_TRACK,
            "reference": {
                "value": 459.0,
                "year": None,
                "from_baseline": True,
                "revised_value": None,
            },
            "change": -29.0,
            "improvement": 29.0,
        },
        ["fra 459 (baseline) til 430 (2023)"],
    ),
    (
        "target: half way at half time is on track",
        {**EMPLOYMENT, "target": (50.0, None), "obs": {2022: 45.0}},
        2022,
        {
            "target.value": 50.0,
            "target.progress": 0.5,
            "target.on_track": True,
            "target.reached": False,
            "target.expected_share": pytest.approx(729 / 1460, abs=1e-6),
        },
        ["50 % af vejen mod målet på 50,0 % er tilbagelagt", "går efter planen"],
    ),
    (
        "target: behind the time",
        {**EMPLOYMENT, "target": (50.0, None), "obs": {2022: 42.0}},
        2022,
        {"target.progress": 0.2, "target.on_track": False},
        ["går langsommere end planlagt"],
    ),
    (
        "target with its own year sets the pace",
        {**EMPLOYMENT, "target": (50.0, 2022), "obs": {2022: 45.0}},
        2022,
        {"target.year": 2022, "target.expected_share": 1.0, "target.on_track": False},
        ["målet på 50,0 % i 2022"],
    ),
    (
        "target 0, lower is better",
        {
            "unit": "count",
            "direction": -1,
            "baseline": (10, 2021),
            "target": (0, 2024),
            "obs": {2023: 5},
        },
        2023,
        {"target.value": 0.0, "target.progress": 0.5, "target.reached": False},
        [],
    ),
    (
        "target 0 reached",
        {
            "unit": "count",
            "direction": -1,
            "baseline": (10, 2021),
            "target": (0, 2024),
            "obs": {2023: 0},
        },
        2023,
        {"target.progress": 1.0, "target.reached": True, "target.on_track": True},
        ["Målet på 0 i 2024 er nået."],
    ),
    (
        "target equal to the baseline, held",
        {**EMPLOYMENT, "baseline": (20.0, 2021), "target": (20.0, None), "obs": {2023: 20.5}},
        2023,
        {"target.progress": None, "target.reached": True, "target.on_track": True},
        ["Målet på 20,0 % er nået."],
    ),
    (
        "target equal to the baseline, slightly below is within tolerance",
        {**EMPLOYMENT, "baseline": (20.0, 2021), "target": (20.0, None), "obs": {2023: 19.5}},
        2023,
        {"target.progress": None, "target.reached": False, "target.on_track": True},
        ["Der mangler 0,5 procentpoint for at nå målet på 20,0 %."],
    ),
    (
        "target equal to the baseline, clearly below",
        {**EMPLOYMENT, "baseline": (20.0, 2021), "target": (20.0, None), "obs": {2023: 17.0}},
        2023,
        {"target.progress": None, "target.reached": False, "target.on_track": False},
        [],
    ),
    (
        "overshoot: past the target is reached, progress says by how much",
        {**EMPLOYMENT, "target": (45.0, None), "obs": {2023: 50.0}},
        2023,
        {"target.progress": 2.0, "target.reached": True, "target.on_track": True},
        ["Målet på 45,0 % er nået."],
    ),
    (
        "target already passed at the reference: no negative progress",
        {**EMPLOYMENT, "baseline": (25.0, 2021), "target": (20.0, None), "obs": {2023: 30.0}},
        2023,
        {"target.progress": None, "target.reached": True},
        [],
    ),
    (
        "moving away from the target",
        {**EMPLOYMENT, "target": (50.0, None), "obs": {2023: 38.0}},
        2023,
        {"target.progress": -0.2, "target.on_track": False},
        ["Udviklingen går væk fra målet på 50,0 %."],
    ),
    (
        "comparator passed",
        {
            "unit": "pct",
            "direction": -1,
            "baseline": (13.9, 2020),
            "obs": {2023: 3.0},
            "comparators": [
                {"label": "Aalborg Kommune", "baseline": (3.45, 2020), "obs": {2023: 3.2}}
            ],
        },
        2023,
        {
            "comparators.0.gap_at_reference": 10.45,
            "comparators.0.gap_now": -0.2,
            "comparators.0.passed": True,
            "comparators.0.gap_closed_share": pytest.approx(10.65 / 10.45),
            "comparators.0.ahead_at_reference": False,
        },
        ["Området har overhalet Aalborg Kommune og ligger nu 0,2 procentpoint bedre."],
    ),
    (
        "comparator reached exactly: 100 % of the gap closed",
        {
            **EMPLOYMENT,
            "obs": {2023: 45.0},
            "comparators": [{"baseline": (50.0, 2021), "obs": {2023: 45.0}}],
        },
        2023,
        {"comparators.0.gap_closed_share": 1.0, "comparators.0.passed": False},
        ["Området har nået niveauet for hele kommunen."],
    ),
    (
        "comparator the area was already ahead of",
        {
            **EMPLOYMENT,
            "obs": {2023: 45.0},
            "comparators": [
                {"label": "Andre almene boligområder", "baseline": (35.0, 2021), "obs": {2023: 36}}
            ],
        },
        2023,
        {
            "comparators.0.gap_at_reference": -5.0,
            "comparators.0.gap_closed_share": None,
            "comparators.0.passed": True,
            "comparators.0.ahead_at_reference": True,
        },
        ["Området ligger fortsat bedre end andre almene boligområder, nu med 9,0 procentpoint."],
    ),
    (
        "comparator baseline stands in only for its baseline year",
        {**EMPLOYMENT, "obs": {2023: 42.5}, "comparators": [{"baseline": (71.0, 2021)}]},
        2023,
        {
            "comparators.0.value_at_reference": 71.0,
            "comparators.0.gap_at_reference": 31.0,
            "comparators.0.value": None,
            "comparators.0.gap_now": None,
            "comparators.0.gap_closed_share": None,
        },
        [],
    ),
    (
        "suppressed value in the status year: Mangler data, never zero",
        {**EMPLOYMENT, "obs": {2021: 40.0, 2022: 41.5, 2023: "suppressed"}},
        2023,
        {
            "status_code": MISSING,
            "latest": {"value": None, "year": 2023, "state": "suppressed"},
            "last_data_year": 2022,
            "last_data_value": 41.5,
            "change": 1.5,
        },
        ["Tallet for 2023 er diskretioneret", "Seneste tal er fra 2022."],
    ),
    (
        "only suppressed values: nothing is made up",
        {**EMPLOYMENT, "baseline": None, "obs": {2022: "suppressed", 2023: "suppressed"}},
        2023,
        {
            "status_code": MISSING,
            "reference": {
                "value": None,
                "year": None,
                "from_baseline": False,
                "revised_value": None,
            },
            "change": None,
            "improvement": None,
            "latest": {"value": None, "year": 2023, "state": "suppressed"},
            "last_data_year": None,
        },
        ["Tallet for 2023 er diskretioneret"],
    ),
    (
        "suppressed year in the middle is skipped, not zero",
        {**EMPLOYMENT, "obs": {2021: 40.0, 2022: "suppressed", 2023: 42.0}},
        2023,
        {"status_code": ON_TRACK, "change": 2.0, "trend": None},
        [],
    ),
    (
        "single observation: nothing to compare yet",
        {"unit": "count", "direction": 1, "baseline": None, "obs": {2023: 12}},
        2023,
        {
            "status_code": MISSING,
            "change": None,
            "reference": {
                "value": 12.0,
                "year": 2023,
                "from_baseline": False,
                "revised_value": None,
            },
            "latest": {"value": 12.0, "year": 2023, "state": "ok"},
        },
        ["ved første måling"],
    ),
    (
        "only the baseline",
        {**EMPLOYMENT, "obs": {2021: 40.0}},
        2021,
        {"status_code": MISSING, "change": None},
        ["var 40,0 % ved baseline (2021); der er endnu ingen nyere tal."],
    ),
    (
        "status year without data names the last year with data",
        {**EMPLOYMENT, "obs": {2021: 40.0, 2022: 42.0}},
        2024,
        {
            "status_code": MISSING,
            "last_data_year": 2022,
            "latest": {"value": 42.0, "year": 2022, "state": "ok"},
            "change": 2.0,
        },
        ["Der er endnu ingen tal for 2024.", "Seneste tal er fra 2022."],
    ),
    (
        "a revised figure for the baseline year is named beside the signed baseline",
        {**EMPLOYMENT, "baseline": (46.6, 2020), "obs": {2020: 46.2, 2022: 48.0}},
        2022,
        {
            "status_code": ON_TRACK,
            "reference": {
                "value": 46.6,
                "year": 2020,
                "from_baseline": True,
                "revised_value": 46.2,
            },
            "change": pytest.approx(1.4),
        },
        [
            "er steget fra 46,6 % (2020) til 48,0 % (2022)",
            "Tallet for baselineåret 2020 er siden revideret til 46,2 %; udviklingen regnes fra "
            "delaftalens 46,6 %.",
        ],
    ),
    (
        "only the baseline year, revised: the signed figure is the baseline",
        {**EMPLOYMENT, "baseline": (46.6, 2020), "obs": {2020: 46.2}},
        2020,
        {"status_code": MISSING, "reference.revised_value": 46.2, "change": None},
        [
            "var 46,6 % ved baseline (2020); der er endnu ingen nyere tal.",
            "er siden revideret til 46,2 %",
        ],
    ),
    (
        "more decimals than the delaftale wrote are the same figure, not a revision",
        {**EMPLOYMENT, "baseline": (40.0, 2021), "obs": {2021: 40.3, 2023: 42.0}},
        2023,
        {"reference.revised_value": None, "change": 2.0},
        ["er steget fra 40,0 % (2021) til 42,0 % (2023)"],
    ),
    (
        "no data at all, baseline in words",
        {**EMPLOYMENT, "baseline": None, "baseline_note": "Afventer data"},
        2023,
        {"status_code": MISSING, "latest": {"value": None, "year": None, "state": "missing"}},
        ["Baseline i delaftalen: Afventer data."],
    ),
    (
        "trend: three points, projected to the end of the period",
        {**EMPLOYMENT, "obs": {2021: 40.0, 2022: 41.0, 2023: 42.0}},
        2023,
        {"trend": {"slope": 1.0, "projected_value": 43.0, "projected_year": 2024, "points": 3}},
        ["Fortsætter tendensen, er niveauet ca. 43,0 % i 2024."],
    ),
    (
        "trend: the baseline counts as a point when not observed",
        {**EMPLOYMENT, "obs": {2022: 41.0, 2023: 42.0}},
        2023,
        {"trend.slope": 1.0, "trend.points": 3},
        [],
    ),
    (
        "trend: two points are not a trend",
        {**EMPLOYMENT, "obs": {2021: 40.0, 2023: 42.0}},
        2023,
        {"trend": None},
        [],
    ),
    (
        "trend: only points since the reference year",
        {**EMPLOYMENT, "obs": {2019: 10.0, 2020: 90.0, 2021: 40.0, 2022: 41.0, 2023: 42.0}},
        2023,
        {"trend.slope": 1.0, "trend.points": 3},
        [],
    ),
    (
        "trend projection stays within 0-100 %",
        {**EMPLOYMENT, "baseline": (10.0, 2021), "obs": {2021: 10.0, 2022: 5.0, 2023: 1.0}},
        2023,
        {"trend.projected_value": 0.0},
        [],
    ),
    (
        "milestone past its deadline, still in progress",
        {
            "unit": "status",
            "direction": 1,
            "baseline": None,
            "deadline": "2022-12-31",
            "obs": {2022: 1, 2023: 1},
        },
        2023,
        {
            "status_code": WRONG_WAY,
            "milestone": {
                "state": "I gang",
                "achieved_in": None,
                "deadline": "2022-12-31",
                "overdue": True,
            },
            "change": None,
            "target": None,
            "trend": None,
            "tolerance": None,
        },
        ["Milepælen er i gang (2023).", "Fristen var 31. december 2022, og den er overskredet."],
    ),
    (
        "milestone not yet overdue in its deadline year",
        {"unit": "status", "deadline": "2022-12-31", "obs": {2022: 1}},
        2022,
        {"status_code": ON_TRACK, "milestone.overdue": False},
        ["Fristen er 31. december 2022."],
    ),
    (
        "milestone achieved after all",
        {"unit": "status", "deadline": "2022-12-31", "obs": {2022: 1, 2023: 2}},
        2023,
        {
            "status_code": ON_TRACK,
            "milestone": {
                "state": "Opnået",
                "achieved_in": 2023,
                "deadline": "2022-12-31",
                "overdue": False,
            },
        },
        ["Milepælen er opnået (2023)."],
    ),
    (
        "milestone achieved in 2021 and repeated since reads the year it was achieved",
        {"unit": "status", "deadline": "2022-12-31", "obs": {2020: 1, 2021: 2, 2022: 2, 2023: 2}},
        2023,
        {"status_code": ON_TRACK, "milestone.achieved_in": 2021},
        ["Milepælen er opnået (2021)."],
    ),
    (
        "milestone not started, deadline ahead",
        {"unit": "status", "deadline": "2024-06-30", "obs": {2022: 0}},
        2022,
        {"status_code": UNCHANGED, "milestone.state": "Ikke startet", "milestone.overdue": False},
        ["Milepælen er ikke startet (2022)."],
    ),
    (
        "milestone without any registered status",
        {"unit": "status", "deadline": "2022-12-31", "obs": {}},
        2023,
        {
            "status_code": MISSING,
            "milestone": {
                "state": None,
                "achieved_in": None,
                "deadline": "2022-12-31",
                "overdue": None,
            },
        },
        ["Der er ikke registreret nogen status for milepælen endnu."],
    ),
]


@pytest.mark.parametrize(
    ("spec", "year", "expected", "phrases"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_case(spec, year, expected, phrases):
    result = one(spec, year)
    for path, value in expected.items():
        assert pick(result, path) == value, path
    for phrase in phrases:
        assert phrase in result["sentence"]
    assert result["status_code"] in STATUSES


def test_the_issue_example_sentence_exactly():
    result = one(CASES[0][1], 2023)
    assert result["sentence"] == EXAMPLE_SENTENCE


def test_milestone_in_the_current_year_uses_today():
    spec = {"unit": "status", "deadline": "2024-06-30", "obs": {2024: 1}}
    before = one(spec, 2024, today=dt.date(2024, 3, 1))
    after = one(spec, 2024, today=dt.date(2024, 9, 1))
    assert before["milestone"]["overdue"] is False
    assert before["status_code"] == ON_TRACK
    assert after["milestone"]["overdue"] is True
    assert after["status_code"] == WRONG_WAY


def test_tolerance_is_configurable():
    spec = {**EMPLOYMENT, "obs": {2023: 40.8}}
    assert one(spec, 2023)["status_code"] == UNCHANGED
    strict = one(spec, 2023, tolerance=Tolerance(pct_points=0.5))
    assert strict["status_code"] == ON_TRACK
    assert strict["tolerance"] == {"value": 0.5, "kind": "procentpoint"}
    count = {"unit": "count", "direction": 1, "baseline": (100, 2021), "obs": {2023: 104}}
    assert one(count, 2023)["status_code"] == UNCHANGED
    assert one(count, 2023, tolerance=Tolerance(relative_pct=2.0))["status_code"] == ON_TRACK


def test_subgoal_roll_up_counts_by_status():
    plan = run(
        [
            {**EMPLOYMENT, "obs": {2023: 45.0}},
            {**EMPLOYMENT, "obs": {2023: 46.0}},
            {**EMPLOYMENT, "obs": {2023: 30.0}},
            {**EMPLOYMENT, "obs": {}, "subgoal": 2},
        ],
        2023,
    )[0]
    first, second = plan["subgoals"]
    assert first["summary"] == "2 af 3 på rette vej, 1 går den forkerte vej"
    assert first["counts"] == {  # the contract keeps the Danish status words as keys
        "På rette vej": 2,
        "Uændret": 0,
        "Går den forkerte vej": 1,
        "Mangler data": 0,
        "Ikke vurderet": 0,
    }
    assert [i["status"] for i in first["indicators"]].count("På rette vej") == 2
    assert second["summary"] == "0 af 1 på rette vej, 1 mangler data"
    assert (
        subgoal_summary({ON_TRACK.label: 1, UNCHANGED.label: 1}) == "1 af 2 på rette vej, 1 uændret"
    )


def test_year_none_is_the_latest_year_with_data_and_plan_fields():
    plan = run(
        [
            {**EMPLOYMENT, "obs": {2021: 40.0, 2022: 41.0, 2023: "suppressed"}},
            {**EMPLOYMENT, "obs": {2022: 43.0}},
        ]
    )[0]
    assert plan["year"] == 2022
    assert plan["years"] == [2021, 2022, 2023]
    assert plan["latest_data_year"] == 2022
    assert plan["period"] == {"start": "2021-01-01", "end": "2024-12-31"}
    assert plan["elapsed_share"] == pytest.approx(729 / 1460, abs=1e-6)
    assert plan["plan"] == "Testplan"
    assert plan["slug"] == "test"


def test_each_plan_gets_its_own_status_year_in_one_pass():
    from monitoring.progress import progress_from_inputs
    from tests.progress_cases import TODAY, build

    inputs = build(
        [
            {**EMPLOYMENT, "obs": {2021: 40.0, 2023: 45.0}, "plan": 1},
            {**EMPLOYMENT, "obs": {2021: 40.0, 2022: 45.0}, "plan": 2},
        ],
        plans=[
            {"plan_id": 1, "slug": "a", "name": "A"},
            {"plan_id": 2, "slug": "b", "name": "B", "period": ("2020-01-01", "2023-12-31")},
        ],
    )
    a, b = progress_from_inputs(inputs, today=TODAY)
    assert (a["slug"], a["year"]) == ("a", 2023)
    assert (b["slug"], b["year"]) == ("b", 2022)
    assert b["elapsed_share"] == pytest.approx(1095 / 1460, abs=1e-6)
    assert indicators_of(a)[0]["status_code"] == indicators_of(b)[0]["status_code"] == ON_TRACK


def test_json_contract_fields_and_strict_json():
    plan = run([CASES[0][1], CASES[-5][1]], 2023)[0]
    assert set(plan) >= {"plan", "year", "subgoals", "slug", "period", "elapsed_share", "years"}
    assert set(plan) >= {"latest_data_year"}
    for subgoal in plan["subgoals"]:
        assert set(subgoal) >= {"text", "summary", "indicators", "counts"}
        for ind in subgoal["indicators"]:
            assert set(ind) >= {
                "name", "status", "sentence", "reference", "latest", "change",
                "change_relative", "improvement", "target", "trend", "comparators",
                "unit", "direction", "measure", "area", "baseline_note", "last_data_year",
                "milestone", "tolerance",
            }  # fmt: skip
            assert set(ind["reference"]) >= {"value", "year", "from_baseline"}
            assert set(ind["latest"]) >= {"value", "year", "state"}
            for comp in ind["comparators"]:
                assert set(comp) >= {
                    "label", "value", "gap_at_reference", "gap_now", "gap_closed_share", "passed"
                }  # fmt: skip
    text = json.dumps(plan, allow_nan=False, ensure_ascii=False)
    assert "NaN" not in text


def test_many_indicators_at_once_equal_one_at_a_time():
    specs = [c[1] for c in CASES]
    together = indicators_of(run(specs, 2023)[0])
    for spec, result in zip(specs, together, strict=True):
        alone = one(spec, 2023)
        for key in ("id", "name", "measure"):
            alone[key] = result[key]
        assert alone == result


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Hele kommunen", "hele kommunen"),
        ("Andre almene boligområder", "andre almene boligområder"),
        ("Aalborg Kommune", "Aalborg Kommune"),
        ("Horsens Kommune", "Horsens Kommune"),
    ],
)
def test_reference_label_in_a_sentence(label, expected):
    assert reference_label(label) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Andel 18-64-årige i beskæftigelse", "Andelen af 18-64-årige i beskæftigelse"),
        ("Antal frivillige i Supportgruppen", "Antallet af frivillige i Supportgruppen"),
        ("Andelen af unge i job", "Andelen af unge i job"),
        ("gennemsnitlig indkomst", "Gennemsnitlig indkomst"),
    ],
)
def test_sentence_subject(name, expected):
    assert sentence_subject(name) == expected


def test_no_nan_leaks_into_numbers():
    plan = run([c[1] for c in CASES], 2023)[0]

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, float):
            assert math.isfinite(value)

    walk(plan)


def test_sentence_ends_an_amount_in_kroner_with_one_full_stop():
    from monitoring.progress.sentences import _tidy

    assert _tidy("mindsket fra 261.647 kr. til 257.398 kr.. Fortsætter") == (
        "mindsket fra 261.647 kr. til 257.398 kr. Fortsætter"
    )
    assert _tidy("… 257.398 kr..") == "… 257.398 kr."
