"""Who uses the pages: the log-in kept in the session, its expiry, single sign-on, plan scope.

A log-in is also a session in the store (monitoring.access.sessions) whose token the browser keeps
in an HttpOnly cookie (set by app_pages/session_cookie.py when served through serve.py), so a page
reload finds the user again until the session expires or the user logs out.

While the store has no users the app is in open single-user mode (monitoring.access): everyone
acts as the server's login name, and the Brugere page offers to create the first administrator.
"""

from __future__ import annotations

import json
import time
from typing import Any

import streamlit as st

from app_pages.session_cookie import route_path
from app_pages.shared import RUN_ACTOR, engine
from monitoring.access.actor import Actor, acting_user
from monitoring.access.login import LoginRefused, current_actor, log_in_sso, store_has_users
from monitoring.access.sessions import (
    COOKIE,
    IDLE_SECONDS,
    SESSION_SECONDS,
    TOUCH_SECONDS,
    end,
    resume,
    start,
    touch,
)
from monitoring.store.db import local_writes

_KEY = "signed_in"
_TICKET = "session_ticket"
EXPIRED = "Du er logget ud, fordi sessionen udløb. Log ind igen."


def sso_configured() -> bool:
    """Single sign-on is on when .streamlit/secrets.toml has an [auth] section (st.login)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all (Streamlit's own error is a subclass)
        return False


def _keep(actor: Actor, session_id: int) -> None:
    now = time.time()
    st.session_state[_KEY] = {
        "name": actor.name,
        "at": now,
        "seen": now,
        "session": session_id,
        "touched": now,
    }


def sign_in(actor: Actor) -> None:
    """A fresh log-in: a new session in the store, its cookie handed over by `hand_over_cookie`."""
    session_id, ticket = start(engine(), actor)
    _keep(actor, session_id)
    st.session_state[_TICKET] = ticket


def hand_over_cookie() -> None:
    """Right after a log-in: the browser trades the one-time ticket for the HttpOnly session
    cookie at /api/sessie, under the base path if one is set (the ticket is letters, digits, - and
    _ only; the token never reaches a script)."""
    ticket = st.session_state.pop(_TICKET, None)
    if ticket is None:
        return
    script = (
        f"<script>fetch({json.dumps(route_path())}, "
        '{method: "POST", credentials: "same-origin", '
        'headers: {"Content-Type": "application/json"}, '
        f'body: JSON.stringify({{ticket: "{ticket}"}})}});</script>'
    )
    with st.sidebar:
        st.html(script, unsafe_allow_javascript=True)


def sign_out(notice: str | None = None) -> None:
    session = st.session_state.pop(_KEY, None)
    if session is not None and session.get("session") is not None:
        end(engine(), session["session"], session["name"])
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


def _from_cookie() -> None:
    """A reload: the session cookie of a log-in that is still valid (once per session)."""
    if _KEY in st.session_state:
        return
    found = resume(engine(), st.context.cookies.get(COOKIE))
    if found is not None:
        session_id, actor = found
        _keep(actor, session_id)


def signed_in() -> Actor | None:
    """The user acting on the pages now; None: show only the log-in page.

    Asked of the store once per run (app.py and every page ask; `begin_run` starts afresh) and
    again after a write from this process within the run, such as the first user created.
    """
    writes = local_writes()
    seen = st.session_state.get(RUN_ACTOR)
    if seen is None or seen[0] != writes:
        seen = (writes, _signed_in())
        st.session_state[RUN_ACTOR] = seen
    return seen[1]


def _signed_in() -> Actor | None:
    if not store_has_users(engine()):
        return Actor(name=acting_user(None), role="administrator", open_mode=True)
    _from_cookie()  # first: a reload under single sign-on keeps its session too
    _from_sso()
    session: dict[str, Any] | None = st.session_state.get(_KEY)
    if session is None:
        return None
    now = time.time()
    if now - session["at"] > SESSION_SECONDS or now - session["seen"] > IDLE_SECONDS:
        sign_out(EXPIRED)
        return None
    if now - session.get("touched", now) > TOUCH_SECONDS:  # also ends it when logged out elsewhere
        if not touch(engine(), session["session"], session["name"]):
            sign_out(EXPIRED)
            return None
        session["touched"] = now
    actor = current_actor(engine(), session["name"])  # a role changed or the user was disabled
    if actor is None:
        sign_out("Din bruger er spærret; du er logget ud.")
        return None
    session["seen"] = now
    return actor


def signed_in_name() -> str:
    """Who the page acts as, without asking the store again: the signed-in name, else the
    server's login name (the open mode's user; with users, the domain refuses that name)."""
    session: dict[str, Any] | None = st.session_state.get(_KEY)
    return session["name"] if session is not None else acting_user(None)


def actor() -> Actor:
    """The signed-in user of a page that app.py only shows after log-in."""
    found = signed_in()
    if found is None:
        st.stop()
    return found
