"""Faults: an import killed with SIGKILL at several moments, a full disk, a read-only store and an
unreachable server. Each leaves the store exactly as it was (or, for a kill after the commit, with
the whole import), the next command works, and the user reads one Danish sentence, never a
traceback or a database message in English.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from monitoring import ingest
from monitoring.cli import main
from monitoring.errors import MonitorError
from monitoring.store import dberrors
from monitoring.store.models import ImportBatch
from tests.test_concurrency import ENGLISH, YEAR, Files, area_file, canonical, import_here
from tests.test_ingest import STORE_TABLES, tables

ROOT = Path(__file__).resolve().parent.parent
AFDELINGER = range(1, 2001)  # 6,000 cells: an import that takes a few seconds, start-up included
KILL_MOMENTS = (0.1, 0.3, 0.5, 0.7, 0.9, 1.3)  # fractions of an undisturbed import's duration


def cli_import(url: str, path: str) -> subprocess.Popen[bytes]:
    """The import as its own process; its report goes nowhere (a full pipe would stall it)."""
    command = [sys.executable, "-m", "monitoring", "import-lbf", path, "--year", str(YEAR)]
    return subprocess.Popen(
        [*command, "--db", url, "--user", "kill-test"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def finish(process: subprocess.Popen[bytes]) -> None:
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode()


def committed_batches(engine: Engine) -> list[int]:
    with Session(engine) as session:
        return list(
            session.scalars(select(ImportBatch.id).where(ImportBatch.status == "committed"))
        )


@pytest.fixture
def seeded(engine: Engine, tmp_path: Path) -> tuple[Engine, Files]:
    """A store whose LBF measures exist (a first import created them and was undone)."""
    files = Files(tmp_path)
    files.add("warmup.csv", area_file(0, range(1, 3), "Opvarmning"))
    ingest.undo(engine, import_here(engine, files, "warmup.csv", "test").batch_id, user="test")
    return engine, files


def test_an_import_killed_at_any_moment_leaves_the_store_whole(seeded):
    engine, files = seeded
    path = files.add("stor.csv", area_file(1, AFDELINGER))
    url = engine.url.render_as_string(hide_password=False)
    start = tables(engine, STORE_TABLES)
    before = committed_batches(engine)

    began = time.monotonic()
    finish(cli_import(url, path))
    duration = time.monotonic() - began
    (batch,) = set(committed_batches(engine)) - set(before)
    complete = canonical(engine, [batch])  # the store and the batch's history, free of ids
    ingest.undo(engine, batch, user="test")
    assert tables(engine, STORE_TABLES) == start

    outcomes = []
    for moment in KILL_MOMENTS:
        process = cli_import(url, path)
        # Not a wait for a result: the kill must land at a chosen point of the import.
        time.sleep(moment * duration)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        new = set(committed_batches(engine)) - set(before)
        if new:  # killed after the commit: the whole import is there, and it can be undone
            (batch,) = new
            assert canonical(engine, [batch]) == complete, f"killed at {moment}: a partial import"
            ingest.undo(engine, batch, user="test")
        assert tables(engine, STORE_TABLES) == start, f"killed at {moment}: the store changed"
        outcomes.append((moment, process.returncode, bool(new)))
    assert any(not committed for _, _, committed in outcomes), outcomes  # some landed mid-import

    finish(cli_import(url, path))  # the next command works on the store the kills left
    (batch,) = set(committed_batches(engine)) - set(before)
    assert canonical(engine, [batch]) == complete


def test_a_full_disk_saves_nothing_and_says_so_in_danish(sqlite_engine, tmp_path):
    files = Files(tmp_path)
    files.add("stor.csv", area_file(1, AFDELINGER))
    upload = ingest.read_upload(sqlite_engine, files.data["stor.csv"], "stor.csv", year=YEAR)
    start = tables(sqlite_engine, STORE_TABLES)
    with sqlite_engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()

    def no_room_to_grow(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 2}")

    sqlite_engine.dispose()
    event.listen(sqlite_engine, "connect", no_room_to_grow)
    try:
        with pytest.raises(MonitorError) as refused:
            ingest.commit(sqlite_engine, upload, user="test")
    finally:
        event.remove(sqlite_engine, "connect", no_room_to_grow)
        sqlite_engine.dispose()
    assert str(refused.value).startswith(dberrors.FULL)
    assert "Intet er gemt." in str(refused.value)
    assert not ENGLISH.search(str(refused.value))
    assert tables(sqlite_engine, STORE_TABLES) == start
    assert ingest.commit(sqlite_engine, upload, user="test").batch_id is not None


def read_only_url(engine: Engine) -> str:
    """The same store opened so that it can only be read."""
    if engine.dialect.name == "sqlite":
        return f"sqlite:///file:{engine.url.database}?mode=ro&uri=true"
    url = engine.url.update_query_dict({"options": "-c default_transaction_read_only=on"})
    return url.render_as_string(hide_password=False)


@pytest.mark.parametrize("command", [["import-lbf", "FILE", "--year", str(YEAR)], ["demo"]])
def test_a_read_only_store_refuses_writes_in_danish(seeded, capsys, command):
    engine, files = seeded
    path = files.add("lille.csv", area_file(1, range(1, 5)))
    start = tables(engine, STORE_TABLES)
    url = read_only_url(engine)
    code = main([path if arg == "FILE" else arg for arg in command] + ["--db", url])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("Fejl: ") and "skrivebeskyttet" in err, err
    assert not ENGLISH.search(err), err
    assert tables(engine, STORE_TABLES) == start
    assert main(["show", "--json", "--db", url]) == 0  # reading still works


@pytest.mark.parametrize("command", [["show", "--json"], ["import-lbf", "FILE"], ["imports"]])
def test_an_unreachable_server_is_one_danish_sentence(tmp_path, capsys, command):
    path = Files(tmp_path).add("lille.csv", area_file(1, range(1, 5)))
    url = "postgresql+psycopg://monitor@127.0.0.1:9/ingen_test"  # the discard port: nobody listens
    code = main([path if arg == "FILE" else arg for arg in command] + ["--db", url])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("Fejl: Kan ikke forbinde til databasen"), err
    assert "Traceback" not in err
    danish = err.partition("(Serverens besked:")[0].replace(url, "ADRESSEN")
    assert not ENGLISH.search(danish), err


def test_the_output_cut_short_by_its_reader_is_no_traceback(tmp_path):
    url = f"sqlite:///{tmp_path / 'monitor.db'}"
    assert main(["init", "--db", url]) == 0
    shown = subprocess.run(
        f"{sys.executable} -m monitoring show --json --db {url} | head -c 10",
        shell=True,
        cwd=ROOT,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert shown.stdout.decode().startswith("{")
    assert b"Traceback" not in shown.stderr, shown.stderr.decode()


def test_every_database_refusal_kind_has_a_danish_sentence():
    class Driver(Exception):
        def __init__(self, sqlstate: str = "", sqlite_errorname: str = "") -> None:
            super().__init__("english detail")
            self.sqlstate, self.sqlite_errorname = sqlstate, sqlite_errorname

    from sqlalchemy.exc import OperationalError

    cases = {
        Driver(sqlstate="53100"): dberrors.FULL,
        Driver(sqlite_errorname="SQLITE_FULL"): dberrors.FULL,
        Driver(sqlstate="25006"): dberrors.READ_ONLY,
        Driver(sqlite_errorname="SQLITE_READONLY"): dberrors.READ_ONLY,
        Driver(sqlstate="55P03"): dberrors.BUSY,
        Driver(sqlstate="08006"): dberrors.DISCONNECTED,
    }
    for driver, sentence in cases.items():
        message = str(dberrors.database_error(OperationalError("x", {}, driver)))
        assert message.startswith(sentence), (driver.sqlstate, driver.sqlite_errorname, message)
        assert "english detail" not in message


def test_a_database_error_inside_in_danish_comes_out_as_its_danish_sentence():
    from sqlalchemy.exc import OperationalError

    class Locked(Exception):
        sqlstate = "55P03"

    with pytest.raises(MonitorError) as raised, dberrors.in_danish():
        raise OperationalError("x", {}, Locked("english detail"))
    assert str(raised.value).startswith(dberrors.BUSY)
    with pytest.raises(ValueError), dberrors.in_danish():  # other errors pass unchanged
        raise ValueError("ikke en databasefejl")
