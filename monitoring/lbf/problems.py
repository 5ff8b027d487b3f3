"""Problems the reader reports, the refusal that carries one, and the reading settings and hints."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

# The one place for the upload size limit: the reader enforces it, and the upload page passes it
# to Streamlit (`st.file_uploader(..., max_upload_size=MAX_FILE_MB)`). Override with LBF_MAX_FILE_MB.
MAX_FILE_MB: int = int(os.environ.get("LBF_MAX_FILE_MB", "20"))


ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class ReadSettings:
    """Limits and reading choices; the defaults are the production values."""

    max_file_bytes: int = MAX_FILE_MB * 1024 * 1024
    max_uncompressed_bytes: int = 250 * 1024 * 1024  # all parts of an .xlsx together, decompressed
    max_compression_ratio: int = 100  # a part that expands more than this is a zip bomb
    max_zip_members: int = 5_000
    dash_is_zero: bool = False  # "-" in a cell means suppressed (default) or zero
    header_scan_rows: int = 60


@dataclass(frozen=True)
class LayoutHint:
    """Manual layout choices for files the reader does not recognise (or recognises wrongly).

    Columns are given as letters ("C") or as header text; rows are 1-based as Excel shows them.
    """

    sheet: str | None = None
    layout: str | None = None
    header_row: int | None = None
    area_column: str | None = None
    code_column: str | None = None
    kommune_column: str | None = None
    year_column: str | None = None
    label_column: str | None = None
    value_column: str | None = None


@dataclass(frozen=True)
class Problem:
    """One problem with its place in the file and a Danish explanation; `error` blocks the import."""

    level: str
    code: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    text: str | None = None

    @property
    def blocking(self) -> bool:
        return self.level == ERROR

    def place(self) -> str:
        parts = []
        if self.sheet is not None:
            parts.append(f"ark '{self.sheet}'")
        if self.row is not None:
            parts.append(f"række {self.row}")
        if self.column is not None:
            parts.append(f"kolonne {self.column}")
        return ", ".join(parts)

    def describe(self) -> str:
        """ "Ark 'Data', række 7, kolonne D ('4l,2'): Cellen skal være et tal …" """
        place = self.place()
        cell = f" ('{self.text}')" if self.text not in (None, "") else ""
        head = f"{place[:1].upper()}{place[1:]}{cell}: " if place else ""
        return f"{head}{self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "code": self.code,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "text": self.text,
            "message": self.message,
        }


class FileRejected(Exception):
    """Raised inside the reader when the whole file must be refused; carries the problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def blocking_problem(code: str, message: str, **place: Any) -> Problem:
    return Problem(ERROR, code, message, **place)


def rejection(code: str, message: str, **place: Any) -> FileRejected:
    return FileRejected(blocking_problem(code, message, **place))
