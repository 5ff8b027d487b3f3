"""Concurrent imports and undos, as separate processes started at the same moment, on SQLite and
PostgreSQL: the store and its history end as if the writes had run one after the other (replayed
serially in the order they committed, they give the same store and history), every import can
then be undone in reverse order back to the start, and no process shows a traceback or a database
message in English.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from monitoring import ingest
from monitoring.cli import main
from monitoring.errors import MonitorError
from monitoring.store import db
from monitoring.store.dberrors import DatabaseBusy, DatabaseConflict, retrying
from monitoring.store.models import (
    Area,
    AuditEvent,
    ImportBatch,
    Measure,
    Observation,
    ObservationChange,
)
from tests.test_ingest import STORE_TABLES, tables

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2023

# A worker imports everything first, says it is ready, waits for the start file, then runs the
# command line: the processes reach the database within milliseconds of each other.
WORKER = """
import pathlib, sys, time
import monitoring.ingest
from monitoring.cli import main
ready, start = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
ready.touch()
while not start.exists():
    time.sleep(0.002)
sys.exit(main(sys.argv[3:]))
"""

ENGLISH = re.compile(
    r"Traceback|Error|Exception|sqlite|psycopg|constraint|duplicate key|database is locked|"
    r"violates|deadlock|timeout",
    re.IGNORECASE,
)

HEADER = (
    "Kommune;Afdelingsnummer;Afdeling;Andel 18-64-årige i beskæftigelse (%);"
    "Andel ledige og aktiverede (%);Gennemsnitlig husstandsindkomst (kr.)"
)


def area_file(version: int, numbers: Sequence[int], kommune: str = "Nyby", *more: Any) -> bytes:
    """A small area list: afdelinger `numbers` in `kommune` (and more kommune, numbers pairs),
    with values that differ per version."""
    lines = [HEADER]
    groups = [(kommune, numbers), *zip(more[::2], more[1::2], strict=True)]
    for place, group in groups:
        for n in group:
            employed = (n * 7 + version * 13) % 90
            lines.append(
                f"{place};{n};{place} Boligselskab afd. {n};{employed},{version % 10};"
                f"{(n + version) % 40},5;{200_000 + version * 1_000 + n}"
            )
    return ("\n".join(lines) + "\n").encode("utf-8")


@dataclass
class Outcome:
    args: list[str]
    code: int
    out: str
    err: str


class Files:
    """The test's files on disk, by name, so that a batch's file can be imported again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data: dict[str, bytes] = {}

    def add(self, name: str, data: bytes) -> str:
        self.data[name] = data
        (self.folder / name).write_bytes(data)
        return str(self.folder / name)


def run_together(
    url: str | None, commands: list[list[str]], folder: Path, worker: str = WORKER
) -> list[Outcome]:
    """Start one process per command (with `--db url`, unless None); release them together once
    all are ready. `worker`: a script like WORKER that runs the command once told to start."""
    start = folder / "start"
    start.unlink(missing_ok=True)
    processes = []
    for i, args in enumerate(commands):
        ready = folder / f"ready-{i}"
        ready.unlink(missing_ok=True)
        database = ["--db", url] if url is not None else []
        command = [sys.executable, "-c", worker, str(ready), str(start), *args, *database]
        processes.append(
            (
                ready,
                args,
                subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE),
            )
        )
    deadline = time.monotonic() + 120
    while not all(ready.exists() for ready, _, _ in processes):
        assert time.monotonic() < deadline, "workers did not start"
        assert all(p.poll() is None for _, _, p in processes), "a worker died before the start"
        time.sleep(0.01)
    start.touch()
    outcomes = []
    for _, args, process in processes:
        out, err = process.communicate(timeout=180)
        outcomes.append(Outcome(args, process.returncode, out.decode(), err.decode()))
    return outcomes


