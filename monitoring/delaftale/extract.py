"""A delaftale file → one plan in the seed format (`monitoring/data/seed/README.md`) plus warnings.

The header fields are found by their printed labels ("Delaftalen gælder fra - til:"), whatever
line breaks split them; the delmål table by its header (`table.py`). Anything that could not be
read is a Danish warning naming the row and column, for the person who reviews the extraction.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from monitoring.delaftale.document import Line, read_lines
from monitoring.delaftale.indicator import RowReader
from monitoring.delaftale.table import table_rows
from monitoring.delaftale.values import dates_in
from monitoring.errors import MonitorError, readable
from monitoring.kommuner import official_kommune
from monitoring.names import fold, match_key

_LABELS = {
    "name": r"navn paa den boligsociale indsats,? som delaftalen vedroerer:?",
    "period": r"delaftalen gaelder fra ?- ?til:?",
    "parties": r"delaftalens parter:?",
    "subgoals": r"delmaal og indikatorer for indsatsomraadet",
    "activities": r"aktiviteter, som skal bidrage til indfrielsen af delmaalene for indsatsomraadet"
    r" og understoette opnaaelsen af de overordnede maal jf\.? den strategiske samarbejdsaftale:?",
    "staff": r"medarbejderressourcer for indsatsomraadet:?",
    "context": r"sammenhaeng med den kommunale indsats i boligomraadet:?",
}
_AREA_OF_EFFORT = re.compile(r"delaftale for indsatsområdet\s+(.+)", re.I)
_KOMMUNE = re.compile(r"([A-ZÆØÅ][\wæøåÆØÅ-]+)\s+[Kk]ommune\b")
_BULLETS = re.compile(r"\s*[•·▪−]\s*")
_PLAN_PREFIX = re.compile(
    r"^(boligsocial(?:e)? helhedsplan(?:en)?(?: i)?|helhedsplan(?:en)?(?: i)?|den boligsociale "
    r"helhedsplan(?: i)?)\s+",
    re.I,
)


@dataclass
class Extraction:
    """What was read: the plan in the seed format and what the reviewer must look at."""

    content: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def slugify(text: str) -> str:
    """Lower-case ascii words joined by hyphens ("Løvvangen" → "loevvangen")."""
    folded = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return re.sub(r"[^a-z0-9]+", "-", fold(folded)).strip("-")[:80]


def _segments(lines: list[Line]) -> list[str]:
    return [line.text for line in lines if line.text]


def _label_at(segments: list[str], i: int) -> tuple[str, int] | None:
    """The label starting at segment i (also when a line break split it) and how many it spans."""
    for span in (1, 2, 3):
        text = fold(" ".join(segments[i : i + span]))
        for key, pattern in _LABELS.items():
            # The delmål heading may run on into the explanation below it (one paragraph).
            matched = re.match(pattern, text) if key == "subgoals" else re.fullmatch(pattern, text)
            if matched:
                return key, span
    return None


def _sections(segments: list[str]) -> dict[str, list[str]]:
    """The segments after each label, up to the next label (first occurrence of each label)."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    i = 0
    while i < len(segments):
        hit = _label_at(segments, i)
        if hit:
            key, span = hit
            current = found.setdefault(key, []) if key not in found else None
            i += span
            continue
        if current is not None:
            current.append(segments[i])
        i += 1
    return found


def _items(texts: list[str]) -> list[str]:
    """List items: one per line, or split at bullets when a line holds several."""
    items: list[str] = []
    for text in texts:
        parts = _BULLETS.split(text.removeprefix("- ").removeprefix("– "))
        items.extend(p.strip(" .;") for p in parts if p.strip(" .;"))
    return items


def _kommune(text: str) -> tuple[str, str] | None:
    counts = Counter(
        official_kommune(m.group(1))
        for m in _KOMMUNE.finditer(text)
        if official_kommune(m.group(1))
    )
    return counts.most_common(1)[0][0] if counts else None


