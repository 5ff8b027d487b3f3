"""The command line: `python -m monitoring COMMAND`. Every failure is one Danish sentence and exit 1."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from monitoring.cli.admin import add_backup_commands, add_user_commands, add_user_option
from monitoring.cli.delaftale import add_parser as add_import_delaftale
from monitoring.errors import MonitorError, os_error_text, readable

if TYPE_CHECKING:
    from sqlalchemy import Engine

# Each command imports what it uses inside its handler: a command pays only for its own modules
# (`import-lbf` never loads the report, chart, demo or migration machinery; tests/test_cli_imports.py).

MAX_ID = 2**31 - 1  # the largest id an INTEGER column holds on both databases
PATH_ARGUMENTS = ("file", "db", "out")


class DanishArgumentParser(argparse.ArgumentParser):
    """argparse with its complaints in Danish and no usage dump: one sentence, exit 2."""

    def error(self, message: str) -> NoReturn:
        translations = {
            "unrecognized arguments": "ukendte tilvalg",
            "the following arguments are required": "disse argumenter mangler",
            "invalid choice": "ugyldigt valg",
            "choose from": "vælg mellem",
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
    """An engine on a store at the newest schema; an empty or older one is an error naming init."""
    from monitoring.store.db import get_engine, require_current_store

    engine = get_engine(url)
    require_current_store(engine)
    return engine


def cmd_init(args: argparse.Namespace) -> int:
    from monitoring.access.actor import acting_user
    from monitoring.seed import load_seed
    from monitoring.store.db import create_schema, drop_schema, get_engine

    engine = get_engine(args.db)
    if args.force:
        drop_schema(engine)
    if create_schema(engine) == "outdated":
        print("Databasen er opgraderet til den nyeste opbygning; tallene er bevaret.")
    report = load_seed(engine, user=acting_user(args.user))
    for conflict in report.conflicts:
        print(f"Advarsel: {conflict}", file=sys.stderr)
    print(
        f"Databasen er klar: {len(report.loaded)} helhedsplaner indlæst, "
        f"{len(report.unchanged)} uændrede."
    )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from monitoring.access.actor import acting_user
    from monitoring.show import store_snapshot

    engine = open_store(args.db)
    snapshot = store_snapshot(engine, args.plan, actor=acting_user(args.user))
    if args.json:
        print_json(snapshot)
        return 0
    for plan in snapshot["plans"]:
        count = sum(len(s["indicators"]) for a in plan["agreements"] for s in a["subgoals"])
        print(f"{plan['slug']}: {plan['name']} ({plan['kommune']}), {count} indikatorer")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from monitoring.access.actor import acting_user
    from monitoring.demo import (
        demo_active,
        demo_was_removed,
        has_real_observations,
        load_demo,
        read_demo_file,
    )

    engine = open_store(args.db)
    if args.if_empty and (has_real_observations(engine) or demo_active(engine)):
        print("Databasen har allerede tal ud over baselines; demodata indlæses ikke.")
        return 0
    if args.if_empty and demo_was_removed(engine):
        print(
            "Demodata er fjernet tidligere og indlæses ikke igen (det gør 'demo' uden --if-empty)."
        )
        return 0
    added = load_demo(engine, read_demo_file(), user=acting_user(args.user))
    print(f"Demodata indlæst: {added} opdigtede observationer (markeret som demo).")
    return 0


def cmd_remove_demo(args: argparse.Namespace) -> int:
    from monitoring import ingest
    from monitoring.access.actor import acting_user

    print(ingest.remove_demo(open_store(args.db), user=acting_user(args.user)).message)
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

    from monitoring.access.actor import acting_user
    from monitoring.fmt import format_percent, format_period
    from monitoring.progress import plan_progress

    year = _status_year(args.year)
    engine = open_store(args.db)
    result = plan_progress(engine, args.plan, year, actor=acting_user(args.user))
    if args.json:
        print_json(result)
        return 0
    print(f"{result['plan']} – status for {result['year']}")
    period = result["period"]
    if period["start"] and period["end"]:
        start, end = (dt.date.fromisoformat(period[k]) for k in ("start", "end"))
        print(
            f"Aftaleperiode: {format_period(start, end)} "
            f"({format_percent(result['elapsed_share'])} gået ved udgangen af {result['year']})"
        )
    for number, subgoal in enumerate(result["subgoals"], start=1):
        print(f"\nDelmål {number}: {subgoal['text']}")
        print(f"  {subgoal['summary']}")
        for indicator in subgoal["indicators"]:
            print(f"  - {indicator['name']} [{indicator['status']}]")
            print(f"    {indicator['sentence']}")
    return 0


def _read_input_file(path_text: str) -> tuple[bytes, str]:
    """The file's bytes and its name as people read it (also when the name is not UTF-8)."""
    from pathlib import Path

    path = Path(path_text)
    shown = readable(path_text)
    if path.is_dir():
        raise MonitorError(
            f"'{shown}' er en mappe, ikke en fil. Angiv stien til selve regnearket (.xlsx eller .csv)."
        )
    if not path.is_file():
        raise MonitorError(f"Filen '{shown}' findes ikke. Tjek stien og prøv igen.")
    try:
        return path.read_bytes(), readable(path.name)
    except OSError as exc:
        raise MonitorError(f"Filen '{shown}' kan ikke læses: {os_error_text(exc)}.") from exc


