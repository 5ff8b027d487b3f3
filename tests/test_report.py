"""The bestyrelse's yearly status as PDF and Excel: the figures typed into the store, their change
since the delaftale's baseline and the status each earns; every seed plan with demo data; hostile
and very long names; the `report` command."""

from __future__ import annotations

import copy
import io
import math
import re
import subprocess
import sys

import openpyxl
import pypdf
import pytest
from sqlalchemy import select, update

from monitoring import ingest
from monitoring.cli import main
from monitoring.fmt import format_change, format_value
from monitoring.manual_entry import entry_file
from monitoring.progress import plan_progress
from monitoring.report.comments import save_comment
from monitoring.report.content import assemble, load_content
from monitoring.report.pdf import pdf_bytes
from monitoring.report.workbook import CHANGE_FORMATS, VALUE_FORMATS, workbook_bytes
from monitoring.resources import DATA_DIR
from monitoring.seed import load_seed
from monitoring.show import store_snapshot
from monitoring.store.db import get_engine, transaction
from monitoring.store.models import Observation
from tests.conftest import load_demo_generated, session_store

SLUG = "guldborgsund-mit-liv"
SEED_SLUGS = sorted(p.stem for p in (DATA_DIR / "seed").glob("*.yaml") if p.stem != "measures")
# measure -> (year, value typed for Østerbro); baselines come from the delaftale
TYPED = {
    "employed_18_64": (2023, "43,0"),  # up 3 points, up is good
    "immigrants_outside_labour_force_30_64": (2023, "30,5"),  # up 3 points, down is good
    "passive_cash_benefit_30_64": (2023, "28,6"),  # up 0.2 points: within 1 point, unchanged
    "youth_education_25_34": (2022, "50,6"),  # up 4 points, but nothing for 2023
}
# (status, reference, reference year, latest, latest year, change), in the delaftale's order
EXPECTED = [
    ("På rette vej", 40.0, 2021, 43.0, 2023, 3.0),
    ("Går den forkerte vej", 27.5, 2021, 30.5, 2023, 3.0),
    ("Uændret", 28.4, 2021, 28.6, 2023, 0.2),
    ("Mangler data", 30.3, 2020, 30.3, 2020, None),  # nothing since the baseline
    ("Mangler data", 46.6, None, 50.6, 2022, 4.0),  # no 2023 figure; an undated baseline
]


def sheet_rows(workbook, name):
    rows = list(workbook[name].iter_rows())
    header = [cell.value for cell in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def pdf_text(data: bytes) -> str:
    """The PDF's text with every run of white space as one space (wrapped lines join again)."""
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_report_states_the_typed_figures_their_change_and_status(engine):
    load_seed(engine)
    cells = [("Østerbro", key, year, text) for key, (year, text) in TYPED.items()]
    upload = ingest.read_upload(engine, entry_file(cells), "indtastning.csv")
    assert ingest.commit(engine, upload, user="test").batch_id is not None
    save_comment(engine, SLUG, 1, "Flere skal i job", 2023, "Jobcentret flyttede ind.", user="Pia")

    content = load_content(engine, SLUG, 2023, actor="test")
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes(content)))
    assert workbook.sheetnames == ["Om rapporten", "Status", "Delmål 1", "Delmål 2", "Delmål 3"]
    about = {row[0]: row[1] for row in workbook["Om rapporten"].iter_rows(values_only=True)}
    assert about["Statusår"] == 2023 and "ADVARSEL" not in about
    assert "indtastning.csv" in [r[0] for r in workbook["Om rapporten"].iter_rows(values_only=True)]

    status = sheet_rows(workbook, "Status")
    shown = [
        tuple(
            row[key].value
            for key in ("Status", "Reference", "Referenceår", "Seneste værdi", "Seneste år")
        )
        for row in status
    ]
    assert shown == [row[:5] for row in EXPECTED]
    for row, (*_, expected) in zip(status, EXPECTED, strict=True):
        change = row["Ændring"]
        assert change.value == (None if expected is None else pytest.approx(expected))
        assert change.number_format == CHANGE_FORMATS["pct"]
        assert row["Seneste værdi"].number_format == VALUE_FORMATS["pct"]
        assert row["Reference"].data_type == "n"
    first = status[0]
    assert first["Tegn"].value == "▲"
    assert first["Vurdering"].value.startswith("Andelen af 18-64-årige i beskæftigelse er steget")
    assert "40,0 % (2021) til 43,0 % (2023)" in first["Vurdering"].value
    assert first["Kommentar"].value == "Jobcentret flyttede ind."
    assert first["Afstand ved reference"].value == pytest.approx(31.0)
    assert status[3]["Noter"].value == "Der er endnu ingen tal for 2023; det seneste er fra 2020."
    delmaal = sheet_rows(workbook, "Delmål 1")
    own = next(r for r in delmaal if r["Område"].value == "Østerbro")
    assert own["2023"].value == 43.0 and own["2023"].number_format == VALUE_FORMATS["pct"]
    assert workbook["Delmål 1"].freeze_panes == "A2"
    assert workbook["Status"].column_dimensions["B"].width > 40  # delmål and indikator

    text = pdf_text(pdf_bytes(content))
    assert "43,0 % (2023)" in text and "+3,0 procentpoint" in text
    assert "▲ På rette vej" in text and "▼ Går den forkerte vej" in text and "● Uændret" in text
    assert "Jobcentret flyttede ind." in text and "Pia" in text
    assert "indtastning.csv" in text
    assert "Side 1 af" in text and "Mit liv – mit sted – min fremtid · Årsstatus 2023" in text
    assert "Demodata" not in text


