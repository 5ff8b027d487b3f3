"""Command-line administration: `user add|set-role|disable|password|list`, `backup`, `restore`.

Every command acts as `--user NAME` (default: the login name); while the store has no users at
all, everything is allowed (open single-user mode, see monitoring.access).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from monitoring.errors import MonitorError
from monitoring.vocabulary import ROLES

# The commands import the store and access modules inside: `--help` and the other commands do
# not pay for them (nor for argon2, which only passwords need).

AddDb = Callable[[argparse.ArgumentParser], None]


def add_user_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", metavar="NAVN", help="hvem der handler (ellers login-navnet)")


def _password(args: argparse.Namespace) -> str | None:
    if not args.password_stdin:
        return None
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise MonitorError("Der kom ingen adgangskode på standard-input; intet er gemt.")
    return line


def cmd_user_add(args: argparse.Namespace, engine) -> str:
    from monitoring.access import users
    from monitoring.access.actor import acting_user

    was_open = not users.list_users(engine)
    message = users.add_user(
        engine,
        acting_user(args.user),
        args.name,
        args.role,
        plans=args.plan or (),
        kommuner=args.kommune or (),
        password=_password(args),
        email=args.email,
    )
    if was_open:
        message += (
            " Brugere er nu slået til: skriv-kommandoer kræver --user NAVN (eller en bruger med "
            "dit login-navn), og siderne kræver log-in."
        )
    return message


def cmd_user_set_role(args: argparse.Namespace, engine) -> str:
    from monitoring.access import users
    from monitoring.access.actor import acting_user

    return users.set_role(engine, acting_user(args.user), args.name, args.role)


def cmd_user_disable(args: argparse.Namespace, engine) -> str:
    from monitoring.access import users
    from monitoring.access.actor import acting_user

    return users.disable_user(engine, acting_user(args.user), args.name)


def cmd_user_password(args: argparse.Namespace, engine) -> str:
    from monitoring.access import users
    from monitoring.access.actor import acting_user

    password = _password(argparse.Namespace(password_stdin=True))
    return users.set_password(engine, acting_user(args.user), args.name, password or "")


def cmd_user_list(args: argparse.Namespace, engine) -> list[dict] | str:
    from monitoring.access import users
    from monitoring.access.actor import acting_user
    from monitoring.access.checks import require

    require(engine, acting_user(args.user), "user-list")
    found = users.list_users(engine)
    if args.json:
        return found
    if not found:
        return "Ingen brugere: databasen er i åben enkeltbrugertilstand (alle må alt)."
    lines = []
    for user in found:
        scope = ", ".join(user["plans"] + user["kommuner"]) or "-"
        state = "" if user["active"] else " (spærret)"
        lines.append(f"{user['name']}: {user['role']}{state}; {scope}")
    return "\n".join(lines)


def add_user_commands(commands, add_db: AddDb, handler: Callable) -> None:
    """`user SUBCOMMAND`; `handler(cmd)` wraps a command that returns its text or JSON data."""
    user = commands.add_parser("user", help="brugere og roller (se README, Drift)")
    sub = user.add_subparsers(dest="user_command", required=True, parser_class=type(user))

    add = sub.add_parser("add", help="opret en bruger")
    add.add_argument("name", metavar="NAVN")
    add.add_argument("--role", required=True, choices=ROLES, help="rollen")
    add.add_argument("--plan", metavar="SLUG", action="extend", nargs="+", help="helhedsplaner")
    add.add_argument("--kommune", metavar="NAVN", action="extend", nargs="+", help="kommuner")
    add.add_argument("--email", metavar="ADRESSE", help="til log-in med single sign-on")
    add.add_argument(
        "--password-stdin", action="store_true", help="læs adgangskoden fra standard-input"
    )
    add.set_defaults(handler=handler(cmd_user_add))

    set_role = sub.add_parser("set-role", help="skift en brugers rolle")
    set_role.add_argument("name", metavar="NAVN")
    set_role.add_argument("role", metavar="ROLLE", choices=ROLES)
    set_role.set_defaults(handler=handler(cmd_user_set_role))

    disable = sub.add_parser("disable", help="spær en bruger")
    disable.add_argument("name", metavar="NAVN")
    disable.set_defaults(handler=handler(cmd_user_disable))

    password = sub.add_parser("password", help="ny adgangskode, læst fra standard-input")
    password.add_argument("name", metavar="NAVN")
    password.set_defaults(handler=handler(cmd_user_password))

    listing = sub.add_parser("list", help="vis brugerne")
    listing.add_argument("--json", action="store_true", help="som JSON")
    listing.set_defaults(handler=handler(cmd_user_list))

    for parser in (add, set_role, disable, password, listing):
        add_db(parser)
        add_user_option(parser)


def cmd_backup(args: argparse.Namespace, engine) -> str:
    from monitoring import backup
    from monitoring.access.actor import acting_user

    return backup.backup(engine, Path(args.file), acting_user(args.user))


def cmd_restore(args: argparse.Namespace, engine) -> str:
    from monitoring import backup
    from monitoring.access.actor import acting_user

    return backup.restore(engine, Path(args.file), acting_user(args.user))


def add_backup_commands(commands, add_db: AddDb, handler: Callable, fresh: Callable) -> None:
    """`backup FILE` on a current store; `restore FILE` also into an empty one (`fresh`)."""
    made = commands.add_parser("backup", help="tag en sikkerhedskopi af hele databasen")
    made.add_argument(
        "file", metavar="FIL", help="SQLite-fil, eller .zip (portabel, alle databaser)"
    )
    made.set_defaults(handler=handler(cmd_backup))
    restored = commands.add_parser(
        "restore", help="erstat hele databasens indhold med en sikkerhedskopi"
    )
    restored.add_argument("file", metavar="FIL", help="en fil lavet af backup")
    restored.set_defaults(handler=fresh(cmd_restore))
    for parser in (made, restored):
        add_db(parser)
        add_user_option(parser)
