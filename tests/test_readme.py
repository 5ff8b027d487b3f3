"""The README is part of the contract: every command and every show/progress JSON field is documented."""

import argparse
import json
import re
from pathlib import Path

from monitoring.cli import build_parser
from monitoring.progress import plan_progress
from monitoring.show import store_snapshot
from monitoring.store.db import get_engine

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(actions[0].choices)


def _keys(value, found=None) -> set[str]:
    found = set() if found is None else found
    if isinstance(value, dict):
        for key, inner in value.items():
            found.add(key)
            _keys(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _keys(inner, found)
    return found


def test_readme_documents_every_command():
    for command in _commands():
        assert f"python -m monitoring {command}" in README or f"`{command}" in README, command


def test_readme_documents_every_show_json_field(seeded_url):
    snapshot = store_snapshot(get_engine(seeded_url), actor="test")
    missing = [k for k in _keys(snapshot) if not re.search(rf'"{re.escape(k)}"', README)]
    assert missing == []


def test_readme_documents_every_progress_json_field(seeded_url):
    result = plan_progress(get_engine(seeded_url), "guldborgsund-mit-liv", actor="test")
    documented = README.split("## progress --json", 1)[1]
    missing = [k for k in _keys(json.loads(json.dumps(result))) if k not in documented]
    assert missing == []


def test_readme_screenshot_exists():
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (Path(__file__).resolve().parents[1] / image).exists(), image
