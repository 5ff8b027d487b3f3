"""The five seed delaftaler, read by `import-delaftale --json`, give the delmål rows of their YAML.

Field by field, row by row: delmål text, indikator, unit, direction, baseline value/year/words,
every comparator (label, value, year, area kind, as written), target, deadline and datakilde.
Where the YAML holds a person's judgement that the words of the table cannot give, the exception
is listed in JUDGEMENT below with the YAML comment it rests on; every other field must match.
Measure keys and indikator areas are not compared: tying an indikator to a shared LBF measure or
an afdeling is a choice the reviewer makes on the page (the import proposes plan-local measures).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from monitoring.cli import main
from tests.seed.helpers import seed_yaml

TEXTS = Path(__file__).resolve().parent.parent / "data" / "delaftaler"
SLUGS = sorted(p.stem for p in TEXTS.glob("*.txt"))

# (slug, 1-based indikator number in document order, field) -> why the YAML differs.
JUDGEMENT: dict[tuple[str, int, str], str] = {
    # "Rows 3 and 4 are broken across lines ...; reassembled per column": the export dropped
    # empty cells, so a person put "Løvvangen 2021- 2025" back under Baseline and "Familie- og
    # Beskæftigelsesforvaltningen, Aalborg Kommune" together under Datakilde. The import flags
    # both rows ("brudt over flere linjer") and gets every figure, year and comparator right.
    ("aalborg-loevvangen", 3, "name"): "broken row",
    ("aalborg-loevvangen", 3, "baseline.as_written"): "broken row",
    ("aalborg-loevvangen", 3, "comparator.as_written"): "broken row",
    ("aalborg-loevvangen", 3, "source"): "broken row",
    ("aalborg-loevvangen", 4, "baseline.as_written"): "broken row",
    ("aalborg-loevvangen", 4, "comparator.as_written"): "broken row",
    ("aalborg-loevvangen", 4, "source"): "broken row",
    # "The wording has no 'flere', but ... the activity sets out to build a volunteer network":
    # the direction comes from the activity schema, not from the row (the import proposes 0 and
    # asks).
    ("holstebro-trekanten", 3, "direction"): "direction from the activity text",
    # "Direction 0: the indicator only counts the people advised": the delmål says "skal øges",
    # which the import proposes (+1); the person judged that it does not apply to this count.
    ("horsens-bo-trivsel", 3, "direction"): "delmål verb judged not to apply",
}
# The YAML of Trekanten leaves the note of a baseline without a year empty, where the format
# (seed README) and the import say "Året fremgår ikke af delaftalen."
YEARLESS_NOTE_OMITTED = {"holstebro-trekanten"}


def _imported(slug: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main(["import-delaftale", str(TEXTS / f"{slug}.txt"), "--json"]) == 0
    output = json.loads(capsys.readouterr().out)
    assert len(output["plans"]) == 1
    return output["plans"][0]


def _rows_of_json(plan: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (s["text"], i) for a in plan["agreements"] for s in a["subgoals"] for i in s["indicators"]
    ]


def _rows_of_yaml(content: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(s["text"], i) for s in content["agreement"]["subgoals"] for i in s["indicators"]]


def _expected_fields(slug: str, text: str, ind: dict[str, Any]) -> dict[str, Any]:
    baseline = ind.get("baseline") or {}
    target = ind.get("target")
    note = baseline.get("note")
    if slug in YEARLESS_NOTE_OMITTED and note is None and baseline.get("year") is None:
        note = "Året fremgår ikke af delaftalen." if baseline.get("value") is not None else None
    return {
        "subgoal": text,
        "name": ind["name"],
        "unit": ind["unit"],
        "direction": ind["direction"],
        "baseline.value": baseline.get("value"),
        "baseline.year": baseline.get("year"),
        "baseline.note": note,
        "baseline.as_written": baseline.get("as_written"),
        "comparator.label": [c["label"] for c in ind["comparators"]],
        "comparator.value": [c["value"] for c in ind["comparators"]],
        "comparator.year": [c.get("year", baseline.get("year")) for c in ind["comparators"]],
        "comparator.area_kind": [
            (c.get("area") or {}).get("kind", "kommune") for c in ind["comparators"]
        ],
        "comparator.as_written": [c["as_written"] for c in ind["comparators"]],
        "target": None
        if target is None
        else (target["value"], target.get("year"), target.get("note")),
        "deadline": None if ind.get("deadline") is None else str(ind["deadline"]),
        "source": ind.get("source"),
    }


def _actual_fields(text: str, ind: dict[str, Any]) -> dict[str, Any]:
    target = ind["target"]
    return {
        "subgoal": text,
        "name": ind["name"],
        "unit": ind["unit"],
        "direction": ind["direction"],
        "baseline.value": ind["baseline"]["value"],
        "baseline.year": ind["baseline"]["year"],
        "baseline.note": ind["baseline"]["note"],
        "baseline.as_written": ind["baseline"]["as_written"],
        "comparator.label": [c["label"] for c in ind["comparators"]],
        "comparator.value": [c["value"] for c in ind["comparators"]],
        "comparator.year": [c["year"] for c in ind["comparators"]],
        "comparator.area_kind": [c["area_kind"] for c in ind["comparators"]],
        "comparator.as_written": [c["as_written"] for c in ind["comparators"]],
        "target": None if target is None else (target["value"], target["year"], target["note"]),
        "deadline": ind["deadline"],
        "source": ind["source"],
    }


@pytest.mark.parametrize("slug", SLUGS)
def test_seed_text_gives_the_yaml_rows_field_by_field(slug, capsys):
    imported = _rows_of_json(_imported(slug, capsys))
    expected = _rows_of_yaml(seed_yaml(slug))
    assert len(imported) == len(expected)
    mismatches = []
    for number, ((got_text, got), (want_text, want)) in enumerate(
        zip(imported, expected, strict=True), start=1
    ):
        actual = _actual_fields(got_text, got)
        for field, value in _expected_fields(slug, want_text, want).items():
            if (slug, number, field) in JUDGEMENT:
                assert actual[field] != value, f"{slug} #{number} {field} now matches: drop it"
                continue
            if actual[field] != value:
                mismatches.append(f"#{number} {field}: {actual[field]!r} != {value!r}")
    assert not mismatches, "\n".join(mismatches)


def test_every_judgement_names_a_seed_and_a_compared_field():
    fields = set(
        _expected_fields("x", "", seed_yaml(SLUGS[0])["agreement"]["subgoals"][0]["indicators"][0])
    )
    for slug, _number, field in JUDGEMENT:
        assert slug in SLUGS
        assert field in fields
