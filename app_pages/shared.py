"""What every page shares: the engine, cached reads keyed on the store's change stamp, the demo banner."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import streamlit as st

from monitoring.compare import (
    filter_options,
    load_alert_inputs,
    load_areas,
    load_comparison,
    measures_with_observations,
)
from monitoring.demo import demo_active
from monitoring.errors import MonitorError
from monitoring.present.html_table import html_table
from monitoring.present.plaintext import markdown_text
from monitoring.present.plan_charts import plan_card_texts, plan_figures, plan_tables
from monitoring.present.svg_chart import chart_svg
from monitoring.present.views import badge_markdown
from monitoring.progress import all_plans_progress, plan_progress
from monitoring.report.comments import plan_comments
from monitoring.show import store_snapshot
from monitoring.store.db import (
    change_stamp,
    get_engine,
    local_writes,
    require_current_store,
    resolve_url,
)
from monitoring.store.dberrors import in_danish
from monitoring.store.migrations import StoreNotReady

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go
    from sqlalchemy import Engine

T = TypeVar("T")


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
    except MonitorError as refusal:  # an unreachable server, an unusable address
        st.error(str(refusal))
        st.stop()


_RUN_STAMP = "_run_change_stamp"
RUN_ACTOR = "_run_actor"  # app_pages.signin: who is signed in, asked once per run


def begin_run() -> None:
    """Called by app.py at the start of every run: the next `stamp()` and `signed_in()` ask
    the store again."""
    st.session_state.pop(_RUN_STAMP, None)
    st.session_state.pop(RUN_ACTOR, None)


def stamp() -> int:
    """Changes with every write, so caches keyed on it are cleared by any write.

    Read from the store once per run (a page has a dozen cached reads) and again after a write
    from this process within the run; a write by another process shows from the next run on.
    """
    writes = local_writes()
    seen = st.session_state.get(_RUN_STAMP)
    if seen is None or seen[0] != writes:
        seen = (writes, change_stamp(engine()))
        st.session_state[_RUN_STAMP] = seen
    return seen[1]


def acting_name() -> str:
    """The signed-in user's name (app.py checked the log-in at the top of this run; the domain
    checks the name again), else the server's login name (open mode)."""
    from app_pages.signin import signed_in_name

    return signed_in_name()


def cached_read(
    read: Callable[..., T],
    *,
    max_entries: int | None = None,
    shared: bool = False,
    acting: bool = True,
) -> Callable[..., T]:
    """`read(engine, *args)` from the domain as a page read `(*args)`, cached until the next write.

    The store's change stamp and URL are ordinary (hashed) cache arguments, so any write to the
    store (an import, an undo, the demo) gives new entries; the domain function stays plain.
    `acting` reads get `actor=` the signed-in user's name, a cache argument too: the domain checks
    its role and scope (a changed role or scope is a write, so a new stamp). `shared=True` hands
    every session the same object instead of a copy (for results that are costly to copy and
    never changed by a page, such as Plotly figures).
    """

    def cached(stamp_value: int, url: str, *args: Any, **kwargs: Any) -> T:
        return read(get_engine(url), *args, **kwargs)

    # Streamlit keys a cache on the function's qualified name and source, the same for every
    # `cached`: the read's own name (and identity, for two lambdas) gives each read its own cache.
    cached.__qualname__ = f"cached_read.{read.__module__}.{read.__qualname__}.{id(read)}"
    cache = st.cache_resource if shared else st.cache_data
    cached_data = cache(show_spinner=False, max_entries=max_entries)(cached)

    @functools.wraps(read)
    def page_read(*args: Any, **kwargs: Any) -> T:
        if acting:
            kwargs["actor"] = acting_name()
        return cached_data(stamp(), str(engine().url), *args, **kwargs)

    return page_read


# Reads of plans and figures act as the signed-in user: the domain refuses or filters by scope.
snapshot = cached_read(store_snapshot)  # (slug=None): only the plans the user may see
progress = cached_read(plan_progress)
all_progress = cached_read(all_plans_progress)  # (year=None): each plan's latest year
demo_shown = cached_read(demo_active, acting=False)
comparable_measures = cached_read(measures_with_observations, acting=False)
compare_filter_options = cached_read(filter_options)
comparison = cached_read(load_comparison, max_entries=32)
alert_inputs = cached_read(load_alert_inputs, max_entries=32)
known_areas = cached_read(load_areas)  # the areas the user's plans cover
plan_charts = cached_read(plan_figures, max_entries=64, shared=True)
yearly_tables = cached_read(plan_tables, max_entries=64, shared=True)  # never changed by a page
card_texts = cached_read(plan_card_texts, max_entries=64, shared=True)
comments = cached_read(plan_comments)  # the projektleder's comments by delmål number


