"""Pages read through `cached_read`: one database read per store state, a fresh one after a write."""

from __future__ import annotations

import pytest

from app_pages import shared
from monitoring.store.db import transaction


@pytest.fixture
def page_store(sqlite_engine, monkeypatch):
    monkeypatch.setattr(shared, "engine", lambda: sqlite_engine)
    monkeypatch.setattr(shared, "get_engine", lambda url: sqlite_engine)
    return sqlite_engine


def test_a_cached_read_reads_once_per_store_state_and_again_after_a_write(page_store):
    calls = []

    def plans_named(engine, prefix, *, limit=3):
        """Domain read: the docstring and name travel to the page read."""
        calls.append((prefix, limit))
        return f"{prefix}:{limit}:{len(calls)}"

    read = shared.cached_read(plans_named, acting=False)
    assert read.__name__ == "plans_named" and "Domain read" in read.__doc__
    first = read("a", limit=2)
    assert read("a", limit=2) == first
    assert read("b") != first
    assert calls == [("a", 2), ("b", 3)]
    with transaction(page_store, user="test", action="test") as tx:
        tx.audit("test", 1, after={"why": "a write changes the stamp"})
    assert read("a", limit=2) != first
    assert calls[-1] == ("a", 2) and len(calls) == 3


def test_two_reads_with_the_same_arguments_keep_their_own_caches(page_store):
    one = shared.cached_read(lambda engine, x: ("one", x), acting=False)
    two = shared.cached_read(lambda engine, x: ("two", x), acting=False)
    assert (one(1), two(1)) == (("one", 1), ("two", 1))
