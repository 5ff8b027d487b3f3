"""One delmål row of the table as an indikator in the seed format: numbers, unit, comparators, target.

What a cell says in words ("Afventer data", "?") is kept as a note and flagged, never dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from monitoring.delaftale.direction import propose_direction
from monitoring.delaftale.table import COLUMN_NAMES, TableRow
from monitoring.delaftale.values import Figure, dates_in, figures, is_year, year_of
from monitoring.kommuner import official_kommune
from monitoring.names import fold

NO_YEAR = "Året fremgår ikke af delaftalen."
_KOMMUNE = re.compile(r"([A-ZÆØÅ][\wæøåÆØÅ-]+)\s+[Kk]ommune\b")
_DEADLINE = re.compile(r"\b(inden|senest|før|pr\.?)\s*$", re.I)


def _where(row: TableRow, role: str) -> str:
    return f"Række {row.number}, kolonne '{COLUMN_NAMES[role]}'"


def comparator_label(text: str) -> str:
    """The reference a comparator names: "Hele kommunen", "Horsens Kommune", or "Anden baseline"."""
    folded = fold(text)
    for phrase, label in (
        ("hele kommunen", "Hele kommunen"),
        ("andre almene boligomraader", "Andre almene boligområder"),
        ("hele landet", "Hele landet"),
    ):
        if phrase in folded:
            return label
    for match in _KOMMUNE.finditer(text):
        if official_kommune(match.group(1)):
            return f"{official_kommune(match.group(1))[0]} Kommune"  # type: ignore[index]
    label = re.sub(r"^pr\.?\s*", "", text.strip(" :()"), flags=re.I).strip(" :()")
    return label or "Anden baseline"


def comparator_area(label: str, kommune: str, plan_name: str) -> dict[str, str]:
    """Where a comparator's series lives, in the seed format (the plan's kommune by default)."""
    if label in ("Hele kommunen", f"{kommune} Kommune"):
        return {"kind": "kommune"}
    if label.endswith(" Kommune") and official_kommune(label):
        return {"kind": "kommune", "name": label.removesuffix(" Kommune")}
    if label == "Andre almene boligområder":
        return {"kind": "benchmark", "name": f"Andre almene boligområder i {kommune} Kommune"}
    if label == "Anden baseline":
        return {"kind": "benchmark", "name": f"Anden baseline (delaftale {plan_name})"}
    return {"kind": "benchmark", "name": label}


def _segments(text: str, found: list[Figure]) -> list[tuple[str, Figure]]:
    """Split a cell holding several comparators at its figures: label before or after the number."""
    label_after = not text[: found[0].start].strip(" :") and text[found[-1].end :].strip()
    pieces: list[tuple[str, Figure]] = []
    for i, fig in enumerate(found):
        if label_after:
            end = found[i + 1].start if i + 1 < len(found) else len(text)
            pieces.append((text[fig.start : end].strip(), fig))
        else:
            begin = found[i - 1].end if i else 0
            pieces.append((text[begin : fig.end].strip(), fig))
    return pieces


class RowReader:
    """Turns the rows of one table into indikatorer, collecting warnings as it goes."""

    def __init__(self, kommune: str, plan_name: str, warnings: list[str]) -> None:
        self.kommune = kommune
        self.plan_name = plan_name
        self.warnings = warnings

    def _baseline(self, row: TableRow) -> tuple[dict[str, Any], Figure | None]:
        text = row.cells.get("baseline", "")
        found = figures(text)
        if len(found) > 1:
            self.warnings.append(
                f"{_where(row, 'baseline')}: flere tal i cellen ('{text}'); det sidste er brugt."
            )
        figure = found[-1] if found else None
        year_text = row.cells.get("year", "")
        year = None
        if year_text and is_year(year_text):
            year = int(year_text)
        elif year_text:
            self.warnings.append(f"{_where(row, 'year')}: '{year_text}' er ikke et årstal.")
        if year is None:
            year = year_of(text)
        note = None
        if figure is None and text:
            note = text
            if not dates_in(text):
                self.warnings.append(
                    f"{_where(row, 'baseline')}: '{text}' er ikke et tal; teksten er gemt som note."
                )
        elif figure is None:
            self.warnings.append(f"{_where(row, 'baseline')}: cellen er tom.")
        elif year is None:
            note = NO_YEAR
        value = figure.value if figure else None
        baseline = {"value": value, "year": year, "note": note, "as_written": text or None}
        return baseline, figure

    def _comparators(self, row: TableRow, year: int | None) -> list[dict[str, Any]]:
        text = row.cells.get("comparator", "")
        if not text:
            return []
        found = figures(text)
        if not found:
            self.warnings.append(
                f"{_where(row, 'comparator')}: '{text}' er ikke et tal; der er ingen anden "
                "baseline gemt."
            )
            return []
        comparators = []
        for piece, fig in _segments(text, found):
            label = comparator_label(piece.replace(text[fig.start : fig.end], " "))
            comparators.append(
                {
                    "label": label,
                    "value": fig.value,
                    "year": year_of(piece) or year,
                    "area": comparator_area(label, self.kommune, self.plan_name),
                    "as_written": piece,
                }
            )
        return comparators

    def _target(self, row: TableRow) -> dict[str, Any] | None:
        text = row.cells.get("target", "")
        if not text:
            return None
        found = figures(text)
        if not found:
            self.warnings.append(
                f"{_where(row, 'target')}: '{text}' er ikke et tal; målet er gemt som note."
            )
        return {"value": found[0].value if found else None, "year": year_of(text), "note": text}

    def _deadline(self, row: TableRow) -> dt.date | None:
        text = row.cells.get("deadline") or row.cells.get("indicator", "")
        for date, start, _end in dates_in(text):
            before = text[:start]
            if row.cells.get("deadline") or _DEADLINE.search(before):
                inden = re.search(r"\b(inden|før)\s*$", before, re.I)
                return date - dt.timedelta(days=1) if inden else date
        return None

    def _unit(self, row: TableRow, figure: Figure | None, target: dict[str, Any] | None,
              deadline: dt.date | None) -> str:  # fmt: skip
        if figure is not None and figure.unit:
            return figure.unit
        target_units = [f.unit for f in figures(target["note"])] if target else []
        if target_units and target_units[0]:
            return target_units[0]
        if deadline is not None and figure is None:
            return "status"
        name = fold(row.cells.get("indicator", ""))
        if name.startswith("andel"):
            return "pct"
        if name.startswith(("antal", "personer", "borgere", "beboere")) or figure is not None:
            return "count"
        self.warnings.append(
            f"{_where(row, 'indicator')}: enheden kunne ikke afgøres; antal er foreslået."
        )
        return "count"

    def _shifted_source(self, row: TableRow) -> None:
        """Text without a figure under "Evt. anden baseline" while Datakilde is blank: the export
        dropped the empty comparator cell and the datakilde slid one column left."""
        text = row.cells.get("comparator", "")
        if text and not figures(text) and not row.cells.get("source"):
            row.cells["source"] = row.cells.pop("comparator")
            self.warnings.append(
                f"{_where(row, 'comparator')}: '{text}' er ikke et tal og kolonnen 'Datakilde' er "
                "tom; teksten er læst som datakilde."
            )

    def indicator(self, row: TableRow, subgoal: str) -> dict[str, Any]:
        self._shifted_source(row)
        name = row.cells.get("indicator", "").rstrip(" :")
        if not name:
            self.warnings.append(f"{_where(row, 'indicator')}: cellen er tom.")
        baseline, figure = self._baseline(row)
        target = self._target(row)
        deadline = self._deadline(row)
        unit = self._unit(row, figure, target, deadline)
        if unit == "pct" and figure is not None and not 0 <= figure.value <= 100:
            self.warnings.append(
                f"{_where(row, 'baseline')}: {figure.value:g} % ligger uden for 0-100."
            )
        direction = propose_direction(
            subgoal, name, row.cells.get("baseline", ""), target["note"] if target else "", unit
        )
        if direction == 0:
            self.warnings.append(
                f"{_where(row, 'indicator')}: retningen (højere eller lavere er bedre) fremgår ikke; "
                "vælg den ved gennemsynet."
            )
        return {
            "name": name,
            "unit": unit,
            "direction": direction,
            "baseline": baseline,
            "comparators": self._comparators(row, baseline["year"]),
            "target": target,
            "deadline": deadline,
            "source": row.cells.get("source") or None,
        }
