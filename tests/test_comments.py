"""The projektleder's comments per delmål and year: stored with author and time, replaced, removed,
audited, refused whole when too long; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from monitoring.errors import MonitorError
from monitoring.report.comments import MAX_COMMENT_LENGTH, plan_comments, save_comment
from monitoring.seed import load_seed
from monitoring.store.models import AuditEvent, Plan

SLUG = "guldborgsund-mit-liv"
SUBGOAL = "Flere skal tilknyttes arbejdsmarkedet og komme i beskæftigelse"


def audit_events(engine) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(
            session.scalars(select(AuditEvent).where(AuditEvent.entity == "subgoal_comment"))
        )


def test_a_comment_is_kept_per_delmaal_and_year_with_author_and_audit(engine):
    load_seed(engine)
    first = save_comment(engine, SLUG, 1, SUBGOAL, 2024, "  Nyt jobcenter.\n", user="Pia")
    assert first is not None and first.text == "Nyt jobcenter." and first.author == "Pia"
    save_comment(engine, SLUG, 2, "Delmål 2", 2024, "Færre på kontanthjælp.", user="Pia")
    save_comment(engine, SLUG, 1, SUBGOAL, 2023, "Sidste år.", user="Ole")

    shown = plan_comments(engine, SLUG, 2024, actor="test")
    assert {n: c.text for n, c in shown.items()} == {
        1: "Nyt jobcenter.",
        2: "Færre på kontanthjælp.",
    }
    assert plan_comments(engine, SLUG, 2023, actor="test")[1].author == "Ole"
    assert plan_comments(engine, "aalborg-loevvangen", 2024, actor="test") == {}

    replaced = save_comment(engine, SLUG, 1, SUBGOAL, 2024, "Rettet tekst.", user="Ole")
    assert replaced is not None and replaced.written_at >= first.written_at
    assert plan_comments(engine, SLUG, 2024, actor="test")[1].author == "Ole"
    assert save_comment(engine, SLUG, 1, SUBGOAL, 2024, "   ", user="Ole") is None
    assert 1 not in plan_comments(engine, SLUG, 2024, actor="test")

    events = audit_events(engine)
    assert [(e.user, e.entity_id) for e in events] == [
        ("Pia", f"{SLUG}/1/2024"),
        ("Pia", f"{SLUG}/2/2024"),
        ("Ole", f"{SLUG}/1/2023"),
        ("Ole", f"{SLUG}/1/2024"),
        ("Ole", f"{SLUG}/1/2024"),
    ]
    assert events[3].before == {"text": "Nyt jobcenter.", "author": "Pia"}
    assert events[3].after == {"text": "Rettet tekst.", "author": "Ole"}
    assert events[4].after is None and events[4].before["text"] == "Rettet tekst."


def test_a_comment_survives_reloading_a_revised_delaftale(engine):
    load_seed(engine)
    save_comment(engine, SLUG, 1, SUBGOAL, 2024, "Bliver stående.", user="Pia")
    with engine.begin() as connection:  # as if the seed file changed: init recreates the plan
        connection.execute(update(Plan).where(Plan.slug == SLUG).values(seed_sha256="older"))
    assert SLUG in load_seed(engine).loaded  # its delmål rows were deleted and written anew
    assert plan_comments(engine, SLUG, 2024, actor="test")[1].text == "Bliver stående."


@pytest.mark.parametrize(
    ("text", "user", "reason"),
    [
        ("x" * (MAX_COMMENT_LENGTH + 1), "Pia", "højst 2000 tegn"),
        ("Kort.", "P" * 101, "kan ikke gemmes"),
    ],
)
def test_a_refused_comment_saves_nothing(engine, text, user, reason):
    load_seed(engine)
    save_comment(engine, SLUG, 1, SUBGOAL, 2024, "Før.", user="Pia")
    with pytest.raises(MonitorError, match=reason):
        save_comment(engine, SLUG, 1, SUBGOAL, 2024, text, user=user)
    assert plan_comments(engine, SLUG, 2024, actor="test")[1].text == "Før."
    assert len(audit_events(engine)) == 1
