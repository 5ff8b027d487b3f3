"""Who uses the pages: the log-in kept in the session, its expiry, single sign-on, plan scope.

While the store has no users the app is in open single-user mode (monitoring.access): everyone
acts as the server's login name, and the Brugere page offers to create the first administrator.
"""

from __future__ import annotations

import os
import time
from typing import Any

import streamlit as st

from app_pages.shared import engine
from monitoring.access.actor import Actor, acting_user
from monitoring.access.login import LoginRefused, current_actor, log_in_sso, store_has_users

# A log-in lasts at most this long, and ends earlier after this long without any click.
SESSION_SECONDS = float(os.environ.get("MONITOR_SESSION_HOURS", "8")) * 3600
IDLE_SECONDS = float(os.environ.get("MONITOR_IDLE_MINUTES", "60")) * 60
_KEY = "signed_in"


def sso_configured() -> bool:
    """Single sign-on is on when .streamlit/secrets.toml has an [auth] section (st.login)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all (Streamlit's own error is a subclass)
        return False


def sign_in(actor: Actor) -> None:
    now = time.time()
    st.session_state[_KEY] = {"name": actor.name, "at": now, "seen": now}


def sign_out(notice: str | None = None) -> None:
    st.session_state.pop(_KEY, None)
    if notice:
        st.session_state.login_notice = notice
    if sso_configured() and st.user.get("is_logged_in"):
        st.logout()


def _from_sso() -> None:
    """A person the identity provider vouches for, mapped to a local user (once per session)."""
    if _KEY in st.session_state or not sso_configured() or not st.user.get("is_logged_in"):
        return
    try:
        sign_in(log_in_sso(engine(), st.user.get("email"), st.user.get("name")))
    except LoginRefused as refusal:
        sign_out(str(refusal))


def signed_in() -> Actor | None:
    """The user acting on the pages now; None: show only the log-in page."""
    if not store_has_users(engine()):
        return Actor(name=acting_user(None), role="administrator", open_mode=True)
    _from_sso()
    session: dict[str, Any] | None = st.session_state.get(_KEY)
    if session is None:
        return None
    now = time.time()
    if now - session["at"] > SESSION_SECONDS or now - session["seen"] > IDLE_SECONDS:
        sign_out("Du er logget ud, fordi sessionen udløb. Log ind igen.")
        return None
    actor = current_actor(engine(), session["name"])  # a role changed or the user was disabled
    if actor is None:
        sign_out("Din bruger er spærret; du er logget ud.")
        return None
    session["seen"] = now
    return actor


def actor() -> Actor:
    """The signed-in user of a page that app.py only shows after log-in."""
    found = signed_in()
    if found is None:
        st.stop()
    return found
