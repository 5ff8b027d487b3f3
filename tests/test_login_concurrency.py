"""Log-ins racing imports, as separate processes started at the same moment, on SQLite and
PostgreSQL: every import lands as in one serial order, every log-in and every failed log-in is
recorded once, the rate limit checks exactly MAX_FAILURES wrong passwords per name, and no
process shows a traceback or a database message in English.
"""

from __future__ import annotations

import json

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from monitoring.access import users
from monitoring.access.login import MAX_FAILURES
from monitoring.store.models import AuditEvent
from tests.test_concurrency import (
    ENGLISH,
    YEAR,
    area_file,
    assert_one_serial_order,
    last_ids,
    run_together,
    writes_since,
)
from tests.test_concurrency import store as store  # the fixture: a store whose measures exist
from tests.test_ingest import STORE_TABLES, tables

# Like tests.test_concurrency's worker; "login NAME PASSWORD N URL" tries to log in N times and
# prints each outcome ("ok", or the Danish refusal).
WORKER = """
import json, pathlib, sys, time
import monitoring.ingest
from monitoring.access.login import LoginRefused, log_in
from monitoring.cli import main
from monitoring.store.db import get_engine
ready, start = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
ready.touch()
while not start.exists():
    time.sleep(0.002)
if sys.argv[3] != "login":
    sys.exit(main(sys.argv[3:]))
name, password, times, url = sys.argv[4], sys.argv[5], int(sys.argv[6]), sys.argv[7]
outcomes = []
for _ in range(times):
    try:
        outcomes.append(log_in(get_engine(url), name, password).name and "ok")
    except LoginRefused as refusal:
        outcomes.append(str(refusal))
print(json.dumps(outcomes, ensure_ascii=False))
"""
PASSWORD = "hemmeligt"
TRIES = 4  # per log-in process


def events(engine: Engine, action: str, key: str, since: int) -> dict[str, int]:
    """How many audit events of `action` for the name `key` since `since`, by how (after.how)."""
    with Session(engine) as session:
        rows = session.scalars(
            select(AuditEvent).where(
                AuditEvent.id > since, AuditEvent.action == action, AuditEvent.entity_id == key
            )
        )
        found: dict[str, int] = {}
        for event in rows:
            found[event.after["how"]] = found.get(event.after["how"], 0) + 1
        return found


def test_log_ins_racing_imports_lose_nothing_and_count_failures_exactly(store, tmp_path):
    engine, files = store
    users.add_user(engine, "opsætning", "anna", "administrator", password=PASSWORD)
    users.add_user(engine, "anna", "lise", "læser", password=PASSWORD)
    users.add_user(engine, "anna", "per", "projektleder", password=PASSWORD)
    for helper in ("test", "replay"):  # who undoes and replays below (tests.test_concurrency)
        users.add_user(engine, "anna", helper, "administrator")
    first_batch, first_audit = last_ids(engine)
    start = tables(engine, STORE_TABLES)
    url = engine.url.render_as_string(hide_password=False)
    one = files.add("en.csv", area_file(1, range(1, 30)))
    two = files.add("to.csv", area_file(2, range(10, 40), "Fjernby", "Nyby", range(5, 15)))
    imports = [
        ["import-lbf", path, "--year", str(YEAR), "--user", "anna", "--db", url]
        for path in (one, two)
    ]
    log_ins = [
        ["login", "lise", PASSWORD, str(TRIES), url],
        ["login", "per", "forkert-kode", str(TRIES), url],
        ["login", "PER ", "også-forkert", str(TRIES), url],  # the same name as people type it
    ]
    outcomes = run_together(None, [imports[0], *log_ins, imports[1]], tmp_path, WORKER)

    for outcome in outcomes:
        shown = outcome.out + outcome.err
        assert outcome.code == 0 and not ENGLISH.search(shown), (outcome.args, shown)
    tried = [answer for o in outcomes if o.args[0] == "login" for answer in json.loads(o.out)]
    assert len(tried) == 3 * TRIES
    assert tried.count("ok") == TRIES  # lise, every time
    wrong = [answer for answer in tried if answer.startswith("Forkert brugernavn")]
    blocked = [answer for answer in tried if answer.startswith("For mange forkerte forsøg")]
    assert (len(wrong), len(blocked)) == (MAX_FAILURES, 2 * TRIES - MAX_FAILURES)
    assert events(engine, "login", "lise", first_audit) == {"adgangskode": TRIES}
    assert events(engine, "login-failed", "per", first_audit) == {
        "adgangskode": MAX_FAILURES,
        "blokeret": 2 * TRIES - MAX_FAILURES,
    }
    with Session(engine) as session:
        refused = select(func.count(AuditEvent.id)).where(
            AuditEvent.id > first_audit, AuditEvent.action == "refused"
        )
        assert session.scalar(refused) == 0

    # the imports: both committed, and the store equals replaying them one after the other
    writes = writes_since(engine, first_audit)
    assert [action for action, _ in writes] == ["import-lbf", "import-lbf"]
    assert_one_serial_order(engine, files, writes, first_batch, start)