def _plan_name(section: list[str], area_of_effort: str, warnings: list[str]) -> str:
    if not section:
        warnings.append("Feltet 'Navn på den boligsociale indsats' blev ikke fundet.")
        return "Ukendt helhedsplan"
    name = section[0].strip(" .")
    head, sep, tail = name.rpartition(",")
    if sep and area_of_effort and fold(tail.strip()).startswith(fold(area_of_effort)[:8]):
        name = head.strip()
    if fold(name) == fold(area_of_effort):
        warnings.append(
            f"Feltet 'Navn på den boligsociale indsats' siger '{name}', som er indsatsområdet; "
            "ret planens navn ved gennemsynet."
        )
    return name


def extract(lines: list[Line], file_name: str) -> Extraction:
    """The plan one delaftale describes (a MonitorError when the file holds no delmål table)."""
    warnings: list[str] = []
    segments = _segments(lines)
    sections = _sections(segments)
    whole = "\n".join(segments)
    effort_match = _AREA_OF_EFFORT.search(whole)
    area_of_effort = effort_match.group(1).strip(" *|") if effort_match else ""
    if not area_of_effort:
        warnings.append("Overskriften 'Delaftale for indsatsområdet …' blev ikke fundet.")
        area_of_effort = "Ukendt indsatsområde"
    name = _plan_name(sections.get("name", []), area_of_effort, warnings)
    kommune = _kommune(whole)
    if kommune is None:
        warnings.append("Kommunen kunne ikke findes i teksten; vælg den ved gennemsynet.")
    kommune_name, kommune_code = kommune or ("Ukendt", "0")
    period = [d for d, _s, _e in dates_in(" ".join(sections.get("period", [])[:1]))]
    if len(period) < 2:
        warnings.append("Feltet 'Delaftalen gælder fra - til' kunne ikke læses som to datoer.")
    rows = table_rows(lines, warnings)
    if not rows:
        raise MonitorError(
            f"Filen '{readable(file_name)}' indeholder ingen tabel med delmål og indikatorer "
            "(overskrifterne 'Delmål' og 'Indikator' blev ikke fundet)."
        )
    main_area = _PLAN_PREFIX.sub("", name).strip() or name
    slug = slugify(f"{kommune_name} {main_area}")
    reader = RowReader(kommune_name, name, warnings)
    subgoals: list[dict[str, Any]] = []
    for row in rows:
        text = row.cells.get("subgoal", "")
        if row.merged_subgoal and subgoals:
            subgoal = subgoals[-1]
        else:
            subgoal = next((s for s in subgoals if match_key(s["text"]) == match_key(text)), None)
            if subgoal is not None and subgoal is not subgoals[-1]:
                warnings.append(
                    f"Række {row.number} har samme delmål som en tidligere række ('{text}'); "
                    "indikatoren er lagt under det delmål."
                )
            if subgoal is None:
                if not text:
                    warnings.append(f"Række {row.number}, kolonne 'Delmål': cellen er tom.")
                subgoal = {"text": text or f"Delmål {len(subgoals) + 1}", "indicators": []}
                subgoals.append(subgoal)
        subgoal["indicators"].append(reader.indicator(row, subgoal["text"]))
    content = {
        "slug": slug,
        "name": name,
        "kommune": {"name": kommune_name, "code": kommune_code},
        "areas": [{"name": main_area, "kind": "boligomraade"}],
        "agreement": {
            "area_of_effort": area_of_effort,
            "period": {
                "start": period[0] if period else None,
                "end": period[1] if len(period) > 1 else None,
            },
            "parties": _items(sections.get("parties", [])),
            "activities": _items(sections.get("activities", [])),
            "staff_resources": " ".join(sections.get("staff", [])) or None,
            "subgoals": subgoals,
        },
        "measures": [],
    }
    return Extraction(content=content, warnings=warnings)


def read_delaftale(data: bytes, file_name: str) -> Extraction:
    """Read a delaftale (.docx or text) into a plan; unreadable files are one Danish sentence."""
    return extract(read_lines(data, file_name), file_name)
