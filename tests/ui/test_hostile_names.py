"""Hostile names stay text on every page and in every download (issue 16, items 2 and 3).

The store's plans, kommuner, areas, delmål, indikatorer, labels and measures are named like
formulas (`=cmd|' /C calc'!A0`, `+1+1`, `@SUM(A1)`), Markdown images and links and HTML. Every
page and Sammenlign view runs in AppTest on SQLite and PostgreSQL; every Markdown text it sends
to the browser must carry the names escaped, every chart text (Plotly or inline SVG) must carry no live tag, and every
download button's file (clicked through Streamlit's own deferred download) must open without a
formula: in .xlsx no formula cell and no text starting with a formula character, in CSV no field
starting with one unless it is a number.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import openpyxl
import pypdf
import pytest
import streamlit as st
from streamlit.runtime.media_file_manager import MediaFileManager

from monitoring.compare import load_areas
from monitoring.present.plaintext import FORMULA_ESCAPE, FORMULA_STARTS, markdown_text, plot_text
from monitoring.show import store_snapshot
from monitoring.store.db import get_engine
from tests.conftest import BACKENDS, fresh_engine
from tests.hostile import (
    FORMULA_NAMES,
    HOSTILE_NAMES,
    SHARED_MEASURE,
    build_hostile_store,
    hostile_lbf_csv,
)

OVERBLIK = "app_pages/overblik.py"
PLAN = "app_pages/helhedsplan.py"
COMPARE = "app_pages/sammenlign.py"
UPLOAD = "app_pages/upload.py"
DELAFTALER = "app_pages/delaftaler.py"
# Every threshold at 0: any worsening is listed, so the alert download has rows.
ALERTS = {"view": "Negativ udvikling", "alle": "true", "pp1": "0", "pp3": "0"}
COMPARE_VIEWS = [
    {"view": "Rangering"},
    {"view": "Små grafer"},
    {"view": "Små grafer", "index": "true"},
    {"view": "Varmetabel"},
    {**ALERTS, "rel1": "0", "rel3": "0"},
    {"view": "Planer side om side"},
]
# Proto fields Streamlit renders as Markdown: bodies, labels, help and progress texts.
MARKDOWN_FIELDS = {"body", "label", "help", "text"}
PLOTLY_TAGS = re.compile(r"<br>|</?extra>")
SVG_CHART = '<div class="monitor-chart">'  # monitoring.present.svg_chart's markup
SVG_ELEMENTS = {"div", "svg", "g", "path", "text", "title", "defs", "use", "clippath", "rect"}
TABLE = '<div class="monitor-table'  # monitoring.present.html_table's markup
TABLE_ELEMENTS = {"div", "table", "thead", "tbody", "tr", "th", "td", "br", "wbr"}
TABLE_ATTRIBUTES = {"class", "scope", "style"}
HTML_NAMES = [name for name in HOSTILE_NAMES if plot_text(name) != name]
DANISH_NUMBER = re.compile(r"-?\d+(,\d+)?(e[-+]?\d+)?")


@pytest.fixture(scope="module", params=BACKENDS)
def hostile_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("hostile")
    engine = fresh_engine(request.param, folder)
    build_hostile_store(engine, folder / "seed")
    st.cache_data.clear()  # PostgreSQL stores share one URL; never serve another store's reads
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Callable[[], Any]]]:
    """(file name, the callable a download button runs when clicked) of every button rendered."""
    found: list[tuple[str, Callable[[], Any]]] = []
    register = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        found.append((file_name, data_callable))
        return register(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return found


def _strings(message: Any, field: str = "") -> Iterator[tuple[str, str]]:
    """(field name, text) of every string in a protobuf message, however deeply nested."""
    if isinstance(message, str):
        yield field, message
    elif hasattr(message, "ListFields"):
        for descriptor, value in message.ListFields():
            yield from _strings(value, descriptor.name)
    elif isinstance(message, (list, tuple)) or type(message).__name__.startswith("Repeated"):
        for item in message:
            yield from _strings(item, field)


def _figure_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _figure_strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _figure_strings(inner)


def rendered_texts(at) -> tuple[list[str], list[str], list[str]]:
    """(Markdown texts, Plotly texts, reading-table texts) of everything the run sent to the
    browser."""
    markdown, plotly, tables = [], [], []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        if getattr(node, "type", "") == "plotly_chart":
            plotly += list(_figure_strings(json.loads(proto.spec)))
            continue
        for field, text in _strings(proto):
            if field == "body" and text.startswith(SVG_CHART):
                plotly += svg_chart_texts(text)
            elif field == "body" and text.startswith(TABLE):
                tables += table_texts(text)
            elif field in MARKDOWN_FIELDS:
                markdown.append(text)
    return markdown, plotly, tables


def svg_chart_texts(markup: str) -> list[str]:
    """The texts of an inline SVG chart (as sent: XML-escaped), after checking that the markup
    holds only the drawing's own elements: a name never became a tag."""
    tags = {tag.lower() for tag in re.findall(r"</?([A-Za-z][\w:-]*)", markup)}
    assert tags <= SVG_ELEMENTS, f"unexpected element in a chart: {tags - SVG_ELEMENTS}"
    return re.findall(r">([^<]+)<", markup) + re.findall(r'aria-label="([^"]*)"', markup)


