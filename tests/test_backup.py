"""backup and restore: a round trip gives back every row of every table, on both databases and
across them; a refused or unreadable restore changes nothing."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Engine

from monitoring import backup, ingest
from monitoring.access import users
from monitoring.access.actor import AccessDenied
from monitoring.demo import load_demo, read_demo_file
from monitoring.errors import MonitorError
from monitoring.manual_entry import entry_file
from monitoring.seed import load_seed
from tests.conftest import fresh_engine
from tests.legacy import contents


def filled(engine: Engine) -> Engine:
    """Plans, demo figures, an import and its undo, users with scopes: every table has rows."""
    load_seed(engine)
    load_demo(engine, read_demo_file())
    users.add_user(engine, "opsætning", "anna", "administrator", password="hemmeligt")
    users.add_user(engine, "anna", "lise", "læser", plans=["horsens-bo-trivsel"])
    data = entry_file([("Bo Trivsel", "household_income_avg", 2025, "250.000")])
    upload = ingest.read_upload(engine, data, "Indtastning.csv")
    first = ingest.commit(engine, upload, user="anna")
    ingest.undo(engine, first.batch_id, user="anna")
    return engine


def without_last_audit(rows: dict) -> dict:
    """The store's rows less the newest audit event (the restore's own)."""
    return {**rows, "audit_event": rows["audit_event"][:-1]}


@pytest.mark.parametrize("suffix", [".db", ".zip"])
def test_round_trip_gives_back_every_row(engine, tmp_path, suffix):
    filled(engine)
    before = contents(engine)
    assert all(before[name] for name in ("app_user", "user_scope", "observation_change"))
    file = tmp_path / f"kopi{suffix}"
    assert "Sikkerhedskopi gemt" in backup.backup(engine, file, "anna")
    if engine.dialect.name == "postgresql" or suffix == ".zip":
        assert zipfile.is_zipfile(file)
    # Changes after the backup are gone after the restore, and the ids go on after it.
    users.add_user(engine, "anna", "ny", "læser")
    ingest.remove_demo(engine, user="anna")
    assert "er gendannet" in backup.restore(engine, file, "anna")
    after = contents(engine)
    assert without_last_audit(after) == before
    assert after["audit_event"][-1][0] > before["audit_event"][-1][0]
    users.add_user(engine, "anna", "efter", "læser")  # the sequences go on after the restored ids


@pytest.mark.postgres
def test_a_sqlite_store_moves_to_postgresql_and_back(tmp_path):
    sqlite = filled(fresh_engine("sqlite", tmp_path / "a"))
    before = contents(sqlite)
    backup.backup(sqlite, tmp_path / "til-pg.db", "anna")  # the SQLite copy itself
    postgres = fresh_engine("postgresql", tmp_path)
    backup.restore(postgres, tmp_path / "til-pg.db", "ingen-brugere-endnu")
    assert without_last_audit(contents(postgres)) == before
    backup.backup(postgres, tmp_path / "tilbage.zip", "anna")
    empty = fresh_engine("sqlite", tmp_path / "b")
    backup.restore(empty, tmp_path / "tilbage.zip", "hvem-som-helst")
    assert without_last_audit(without_last_audit(contents(empty))) == before


def test_refused_and_broken_restores_change_nothing(engine, tmp_path):
    filled(engine)
    file = tmp_path / "kopi.zip"
    backup.backup(engine, file, "anna")
    with pytest.raises(AccessDenied, match="må ikke tage en sikkerhedskopi"):
        backup.backup(engine, tmp_path / "lise.zip", "lise")
    assert not (tmp_path / "lise.zip").exists()
    before = contents(engine)
    with pytest.raises(AccessDenied, match="må ikke gendanne"):
        backup.restore(engine, file, "lise")
    broken = tmp_path / "broken.zip"
    broken.write_bytes(file.read_bytes()[:200])
    not_a_backup = tmp_path / "tal.csv"
    not_a_backup.write_text("Område;År\n")
    for bad in (broken, not_a_backup):
        with pytest.raises(MonitorError, match="ikke en sikkerhedskopi"):
            backup.restore(engine, bad, "anna")
    with pytest.raises(MonitorError, match="stien findes ikke"):
        backup.restore(engine, tmp_path / "findes-ikke.zip", "anna")
    with pytest.raises(MonitorError, match="stien findes ikke"):
        backup.backup(engine, tmp_path / "ingen-mappe" / "kopi.zip", "anna")
    after = contents(engine)
    assert {k: v for k, v in after.items() if k != "audit_event"} == {
        k: v for k, v in before.items() if k != "audit_event"
    }
    refusals = [row for row in after["audit_event"][len(before["audit_event"]) :]]
    assert [row[2:4] for row in refusals] == [("lise", "refused")]


def test_backup_and_restore_on_the_command_line(tmp_path):
    db = ("--db", f"sqlite:///{tmp_path / 'monitor.db'}")

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "monitoring", *args], capture_output=True, text=True
        )

    assert cli("init", *db).returncode == 0
    made = cli("backup", str(tmp_path / "kopi.zip"), *db)
    assert made.returncode == 0 and "Sikkerhedskopi gemt" in made.stdout, made.stderr
    fresh = ("--db", f"sqlite:///{tmp_path / 'ny' / 'monitor.db'}")
    restored = cli("restore", str(tmp_path / "kopi.zip"), *fresh)
    assert restored.returncode == 0 and "er gendannet" in restored.stdout, restored.stderr
    shown = cli("show", "--json", *fresh)
    assert shown.returncode == 0 and "horsens-bo-trivsel" in shown.stdout
    bad = cli("restore", str(Path(__file__)), *fresh)
    assert bad.returncode == 1 and bad.stderr.startswith("Fejl: ") and "Traceback" not in bad.stderr
