"""The projektleder's comment per delmål and status year: "Hvorfor har det bevæget sig?".

Written through `db.transaction`, so every save (and every removal, by saving an empty text) is
an audit event with the text before and after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from monitoring.access.actor import Actor
from monitoring.access.checks import require_plan_visible
from monitoring.access.enforce import require_plan
from monitoring.errors import MonitorError
from monitoring.store.db import transaction
from monitoring.store.models import SubgoalComment

MAX_COMMENT_LENGTH = 2000


@dataclass(frozen=True)
class Comment:
    text: str
    author: str
    written_at: dt.datetime


def plan_comments(
    engine: Engine, slug: str, year: int, *, actor: Actor | str
) -> dict[int, Comment]:
    """The plan's comments for a status year, by delmål number (1-based, in the plan's order);
    a plan outside `actor`'s scope is refused."""
    require_plan_visible(engine, actor, slug)
    with Session(engine) as session:
        rows = session.scalars(
            select(SubgoalComment).where(
                SubgoalComment.plan_slug == slug, SubgoalComment.year == year
            )
        )
        return {row.subgoal_number: Comment(row.text, row.author, row.written_at) for row in rows}


def save_comment(
    engine: Engine,
    slug: str,
    subgoal_number: int,
    subgoal_text: str,
    year: int,
    text: str,
    *,
    user: str,
) -> Comment | None:
    """Store (or replace) a delmål's comment for a year; an empty text removes it. Returns it."""
    text = text.strip()
    if len(text) > MAX_COMMENT_LENGTH:
        raise MonitorError(
            f"Kommentaren til delmål {subgoal_number} er {len(text)} tegn; højst "
            f"{MAX_COMMENT_LENGTH} tegn kan gemmes. Gør den kortere; intet er gemt."
        )
    with transaction(engine, user=user, action="comment") as tx:
        require_plan(tx, slug)
        row = tx.session.scalar(
            select(SubgoalComment).where(
                SubgoalComment.plan_slug == slug,
                SubgoalComment.subgoal_number == subgoal_number,
                SubgoalComment.year == year,
            )
        )
        before = None if row is None else {"text": row.text, "author": row.author}
        key = f"{slug}/{subgoal_number}/{year}"
        if not text:
            if row is not None:
                tx.session.delete(row)
                tx.audit("subgoal_comment", key, before=before)
            return None
        if row is None:
            row = SubgoalComment(plan_slug=slug, subgoal_number=subgoal_number, year=year)
            tx.session.add(row)
        row.subgoal_text = subgoal_text
        row.text = text
        row.author = user
        row.written_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        tx.audit("subgoal_comment", key, before=before, after={"text": text, "author": user})
        return Comment(row.text, row.author, row.written_at)
