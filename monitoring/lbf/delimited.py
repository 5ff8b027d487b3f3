"""From CSV/semicolon text to a grid: encoding and delimiter detection."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path
from typing import Any

from monitoring.lbf.cells import Grid
from monitoring.lbf.problems import rejection


def _decode_text(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise rejection(
            "encoding",
            "CSV-filens tegnsæt kan ikke genkendes (hverken UTF-8 eller Windows-1252). Gem den "
            "igen som 'CSV UTF-8' og upload den.",
        ) from exc


def _csv_delimiter(text: str) -> str:
    """The delimiter that splits most lines into the same number of fields (two or more).

    Lines of one field (title lines, footnotes) say nothing; a field too long for the csv module
    (a line without this delimiter) rules the delimiter out.
    """
    lines = [line for line in text.splitlines()[:100] if line.strip()]
    best, best_score = ";", (0, 0)
    for delimiter in (";", "\t", ","):
        try:
            counts = [n for row in csv.reader(lines, delimiter=delimiter) if (n := len(row)) > 1]
        except csv.Error:
            continue
        if not counts:
            continue
        common, frequency = Counter(counts).most_common(1)[0]
        score = (frequency, common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def csv_grids(data: bytes, file_name: str) -> tuple[list[Grid], str, str]:
    text, encoding = _decode_text(data)
    if not text.strip():
        raise rejection("empty_workbook", "CSV-filen er tom. Tjek, at det er den rigtige fil.")
    delimiter = _csv_delimiter(text)
    try:
        rows: list[list[Any]] = [
            [cell if cell.strip() else None for cell in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise rejection(
            "corrupt", f"CSV-filen kan ikke læses: {exc}. Gem den igen fra Excel og upload den."
        ) from exc
    # "Østerbro, Guldborgsund Kommune" on a title line of a comma file is split in two cells.
    joiner = ", " if delimiter == "," else " "
    grid = Grid(Path(file_name).stem or "CSV", rows, title_joiner=joiner)
    return [grid], encoding, delimiter