def _map_options(items: Sequence[str] | None) -> dict[str, str | None]:
    mapping: dict[str, str | None] = {}
    for item in items or []:
        text, sep, key = item.rpartition("=")
        if not sep or not text.strip():
            raise MonitorError(
                f"--map '{item}' skal skrives som \"KOLONNE- ELLER RÆKKETEKST=målnøgle\" "
                "(tom målnøgle: importér ikke)."
            )
        mapping[text.strip()] = key.strip() or None
    return mapping


def _area_options(items: Sequence[str] | None) -> tuple[str | None, dict[str, str]]:
    """`--area AREA` (for sheets that name no area) and `--area "SHEET=AREA"` / "TEXT=AREA"."""
    plain: list[str] = []
    chosen: dict[str, str] = {}
    for item in items or []:
        key, sep, area = item.rpartition("=")
        if not sep:
            if item.strip():
                plain.append(item.strip())
            continue
        if not key.strip():
            raise MonitorError(
                f'--area \'{item}\' skal skrives som "OMRÅDE", "ARK=OMRÅDE" eller '
                '"TEKST I FILEN=OMRÅDE" (tomt OMRÅDE: opret teksten som nyt område).'
            )
        chosen[key.strip()] = area.strip()
    if len(plain) > 1:
        raise MonitorError(
            "--area uden ARK= kan kun gives én gang (det gælder ark, der ikke selv nævner et "
            'område); brug --area "ARK=OMRÅDE" for hvert ark.'
        )
    return (plain[0] if plain else None), chosen


def cmd_import_lbf(args: argparse.Namespace) -> int:
    from monitoring.lbf import read_table

    if args.year is not None and not 1980 <= args.year <= 2100:
        raise MonitorError(f"--year {args.year} er ikke et årstal mellem 1980 og 2100.")
    data, name = _read_input_file(args.file)
    area, area_map = _area_options(args.area)
    mapping = _map_options(args.map)
    # The file is read (ingest.read_upload's first step) before the store's libraries are loaded:
    # they then fill the memory the spreadsheet's cells leave behind instead of adding to it.
    table = read_table(data, name, year=args.year, area=area)
    del data
    from monitoring import ingest
    from monitoring.access.actor import acting_user

    engine = open_store(args.db)
    upload = ingest.resolve(engine, table, mapping=mapping, area_map=area_map)
    changes = (
        None if upload.blocking else ingest.preview(engine, upload, actor=acting_user(args.user))
    )
    result = None
    if changes is not None and not args.dry_run:
        result = ingest.commit(engine, upload, user=acting_user(args.user))
    report = ingest.report(upload, changes, result, dry_run=args.dry_run, summary=args.json)
    if args.json:
        print_json(report)
    elif upload.blocking:
        print("\n".join(ingest.report_lines(report)), file=sys.stderr)
    else:
        print("\n".join(ingest.report_lines(report)))
    return 1 if upload.blocking else 0


def cmd_undo_import(args: argparse.Namespace) -> int:
    from monitoring import ingest
    from monitoring.access.actor import acting_user

    if not 1 <= args.batch_id <= MAX_ID:
        raise MonitorError(f"Import #{args.batch_id} findes ikke. Se listen med 'imports'.")
    result = ingest.undo(open_store(args.db), args.batch_id, user=acting_user(args.user))
    print(result.message)
    return 0


