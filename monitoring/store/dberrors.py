"""Database errors as Danish sentences, and which of them a second try can win.

The store's writes are serialised (see `monitoring.store.db.transaction`), so what is left are a busy
store (another write held the lock longer than the wait allows), lost races with writers outside
that lock (a duplicate key, a deadlock: worth another try) and a lost connection.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from monitoring.errors import MonitorError

T = TypeVar("T")

BUSY = "Databasen er optaget af en anden import; prøv igen om lidt."
CONFLICT = "En anden ændring af de samme data blev gemt samtidig."
DISCONNECTED = (
    "Forbindelsen til databasen blev afbrudt. Tjek, at databaseserveren kører, og prøv igen."
)
FULL = (
    "Der er ikke mere plads til databasen (disken eller databasens kvote er fuld). Frigør plads, "
    "og prøv igen."
)
READ_ONLY = (
    "Databasen er skrivebeskyttet; tjek rettighederne til databasefilen eller brugerens "
    "rettigheder på databaseserveren."
)
NOTHING_SAVED = " Intet er gemt."

# PostgreSQL SQLSTATEs: waiting for a lock gave up (lock_timeout, statement_timeout) ...
_PG_BUSY = {"55P03", "57014"}
# ... a race another try can win: unique violation, serialization failure, deadlock.
_PG_CONFLICT = {"23505", "40001", "40P01"}
# ... no room left (disk_full, out_of_memory, program_limit...) or no right to write (read-only
# transaction or server, insufficient privilege).
_PG_FULL = {"53100", "53200", "53400"}
_PG_READ_ONLY = {"25006", "42501"}
_SQLITE_BUSY = ("SQLITE_BUSY", "SQLITE_LOCKED")
_SQLITE_CONFLICT = ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY")
_SQLITE_FULL = ("SQLITE_FULL",)
_SQLITE_READ_ONLY = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")


class DatabaseBusy(MonitorError):
    """The store stayed locked by another write for longer than the wait allows."""


class DatabaseConflict(MonitorError):
    """A write lost a race with another write; running it again from the start can succeed."""


def _kind(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    sqlstate = getattr(orig, "sqlstate", None)
    sqlite_name = getattr(orig, "sqlite_errorname", "") or ""
    if sqlstate in _PG_BUSY or sqlite_name.startswith(_SQLITE_BUSY):
        return "busy"
    if sqlstate in _PG_CONFLICT or sqlite_name.startswith(_SQLITE_CONFLICT):
        return "conflict"
    if sqlstate in _PG_FULL or sqlite_name.startswith(_SQLITE_FULL):
        return "full"
    if sqlstate in _PG_READ_ONLY or sqlite_name.startswith(_SQLITE_READ_ONLY):
        return "read-only"
    if "database is locked" in str(orig or exc):  # drivers without an error name
        return "busy"
    if (sqlstate or "").startswith("08") or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated
    ):
        return "disconnected"
    return "other"


def database_error(exc: SQLAlchemyError, *, nothing_saved: bool = False) -> MonitorError:
    """One Danish sentence for a database error; `nothing_saved` when a write was rolled back."""
    tail = NOTHING_SAVED if nothing_saved else ""
    kind = _kind(exc)
    if kind == "busy":
        return DatabaseBusy(BUSY + tail)
    if kind == "conflict":
        return DatabaseConflict(f"{CONFLICT}{tail} Prøv igen.")
    if kind == "disconnected":
        return MonitorError(DISCONNECTED + tail)
    if kind in ("full", "read-only"):
        return MonitorError(f"{FULL if kind == 'full' else READ_ONLY}{tail}")
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return MonitorError(
        f"Databasen afviste handlingen.{tail} (Databasens besked: {detail[0] if detail else '-'})"
    )


@contextmanager
def in_danish() -> Iterator[None]:
    """A database error raised inside comes out as its Danish MonitorError, so a caller that shows
    errors to people (a page) handles one exception type and needs no SQLAlchemy of its own."""
    try:
        yield
    except SQLAlchemyError as exc:
        raise database_error(exc) from exc


def retrying(work: Callable[[], T], attempts: int = 3) -> T:
    """Run a whole write again when it lost a race (DatabaseConflict); the last loss is raised."""
    attempt = 1
    while True:
        try:
            return work()
        except DatabaseConflict:
            if attempt >= attempts:
                raise
            time.sleep(random.uniform(0.05, 0.25) * attempt)  # let the other writer finish
            attempt += 1
