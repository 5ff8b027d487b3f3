"""A delaftale file as lines of cells, whatever it was: a Word document or a text export.

Every later step reads `Line`s: a paragraph is a line with one cell, a table row a line with
one cell per column. A Word table's merged cells come out once (horizontally) or as blank
cells below the first (vertically), the same as a text export shows them; a cell's own line
breaks become spaces, so a heading split by a stray break reads as one heading.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from monitoring.errors import MonitorError, readable

MAX_BYTES = 20 * 1024 * 1024
_MARKUP = re.compile(r"<[^>]{1,200}>|\*\*|(?<!\w)\*|\*(?!\w)|__")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Line:
    """One paragraph (one cell) or one table row (several); `table` says which."""

    cells: tuple[str, ...]
    table: bool

    @property
    def text(self) -> str:
        return " ".join(c for c in self.cells if c)

    @property
    def filled(self) -> list[str]:
        return [c for c in self.cells if c]


def clean(text: str) -> str:
    """A cell's text on one line, without Markdown/HTML emphasis the export left in it."""
    return _SPACE.sub(" ", _MARKUP.sub(" ", text)).strip()


def _text_line(raw: str) -> Line | None:
    if set(raw.strip()) <= set("-\t| "):  # blank, or a Markdown table's ---- rule
        return None
    if "\t" in raw:
        return Line(tuple(clean(c) for c in raw.split("\t")), table=True)
    if "|" in raw:
        parts = raw.split("|")
        if not parts[-1].strip():
            parts = parts[:-1]
        if raw.lstrip().startswith("|"):  # a Markdown table row: | a | b |
            parts = parts[1:]
        return Line(tuple(clean(c) for c in parts), table=True)
    return Line((clean(raw),), table=False)


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:4096]:
        raise MonitorError(
            f"Filen '{name}' er hverken et Word-dokument (.docx) eller almindelig tekst; "
            "gem delaftalen som .docx eller .txt og prøv igen."
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise MonitorError(f"Filen '{name}' kan ikke læses som tekst (ukendt tegnsæt).")


MAX_UNPACKED = 200 * 1024 * 1024


def _check_package(data: bytes, name: str) -> None:
    """Refuse a .docx that unpacks to far more than a document (a zip bomb) or declares XML
    entities, counting the inflated bytes as the LBF reader does (declared sizes can lie)."""
    from monitoring.lbf.filecheck import _inflate_member

    budget = MAX_UNPACKED
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
        for info in members:
            size, _content, danger = _inflate_member(data, info, budget, keep=False)
            budget -= size
            if danger:
                raise MonitorError(
                    f"Filen '{name}' indeholder XML-erklæringer (DOCTYPE/ENTITY), som et "
                    "Word-dokument ikke bruger; den åbnes ikke."
                )
            if budget < 0:
                raise MonitorError(
                    f"Filen '{name}' pakker ud til mere end {MAX_UNPACKED // 1_048_576} MB; det er ikke "
                    "en delaftale."
                )
    except (zipfile.BadZipFile, ValueError, zlib.error) as exc:
        raise MonitorError(f"Filen '{name}' er et beskadiget Word-dokument; gem den igen.") from exc


def _docx_lines(data: bytes, name: str) -> list[Line]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise MonitorError(
            f"Filen '{name}' kan ikke åbnes som Word-dokument (.docx); den er beskadiget eller "
            "i et andet format. Gem den igen som .docx og prøv igen."
        ) from exc
    lines: list[Line] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            for part in block.text.split("\n"):
                line = _text_line(part)
                if line is not None:
                    lines.append(line)
        elif isinstance(block, Table):
            lines.extend(_table_lines(block))
    return lines


def _table_lines(table: object) -> list[Line]:
    """Rows of a Word table; a merged cell is kept once, its continuation below is blank."""
    lines: list[Line] = []
    above: list[object] = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells: list[str] = []
        seen: list[object] = []
        for column, cell in enumerate(row.cells):
            if seen and cell._tc is seen[-1]:
                continue  # merged across columns: one cell
            seen.append(cell._tc)
            merged_down = column < len(above) and above[column] is cell._tc
            cells.append("" if merged_down else clean(cell.text))
        above = [c._tc for c in row.cells]
        if any(cells):
            lines.append(Line(tuple(cells), table=len(cells) > 1))
    return lines


def read_lines(data: bytes, file_name: str) -> list[Line]:
    """The file's lines; one Danish sentence naming the file when it cannot be read at all."""
    name = readable(file_name)
    if not data.strip():
        raise MonitorError(f"Filen '{name}' er tom.")
    if len(data) > MAX_BYTES:
        raise MonitorError(f"Filen '{name}' er større end 20 MB; det er ikke en delaftale.")
    if data[:2] == b"PK":
        _check_package(data, name)
        return _docx_lines(data, name)
    lines = [_text_line(raw) for raw in _decode(data, name).splitlines()]
    return [line for line in lines if line is not None]
