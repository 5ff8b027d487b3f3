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

from monitoring.db import transaction
from monitoring.errors import MonitorError
from monitoring.models import Base, Plan
from monitoring.names import match_key
from monitoring.seed import write_plan
from monitoring.show import plan_as_json, store_snapshot

BATCH_KIND = "delaftale"


def _check_period(content: dict[str, Any]) -> None:
    period = content["agreement"]["period"]
    if not period.get("start") or not period.get("end"):
        raise MonitorError(
            "Delaftalens periode (Delaftalen gælder fra - til) kunne ikke læses; angiv start- og "
            "slutdato, før planen vises eller gemmes."
        )


def preview(content: dict[str, Any]) -> dict[str, Any]:
    """The plan as one plan of `show --json` (no observations), built without touching a store."""
    _check_period(content)
    scratch = create_engine("sqlite://")
    Base.metadata.create_all(scratch)
    with Session(scratch) as session:
        plan, _replaced, _conflicts = write_plan(
            session, content, "gennemsyn", "-", "-", BATCH_KIND
        )
        session.flush()
        return plan_as_json(plan, {})


def existing_plan(engine: Engine, slug: str) -> dict[str, Any] | None:
    """The stored plan with this slug in the `show --json` shape, or None."""
    with Session(engine) as session:
        if session.scalar(select(Plan.id).where(Plan.slug == slug)) is None:
            return None
    return store_snapshot(engine, slug)["plans"][0]


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
    kept: set[str] = set()
    for sub in revised["agreement"]["subgoals"]:
        for ind in sub["indicators"]:
            key = known.get(match_key(ind["name"]))
            if key:
                ind["measure"] = key
                kept.add(key)
    revised["measures"] = [m for m in revised.get("measures", []) if m["key"] not in kept]
    return revised


@dataclass
class SaveResult:
    slug: str
    revision: bool
    message: str


def save(
    engine: Engine, content: dict[str, Any], *, user: str, file_name: str, data: bytes
) -> SaveResult:
    """Store the plan in one audited transaction: new, or a revision of the plan with its slug."""
    _check_period(content)
    before = existing_plan(engine, content["slug"])
    if before is not None:
        content = as_revision(content, before)
    sha = hashlib.sha256(data + json.dumps(content, default=str).encode()).hexdigest()
    with transaction(engine, user=user, action="import-delaftale") as tx:
        plan, _replaced, _conflicts = write_plan(
            tx.session, content, file_name, sha, user, BATCH_KIND
        )
        tx.session.flush()
        after = plan_as_json(plan, {})
        tx.audit(entity="plan", entity_id=plan.slug, before=before, after=after)
    kind = "en ny udgave af" if before else "den nye helhedsplan"
    return SaveResult(
        slug=content["slug"],
        revision=before is not None,
        message=f"Delaftalen er gemt som {kind} '{content['name']}' ({content['slug']}).",
    )