def _comment(number: int) -> str:
    return f"Kommentar {number}: fremgangen skyldes nye hold & <b>rigtige</b> = jobs."


def _commented(engine) -> None:
    """Every delmål of every plan gets a comment for its latest year."""
    for plan in store_snapshot(engine, actor="test")["plans"]:
        year = plan_progress(engine, plan["slug"], actor="test")["year"]
        subgoals = [s for a in plan["agreements"] for s in a["subgoals"]]
        for number, subgoal in enumerate(subgoals, 1):
            save_comment(
                engine, plan["slug"], number, subgoal["text"], year, _comment(number), user="pl"
            )


@pytest.fixture(scope="module")
def commented_demo_url(tmp_path_factory) -> str:
    return session_store(tmp_path_factory, "report", load_seed, load_demo_generated, _commented)


@pytest.mark.parametrize("slug", SEED_SLUGS)
def test_both_formats_for_every_seed_plan_with_demo_data(commented_demo_url, slug):
    content = load_content(get_engine(commented_demo_url), slug, actor="test")
    assert content.demo

    text = pdf_text(pdf_bytes(content))
    flat = squeezed(text)
    assert "Demodata" in text
    assert squeezed(content.plan["name"]) in flat
    for subgoal in content.subgoals:
        assert squeezed(subgoal.text) in flat
        assert squeezed(_comment(subgoal.number)) in flat
        assert subgoal.summary in text
        for part in subgoal.indicators:
            assert squeezed(part.indicator["name"]) in flat
            assert squeezed(part.verdict["sentence"]) in flat
            latest = part.verdict["latest"]
            if latest["value"] is not None:
                assert f"{format_value(latest['value'], part.unit)} ({latest['year']})" in text
            if part.verdict.get("change") is not None:
                assert format_change(part.verdict["change"], part.unit) in text

    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes(content)))
    assert len(workbook.sheetnames) == 2 + len(content.subgoals)
    rows = sheet_rows(workbook, "Status")
    parts = [part for subgoal in content.subgoals for part in subgoal.indicators]
    assert len(rows) == len(parts)
    for row, part in zip(rows, parts, strict=True):
        assert row["Indikator"].value == part.indicator["name"]
        assert row["Status"].value == part.verdict["status"]
        latest = part.verdict["latest"]["value"]
        if latest is not None:
            assert row["Seneste værdi"].data_type == "n"
            assert row["Seneste værdi"].value == pytest.approx(latest)
            assert row["Seneste værdi"].number_format.startswith(
                {"pct": "0.0", "dkk": "#,##0", "count": "#,##0", "status": "[=2]"}[part.unit]
            )
    about = {r[0]: r[1] for r in workbook["Om rapporten"].iter_rows(values_only=True)}
    assert about["ADVARSEL"].startswith("Demodata")


