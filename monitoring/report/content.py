"""What the yearly report says, gathered once for both formats (PDF and Excel).

Built from the `show --json` snapshot and the `progress --json` result the Helhedsplan page
renders, plus the projektleder's comments and the imports the figures come from, so the printed
report and the screen never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from monitoring.access.actor import Actor
from monitoring.demo import demo_active
from monitoring.present.views import empty_state_text
from monitoring.progress import plan_progress
from monitoring.report.comments import Comment, plan_comments
from monitoring.show import store_snapshot
from monitoring.store.models import (
    Agreement,
    Comparator,
    ImportBatch,
    Indicator,
    Observation,
    Plan,
    Subgoal,
)
from monitoring.vocabulary import Status

# A shape beside every status word, so a greyscale print still tells them apart.
STATUS_SYMBOLS = {
    Status.ON_TRACK: "▲",
    Status.UNCHANGED: "●",
    Status.WRONG_WAY: "▼",
    Status.MISSING: "?",
    Status.NOT_ASSESSED: "–",
}
BATCH_KINDS = {"seed": "Delaftale", "lbf": "Upload", "demo": "Demodata"}
DEMO_WARNING = "Demodata: tallene efter baselineåret er opdigtede eksempler, ikke rigtige LBF-tal."


@dataclass
class IndicatorPart:
    """One indikator: the snapshot's description, the progress verdict and notes on its figures."""

    indicator: dict[str, Any]
    verdict: dict[str, Any]
    notes: list[str]

    @property
    def unit(self) -> str:
        return self.indicator["unit"]

    @property
    def symbol(self) -> str:
        return STATUS_SYMBOLS.get(self.verdict.get("status_code"), "–")

    @property
    def comparator(self) -> dict[str, Any] | None:
        """The reference the summary shows: the kommune where there is one, else the first."""
        comparators = self.verdict.get("comparators") or []
        kommune = [c for c in comparators if c.get("area_kind") == "kommune"]
        return (kommune or comparators or [None])[0]


@dataclass
class SubgoalPart:
    number: int
    text: str
    summary: str
    indicators: list[IndicatorPart]
    snapshot: dict[str, Any]
    comment: Comment | None = None


@dataclass
class AgreementPart:
    area_of_effort: str
    subgoals: list[SubgoalPart]


@dataclass
class ReportContent:
    plan: dict[str, Any]
    result: dict[str, Any]
    demo: bool
    made_on: dt.date
    imports: list[dict[str, Any]] = field(default_factory=list)
    agreements: list[AgreementPart] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.result["year"]

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        period = self.plan["period"]
        return dt.date.fromisoformat(period["start"]), dt.date.fromisoformat(period["end"])

    @property
    def subgoals(self) -> list[SubgoalPart]:
        return [s for a in self.agreements for s in a.subgoals]

    @property
    def sources(self) -> list[str]:
        """The delaftalens datakilder, each once, in the order they first appear."""
        found = (p.indicator.get("source") for s in self.subgoals for p in s.indicators)
        return list(dict.fromkeys(text.strip() for text in found if text and text.strip()))


def figure_notes(indicator: dict[str, Any], verdict: dict[str, Any], year: int) -> list[str]:
    """Why a figure is missing or hidden: diskretioneret years, no figure yet, nothing at all."""
    own = [o for o in indicator["observations"] if o["area"] == indicator["area"]]
    notes = []
    hidden = sorted({o["year"] for o in own if o["state"] == "suppressed" and o["year"] <= year})
    if hidden:
        years = ", ".join(str(y) for y in hidden)
        notes.append(f"Diskretioneret i {years}: for få personer til, at tallet må vises.")
    empty = empty_state_text(indicator)
    if empty and not hidden:
        notes.append(empty)
    latest_year = (verdict.get("latest") or {}).get("year")
    if not empty and latest_year is not None and latest_year < year:
        notes.append(f"Der er endnu ingen tal for {year}; det seneste er fra {latest_year}.")
    return notes


def assemble(
    plan: dict[str, Any],
    result: dict[str, Any],
    comments: dict[int, Comment],
    *,
    demo: bool,
    imports: list[dict[str, Any]] | None = None,
    made_on: dt.date | None = None,
) -> ReportContent:
    """The report's content from data the caller already has (the page's cached reads)."""
    content = ReportContent(
        plan, result, demo, made_on or dt.date.today(), imports=list(imports or [])
    )
    judged = iter(result["subgoals"])  # the progress result lists the plan's delmål in order
    number = 0
    for agreement in plan["agreements"]:
        part = AgreementPart(agreement["area_of_effort"], [])
        for subgoal, verdicts in zip(agreement["subgoals"], judged, strict=False):
            number += 1
            indicators = [
                IndicatorPart(ind, verdict, figure_notes(ind, verdict, result["year"]))
                for ind, verdict in zip(subgoal["indicators"], verdicts["indicators"], strict=True)
            ]
            part.subgoals.append(
                SubgoalPart(
                    number,
                    subgoal["text"],
                    verdicts["summary"],
                    indicators,
                    subgoal,
                    comments.get(number),
                )
            )
        content.agreements.append(part)
    return content


def plan_imports(engine: Engine, slug: str) -> list[dict[str, Any]]:
    """The imports whose figures the plan's indikatorer and references show, oldest first."""
    with Session(engine) as session:
        in_plan = Indicator.subgoal_id.in_(
            select(Subgoal.id).join(Agreement).join(Plan).where(Plan.slug == slug)
        )
        cells = set(session.execute(select(Indicator.measure_id, Indicator.area_id).where(in_plan)))
        cells |= set(
            session.execute(
                select(Indicator.measure_id, Comparator.area_id).join(Comparator).where(in_plan)
            )
        )
        measures = {measure for measure, _ in cells}
        figures: Counter[int] = Counter()
        rows = session.execute(
            select(Observation.measure_id, Observation.area_id, Observation.batch_id).where(
                Observation.measure_id.in_(measures), Observation.batch_id.is_not(None)
            )
        )
        for measure, area, batch in rows:
            if (measure, area) in cells:
                figures[batch] += 1
        batches = session.scalars(
            select(ImportBatch).where(ImportBatch.id.in_(figures)).order_by(ImportBatch.created_at)
        )
        return [
            {
                "file_name": batch.file_name,
                "kind": BATCH_KINDS.get(batch.kind, batch.kind),
                "created_at": batch.created_at,
                "user": batch.user,
                "figures": figures[batch.id],
                "demo": batch.is_demo,
            }
            for batch in batches
        ]


def load_content(
    engine: Engine,
    slug: str,
    year: int | None = None,
    made_on: dt.date | None = None,
    *,
    actor: Actor | str,
) -> ReportContent:
    """Everything the report shows for a plan and status year (None: latest year with data).

    Raises AccessDenied for a plan outside `actor`'s scope, MonitorError (one Danish sentence)
    for an unknown plan or a year outside its span.
    """
    plan = store_snapshot(engine, slug, actor=actor)["plans"][0]
    result = plan_progress(engine, slug, year, actor=actor)
    return assemble(
        plan,
        result,
        plan_comments(engine, slug, result["year"], actor=actor),
        demo=demo_active(engine),
        imports=plan_imports(engine, slug),
        made_on=made_on,
    )
