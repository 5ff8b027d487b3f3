"""What every page shares: the engine, cached reads keyed on the store's change stamp, the demo banner."""

from __future__ import annotations

from typing import Any

import streamlit as st
from sqlalchemy import Engine

from monitoring.db import change_stamp, create_schema, get_engine, resolve_url
from monitoring.show import store_snapshot


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
def _snapshot(_stamp: int, url: str, slug: str | None) -> dict[str, Any]:
    return store_snapshot(get_engine(url), slug)


def snapshot(slug: str | None = None) -> dict[str, Any]:
    return _snapshot(stamp(), str(engine().url), slug)
