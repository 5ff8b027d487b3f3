"""Backups of the whole store, and restoring one in a single transaction.

Two formats, both restorable into SQLite and PostgreSQL:
- a SQLite store is copied with SQLite's online backup API into a SQLite file (a consistent copy
  while the app runs);
- otherwise (PostgreSQL, or a FILE ending in .zip) a portable dump: one JSON file per table in a
  zip, read in one snapshot, with a manifest naming the schema revision.
A restore replaces every row of the store with the backup's, all or nothing, under the write lock.
It needs the backup's schema revision to be this code's; a backup from an older release is
restored with that release, then upgraded with `init`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Engine,
    Table,
    create_engine,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from monitoring.access.checks import require
from monitoring.errors import MonitorError, os_error_text, readable
from monitoring.store import migrations
from monitoring.store.db import transaction
from monitoring.store.models import KEYS_BY_TRIGGER, Base

FORMAT = "indikatormonitor-backup"
MANIFEST = "manifest.json"
SQLITE_MAGIC = b"SQLite format 3\x00"
TABLES: list[Table] = list(Base.metadata.sorted_tables)  # parents before children


def _os_error(path: Path, exc: OSError, doing: str) -> MonitorError:
    return MonitorError(f"Filen '{readable(str(path))}' kan ikke {doing}: {os_error_text(exc)}.")


@contextmanager
def _written_whole(path: Path) -> Iterator[Path]:
    """A temporary file beside `path` that replaces it only when complete (no half backups)."""
    try:
        handle, name = tempfile.mkstemp(prefix=".backup-", dir=path.parent or Path("."))
        os.close(handle)
    except OSError as exc:
        raise _os_error(path, exc, "skrives") from exc
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, path)
    except OSError as exc:
        raise _os_error(path, exc, "skrives") from exc
    finally:
        temporary.unlink(missing_ok=True)


def backup(engine: Engine, path: Path, user: str) -> str:
    """Write the store to `path`; returns the Danish sentence saying what was written."""
    require(engine, user, "backup")
    portable = engine.dialect.name != "sqlite" or path.suffix.lower() == ".zip"
    with _written_whole(path) as temporary:
        counts = _dump(engine, temporary) if portable else _sqlite_copy(engine, temporary)
    rows = sum(counts.values())
    kind = "portabel zip-fil" if portable else "SQLite-fil"
    return f"Sikkerhedskopi gemt i {readable(str(path))} ({kind}): {rows} rækker i {len(counts)} tabeller."


def _sqlite_copy(engine: Engine, target: Path) -> dict[str, int]:
    raw = engine.raw_connection()
    try:
        destination = sqlite3.connect(target)
        try:
            raw.driver_connection.backup(destination)
        finally:
            destination.close()
    except sqlite3.Error as exc:
        raise MonitorError(f"Sikkerhedskopien kunne ikke tages: {exc}.") from exc
    finally:
        raw.close()
    return _counts(create_engine(f"sqlite:///{target}"))


def _counts(engine: Engine) -> dict[str, int]:
    try:
        with engine.connect() as connection:
            return {t.name: connection.scalar(select(func.count()).select_from(t)) for t in TABLES}
    finally:
        engine.dispose()


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _dump(engine: Engine, target: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**options) as connection, connection.begin():
        revision = migrations.current(engine)
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for table in TABLES:
                columns = [c.name for c in table.columns]
                rows = [
                    [_json_value(v) for v in row]
                    for row in connection.execute(select(table).order_by(*table.primary_key))
                ]
                counts[table.name] = len(rows)
                archive.writestr(
                    f"tables/{table.name}.json",
                    json.dumps({"columns": columns, "rows": rows}, ensure_ascii=False),
                )
            manifest = {
                "format": FORMAT,
                "version": 1,
                "revision": revision,
                "source": engine.dialect.name,
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "tables": counts,
            }
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    return counts


# --- restore ------------------------------------------------------------------------------


def _typed(table: Table, columns: list[str], row: list[Any]) -> dict[str, Any]:
    """A JSON row with its dates and times as Python values again."""
    record = dict(zip(columns, row, strict=True))
    for column in table.columns:
        value = record.get(column.name)
        if isinstance(value, str) and isinstance(column.type, DateTime):
            record[column.name] = dt.datetime.fromisoformat(value)
        elif isinstance(value, str) and isinstance(column.type, Date):
            record[column.name] = dt.date.fromisoformat(value)
    return record


def _read_zip(path: Path) -> tuple[str | None, dict[str, list[dict[str, Any]]]]:
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read(MANIFEST))
            if manifest.get("format") != FORMAT:
                raise KeyError(MANIFEST)
            found = {}
            for table in TABLES:
                data = json.loads(archive.read(f"tables/{table.name}.json"))
                found[table.name] = [_typed(table, data["columns"], r) for r in data["rows"]]
            return manifest.get("revision"), found
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise MonitorError(
            f"'{readable(str(path))}' er ikke en sikkerhedskopi fra Indikatormonitor (eller den er "
            "beskadiget); intet er ændret."
        ) from exc


def _read_sqlite(path: Path) -> tuple[str | None, dict[str, list[dict[str, Any]]]]:
    source = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        revision = migrations.current(source)
        with source.connect() as connection:
            return revision, {
                t.name: [dict(r._mapping) for r in connection.execute(select(t))] for t in TABLES
            }
    except SQLAlchemyError as exc:
        raise MonitorError(
            f"Sikkerhedskopien '{readable(str(path))}' kan ikke læses som en database fra "
            "Indikatormonitor; intet er ændret."
        ) from exc
    finally:
        source.dispose()


def read_backup(path: Path) -> tuple[str | None, dict[str, list[dict[str, Any]]]]:
    """(schema revision, rows per table) of a backup file of either format."""
    try:
        with path.open("rb") as handle:
            start = handle.read(16)
    except OSError as exc:
        raise _os_error(path, exc, "læses") from exc
    return _read_sqlite(path) if start == SQLITE_MAGIC else _read_zip(path)


def restore(engine: Engine, path: Path, user: str) -> str:
    """Replace every row of the store with the backup's, in one transaction."""
    require(engine, user, "restore")
    revision, rows = read_backup(path)
    if revision != migrations.head():
        raise MonitorError(
            f"Sikkerhedskopien har databaseversion {revision or 'ukendt'}, men denne version af "
            f"Indikatormonitor bruger {migrations.head()}: gendan den med den version, der lavede "
            "den, og kør derefter init. Intet er ændret."
        )
    with transaction(engine, user=user, action="restore") as tx:
        connection = tx.session.connection()
        for table in reversed(TABLES):
            connection.execute(table.delete())
        for table in TABLES:
            _insert(connection, table, rows[table.name])
        _reset_sequences(connection)
        tx.audit(
            "store",
            after={"restored_from": readable(path.name), "rows": sum(map(len, rows.values()))},
        )
    total = sum(len(r) for r in rows.values())
    return f"Sikkerhedskopien {readable(path.name)} er gendannet: {total} rækker i {len(rows)} tabeller."


