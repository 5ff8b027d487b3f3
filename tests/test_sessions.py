"""Log-ins that survive a reload, on both databases: a one-time ticket becomes a session token,
only hashes are stored, and the session ends with log-out, idleness, age or a disabled user."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from monitoring.access import sessions, users
from monitoring.access.login import log_in
from monitoring.store.db import change_stamp
from monitoring.store.models import LoginSession, utcnow


@pytest.fixture
def store(engine: Engine) -> Engine:
    users.add_user(engine, "opsætning", "anna", "administrator", password="hemmeligt")
    users.add_user(engine, "anna", "lise", "læser", password="hemmeligt")
    return engine


def started(engine: Engine, name: str = "lise") -> tuple[int, str]:
    """A log-in and its session's cookie token."""
    session_id, ticket = sessions.start(engine, log_in(engine, name, "hemmeligt"))
    token = sessions.exchange(engine, ticket)
    assert token is not None
    assert sessions.exchange(engine, ticket) is None  # a ticket is spent once
    return session_id, token


def age(engine: Engine, session_id: int, **columns: dt.timedelta) -> None:
    """Move the session's times into the past."""
    with Session(engine) as session:
        row = session.get(LoginSession, session_id)
        values = {name: getattr(row, name) - delta for name, delta in columns.items()}
        session.execute(update(LoginSession).where(LoginSession.id == session_id).values(values))
        session.commit()


def test_a_session_token_finds_the_user_until_log_out(store):
    stamp = change_stamp(store)
    session_id, token = started(store)
    assert sessions.resume(store, token) == (session_id, sessions.resume(store, token)[1])
    assert sessions.resume(store, token)[1].name == "lise"
    with Session(store) as session:
        row = session.get(LoginSession, session_id)
        assert token not in (row.token_hash, row.ticket_hash) and row.ticket_hash is None
    assert sessions.resume(store, token + "x") is None
    assert sessions.resume(store, None) is None and sessions.resume(store, "") is None
    sessions.end(store, session_id, "anna")  # only the session's own user ends it
    assert sessions.resume(store, token) is not None
    sessions.end(store, session_id, "lise")
    assert sessions.resume(store, token) is None
    assert not sessions.touch(store, session_id, "lise")
    assert change_stamp(store) == stamp  # log-ins and sessions leave the pages' caches alone


def test_idleness_age_and_a_disabled_user_end_it(store):
    idle, token = started(store)
    age(store, idle, seen_at=dt.timedelta(seconds=sessions.IDLE_SECONDS + 5))
    assert sessions.resume(store, token) is None
    old, token = started(store)
    age(store, old, started_at=dt.timedelta(seconds=sessions.SESSION_SECONDS + 5))
    assert sessions.resume(store, token) is None
    _, token = started(store)
    users.disable_user(store, "anna", "lise")
    assert sessions.resume(store, token) is None
    started(store, "anna")  # a new log-in clears the sessions past their age
    with Session(store) as session:
        starts = session.scalars(select(LoginSession.started_at)).all()
    oldest = utcnow() - dt.timedelta(seconds=sessions.SESSION_SECONDS)
    assert len(starts) == 3 and min(starts) > oldest  # the idle one, lise's last, anna's


def test_a_late_ticket_is_refused(store):
    session_id, ticket = sessions.start(store, log_in(store, "anna", "hemmeligt"))
    age(store, session_id, started_at=dt.timedelta(seconds=sessions.TICKET_SECONDS + 5))
    assert sessions.exchange(store, ticket) is None
    assert sessions.exchange(store, "x" * 500) is None
    with Session(store) as session:
        assert session.scalar(select(LoginSession.token_hash)) is None


def post(ticket: object, **headers: str) -> tuple[int, str]:
    """The cookie route called as the server calls it: (status, Set-Cookie header)."""
    import asyncio
    import json

    from starlette.requests import Request

    from app_pages.session_cookie import route_path, set_session_cookie

    sent = {"host": "monitor.example", **headers}
    scope = {
        "type": "http",
        "method": "POST",
        "path": route_path(),
        "scheme": "http",
        "server": ("monitor.example", 80),
        "query_string": b"",
        "headers": [(k.replace("_", "-").encode(), v.encode()) for k, v in sent.items()],
    }
    body = ticket if isinstance(ticket, bytes) else json.dumps({"ticket": ticket}).encode()

    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    response = asyncio.run(set_session_cookie(Request(scope, receive)))
    return response.status_code, response.headers.get("set-cookie", "")


def test_the_cookie_route_sets_an_httponly_cookie_for_a_fresh_ticket_only(store, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", store.url.render_as_string(hide_password=False))
    _, ticket = sessions.start(store, log_in(store, "lise", "hemmeligt"))
    assert post(ticket, sec_fetch_site="cross-site")[0] == 403
    assert post(ticket, origin="https://andet.example")[0] == 403
    assert post(b"{ikke json")[0] == 400
    status, cookie = post(ticket, origin="http://monitor.example", sec_fetch_site="same-origin")
    assert status == 204 and cookie.startswith(f"{sessions.COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    assert sessions.resume(store, token)[1].name == "lise"
    assert post(ticket)[0] == 403  # spent
    _, behind_proxy = sessions.start(store, log_in(store, "lise", "hemmeligt"))
    assert "Secure" in post(behind_proxy, x_forwarded_proto="https")[1]
