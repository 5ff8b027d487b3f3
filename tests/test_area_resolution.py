"""Plan-aware area resolution on files built here in many shapes, on SQLite and PostgreSQL.

Every value must land on the right area and year, and no area may be created where a known one was
meant: each test compares the area table before and after. Plan and area names come from the real
seed (data/seed), so a renamed plan shows up here.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

import openpyxl
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, aliased

from monitoring import ingest
from monitoring.cli import main as cli_main
from monitoring.errors import MonitorError
from monitoring.seed import load_seed
from monitoring.store.models import Area, AreaMemory, Measure, Observation

EMPLOYED = "Andel 18-64-årige i beskæftigelse"
SUPPORT = "Andel 18-64-årige på offentlig forsørgelse"


@pytest.fixture
def store(engine: Engine) -> Engine:
    load_seed(engine)
    return engine


# --- files built here ------------------------------------------------------------------------


def workbook(sheets: dict[str, Sequence[Sequence[Any]]], merge_titles: bool = False) -> bytes:
    """An .xlsx written with openpyxl (the other tests use XlsxWriter): rows per sheet."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # a text that looks like a formula, not a formula
        if merge_titles:  # LBF extracts merge the title over the table's width
            for r, row in enumerate(rows, start=1):
                if len([v for v in row if v is not None]) == 1 and r < 4:
                    sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def series(title: Sequence[str], employed: tuple[float, float] = (51.5, 52.5)) -> list[list[Any]]:
    """A time series: title lines, a header of years, one row per measure."""
    return [
        *([line] for line in title),
        [None],
        [None, 2023, 2024],
        [EMPLOYED, *employed],
        [SUPPORT, 30.5, 29.5],
    ]


