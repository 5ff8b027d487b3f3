"""The HTTP side of a log-in that survives a reload: the route that sets the session cookie.

Streamlit cannot set a cookie from a page (st.context.cookies is read-only), and a cookie written
by JavaScript could be read by any script on the page. So the log-in hands the browser a one-time
ticket; a small script posts it to this route (served by `serve.py`, an `st.App`), which answers
with the session token in an HttpOnly, SameSite=Strict cookie that no script can read.
"""

from __future__ import annotations

import json

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from monitoring.access.sessions import COOKIE, SESSION_SECONDS, exchange
from monitoring.store.db import get_engine


def base_path() -> str:
    """The app's path prefix from `server.baseUrlPath` ("/monitor"); "" at the server's root."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def route_path() -> str:
    """Where the route is served and where the log-in posts the ticket: "/api/sessie" under the
    base path ("/monitor/api/sessie"), beside Streamlit's own routes. st.App mounts a route at its
    literal path, and a relative "api/sessie" would resolve from /monitor (no slash) to the root,
    so both sides take the absolute path from the same setting."""
    return f"{base_path()}/api/sessie"


def _same_origin(request: Request) -> bool:
    """Only the app's own pages may ask (no log-in from another site's form or script)."""
    if request.headers.get("sec-fetch-site", "same-origin") != "same-origin":
        return False
    origin = request.headers.get("origin")
    return origin is None or origin.split("://", 1)[-1] == request.headers.get("host")


def _secure(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip()
    return request.url.scheme == "https" or forwarded == "https"


async def set_session_cookie(request: Request) -> Response:
    """POST {"ticket": ...}: 204 with the cookie for a fresh, unused ticket, else 403."""
    if not _same_origin(request):
        return Response(status_code=403)
    try:
        ticket = str(json.loads(await request.body()).get("ticket", ""))
    except (ValueError, AttributeError):
        return Response(status_code=400)
    token = await run_in_threadpool(exchange, get_engine(), ticket)
    if token is None:
        return Response(status_code=403)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(SESSION_SECONDS),
        path=base_path() or "/",
        secure=_secure(request),
        httponly=True,
        samesite="strict",
    )
    return response


def routes() -> list[Route]:
    """The route for `st.App` (serve.py), at `route_path()` of the configuration it starts with."""
    return [Route(route_path(), set_session_cookie, methods=["POST"])]