def import_here(engine: Engine, files: Files, name: str, user: str) -> ingest.CommitResult:
    upload = ingest.read_upload(engine, files.data[name], name, year=YEAR)
    assert not upload.blocking, upload.errors
    return ingest.commit(engine, upload, user=user)


def last_ids(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        return (
            session.scalar(select(func.max(ImportBatch.id))) or 0,
            session.scalar(select(func.max(AuditEvent.id))) or 0,
        )


def writes_since(engine: Engine, audit_id: int) -> list[tuple[str, int]]:
    """(action, batch id) of every import and undo committed after `audit_id`, in commit order."""
    with Session(engine) as session:
        rows = session.execute(
            select(AuditEvent.action, AuditEvent.entity_id)
            .where(AuditEvent.id > audit_id, AuditEvent.entity == "import_batch")
            .order_by(AuditEvent.id)
        ).all()
    return [(action, int(batch)) for action, batch in rows]


def canonical(engine: Engine, run: list[int]) -> dict[str, Any]:
    """The store and the history of the batches in `run`, free of ids (batches by position)."""

    def label(batch: int | None) -> Any:
        return ("run", run.index(batch)) if batch in run else ("before", batch)

    with Session(engine) as session:
        areas = {a.id: a for a in session.scalars(select(Area))}
        keys = dict(session.execute(select(Measure.id, Measure.key)).all())

        def where(area_id: int) -> tuple[str, str]:
            return areas[area_id].kind, areas[area_id].name

        observations = sorted(
            (
                *(keys[o.measure_id], where(o.area_id), o.year),
                *(o.value, o.state, o.note, o.source, label(o.batch_id)),
            )
            for o in session.scalars(select(Observation))
        )
        changes = sorted(
            (
                *(label(c.batch_id), keys[c.measure_id], where(c.area_id), c.year, c.existed),
                *(c.old_value, c.old_state, c.old_note, c.old_source, label(c.old_batch_id)),
            )
            for c in session.scalars(
                select(ObservationChange).where(ObservationChange.batch_id.in_(run))
            )
        )
        batches = [
            (
                *(b.file_name, b.user, b.status, len(b.mapping["created_areas"])),
                json.dumps(b.mapping["counts"], sort_keys=True),
            )
            for b in sorted(
                session.scalars(select(ImportBatch).where(ImportBatch.id.in_(run))),
                key=lambda b: b.id,
            )
        ]
        tree = sorted(
            (a.kind, a.name, a.code, areas[a.parent_id].name if a.parent_id else None)
            for a in areas.values()
        )
    return {"areas": tree, "observations": observations, "changes": changes, "batches": batches}


def replay(engine: Engine, files: Files, writes: list[tuple[str, int]], names: dict[int, Any]):
    """The committed writes once more, one after the other, in the order they committed."""
    mapped: dict[int, int] = {}
    for action, batch in writes:
        if action == "import-lbf":
            name, user = names[batch]
            result = import_here(engine, files, name, user)
            assert result.batch_id is not None, result.message
            mapped[batch] = result.batch_id
        else:
            ingest.undo(engine, mapped[batch], user="replay")
    return mapped


def batch_names(engine: Engine, ids: list[int]) -> dict[int, tuple[str, str]]:
    with Session(engine) as session:
        rows = session.execute(
            select(ImportBatch.id, ImportBatch.file_name, ImportBatch.user).where(
                ImportBatch.id.in_(ids)
            )
        ).all()
    return {i: (name, user) for i, name, user in rows}


def undo_all(engine: Engine, first_batch: int) -> None:
    """Undo every committed import after `first_batch`, newest first: each must succeed."""
    with Session(engine) as session:
        ids = session.scalars(
            select(ImportBatch.id)
            .where(ImportBatch.id > first_batch, ImportBatch.status == "committed")
            .order_by(ImportBatch.id.desc())
        ).all()
    for batch in ids:
        ingest.undo(engine, batch, user="test")


def no_undone_values(engine: Engine) -> bool:
    with Session(engine) as session:
        carried = session.scalar(
            select(func.count())
            .select_from(Observation)
            .join(ImportBatch, ImportBatch.id == Observation.batch_id)
            .where(ImportBatch.status == "undone")
        )
    return carried == 0


@pytest.fixture
def store(engine: Engine, tmp_path: Path) -> tuple[Engine, Files]:
    """An empty store whose LBF measures exist (a first import created them and was undone)."""
    files = Files(tmp_path)
    files.add("warmup.csv", area_file(0, range(1, 3), "Opvarmning"))
    result = import_here(engine, files, "warmup.csv", "test")
    ingest.undo(engine, result.batch_id, user="test")
    return engine, files


SCENARIOS = {
    # name: (files imported one by one first, then the commands started together)
    "two imports of the same cells": (
        ["base"],
        [["import-lbf", "v1"], ["import-lbf", "v2"]],
    ),
    "four imports of overlapping cells": (
        ["base"],
        [["import-lbf", "v1"], ["import-lbf", "v2"], ["import-lbf", "v3"], ["import-lbf", "v4"]],
    ),
    "the same file four times": (
        ["base"],
        [["import-lbf", "v1"]] * 4,
    ),
    "new kommuner shared by four files": (
        [],
        [["import-lbf", "k1"], ["import-lbf", "k2"], ["import-lbf", "k3"], ["import-lbf", "k4"]],
    ),
    "an undo racing an import of the same cells": (
        ["base"],
        [["undo-import", "BASE"], ["import-lbf", "v1"]],
    ),
}


def scenario_files(files: Files) -> dict[str, str]:
    paths = {"base": files.add("base.csv", area_file(0, range(1, 25)))}
    for version in range(1, 5):  # overlapping windows of the same afdelinger, other values
        numbers = range(version * 3, version * 3 + 24)
        paths[f"v{version}"] = files.add(f"v{version}.csv", area_file(version, numbers))
    for i in range(1, 5):  # new afdelinger in two new kommuner, some shared between files
        numbers = range(i * 4, i * 4 + 8)
        kommune = "Fjernby" if i % 2 else "Nærby"
        data = area_file(10 + i, numbers, kommune, "Nyby", numbers)
        paths[f"k{i}"] = files.add(f"k{i}.csv", data)
    return paths


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_concurrent_writes_equal_one_serial_order(store, tmp_path, scenario):
    engine, files = store
    paths = scenario_files(files)
    setup, commands = SCENARIOS[scenario]
    first_batch, first_audit = last_ids(engine)
    start = tables(engine, STORE_TABLES)
    base = None
    for name in setup:
        base = import_here(engine, files, Path(paths[name]).name, "oppe").batch_id
    argv = [
        [
            {"BASE": str(base), **paths}.get(arg, arg)
            for arg in [*command, *(["--year", str(YEAR)] if command[0] == "import-lbf" else [])]
        ]
        + ["--user", f"proces-{i}"]
        for i, command in enumerate(commands)
    ]
    url = engine.url.render_as_string(hide_password=False)
    outcomes = run_together(url, argv, tmp_path)

    for outcome in outcomes:
        shown = outcome.out + outcome.err
        assert not ENGLISH.search(shown), (outcome.args, shown)
        if outcome.args[0] == "import-lbf":
            assert outcome.code == 0, (outcome.args, shown)
        else:  # an undo after the import took its cells is refused, in Danish
            assert outcome.code == 0 or "kan ikke fortrydes" in outcome.err, shown
    assert no_undone_values(engine)
    writes = writes_since(engine, first_audit)
    run = sorted({batch for _, batch in writes})
    if scenario == "the same file four times":
        assert len(run) == 2  # the base and one of the four; the others changed nothing
        assert sum("Ingen ændringer" in o.out for o in outcomes) == 3
    assert_one_serial_order(engine, files, writes, first_batch, start)


def assert_one_serial_order(
    engine: Engine, files: Files, writes: list[tuple[str, int]], first_batch: int, start: Any
) -> None:
    """The store after the concurrent `writes` equals replaying them one after the other: every
    import undone in reverse order gives `start` back, and the replay gives the same store."""
    run = sorted({batch for _, batch in writes})
    concurrent = canonical(engine, run)
    names = batch_names(engine, run)
    undo_all(engine, first_batch)
    assert tables(engine, STORE_TABLES) == start
    mapped = replay(engine, files, writes, names)
    assert canonical(engine, [mapped[b] for b in run]) == concurrent


def test_an_import_whose_areas_were_undone_meanwhile_creates_them_again(store):
    engine, files = store
    files.add("base.csv", area_file(0, range(1, 6)))
    files.add("later.csv", area_file(1, range(1, 6)))
    base = import_here(engine, files, "base.csv", "test")
    later = ingest.read_upload(engine, files.data["later.csv"], "later.csv", year=YEAR)
    assert not later.new_areas  # read while the base import's areas exist
    ingest.undo(engine, base.batch_id, user="test")
    result = ingest.commit(engine, later, user="test")
    assert result.counts["new"] == 15 and result.counts["new_areas"] == 6, result.message
    ingest.undo(engine, result.batch_id, user="test")
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Observation)) == 0


