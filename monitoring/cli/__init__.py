"""The command line (`python -m monitoring`, `indikatormonitor`): argument parsing and JSON output.
May import everything in `monitoring`; nothing in `monitoring` imports it."""

from monitoring.cli.commands import build_parser, main

__all__ = ["build_parser", "main"]
