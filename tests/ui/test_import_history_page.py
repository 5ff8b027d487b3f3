"""The upload page's Importhistorik lists what the signed-in user may see (issue 15), on both
databases: projektleder per not the Svendborg imports, Bo not Horsens', the administrator all."""

from __future__ import annotations

import pytest

from tests.test_import_history import FILES, with_imports
from tests.ui.test_login import log_in

PAGE = "app_pages/upload.py"


@pytest.mark.parametrize(
    ("user", "listed"),
    [
        ("per", ["horsens.csv"]),
        ("Bo", ["svendborg-rettet.csv", "svendborg.csv"]),
        ("anna", ["svendborg-rettet.csv", "svendborg.csv", "horsens.csv"]),
    ],
)
def test_the_history_lists_only_what_the_user_may_see(run_page, engine, tmp_path, user, listed):
    with_imports(engine, tmp_path)
    at = run_page(PAGE, engine.url.render_as_string(hide_password=False))
    log_in(at, user, "hemmeligt").switch_page(PAGE).run()
    assert not at.exception
    assert "Importhistorik" in [s.value for s in at.subheader]
    assert list(at.dataframe[-1].value["Fil"]) == listed
    offered = [
        o.split(": ", 1)[1].rsplit(" (", 1)[0] for o in at.selectbox(key="undo_choice").options
    ]
    assert offered == [name for name in listed if user.casefold() in ("anna", FILES[name][0])]
