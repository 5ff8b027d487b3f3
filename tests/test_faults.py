"""Faults: an import killed (SIGKILL) at several moments leaves the store exactly as before and the
next command works; a full disk, a read-only store and an unreachable PostgreSQL give one Danish
sentence, not a traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event

from monitoring import ingest
from monitoring.demo import load_demo, read_demo_file
from monitoring.errors import MonitorError
from monitoring.seed import load_seed
from tests.conftest import BACKENDS, PG_URL, backend_url, fresh_engine
from tests.legacy import contents

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "lbf_omraadeliste_2023.csv"
# A child that imports SAMPLE and stops for good right after the named step of the commit.
CHILD = """
import sys, time
from monitoring import ingest
from monitoring.demo import load_demo, read_demo_file
from monitoring.db import get_engine
from monitoring.ingest import committing

url, step, path = sys.argv[1:]
original = getattr(committing, step)

def halted(*args, **kwargs):
    result = original(*args, **kwargs)
    print("HALTED", flush=True)
    time.sleep(600)
    return result

setattr(committing, step, halted)
engine = get_engine(url)
with open(path, "rb") as handle:
    upload = ingest.read_upload(engine, handle.read(), "liste.csv")
ingest.commit(engine, upload, user="test")
"""
STEPS = ["_create_areas", "bulk_insert", "_record_new_cells", "remember_area_choices"]


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "monitoring", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


def danish_failure(done: subprocess.CompletedProcess, *words: str) -> None:
    assert done.returncode == 1, done.stdout
    assert done.stderr.startswith("Fejl: ") and "Traceback" not in done.stderr, done.stderr
    assert all(word in done.stderr for word in words), done.stderr


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_import_killed_at_any_moment_leaves_the_store_as_before(backend, tmp_path):
    engine = fresh_engine(backend, tmp_path)
    load_seed(engine)
    url = engine.url.render_as_string(hide_password=False)
    before = contents(engine)
    for step in STEPS:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, url, step, str(SAMPLE)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout.readline().strip() == "HALTED", child.stderr.read()
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert contents(engine) == before, step
    done = cli("import-lbf", str(SAMPLE), "--db", url)
    assert done.returncode == 0 and "Import #" in done.stdout, done.stderr
    assert [b["new_areas"] for b in ingest.history(engine)] == [1]


def test_a_full_disk_is_a_danish_sentence_and_saves_nothing(tmp_path):
    engine = fresh_engine("sqlite", tmp_path)
    load_seed(engine)
    before = contents(engine)

    def no_room(connection, _record):  # the file may not grow: SQLite's "disk is full"
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(engine, "connect", no_room)
    engine.dispose()
    try:
        with pytest.raises(MonitorError, match=r"disken er fuld\. Frigør plads") as caught:
            load_demo(engine, read_demo_file())  # a few hundred rows: new pages are needed
        assert "Intet er gemt" in str(caught.value)
    finally:
        event.remove(engine, "connect", no_room)
        engine.dispose()
    assert contents(engine) == before


def test_a_read_only_store_is_a_danish_sentence(tmp_path):
    url = f"sqlite:///{tmp_path / 'monitor.db'}"
    assert cli("init", "--db", url).returncode == 0
    read_only = f"sqlite:///file:{tmp_path / 'monitor.db'}?mode=ro&uri=true"
    assert cli("show", "--json", "--db", read_only).returncode == 0  # reading still works
    danish_failure(cli("import-lbf", str(SAMPLE), "--db", read_only), "skrivebeskyttet")
    danish_failure(cli("demo", "--db", read_only), "skrivebeskyttet")


@pytest.mark.postgres
def test_a_read_only_postgresql_is_a_danish_sentence(tmp_path):
    url = backend_url("postgresql", tmp_path)
    assert cli("init", "--force", "--db", url).returncode == 0
    read_only = {"PGOPTIONS": "-c default_transaction_read_only=on"}
    danish_failure(cli("import-lbf", str(SAMPLE), "--db", url, env=read_only), "skrivebeskyttet")
    assert PG_URL


@pytest.mark.parametrize(
    "command",
    [
        ["import-lbf", str(SAMPLE)],
        ["undo-import", "1"],
        ["demo"],
        ["user", "list"],
        ["backup", "x.zip"],
    ],
)
def test_an_unreachable_postgresql_is_a_danish_sentence(command):
    danish_failure(
        cli(*command, "--db", "postgresql+psycopg://x@127.0.0.1:9/none"), "Kan ikke forbinde"
    )


def test_an_unreachable_postgresql_on_the_pages(run_page_unreachable):
    at = run_page_unreachable
    assert not at.exception
    assert any("Kan ikke forbinde" in e.value for e in at.error)


@pytest.fixture
def run_page_unreachable(monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://x@127.0.0.1:9/none")
    app = str(Path(__file__).resolve().parents[1] / "app.py")
    return AppTest.from_file(app, default_timeout=30).run()


def test_a_file_over_the_size_limit_is_refused_on_the_command_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'monitor.db'}"
    assert cli("init", "--db", url).returncode == 0
    big = tmp_path / "stor.csv"
    big.write_bytes(SAMPLE.read_bytes() + b" " * (1024 * 1024))
    done = cli("import-lbf", str(big), "--db", url, env={"LBF_MAX_FILE_MB": "1"})
    assert done.returncode == 1 and "grænsen er 1 MB" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
