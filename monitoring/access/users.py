"""Creating and changing users (administrators only, or anyone while the store has no users)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, selectinload

from monitoring.access.actor import find_user, has_users, name_key
from monitoring.access.passwords import hash_password
from monitoring.errors import MonitorError, readable
from monitoring.names import kommune_area_name, match_key
from monitoring.store.db import MAX_USER_LENGTH, transaction
from monitoring.store.models import ROLES, AppUser, Area, Plan, UserScope

ROLE_CHOICES = ", ".join(ROLES)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise MonitorError(f"Rollen '{readable(role)}' findes ikke; vælg {ROLE_CHOICES}.")


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_USER_LENGTH or any(ord(c) < 32 for c in name):
        raise MonitorError(
            f"Brugernavnet skal være 1 til {MAX_USER_LENGTH} tegn uden kontroltegn; intet er gemt."
        )
    return name


def _scopes(session: Session, plans: Sequence[str], kommuner: Sequence[str]) -> list[UserScope]:
    """The plans (by slug) and kommuner (by name, as the store writes it), each checked to exist."""
    known = set(session.scalars(select(Plan.slug)))
    scopes = []
    for slug in dict.fromkeys(p.strip() for p in plans):
        if slug not in known:
            raise MonitorError(
                f"Helhedsplanen '{readable(slug)}' findes ikke; vælg blandt "
                f"{', '.join(sorted(known)) or 'ingen (kør init)'}. Intet er gemt."
            )
        scopes.append(UserScope(kind="plan", value=slug))
    for kommune in dict.fromkeys(k.strip() for k in kommuner):
        key = match_key(kommune_area_name(kommune))
        name = session.scalar(
            select(Area.name).where(Area.kind == "kommune", Area.match_key == key)
        )
        if name is None:
            raise MonitorError(
                f"Kommunen '{readable(kommune)}' findes ikke i databasen; intet er gemt."
            )
        scopes.append(UserScope(kind="kommune", value=name))
    return scopes


def add_user(
    engine: Engine,
    acting: str,
    name: str,
    role: str,
    *,
    plans: Sequence[str] = (),
    kommuner: Sequence[str] = (),
    password: str | None = None,
    email: str | None = None,
) -> str:
    """Create a user; the store's first user must be an administrator (or nobody could manage)."""
    name = _check_name(name)
    _check_role(role)
    hashed = hash_password(password) if password is not None else None
    with transaction(engine, user=acting, action="user-add") as tx:
        session = tx.session
        if not has_users(session) and role != "administrator":
            raise MonitorError(
                "Den første bruger skal være administrator, ellers kan ingen oprette de næste; "
                "intet er gemt."
            )
        if find_user(session, name) is not None:
            raise MonitorError(f"Brugeren '{readable(name)}' findes allerede; intet er gemt.")
        user = AppUser(
            name=name,
            name_key=name_key(name),
            role=role,
            email=(email or "").strip().casefold() or None,
            password_hash=hashed,
            active=True,
            scopes=_scopes(session, plans, kommuner),
        )
        session.add(user)
        session.flush()
        tx.audit("app_user", user.id, after=_public(user))
    return f"Brugeren '{name}' er oprettet som {role}."


def _existing(session: Session, name: str) -> AppUser:
    user = find_user(session, name)
    if user is None:
        raise MonitorError(
            f"Brugeren '{readable(name)}' findes ikke; se 'python -m monitoring user list'."
        )
    return user


def _keep_an_administrator(session: Session, user: AppUser) -> None:
    others = session.scalar(
        select(func.count(AppUser.id)).where(
            AppUser.role == "administrator", AppUser.active.is_(True), AppUser.id != user.id
        )
    )
    if user.role == "administrator" and user.active and not others:
        raise MonitorError(
            f"'{readable(user.name)}' er den eneste aktive administrator og kan ikke miste rollen; "
            "opret først en anden administrator."
        )


def set_role(engine: Engine, acting: str, name: str, role: str) -> str:
    _check_role(role)
    with transaction(engine, user=acting, action="user-set-role") as tx:
        user = _existing(tx.session, name)
        before = _public(user)
        if role != "administrator":
            _keep_an_administrator(tx.session, user)
        user.role = role
        tx.audit("app_user", user.id, before=before, after=_public(user))
    return f"Brugeren '{user.name}' er nu {role}."


def disable_user(engine: Engine, acting: str, name: str) -> str:
    with transaction(engine, user=acting, action="user-disable") as tx:
        user = _existing(tx.session, name)
        before = _public(user)
        _keep_an_administrator(tx.session, user)
        user.active = False
        tx.audit("app_user", user.id, before=before, after=_public(user))
    return f"Brugeren '{user.name}' er spærret og kan ikke længere logge ind."


def set_password(engine: Engine, acting: str, name: str, password: str) -> str:
    hashed = hash_password(password)
    with transaction(engine, user=acting, action="user-password") as tx:
        user = _existing(tx.session, name)
        user.password_hash = hashed
        tx.audit("app_user", user.id, after={"password": "ændret"})
    return f"Adgangskoden for '{user.name}' er ændret."


def _public(user: AppUser) -> dict[str, Any]:
    """A user as the list and the audit show it: never the password hash."""
    return {
        "name": user.name,
        "role": user.role,
        "email": user.email,
        "active": user.active,
        "password": user.password_hash is not None,
        "plans": sorted(s.value for s in user.scopes if s.kind == "plan"),
        "kommuner": sorted(s.value for s in user.scopes if s.kind == "kommune"),
    }


def list_users(engine: Engine) -> list[dict[str, Any]]:
    with Session(engine) as session:
        query = select(AppUser).options(selectinload(AppUser.scopes)).order_by(AppUser.name_key)
        return [_public(user) for user in session.scalars(query)]