def cmd_imports(args: argparse.Namespace) -> int:
    from monitoring import ingest
    from monitoring.access.actor import acting_user

    batches = ingest.history(open_store(args.db), actor=acting_user(args.user))
    if args.json:
        print_json({"imports": batches})
        return 0
    if not batches:
        print("Ingen importer endnu.")
    for line in ingest.history_lines(batches):
        print(line)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from monitoring.access.actor import acting_user
    from monitoring.report.content import load_content
    from monitoring.report.output import write_report

    engine = open_store(args.db)
    year = _status_year(args.year)
    content = load_content(engine, args.plan, year, actor=acting_user(args.user))
    write_report(content, args.format, Path(args.out))
    print(
        f"Årsstatus {content.year} for {content.plan['name']} er gemt som "
        f"{readable(args.out)} ({args.format})."
    )
    return 0


def _threshold(option: str, text: str | None, default: float) -> float:
    """A threshold typed as people do ("2,5" or "2.5"); one Danish sentence when it is not usable."""
    if text is None:
        return default
    cleaned = text.strip().replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise MonitorError(
            f"Tærsklen {option} skal være et tal, fx {option} 2,5 (fik '{text}')."
        ) from None
    if not math.isfinite(value) or value < 0:
        raise MonitorError(f"Tærsklen {option} skal være 0 eller mere (fik '{text}').")
    return value


def cmd_alerts(args: argparse.Namespace) -> int:
    from monitoring.access.actor import acting_user
    from monitoring.compare import AreaFilter, Thresholds, alerts, alerts_json
    from monitoring.fmt import format_value
    from monitoring.present.compare_tables import format_change_in

    defaults = Thresholds()
    thresholds = Thresholds(
        pct_points_1y=_threshold("--pp-1y", args.pp_1y, defaults.pct_points_1y),
        pct_points_3y=_threshold("--pp-3y", args.pp_3y, defaults.pct_points_3y),
        relative_pct_1y=_threshold("--rel-1y", args.rel_1y, defaults.relative_pct_1y),
        relative_pct_3y=_threshold("--rel-3y", args.rel_3y, defaults.relative_pct_3y),
    )
    year = _status_year(args.year)
    filters = AreaFilter(
        kommune=args.kommune,
        plan=args.plan,
        kinds=tuple(args.kind) if args.kind else AreaFilter().kinds,
        search=args.search,
    )
    engine = open_store(args.db)
    found = alerts(engine, filters, args.measure, thresholds, year, actor=acting_user(args.user))
    if args.json:
        print_json(
            {
                "year": year,
                "filters": {
                    "measure": args.measure,
                    "kommune": args.kommune,
                    "plan": args.plan,
                    "kinds": list(filters.kinds),
                    "search": args.search,
                },
                "thresholds": {
                    "pct_points_1y": thresholds.pct_points_1y,
                    "pct_points_3y": thresholds.pct_points_3y,
                    "relative_pct_1y": thresholds.relative_pct_1y,
                    "relative_pct_3y": thresholds.relative_pct_3y,
                },
                "count": len(found),
                "alerts": alerts_json(found),
            }
        )
        return 0
    if found.empty:
        print("Ingen områder er gået den forkerte vej med mere end tærsklerne.")
        return 0
    print(f"Negativ udvikling: {len(found)} (⚠ = over tærsklen), størst udslag først")
    for row in found.to_dict("records"):
        where = f" ({row['kommune']})" if isinstance(row["kommune"], str) else ""
        one = format_change_in(row["change_1y"], row["unit"]) + (" ⚠" if row["flagged_1y"] else "")
        three = format_change_in(row["change_3y"], row["unit"]) + (
            " ⚠" if row["flagged_3y"] else ""
        )
        print(
            f"- {row['area']}{where} · {row['measure_name']} · {row['year']}: "
            f"{format_value(row['value'], row['unit'])} · 1 år: {one} · 3 år: {three}"
        )
    return 0


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", metavar="URL", help="databaseadresse (ellers DATABASE_URL eller data/monitor.db)"
    )


