"""Who may do what, enforced in the domain on both databases: every refusal is one Danish sentence
and a "refused" audit event, and nothing of the refused write is stored."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from monitoring import ingest
from monitoring.access import login, users
from monitoring.access.actor import AccessDenied
from monitoring.access.checks import require, visible_plans
from monitoring.demo import load_demo, read_demo_file
from monitoring.errors import MonitorError
from monitoring.manual_entry import entry_file
from monitoring.report.comments import save_comment
from monitoring.seed import load_seed
from monitoring.store.models import AuditEvent, ImportBatch, Observation

HORSENS = "horsens-bo-trivsel"
SVENDBORG = "svendborg-aktive-boligomraader"
# (area, measure) of one indikator in each plan
HORSENS_CELL = ("Bo Trivsel", "household_income_avg")
SVENDBORG_CELL = ("Aktive Boligområder i Svendborg", "neet_15_29")


def typed(engine: Engine, *cells: tuple[str, str], year: int = 2024) -> ingest.Upload:
    """A manual entry of one figure per (area, measure), as the upload page makes it."""
    data = entry_file([(area, measure, year, "12") for area, measure in cells])
    upload = ingest.read_upload(engine, data, "Indtastning.csv")
    assert not upload.blocking, upload.errors
    return upload


def counts(engine: Engine) -> tuple[int, int, int]:
    """(observations, import batches, refusals) in the store."""
    with Session(engine) as session:
        return (
            session.scalar(select(func.count(Observation.id))),
            session.scalar(select(func.count(ImportBatch.id))),
            session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "refused")),
        )


@pytest.fixture
def store(engine: Engine) -> Engine:
    """The seeded store with an administrator, a projektleder in Horsens, a reader of Horsens
    and a koordinationsudvalg in Svendborg."""
    load_seed(engine)
    users.add_user(engine, "opsætning", "anna", "administrator", password="hemmeligt")
    users.add_user(engine, "anna", "per", "projektleder", plans=[HORSENS], password="hemmeligt")
    users.add_user(engine, "anna", "lise", "læser", plans=[HORSENS], password="hemmeligt")
    users.add_user(engine, "anna", "karen", "koordinationsudvalg", kommuner=["Svendborg"])
    return engine


def refused(engine: Engine, write, *words: str) -> str:
    """Run a write that must be refused: Danish sentence, one refusal recorded, nothing else."""
    before = counts(engine)
    with pytest.raises(AccessDenied) as caught:
        write()
    after = counts(engine)
    assert after == (before[0], before[1], before[2] + 1)
    message = str(caught.value)
    assert all(word in message for word in words), message
    return message


def test_open_mode_allows_everything_until_the_first_user(engine):
    load_seed(engine)
    assert visible_plans(engine, "hvem-som-helst") is None
    result = ingest.commit(engine, typed(engine, HORSENS_CELL), user="hvem-som-helst")
    assert result.batch_id is not None
    with pytest.raises(MonitorError, match="første bruger skal være administrator"):
        users.add_user(engine, "hvem-som-helst", "lise", "læser")
    users.add_user(engine, "hvem-som-helst", "anna", "administrator")
    refused(
        engine, lambda: ingest.undo(engine, result.batch_id, user="hvem-som-helst"), "findes ikke"
    )


def test_a_reader_is_refused_every_write(store):
    upload = typed(store, HORSENS_CELL)
    done = ingest.commit(store, upload, user="per")
    cases = {
        "import": lambda: ingest.commit(store, typed(store, HORSENS_CELL, year=2025), user="lise"),
        "undo": lambda: ingest.undo(store, done.batch_id, user="lise"),
        "demo": lambda: load_demo(store, read_demo_file(), user="lise"),
        "user-add": lambda: users.add_user(store, "lise", "ny", "læser"),
        "set-role": lambda: users.set_role(store, "lise", "lise", "administrator"),
        "disable": lambda: users.disable_user(store, "lise", "anna"),
        "password": lambda: users.set_password(store, "lise", "anna", "nyhemmelig"),
        "user-list": lambda: require(store, "lise", "user-list"),
        "comment": lambda: save_comment(store, HORSENS, 1, "Delmål", 2024, "Godt", user="lise"),
    }
    for write in cases.values():
        refused(store, write, "'lise' (læser) må ikke", "det kræver rollen")


def test_seed_needs_an_administrator(store, tmp_path):
    with Session(store) as session:
        session.execute(ImportBatch.__table__.update().values(user="x"))
    changed = tmp_path / "seed"
    changed.mkdir()
    from monitoring.seed import SEED_DIR

    for path in SEED_DIR.glob("horsens*.yaml"):
        (changed / path.name).write_text(path.read_text(encoding="utf-8") + "\n# ændret\n")
    refused(store, lambda: load_seed(store, changed, user="per"), "indlæse delaftalerne")
    assert load_seed(store, changed, user="anna").loaded == [HORSENS]


def test_a_projektleder_writes_its_own_plan_only(store):
    refused(
        store,
        lambda: ingest.commit(store, typed(store, SVENDBORG_CELL), user="per"),
        "horsens-bo-trivsel",
        "Aktive Boligområder i Svendborg",
        "intet er gemt",
    )
    # A file with cells inside and outside the plan: the inside ones are saved, the rest named.
    both = typed(store, HORSENS_CELL, SVENDBORG_CELL)
    before = counts(store)
    own = ingest.commit(store, both, user="Per")
    assert own.batch_id is not None and counts(store)[:2] == (before[0] + 1, before[1] + 1)
    assert "1 tal for 1 område(r) uden for helhedsplanerne" in own.message
    assert "Aktive Boligområder i Svendborg" in own.message and "sprunget over" in own.message
    # National benchmarks are shared by every plan.
    assert ingest.commit(store, typed(store, ("Hele landet", HORSENS_CELL[1])), user="per")


def test_a_projektleder_comments_on_its_own_plan_only(store):
    assert save_comment(store, HORSENS, 1, "Delmål", 2024, "Godt år", user="per").author == "per"
    refused(
        store,
        lambda: save_comment(store, SVENDBORG, 1, "Delmål", 2024, "Nej", user="per"),
        "må kun skrive om sine helhedsplaner",
    )


def test_a_projektleder_undoes_only_its_own_imports(store):
    users.add_user(store, "anna", "ole", "projektleder", plans=[HORSENS])
    by_ole = ingest.commit(store, typed(store, HORSENS_CELL), user="ole")
    refused(store, lambda: ingest.undo(store, by_ole.batch_id, user="per"), "egne importer", "ole")
    assert ingest.undo(store, by_ole.batch_id, user="ole").deleted == 1
    by_per = ingest.commit(store, typed(store, HORSENS_CELL, year=2025), user="per")
    assert ingest.undo(store, by_per.batch_id, user="anna").deleted == 1


def test_plans_a_user_sees(store):
    assert visible_plans(store, "anna") is None
    assert visible_plans(store, "lise") == {HORSENS}
    assert visible_plans(store, "karen") == {SVENDBORG}
    with pytest.raises(AccessDenied, match="findes ikke"):
        visible_plans(store, "ukendt")


def test_a_disabled_user_is_refused_and_the_last_administrator_stays(store):
    users.disable_user(store, "anna", "per")
    refused(store, lambda: ingest.commit(store, typed(store, HORSENS_CELL), user="per"), "spærret")
    with pytest.raises(MonitorError, match="eneste aktive administrator"):
        users.set_role(store, "anna", "anna", "læser")
    with pytest.raises(MonitorError, match="eneste aktive administrator"):
        users.disable_user(store, "anna", "anna")
    with pytest.raises(MonitorError, match="findes allerede"):
        users.add_user(store, "anna", "ANNA", "læser")
    with pytest.raises(MonitorError, match="findes ikke"):
        users.add_user(store, "anna", "ny", "læser", plans=["ingen-plan"])


def test_log_in_is_checked_recorded_and_rate_limited(store):
    assert login.log_in(store, "Anna", "hemmeligt").role == "administrator"
    for _ in range(login.MAX_FAILURES):
        with pytest.raises(login.LoginRefused, match="Forkert brugernavn eller adgangskode"):
            login.log_in(store, "per", "forkert")
    with pytest.raises(login.LoginRefused, match="For mange forkerte forsøg"):
        login.log_in(store, "per", "hemmeligt")
    with pytest.raises(login.LoginRefused, match="Forkert brugernavn"):
        login.log_in(store, "ingen", "hemmeligt")
    with pytest.raises(login.LoginRefused, match="Forkert brugernavn"):
        login.log_in(store, "karen", "")  # no password: single sign-on only
    with Session(store) as session:
        failed = session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "login-failed")
        )
    assert failed == login.MAX_FAILURES + 3
    assert login.log_in(store, "lise", "hemmeligt").plans == {HORSENS}


def test_single_sign_on_maps_to_a_local_user_by_email_or_name(store):
    users.add_user(store, "anna", "Bo", "læser", plans=[HORSENS], email="Bo@Example.dk")
    assert login.log_in_sso(store, "bo@example.dk", "Bo Bosen").name == "Bo"
    assert login.log_in_sso(store, None, "lise").name == "lise"
    with pytest.raises(login.LoginRefused, match="har ikke adgang"):
        login.log_in_sso(store, "fremmed@example.dk", "Fremmed")


def test_the_user_list_never_shows_a_password_hash(store):
    listed = users.list_users(store)
    assert [u["name"] for u in listed] == ["anna", "karen", "lise", "per"]
    assert all("hash" not in str(u) and "argon2" not in str(u) for u in listed)


# Reads: every public read function takes the acting user and checks role and scope itself.
def _reads(engine: Engine, plan: str, kommune: str, measure: str) -> dict[str, object]:
    """Each public read of a plan or an area, as a call on behalf of an actor."""
    from monitoring.compare import AreaFilter, alerts, load_alert_inputs, load_comparison
    from monitoring.delaftale.history import plan_history
    from monitoring.present.plan_charts import plan_card_texts, plan_figures
    from monitoring.progress import plan_progress
    from monitoring.report.comments import plan_comments
    from monitoring.report.content import load_content
    from monitoring.show import store_snapshot

    by_plan, by_kommune = AreaFilter(plan=plan), AreaFilter(kommune=kommune)
    return {
        "store_snapshot": lambda a: store_snapshot(engine, plan, actor=a),
        "plan_progress": lambda a: plan_progress(engine, plan, actor=a),
        "load_content": lambda a: load_content(engine, plan, actor=a),
        "plan_figures": lambda a: plan_figures(engine, plan, None, actor=a),
        "plan_card_texts": lambda a: plan_card_texts(engine, plan, None, actor=a),
        "load_comparison plan": lambda a: load_comparison(engine, measure, by_plan, actor=a),
        "load_comparison kommune": lambda a: load_comparison(engine, measure, by_kommune, actor=a),
        "load_alert_inputs": lambda a: load_alert_inputs(engine, by_plan, actor=a),
        "alerts": lambda a: alerts(engine, by_kommune, actor=a),
        "plan_comments": lambda a: plan_comments(engine, plan, 2024, actor=a),
        "plan_history": lambda a: plan_history(engine, plan, actor=a),
    }


READS = list(_reads(None, "", "", ""))  # type: ignore[arg-type]


@pytest.mark.parametrize("read", READS)
def test_a_reader_reading_another_plan_is_refused_by_the_read_itself(store, read):
    """lise reads Horsens, karen Svendborg's kommune: each read of Svendborg refuses lise."""
    from monitoring.access.actor import Actor, actor_of

    svendborg = _reads(store, SVENDBORG, "Svendborg", SVENDBORG_CELL[1])[read]
    with Session(store) as session:
        lise = actor_of(session, "lise")
    refused(store, lambda: svendborg(lise), "lise")
    # an Actor made up by the caller counts as the stored user of that name, no more
    refused(store, lambda: svendborg(Actor(name="lise", role="administrator")), "lise")
    refused(store, lambda: svendborg("ukendt"), "findes ikke")
    assert svendborg("karen") is not None
    assert svendborg("anna") is not None
    users.disable_user(store, "anna", "karen")
    refused(store, lambda: svendborg("karen"), "spærret")