def csv_bytes(rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> bytes:
    """Semicolon CSV with Danish decimal commas, as Excel writes it."""
    lines = []
    for row in rows:
        cells = ["" if v is None else str(v).replace(".", ",") for v in row]
        lines.append(";".join(cells))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def area_list(rows: Sequence[Sequence[Any]], header: Sequence[str] = ("Område",)) -> list[list]:
    """An area list for 2023: the given area columns, then two measure columns."""
    return [["Nøgletal 2023"], [*header, EMPLOYED, SUPPORT], *[list(r) for r in rows]]


# --- what the store holds ---------------------------------------------------------------------


def areas(engine: Engine) -> set[tuple[str, str, str | None, str | None]]:
    """Every area as (name, kind, code, parent name)."""
    parent = aliased(Area)
    with Session(engine) as session:
        rows = session.execute(
            select(Area.name, Area.kind, Area.code, parent.name).outerjoin(
                parent, parent.id == Area.parent_id
            )
        )
        return {tuple(row) for row in rows}


def values(engine: Engine, measure: str = "employed_18_64") -> dict[tuple[str, int], float | None]:
    """(area name, year) -> value of the measure, for the years the tests write (2023-2024)."""
    with Session(engine) as session:
        rows = session.execute(
            select(Area.name, Observation.year, Observation.value)
            .join(Area, Area.id == Observation.area_id)
            .join(Measure, Measure.id == Observation.measure_id)
            .where(Measure.key == measure, Observation.year >= 2023)
        )
        return {(name, year): value for name, year, value in rows}


def commit(engine: Engine, data: bytes, name: str, **options: Any) -> ingest.Upload:
    upload = ingest.read_upload(engine, data, name, **options)
    assert not upload.blocking, [p.describe() for p in upload.errors]
    ingest.commit(engine, upload, user="test")
    return upload


# --- a plan named in a title -------------------------------------------------------------------

TITLES = [
    (["Område: Helhedsplan: Bo Trivsel (Horsens Kommune)", "Beskæftigelse"], "Bo Trivsel"),
    (["Helhedsplan: Bo Trivsel (Horsens Kommune)"], "Bo Trivsel"),
    (["Bo Trivsel", "Beskæftigelse for 18-64-årige pr. 1. januar"], "Bo Trivsel"),
    (["Helhedsplanen Mit liv – mit sted – min fremtid"], "Østerbro"),
    (["“Mit liv - mit sted - min fremtid” (Guldborgsund Kommune)"], "Østerbro"),
    (["Område: Boligsocial helhedsplan i Løvvangen"], "Løvvangen"),
    (["Beboerdata – Helhedsplanen Trekanten"], "Trekanten"),
    (
        ["Helhedsplan: Aktive Boligområder i Svendborg", "Kilde: LBF"],
        "Aktive Boligområder i Svendborg",
    ),
    (["Område: Sundby-Hvorup Boligselskab, afdeling 12"], "Sundby-Hvorup Boligselskab afd. 12"),
    (["Område: LØVVANGEN, AALBORG KOMMUNE"], "Løvvangen"),
    (["Område: Horsens Kommune"], "Horsens Kommune"),
    (["HORSENS KOMMUNE", "Beskæftigelse"], "Horsens Kommune"),
    (["Område: Hele landet"], "Hele landet"),
]


@pytest.mark.parametrize("shape", ["xlsx", "xlsx-merged", "csv"])
@pytest.mark.parametrize(("title", "expected"), TITLES, ids=[t[0][0][:40] for t in TITLES])
def test_area_named_in_a_title_lands_on_the_plans_area(store, shape, title, expected):
    before = areas(store)
    rows = series(title)
    if shape == "csv":
        data, name = csv_bytes(rows), "serie.csv"
    else:
        data, name = workbook({"Data": rows}, merge_titles=shape == "xlsx-merged"), "serie.xlsx"
    upload = commit(store, data, name)
    assert [(a.name, a.is_new) for a in upload.areas] == [(expected, expected == "Hele landet")]
    assert values(store) == {(expected, 2023): 51.5, (expected, 2024): 52.5}
    assert values(store, "public_support_18_64") == {(expected, 2023): 30.5, (expected, 2024): 29.5}
    created = areas(store) - before
    assert created == (
        {("Hele landet", "benchmark", None, None)} if expected == "Hele landet" else set()
    )


def test_a_title_with_a_plan_and_its_kommune_never_becomes_a_kommune(store):
    before = areas(store)
    data = workbook({"Ark1": series(["Område: Helhedsplan: Bo Trivsel (Horsens Kommune)"])})
    upload = ingest.read_upload(store, data, "bo.xlsx")
    assert [(a.name, a.kind, a.how) for a in upload.areas] == [
        ("Bo Trivsel", "boligomraade", "navn")
    ]
    ingest.commit(store, upload, user="test")
    assert areas(store) == before


# --- a kommune sheet beside the area sheet, and --area -----------------------------------------

KOMMUNE_TITLES = [["Område: Horsens Kommune"], ["Horsens Kommune"], ["Kommune: Horsens"]]


@pytest.mark.parametrize("kommune_title", KOMMUNE_TITLES, ids=lambda t: t[0])
@pytest.mark.parametrize("plain_area", [None, "Løvvangen"])
def test_kommune_sheet_beside_the_area_sheet(store, kommune_title, plain_area):
    before = areas(store)
    data = workbook(
        {
            "Bo Trivsel": series(["Område: Helhedsplan: Bo Trivsel (Horsens Kommune)"]),
            "Kommunen": series(kommune_title, employed=(77.0, 78.0)),
        }
    )
    # A plain --area only fills sheets that name no area: here it changes nothing.
    commit(store, data, "to_ark.xlsx", area=plain_area)
    assert values(store) == {
        ("Bo Trivsel", 2023): 51.5,
        ("Bo Trivsel", 2024): 52.5,
        ("Horsens Kommune", 2023): 77.0,
        ("Horsens Kommune", 2024): 78.0,
    }
    assert areas(store) == before


def run_cli(engine: Engine, capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    url = engine.url.render_as_string(hide_password=False)
    code = cli_main(["import-lbf", *args, "--db", url, "--user", "test"])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def two_sheets(tmp_path) -> str:
    """Sheet "Ark1" names no area; sheet "Ark2" is the kommune."""
    path = tmp_path / "to_ark.xlsx"
    path.write_bytes(
        workbook(
            {
                "Ark1": series(["Beskæftigelse for 18-64-årige"]),
                "Ark2": series(["Område: Horsens Kommune"], employed=(77.0, 78.0)),
            }
        )
    )
    return str(path)


@pytest.mark.parametrize(
    ("options", "ark1", "ark2"),
    [
        (["--area", "Bo Trivsel"], "Bo Trivsel", "Horsens Kommune"),
        (["--area", "Ark1=Bo Trivsel"], "Bo Trivsel", "Horsens Kommune"),
        (["--area", "ark1=helhedsplanen bo trivsel"], "Bo Trivsel", "Horsens Kommune"),
        (["--area", "Ark1=Sundparken", "--area", "Ark2=Sønderbro"], "Sundparken", "Sønderbro"),
        (["--area", "Ark1=Mit liv – mit sted – min fremtid"], "Østerbro", "Horsens Kommune"),
    ],
)
def test_cli_area_per_sheet_and_plain(store, capsys, two_sheets, options, ark1, ark2):
    before = areas(store)
    code, out, err = run_cli(store, capsys, two_sheets, *options)
    assert code == 0, err
    assert "gemt" in out
    assert values(store) == {
        (ark1, 2023): 51.5,
        (ark1, 2024): 52.5,
        (ark2, 2023): 77.0,
        (ark2, 2024): 78.0,
    }
    assert areas(store) == before


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ([], ["Ark1", "fremgår ikke", '--area "Ark1=OMRÅDE"']),
        (["--area", "Ark9=Bo Trivsel"], ["Ark9", "findes ikke i filen", "'Ark1', 'Ark2'"]),
        (["--area", "Ark1=Ingen Steder"], ["Ingen Steder", "findes ikke"]),
        (["--area", "Bo Trivsel", "--area", "Løvvangen"], ["kun gives én gang"]),
        (["--area", "=Bo Trivsel"], ["ARK=OMRÅDE"]),
    ],
)
def test_cli_area_mistakes_are_refused_in_danish(store, capsys, two_sheets, options, words):
    before = (areas(store), values(store))
    code, _, err = run_cli(store, capsys, two_sheets, *options)
    assert code == 1
    for word in words:
        assert word in err
    assert (areas(store), values(store)) == before