# Long: one declaration per command and option: the CLI contract reads top to bottom in one place.
def build_parser() -> argparse.ArgumentParser:
    parser = DanishArgumentParser(
        prog="python -m monitoring", description="Indikatormonitor på kommandolinjen."
    )
    commands = parser.add_subparsers(
        dest="command", required=True, parser_class=DanishArgumentParser
    )

    init = commands.add_parser(
        "init", help="opret eller opgradér databasen, og indlæs delaftalerne"
    )
    _add_db(init)
    init.add_argument("--force", action="store_true", help="slet og genopbyg hele databasen")
    add_user_option(init)
    init.set_defaults(handler=cmd_init)

    show = commands.add_parser("show", help="vis hele databasen")
    _add_db(show)
    show.add_argument("--json", action="store_true", help="som JSON (se README)")
    show.add_argument("--plan", metavar="SLUG", help="kun denne helhedsplan")
    add_user_option(show)
    show.set_defaults(handler=cmd_show)

    demo = commands.add_parser("demo", help="indlæs det syntetiske demosæt")
    _add_db(demo)
    demo.add_argument(
        "--if-empty", action="store_true", help="kun hvis der ikke er tal ud over baselines"
    )
    add_user_option(demo)
    demo.set_defaults(handler=cmd_demo)

    remove_demo = commands.add_parser(
        "remove-demo", help="fjern demodata (de opdigtede tal); rigtige tal bevares"
    )
    _add_db(remove_demo)
    add_user_option(remove_demo)
    remove_demo.set_defaults(handler=cmd_remove_demo)

    progress = commands.add_parser(
        "progress", help="fremdrift for én helhedsplan: status og en sætning pr. indikator"
    )
    _add_db(progress)
    progress.add_argument("--plan", metavar="SLUG", required=True, help="helhedsplanen")
    progress.add_argument("--year", metavar="ÅÅÅÅ", help="statusår (ellers seneste år med tal)")
    progress.add_argument("--json", action="store_true", help="som JSON (se README)")
    add_user_option(progress)
    progress.set_defaults(handler=cmd_progress)

    lbf = commands.add_parser("import-lbf", help="importér en LBF-fil (.xlsx eller .csv)")
    lbf.add_argument("file", metavar="FIL", help="regnearket der skal importeres")
    _add_db(lbf)
    lbf.add_argument(
        "--area",
        metavar='"[ARK=]OMRÅDE"',
        action="append",
        help="området for ark, der ikke selv nævner et; ARK=OMRÅDE gælder ét ark (og TEKST=OMRÅDE "
        "en områdetekst i filen; tomt OMRÅDE opretter den som nyt); kan gentages",
    )
    lbf.add_argument("--year", metavar="ÅÅÅÅ", type=int, help="året, når filen ikke siger det")
    lbf.add_argument(
        "--map",
        metavar='"TEKST=målnøgle"',
        action="append",
        help="knyt en kolonne- eller rækketekst til et mål (kan gentages)",
    )
    lbf.add_argument("--dry-run", action="store_true", help="vis hvad der ville ske; gem intet")
    lbf.add_argument("--json", action="store_true", help="rapporten som JSON (se README)")
    lbf.add_argument("--user", metavar="NAVN", help="hvem der importerer (ellers brugernavnet)")
    lbf.set_defaults(handler=cmd_import_lbf)

    undo_import = commands.add_parser("undo-import", help="fortryd en import")
    undo_import.add_argument("batch_id", metavar="IMPORT_ID", type=int, help="importens nummer")
    _add_db(undo_import)
    undo_import.add_argument("--user", metavar="NAVN", help="hvem der fortryder")
    undo_import.set_defaults(handler=cmd_undo_import)

    imports = commands.add_parser("imports", help="vis importhistorikken")
    _add_db(imports)
    imports.add_argument("--json", action="store_true", help="som JSON")
    add_user_option(imports)
    imports.set_defaults(handler=cmd_imports)

    report = commands.add_parser(
        "report", help="årsstatus til bestyrelsen som PDF eller Excel (se README)"
    )
    _add_db(report)
    report.add_argument("--plan", metavar="SLUG", required=True, help="helhedsplanen")
    report.add_argument("--year", metavar="ÅÅÅÅ", help="statusår (ellers seneste år med tal)")
    report.add_argument("--format", choices=["pdf", "xlsx"], required=True, help="pdf eller xlsx")
    report.add_argument("--out", metavar="FIL", required=True, help="filen rapporten gemmes i")
    add_user_option(report)
    report.set_defaults(handler=cmd_report)

    alerts_parser = commands.add_parser(
        "alerts", help="negativ udvikling: områder, der er gået den forkerte vej (se README)"
    )
    _add_db(alerts_parser)
    add_user_option(alerts_parser)
    alerts_parser.add_argument("--measure", metavar="KEY", help="kun dette mål (ellers alle)")
    alerts_parser.add_argument(
        "--kommune", metavar="NAVN", help="kun områder i kommunen (navn/kode)"
    )
    alerts_parser.add_argument("--plan", metavar="SLUG", help="kun helhedsplanens områder")
    alerts_parser.add_argument(
        "--kind",
        action="append",
        choices=["afdeling", "boligomraade", "kommune", "benchmark"],
        help="områdetype (kan gentages; standard afdeling og boligomraade)",
    )
    alerts_parser.add_argument(
        "--search", metavar="TEKST", help="kun områder hvis navn indeholder teksten"
    )
    alerts_parser.add_argument(
        "--year", metavar="ÅÅÅÅ", help="år (ellers hvert måls seneste år med tal)"
    )
    alerts_parser.add_argument(
        "--pp-1y", metavar="PP", help="tærskel 1 år i procentpoint (standard 2)"
    )
    alerts_parser.add_argument(
        "--pp-3y", metavar="PP", help="tærskel 3 år i procentpoint (standard 4)"
    )
    alerts_parser.add_argument(
        "--rel-1y", metavar="PCT", help="tærskel 1 år i %% for antal og kr. (standard 10)"
    )
    alerts_parser.add_argument(
        "--rel-3y", metavar="PCT", help="tærskel 3 år i %% for antal og kr. (standard 20)"
    )
    alerts_parser.add_argument("--json", action="store_true", help="som JSON (se README)")
    alerts_parser.set_defaults(handler=cmd_alerts)
    add_import_delaftale(commands, _add_db)
    add_user_commands(commands, _add_db, _admin)
    add_backup_commands(commands, _add_db, _admin, _on_built_store)
    return parser