def table_texts(markup: str) -> list[str]:
    """The cell texts of a reading table as HTML-escaped in the markup, after checking that the
    markup holds only the table's own elements and attributes: a name never became a tag. They
    are HTML text, where only `<` and `&` could mean something: `html.escape` took them."""
    tags = {tag.lower() for tag in re.findall(r"</?([A-Za-z][\w:-]*)", markup)}
    assert tags <= TABLE_ELEMENTS, f"unexpected element in a table: {tags - TABLE_ELEMENTS}"
    attributes = set(re.findall(r"\s([A-Za-z-]+)=\"", markup))
    assert attributes <= TABLE_ATTRIBUTES, f"unexpected attribute: {attributes - TABLE_ATTRIBUTES}"
    return [text for text in re.findall(r">([^<]+)<", markup) if "<" not in text]


def assert_names_are_text(at, where: str) -> list[str]:
    assert not at.exception, (where, [e.value for e in at.exception])
    markdown, plotly, tables = rendered_texts(at)
    for text in markdown:
        for name in HOSTILE_NAMES:
            assert name not in text, f"{where}: unescaped name {name!r} in {text!r}"
    for text in plotly:
        assert "<" not in PLOTLY_TAGS.sub("", text), f"{where}: live tag in chart text {text!r}"
        for name in HTML_NAMES:
            assert name not in text, f"{where}: raw name {name!r} in chart text {text!r}"
    for text in tables:
        assert not re.search(r"&(?!(amp|lt|gt|quot|#x27);)", text), f"{where}: raw & in {text!r}"
    return markdown + plotly + tables


def run_tour(run_page, url: str) -> Iterator[tuple[str, Any]]:
    """Every page, every plan and every Sammenlign view; yields (where, AppTest)."""
    plans = [p["slug"] for p in store_snapshot(get_engine(url), actor="test")["plans"]]
    yield OVERBLIK, run_page(OVERBLIK, url)
    yield DELAFTALER, run_page(DELAFTALER, url)
    for slug in plans:
        yield f"{PLAN}?plan={slug}", run_page(PLAN, url, plan=slug)
    for query in COMPARE_VIEWS:
        yield f"{COMPARE}?{query}", run_page(COMPARE, url, **query)
    focus = {"measure": SHARED_MEASURE, "area": str(_area_id(url, HOSTILE_NAMES[5]))}
    yield f"{COMPARE}?{focus}", run_page(COMPARE, url, **focus)
    yield UPLOAD, run_page(UPLOAD, url)


def _area_id(url: str, name: str) -> int:
    """The id of the boligområde called `name`."""
    areas = load_areas(get_engine(url), actor="test")
    chosen = areas[(areas["area"] == name) & (areas["kind"] == "boligomraade")]
    return int(chosen["area_id"].iloc[0])


def test_every_page_shows_hostile_names_as_text(run_page, hostile_url):
    shown = []
    for where, at in run_tour(run_page, hostile_url):
        shown += assert_names_are_text(at, where)
    everything = "\n".join(shown)
    # Not vacuous: each name reached the pages, escaped for Markdown, for a table or for Plotly.
    for name in HOSTILE_NAMES:
        assert markdown_text(name) in everything or html.escape(name) in everything, name


