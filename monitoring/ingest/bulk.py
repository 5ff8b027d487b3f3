"""Bulk writes straight through the driver: COPY on PostgreSQL, one executemany on SQLite.

The rows are made chunk by chunk as the driver consumes them, so a national file's 320,000
observations never exist as one list of tuples.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

_COLUMN_TYPES = (pd.Series, np.ndarray, list, pd.api.extensions.ExtensionArray)


def _column_values(values: Any, n: int) -> list[Any]:
    """A column as plain Python values (None for missing), or a constant repeated."""
    if not isinstance(values, _COLUMN_TYPES):
        return [values] * n
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) and not series.hasnans:
        return series.to_numpy(dtype=bool).tolist()
    categorical = isinstance(dtype, pd.CategoricalDtype)
    if pd.api.types.is_integer_dtype(dtype) and not categorical and not series.hasnans:
        return series.to_numpy(dtype="int64").tolist()
    if pd.api.types.is_float_dtype(dtype):
        array = series.to_numpy(dtype=float, na_value=np.nan)
        result = array.tolist()
        for i in np.flatnonzero(np.isnan(array)).tolist():
            result[i] = None
        return result
    plain = series.astype(object)
    result = plain.tolist()
    missing = plain.isna().to_numpy()
    for i in np.flatnonzero(missing).tolist():
        result[i] = None
    if result and isinstance(result[0], np.generic):
        result = [v.item() if isinstance(v, np.generic) else v for v in result]
    return result


def _placeholder(session: Session | Connection) -> str:
    return "?" if session.get_bind().dialect.paramstyle == "qmark" else "%s"


_CHUNK = 20_000


def _part(values: Any, start: int, stop: int) -> Any:
    if isinstance(values, pd.Series):
        return values.iloc[start:stop]
    return values[start:stop] if isinstance(values, _COLUMN_TYPES) else values


def _rows(columns: dict[str, Any], n: int) -> Iterator[tuple[Any, ...]]:
    """The rows as plain Python tuples, made one chunk at a time."""
    for start in range(0, n, _CHUNK):
        stop = min(n, start + _CHUNK)
        parts = [_column_values(_part(v, start, stop), stop - start) for v in columns.values()]
        yield from zip(*parts, strict=True)


def bulk_insert(session: Session | Connection, table: Any, columns: dict[str, Any]) -> None:
    """INSERT many rows in one go on the session's (or the connection's) transaction: no per-row
    ORM or Core work."""
    n = next(len(v) for v in columns.values() if isinstance(v, _COLUMN_TYPES))
    if n == 0:
        return
    connection = session.connection() if isinstance(session, Session) else session
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in columns)
    driver = connection.connection.driver_connection
    postgres = dialect.name == "postgresql"
    if postgres:
        sql = f"COPY {quote(table.name)} ({names}) FROM STDIN"
    else:
        markers = ", ".join([_placeholder(session)] * len(columns))
        sql = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({markers})"
    try:
        with closing(driver.cursor()) as cursor:
            if postgres:
                with cursor.copy(sql) as copy:
                    for row in _rows(columns, n):
                        copy.write_row(row)
            else:
                cursor.executemany(sql, _rows(columns, n))
    except dialect.loaded_dbapi.Error as exc:  # wrapped as SQLAlchemy would: the Danish message
        raise DBAPIError.instance(sql, None, exc, dialect.loaded_dbapi.Error) from exc


def new_ids(session: Session, table: Any, n: int) -> list[int] | None:
    """`n` fresh ids drawn from the table's id sequence in one query, so that its rows can be
    written by COPY with their ids known (PostgreSQL); None elsewhere (SQLite returns them)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return None
    sql = "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)"
    return [row[0] for row in connection.exec_driver_sql(sql, (table.name, n))]


def bulk_update(session: Session, table: Any, columns: dict[str, Any], ids: Any) -> None:
    """UPDATE many rows by primary key: one statement over arrays on PostgreSQL (its key checks
    run once per statement, see migration 0007), one DBAPI executemany on SQLite."""
    n = len(ids)
    if n == 0:
        return
    connection = session.connection()
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    marker = _placeholder(session)
    names = list(columns)
    values = [_column_values(columns[c], n) for c in names]
    values.append(_column_values(pd.Series(ids).astype("int64"), n))
    if dialect.name == "postgresql":
        types = [table.c[c].type.compile(dialect=dialect) for c in [*names, "id"]]
        arrays = ", ".join(f"{marker}::{t}[]" for t in types)
        aliases = ", ".join(quote(c) for c in [*names, "id"])
        sql = (
            f"UPDATE {quote(table.name)} AS t SET "
            + ", ".join(f"{quote(c)} = v.{quote(c)}" for c in names)
            + f" FROM unnest({arrays}) AS v({aliases}) WHERE t.{quote('id')} = v.{quote('id')}"
        )
        connection.exec_driver_sql(sql, tuple(values))
        return
    sql = (
        f"UPDATE {quote(table.name)} SET "
        + ", ".join(f"{quote(c)} = {marker}" for c in names)
        + f" WHERE {quote('id')} = {marker}"
    )
    connection.exec_driver_sql(sql, list(zip(*values, strict=True)))