def _insert(connection: Connection, table: Table, records: list[dict[str, Any]]) -> None:
    """Insert in chunks; a table pointing at itself (area.parent_id) gets its links afterwards."""
    if connection.dialect.name == "postgresql" and table.info.get(KEYS_BY_TRIGGER):
        # COPY: these tables check their keys once per statement there (revision 0007), so a
        # statement per row would pay that check per row. Imported here: only a restore needs it.
        import numpy as np

        from monitoring.ingest.bulk import bulk_insert

        names = [c.name for c in table.columns]
        rows = {n: np.array([r.get(n) for r in records], dtype=object) for n in names}
        bulk_insert(connection, table, rows)
        return
    own = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    linked = [r for r in records if any(r.get(c) is not None for c in own)]
    for start in range(0, len(records), 1000):
        chunk = [{**r, **dict.fromkeys(own)} for r in records[start : start + 1000]]
        connection.execute(insert(table), chunk)
    for record in linked:
        key = {c.name: record[c.name] for c in table.primary_key}
        condition = [table.c[name] == value for name, value in key.items()]
        connection.execute(update(table).where(*condition).values({c: record[c] for c in own}))


def _reset_sequences(connection: Connection) -> None:
    """PostgreSQL's id sequences continue after the restored ids (SQLite needs nothing)."""
    if connection.dialect.name != "postgresql":
        return
    for table in TABLES:
        if "id" in table.c:
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )
