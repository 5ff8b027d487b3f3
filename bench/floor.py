"""The I/O floor of an area-list import: read the file with calamine, write its rows in one go.

    python -m bench.floor FILE URL          # timed by the caller as a whole process
    python -m bench.floor --clean URL       # removes what a floor run wrote, vacuums (PostgreSQL)

What no import can avoid: the calamine read of the file, then, in one transaction, one
executemany of the file's areas and one of its observations (SQLite), or COPY of both
(PostgreSQL), into the store's real tables with their indexes and foreign keys: the same rows
an import writes (with the batch row, its id and the source on every observation). No
matching, no validation, no diff, no undo rows, no report. Only what the standard library, calamine and
the database driver need is imported: the floor is what a process must at least pay.
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

FLOOR_KIND = "afdeling"
FLOOR_PREFIX = "Gulv "  # the floor's areas, told apart from the import's by name
FIRST_VALUE_COLUMN = 3
HEADER_ROW = 2


def _rows(file: Path) -> tuple[list[str], list[list[object]]]:
    from python_calamine import CalamineWorkbook

    grid = CalamineWorkbook.from_path(str(file)).get_sheet_by_index(0).to_python()
    return [str(c) for c in grid[HEADER_ROW]], grid[HEADER_ROW + 1 :]


OBSERVATION = "(measure_id, area_id, year, value, state, source, batch_id)"
BATCH = '(kind, file_name, sha256, "user", created_at, status, rows_accepted, rows_rejected, '
BATCH += "mapping, is_demo)"


def _cells(body: list[list[object]], measure_ids: list[int], first_area: int, batch: int):
    """An observation row for every value cell, as the import writes it; text cells suppressed."""
    source = "Upload: gulv"
    for offset, row in enumerate(body):
        area_id = first_area + offset
        for measure_id, value in zip(measure_ids, row[FIRST_VALUE_COLUMN:], strict=False):
            if isinstance(value, float | int):
                yield (measure_id, area_id, 2023, float(value), "ok", source, batch)
            else:
                yield (measure_id, area_id, 2023, None, "suppressed", source, batch)


def _measure_ids(fetch, header: list[str]) -> list[int]:
    from bench.lbf_bench import bench_measures

    by_name = {str(s["name"]): str(s["key"]) for s in bench_measures(len(header))}
    ids = dict(fetch("SELECT key, id FROM measure"))
    return [ids[by_name[name]] for name in header[FIRST_VALUE_COLUMN:]]


def floor_sqlite(file: Path, path: str) -> int:
    import sqlite3

    header, body = _rows(file)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("BEGIN IMMEDIATE")
    measure_ids = _measure_ids(lambda sql: conn.execute(sql).fetchall(), header)
    first = (conn.execute("SELECT COALESCE(MAX(id), 0) FROM area").fetchone()[0]) + 1
    batch = conn.execute(
        f"INSERT INTO import_batch {BATCH} VALUES "
        "('gulv', 'gulv', '-', 'bench', CURRENT_TIMESTAMP, 'committed', 0, 0, '{}', 0) RETURNING id"
    ).fetchone()[0]
    conn.executemany(
        "INSERT INTO area (id, name, kind, code, match_key) VALUES (?, ?, ?, ?, ?)",
        [
            (first + i, f"{FLOOR_PREFIX}{row[2]}", FLOOR_KIND, str(row[1]), f"gulv {i}")
            for i, row in enumerate(body)
        ],
    )
    conn.executemany(
        f"INSERT INTO observation {OBSERVATION} VALUES (?, ?, ?, ?, ?, ?, ?)",
        _cells(body, measure_ids, first, batch),
    )
    conn.execute("COMMIT")
    conn.close()
    return len(body)


def _pg_connect(url: str):
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))


def floor_postgres(file: Path, url: str) -> int:
    header, body = _rows(file)
    with _pg_connect(url) as conn, conn.cursor() as cur:
        measure_ids = _measure_ids(lambda sql: cur.execute(sql).fetchall(), header)
        first = cur.execute("SELECT COALESCE(MAX(id), 0) FROM area").fetchone()[0] + 1
        batch = cur.execute(
            f"INSERT INTO import_batch {BATCH} VALUES "
            "('gulv', 'gulv', '-', 'bench', now(), 'committed', 0, 0, '{}', false) RETURNING id"
        ).fetchone()[0]
        columns = "(id, name, kind, code, match_key)"
        with cur.copy(f"COPY area {columns} FROM STDIN") as copy:
            for i, row in enumerate(body):
                copy.write_row(
                    (first + i, f"{FLOOR_PREFIX}{row[2]}", FLOOR_KIND, str(row[1]), f"gulv {i}")
                )
        with cur.copy(f"COPY observation {OBSERVATION} FROM STDIN") as copy:
            for cell in _cells(body, measure_ids, first, batch):
                copy.write_row(cell)
    return len(body)


def clean_postgres(url: str) -> None:
    """Remove the floor's areas and batch (their observations go with them); reset the sequence.
    Then settle the store: vacuum and checkpoint now, so that the deleted rows of this run (or of
    an undone import) are not cleaned up by autovacuum in the background of the next timed run."""
    import psycopg

    with _pg_connect(url) as conn:
        conn.execute("DELETE FROM area WHERE name LIKE %s", (FLOOR_PREFIX + "%",))
        conn.execute("DELETE FROM import_batch WHERE kind = 'gulv'")
        conn.execute("SELECT setval('area_id_seq', (SELECT COALESCE(MAX(id), 1) FROM area))")
    with _pg_connect(url) as conn:
        conn.autocommit = True
        conn.execute("VACUUM (ANALYZE)")
        # A server the benchmark may not checkpoint gets the vacuum alone.
        with contextlib.suppress(psycopg.errors.InsufficientPrivilege):
            conn.execute("CHECKPOINT")


def main(argv: list[str]) -> int:
    if argv[0] == "--clean":
        clean_postgres(argv[1])
        return 0
    file, url = Path(argv[0]), argv[1]
    started = time.perf_counter()
    if url.startswith("sqlite:///"):
        areas = floor_sqlite(file, url.removeprefix("sqlite:///"))
    else:
        areas = floor_postgres(file, url)
    print(f"{areas} areas in {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
