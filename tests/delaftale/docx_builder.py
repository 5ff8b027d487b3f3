"""Word delaftaler built with python-docx for the tests, in the shapes real templates take."""

from __future__ import annotations

import io
from collections.abc import Sequence

import docx

HEADER = ("Delmål", "Indikator", "Baseline boligområde/ målgruppe", "Evt. anden baseline",
          "Baseline år", "Datakilde")  # fmt: skip
EMPLOYED_ROW = ("Flere skal i arbejde", "Andel 18-64årige beskæftigede", "54,4%",
                "78,89 % (Horsens Kommune)", "2021", "LBF beboerdata")  # fmt: skip


def delaftale_docx(
    rows: Sequence[Sequence[str]],
    header: Sequence[str] = HEADER,
    *,
    name: str = "Boligsocial Helhedsplan i Sundparken",
    period: str = "01.01.2024-31.12.2027",
    name_label: Sequence[str] = ("Navn på den boligsociale indsats, som delaftalen vedrører:",),
    merge_down: Sequence[tuple[int, int, int]] = (),
    activities: Sequence[str] = ("Jobcafé", "Mentorordning"),
) -> bytes:
    """A delaftale; `merge_down` holds (column, first row, last row) of body rows to merge."""
    document = docx.Document()
    document.add_heading("Delaftale for indsatsområdet Beskæftigelse", level=1)
    paragraph = document.add_paragraph(name_label[0])
    for part in name_label[1:]:
        paragraph.add_run().add_break()
        paragraph.add_run(part)
    document.add_paragraph(name)
    document.add_paragraph("Delaftalens parter:")
    document.add_paragraph("Horsens Kommune, Jobcenter")
    document.add_paragraph("Delaftalen gælder fra - til:")
    document.add_paragraph(period)
    document.add_paragraph("Delmål og indikatorer for indsatsområdet")
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    for column, text in enumerate(header):
        _set(table.cell(0, column), text)
    for r, row in enumerate(rows, start=1):
        for column, text in enumerate(row):
            _set(table.cell(r, column), text)
    for column, first, last in merge_down:
        table.cell(first, column).merge(table.cell(last, column))
    document.add_paragraph(
        "Aktiviteter, som skal bidrage til indfrielsen af delmålene for indsatsområdet og "
        "understøtte opnåelsen af de overordnede mål jf. den strategiske samarbejdsaftale:"
    )
    for activity in activities:
        document.add_paragraph(activity)
    document.add_paragraph("Medarbejderressourcer for indsatsområdet:")
    document.add_paragraph("Jobkonsulent 37 t/uge")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set(cell: object, text: str) -> None:
    """Cell text; a "\\n" in it becomes a line break inside the cell, as people type them."""
    first, *rest = text.split("\n")
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.add_run(first)
    for part in rest:
        paragraph.add_run().add_break()
        paragraph.add_run(part)
