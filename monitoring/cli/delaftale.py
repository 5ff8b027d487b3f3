"""`python -m monitoring import-delaftale FILE [--json] [--save] [--slug SLUG] [--db URL]`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable


def cmd_import_delaftale(args: argparse.Namespace) -> int:
    from monitoring.access.actor import acting_user
    from monitoring.cli.commands import _read_input_file, open_store, print_json
    from monitoring.delaftale.extract import read_delaftale
    from monitoring.delaftale.store import matching_slug, preview, save

    data, name = _read_input_file(args.file)
    extraction = read_delaftale(data, name)
    content = extraction.content
    result = None
    if args.save:
        engine = open_store(args.db)
        content["slug"] = args.slug or matching_slug(engine, content) or content["slug"]
        result = save(engine, content, user=acting_user(args.user), source=name, data=data)
    elif args.slug:
        content["slug"] = args.slug
    if args.json:
        print_json({"plans": [preview(content)], "warnings": extraction.warnings})
    else:
        plan = preview(content)
        count = sum(len(s["indicators"]) for a in plan["agreements"] for s in a["subgoals"])
        print(f"{plan['name']} ({plan['kommune']}): {count} indikatorer læst.")
    for warning in extraction.warnings if not args.json else []:
        print(f"Advarsel: {warning}", file=sys.stderr)
    if result is not None:
        print(result.message, file=sys.stderr if args.json else sys.stdout)
    return 0


def add_parser(commands: argparse._SubParsersAction, add_db: Callable) -> None:
    parser = commands.add_parser(
        "import-delaftale", help="læs en delaftale (.docx eller tekst) og vis eller gem planen"
    )
    parser.add_argument("file", metavar="FIL", help="delaftalen (.docx, .txt eller .md)")
    add_db(parser)
    parser.add_argument("--json", action="store_true", help="planen som i show --json")
    parser.add_argument(
        "--save",
        action="store_true",
        help="gem planen (ny, eller ny udgave af planen med samme slug)",
    )
    parser.add_argument("--slug", metavar="SLUG", help="planens slug (ellers fundet eller dannet)")
    parser.add_argument("--user", metavar="NAVN", help="hvem der gemmer (ellers brugernavnet)")
    parser.set_defaults(handler=cmd_import_delaftale)