def test_listings_show_only_the_plans_in_scope(store):
    from monitoring.compare import filter_options
    from monitoring.progress import all_plans_progress
    from monitoring.show import store_snapshot

    every = {p["slug"]: p["kommune"] for p in store_snapshot(store, actor="anna")["plans"]}
    in_svendborg = {slug for slug, kommune in every.items() if "Svendborg" in kommune}
    users.add_user(store, "anna", "kim", "koordinationsudvalg", kommuner=["Svendborg", "Horsens"])
    in_both = {
        slug for slug, kommune in every.items() if "Svendborg" in kommune or "Horsens" in kommune
    }
    assert len(every) > len(in_both) > len(in_svendborg) >= 1
    for user, expected in [("karen", in_svendborg), ("kim", in_both), ("lise", {HORSENS})]:
        assert {p["slug"] for p in store_snapshot(store, actor=user)["plans"]} == expected
        assert {p["slug"] for p in all_plans_progress(store, actor=user)} == expected
        assert {p["slug"] for p in filter_options(store, actor=user)["plans"]} == expected
    assert {p["slug"] for p in all_plans_progress(store, actor="anna")} == set(every)
    # a koordinationsudvalg compares within its kommuner, not beside them
    reads = _reads(store, HORSENS, "Horsens", HORSENS_CELL[1])
    refused(store, lambda: reads["load_comparison kommune"]("karen"), "karen")
    assert reads["load_comparison kommune"]("kim").observations is not None
    with pytest.raises(MonitorError, match="findes ikke"):
        store_snapshot(store, "ingen-plan", actor="anna")
    refused(store, lambda: store_snapshot(store, "ingen-plan", actor="lise"), "ingen-plan")


def test_open_mode_reads_everything_under_any_name(engine):
    from monitoring.show import store_snapshot

    load_seed(engine)
    plans = store_snapshot(engine, actor="hvem-som-helst")["plans"]
    assert len(plans) == len(store_snapshot(engine, actor="en-anden")["plans"]) > 1
    assert counts(engine)[2] == 0
