"""A projektleder's LBF file with areas outside its plans, on both databases: the cells of its own
areas are imported, the rest are named in one Danish sentence (preview, command line, page), the
undo is exact, and a file with nothing in scope is refused and recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from monitoring import ingest
from monitoring.access import users
from monitoring.access.actor import AccessDenied
from monitoring.cli import main as cli_main
from monitoring.seed import load_seed
from monitoring.store.models import Area, AuditEvent, Observation
from tests.test_ingest import STORE_TABLES, tables

HORSENS = "horsens-bo-trivsel"
HEADER = "Boligområde;Kommune;Andel ledige og aktiverede (%);Gennemsnitlig husstandsindkomst (kr.)"
INSIDE = [  # the plan's boligområder, its kommune, a new area in its kommune
    "Bo Trivsel;Horsens;12,5;250000",
    "Sundparken;Horsens;13,5;240000",
    "Horsens Kommune;Horsens;9,5;300000",
    "Nyt Hjørne;Horsens;11,5;260000",
]
OUTSIDE = [  # another plan's areas, a new area in another kommune, one in a new kommune
    "Aktive Boligområder i Svendborg;Svendborg;14,5;230000",
    "Skovparken;Svendborg;15,5;220000",
    "Nyt Sted;Svendborg;16,5;210000",
    "Helt Nyt;Fjernby;16,5;210000",
]


def area_list(rows: list[str]) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


@pytest.fixture
def store(engine: Engine) -> Engine:
    load_seed(engine)
    users.add_user(engine, "opsætning", "anna", "administrator")
    users.add_user(engine, "anna", "per", "projektleder", plans=[HORSENS])
    return engine


def refusals(engine: Engine) -> int:
    with Session(engine) as session:
        query = select(func.count(AuditEvent.id)).where(AuditEvent.action == "refused")
        return session.scalar(query) or 0


def stored_areas(engine: Engine, batch_id: int) -> set[str]:
    with Session(engine) as session:
        query = select(Area.name).join(Observation).where(Observation.batch_id == batch_id)
        return set(session.scalars(query))


def cli(engine: Engine, capsys: pytest.CaptureFixture, path: Path, user: str) -> tuple[int, str]:
    url = engine.url.render_as_string(hide_password=False)
    code = cli_main(["import-lbf", str(path), "--year", "2024", "--db", url, "--user", user])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_only_the_cells_of_its_own_areas_are_imported_and_the_rest_named(store, tmp_path, capsys):
    before = tables(store, STORE_TABLES)
    upload = ingest.read_upload(store, area_list(INSIDE + OUTSIDE), "liste.csv", year=2024)
    assert not upload.blocking, upload.errors
    preview = ingest.preview(store, upload, actor="per")
    assert preview.counts["new"] == 2 * len(INSIDE)
    assert (preview.counts["skipped_areas"], preview.counts["skipped_cells"]) == (4, 8)
    assert preview.counts["new_areas"] == 1  # Nyt Hjørne; not Nyt Sted, Helt Nyt, Fjernby
    (said,) = [w.message for w in preview.warnings if w.code == "outside_scope"]
    assert "8 tal for 4 område(r) uden for helhedsplanerne (horsens-bo-trivsel)" in said
    assert "springes over, når filen gemmes" in said
    assert set(preview.frame["area"]) == {
        "Bo Trivsel",
        "Sundparken",
        "Horsens Kommune",
        "Nyt Hjørne",
    }

    path = tmp_path / "liste.csv"
    path.write_bytes(area_list(INSIDE + OUTSIDE))
    code, shown = cli(store, capsys, path, "per")
    assert code == 0, shown
    assert "8 nye" in shown and "1 nyt område" in shown
    assert "8 tal for 4 område(r)" in shown and "er sprunget over" in shown
    assert "Traceback" not in shown
    (batch,) = [b for b in ingest.history(store, actor="anna") if b["status"] == "committed"]
    assert stored_areas(store, batch["id"]) == {
        "Bo Trivsel",
        "Sundparken",
        "Horsens Kommune",
        "Nyt Hjørne",
    }
    with Session(store) as session:
        names = set(session.scalars(select(Area.name)))
    assert "Nyt Hjørne" in names and not {"Nyt Sted", "Helt Nyt", "Fjernby Kommune"} & names
    assert refusals(store) == 0

    ingest.undo(store, batch["id"], user="per")
    assert tables(store, STORE_TABLES) == before


def test_a_file_with_nothing_in_scope_is_refused_and_recorded(store, tmp_path, capsys):
    before = tables(store, STORE_TABLES)
    upload = ingest.read_upload(store, area_list(OUTSIDE), "andres.csv", year=2024)
    preview = ingest.preview(store, upload, actor="per")
    assert preview.frame.empty and preview.counts["skipped_cells"] == 8
    assert any("men filen har kun 8 tal" in w.message for w in preview.warnings)
    with pytest.raises(AccessDenied, match="men filen har kun 8 tal for 4 område"):
        ingest.commit(store, upload, user="per")
    path = tmp_path / "andres.csv"
    path.write_bytes(area_list(OUTSIDE))
    code, shown = cli(store, capsys, path, "per")
    assert code == 1 and "intet er gemt" in shown and "Traceback" not in shown
    assert refusals(store) == 2
    assert tables(store, STORE_TABLES) == before


def test_an_administrator_imports_every_area(store, tmp_path):
    upload = ingest.read_upload(store, area_list(INSIDE + OUTSIDE), "liste.csv", year=2024)
    preview = ingest.preview(store, upload, actor="anna")
    assert preview.counts["skipped_cells"] == 0 and not preview.warnings
    done = ingest.commit(store, upload, user="anna")
    assert done.counts["new"] == 2 * len(INSIDE + OUTSIDE) and "sprunget over" not in done.message