def _formula_cells_xlsx(content: bytes) -> tuple[list[str], list[Any]]:
    """(problems, every cell value) of a workbook."""
    problems, values = [], []
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                values.append(cell.value)
                if cell.data_type == "f":
                    problems.append(f"{sheet.title}!{cell.coordinate} is a formula: {cell.value}")
                elif isinstance(cell.value, str) and cell.value.lstrip(" ")[:1] in FORMULA_STARTS:
                    problems.append(
                        f"{sheet.title}!{cell.coordinate} starts a formula: {cell.value}"
                    )
    return problems, values


def _formula_fields_csv(content: bytes) -> tuple[list[str], list[str]]:
    """(problems, every field) of a semicolon CSV: a field may start with - only as a number."""
    problems, fields = [], []
    for number, row in enumerate(
        csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";")
    ):
        for field in row:
            fields.append(field)
            starts = field.lstrip(" ")[:1] in FORMULA_STARTS
            if starts and not DANISH_NUMBER.fullmatch(field):
                problems.append(f"row {number + 1}: {field!r}")
    return problems, fields


def test_every_download_is_free_of_formulas(run_page, hostile_url, downloads):
    for where, at in run_tour(run_page, hostile_url):
        assert not at.exception, where
    files = [(name, make()) for name, make in downloads]
    names = [name for name, _ in files]
    # Every kind of download the pages offer was made: report, yearly tables, each view's tables.
    for start in ("hostile-0-aarsstatus-", "hostile-0-delmaal-", "rangering-", "serier-", "serie-"):
        assert any(name.startswith(start) for name in names), start
    for start in ("varmetabel-", "negativ-udvikling-", "planer-side-om-side"):
        assert any(name.startswith(start) for name in names), start
    assert {name.rsplit(".", 1)[1] for name in names} == {"csv", "xlsx", "pdf"}
    escaped, negative_numbers = set(), 0
    for name, content in files:
        if name.endswith(".pdf"):  # printed, never computed: the names are there as written
            pages = pypdf.PdfReader(io.BytesIO(content)).pages
            text = " ".join(page.extract_text() for page in pages)
            assert any(hostile in text for hostile in HOSTILE_NAMES), name
            continue
        if name.endswith(".xlsx"):
            problems, values = _formula_cells_xlsx(content)
            negative_numbers += sum(isinstance(v, float | int) and v < 0 for v in values)
        else:
            problems, values = _formula_fields_csv(content)
        assert problems == [], (name, problems[:5])
        escaped |= {v for v in values if isinstance(v, str) and v.startswith(FORMULA_ESCAPE)}
    # The hostile names are in the files, as text with the escape in front.
    for hostile in FORMULA_NAMES:
        assert any(v[len(FORMULA_ESCAPE) :].startswith(hostile) for v in escaped), hostile
    # ...and a negative number is still a number (the alert list's changes).
    assert negative_numbers > 0


def test_upload_of_hostile_area_names_shows_them_as_text(run_page, hostile_url):
    at = run_page(UPLOAD, hostile_url)
    at.file_uploader[0].upload("nye.csv", hostile_lbf_csv(" syd")).run()
    shown = assert_names_are_text(at, "upload preview")
    labels = [s.label for s in at.selectbox]
    for name in HOSTILE_NAMES:
        assert f"'{markdown_text(name + ' syd')}' er" in labels, name
    # Each text contains a known (hostile) area's name, so the page asks; the person creates them.
    for name in HOSTILE_NAMES:
        label = f"'{markdown_text(name + ' syd')}' er"
        box = next(s for s in at.selectbox if s.label == label)
        box.set_value(f"Opret nyt område: {name} syd").run()
    next(b for b in at.button if b.label == "Opdatér kortlægningen").click().run()
    assert_names_are_text(at, "upload areas chosen")
    next(b for b in at.button if b.label == "Gem i databasen").click().run()
    assert_names_are_text(at, "upload saved")
    assert at.success, shown