def _admin(
    command: Callable[[argparse.Namespace, Engine], Any],
    store: Callable[[str | None], Engine] = open_store,
) -> Callable[..., int]:
    """An administration command on the current store; it returns text, or data for --json."""

    def run(args: argparse.Namespace) -> int:
        result = command(args, store(args.db))
        if isinstance(result, str):
            print(result)
        else:
            print_json(result)
        return 0

    return run


def _built_store(url: str | None) -> Engine:
    """The store, created or upgraded first (restore into a new machine's empty database)."""
    from monitoring.store.db import create_schema, get_engine

    engine = get_engine(url)
    create_schema(engine)
    return engine


def _on_built_store(command: Callable[[argparse.Namespace, Engine], Any]) -> Callable[..., int]:
    return _admin(command, _built_store)


def _readable_arguments(args: argparse.Namespace) -> None:
    """Arguments that are not UTF-8 become readable text before they are stored or printed.

    The file and database paths are kept as given, so they open what the user named; they are
    made readable where they are shown (`_read_input_file`, `db.get_engine`).
    """
    for name, value in vars(args).items():
        if name in PATH_ARGUMENTS:
            continue
        if isinstance(value, str):
            setattr(args, name, readable(value))
        elif isinstance(value, list):
            setattr(args, name, [readable(v) if isinstance(v, str) else v for v in value])


def _is_database_error(exc: Exception) -> bool:
    """A SQLAlchemy error, told without importing SQLAlchemy (a command that never loaded it
    cannot have raised one)."""
    errors = sys.modules.get("sqlalchemy.exc")
    return errors is not None and isinstance(exc, errors.SQLAlchemyError)


def _pandas_without_arrow() -> None:
    """pandas loads pyarrow whenever it is installed (for the app's tables), which costs a command
    about 50 MB and 0.15 s before any work; no command uses an Arrow type, so a command-line
    process runs pandas on NumPy alone (its strings then behave the same, stored as Python
    objects). Left alone when pandas is already loaded (the command called from Python)."""
    if "pandas" not in sys.modules:
        sys.modules.setdefault("pyarrow", None)  # `import pyarrow` raises ImportError


def main(argv: Sequence[str] | None = None) -> int:
    _pandas_without_arrow()
    args = build_parser().parse_args(argv)
    _readable_arguments(args)
    try:
        return args.handler(args)
    except MonitorError as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader stopped early (`show --json | head`): no traceback; stdout goes nowhere so
        # that the interpreter's final flush does not fail once more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:
        if not _is_database_error(exc):
            raise
        from monitoring.store.dberrors import database_error

        print(f"Fejl: {database_error(exc)}", file=sys.stderr)
        return 1