@st.cache_data(show_spinner=False, max_entries=64)
def _svg_of(spec: str, _figure: go.Figure) -> str:
    return chart_svg(_figure)  # keyed on the figure's JSON; the figure itself is not hashed


def chart(figure: go.Figure | str) -> None:
    """A chart as inline SVG (`monitoring.present.svg_chart`): a figure is drawn once per
    distinct figure (cached on its JSON), markup from `plan_charts` is shown as it is."""
    markup = figure if isinstance(figure, str) else _svg_of(figure.to_json(), figure)
    st.markdown(markup, unsafe_allow_html=True)


def reading_table(
    table: pd.DataFrame | str, tinted: Iterable[str] = (), scroll: bool = False
) -> None:
    """A table to read as one escaped HTML table (`present.html_table`), not `st.table`, which
    makes every cell its own element; markup a cached read already made is shown as it is.
    tinted: the columns whose status labels get their colour's tint; scroll: a long list scrolls
    in its box."""
    st.html(table if isinstance(table, str) else html_table(table, tinted, scroll))


def on_demand(label: str, key: str, linked: bool = False, **options: Any) -> Any:
    """An expander whose content is built only when wanted: the container to build it in, or None.

    Wanted when it is open (opening it reruns the page) or when the URL sets one of its values
    (`linked`): then it opens by itself and stays built, so closing it never drops a value that
    is in force. Fewer widgets on every load, for content a reader opens now and then.
    """
    box = st.expander(label, expanded=linked, key=key, on_change="rerun", **options)
    return box if box.open or linked else None


def demo_banner(may_import: bool) -> None:
    """A visible warning wherever synthetic demo figures are shown, with what the reader can do."""
    if not demo_shown():
        return
    remedy = (
        "Indlæs rigtige tal under *Upload data*, og fjern så demotallene samme sted "
        "(Importhistorik › *Fjern demotal*) eller med `python -m monitoring remove-demo`; "
        "rigtige tal bevares."
        if may_import
        else "Projektlederen eller en administrator fjerner dem, når rigtige tal er indlæst."
    )
    st.warning(
        "**Demodata** – tallene efter baselineåret er opdigtede eksempler, ikke rigtige "
        f"LBF-tal. {remedy}",
        icon=":material/science:",
    )


def saved(write: Callable[[], Any]) -> Any:
    """Run a write (save, undo); a refusal or a database error shows as its Danish sentence."""
    try:
        with in_danish():
            return write()
    except MonitorError as error:
        st.error(markdown_text(error))
    return None


def status_badge(status: str, text: str | None = None) -> None:
    """A coloured badge that always carries its text (and an icon), never colour alone."""
    st.markdown(badge_markdown(status, text))


def url_selectbox(
    label: str,
    options: list[Any],
    key: str,
    format_func: Callable[[Any], str] = str,
    default: Any = None,
    unknown: Callable[[str], str] | None = None,
) -> Any:
    """A selectbox whose choice lives in the URL query string, so a view can be shared as a link.

    The URL wins on first render (a shared link or a reload); afterwards the widget writes back.
    Without one in the URL, the choice made last in this session wins (going to another page and
    back keeps it), then `default`. A URL value that is no option shows `unknown(value)` as a
    warning instead of silently showing another choice.
    """
    if not options:
        return None
    by_text = {str(option): option for option in options}
    asked = st.query_params.get(key, "")
    from_url = by_text.get(asked)
    widget_key = f"url_{key}"
    remembered = st.session_state.get(f"remembered_{key}")
    if asked and from_url is None and unknown is not None:
        st.warning(unknown(asked), icon=":material/link_off:")
    if from_url is not None and st.session_state.get(f"{widget_key}_seen") != from_url:
        st.session_state[widget_key] = from_url
    elif st.session_state.get(widget_key) not in options:
        fallback = default if default in options else options[0]
        st.session_state[widget_key] = remembered if remembered in options else fallback
    choice = st.selectbox(label, options, format_func=format_func, key=widget_key)
    st.session_state[f"{widget_key}_seen"] = choice
    st.session_state[f"remembered_{key}"] = choice
    st.query_params[key] = str(choice)
    return choice


def view_choice(options: list[str], key: str) -> str:
    """A segmented control of the page's views, kept in the URL under `key`: only the chosen view
    is built (st.tabs builds every tab, hidden ones too, which costs the browser time). Clicking
    the view already chosen deselects it in a segmented control: keep it instead."""
    last = f"last_{key}"

    def keep() -> None:
        if st.session_state.get(key) is None:
            st.session_state[key] = st.session_state.get(last, options[0])

    view = st.segmented_control(
        "Visning", options, default=options[0], key=key, bind="query-params", on_change=keep
    )
    st.session_state[last] = view or options[0]
    return st.session_state[last]
