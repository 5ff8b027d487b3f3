"""Engines and transactions: SQLite by default, PostgreSQL via DATABASE_URL, one audited write path."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    MetaData,
    create_engine,
    event,
    func,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError, SQLAlchemyError
from sqlalchemy.orm import Session

from monitoring.access.actor import AccessDenied, Actor
from monitoring.access.enforce import authorize, refusal_event
from monitoring.access.roles import RECORD_ACTIONS
from monitoring.errors import MonitorError, os_error_text, readable
from monitoring.store import migrations
from monitoring.store.dberrors import database_error
from monitoring.store.models import AuditEvent

CHECKOUT_DIR = Path(__file__).resolve().parent.parent


def default_store_path() -> Path:
    """data/monitor.db in the checkout the code runs from; an installed package has no checkout,
    so there it is data/monitor.db under the working directory."""
    base = CHECKOUT_DIR if (CHECKOUT_DIR / "pyproject.toml").is_file() else Path.cwd()
    return base / "data" / "monitor.db"


def resolve_url(url: str | None = None) -> str:
    """The database URL: an explicit one, else DATABASE_URL, else the embedded SQLite file."""
    return url or os.environ.get("DATABASE_URL") or f"sqlite:///{default_store_path()}"


# How long a write waits for another write to finish before it gives up with a Danish sentence.
LOCK_TIMEOUT_SECONDS = float(os.environ.get("MONITOR_LOCK_TIMEOUT", "60"))
# The PostgreSQL advisory lock every write holds (an arbitrary constant, the same in every process).
WRITE_LOCK_KEY = 4_157_316_420
_WRITE = "monitoring_write"  # execution option: this connection's transaction writes


def _enable_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy emits BEGIN itself (`_begin_sqlite`), so that a write can take the lock first.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={int(LOCK_TIMEOUT_SECONDS * 1000)}")
    cursor.close()


def _begin_sqlite(connection: Connection) -> None:
    """Reads begin deferred (a snapshot); writes begin IMMEDIATE: the write lock before any read.

    Sent on the driver's connection, like any dialect's BEGIN: transaction control, not one of the
    app's statements (which tests count); its errors are wrapped as SQLAlchemy's would be.
    """
    statements = ["BEGIN"]
    if connection.get_execution_options().get(_WRITE):
        statements = [f"PRAGMA busy_timeout={int(LOCK_TIMEOUT_SECONDS * 1000)}", "BEGIN IMMEDIATE"]
    cursor = connection.connection.cursor()
    try:
        for statement in statements:
            cursor.execute(statement)
    except sqlite3.Error as exc:
        raise DBAPIError.instance(statement, None, exc, sqlite3.Error) from exc
    finally:
        cursor.close()


_ENGINES: dict[str, Engine] = {}


def _create_folder(folder: Path) -> None:
    """The SQLite file's folder, created when missing; one Danish sentence when it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MonitorError(
            f"Mappen '{readable(str(folder))}' til databasen kan ikke oprettes: {os_error_text(exc)}. "
            "Vælg en anden placering med --db eller DATABASE_URL."
        ) from exc


def get_engine(url: str | None = None) -> Engine:
    """One engine per URL for the process; SQLite gets WAL and foreign keys, its folder is created."""
    resolved = resolve_url(url)
    if resolved in _ENGINES:
        return _ENGINES[resolved]
    try:
        engine = create_engine(resolved)
    except Exception as exc:
        raise MonitorError(f"Databaseadressen '{resolved}' kan ikke bruges: {exc}.") from exc
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if database and database != ":memory:":
            _create_folder(Path(database).parent)
        event.listen(engine, "connect", _enable_sqlite_pragmas)
        event.listen(engine, "begin", _begin_sqlite)
    _ENGINES[resolved] = engine
    return engine


def check_connection(engine: Engine) -> None:
    """Fail with one clear Danish sentence when the database cannot be reached."""
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise MonitorError(
            f"Kan ikke forbinde til databasen {engine.url.render_as_string(hide_password=True)}. "
            f"Tjek adressen (--db eller DATABASE_URL), og at serveren kører. (Serverens besked: {detail})"
        ) from exc


def create_schema(engine: Engine) -> migrations.StoreStatus:
    """Create the store, or upgrade it to the newest schema, through the migrations.

    Returns what the store was before ("empty", "outdated" or "current"); a store made by a newer
    version is refused, not touched.
    """
    check_connection(engine)
    status = migrations.store_status(engine)
    if status == "newer":
        migrations.require_current(engine)
    migrations.upgrade(engine)
    return status


