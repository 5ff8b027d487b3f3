"""The yearly status as an A4 PDF for the bestyrelse's meeting, in Danish, made to be printed.

reportlab lays it out: paragraphs and table cells wrap (long words are split), table rows may
split across pages, and the footer's height is measured from the plan's name, so no name is cut
off or overlaps whatever its length. Fonts are the DejaVu faces matplotlib ships, so every
Danish letter and status symbol prints on any server.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    Image,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from monitoring.fmt import format_change, format_date, format_percent, format_value
from monitoring.present.charts import indicator_figure
from monitoring.present.drawing import png_bytes
from monitoring.present.views import distance_text, empty_state_text, indicator_card_facts
from monitoring.report.content import DEMO_WARNING, IndicatorPart, ReportContent, SubgoalPart

MARGIN = 1.8 * cm
WIDTH = A4[0] - 2 * MARGIN
FONT = "DejaVuSans"
GREY = colors.HexColor("#555555")
LINE = colors.HexColor("#BBBBBB")
SHADE = colors.HexColor("#F2F2F2")
WARNING_FILL = colors.HexColor("#FFF3B0")
CHART_HEIGHT_CM = 7.0
FOOTER_BASE = MARGIN * 0.6
NUMBER_WIDTH = 2.6 * cm  # room right of the footer text for "Side 12 af 34"


@cache
def _fonts() -> str:
    """Register DejaVu Sans (regular, bold, oblique) from matplotlib's own data folder."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    faces = {"": "DejaVuSans", "-Bold": "DejaVuSans-Bold", "-Oblique": "DejaVuSans-Oblique"}
    for suffix, file in faces.items():
        pdfmetrics.registerFont(TTFont(f"{FONT}{suffix}", str(folder / f"{file}.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=f"{FONT}-Bold", italic=f"{FONT}-Oblique")
    return FONT


def _style(
    name: str, size: float, *, bold: bool = False, italic: bool = False, **extra: Any
) -> ParagraphStyle:
    face = "-Bold" if bold else "-Oblique" if italic else ""
    return ParagraphStyle(
        name,
        fontName=f"{_fonts()}{face}",
        fontSize=size,
        leading=size * 1.25,
        alignment=TA_LEFT,
        splitLongWords=True,
        **extra,
    )


@cache
def styles() -> dict[str, ParagraphStyle]:
    return {
        "title": _style("title", 22, bold=True, spaceAfter=10),
        "kicker": _style("kicker", 12, textColor=GREY, spaceAfter=4),
        "h1": _style("h1", 15, bold=True, spaceBefore=6, spaceAfter=6),
        "h2": _style("h2", 11.5, bold=True, spaceBefore=8, spaceAfter=3),
        "body": _style("body", 9.5, spaceAfter=4),
        "small": _style("small", 8),
        "small_bold": _style("small_bold", 8, bold=True),
        "note": _style("note", 8.5, italic=True, textColor=GREY),
        "footer": _style("footer", 7.5, textColor=GREY),
    }


def text(value: Any) -> str:
    """Any text from the store or a person as reportlab paragraph markup that shows it literally."""
    return escape(str(value)).replace("\r\n", "\n").replace("\n", "<br/>")


def para(value: Any, style: str = "body", markup: str = "") -> Paragraph:
    """A paragraph of literal text; `markup` (trusted) may wrap it, e.g. '<b>%s</b>'."""
    shown = text(value)
    return Paragraph(markup % shown if markup else shown, styles()[style])


def status_text(part: IndicatorPart) -> str:
    """The status as a symbol and a word, never colour alone: "▲ På rette vej"."""
    return f"{part.symbol} {part.verdict['status']}"


def _grid(rows: list[list[Any]], widths: list[float], header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, splitInRow=1)
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    table.setStyle(TableStyle(commands))
    return table


def _facts_table(facts: list[tuple[str, Any]]) -> Table:
    rows = [[para(label, "small_bold"), para(value, "small")] for label, value in facts]
    return _grid(rows, [4.2 * cm, WIDTH - 4.2 * cm], header=False)


def _boxed(flowables: list[Any], fill: colors.Color) -> Table:
    box = Table([[flowables]], colWidths=[WIDTH], splitInRow=1)
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), fill),
                ("BOX", (0, 0), (-1, -1), 0.6, LINE),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return box


def cover(content: ReportContent) -> list[Any]:
    plan, year = content.plan, content.year
    start, end = content.period
    efforts = ", ".join(a.area_of_effort for a in content.agreements)
    story: list[Any] = [
        para(f"Årsstatus {year} til bestyrelsen", "kicker"),
        para(plan["name"], "title"),
    ]
    if content.demo:
        story += [_boxed([para(DEMO_WARNING, "body", "<b>%s</b>")], WARNING_FILL), Spacer(1, 8)]
    share = format_percent(content.result.get("elapsed_share"))
    story.append(
        _facts_table(
            [
                ("Kommune", plan["kommune"]),
                ("Indsatsområde", efforts or "–"),
                ("Aftaleperiode", f"{format_date(start)} – {format_date(end)}"),
                ("Perioden gået", f"{share} ved udgangen af {year}"),
                ("Statusår", year),
                ("Rapportens dato", format_date(content.made_on)),
                ("Datakilder", "\n".join(content.sources) or "–"),
            ]
        )
    )
    story.append(para("Importer, som tallene bygger på", "h2"))
    rows = [[para(h, "small_bold") for h in ("Fil", "Type", "Importeret", "Tal")]]
    rows += [
        [
            para(batch["file_name"], "small"),
            para(batch["kind"], "small"),
            para(format_date(batch["created_at"].date()), "small"),
            para(format_value(batch["figures"], "count"), "small"),
        ]
        for batch in content.imports
    ]
    if len(rows) == 1:
        rows.append([para("Ingen importer endnu.", "small"), "", "", ""])
    story.append(_grid(rows, [WIDTH - 8.4 * cm, 2.6 * cm, 3.8 * cm, 2.0 * cm]))
    return story


SUMMARY_HEADERS = ("Delmål", "Indikator", "Baseline", "Seneste", "Ændring", "Afstand", "Status")
SUMMARY_WIDTHS = [2.9, 3.4, 1.9, 2.7, 2.1, 2.4, 2.0]  # cm, 17.4 in all


def _dated(value: float | None, year: int | None, unit: str) -> str:
    if value is None:
        return "–"
    return f"{format_value(value, unit)} ({year})" if year else format_value(value, unit)


def summary_cells(part: IndicatorPart) -> list[str]:
    """Baseline, latest, change and distance to the kommune then → now, as the summary shows."""
    verdict, unit = part.verdict, part.unit
    reference = verdict.get("reference") or {}
    latest = verdict.get("latest") or {}
    latest_text = _dated(latest.get("value"), latest.get("year"), unit)
    if latest.get("value") is None and latest.get("state") == "suppressed":
        latest_text = f"Diskretioneret ({latest.get('year')})"
    comp = part.comparator
    if comp is None:
        distance = "–"
    else:
        then = distance_text(comp.get("gap_at_reference"), unit)
        now = "forbi" if comp.get("passed") else distance_text(comp.get("gap_now"), unit)
        distance = f"{comp['label']}: {then} → {now}"
    return [
        _dated(reference.get("value"), reference.get("year"), unit),
        latest_text,
        format_change(verdict.get("change"), unit) if unit != "status" else "–",
        distance,
    ]


def summary(content: ReportContent) -> list[Any]:
    story: list[Any] = []
    for agreement in content.agreements:
        story += [
            PageBreak(),
            para(f"Oversigt {content.year}: {agreement.area_of_effort}", "h1"),
        ]
        rows: list[list[Any]] = [[para(h, "small_bold") for h in SUMMARY_HEADERS]]
        for subgoal in agreement.subgoals:
            for part in subgoal.indicators:
                rows.append(
                    [
                        para(f"{subgoal.number}. {subgoal.text}", "small"),
                        para(part.indicator["name"], "small"),
                        *(para(cell, "small") for cell in summary_cells(part)),
                        para(status_text(part), "small_bold"),
                    ]
                )
        story.append(_grid(rows, [w * cm for w in SUMMARY_WIDTHS]))
        story.append(Spacer(1, 6))
        story.append(
            para(
                "Status: ▲ På rette vej · ● Uændret · ▼ Går den forkerte vej · ? Mangler data. "
                "Afstand: til kommunen (ellers første anden baseline) ved baseline → nu.",
                "note",
            )
        )
    return story


def _chart(part: IndicatorPart, content: ReportContent) -> Any:
    empty = empty_state_text(part.indicator)
    if empty:
        return para(empty, "note")
    figure = indicator_figure(
        part.indicator, content.period, part.verdict.get("trend"), content.year
    )
    image = Image(io.BytesIO(png_bytes(figure, WIDTH / cm, CHART_HEIGHT_CM)))
    scale = WIDTH / image.imageWidth
    image.drawWidth, image.drawHeight = WIDTH, image.imageHeight * scale
    return image


def indicator_block(part: IndicatorPart, content: ReportContent) -> list[Any]:
    facts = list(indicator_card_facts(part.indicator, part.verdict).items())
    head = [
        para(part.indicator["name"], "h2"),
        para(f"Status {content.year}: {status_text(part)}", "body", "<b>%s</b>"),
        _facts_table(facts) if facts else Spacer(1, 0),
        Spacer(1, 4),
        _chart(part, content),
    ]
    return [
        KeepTogether(head),
        para(part.verdict["sentence"]),
        *(para(note, "note") for note in part.notes),
    ]


def comment_block(subgoal: SubgoalPart, year: int) -> Any:
    comment = subgoal.comment
    if comment is None:
        return para(f"Projektlederen har ikke skrevet en kommentar for {year}.", "note")
    byline = f"{comment.author}, {format_date(comment.written_at.date())}"
    return _boxed(
        [
            para(
                f"Projektlederens kommentar – hvorfor har det bevæget sig? ({byline})", "small_bold"
            ),
            para(comment.text),
        ],
        SHADE,
    )


def sections(content: ReportContent) -> list[Any]:
    story: list[Any] = []
    for subgoal in content.subgoals:
        story += [
            PageBreak(),
            para(f"Delmål {subgoal.number}: {subgoal.text}", "h1"),
            para(f"{subgoal.summary} ({content.year})", "body", "<b>%s</b>"),
        ]
        for part in subgoal.indicators:
            story += [CondPageBreak(4 * cm), *indicator_block(part, content)]
        story += [Spacer(1, 6), comment_block(subgoal, content.year)]
    return story


def _footer_text(content: ReportContent) -> str:
    return f"{content.plan['name']} · Årsstatus {content.year}"


class _NumberedCanvas(Canvas):
    """Defers each page until the count is known, then writes "Side n af N" on every one."""

    footer = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_footer(len(self._pages))
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        footer = Paragraph(self.footer, styles()["footer"])
        _, height = footer.wrap(WIDTH - NUMBER_WIDTH, A4[1])
        footer.drawOn(self, MARGIN, FOOTER_BASE)
        top = FOOTER_BASE + height
        self.setFont(_fonts(), styles()["footer"].fontSize)
        self.setFillColor(GREY)
        self.drawRightString(A4[0] - MARGIN, top - 8, f"Side {self._pageNumber} af {total}")
        self.setStrokeColor(LINE)
        self.line(MARGIN, top + 2, A4[0] - MARGIN, top + 2)


def pdf_bytes(content: ReportContent) -> bytes:
    """The whole report: cover, a summary per delaftale, a section per delmål."""
    footer_markup = text(_footer_text(content))
    _, footer_height = Paragraph(footer_markup, styles()["footer"]).wrap(WIDTH - 2.6 * cm, A4[1])
    bottom = MARGIN * 0.6 + footer_height + 0.5 * cm
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=bottom,
        title=f"Årsstatus {content.year}: {content.plan['name']}",
        author="Indikatormonitor",
        lang="da",
    )
    frame = Frame(
        MARGIN, bottom, WIDTH, A4[1] - MARGIN - bottom, id="body", leftPadding=0, rightPadding=0
    )
    document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    canvas = type("ReportCanvas", (_NumberedCanvas,), {"footer": footer_markup})
    document.build([*cover(content), *summary(content), *sections(content)], canvasmaker=canvas)
    return buffer.getvalue()