def test_cli_json_lists_the_area_question(store, capsys, tmp_path):
    path = tmp_path / "liste.xlsx"
    path.write_bytes(workbook({"Data": area_list([["Løvvangen Nord", 40.0, 35.0]])}))
    code, out, _ = run_cli(store, capsys, str(path), "--json")
    assert code == 1
    report = json.loads(out)
    (question,) = report["area_questions"]
    assert (question["text"], question["sheet"], question["row"]) == ("Løvvangen Nord", "Data", 3)
    assert question["can_create"] is True
    with Session(store) as session:
        names = {session.get(Area, i).name for i in question["candidates"]}
    assert "Løvvangen" in names
    code, out, err = run_cli(store, capsys, str(path), "--area", "Løvvangen Nord=")
    assert code == 0, err
    assert ("Løvvangen Nord", "boligomraade", None, "Aalborg Kommune") in areas(store)


# --- a plan named in a row, afdelinger by number -----------------------------------------------

ROWS = [
    # (text in the area column, kommune column, the store area meant)
    ("Løvvangen (helhedsplan)", None, "Løvvangen"),
    ("Bo Trivsel (helhedsplan)", None, "Bo Trivsel"),
    ("Helhedsplanen Trekanten", "Holstebro", "Trekanten"),
    ("Mit liv – mit sted – min fremtid", None, "Østerbro"),
    (
        "Boligsocial helhedsplan: Aktive Boligområder i Svendborg",
        None,
        "Aktive Boligområder i Svendborg",
    ),
    ("Boligområdet Sundparken", "Horsens", "Sundparken"),
    ("Horsens Kommune", None, "Horsens Kommune"),
    ("Hele kommunen", "Guldborgsund", "Guldborgsund Kommune"),
    (
        "Andre almene boligområder",
        "Guldborgsund",
        "Andre almene boligområder i Guldborgsund Kommune",
    ),
]


@pytest.mark.parametrize("shape", ["xlsx", "csv"])
def test_plans_and_areas_named_in_rows(store, shape):
    before = areas(store)
    rows = [[text, kommune, 40.0 + i, 20.0 + i] for i, (text, kommune, _) in enumerate(ROWS)]
    table = area_list(rows, header=("Område", "Kommune"))
    data = csv_bytes(table) if shape == "csv" else workbook({"Liste": table})
    upload = commit(store, data, f"liste.{shape}")
    assert not upload.new_areas
    assert values(store) == {(meant, 2023): 40.0 + i for i, (_, _, meant) in enumerate(ROWS)}
    assert areas(store) == before


