"""What every page shares: the engine, cached reads keyed on the store's change stamp, the demo banner."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st
from sqlalchemy import Engine

from monitoring.db import change_stamp, create_schema, get_engine, resolve_url
from monitoring.demo import demo_active
from monitoring.progress import all_plans_progress, plan_progress
from monitoring.show import store_snapshot
from monitoring.views import badge_markdown


@st.cache_resource
def _engine(url: str) -> Engine:
    store = get_engine(url)
    create_schema(store)
    return store


def engine() -> Engine:
    """The store from DATABASE_URL (default data/monitor.db); the schema is created if missing."""
    return _engine(resolve_url())


def stamp() -> int:
    """Changes with every write, so caches keyed on it are cleared by any write."""
    return change_stamp(engine())


@st.cache_data(show_spinner=False)
def _snapshot(stamp_value: int, url: str, slug: str | None) -> dict[str, Any]:
    return store_snapshot(get_engine(url), slug)


def snapshot(slug: str | None = None) -> dict[str, Any]:
    return _snapshot(stamp(), str(engine().url), slug)


@st.cache_data(show_spinner=False)
def _plan_progress(stamp_value: int, url: str, slug: str, year: int | None) -> dict[str, Any]:
    return plan_progress(get_engine(url), slug, year)


def progress(slug: str, year: int | None = None) -> dict[str, Any]:
    """The progress engine's view of one plan for a status year (None: latest year with data)."""
    return _plan_progress(stamp(), str(engine().url), slug, year)


@st.cache_data(show_spinner=False)
def _all_progress(stamp_value: int, url: str) -> list[dict[str, Any]]:
    return all_plans_progress(get_engine(url))


def all_progress() -> list[dict[str, Any]]:
    return _all_progress(stamp(), str(engine().url))


@st.cache_data(show_spinner=False)
def _demo_active(stamp_value: int, url: str) -> bool:
    return demo_active(get_engine(url))


def demo_banner() -> None:
    """A visible warning wherever synthetic demo figures are shown."""
    if _demo_active(stamp(), str(engine().url)):
        st.warning(
            "**Demodata** – tallene efter baselineåret er opdigtede eksempler, ikke rigtige "
            "LBF-tal. Indlæs rigtige tal under *Upload data*.",
            icon=":material/science:",
        )


def status_badge(status: str, text: str | None = None) -> None:
    """A coloured badge that always carries its text (and an icon), never colour alone."""
    st.markdown(badge_markdown(status, text))


def url_selectbox(
    label: str,
    options: list[Any],
    key: str,
    format_func: Callable[[Any], str] = str,
    default: Any = None,
) -> Any:
    """A selectbox whose choice lives in the URL query string, so a view can be shared as a link.

    The URL wins on first render (a shared link or a reload); afterwards the widget writes back.
    """
    if not options:
        return None
    by_text = {str(option): option for option in options}
    from_url = by_text.get(st.query_params.get(key, ""))
    widget_key = f"url_{key}"
    if from_url is not None and st.session_state.get(f"{widget_key}_seen") != from_url:
        st.session_state[widget_key] = from_url
    elif st.session_state.get(widget_key) not in options:
        st.session_state[widget_key] = default if default in options else options[0]
    choice = st.selectbox(label, options, format_func=format_func, key=widget_key)
    st.session_state[f"{widget_key}_seen"] = choice
    st.query_params[key] = str(choice)
    return choice
