"""An extracted plan shown in the `show --json` shape, and saved as a new plan or a revision.

Both reuse the seed loader (`monitoring.seed.write_plan`) and `show.plan_as_json`: the preview
builds the plan in a throw-away in-memory store, so what is shown is exactly what would be saved.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session

from monitoring.access.enforce import require_plan
from monitoring.delaftale.editing import validate
from monitoring.delaftale.extract import slugify
from monitoring.errors import MonitorError
from monitoring.names import match_key
from monitoring.seed import write_plan
from monitoring.show import plan_as_json
from monitoring.store.db import transaction
from monitoring.store.models import Base, Measure, Plan

BATCH_KIND = "delaftale"


def _check_period(content: dict[str, Any]) -> None:
    period = content["agreement"]["period"]  # the preview cannot build a plan without it
    if not period.get("start") or not period.get("end"):
        raise MonitorError(
            "Delaftalens periode (Delaftalen gælder fra - til) kunne ikke læses; angiv start- og "
            "slutdato, før planen vises eller gemmes."
        )


def add_local_measures(content: dict[str, Any]) -> dict[str, Any]:
    """A copy where every indikator without a measure follows a new plan-local one (a person may
    tie it to an LBF measure afterwards, on the page)."""
    content = copy.deepcopy(content)
    prefix = content["slug"].replace("-", "_")
    taken = {m["key"] for m in content.get("measures") or []}
    for sub in content["agreement"]["subgoals"]:
        for ind in sub["indicators"]:
            if ind.get("measure"):
                continue
            key = f"{prefix}_{slugify(ind['name'] or 'indikator').replace('-', '_')}"[:90]
            while key in taken:
                key += "_2"
            taken.add(key)
            ind["measure"] = key
            content.setdefault("measures", []).append(
                {
                    "key": key,
                    "name": (ind["name"] or key)[:300],
                    "unit": ind["unit"],
                    "direction": ind["direction"],
                    "lbf": False,
                }
            )
    return content


def lbf_measures(engine: Engine, content: dict[str, Any]) -> dict[str, Any]:
    """A copy where an indikator without a measure follows the LBF measure its text names, when
    the matcher (`monitoring.lbf.labels`, the one uploads use) is certain and the unit agrees:
    its series then fills from the yearly LBF upload. Uncertain texts stay plan-local."""
    from monitoring.ingest.catalog import label_matcher, measure_catalog

    with Session(engine) as session:
        lbf = set(session.scalars(select(Measure.key).where(Measure.is_lbf.is_(True))))
    catalog = {k: m for k, m in measure_catalog(engine).items() if k in lbf}
    if not catalog:
        return content
    matcher = label_matcher(engine, catalog)
    content = copy.deepcopy(content)
    for sub in content["agreement"]["subgoals"]:
        for ind in sub["indicators"]:
            key = None if ind.get("measure") else matcher.match(ind["name"]).measure_key
            if key is not None and catalog[key].unit == ind["unit"]:
                ind["measure"] = key
    return content


def preview(content: dict[str, Any]) -> dict[str, Any]:
    """The plan as one plan of `show --json` (no observations), built without touching a store."""
    _check_period(content)
    content = add_local_measures(content)
    scratch = create_engine("sqlite://")
    Base.metadata.create_all(scratch)
    with Session(scratch) as session:
        plan, _replaced, _conflicts = write_plan(
            session, content, "gennemsyn", "-", "-", BATCH_KIND
        )
        session.flush()
        return plan_as_json(plan, {})


def existing_plan(engine: Engine, slug: str) -> dict[str, Any] | None:
    """The stored plan with this slug in the `show --json` shape without its figures, or None
    (the audit's before and after are the plan as the delaftale states it)."""
    with Session(engine) as session:
        plan = session.scalar(select(Plan).where(Plan.slug == slug))
        return None if plan is None else plan_as_json(plan, {})


def as_revision(content: dict[str, Any], existing: dict[str, Any]) -> dict[str, Any]:
    """The extraction as a revision of a stored plan: its kommune and areas are kept, and an
    indikator with the same name keeps its measure (so its series continues)."""
    revised = copy.deepcopy(content)
    revised["slug"] = existing["slug"]
    revised["kommune"] = {"name": existing["kommune"], "code": existing["kommune_code"]}
    revised["areas"] = [
        {"name": a["name"], "kind": a["kind"], "code": a["code"], "parent": a["parent"]}
        for a in existing["areas"]
    ]
    known = {
        match_key(ind["name"]): ind["measure"]
        for agreement in existing["agreements"]
        for sub in agreement["subgoals"]
        for ind in sub["indicators"]
    }
    for sub in revised["agreement"]["subgoals"]:
        for ind in sub["indicators"]:
            ind["measure"] = ind.get("measure") or known.get(match_key(ind["name"]))
    return revised


def _one_agreement(before: dict[str, Any] | None, content: dict[str, Any]) -> None:
    """A plan is written whole from one delaftale (the seed format): refuse a write that would
    drop another delaftale of the plan or put one indsatsområde in the place of another."""
    if before is None:
        return
    efforts = [a["area_of_effort"] for a in before["agreements"]]
    wanted = content["agreement"]["area_of_effort"]
    if efforts != [wanted]:
        raise MonitorError(
            f"Helhedsplanen '{before['name']}' har delaftalen for {', '.join(efforts)}; en delaftale "
            f"for '{wanted}' kan ikke gemmes i dens sted. Gem den som en ny helhedsplan."
        )


@dataclass
class SaveResult:
    slug: str
    revision: bool
    message: str


def save(
    engine: Engine,
    content: dict[str, Any],
    *,
    user: str,
    action: str = "import-delaftale",
    source: str = "Delaftaler-siden",
    data: bytes = b"",
) -> SaveResult:
    """Store the plan in one audited transaction (before and after as `show --json` plans).

    An import of a plan that exists becomes a revision of it (`as_revision`); an edit on the page
    or a restore already starts from the stored plan and is written as it stands.
    """
    errors = validate(content)
    if errors:
        raise MonitorError(" ".join(errors))
    before = existing_plan(engine, content["slug"])
    _one_agreement(before, content)
    if before is not None and action == "import-delaftale":
        content = as_revision(content, before)
    content = add_local_measures(lbf_measures(engine, content))
    sha = hashlib.sha256(data + json.dumps(content, default=str).encode()).hexdigest()
    with transaction(engine, user=user, action=action) as tx:
        require_plan(tx, content["slug"])  # a projektleder revises its own plans, never new ones
        plan, _replaced, _conflicts = write_plan(tx.session, content, source, sha, user, BATCH_KIND)
        tx.session.flush()
        after = plan_as_json(plan, {})
        tx.audit(entity="plan", entity_id=plan.slug, before=before, after=after)
    kind = "en ny udgave af" if before else "den nye helhedsplan"
    return SaveResult(
        slug=content["slug"],
        revision=before is not None,
        message=f"Delaftalen er gemt som {kind} '{content['name']}' ({content['slug']}).",
    )


def matching_slug(engine: Engine, content: dict) -> str | None:
    """The slug of a stored plan with the same name in the same kommune (a revision), else None."""
    with Session(engine) as session:
        for plan in session.scalars(select(Plan)):
            same_name = match_key(plan.name) == match_key(content["name"])
            if same_name and match_key(plan.kommune.name).startswith(
                match_key(content["kommune"]["name"])
            ):
                return plan.slug
    return None