SUNDBY = "Sundby-Hvorup Boligselskab afd. 12"
AFDELING_SPELLINGS = [
    # (Afdelingsnummer column, Afdeling column, Kommune column)
    (None, "Sundby-Hvorup Boligselskab afd. 12", None),
    (None, "SUNDBY-HVORUP BOLIGSELSKAB AFDELING 12", None),
    (None, "Sundby Hvorup Boligselskab, afd 012", None),
    (None, "Sundby-Hvorup Boligselskab afd.nr. 12", None),
    ("12", "Sundby-Hvorup Boligselskab", "Aalborg"),
    ("611-12", "Sundby-Hvorup Boligselskab", None),
    ("611-12", None, "Aalborg"),
    (None, "611-12", "Aalborg"),
    (None, "afd. 12", "Aalborg"),
    ("12", "Løvvangen", "Aalborg"),
    (None, "Løvvangen, afd. 12", None),
    (None, "Løvvangen afdeling nr. 12", None),
    (None, "Boligsocial Helhedsplan i Løvvangen, afdeling 12", None),
]


@pytest.mark.parametrize(("number", "name", "kommune"), AFDELING_SPELLINGS)
def test_afdeling_by_name_and_number_in_any_spelling(store, number, name, kommune):
    before = areas(store)
    table = area_list(
        [[kommune, number, name, 44.5, 33.5]], header=("Kommune", "Afdelingsnummer", "Afdeling")
    )
    upload = commit(store, workbook({"Afdelinger": table}), "afd.xlsx")
    assert [a.name for a in upload.areas] == [SUNDBY]
    assert values(store) == {(SUNDBY, 2023): 44.5}
    assert areas(store) == before


def test_a_number_alone_without_context_is_asked(store):
    table = area_list([[None, "611-12", 44.5, 33.5]], header=("Kommune", "Afdeling"))
    upload = ingest.read_upload(store, workbook({"Data": table}), "nr.xlsx")
    assert [p.code for p in upload.errors] == ["area_unclear"]
    assert "afdelingsnummer 12" in upload.errors[0].message


def test_unknown_afdeling_of_a_known_area_is_asked_then_created_under_it(store):
    before = areas(store)
    table = area_list([["Løvvangen, afd. 3", 41.0, 31.0], ["Løvvangen", 46.0, 36.0]])
    data = workbook({"Data": table})
    upload = ingest.read_upload(store, data, "afd3.xlsx")
    (question,) = upload.questions
    assert (question.text, question.row, question.can_create) == ("Løvvangen, afd. 3", 3, True)
    (error,) = upload.errors
    assert error.code == "area_unclear"
    assert "Løvvangen (boligområde, Aalborg Kommune)" in error.message
    assert "række 3" in error.describe()
    upload = ingest.resolve(store, upload.table, area_map={"Løvvangen, afd. 3": ingest.CREATE_NEW})
    assert not upload.blocking, upload.errors
    ingest.commit(store, upload, user="test")
    assert areas(store) - before == {("Løvvangen, afd. 3", "afdeling", "3", "Løvvangen")}
    assert values(store) == {("Løvvangen, afd. 3", 2023): 41.0, ("Løvvangen", 2023): 46.0}


NEW_AREAS = [
    (  # a new afdeling goes under the kommune the other rows name
        ["Aalborg Kommune", "Løvvangen", "Nyt Boligselskab afd. 7"],
        {("Nyt Boligselskab afd. 7", "afdeling", "7", "Aalborg Kommune")},
    ),
    (  # "X Kommune" is a new kommune only for a kommune name; benchmarks are benchmarks
        ["Fanø Kommune", "Nyby Kommune", "Alle almene boligområder"],
        {
            ("Fanø Kommune", "kommune", "563", None),
            ("Nyby Kommune", "kommune", None, None),
            ("Alle almene boligområder", "benchmark", None, None),
        },
    ),
]


@pytest.mark.parametrize(("texts", "created"), NEW_AREAS)
def test_new_areas_get_their_kind_and_parent(store, texts, created):
    before = areas(store)
    table = area_list([[text, 50.0 + i, 30.0] for i, text in enumerate(texts)])
    commit(store, workbook({"Data": table}), "nye.xlsx")
    assert areas(store) - before == created
    assert values(store) == {(text, 2023): 50.0 + i for i, text in enumerate(texts)}


