"""Downloads of the tables people see: CSV that Danish Excel opens directly, and real .xlsx."""

from __future__ import annotations

import io

import pandas as pd


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """Semicolon-separated with decimal comma and a BOM: what Danish Excel expects."""
    return frame.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def to_excel_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table, numbers as real numeric cells, columns wide enough to read."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        for name, frame in sheets.items():
            sheet = name[:31]
            frame.to_excel(writer, sheet_name=sheet, index=False)
            for position, column in enumerate(frame.columns):
                width = max([len(str(column)), *(len(str(v)) for v in frame[column].head(200))])
                writer.sheets[sheet].set_column(position, position, min(60, width + 2))
    return buffer.getvalue()
