"""Bulk INSERT and UPDATE through one DBAPI executemany, alike on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
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


def _placeholder(session: Session) -> str:
    return "?" if session.get_bind().dialect.paramstyle == "qmark" else "%s"


def bulk_insert(session: Session, table: Any, columns: dict[str, Any]) -> None:
    """INSERT many rows with one DBAPI executemany: no per-row ORM or Core overhead."""
    n = next(len(v) for v in columns.values() if isinstance(v, _COLUMN_TYPES))
    if n == 0:
        return
    quote = session.get_bind().dialect.identifier_preparer.quote
    names = list(columns)
    marker = _placeholder(session)
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in names)}) "
        f"VALUES ({', '.join([marker] * len(names))})"
    )
    rows = list(zip(*(_column_values(columns[c], n) for c in names), strict=True))
    session.connection().exec_driver_sql(sql, rows)


def bulk_update(session: Session, table: Any, columns: dict[str, Any], ids: Any) -> None:
    """UPDATE many rows by primary key with one DBAPI executemany."""
    n = len(ids)
    if n == 0:
        return
    quote = session.get_bind().dialect.identifier_preparer.quote
    marker = _placeholder(session)
    names = list(columns)
    sql = (
        f"UPDATE {quote(table.name)} SET "
        + ", ".join(f"{quote(c)} = {marker}" for c in names)
        + f" WHERE {quote('id')} = {marker}"
    )
    values = [_column_values(columns[c], n) for c in names]
    values.append(_column_values(pd.Series(ids).astype("int64"), n))
    session.connection().exec_driver_sql(sql, list(zip(*values, strict=True)))
