"""A store whose every name is hostile: formulas, Markdown images and links, HTML.

Plans, kommuner, areas, afdelinger, benchmarks, indsatsområder, parter, aktiviteter, delmål,
indikatorer, comparator labels, notes and measures are loaded from delaftale YAML written here
(the way `init` loads data/seed), the yearly figures come from the demo generator, and an LBF
file with hostile area names is imported through the upload engine, as a projektleder would.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine

# The names from issue 16, plus a plain link and autolinks for Markdown. 127.0.0.1:9 (discard)
# and evil.example never answer: a browser test fails if anything asks them.
HOSTILE_NAMES = (
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    '=HYPERLINK("http://evil.example/x")',
    "![t](http://127.0.0.1:9/pixel.png)",
    '<a href="http://127.0.0.1:9/x">klik</a>',
    "<img src=x onerror=alert(1)>",
    "[link](http://127.0.0.1:9/link)",
    "Se http://127.0.0.1:9/auto og www.evil.example",
)
FORMULA_NAMES = tuple(n for n in HOSTILE_NAMES if n[0] in "=+-@")
PLANTED = ("127.0.0.1:9/", "evil.example")
SHARED_MEASURE = "employed_18_64"
IMPORTED_SUFFIX = " nord"


def hostile_name(position: int) -> str:
    """The names in turn: plan n's fields take the list shifted by n, so each name fills each role."""
    return HOSTILE_NAMES[position % len(HOSTILE_NAMES)]


def plan_yaml(number: int) -> dict[str, Any]:
    """One delaftale whose every text field is a hostile name (shifted per plan)."""
    local = f"hostile_{number}_local"
    area, afdeling = hostile_name(number + 2), hostile_name(number + 3)
    return {
        "slug": f"hostile-{number}",
        "name": hostile_name(number),
        "kommune": {"name": hostile_name(number + 1), "code": 900 + number},
        "areas": [
            {"name": area, "kind": "boligomraade"},
            {"name": afdeling, "kind": "afdeling", "number": str(number), "parent": area},
        ],
        "agreement": {
            "area_of_effort": hostile_name(number + 4),
            "period": {"start": "2021-01-01", "end": "2025-12-31"},
            "parties": [hostile_name(number + 5)],
            "activities": [hostile_name(number + 6)],
            "staff_resources": hostile_name(number + 7),
            "subgoals": [
                {
                    "text": hostile_name(number + 8),
                    "indicators": [
                        {
                            "name": hostile_name(number + 9),
                            "measure": SHARED_MEASURE,
                            "unit": "pct",
                            "direction": 1,
                            "baseline": {"value": 40.0 + number, "year": 2021},
                            "comparators": [
                                {
                                    "label": hostile_name(number + 1),
                                    "value": 70.0,
                                    "year": 2021,
                                    "area": {"kind": "kommune"},
                                },
                                {
                                    "label": hostile_name(number + 2),
                                    "value": 45.0,
                                    "year": 2021,
                                    "area": {"kind": "benchmark", "name": hostile_name(number + 3)},
                                },
                            ],
                            "target": {
                                "value": 50.0,
                                "year": 2025,
                                "note": hostile_name(number + 4),
                            },
                            "source": hostile_name(number + 5),
                        },
                        {
                            "name": hostile_name(number + 5),
                            "measure": local,
                            "unit": "count",
                            "direction": 1,
                            "baseline": {
                                "value": None,
                                "year": None,
                                "note": hostile_name(number + 6),
                            },
                            "source": hostile_name(number + 7),
                        },
                    ],
                }
            ],
        },
        "measures": [
            {
                "key": local,
                "name": hostile_name(number + 7),
                "unit": "count",
                "direction": 1,
                "lbf": False,
            }
        ],
    }


def write_hostile_seed(folder: Path, plans: int = len(HOSTILE_NAMES)) -> Path:
    """A seed folder like data/seed: measures.yaml and one delaftale per plan."""
    folder.mkdir(parents=True, exist_ok=True)
    measures = [
        {
            "key": SHARED_MEASURE,
            "name": hostile_name(0),
            "unit": "pct",
            "population": hostile_name(1),
            "direction": 1,
        }
    ]
    (folder / "measures.yaml").write_text(
        yaml.safe_dump({"measures": measures}, allow_unicode=True), encoding="utf-8"
    )
    for number in range(plans):
        (folder / f"hostile-{number}.yaml").write_text(
            yaml.safe_dump(plan_yaml(number), allow_unicode=True), encoding="utf-8"
        )
    return folder


def hostile_lbf_csv(suffix: str = IMPORTED_SUFFIX) -> bytes:
    """An LBF long table (Område;Kommune;Indikator;År;Værdi) whose areas are hostile names."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["Område", "Kommune", "Indikator", "År", "Værdi"])
    for position, name in enumerate(HOSTILE_NAMES):
        for year, value in ((2022, 40 + position), (2023, 38.5 + position)):
            writer.writerow(
                [
                    f"{name}{suffix}",
                    hostile_name(1),
                    hostile_name(0),
                    year,
                    str(value).replace(".", ","),
                ]
            )
    return buffer.getvalue().encode("utf-8")


def import_hostile_file(engine: Engine, data: bytes, file_name: str = "hostile.csv") -> None:
    """Import through the upload engine, mapping the hostile measure name to its measure."""
    from monitoring import ingest

    mapping = {hostile_name(0): SHARED_MEASURE}
    upload = ingest.read_upload(engine, data, file_name, mapping=mapping)
    # Each area text contains a known (hostile) name, so it is asked about: a person chooses to
    # create every one as a new area.
    created = {question.text: ingest.CREATE_NEW for question in upload.questions}
    upload = ingest.resolve(engine, upload.table, mapping=mapping, area_map=created)
    assert not upload.blocking, [p.message for p in upload.errors]
    ingest.commit(engine, upload, user=hostile_name(2))


def build_hostile_store(engine: Engine, folder: Path) -> None:
    """Hostile delaftaler, demo figures for them, and an imported hostile LBF file."""
    from monitoring.seed import load_seed
    from tests.conftest import load_demo_generated

    load_seed(engine, write_hostile_seed(folder))
    load_demo_generated(engine)
    import_hostile_file(engine, hostile_lbf_csv())