@pytest.mark.parametrize(
    "text",
    [
        "Bo Trivsel Kommune",  # a plan's name is no kommune
        "Løvvangen Nord",  # contains a known area's name
        "Helhedsplan: Sundparken og Sønderbro",
        "Helhedsplanen Nyt Sted",  # a plan the store does not know
        "Det Boligsociale Område i Trekanten Vest",
    ],
)
def test_no_new_area_that_contains_a_known_name(store, text):
    before = areas(store)
    upload = ingest.read_upload(
        store, workbook({"Data": area_list([[text, 40.0, 30.0]])}), "x.xlsx"
    )
    assert [p.code for p in upload.errors] == ["area_unclear"]
    assert upload.new_areas == []
    assert upload.errors[0].text == text
    with pytest.raises(MonitorError, match="kan ikke importeres"):
        ingest.commit(store, upload, user="test")
    assert areas(store) == before


# --- remembered area choices -------------------------------------------------------------------


def test_area_choice_is_remembered_for_next_year(store):
    before = areas(store)
    first = workbook({"Data": area_list([["Løvvangen (gl. navn)", 45.0, 35.0]])})
    upload = ingest.read_upload(store, first, "2023.xlsx")
    assert [q.text for q in upload.questions] == ["Løvvangen (gl. navn)"]
    upload = ingest.resolve(store, upload.table, area_map={"Løvvangen (gl. navn)": "Løvvangen"})
    assert [(a.name, a.how) for a in upload.areas] == [("Løvvangen", "valgt")]
    ingest.commit(store, upload, user="projektleder")
    with Session(store) as session:
        memory = [(m.text, m.confirmed_by) for m in session.scalars(select(AreaMemory))]
    assert memory == [("Løvvangen (gl. navn)", "projektleder")]

    next_year = [["Nøgletal 2024"], *area_list([["LØVVANGEN (GL. NAVN)", 46.0, 34.0]])[1:]]
    upload = ingest.read_upload(store, workbook({"Data": next_year}), "2024.xlsx")
    assert not upload.blocking, upload.errors
    assert [(a.name, a.how) for a in upload.areas] == [("Løvvangen", "husket")]
    ingest.commit(store, upload, user="projektleder")
    assert values(store) == {("Løvvangen", 2023): 45.0, ("Løvvangen", 2024): 46.0}
    assert areas(store) == before


def test_sheet_choice_is_remembered_by_its_title_text(store):
    data = workbook({"Ark1": series(["Område: Vores boligsociale indsats nord"])})
    upload = ingest.read_upload(store, data, "a.xlsx", sheet_areas={"Ark1": "Sønderbro"})
    assert [(a.name, a.how) for a in upload.areas] == [("Sønderbro", "valgt")]
    ingest.commit(store, upload, user="test")
    upload = ingest.read_upload(store, data, "b.xlsx")
    assert [(a.name, a.how) for a in upload.areas] == [("Sønderbro", "husket")]


# --- hostile names -----------------------------------------------------------------------------

