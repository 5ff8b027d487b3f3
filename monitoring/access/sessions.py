"""Log-ins that survive a page reload, kept in the store so every Streamlit process knows them.

After a log-in the page hands the browser a one-time ticket; the browser trades it (within
TICKET_SECONDS, once) at the server's /api/sessie route for a random session token in an HttpOnly,
SameSite=Strict cookie. Only SHA-256 hashes of the ticket and the token are stored. A reload
brings the cookie back; `resume` gives the user while the session is younger than SESSION_SECONDS,
was seen within IDLE_SECONDS, is not logged out and the user is active. Log-out ends it here, so a
copied cookie is worth nothing afterwards.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets

from sqlalchemy import Engine, Select, delete, select
from sqlalchemy.orm import Session

from monitoring.access.actor import Actor, as_actor, find_user, name_key
from monitoring.errors import MonitorError, readable
from monitoring.store.db import transaction
from monitoring.store.models import AppUser, LoginSession, utcnow

SESSION_SECONDS = float(os.environ.get("MONITOR_SESSION_HOURS", "8")) * 3600
IDLE_SECONDS = float(os.environ.get("MONITOR_IDLE_MINUTES", "60")) * 60
TICKET_SECONDS = 60
# How often a session in use records that it was seen (each record is a small write).
TOUCH_SECONDS = min(300.0, IDLE_SECONDS / 4)
COOKIE = "indikatormonitor_session"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def start(engine: Engine, actor: Actor) -> tuple[int, str]:
    """A new session for a user who just logged in: (its id, the one-time ticket for the cookie).
    Sessions past their age are deleted on the way (nothing can resume them)."""
    ticket = secrets.token_urlsafe(32)
    with transaction(engine, user=actor.name, action="session") as tx:
        user = find_user(tx.session, actor.name)
        if user is None:
            raise MonitorError(f"Brugeren '{readable(actor.name)}' findes ikke; log ind igen.")
        now = utcnow()
        old = now - dt.timedelta(seconds=SESSION_SECONDS)
        tx.session.execute(delete(LoginSession).where(LoginSession.started_at < old))
        row = LoginSession(user_id=user.id, ticket_hash=_hash(ticket), started_at=now, seen_at=now)
        tx.session.add(row)
        tx.session.flush()
        tx.audit("login_session", row.id, after={"started": True})
    return row.id, ticket


def _live(now: dt.datetime) -> list:
    return [
        LoginSession.ended_at.is_(None),
        LoginSession.started_at > now - dt.timedelta(seconds=SESSION_SECONDS),
        LoginSession.seen_at > now - dt.timedelta(seconds=IDLE_SECONDS),
    ]


def exchange(engine: Engine, ticket: str) -> str | None:
    """The session token for a fresh, unused ticket (which is then spent); None otherwise."""
    if not ticket or len(ticket) > 200:
        return None
    token = secrets.token_urlsafe(32)
    with transaction(engine, user="(cookie)", action="session") as tx:
        now = utcnow()
        row = tx.session.scalar(
            select(LoginSession).where(
                LoginSession.ticket_hash == _hash(ticket),
                LoginSession.started_at > now - dt.timedelta(seconds=TICKET_SECONDS),
                *_live(now),
            )
        )
        if row is None:
            return None
        row.ticket_hash = None
        row.token_hash = _hash(token)
        tx.audit("login_session", row.id, after={"cookie": True})
    return token


def resume(engine: Engine, token: str | None) -> tuple[int, Actor] | None:
    """(session id, user) for a live session's cookie token; None when there is none."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    with Session(engine) as session:
        now = utcnow()
        found = session.execute(
            select(LoginSession.id, AppUser)
            .join(AppUser, AppUser.id == LoginSession.user_id)
            .where(LoginSession.token_hash == _hash(token), AppUser.active.is_(True), *_live(now))
        ).first()
        if found is None:
            return None
        session_id, user = found
        actor = as_actor(user)
    touch(engine, session_id, actor.name)
    return session_id, actor


def _owned(session_id: int, user: str) -> Select:
    """The session of that id if it is the user's (an id of a deleted session may come again)."""
    owner = select(AppUser.id).where(AppUser.name_key == name_key(user)).scalar_subquery()
    return select(LoginSession).where(LoginSession.id == session_id, LoginSession.user_id == owner)


def touch(engine: Engine, session_id: int, user: str) -> bool:
    """Record that the session is in use now; False when it has ended or expired meanwhile."""
    with transaction(engine, user=user, action="session") as tx:
        now = utcnow()
        row = tx.session.scalar(_owned(session_id, user).where(*_live(now)))
        if row is None:
            return False
        row.seen_at = now
        tx.audit("login_session", session_id, after={"seen": True})
    return True


def end(engine: Engine, session_id: int, user: str) -> None:
    """Log-out: the session and its cookie are no longer valid anywhere."""
    with transaction(engine, user=user, action="logout") as tx:
        row = tx.session.scalar(_owned(session_id, user))
        if row is not None and row.ended_at is None:
            row.ended_at = utcnow()
            row.token_hash = row.ticket_hash = None
            tx.audit("login_session", session_id, after={"ended": True})
