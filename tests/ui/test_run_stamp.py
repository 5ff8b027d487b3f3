"""The store's change stamp is read once per page run, and a write still shows at once."""

import subprocess
import sys

import pytest

import app_pages.shared
from monitoring.errors import MonitorError
from monitoring.store.db import change_stamp, local_writes, transaction

PLAN = "app_pages/helhedsplan.py"


def test_a_page_run_reads_the_change_stamp_once(run_page, demo_url, monkeypatch):
    reads = []

    def counted(engine):
        reads.append(engine.url)
        return change_stamp(engine)

    monkeypatch.setattr(app_pages.shared, "change_stamp", counted)
    at = run_page(PLAN, demo_url, plan="guldborgsund-mit-liv")
    assert not at.exception
    assert len(reads) == 1
    at.run()
    assert not at.exception
    assert len(reads) == 2


def test_a_write_by_another_process_shows_on_the_next_run(run_page, store):
    url, _ = store
    at = run_page(PLAN, url, plan="guldborgsund-mit-liv")
    assert not at.exception
    assert not any("Demodata" in w.value for w in at.warning)
    subprocess.run([sys.executable, "-m", "monitoring", "demo", "--db", url], check=True)
    at.run()
    assert any("Demodata" in w.value for w in at.warning)


def test_only_a_committed_write_counts_as_a_local_write(store):
    _, engine = store
    before = local_writes()
    with transaction(engine, user="test", action="comment") as tx:
        tx.audit(entity="store")
    assert local_writes() == before + 1
    with pytest.raises(MonitorError), transaction(engine, user="test", action="comment"):
        raise MonitorError("afbrudt")
    assert local_writes() == before + 1
