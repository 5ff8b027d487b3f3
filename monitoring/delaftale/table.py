"""The delmål table: find its header, put broken and merged rows back together, one cell per column.

Real documents break a row over many lines (cells wrap, and empty cells are dropped so the rest
slide left), merge the delmål cell over several rows, and put a target on a loose line under its
row. `table_rows` returns each logical row as {column role: text} with the line it started on,
plus Danish warnings for what had to be guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from monitoring.delaftale.document import Line
from monitoring.delaftale.values import figures
from monitoring.names import fold

# Column roles and the Danish heading used in warnings.
COLUMN_NAMES = {
    "subgoal": "Delmål",
    "indicator": "Indikator",
    "baseline": "Baseline",
    "comparator": "Evt. anden baseline",
    "year": "Baseline år",
    "target": "Mål",
    "deadline": "Deadline",
    "source": "Datakilde",
}
VALUE_ROLES = ("baseline", "comparator")
_TARGET_WORDS = re.compile(r"\b(minimum|mindst|maksimum|højst|måltal|målet er)\b", re.I)
_END = re.compile(r"^(aktiviteter, som skal bidrage|medarbejderressourcer|sammenhaeng med den)")


def _compact(text: str) -> str:
    return re.sub(r"[\s\-/.:]", "", fold(text))


def column_role(heading: str) -> str | None:
    """The role of a header cell, however the template spells it ("Baselin e år", "Base-line år")."""
    text = _compact(heading)
    if not text:
        return None
    for prefix, role in (
        ("delmaal", "subgoal"),
        ("indikator", "indicator"),
        ("evtanden", "comparator"),
        ("andenbaseline", "comparator"),
        ("datakilde", "source"),
        ("kilde", "source"),
        ("deadline", "deadline"),
        ("frist", "deadline"),
        ("tidsfrist", "deadline"),
        ("maal", "target"),
    ):
        if text.startswith(prefix):
            return role
    if text.startswith("baseline") and text.endswith("aar"):
        return "year"
    if text.startswith("baseline"):
        return "baseline"
    if text in ("aar", "aarstal"):
        return "year"
    return None


@dataclass
class TableRow:
    """One logical row of the delmål table."""

    number: int  # 1-based, in document order
    cells: dict[str, str]
    merged_subgoal: bool = False  # the delmål cell was blank: the delmål above continues
    broken: bool = False  # reassembled from several lines
    loose: list[str] = field(default_factory=list)  # lines standing alone under the row

    def add(self, role: str, text: str) -> None:
        if text:
            self.cells[role] = (
                f"{self.cells[role]} {text}".strip() if self.cells.get(role) else text
            )


def find_header(lines: list[Line]) -> tuple[int, list[str | None]] | None:
    """Where the table's header is and the role of each of its columns."""
    for index, line in enumerate(lines):
        roles = [column_role(c) for c in line.cells]
        if line.table and "subgoal" in roles and "indicator" in roles and len(line.filled) >= 3:
            return index, roles
    return None


def _is_value_cell(text: str) -> bool:
    found = figures(text)
    return bool(found) and found[-1].unit is not None and not text[found[-1].end :].strip(" )(")


def _continues(line: Line) -> bool:
    first = line.cells[0] if line.cells else ""
    return bool(first) and (first[0].islower() or first[0] in "(-–" or first[0].isdigit())


def _positional(row: TableRow, line: Line, roles: list[str | None], warnings: list[str]) -> None:
    cells = list(line.cells)
    named = [r for r in roles if r]
    if len([c for c in cells[len(roles) :] if c]):
        warnings.append(
            f"Række {row.number} har flere celler end tabellens overskrift; de overskydende er lagt "
            f"til kolonnen '{COLUMN_NAMES[named[-1]]}'."
        )
        extra = " ".join(c for c in cells[len(roles) :] if c)
        cells = cells[: len(roles)]
        cells[-1] = f"{cells[-1]} {extra}".strip()
    for column, (role, text) in enumerate(zip(roles, cells, strict=False)):
        if role:
            row.add(role, text)
        elif text:
            warnings.append(
                f"Række {row.number}, kolonne {column + 1}: kolonnens overskrift er ukendt, så "
                f"teksten '{text}' er ikke brugt; flyt den ved gennemsynet."
            )


def _continuation(row: TableRow, line: Line, roles: list[str | None]) -> None:
    """A wrapped line: figures go to the value columns in order, other text to the rest in order."""
    filled = line.filled
    values = [c for c in filled if _is_value_cell(c)]
    value_roles = [r for r in VALUE_ROLES if r in roles][: len(values)]
    for role, text in zip(value_roles, values, strict=False):
        row.add(role, text)
    free = [r for r in roles if r and r not in value_roles]
    texts = [c for c in filled if c not in values or not value_roles]
    for role, text in zip(free, texts, strict=False):
        row.add(role, text)
    row.broken = True


def table_rows(lines: list[Line], warnings: list[str]) -> list[TableRow]:
    """The logical rows of the first delmål table in the file (none found: empty list)."""
    header = find_header(lines)
    if header is None:
        return []
    start, roles = header
    rows: list[TableRow] = []
    for line in lines[start + 1 :]:
        if _END.match(fold(line.text)) or not line.table:
            break
        current = rows[-1] if rows else None
        if current and _continues(line):
            _continuation(current, line, roles)
        elif len(line.filled) == 1 and line.cells[0]:
            if current is None:
                break  # a paragraph after the header: the table was empty
            current.loose.append(line.filled[0])
        else:
            row = TableRow(number=len(rows) + 1, cells={}, merged_subgoal=not line.cells[0])
            _positional(row, line, roles, warnings)
            rows.append(row)
    for row in rows:
        if row.broken:
            warnings.append(
                f"Række {row.number} er brudt over flere linjer og er sat sammen kolonne for "
                "kolonne; kontrollér delmål, indikator og datakilde."
            )
        for text in row.loose:
            if _TARGET_WORDS.search(text) and figures(text):
                row.add("target", text)
            else:
                row.add("subgoal", text)
                warnings.append(
                    f"Række {row.number}: linjen '{text}' stod alene under rækken og er lagt til "
                    "delmålet; kontrollér den."
                )
    return rows
