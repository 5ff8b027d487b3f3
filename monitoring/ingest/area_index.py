"""The store's areas and helhedsplaner, indexed for resolving the area texts of an upload.

A plan is found by its name as written ("Boligsocial Helhedsplan i Løvvangen") and by its name
without plan words ("Løvvangen"); it stands for its boligområde (the plan's main area).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitoring.ingest.area_text import kommune_name, parse_area_text
from monitoring.ingest.types import KIND_NAMES
from monitoring.lbf import match_key  # cached
from monitoring.store.models import Area, Plan, PlanArea

KIND_ORDER = {"afdeling": 0, "boligomraade": 1, "benchmark": 2, "kommune": 3}
MIN_NAME_KEY = 4  # shorter names are not looked for inside longer texts
MAX_WORDS = 30  # longer texts are no area names; only their first words are searched


@dataclass
class StoreArea:
    id: int
    name: str
    kind: str
    code: str | None
    key: str
    parent_id: int | None
    number: str | None = None  # afdelingsnummer from the code or the name
    org: str | None = None  # boligorganisationsnummer, when the code has one ("611-12")
    name_key: str = ""  # the name without its afdelingsnummer


@dataclass
class StorePlan:
    id: int
    name: str
    main_area_id: int
    kommune_id: int
    area_ids: tuple[int, ...]


class AreaIndex:
    """Areas by name, number, kommune and plan; everything the resolver asks the store."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(
            select(Area.id, Area.name, Area.kind, Area.code, Area.match_key, Area.parent_id)
        )
        self.by_id = {r.id: StoreArea(*r) for r in rows}
        self.by_key: dict[str, list[StoreArea]] = {}
        self.by_number: dict[str, list[StoreArea]] = {}
        self.kommune_by_code: dict[str, StoreArea] = {}
        self._kommuner: dict[tuple[str | None, str | None], StoreArea | None] = {}
        self.children: dict[int, list[int]] = {}
        for area in self.by_id.values():
            self.by_key.setdefault(area.key, []).append(area)
            if area.parent_id is not None:
                self.children.setdefault(area.parent_id, []).append(area.id)
            if area.kind == "kommune" and area.code:
                self.kommune_by_code[area.code.lstrip("0")] = area
            if area.kind == "afdeling":
                parsed = parse_area_text(area.name, area.code)
                area.number, area.org, area.name_key = parsed.number, parsed.org, parsed.name_key
                if area.number:
                    self.by_number.setdefault(area.number, []).append(area)
        members: dict[int, list[int]] = {}
        for plan_id, area_id in session.execute(
            select(PlanArea.plan_id, PlanArea.area_id).order_by(PlanArea.position)
        ):
            members.setdefault(plan_id, []).append(area_id)
        self.plans: dict[str, StorePlan] = {}
        for plan_id, name, main, kommune in session.execute(
            select(Plan.id, Plan.name, Plan.main_area_id, Plan.kommune_id)
        ):
            plan = StorePlan(plan_id, name, main, kommune, tuple(members.get(plan_id, [main])))
            for key in (match_key(name), parse_area_text(name).key):
                if key:
                    self.plans.setdefault(key, plan)
        # Names to look for inside longer texts: boligområder, afdelinger and plans.
        self.names: dict[str, list[StoreArea]] = {}
        for key, areas in self.by_key.items():
            for area in areas:
                if area.kind not in ("kommune", "benchmark") and len(key) >= MIN_NAME_KEY:
                    self.names.setdefault(key, []).append(area)
        for key, plan in self.plans.items():
            if len(key) >= MIN_NAME_KEY and plan.main_area_id in self.by_id:
                self.names.setdefault(key, []).append(self.by_id[plan.main_area_id])

    def ancestors(self, area: StoreArea) -> set[int]:
        seen: set[int] = set()
        parent = area.parent_id
        while parent is not None and parent not in seen:
            seen.add(parent)
            parent = self.by_id[parent].parent_id if parent in self.by_id else None
        return seen

    def kommune_of(self, area: StoreArea) -> StoreArea | None:
        if area.kind == "kommune":
            return area
        found = [self.by_id[i] for i in self.ancestors(area) if i in self.by_id]
        return next((a for a in found if a.kind == "kommune"), None)

    def descendants(self, area_id: int) -> set[int]:
        found: set[int] = set()
        todo = [area_id]
        while todo:
            for child in self.children.get(todo.pop(), []):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found

    def kommune(self, text: str | None, code: str | None = None) -> StoreArea | None:
        """The store's kommune for a kommunekode, "Horsens", "Horsens Kommune" or "HORSENS"."""
        if (text, code) not in self._kommuner:
            self._kommuner[text, code] = self._kommune(text, code)
        return self._kommuner[text, code]

    def _kommune(self, text: str | None, code: str | None) -> StoreArea | None:
        if code and code.strip().lstrip("0") in self.kommune_by_code:
            return self.kommune_by_code[code.strip().lstrip("0")]
        if not text:
            return None
        named = kommune_name(text)
        keys = {match_key(text), match_key(f"{text} Kommune")}
        if named is not None:
            keys.add(match_key(named[0]))
            if named[1] and named[1] in self.kommune_by_code:
                return self.kommune_by_code[named[1]]
        for key in keys:
            for area in self.by_key.get(key, []):
                if area.kind == "kommune":
                    return area
        return None

    def plan(self, key: str) -> StorePlan | None:
        return self.plans.get(key)

    def find(self, target: int | str) -> StoreArea | None:
        """An area the user named: its id, its name as people type it, or its plan's name."""
        text = str(target).strip()
        if text.isdigit() and int(text) in self.by_id:
            return self.by_id[int(text)]
        key = match_key(text)
        named = sorted(self.by_key.get(key, []), key=lambda a: KIND_ORDER.get(a.kind, 9))
        if named:
            return named[0]
        plan = self.plans.get(key) or self.plans.get(parse_area_text(text).key)
        if plan is not None:
            return self.by_id.get(plan.main_area_id)
        kommune = self.kommune(text)
        return kommune

    def contained(self, key: str, *, equal: bool = False) -> list[tuple[str, StoreArea]]:
        """(name key, area) of the known boligområder, afdelinger and plans whose name appears in
        `key` as whole words, longest name first; `equal`: a name that is all of `key` counts.
        Looks up every run of words (at most MAX_WORDS of them), so it costs the same for a store
        of 20 or 20,000 areas."""
        words = key.split()[:MAX_WORDS]
        found: dict[int, tuple[str, StoreArea]] = {}
        for start in range(len(words)):
            for end in range(start + 1, len(words) + 1):
                name_key = " ".join(words[start:end])
                if not equal and name_key == key:
                    continue
                for area in self.names.get(name_key, []):
                    best = found.get(area.id)
                    if best is None or len(best[0]) < len(name_key):
                        found[area.id] = (name_key, area)
        return sorted(found.values(), key=lambda x: (-len(x[0]), KIND_ORDER.get(x[1].kind, 9)))

    def in_titles(self, lines: Sequence[str]) -> StoreArea | None:
        """The boligområde, afdeling or plan a title block names: the longest name in a line."""
        found = [hit for line in lines for hit in self.contained(match_key(line), equal=True)[:1]]
        return max(found, key=lambda hit: len(hit[0]))[1] if found else None

    def label(self, area: StoreArea) -> str:
        """ "Løvvangen (boligområde, Aalborg Kommune)" for messages and choices."""
        kommune = self.kommune_of(area)
        where = f", {kommune.name}" if kommune is not None and kommune.id != area.id else ""
        return f"{area.name} ({KIND_NAMES.get(area.kind, area.kind)}{where})"
