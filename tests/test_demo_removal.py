"""Removing the demo figures: one audited action that keeps every real import, typed figure,
comment and delaftale edit, on SQLite and PostgreSQL, from the domain and the command line."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from monitoring import ingest
from monitoring.access import users
from monitoring.access.actor import AccessDenied
from monitoring.cli import main
from monitoring.demo import DEMO_LABEL, DEMO_SOURCE, demo_active, generate_demo, load_demo
from monitoring.errors import MonitorError
from monitoring.manual_entry import entry_file
from monitoring.progress import plan_progress
from monitoring.report.comments import plan_comments, save_comment
from monitoring.seed import load_seed
from monitoring.show import store_snapshot
from monitoring.store.models import AuditEvent, ImportBatch, Observation, ObservationChange
from tests.conftest import load_demo_generated
from tests.test_ingest import import_file, value

GULDBORGSUND = "guldborgsund-mit-liv"  # Østerbro, the time-series sample's area
HORSENS = "horsens-bo-trivsel"
TYPED = ("Bo Trivsel", "household_income_avg", 2026, "123.456")


CELL = ("measure_id", "area_id", "year", "value", "source")


def cells(engine: Engine) -> set[tuple[int, int, int, float | None, str | None]]:
    """Every observation as (measure, area, year, value, source)."""
    with Session(engine) as session:
        columns = [Observation.__table__.c[name] for name in CELL]
        return {tuple(row) for row in session.execute(select(*columns))}


def demo_rows(engine: Engine) -> int:
    with Session(engine) as session:
        return len(
            session.scalars(select(Observation.id).where(Observation.source == DEMO_SOURCE)).all()
        )


def type_figure(engine: Engine, user: str = "test") -> int:
    upload = ingest.read_upload(engine, entry_file([TYPED]), "Indtastning.csv")
    assert not upload.blocking, upload.errors
    return ingest.commit(engine, upload, user=user).batch_id


@pytest.fixture
def demo_store(engine: Engine) -> Engine:
    load_seed(engine)
    load_demo_generated(engine)
    return engine


def test_removing_the_demo_keeps_every_real_figure(demo_store):
    engine = demo_store
    invented = value(engine, "Østerbro", "employed_18_64", 2022)
    real = import_file(engine, "lbf_tidsserie_oesterbro.xlsx")
    assert real.counts["changed"] >= 1  # the file replaced demo figures
    typed = type_figure(engine)
    save_comment(engine, HORSENS, 1, "Delmål 1", 2024, "Rigtig kommentar", user="test")
    assert (
        plan_progress(engine, GULDBORGSUND, actor="test")["year"] == 2025
    )  # the invented last year
    kept = {c for c in cells(engine) if c[4] != DEMO_SOURCE}

    result = ingest.remove_demo(engine, user="test")

    assert "Demodata er fjernet" in result.message and "rigtige tal er bevaret" in result.message
    assert cells(engine) == kept  # exactly the real figures, untouched
    assert demo_rows(engine) == 0 and not demo_active(engine)
    assert value(engine, "Østerbro", "employed_18_64", 2022) == pytest.approx(41.3) != invented
    assert plan_comments(engine, HORSENS, 2024, actor="test")[1].text == "Rigtig kommentar"
    assert (
        plan_progress(engine, GULDBORGSUND, actor="test")["year"] == 2023
    )  # the real file's last year
    history = {b["id"]: b for b in ingest.history(engine, actor="test")}
    demo = next(b for b in history.values() if b["demo"])
    assert (demo["file_name"], demo["status"], demo["can_undo"]) == (DEMO_LABEL, "undone", False)
    assert history[real.batch_id]["status"] == "committed" and history[real.batch_id]["can_undo"]
    assert history[typed]["status"] == "committed"
    with Session(engine) as session:  # audited under its own action
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id.desc()))
        assert next(iter(actions)) == "remove-demo"

    # Undoing the real import afterwards removes its figures and never brings demo ones back.
    ingest.undo(engine, real.batch_id, user="test")
    assert demo_rows(engine) == 0
    with Session(engine) as session:
        assert (
            session.scalar(
                select(Observation.id)
                .where(Observation.source.like("Upload: lbf_tidsserie%"))
                .limit(1)
            )
            is None
        )
    assert {c for c in kept if not (c[4] or "").startswith("Upload: lbf_")} == cells(engine)
    ingest.undo(engine, typed, user="test")  # the history stays consistent to the end


def test_undo_import_of_the_demo_entry_removes_it_the_same_way(demo_store):
    engine = demo_store
    type_figure(engine)
    demo_id = next(b["id"] for b in ingest.history(engine, actor="test") if b["demo"])
    kept = {c for c in cells(engine) if c[4] != DEMO_SOURCE}
    result = ingest.undo(engine, demo_id, user="test")
    assert "Demodata er fjernet" in result.message
    assert cells(engine) == kept


def test_loading_twice_and_removing_twice_are_danish_sentences(demo_store):
    engine = demo_store
    demo_id = next(b["id"] for b in ingest.history(engine, actor="test") if b["demo"])
    before = cells(engine)
    with pytest.raises(MonitorError, match=f"Demodata er allerede indlæst \\(import #{demo_id}\\)"):
        load_demo_generated(engine)
    assert cells(engine) == before
    ingest.remove_demo(engine, user="test")
    with pytest.raises(MonitorError, match="Der er ingen demodata at fjerne"):
        ingest.remove_demo(engine, user="test")
    with pytest.raises(
        MonitorError, match=f"Import #{demo_id} \\(Demotal \\(opfundne\\)\\) er allerede"
    ):
        ingest.undo(engine, demo_id, user="test")
    load_demo_generated(engine)  # after removal the demo may be loaded again
    assert demo_active(engine)


def test_demo_rows_of_an_old_store_without_their_batch_are_removed(demo_store):
    """A store whose demo batch row is gone: the rows are known by their source."""
    engine = demo_store
    real = import_file(engine, "lbf_tidsserie_oesterbro.xlsx")
    with Session(engine) as session, session.begin():
        demo_ids = select(ImportBatch.id).where(ImportBatch.is_demo.is_(True))
        session.execute(
            update(Observation).where(Observation.batch_id.in_(demo_ids)).values(batch_id=None)
        )
        session.execute(delete(ImportBatch).where(ImportBatch.is_demo.is_(True)))
    assert demo_active(engine) and not [
        b for b in ingest.history(engine, actor="test") if b["demo"]
    ]
    kept = {c for c in cells(engine) if c[4] != DEMO_SOURCE}
    result = ingest.remove_demo(engine, user="test")
    assert result.deleted > 0 and cells(engine) == kept and not demo_active(engine)
    with Session(engine) as session:
        replaced = session.scalars(
            select(ObservationChange.old_source).where(ObservationChange.batch_id == real.batch_id)
        ).all()
        assert DEMO_SOURCE not in replaced
    ingest.undo(engine, real.batch_id, user="test")
    assert demo_rows(engine) == 0


def test_who_may_remove_the_demo(engine):
    load_seed(engine)
    users.add_user(engine, "opsætning", "anna", "administrator")
    users.add_user(engine, "anna", "per", "projektleder", plans=[HORSENS])
    users.add_user(engine, "anna", "lise", "læser", plans=[HORSENS])
    load_demo(engine, generate_demo(store_snapshot(engine, actor="anna")), user="anna")
    before = cells(engine)
    for user, words in (
        ("lise", "'lise' (læser) må ikke fjerne demodata"),
        ("per", "må kun ændre tal for sine helhedsplaner"),  # demo figures of other plans
    ):
        assert words in ingest.demo_removal_refusal(engine, user)
        with pytest.raises(AccessDenied, match=words.replace("(", "\\(").replace(")", "\\)")):
            ingest.remove_demo(engine, user=user)
        assert cells(engine) == before
    assert ingest.demo_removal_refusal(engine, "anna") is None
    ingest.remove_demo(engine, user="anna")
    assert not demo_active(engine)

    # A demo within the projektleder's own plan is its to remove.
    horsens = [p for p in store_snapshot(engine, actor="anna")["plans"] if p["slug"] == HORSENS]
    load_demo(engine, generate_demo({"plans": horsens}), user="anna")
    assert ingest.demo_removal_refusal(engine, "per") is None
    ingest.remove_demo(engine, user="per")
    assert not demo_active(engine)


def run(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_command_line_remove_demo(tmp_path, capsys):
    db = ("--db", f"sqlite:///{tmp_path / 'cli.db'}")
    assert run(capsys, "init", *db)[0] == 0
    assert run(capsys, "demo", *db)[0] == 0
    code, _, err = run(capsys, "demo", *db)
    assert (
        code == 1 and err.startswith("Fejl: Demodata er allerede indlæst") and "remove-demo" in err
    )
    sample = "data/samples/lbf_tidsserie_oesterbro.xlsx"
    assert run(capsys, "import-lbf", sample, *db)[0] == 0
    out = run(capsys, "imports", *db)[1]
    assert DEMO_LABEL in out and "fjern med 'remove-demo'" in out
    imports = json.loads(run(capsys, "imports", "--json", *db)[1])["imports"]
    assert [(b["kind"], b["demo"]) for b in imports] == [("lbf", False), ("demo", True)]

    code, out, _ = run(capsys, "remove-demo", *db)
    assert code == 0 and out.startswith("Demodata er fjernet:")
    code, _, err = run(capsys, "remove-demo", *db)
    assert (
        code == 1
        and err == "Fejl: Der er ingen demodata at fjerne; databasen har kun rigtige tal.\n"
    )
    assert "fjernet:" in run(capsys, "imports", *db)[1]
    progress = json.loads(run(capsys, "progress", "--plan", GULDBORGSUND, "--json", *db)[1])
    assert progress["year"] == 2023
    shown = json.loads(run(capsys, "show", "--json", "--plan", GULDBORGSUND, *db)[1])
    years = {
        o["year"]
        for a in shown["plans"][0]["agreements"]
        for s in a["subgoals"]
        for i in s["indicators"]
        for o in i["observations"]
    }
    assert max(years) == 2023  # no invented 2024–2025 left


def test_make_run_does_not_bring_a_removed_demo_back(tmp_path, capsys):
    db = ("--db", f"sqlite:///{tmp_path / 'run.db'}")
    for command in (("init",), ("demo", "--if-empty"), ("remove-demo",)):
        assert run(capsys, *command, *db)[0] == 0
    code, out, _ = run(capsys, "demo", "--if-empty", *db)
    assert code == 0 and "indlæses ikke igen" in out
    assert "Demotal (opfundne)" in run(capsys, "imports", *db)[1]
    assert run(capsys, "demo", *db)[0] == 0  # asked for explicitly, it is loaded again