HOSTILE = [
    "x" * 300,
    "12345",
    '=HYPERLINK("http://example.invalid","klik")',
    "+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "# Overskrift",
    "[Løvparken](http://example.invalid)",
    "<script>alert(1)</script>",
    "Andel 18-64-årige i beskæftigelse",
    "Dette er en sætning. Den handler om noget andet end et område.",
    "Helhedsplan",
    "…",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("where", ["row", "title"])
def test_hostile_area_texts_are_asked_never_created(store, text, where):
    before = (areas(store), values(store))
    if where == "row":
        data = workbook({"Data": area_list([[text, 40.0, 30.0]])})
    else:
        data = workbook({"Data": series([f"Område: {text}"])})
    upload = ingest.read_upload(store, data, "fjendtlig.xlsx")
    assert upload.blocking
    asked = {"area_unclear", "no_area"}
    if text.isdigit():  # a bare number in the area column is read as data: nothing to map
        asked.add("nothing_mapped")
    assert {p.code for p in upload.errors} <= asked, upload.errors
    assert upload.new_areas == []
    assert (areas(store), values(store)) == before


def test_markdown_around_a_known_name_still_finds_it(store):
    before = areas(store)
    upload = commit(
        store, workbook({"Data": area_list([["**Løvvangen**", 40.0, 30.0]])}), "md.xlsx"
    )
    assert [a.name for a in upload.areas] == ["Løvvangen"]
    assert areas(store) == before


@pytest.mark.parametrize(
    ("text", "word"),
    [("=1+1", "tal"), ("Ø" * 90, "for lang"), ("Andel ledige i pct.", "indikator")],
    ids=["formula-number", "long", "label"],
)
def test_creating_a_text_that_is_no_name_is_refused_even_when_chosen(store, text, word):
    before = areas(store)
    upload = ingest.read_upload(
        store, workbook({"Data": area_list([[text, 40.0, 30.0]])}), "f.xlsx"
    )
    assert [q.can_create for q in upload.questions] == [False]
    upload = ingest.resolve(store, upload.table, area_map={text: ingest.CREATE_NEW})
    assert [p.code for p in upload.errors] == ["area_cannot_be_created"]
    assert word in upload.errors[0].message
    assert areas(store) == before


def test_a_person_may_create_a_formula_like_name_as_it_is(store):
    """Never automatically, but names are data: every page and export shows them as text."""
    before = areas(store)
    text = "=Solsikken|' /C calc'!A0"
    upload = ingest.read_upload(
        store, workbook({"Data": area_list([[text, 40.0, 30.0]])}), "f.xlsx"
    )
    (question,) = upload.questions
    assert "formel" in question.reason and question.can_create
    upload = ingest.resolve(store, upload.table, area_map={text: ingest.CREATE_NEW})
    assert not upload.blocking, upload.errors
    ingest.commit(store, upload, user="test")
    assert areas(store) - before == {(text, "boligomraade", None, None)}
    assert values(store) == {(text, 2023): 40.0}


def test_another_sheets_kommune_does_not_license_a_known_name(store):
    before = areas(store)
    data = workbook(
        {
            "Serie": series(["Område: Helhedsplan: Bo Trivsel (Horsens Kommune)"]),
            "Liste": area_list([["Løvvangen Nord", 40.0, 30.0]]),
        }
    )
    upload = ingest.read_upload(store, data, "to_ark.xlsx")
    assert [q.text for q in upload.questions] == ["Løvvangen Nord"]
    assert upload.new_areas == []
    assert areas(store) == before


def test_a_known_name_in_another_kommune_is_asked_and_can_be_created_apart(store):
    before = areas(store)
    table = area_list([["Østerbro", "Aalborg", 40.0, 30.0]], header=("Område", "Kommune"))
    upload = ingest.read_upload(store, workbook({"Data": table}), "aalborg.xlsx")
    (question,) = upload.questions
    assert "anden kommune" in question.reason
    upload = ingest.resolve(store, upload.table, area_map={"Østerbro": ingest.CREATE_NEW})
    ingest.commit(store, upload, user="test")
    created = ("Østerbro (Aalborg Kommune)", "boligomraade", None, "Aalborg Kommune")
    assert areas(store) - before == {created}
    assert values(store) == {("Østerbro (Aalborg Kommune)", 2023): 40.0}


UNDESIGNED = [
    ("  LOEVVANGEN ", "Løvvangen"),
    ("Soenderbro", "Sønderbro"),
    ("BO TRIVSEL (HELHEDSPLAN)", "Bo Trivsel"),
    ("helhedsplanen trekanten", "Trekanten"),
    ("Mit liv, mit sted, min fremtid", "Østerbro"),
    ("Boligområdet Sundparken, Horsens Kommune", "Sundparken"),
    ("Skovparken i Svendborg", "Skovparken"),
    ("Sundby Hvorup Boligselskab - afd. nr. 12", "Sundby-Hvorup Boligselskab afd. 12"),
    ("Aktive boligomraader i Svendborg (helhedsplan)", "Aktive Boligområder i Svendborg"),
    ("Toftemarken / Klitemarken / Frilandsvej", "Toftemarken/Klitemarken/Frilandsvej"),
    ("guldborgsund", "Guldborgsund Kommune"),
    ("HELE LANDET", "Hele landet"),
]


def test_rows_in_spellings_nobody_designed_for(store):
    before = areas(store)
    table = area_list([[text, 40.0 + i, 30.0] for i, (text, _) in enumerate(UNDESIGNED)])
    upload = commit(store, workbook({"Varianter": table}), "varianter.xlsx")
    assert {a.text: a.name for a in upload.areas} == {t.strip(): m for t, m in UNDESIGNED}
    assert values(store) == {(meant, 2023): 40.0 + i for i, (_, meant) in enumerate(UNDESIGNED)}
    assert areas(store) - before == {("Hele landet", "benchmark", None, None)}
