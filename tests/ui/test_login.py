"""Log-in on the pages: with users in the store, every page shows only the log-in until someone
logs in; then each sees its own plans, and the history records the signed-in user."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import Engine

from monitoring import ingest
from monitoring.access import login, users
from monitoring.demo import generate_demo, load_demo
from monitoring.lbf import MAX_FILE_MB
from monitoring.present.plaintext import markdown_text
from monitoring.show import store_snapshot
from tests.ui.test_store_refusal import PAGES as STORE_PAGES

PAGES = [*STORE_PAGES, "app_pages/brugere.py"]
HORSENS = "horsens-bo-trivsel"


@pytest.fixture
def guarded(store: tuple[str, Engine]) -> tuple[str, Engine]:
    url, engine = store
    users.add_user(engine, "opsætning", "anna", "administrator", password="hemmeligt")
    users.add_user(engine, "anna", "lise", "læser", plans=[HORSENS], password="hemmeligt")
    users.add_user(engine, "anna", "per", "projektleder", plans=[HORSENS], password="hemmeligt")
    return url, engine


def shows_only_the_log_in(at) -> bool:
    return (
        [t.value for t in at.title] == ["Log ind"]
        and not at.dataframe
        and not at.subheader
        and len(at.text_input) == 2
    )


def log_in(at, name: str, password: str):
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    return at.button[0].click().run()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_only_the_log_in(run_page, guarded, page):
    at = run_page(page, guarded[0])
    assert not at.exception
    assert shows_only_the_log_in(at)


def test_wrong_password_is_refused_and_a_reader_sees_its_own_plan(run_page, guarded):
    at = run_page("app_pages/overblik.py", guarded[0])
    at = log_in(at, "lise", "forkert")
    assert [e.value for e in at.error] == [markdown_text(login.WRONG)]
    assert shows_only_the_log_in(at)
    at = log_in(at, "lise", "hemmeligt")
    assert not at.exception
    assert [t.value for t in at.title] == ["Overblik"]
    assert [s.value for s in at.subheader] == ["Bo Trivsel"]  # Horsens only
    assert any("Logget ind som **lise** (læser)" in c.value for c in at.sidebar.caption)
    # A link to another plan shows the reader's own plan instead.
    at.query_params["plan"] = "svendborg-aktive-boligomraader"
    at.switch_page("app_pages/helhedsplan.py").run()
    assert [t.value for t in at.title] == ["Bo Trivsel"]
    # The upload and user pages are not even registered for a reader.
    for page in ("app_pages/upload.py", "app_pages/brugere.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)


def test_the_history_records_the_signed_in_user(run_page, guarded, tmp_path):
    url, engine = guarded
    at = run_page("app_pages/upload.py", url)
    at = log_in(at, "Per", "hemmeligt")
    at.switch_page("app_pages/upload.py").run()
    assert [t.value for t in at.title] == ["Upload data"]
    assert not [t for t in at.text_input if "navn" in t.label.casefold()]
    assert any("Du gemmer som **per**" in c.value for c in at.caption)
    at.session_state["upload_tab"] = "Indtast tal"
    at.run()
    assert at.selectbox(key="entry_plan").options == ["Bo Trivsel"]  # its own plan only
    editor = at.data_editor[0]
    row = list(editor.value["Enhed"]).index("antal")
    at.session_state[editor.key] = {
        "edited_rows": {row: {"2024": "14"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    next(b for b in at.button if b.label == "Gem indtastede tal").click().run()
    assert not at.exception
    assert [(b["user"], b["new"]) for b in ingest.history(engine, actor="anna")] == [("per", 1)]


def test_an_expired_session_logs_out(run_page, guarded):
    at = run_page("app_pages/overblik.py", guarded[0])
    at = log_in(at, "anna", "hemmeligt")
    assert [t.value for t in at.title] == ["Overblik"]
    at.session_state["signed_in"]["seen"] = time.time() - 24 * 3600
    at.run()
    assert shows_only_the_log_in(at)
    assert any("sessionen udløb" in i.value for i in at.info)


def test_a_disabled_user_is_logged_out_at_its_next_click(run_page, guarded):
    url, engine = guarded
    at = run_page("app_pages/overblik.py", url)
    at = log_in(at, "lise", "hemmeligt")
    users.disable_user(engine, "anna", "lise")
    at.run()
    assert shows_only_the_log_in(at)


def test_a_fresh_store_opens_without_log_in_and_creates_the_first_administrator(run_page, store):
    url, engine = store
    at = run_page("app_pages/overblik.py", url)
    assert [t.value for t in at.title] == ["Overblik"]
    assert any("Åben tilstand" in c.value for c in at.sidebar.caption)
    at.switch_page("app_pages/brugere.py").run()
    name, password, again = at.text_input
    name.input("anna")
    password.input("hemmeligt")
    again.input("hemmeligt")
    at = at.button[0].click().run()
    assert not at.exception
    assert any("Logget ind som **anna** (administrator)" in c.value for c in at.sidebar.caption)
    assert [u["name"] for u in users.list_users(engine)] == ["anna"]


def test_the_upload_size_limit_holds_on_the_page(run_page, guarded):
    url, engine = guarded
    at = log_in(run_page("app_pages/upload.py", url), "per", "hemmeligt")
    at.switch_page("app_pages/upload.py").run()
    too_big = b"Omr\xc3\xa5de;\xc3\x85r\n" + b" " * (MAX_FILE_MB * 1024 * 1024 + 1)
    at.file_uploader[0].upload("stor.csv", too_big).run()
    assert not at.exception
    assert any(f"grænsen er {MAX_FILE_MB} MB" in str(d.value) for d in at.dataframe)
    assert not [b for b in at.button if b.label == "Gem i databasen"]
    assert ingest.history(engine, actor="anna") == []


SSO = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "test",
        "client_id": "test",
        "client_secret": "test",
        "server_metadata_url": "https://login.example.dk/.well-known/openid-configuration",
    }
}


def test_single_sign_on_maps_the_identity_to_a_local_user(monkeypatch, guarded):
    from streamlit.testing.v1 import AppTest

    from tests.ui.conftest import APP

    url, engine = guarded
    users.add_user(engine, "anna", "Bo", "læser", plans=[HORSENS], email="bo@example.dk")
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets.update(SSO)
    at.run()
    assert shows_only_the_log_in(at)
    assert [b.label for b in at.button][-1].startswith("Log ind med fælles log-in")
    at.user = {"is_logged_in": True, "email": "Bo@Example.dk", "name": "Bo Bosen"}
    at.run()
    assert [t.value for t in at.title] == ["Overblik"]
    assert any("Logget ind som **Bo** (læser)" in c.value for c in at.sidebar.caption)


def test_single_sign_on_without_a_local_user_is_refused(monkeypatch, guarded):
    from streamlit.testing.v1 import AppTest

    from tests.ui.conftest import APP

    monkeypatch.setenv("DATABASE_URL", guarded[0])
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets.update(SSO)
    at.user = {"is_logged_in": True, "email": "fremmed@example.dk", "name": "Fremmed"}
    at.run()
    assert not at.exception
    assert shows_only_the_log_in(at)
    assert any("har ikke adgang" in i.value for i in at.info)


def test_comparisons_stay_within_the_users_plans_and_kommuner(run_page, guarded):
    url, engine = guarded
    load_demo(engine, generate_demo(store_snapshot(engine, actor="anna")), user="anna")
    users.add_user(engine, "anna", "kim", "koordinationsudvalg", kommuner=["Horsens"],
                   password="hemmeligt")  # fmt: skip
    at = log_in(run_page("app_pages/overblik.py", url), "lise", "hemmeligt")
    at.switch_page("app_pages/sammenlign.py").run()
    assert not at.exception and not at.error
    assert at.selectbox(key="plan").options == ["Bo Trivsel"]  # no "Alle", no other plan
    assert at.selectbox(key="kommune").options == ["Alle"]
    assert at.selectbox(key="plan").value == HORSENS
    svendborg = area_id(engine, "Svendborg Kommune")
    at.query_params["area"] = str(svendborg)  # a link to an area outside the plan shows nothing
    at.run()
    assert not at.exception
    assert not [s for s in at.subheader if "Svendborg" in s.value]

    at = log_in(run_page("app_pages/overblik.py", url), "kim", "hemmeligt")
    at.switch_page("app_pages/sammenlign.py").run()
    assert not at.exception and not at.error
    assert at.selectbox(key="kommune").options == ["Horsens Kommune"]


def area_id(engine: Engine, name: str) -> int:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from monitoring.store.models import Area

    with Session(engine) as session:
        return session.scalar(select(Area.id).where(Area.name == name))


def test_a_comparison_outside_the_scope_is_refused_in_danish(guarded):
    from monitoring.access.actor import AccessDenied, Actor
    from monitoring.access.scope import comparison_scope, require_comparison_in_scope

    _url, engine = guarded
    kim = Actor(name="kim", role="koordinationsudvalg", kommuner=frozenset({"Horsens"}))
    scope = comparison_scope(engine, kim, ["Horsens Kommune", "Svendborg Kommune"])
    assert scope.kommuner == ["Horsens Kommune"]
    require_comparison_in_scope(kim, scope, "Horsens Kommune", None)
    with pytest.raises(AccessDenied, match="må kun sammenligne"):
        require_comparison_in_scope(kim, scope, "Svendborg Kommune", None)
    with pytest.raises(AccessDenied):
        require_comparison_in_scope(kim, scope, None, None)  # "Alle" kommuner
    anna = Actor(name="anna", role="administrator")
    require_comparison_in_scope(anna, comparison_scope(engine, anna, []), None, None)
