"""Where the app listens (issue 16, item 9): only this machine unless the user asks otherwise."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tomllib
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.ui.browser import PROJECT, streamlit_server


def listening_addresses(port: int) -> set[str]:
    """The local addresses with a listening TCP socket on `port` (Linux /proc/net)."""
    found = set()
    for table in ("tcp", "tcp6"):
        path = Path("/proc/net") / table
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                raw = bytes.fromhex(address)
                if table == "tcp":
                    found.add(socket.inet_ntop(socket.AF_INET, raw[::-1]))
                else:
                    words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
                    found.add(socket.inet_ntop(socket.AF_INET6, words))
    return found


def make_run(*variables: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    done = subprocess.run(
        ["make", "-n", "run", *variables], cwd=PROJECT, capture_output=True, text=True, check=True
    )
    return next(line for line in done.stdout.splitlines() if "streamlit run" in line)


def test_make_run_serves_this_machine_unless_asked():
    assert "--server.address 127.0.0.1 " in make_run()
    assert "--server.address 0.0.0.0 " in make_run("ADDRESS=0.0.0.0")


def test_streamlit_config_binds_to_localhost():
    config = tomllib.loads((PROJECT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"


def test_a_started_app_listens_on_localhost_only(tmp_path):
    if not Path("/proc/net/tcp").exists():
        pytest.skip("needs Linux /proc/net/tcp to see the listening socket")
    # Started as `streamlit run app.py` without an address: .streamlit/config.toml decides.
    with streamlit_server(f"sqlite:///{tmp_path / 'monitor.db'}") as base:
        port = urlparse(base).port
        assert listening_addresses(port) == {"127.0.0.1"}
