"""Log-in with a password or through single sign-on; failures are recorded and rate-limited.

The failures are audit events ("login-failed", keyed by the name tried), so the limit holds
across every Streamlit process that shares the store.
"""

from __future__ import annotations

import datetime as dt
import os

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from monitoring.access.actor import AccessDenied, Actor, as_actor, find_user, has_users, name_key
from monitoring.access.passwords import verify_password
from monitoring.store.db import transaction
from monitoring.store.models import AppUser, AuditEvent, utcnow

MAX_FAILURES = int(os.environ.get("MONITOR_LOGIN_MAX_FAILURES", "5"))
FAILURE_WINDOW = dt.timedelta(minutes=int(os.environ.get("MONITOR_LOGIN_WINDOW_MINUTES", "15")))
ANONYMOUS = "(ikke logget ind)"
WRONG = "Forkert brugernavn eller adgangskode."


class LoginRefused(AccessDenied):
    """A failed or blocked log-in; the message never says whether the name exists."""


def store_has_users(engine: Engine) -> bool:
    with Session(engine) as session:
        return has_users(session)


def _recent_failures(session: Session, key: str) -> int:
    since = utcnow() - FAILURE_WINDOW
    query = select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "login-failed", AuditEvent.entity_id == key, AuditEvent.at >= since
    )
    return session.scalar(query) or 0


def _event(user: str, action: str, key: str, how: str) -> AuditEvent:
    return AuditEvent(
        user=user, action=action, entity="app_user", entity_id=key, after={"how": how}
    )


def _record(engine: Engine, user: str, action: str, key: str, how: str) -> None:
    with transaction(engine, user=user, action=action) as tx:
        tx.events.append(_event(user, action, key, how))


def log_in(engine: Engine, name: str, password: str) -> Actor:
    """The user, when the name and password match an active user and it is not blocked.

    Counting the recent failures, checking the password and recording the outcome happen in one
    write (under the store's write lock), so log-ins racing each other in several processes
    never check more than MAX_FAILURES wrong passwords and never lose a failure.
    """
    key = name_key(name)[:100]
    refusal: LoginRefused | None = None
    with transaction(engine, user=ANONYMOUS, action="login") as tx:
        if _recent_failures(tx.session, key) >= MAX_FAILURES:
            minutes = int(FAILURE_WINDOW.total_seconds() // 60)
            tx.events.append(_event(ANONYMOUS, "login-failed", key, "blokeret"))
            refusal = LoginRefused(
                f"For mange forkerte forsøg med dette brugernavn; prøv igen om {minutes} minutter."
            )
        else:
            user = find_user(tx.session, name)
            hashed = user.password_hash if user is not None else None
            if not verify_password(hashed, password) or user is None or not user.active:
                tx.events.append(_event(ANONYMOUS, "login-failed", key, "adgangskode"))
                refusal = LoginRefused(WRONG)
            else:
                actor = as_actor(user)
                tx.events.append(_event(actor.name, "login", key, "adgangskode"))
    if refusal is not None:
        raise refusal
    return actor


def log_in_sso(engine: Engine, email: str | None, name: str | None) -> Actor:
    """The local user an identity provider's log-in maps to: by e-mail, else by name."""
    with Session(engine) as session:
        user = None
        if email:
            user = session.scalar(select(AppUser).where(AppUser.email == email.strip().casefold()))
        if user is None and name:
            user = find_user(session, name)
        if user is None or not user.active:
            key = name_key(email or name or "?")[:100]
            _record(engine, ANONYMOUS, "login-failed", key, "single sign-on")
            raise LoginRefused(
                f"Kontoen {email or name or ''} har ikke adgang til Indikatormonitor; bed en "
                "administrator om at oprette dig med din e-mailadresse."
            )
        actor = as_actor(user)
    _record(engine, actor.name, "login", name_key(actor.name)[:100], "single sign-on")
    return actor


def current_actor(engine: Engine, name: str) -> Actor | None:
    """The logged-in user as it is now (a role changed or the user was disabled meanwhile)."""
    with Session(engine) as session:
        user = find_user(session, name)
        return as_actor(user) if user is not None and user.active else None
