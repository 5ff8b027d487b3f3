"""Faults beyond tests/test_faults.py: the administration commands and the pages on an
unreachable server, and the upload size limit on the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from monitoring.cli import main
from tests.ui.conftest import APP

UNREACHABLE = "postgresql+psycopg://monitor@127.0.0.1:9/ingen_test"  # nobody listens on port 9
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "lbf_omraadeliste_2023.csv"


@pytest.mark.parametrize(
    "command",
    [["user", "list"], ["user", "add", "anna", "--role", "administrator"], ["backup", "x.zip"]],
)
def test_administration_on_an_unreachable_server_is_one_danish_sentence(capsys, command):
    assert main([*command, "--db", UNREACHABLE]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Fejl: Kan ikke forbinde til databasen") and "Traceback" not in err


def test_the_pages_on_an_unreachable_server_say_so_in_danish(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", UNREACHABLE)
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert next(e.value for e in at.error).startswith("Kan ikke forbinde til databasen")


def test_a_file_over_the_size_limit_is_refused_on_the_command_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'monitor.db'}"
    assert main(["init", "--db", url]) == 0
    big = tmp_path / "stor.csv"
    big.write_bytes(SAMPLE.read_bytes() + b" " * (1024 * 1024))
    command = [sys.executable, "-m", "monitoring", "import-lbf", str(big), "--db", url]
    done = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "LBF_MAX_FILE_MB": "1"}
    )
    assert done.returncode == 1 and "grænsen er 1 MB" in done.stderr, done.stderr
    assert (
        "Fejl: Filen stor.csv kan ikke importeres" in done.stderr and "Traceback" not in done.stderr
    )
