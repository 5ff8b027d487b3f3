"""The store's schema versions (alembic revisions in versions/): the only code that changes tables.

`upgrade` creates a store or brings it to the newest version; `require_current` is how the CLI and
the app refuse a store that is empty or older than the code, in one Danish sentence.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Connection, Engine, inspect, text

from monitoring.errors import MonitorError
from monitoring.store.models import KEYS_BY_TRIGGER

if TYPE_CHECKING:
    from alembic.config import Config

INIT_COMMAND = "python -m monitoring init"
StoreStatus = Literal["empty", "current", "outdated", "newer"]
VERSIONS = Path(__file__).resolve().parent / "versions"
VERSION_TABLE = "alembic_version"

# Alembic is imported only to change a store (upgrade, downgrade): checking that a store is at the
# newest revision, which every command does on opening, reads the revision files' two names and
# the store's version table, at a fraction of the cost of loading alembic's machinery.


def config(connection: Connection | None = None) -> Config:
    """Alembic's configuration without an ini file: the revisions ship inside the package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "monitoring.store:migrations")
    cfg.attributes["connection"] = connection
    return cfg


def compared(dialect: str) -> Callable[[Any, str | None, str, bool, Any], bool]:
    """Alembic's `include_object` when comparing the models with a store (autogenerate, tests):
    on PostgreSQL the foreign keys of the tables marked KEYS_BY_TRIGGER are triggers (revision
    0007), so there they are not compared as constraints; tests/test_migrations.py checks the
    triggers instead."""

    def include(obj: Any, _name: str | None, type_: str, _reflected: bool, _other: Any) -> bool:
        if dialect != "postgresql" or type_ != "foreign_key_constraint":
            return True
        return not obj.table.info.get(KEYS_BY_TRIGGER)

    return include


def _names(path: Path) -> dict[str, str | None]:
    """A revision file's module-level `revision` and `down_revision`, read without running it."""
    found: dict[str, str | None] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        value = getattr(node, "value", None)
        named = isinstance(target, ast.Name) and target.id in ("revision", "down_revision")
        if named and isinstance(value, ast.Constant):
            found[target.id] = value.value
    return found


@functools.cache
def revisions() -> dict[str, str | None]:
    """Every revision this code knows, with the one it revises (None for the first)."""
    chain: dict[str, str | None] = {}
    for path in sorted(VERSIONS.glob("*.py")):
        names = _names(path)
        if "revision" in names:
            chain[str(names["revision"])] = names.get("down_revision")
    return chain


def head() -> str:
    """The revision this code expects the store to be at: the one no other revision revises."""
    chain = revisions()
    (newest,) = set(chain) - set(chain.values())
    return newest


@contextmanager
def _migration_connection(engine: Engine) -> Iterator[Connection]:
    """One transaction around the whole upgrade, also on SQLite.

    SQLite's driver does not put DDL in a transaction by itself, and rebuilding a table (the only
    way to add a CHECK constraint there) must not cascade deletes: foreign keys are switched off,
    the whole upgrade is one transaction, and dangling references are checked before the commit.
    """
    with engine.connect() as connection:
        if engine.dialect.name != "sqlite":
            with connection.begin():
                yield connection
            return
        # The driver runs in autocommit mode (monitoring.store.db) and BEGIN comes from the engine's
        # begin hook, so the pragma is sent outside any transaction, where SQLite honours it.
        driver = connection.connection.driver_connection
        driver.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                yield connection
                dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
                if dangling is not None:
                    raise MonitorError(
                        f"Opgraderingen ville efterlade en ugyldig henvisning i tabellen "
                        f"{dangling[0]}; intet er ændret."
                    )
        finally:
            driver.execute("PRAGMA foreign_keys=ON")


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create the store or bring it to `revision` (default: the newest), all or nothing."""
    from alembic import command

    with _migration_connection(engine) as connection:
        command.upgrade(config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the store back to `revision` ("base": no tables); for tests and emergencies."""
    from alembic import command

    with _migration_connection(engine) as connection:
        command.downgrade(config(connection), revision)


def current(engine: Engine) -> str | None:
    """The revision the store is at; None for an empty store or one made before migrations."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        found = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars()
        versions = found.all()
    if len(versions) > 1:
        raise MonitorError(
            f"Databasen har flere skemaversioner på én gang ({', '.join(sorted(versions))}); "
            "den kan ikke bruges, før det er rettet."
        )
    return versions[0] if versions else None


def store_status(engine: Engine) -> StoreStatus:
    """Whether the store can be used by this code as it is."""
    revision = current(engine)
    if revision is None:
        return "outdated" if inspect(engine).has_table("plan") else "empty"
    if revision == head():
        return "current"
    return "outdated" if revision in revisions() else "newer"


class StoreNotReady(MonitorError):
    """The store is empty, older or newer than the code (`status` says which)."""

    def __init__(self, status: StoreStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


def require_current(engine: Engine) -> None:
    """Refuse, in one Danish sentence naming the command, a store this code cannot use as it is."""
    status = store_status(engine)
    if status == "empty":
        raise StoreNotReady(status, f"Databasen er tom. Kør først '{INIT_COMMAND}'.")
    if status == "outdated":
        raise StoreNotReady(
            status,
            f"Databasen er lavet af en ældre version af Indikatormonitor og skal opgraderes: "
            f"kør '{INIT_COMMAND}' (tallene bevares).",
        )
    if status == "newer":
        raise StoreNotReady(
            status,
            f"Databasen er lavet af en nyere version af Indikatormonitor (skemaversion "
            f"{current(engine)}); opdatér programmet, før du bruger den.",
        )