def drop_schema(engine: Engine) -> None:
    """Drop every table in the database, including ones this code does not know (init --force)."""
    check_connection(engine)
    tables = MetaData()
    tables.reflect(engine)
    tables.drop_all(engine)


def require_current_store(engine: Engine) -> None:
    """Refuse an unreachable store, an empty one or one that needs `init` (one Danish sentence)."""
    check_connection(engine)
    migrations.require_current(engine)


@dataclass
class Transaction:
    """A session in an open transaction that collects the audit events of the write."""

    session: Session
    user: str
    action: str
    events: list[AuditEvent] = field(default_factory=list)
    actor: Actor | None = None  # who acts, once `monitoring.access` allowed the action

    def audit(
        self,
        entity: str,
        entity_id: str | int | None = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        self.events.append(
            AuditEvent(
                user=self.user,
                action=self.action,
                entity=entity,
                entity_id=None if entity_id is None else str(entity_id),
                before=before,
                after=after,
            )
        )


MAX_USER_LENGTH: int = AuditEvent.__table__.c.user.type.length


def _take_write_lock(session: Session) -> None:
    """Wait (at most LOCK_TIMEOUT_SECONDS) until no other write runs, and hold that to the end.

    Everything a write reads after this is what the store holds when it commits, so concurrent
    imports and undos land as if they had run one after the other.
    """
    connection = session.connection(execution_options={_WRITE: True})  # SQLite: BEGIN IMMEDIATE
    if connection.dialect.name == "postgresql":
        timeout = int(LOCK_TIMEOUT_SECONDS * 1000)
        session.execute(text(f"SET LOCAL lock_timeout = {timeout}"))
        session.execute(select(func.pg_advisory_xact_lock(WRITE_LOCK_KEY)))


def _record_refusal(session: Session, event: AuditEvent) -> None:
    """The refusal's audit event, in a transaction of its own (the refused one is rolled back);
    a store that cannot take it still shows the refusal, not a database error."""
    try:
        _take_write_lock(session)
        session.add(event)
        session.commit()
    except SQLAlchemyError:
        session.rollback()


@contextmanager
def transaction(engine: Engine, *, user: str, action: str) -> Iterator[Transaction]:
    """The one way to write: everything inside commits whole with its audit events, or not at all.

    Writes are serialised: each holds the store's write lock from its first statement. Database
    errors come out as Danish MonitorErrors (DatabaseBusy, DatabaseConflict from monitoring.store.dberrors).
    The acting `user` must be allowed the `action` (monitoring.access); a refusal, here or from a
    scope check inside, rolls everything back and is recorded as a "refused" audit event.
    """
    if len(user) > MAX_USER_LENGTH or "\x00" in user:
        raise MonitorError(
            f"Navnet på den, der gemmer ({len(user)} tegn), kan ikke gemmes: højst "
            f"{MAX_USER_LENGTH} tegn og ingen kontroltegn. Skriv et kortere navn; intet er gemt."
        )
    try:
        with Session(engine, expire_on_commit=False) as session:
            tx = Transaction(session=session, user=user, action=action)
            try:
                _take_write_lock(session)
                tx.actor = authorize(session, user, action)
                yield tx
                if not tx.events:
                    tx.audit(entity="store")
                session.add_all(tx.events)
                session.commit()
                _count_local_write()
            except AccessDenied as denied:
                session.rollback()
                _record_refusal(session, refusal_event(user, action, str(denied)))
                raise
            except BaseException:
                session.rollback()
                raise
    except SQLAlchemyError as exc:
        raise database_error(exc, nothing_saved=True) from exc


_local_writes = 0


def _count_local_write() -> None:
    global _local_writes
    _local_writes += 1


def local_writes() -> int:
    """How many writes this process has committed: a page can trust a change stamp it read
    earlier in the same run as long as this number has not moved (other processes' writes show
    from the next run on)."""
    return _local_writes


def change_stamp(engine: Engine) -> int:
    """The id of the latest audit event that changed the store (cache key): any write but the
    records of log-ins, log-outs, sessions and refusals, which change nothing a page shows."""
    records = sorted(RECORD_ACTIONS)
    try:
        with Session(engine) as session:
            latest = select(func.max(AuditEvent.id)).where(AuditEvent.action.not_in(records))
            return session.scalar(latest) or 0
    except (OperationalError, ProgrammingError):
        return -1
