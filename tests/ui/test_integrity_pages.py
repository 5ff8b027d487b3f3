"""The pages in AppTest against hostile input and a busy or damaged store: a year typed as '²',
saving and undoing while another write holds the store, and non-finite values already stored."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from monitoring.store import db
from monitoring.store.db import create_schema, get_engine, transaction
from monitoring.store.models import Observation
from tests.conftest import build_compare_store
from tests.ui.test_sammenlign_page import VIEWS
from tests.ui.text import shown

UPLOAD = "app_pages/upload.py"
COMPARE = "app_pages/sammenlign.py"
SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
SAMPLE = "lbf_omraadeliste_2023.xlsx"


def upload_sample(at):
    return at.file_uploader[0].upload(SAMPLE, (SAMPLES / SAMPLE).read_bytes()).run()


def test_a_year_in_superscript_digits_is_a_danish_sentence(run_page, store):
    at = run_page(UPLOAD, store[0])
    at.text_input(key="upload_year").input("²").run()
    upload_sample(at)
    assert not at.exception, [e.value for e in at.exception]
    expected = "'²' er ikke et årstal mellem 1980 og 2100; skriv fx 2023."
    assert expected in [shown(e.value) for e in at.error]


@pytest.fixture
def hold_store(store, monkeypatch) -> Iterator[Callable[[], None]]:
    """Call it to make another write hold the store; this process then waits 0.5 s at most."""
    monkeypatch.setattr(db, "LOCK_TIMEOUT_SECONDS", 0.5)
    release, holders = threading.Event(), []

    def hold() -> None:
        held = threading.Event()

        def write() -> None:
            with transaction(store[1], user="andre", action="test"):
                held.set()
                release.wait(60)

        holders.append(threading.Thread(target=write))
        holders[-1].start()
        assert held.wait(30)

    yield hold
    release.set()
    for holder in holders:
        holder.join()


BUSY = "Databasen er optaget af en anden import; prøv igen om lidt. Intet er gemt."


def test_save_and_undo_on_a_busy_store_say_so_in_danish(run_page, store, hold_store):
    at = upload_sample(run_page(UPLOAD, store[0]))
    next(b for b in at.button if b.label == "Gem i databasen").click().run()
    assert "gemt:" in shown(at.success[0].value)
    hold_store()
    next(b for b in at.button if b.label == "Fortryd importen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert BUSY in [shown(e.value) for e in at.error]
    data = (SAMPLES / "lbf_tidsserie_oesterbro.xlsx").read_bytes()
    at.file_uploader[0].upload("tidsserie.xlsx", data).run()
    next(b for b in at.button if b.label == "Gem i databasen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert BUSY in [shown(e.value) for e in at.error]


@pytest.fixture
def damaged_url(tmp_path) -> str:
    """The comparison store with values no check lets in today: infinite, huge, tiny."""
    url = f"sqlite:///{tmp_path / 'damaged.db'}"
    engine = get_engine(url)
    create_schema(engine)
    build_compare_store(engine)
    with transaction(engine, user="test", action="damage") as tx:
        ids = tx.session.scalars(
            select(Observation.id).where(Observation.value.is_not(None)).order_by(Observation.id)
        ).all()
        for obs_id, number in zip(ids, [math.inf, -math.inf, 1e308, -1e300, 5e-324], strict=False):
            tx.session.execute(
                update(Observation).where(Observation.id == obs_id).values(value=number)
            )
    return url


@pytest.mark.parametrize("view", VIEWS)
def test_non_finite_values_in_the_store_never_break_a_view(run_page, damaged_url, view):
    at = run_page(COMPARE, damaged_url, view=view)
    assert not at.exception, [e.value for e in at.exception]
