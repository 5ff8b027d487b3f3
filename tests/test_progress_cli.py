"""`python -m monitoring progress`: the JSON contract on the seeded store, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from sqlalchemy import event, select

from monitoring.errors import MonitorError
from monitoring.progress import (
    MISSING,
    ON_TRACK,
    STATUSES,
    WRONG_WAY,
    all_plans_progress,
    plan_progress,
)
from monitoring.seed import load_seed, seed_files
from monitoring.store.db import get_engine, transaction
from monitoring.store.models import Area, Measure, Observation

TOP = {"plan", "year", "subgoals", "slug", "period", "elapsed_share", "years", "latest_data_year"}
INDICATOR = {
    "name",
    "status",
    "sentence",
    "reference",
    "latest",
    "change",
    "change_relative",
    "improvement",
    "target",
    "trend",
    "comparators",
    "unit",
    "direction",
    "measure",
    "area",
    "baseline_note",
    "last_data_year",
    "milestone",
    "tolerance",
}
COMPARATOR = {"label", "value", "gap_at_reference", "gap_now", "gap_closed_share", "passed"}
TODAY = dt.date(2030, 1, 1)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "monitoring", *args], capture_output=True, text=True
    )


def assert_contract(result: dict) -> None:
    assert set(result) >= TOP
    assert isinstance(result["year"], int)
    assert 0.0 <= (result["elapsed_share"] or 0.0) <= 1.0
    assert result["years"] == sorted(result["years"])
    for subgoal in result["subgoals"]:
        assert set(subgoal) >= {"text", "summary", "indicators", "counts"}
        assert sum(subgoal["counts"].values()) == len(subgoal["indicators"])
        for ind in subgoal["indicators"]:
            assert set(ind) >= INDICATOR
            assert ind["status_code"] in STATUSES
            assert ind["sentence"]
            assert set(ind["reference"]) >= {"value", "year", "from_baseline"}
            assert set(ind["latest"]) >= {"value", "year", "state"}
            if ind["target"] is not None:
                assert set(ind["target"]) >= {"value", "progress", "on_track"}
            if ind["trend"] is not None:
                assert set(ind["trend"]) >= {"slope", "projected_value", "projected_year"}
            if ind["milestone"] is not None:
                assert set(ind["milestone"]) == {"state", "achieved_in", "deadline", "overdue"}
            for comp in ind["comparators"]:
                assert set(comp) >= COMPARATOR


def _add_observations(engine, rows: list[tuple[str, str, int, float | None, str]]) -> None:
    """(measure key, area name, year, value, state) written as one audited batch."""
    with transaction(engine, user="test", action="test-observations") as tx:
        for key, area_name, year, value, state in rows:
            measure_id = tx.session.scalar(select(Measure.id).where(Measure.key == key))
            area_id = tx.session.scalar(select(Area.id).where(Area.name == area_name))
            tx.session.add(
                Observation(
                    measure_id=measure_id, area_id=area_id, year=year, value=value, state=state
                )
            )


LOEVVANGEN = [
    ("aalborg_loevvangen_activity_ready_18_64", "Løvvangen", 2021, 12.0, "ok"),
    ("aalborg_loevvangen_activity_ready_18_64", "Løvvangen", 2022, 10.0, "ok"),
    ("aalborg_loevvangen_activity_ready_18_64", "Løvvangen", 2023, 9.5, "ok"),
    ("aalborg_loevvangen_activity_ready_18_64", "Aalborg Kommune", 2023, 3.2, "ok"),
    ("aalborg_loevvangen_job_education_ready_18_64", "Løvvangen", 2023, None, "suppressed"),
    ("aalborg_loevvangen_business_network_established", "Løvvangen", 2023, 1.0, "ok"),
]


def _by_measure(result: dict) -> dict[str, dict]:
    return {i["measure"]: i for s in result["subgoals"] for i in s["indicators"]}


def test_plan_progress_on_the_store(engine):
    """Runs on SQLite and on PostgreSQL: the store-backed path end to end."""
    load_seed(engine)
    _add_observations(engine, LOEVVANGEN)
    result = plan_progress(engine, "aalborg-loevvangen", today=TODAY, actor="test")
    assert_contract(result)
    assert result["year"] == 2023
    assert result["years"] == [2020, 2021, 2022, 2023]
    assert result["period"] == {"start": "2021-04-01", "end": "2025-03-31"}
    by_measure = _by_measure(result)

    ready = by_measure["aalborg_loevvangen_activity_ready_18_64"]
    assert ready["status_code"] == ON_TRACK
    assert ready["change"] == pytest.approx(-4.4)
    assert ready["improvement"] == pytest.approx(4.4)
    assert ready["reference"] == {
        "value": 13.9,
        "year": 2020,
        "from_baseline": True,
        "revised_value": None,
    }
    assert ready["trend"]["points"] == 4
    (kommune,) = ready["comparators"]
    assert kommune["label"] == "Aalborg Kommune"
    assert kommune["gap_at_reference"] == pytest.approx(10.45)
    assert kommune["gap_now"] == pytest.approx(6.3)
    assert kommune["gap_closed_share"] == pytest.approx(4.15 / 10.45)
    assert kommune["passed"] is False
    assert ready["sentence"].startswith(
        "Andelen af 18-64-årige, der er aktivitetsparate, i ressourceforløb, revalidering eller "
        "integrationsprogram er faldet fra 13,9 % (2020) til 9,5 % (2023), -4,4 procentpoint. "
        "Afstanden til Aalborg Kommune er mindsket fra 10,5 til 6,3 procentpoint."
    )

    suppressed = by_measure["aalborg_loevvangen_job_education_ready_18_64"]
    assert suppressed["status_code"] == MISSING
    assert suppressed["latest"] == {"value": None, "year": 2023, "state": "suppressed"}
    assert suppressed["last_data_year"] == 2020

    milestone = by_measure["aalborg_loevvangen_business_network_established"]
    assert milestone["status_code"] == WRONG_WAY
    assert milestone["milestone"] == {
        "state": "I gang",
        "achieved_in": None,
        "deadline": "2022-12-31",
        "overdue": True,
    }

    earlier = plan_progress(engine, "aalborg-loevvangen", 2021, today=TODAY, actor="test")
    assert earlier["year"] == 2021
    assert _by_measure(earlier)["aalborg_loevvangen_activity_ready_18_64"]["change"] == (
        pytest.approx(-1.9)
    )

    url = engine.url.render_as_string(hide_password=False)
    shown = run_cli("progress", "--plan", "aalborg-loevvangen", "--json", "--db", url)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["subgoals"][2]["indicators"][0]["change"] == pytest.approx(-4.4)


def test_unknown_slug_and_bad_year_are_danish_errors(engine):
    load_seed(engine)
    with pytest.raises(MonitorError, match="findes ikke"):
        plan_progress(engine, "findes-ikke", actor="test")
    with pytest.raises(MonitorError, match="vælg et år mellem 2020 og 2025"):
        plan_progress(engine, "aalborg-loevvangen", 1999, actor="test")


def test_progress_json_for_every_seeded_plan(seeded_url):
    slugs = [p.stem for p in seed_files()]
    for slug in slugs:
        shown = run_cli("progress", "--plan", slug, "--json", "--db", seeded_url)
        assert shown.returncode == 0, shown.stderr
        result = json.loads(shown.stdout)
        assert result["slug"] == slug
        assert_contract(result)


def test_all_plans_progress_loads_once(seeded_url):
    engine = get_engine(seeded_url)
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith("PRAGMA"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        everything = all_plans_progress(engine, actor="test")
        for_all = len(statements)
        statements.clear()
        plan_progress(engine, everything[0]["slug"], actor="test")
        for_one = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert sorted(p["slug"] for p in everything) == sorted(p.stem for p in seed_files())
    assert for_all == 4 + 1  # the loads, and one look at who acts (open mode: no users)
    assert for_one <= for_all
    for result in everything:
        assert_contract(result)


def test_readable_output_has_the_sentences(seeded_url):
    shown = run_cli("progress", "--plan", "aalborg-loevvangen", "--db", seeded_url)
    assert shown.returncode == 0, shown.stderr
    assert "Delmål 1:" in shown.stdout
    assert "på rette vej" in shown.stdout
    assert "Fristen er 31. december 2022." in shown.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--plan", "findes-ikke"], "findes ikke"),
        (["--plan", "aalborg-loevvangen", "--year", "1999"], "vælg et år mellem"),
        (["--plan", "aalborg-loevvangen", "--year", "sidste år"], "er ikke et årstal"),
    ],
)
def test_bad_input_gives_one_danish_sentence(args, message, seeded_url):
    result = run_cli("progress", *args, "--json", "--db", seeded_url)
    assert result.returncode == 1
    assert result.stderr.startswith("Fejl:")
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""
