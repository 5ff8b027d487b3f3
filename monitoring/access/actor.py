"""The acting user as the rules see it, looked up by name in the store."""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, selectinload

from monitoring.errors import MonitorError, readable
from monitoring.store.models import AppUser


class AccessDenied(MonitorError):
    """The acting user may not do this; the message is one Danish sentence, and it is audited."""


@dataclass(frozen=True)
class Actor:
    """A user and what it is given; `open_mode`: the store has no users, everything is allowed."""

    name: str
    role: str
    plans: frozenset[str] = frozenset()
    kommuner: frozenset[str] = frozenset()
    open_mode: bool = False

    @property
    def sees_everything(self) -> bool:
        return self.role == "administrator"


def name_key(name: str) -> str:
    return name.strip().casefold()


def has_users(session: Session) -> bool:
    """Whether any user exists; a store from before users (not yet upgraded) has none."""
    if not inspect(session.connection()).has_table(AppUser.__tablename__):
        return False
    return session.scalar(select(AppUser.id).limit(1)) is not None


def find_user(session: Session, name: str) -> AppUser | None:
    query = select(AppUser).options(selectinload(AppUser.scopes))
    return session.scalar(query.where(AppUser.name_key == name_key(name)))


def as_actor(user: AppUser) -> Actor:
    return Actor(
        name=user.name,
        role=user.role,
        plans=frozenset(s.value for s in user.scopes if s.kind == "plan"),
        kommuner=frozenset(s.value for s in user.scopes if s.kind == "kommune"),
    )


def actor_of(session: Session, name: str) -> Actor:
    """The active user of that name; with no users at all, an administrator in open mode."""
    if not has_users(session):
        return Actor(name=name, role="administrator", open_mode=True)
    user = find_user(session, name)
    if user is None or not user.active:
        state = "er spærret" if user is not None else "findes ikke"
        raise AccessDenied(
            f"Brugeren '{readable(name)}' {state}, så intet må ændres eller vises i dens navn; "
            "angiv en bruger med --user, eller bed en administrator om adgang."
        )
    return as_actor(user)


def acting_user(name: str | None) -> str:
    """Who a command acts as: --user, else the login name."""
    try:
        return name or getpass.getuser() or "kommandolinje"
    except (OSError, KeyError):
        return "kommandolinje"
