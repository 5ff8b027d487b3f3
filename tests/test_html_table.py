"""The reading tables' HTML: names stay text, figures read the Danish way, status cells tinted."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
import pytest

from monitoring.present.html_table import SCROLL_CLASS, TABLE_CLASS, html_table
from monitoring.present.status_colours import status_tint
from tests.hostile import HOSTILE_NAMES
from tests.ui.text import read_tables


def read(markup: str) -> tuple[list[str], list[list[str]]]:
    [table] = read_tables(markup)
    return list(table.columns), table.to_numpy().tolist()


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.add(tag)
        self.attributes |= {name for name, _ in attrs}


def test_hostile_names_stay_text_in_headers_and_cells():
    frame = pd.DataFrame({name: [name] for name in HOSTILE_NAMES})
    markup = html_table(frame)
    tags = _Tags()
    tags.feed(markup)
    assert tags.tags == {"div", "table", "thead", "tbody", "tr", "th", "td", "wbr"}
    assert tags.attributes == {"class", "scope"}
    header, rows = read(markup)
    assert header == list(HOSTILE_NAMES)
    assert rows == [list(HOSTILE_NAMES)]


def test_figures_read_the_danish_way_and_years_stay_years():
    frame = pd.DataFrame(
        {
            "Statusår": [2025, None],  # a gap makes the column float: still "2025"
            "Andel": [13.95, float("nan")],
            "Tekst": ["40,7 %", None],
        }
    )
    header, rows = read(html_table(frame))
    assert header == ["Statusår", "Andel", "Tekst"]
    assert rows == [["2025", "13,95", "40,7 %"], ["–", "–", "–"]]


def test_a_figure_keeps_its_unit_on_its_line_and_a_line_break_stays():
    markup = html_table(pd.DataFrame({"Værdi": ["364.534 kr."], "Note": ["første\nanden"]}))
    assert "364.534\u00a0kr." in markup
    assert "første<br>anden" in markup


@pytest.mark.parametrize("status", ["På rette vej", "Går den forkerte vej", "Mangler data"])
def test_status_cells_are_tinted_in_the_chosen_columns_only(status):
    frame = pd.DataFrame({"Status": [status], "Indikator": [status]})
    markup = html_table(frame, tinted=["Status"])
    tint = status_tint(status)
    assert tint is not None
    assert markup.count(f'style="background-color: {tint}"') == 1
    assert read(markup)[1] == [[status, status]]  # the text stays: never colour alone


def test_other_text_in_a_tinted_column_gets_no_colour():
    markup = html_table(pd.DataFrame({"Status": ["–", "Noget andet"]}), tinted=["Status"])
    assert "style=" not in markup


def test_the_table_scrolls_in_its_own_box_and_numbers_align_right():
    markup = html_table(pd.DataFrame({"Navn": ["A"], "Antal": [3]}))
    assert markup.startswith(f'<div class="{TABLE_CLASS}"><table>')
    assert '<td class="number">3</td>' in markup
    assert "<td>A</td>" in markup


def test_an_empty_frame_is_a_table_with_its_header():
    header, rows = read(html_table(pd.DataFrame(columns=["Hvad", "Hvornår"])))
    assert header == ["Hvad", "Hvornår"]
    assert rows == []


def test_a_long_word_may_break_after_its_slash():
    markup = html_table(pd.DataFrame({"Indikator": ["flygtninge/indvandrerbaggrund"]}))
    assert "flygtninge/<wbr>indvandrerbaggrund" in markup
    assert read(markup)[1] == [["flygtninge/indvandrerbaggrund"]]


def test_a_long_list_scrolls_in_a_box_of_its_own():
    frame = pd.DataFrame({"Placering": [f"{n}." for n in range(1, 201)]})
    assert html_table(frame, scroll=True).startswith(
        f'<div class="{TABLE_CLASS} {SCROLL_CLASS}"><table>'
    )
    assert SCROLL_CLASS not in html_table(frame)
