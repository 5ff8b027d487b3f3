"""Word delaftaler in several template shapes: merged cells, split headings, missing columns,
several comparators in one cell, words instead of numbers; and files that are no delaftale."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from monitoring.delaftale.extract import read_delaftale
from monitoring.errors import MonitorError
from tests.delaftale.docx_builder import EMPLOYED_ROW, HEADER, delaftale_docx


def _indicators(content):
    return [(s["text"], i) for s in content["agreement"]["subgoals"] for i in s["indicators"]]


def test_plan_fields_and_a_plain_row():
    data = delaftale_docx([EMPLOYED_ROW])
    extraction = read_delaftale(data, "sundparken.docx")
    content = extraction.content
    assert content["name"] == "Boligsocial Helhedsplan i Sundparken"
    assert content["kommune"] == {"name": "Horsens", "code": "615"}
    assert content["areas"][0]["name"] == "Sundparken"
    agreement = content["agreement"]
    assert agreement["area_of_effort"] == "Beskæftigelse"
    assert [str(d) for d in agreement["period"].values()] == ["2024-01-01", "2027-12-31"]
    assert agreement["parties"] == ["Horsens Kommune, Jobcenter"]
    assert agreement["activities"] == ["Jobcafé", "Mentorordning"]
    assert agreement["staff_resources"] == "Jobkonsulent 37 t/uge"
    [(subgoal, ind)] = _indicators(content)
    assert subgoal == "Flere skal i arbejde"
    assert (ind["unit"], ind["direction"]) == ("pct", 1)
    assert ind["baseline"] == {"value": 54.4, "year": 2021, "note": None, "as_written": "54,4%"}
    [comp] = ind["comparators"]
    assert (comp["label"], comp["value"], comp["year"]) == ("Horsens Kommune", 78.89, 2021)
    assert comp["area"] == {"kind": "kommune"}
    assert ind["source"] == "LBF beboerdata"
    assert extraction.warnings == []


def test_merged_delmaal_cell_gives_one_delmaal_with_two_indicators():
    data = delaftale_docx(
        [
            (
                "Færre modtagere af offentlig forsørgelse",
                "Andel på kontanthjælp",
                "28,4%",
                "Hele kommunen: 15,6%",
                "2021",
                "LBF beboerdata",
            ),
            (
                "",
                "Andel uden for arbejdsstyrken",
                "27,5%",
                "Hele kommunen: 2,5%",
                "2021",
                "LBF beboerdata",
            ),
        ],
        merge_down=[(0, 1, 2)],
    )
    rows = _indicators(read_delaftale(data, "merged.docx").content)
    assert [text for text, _ in rows] == ["Færre modtagere af offentlig forsørgelse"] * 2
    assert [ind["direction"] for _, ind in rows] == [-1, -1]
    assert [ind["baseline"]["value"] for _, ind in rows] == [28.4, 27.5]


def test_horizontally_merged_cell_is_read_once():
    document = docx.Document()
    document.add_paragraph("Delaftale for indsatsområdet Beskæftigelse")
    document.add_paragraph("Navn på den boligsociale indsats, som delaftalen vedrører:")
    document.add_paragraph("Helhedsplanen Trekanten, Holstebro Kommune")
    document.add_paragraph("Delaftalen gælder fra - til:")
    document.add_paragraph("1. januar 2022 – 31. december 2025")
    table = document.add_table(rows=3, cols=5)
    for column, text in enumerate(
        ("Delmål", "Indikator", "Baseline", "Evt. anden baseline", "Datakilde")
    ):
        table.cell(0, column).text = text
    for column, text in enumerate(
        ("Flere i job", "Antal i småjob", "12 personer", "", "Jobcentret")
    ):
        table.cell(1, column).text = text
    table.cell(2, 0).merge(table.cell(2, 4)).text = "Aktiviteter, som skal bidrage til indfrielsen af delmålene for indsatsområdet og understøtte opnåelsen af de overordnede mål jf. den strategiske samarbejdsaftale:"  # fmt: skip
    buffer = io.BytesIO()
    document.save(buffer)
    content = read_delaftale(buffer.getvalue(), "spans.docx").content
    [(_, ind)] = _indicators(content)
    assert (ind["unit"], ind["baseline"]["value"], ind["direction"]) == ("count", 12.0, 1)
    assert ind["comparators"] == []
    assert content["agreement"]["period"]["start"].isoformat() == "2022-01-01"


def test_heading_split_by_a_line_break_still_finds_the_name_and_the_columns():
    header = ("Delmål", "Indikator", "Baseline\nbolig-\nområde/ målgruppe", "Evt. anden\nbaseline",
              "Baselin e\når", "Data-\nkilde")  # fmt: skip
    data = delaftale_docx(
        [
            (
                "Flere i uddannelse",
                "Andel med ungdomsuddannelse",
                "46,6 %",
                "Hele landet 72 %",
                "2020",
                "LBF beboerdata",
            )
        ],
        header=header,
        name_label=("Navn på den boligsociale indsats,", "som delaftalen vedrører:"),
    )
    content = read_delaftale(data, "split.docx").content
    assert content["name"] == "Boligsocial Helhedsplan i Sundparken"
    [(_, ind)] = _indicators(content)
    assert (ind["baseline"]["value"], ind["baseline"]["year"]) == (46.6, 2020)
    assert [(c["label"], c["value"]) for c in ind["comparators"]] == [("Hele landet", 72.0)]
    assert ind["source"] == "LBF beboerdata"


def test_missing_year_column_takes_the_year_from_the_baseline_or_says_it_is_missing():
    header = tuple(h for h in HEADER if h != "Baseline år")
    data = delaftale_docx(
        [
            (
                "Reducere ledigheden",
                "Andel ledige",
                "Pr. 01.01.2020 13,9%",
                "Pr. 01.01.2020 Aalborg Kommune 3,45%",
                "Jobcentret",
            ),
            ("Flere i job", "Antal i job", "459", "", "Jobcentret"),
        ],
        header=header,
    )
    rows = _indicators(read_delaftale(data, "noyear.docx").content)
    first, second = (ind for _, ind in rows)
    assert (first["baseline"]["value"], first["baseline"]["year"], first["direction"]) == (
        13.9,
        2020,
        -1,
    )
    assert [(c["label"], c["value"], c["year"]) for c in first["comparators"]] == [
        ("Aalborg Kommune", 3.45, 2020)
    ]
    assert second["baseline"] == {
        "value": 459.0, "year": None, "note": "Året fremgår ikke af delaftalen.", "as_written": "459"
    }  # fmt: skip


def test_two_comparators_in_one_cell_become_two():
    data = delaftale_docx(
        [
            (
                "Flere skal i beskæftigelse",
                "Andelen der er beskæftiget",
                "40%",
                "Hele kommunen 71%\nAndre almene boligområder 43,4%",
                "2021",
                "LBF beboerdata",
            )
        ]
    )
    [(_, ind)] = _indicators(read_delaftale(data, "two.docx").content)
    assert [(c["label"], c["value"], c["year"], c["area"]["kind"]) for c in ind["comparators"]] == [
        ("Hele kommunen", 71.0, 2021, "kommune"),
        ("Andre almene boligområder", 43.4, 2021, "benchmark"),
    ]
    assert [c["as_written"] for c in ind["comparators"]] == [
        "Hele kommunen 71%", "Andre almene boligområder 43,4%"
    ]  # fmt: skip


def test_words_instead_of_numbers_are_kept_as_notes_and_flagged():
    data = delaftale_docx(
        [
            ("Flere i småjob", "Antallet i småjobs stiger", "Afventer data", "?", "", "Kommunen"),
            (
                "Færre på forsørgelse",
                "Andel på forsørgelse",
                "ca. fyrre procent",
                "Hele kommunen: ukendt",
                "i fjor",
                "LBF",
            ),
        ],
    )
    extraction = read_delaftale(data, "words.docx")
    first, second = (ind for _, ind in _indicators(extraction.content))
    assert first["baseline"] == {
        "value": None, "year": None, "note": "Afventer data", "as_written": "Afventer data"
    }  # fmt: skip
    assert (first["unit"], first["direction"], first["comparators"]) == ("count", 1, [])
    assert second["baseline"]["value"] is None
    assert second["baseline"]["note"] == "ca. fyrre procent"
    warnings = "\n".join(extraction.warnings)
    assert "Række 1, kolonne 'Baseline': 'Afventer data' er ikke et tal" in warnings
    assert "Række 1, kolonne 'Evt. anden baseline': '?' er ikke et tal" in warnings
    assert "Række 2, kolonne 'Baseline år': 'i fjor' er ikke et årstal" in warnings
    assert "Række 2, kolonne 'Evt. anden baseline': 'Hele kommunen: ukendt'" in warnings


def test_an_extra_column_is_kept_and_flagged():
    data = delaftale_docx(
        [("Flere i job", "Andel i job", "50 %", "Hele kommunen 70 %", "2021", "LBF", "Se bilag")],
        header=(*HEADER, "Bemærkning"),
    )
    extraction = read_delaftale(data, "extra.docx")
    [(_, ind)] = _indicators(extraction.content)
    assert ind["baseline"]["value"] == 50.0
    assert extraction.warnings == [
        "Række 1, kolonne 7: kolonnens overskrift er ukendt, så teksten 'Se bilag' er ikke brugt; "
        "flyt den ved gennemsynet."
    ]


def test_a_milestone_gets_its_deadline_and_status_unit():
    data = delaftale_docx(
        [
            (
                "Etablering af netværk",
                "Netværket er etableret inden 01.01.23",
                "Pr. 01.10.2020 Arbejdet er iværksat",
                "",
                "",
                "Helhedsplanen",
            )
        ]
    )
    [(_, ind)] = _indicators(read_delaftale(data, "milestone.docx").content)
    assert (ind["unit"], ind["direction"], str(ind["deadline"])) == ("status", 1, "2022-12-31")
    assert ind["baseline"]["year"] == 2020


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"PK\x03\x04 not really a zip", "beskadiget Word-dokument"),
        (b"\x00\x01\x02binary", "hverken et Word-dokument"),
        (b"", "er tom"),
        (b"Et brev uden tabel.\nMed venlig hilsen", "ingen tabel med delmål"),
    ],
)
def test_unreadable_files_are_one_danish_sentence(data, words):
    with pytest.raises(MonitorError, match=words):
        read_delaftale(data, "brev.docx")


def test_a_zip_that_is_no_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hej")
    with pytest.raises(MonitorError, match="kan ikke åbnes som Word-dokument"):
        read_delaftale(buffer.getvalue(), "arkiv.docx")


def test_a_zip_bomb_or_entity_declaration_is_refused_before_parsing(monkeypatch):
    import monitoring.delaftale.document as document

    monkeypatch.setattr(document, "MAX_UNPACKED", 1_000_000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w/>" + b" " * 2_000_000)
    with pytest.raises(MonitorError, match="pakker ud til mere end 0 MB"):
        read_delaftale(buffer.getvalue(), "bombe.docx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", b'<!DOCTYPE w [<!ENTITY a "aaaa">]><w>&a;</w>')
    with pytest.raises(MonitorError, match="XML-erklæringer"):
        read_delaftale(buffer.getvalue(), "entity.docx")
