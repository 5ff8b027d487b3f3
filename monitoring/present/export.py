"""Downloads of the tables people see: CSV that Danish Excel opens directly, and real .xlsx.

Every download goes through here, so every one gets the same protection: text that would start
a formula is neutralised (`plaintext.spreadsheet_text`), numbers stay numbers, and XlsxWriter is
told never to turn a string into a formula or a link. In CSV every text is quoted, so a comma or
line break inside a name cannot start a new cell in a spreadsheet that splits on it.
"""

from __future__ import annotations

import io
import numbers
from typing import Any

import numpy as np
import pandas as pd

from monitoring.present.plaintext import spreadsheet_text

XLSX_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose headers and text cells cannot act as formulas; numeric columns untouched."""
    safe = frame.copy()
    safe.columns = [spreadsheet_text(column) for column in frame.columns]
    for position in range(frame.shape[1]):
        values = frame.iloc[:, position]
        if not (
            pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values)
        ):
            safe.isetitem(position, values.astype(object).map(spreadsheet_text))
    return safe


def _csv_field(value: Any) -> str:
    """A number bare with decimal comma, a gap empty, anything else quoted text."""
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, numbers.Number) and not pd.isna(value):
        return str(value).replace(".", ",")
    if value is None or pd.isna(value):
        return ""
    return '"' + str(value).replace('"', '""') + '"'


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """Semicolon-separated with decimal comma, CRLF and a BOM: what Danish Excel expects.

    Python's csv module cannot quote by type (text always, numbers never) with a decimal comma,
    hence the few lines here.
    """
    safe = safe_frame(frame)
    rows = [safe.columns, *safe.itertuples(index=False, name=None)]
    lines = [";".join(_csv_field(value) for value in row) for row in rows]
    return "".join(line + "\r\n" for line in lines).encode("utf-8-sig")


def to_excel_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table, numbers as real numeric cells, columns wide enough to read."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(
        buffer, engine="xlsxwriter", engine_kwargs={"options": XLSX_OPTIONS}
    ) as writer:
        for name, table in sheets.items():
            sheet = name[:31]
            frame = safe_frame(table)
            frame.to_excel(writer, sheet_name=sheet, index=False)
            for position, column in enumerate(frame.columns):
                values = frame.iloc[:, position].head(200)
                width = max([len(str(column)), *(len(str(v)) for v in values)])
                writer.sheets[sheet].set_column(position, position, min(60, width + 2))
    return buffer.getvalue()
