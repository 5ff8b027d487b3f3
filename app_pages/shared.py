"""What every page shares: the engine, cached reads keyed on the store's change stamp, the demo banner."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from monitoring.compare import (
    AreaFilter,
    Comparison,
    filter_options,
    load_alert_inputs,
    load_areas,
    load_comparison,
    measures_with_observations,
)
from monitoring.db import change_stamp, get_engine, require_current_store, resolve_url
from monitoring.dberrors import database_error
from monitoring.demo import demo_active
from monitoring.errors import MonitorError
from monitoring.migrations import StoreNotReady
from monitoring.plaintext import markdown_text
from monitoring.progress import all_plans_progress, plan_progress
from monitoring.report.comments import Comment, plan_comments
from monitoring.show import store_snapshot
from monitoring.views import badge_markdown

if TYPE_CHECKING:
    from sqlalchemy import Engine


@st.cache_resource
def _engine(url: str) -> Engine:
    store = get_engine(url)
    require_current_store(store)  # a refusal raises, so it is not cached: `init` then a reload
    return store


def engine() -> Engine:
    """The store from DATABASE_URL (default data/monitor.db); the page stops with the one
    sentence naming `init` when the store is empty or older than the code."""
    try:
        return _engine(resolve_url())
    except StoreNotReady as refusal:
        (st.info if refusal.status == "empty" else st.error)(str(refusal))
        st.stop()


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


def demo_shown() -> bool:
    """Whether the store holds synthetic demo figures."""
    return _demo_active(stamp(), str(engine().url))


def demo_banner() -> None:
    """A visible warning wherever synthetic demo figures are shown."""
    if demo_shown():
        st.warning(
            "**Demodata** – tallene efter baselineåret er opdigtede eksempler, ikke rigtige "
            "LBF-tal. Indlæs rigtige tal under *Upload data*.",
            icon=":material/science:",
        )


@st.cache_data(show_spinner=False)
def _comments(stamp_value: int, url: str, slug: str, year: int) -> dict[int, Comment]:
    return plan_comments(get_engine(url), slug, year)


def comments(slug: str, year: int) -> dict[int, Comment]:
    """The projektleder's comments of a plan and status year, by delmål number."""
    return _comments(stamp(), str(engine().url), slug, year)


def saved(write: Callable[[], Any]) -> Any:
    """Run a write (save, undo); a refusal or a database error shows as its Danish sentence."""
    try:
        return write()
    except MonitorError as error:
        st.error(markdown_text(error))
    except SQLAlchemyError as error:
        st.error(markdown_text(database_error(error)))
    return None


def status_badge(status: str, text: str | None = None) -> None:
    """A coloured badge that always carries its text (and an icon), never colour alone."""
    st.markdown(badge_markdown(status, text))


# --- Sammenlign områder: cached reads. The change stamp is an ordinary (hashed) argument, so any
# write to the store gives new cache entries (arguments starting with "_" are not hashed).


@st.cache_data(show_spinner=False)
def _comparable_measures(change: int, url: str) -> pd.DataFrame:
    return measures_with_observations(get_engine(url))


def comparable_measures() -> pd.DataFrame:
    """Measures with at least one value (key, name, unit, direction, first/last year)."""
    return _comparable_measures(stamp(), str(engine().url))


@st.cache_data(show_spinner=False)
def _compare_filter_options(change: int, url: str) -> dict[str, Any]:
    return filter_options(get_engine(url))


def compare_filter_options() -> dict[str, Any]:
    """Kommuner and plans the comparison filters offer."""
    return _compare_filter_options(stamp(), str(engine().url))


@st.cache_data(show_spinner=False, max_entries=32)
def _comparison(
    change: int, url: str, measure: str, filters: AreaFilter, years: tuple[int, int] | None
) -> Comparison:
    return load_comparison(get_engine(url), measure, filters, years)


def comparison(
    measure: str, filters: AreaFilter, years: tuple[int, int] | None = None
) -> Comparison:
    """One measure's observations and references for the filtered areas (compare.Comparison)."""
    return _comparison(stamp(), str(engine().url), measure, filters, years)


@st.cache_data(show_spinner=False, max_entries=32)
def _alert_inputs(
    change: int, url: str, filters: AreaFilter, measure: str | None, year: int | None
) -> pd.DataFrame:
    return load_alert_inputs(get_engine(url), filters, measure, year)


def alert_inputs(
    filters: AreaFilter, measure: str | None = None, year: int | None = None
) -> pd.DataFrame:
    """Value now, one and three years before per measure × area (thresholds applied by the page)."""
    return _alert_inputs(stamp(), str(engine().url), filters, measure, year)


@st.cache_data(show_spinner=False)
def _plans_progress_for_year(change: int, url: str, year: int | None) -> list[dict[str, Any]]:
    return all_plans_progress(get_engine(url), year)


def plans_progress_for_year(year: int | None) -> list[dict[str, Any]]:
    """Every plan's progress for one status year (None: each plan's latest year with data)."""
    return _plans_progress_for_year(stamp(), str(engine().url), year)


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


@st.cache_data(show_spinner=False)
def _known_areas(stamp_value: int, url: str) -> pd.DataFrame:
    return load_areas(get_engine(url))


def known_areas() -> pd.DataFrame:
    """Every area in the store (id, name, kind, kommune), for mapping a new area onto one."""
    return _known_areas(stamp(), str(engine().url))