@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> float:
    monkeypatch.setattr(db, "LOCK_TIMEOUT_SECONDS", 0.5)
    return 0.5


def hold_write_lock(engine: Engine, release: threading.Event, held: threading.Event) -> None:
    with db.transaction(engine, user="andre", action="test"):
        held.set()
        release.wait(30)


def test_a_busy_store_says_so_in_danish_and_saves_nothing(store, short_wait, capsys):
    engine, files = store
    files.add("base.csv", area_file(0, range(1, 4)))
    base = import_here(engine, files, "base.csv", "test")
    upload = ingest.read_upload(engine, area_file(1, range(1, 4)), "ny.csv", year=YEAR)
    written = (*STORE_TABLES, "import_batch", "observation_change", "mapping_memory")
    before = tables(engine, written)
    release, held = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(engine, release, held))
    holder.start()
    try:
        assert held.wait(30)
        started = time.monotonic()
        with pytest.raises(DatabaseBusy) as busy:
            ingest.commit(engine, upload, user="test")
        assert time.monotonic() - started < 10
        assert str(busy.value).startswith("Databasen er optaget af en anden import")
        url = engine.url.render_as_string(hide_password=False)
        assert main(["undo-import", str(base.batch_id), "--db", url]) == 1
    finally:
        release.set()
        holder.join()
    err = capsys.readouterr().err
    assert "Databasen er optaget af en anden import; prøv igen om lidt." in err
    assert not ENGLISH.search(err)
    assert tables(engine, written) == before
    assert ingest.commit(engine, upload, user="test").batch_id is not None  # free again


def test_a_lost_race_is_tried_again_then_told_in_danish(engine):
    attempts = []

    def duplicate_area() -> None:
        attempts.append(1)
        with db.transaction(engine, user="test", action="test") as tx:
            for _ in range(2):
                tx.session.add(Area(name="Dobbelt", kind="kommune", match_key="dobbelt"))
                tx.session.flush()

    with pytest.raises(DatabaseConflict) as conflict:
        retrying(duplicate_area)
    assert len(attempts) == 3
    assert "samtidig" in str(conflict.value) and "Intet er gemt" in str(conflict.value)
    assert not ENGLISH.search(str(conflict.value))


def test_a_long_user_name_is_refused_before_the_database(store):
    engine, files = store
    files.add("base.csv", area_file(0, range(1, 3)))
    upload = ingest.read_upload(engine, files.data["base.csv"], "base.csv", year=YEAR)
    with pytest.raises(MonitorError, match="højst 100 tegn"):
        ingest.commit(engine, upload, user="x" * 101)
