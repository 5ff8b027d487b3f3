"""Plain-text delaftaler in layouts the seeds do not use: Markdown tables, Windows line ends and
code page, a table without any baseline year, and a comparator written after its number."""

from __future__ import annotations

from monitoring.delaftale.extract import read_delaftale

MARKDOWN = """# Delaftale for indsatsområdet Uddannelse

Navn på den boligsociale indsats, som delaftalen vedrører:

**Helhedsplan Østergården**

Delaftalen gælder fra - til:

1. marts 2023 – 28. februar 2027

| Delmål | Indikator | Baseline | Evt. anden baseline | Baseline år | Datakilde |
|---|---|---|---|---|---|
| Færre unge uden uddannelse | Andel unge (15-29 år) uden uddannelse | 31,2 % | 20,1 % (Esbjerg Kommune) | 2022 | LBF beboerdata |
| | Antal unge i lektiecafé | Afventer data | ? | | Helhedsplanen |

Aktiviteter, som skal bidrage til indfrielsen af delmålene for indsatsområdet og understøtte opnåelsen af de overordnede mål jf. den strategiske samarbejdsaftale:

- Lektiecafé
- Uddannelsesvejledning
"""


def _rows(content):
    return [(s["text"], i) for s in content["agreement"]["subgoals"] for i in s["indicators"]]


def test_markdown_table_with_leading_pipes_and_a_merged_delmaal():
    extraction = read_delaftale(MARKDOWN.encode(), "oestergaarden.md")
    content = extraction.content
    assert (content["name"], content["kommune"]["name"]) == ("Helhedsplan Østergården", "Esbjerg")
    assert content["agreement"]["area_of_effort"] == "Uddannelse"
    assert content["agreement"]["activities"] == ["Lektiecafé", "Uddannelsesvejledning"]
    (first_text, first), (second_text, second) = _rows(content)
    assert first_text == second_text == "Færre unge uden uddannelse"
    assert (first["unit"], first["direction"], first["baseline"]["value"]) == ("pct", -1, 31.2)
    assert [(c["label"], c["value"], c["year"]) for c in first["comparators"]] == [
        ("Esbjerg Kommune", 20.1, 2022)
    ]
    assert (second["unit"], second["baseline"]["note"], second["comparators"]) == (
        "count",
        "Afventer data",
        [],
    )
    assert any("'?' er ikke et tal" in w for w in extraction.warnings)


def test_windows_line_ends_and_code_page_read_the_same():
    windows = MARKDOWN.replace("\n", "\r\n").encode("cp1252")
    assert (
        read_delaftale(windows, "x.txt").content
        == read_delaftale(MARKDOWN.encode(), "x.txt").content
    )
