"""The command line: `python -m monitoring COMMAND`. Every failure is one Danish sentence and exit 1."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from monitoring.db import create_schema, drop_schema, get_engine, schema_exists
from monitoring.demo import demo_active, has_real_observations, load_demo, read_demo_file
from monitoring.errors import MonitorError
from monitoring.seed import load_seed
from monitoring.show import store_snapshot


class DanishArgumentParser(argparse.ArgumentParser):
    """argparse with its complaints in Danish and no usage dump: one sentence, exit 2."""

    def error(self, message: str) -> NoReturn:
        translations = {
            "unrecognized arguments": "ukendte tilvalg",
            "the following arguments are required": "disse argumenter mangler",
            "invalid choice": "ugyldigt valg",
            "expected one argument": "forventer en værdi",
            "invalid int value": "ugyldigt heltal",
            "argument": "argument",
        }
        for english, danish in translations.items():
            message = message.replace(english, danish)
        self.exit(2, f"Fejl: {message}. Se 'python -m monitoring --help'.\n")


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def open_store(url: str | None) -> Engine:
    """An engine on an existing store; a missing schema is an error that says to run init."""
    engine = get_engine(url)
    if not schema_exists(engine):
        raise MonitorError(
            "Databasen er tom. Kør først 'python -m monitoring init' (med samme --db)."
        )
    return engine


def cmd_init(args: argparse.Namespace) -> int:
    engine = get_engine(args.db)
    if args.force:
        create_schema(engine)
        drop_schema(engine)
    create_schema(engine)
    report = load_seed(engine)
    for conflict in report.conflicts:
        print(f"Advarsel: {conflict}", file=sys.stderr)
    print(
        f"Databasen er klar: {len(report.loaded)} helhedsplaner indlæst, "
        f"{len(report.unchanged)} uændrede."
    )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    snapshot = store_snapshot(open_store(args.db), args.plan)
    if args.json:
        print_json(snapshot)
        return 0
    for plan in snapshot["plans"]:
        count = sum(len(s["indicators"]) for a in plan["agreements"] for s in a["subgoals"])
        print(f"{plan['slug']}: {plan['name']} ({plan['kommune']}), {count} indikatorer")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    engine = open_store(args.db)
    if args.if_empty and (has_real_observations(engine) or demo_active(engine)):
        print("Databasen har allerede tal ud over baselines; demodata indlæses ikke.")
        return 0
    added = load_demo(engine, read_demo_file())
    print(f"Demodata indlæst: {added} opdigtede observationer (markeret som demo).")
    return 0


def _status_year(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        raise MonitorError(f"'{text}' er ikke et årstal; skriv fx --year 2023.") from None


def cmd_progress(args: argparse.Namespace) -> int:
    import datetime as dt

    from monitoring.fmt import format_date, format_percent
    from monitoring.progress import plan_progress

    year = _status_year(args.year)
    result = plan_progress(open_store(args.db), args.plan, year)
    if args.json:
        print_json(result)
        return 0
    print(f"{result['plan']} – status for {result['year']}")
    period = result["period"]
    if period["start"] and period["end"]:
        start, end = (dt.date.fromisoformat(period[k]) for k in ("start", "end"))
        print(
            f"Aftaleperiode: {format_date(start)} – {format_date(end)} "
            f"({format_percent(result['elapsed_share'])} gået ved udgangen af {result['year']})"
        )
    for number, subgoal in enumerate(result["subgoals"], start=1):
        print(f"\nDelmål {number}: {subgoal['text']}")
        print(f"  {subgoal['summary']}")
        for indicator in subgoal["indicators"]:
            print(f"  - {indicator['name']} [{indicator['status']}]")
            print(f"    {indicator['sentence']}")
    return 0


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", metavar="URL", help="databaseadresse (ellers DATABASE_URL eller data/monitor.db)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = DanishArgumentParser(
        prog="python -m monitoring", description="Indikatormonitor på kommandolinjen."
    )
    commands = parser.add_subparsers(
        dest="command", required=True, parser_class=DanishArgumentParser
    )

    init = commands.add_parser("init", help="opret databasen og indlæs delaftalerne fra data/seed")
    _add_db(init)
    init.add_argument("--force", action="store_true", help="slet og genopbyg hele databasen")
    init.set_defaults(handler=cmd_init)

    show = commands.add_parser("show", help="vis hele databasen")
    _add_db(show)
    show.add_argument("--json", action="store_true", help="som JSON (se README)")
    show.add_argument("--plan", metavar="SLUG", help="kun denne helhedsplan")
    show.set_defaults(handler=cmd_show)

    demo = commands.add_parser("demo", help="indlæs det syntetiske demosæt (data/samples)")
    _add_db(demo)
    demo.add_argument(
        "--if-empty", action="store_true", help="kun hvis der ikke er tal ud over baselines"
    )
    demo.set_defaults(handler=cmd_demo)

    progress = commands.add_parser(
        "progress", help="fremdrift for én helhedsplan: status og en sætning pr. indikator"
    )
    _add_db(progress)
    progress.add_argument("--plan", metavar="SLUG", required=True, help="helhedsplanen")
    progress.add_argument("--year", metavar="ÅÅÅÅ", help="statusår (ellers seneste år med tal)")
    progress.add_argument("--json", action="store_true", help="som JSON (se README)")
    progress.set_defaults(handler=cmd_progress)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except MonitorError as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        first_line = str(exc).strip().splitlines()[0]
        print(f"Fejl: databasen svarede med en fejl: {first_line}", file=sys.stderr)
        return 1