def test_a_formula_name_arrives_as_text_and_a_long_name_is_never_cut(sqlite_engine):
    load_seed(sqlite_engine)
    load_demo_generated(sqlite_engine)
    plan = copy.deepcopy(store_snapshot(sqlite_engine, SLUG, actor="test")["plans"][0])
    result = copy.deepcopy(plan_progress(sqlite_engine, SLUG, actor="test"))
    formula = '=HYPERLINK("x")'
    long_word = "Boligområde" * 20  # 220 letters without a space
    long_name = " ".join(["Meget langt navn på en indikator, der bliver ved"] * 12 + [long_word])
    plan["name"] = formula
    plan["kommune"] = formula
    first = plan["agreements"][0]["subgoals"][0]
    first["text"] = long_name
    first["indicators"][0]["name"] = long_name
    first["indicators"][1]["name"] = formula
    for area in (first["indicators"][0]["area"],):
        for obs in first["indicators"][0]["observations"]:
            if obs["area"] == area:
                obs["area"] = formula
        first["indicators"][0]["area"] = formula
    result["subgoals"][0]["indicators"][0]["comparators"][0]["label"] = long_name
    content = assemble(plan, result, {}, demo=True)

    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes(content)))
    cells = [c for sheet in workbook for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert "'" + formula in texts  # plan and kommune on "Om rapporten", indikator on "Status"
    assert not [t for t in texts if t.lstrip().startswith("=")]
    delmaal = sheet_rows(workbook, "Delmål 1")
    assert "'" + formula in [r["Område"].value for r in delmaal]

    data = pdf_bytes(content)
    flat = squeezed(pdf_text(data))
    assert squeezed(long_name) in flat and formula in flat
    assert flat.count(squeezed(f"{formula} · Årsstatus {content.year}")) == len(
        pypdf.PdfReader(io.BytesIO(data)).pages
    )


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "monitoring", *args], capture_output=True, text=True
    )


def test_report_command_writes_both_formats_and_refuses_in_one_sentence(
    commented_demo_url, tmp_path, capsys
):
    db = ("--db", commented_demo_url)
    pdf = tmp_path / "status.pdf"
    done = run_cli(
        "report", *db, "--plan", SLUG, "--year", "2024", "--format", "pdf", "--out", str(pdf)
    )
    assert done.returncode == 0, done.stderr
    assert "Årsstatus 2024 for Mit liv" in done.stdout and pdf.read_bytes()[:4] == b"%PDF"
    xlsx = tmp_path / "status.xlsx"
    assert main(["report", *db, "--plan", SLUG, "--format", "xlsx", "--out", str(xlsx)]) == 0
    assert xlsx.read_bytes()[:4] == b"PK\x03\x04"
    capsys.readouterr()
    refusals = {
        ("--plan", "ukendt", "--format", "pdf", "--out", str(tmp_path / "a.pdf")): "findes ikke",
        (
            "--plan",
            SLUG,
            "--year",
            "1990",
            "--format",
            "pdf",
            "--out",
            str(tmp_path / "b.pdf"),
        ): "kan ikke bruges",
        (
            "--plan",
            SLUG,
            "--year",
            "i år",
            "--format",
            "pdf",
            "--out",
            str(tmp_path / "b.pdf"),
        ): "er ikke et årstal",
        (
            "--plan",
            SLUG,
            "--format",
            "xlsx",
            "--out",
            str(tmp_path / "mangler" / "c.xlsx"),
        ): "stien findes ikke",
        ("--plan", SLUG, "--format", "pdf", "--out", str(tmp_path)): "det er en mappe",
    }
    for args, reason in refusals.items():
        assert main(["report", *db, *args]) == 1
        said = capsys.readouterr()
        assert said.out == "" and said.err.startswith("Fejl: ") and reason in said.err
        assert said.err.count("\n") == 1
    assert not (tmp_path / "a.pdf").exists() and not (tmp_path / "b.pdf").exists()


def test_infinite_values_from_a_damaged_store_never_break_either_format(sqlite_engine):
    load_seed(sqlite_engine)
    load_demo_generated(sqlite_engine)
    with transaction(sqlite_engine, user="test", action="damage") as tx:
        ids = tx.session.scalars(
            select(Observation.id).where(Observation.value.is_not(None)).order_by(Observation.id)
        ).all()
        for obs_id in ids:
            tx.session.execute(
                update(Observation)
                .where(Observation.id == obs_id)
                .values(value=[math.inf, -math.inf, 1e308][obs_id % 3])
            )
    content = load_content(sqlite_engine, SLUG, actor="test")
    assert pdf_text(pdf_bytes(content)).count("∞") > 0
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes(content)))
    texts = {c.value for sheet in workbook for row in sheet.iter_rows() for c in row}
    assert "∞" in texts and "'-∞" in texts
