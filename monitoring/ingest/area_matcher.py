"""One area text of an upload matched to a store area, a new area, or a question.

Order for one text: the person's choice now, the choice remembered from an earlier upload, a
benchmark, a store area's name, a kommune, a helhedsplan's name, an afdeling by number, a known
name inside the text. Only then a new area — and only for text that is plausibly an area name and
contains no known area's or plan's name. Anything else is asked: a blocking problem naming sheet,
row and the candidates, and an `AreaQuestion` for the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from monitoring.ingest.area_index import KIND_ORDER, AreaIndex, StoreArea
from monitoring.ingest.area_text import (
    BENCHMARK_NAMES,
    WHOLE_KOMMUNE,
    AreaText,
    is_benchmark,
    kommune_name,
    parse_area_text,
    why_not_a_name,
)
from monitoring.ingest.types import AreaMatch, AreaQuestion, Upload
from monitoring.lbf import (
    ERROR,
    WARNING,
    Problem,
    match_key,  # cached
)
from monitoring.names import kommune_area_name

CREATE_NEW = ""  # an `area_map` / `sheet_areas` value: create the file's text as a new area
MAX_CANDIDATES = 6
_FILLER = {
    "i",
    "for",
    "og",
    "den",
    "det",
    "boligomraadet",
    "omraadet",
    "boligomraade",
    "omraade",
    "helhedsplan",
    "helhedsplanen",
    "boligsocial",
    "boligsociale",
}


@dataclass
class Where:
    """Where a text stands, for the question: a sheet (time series) or its first row."""

    sheet: str | None
    row: int | None
    cells: int


@dataclass
class Mention:
    """One area text as the file mentions it: what it writes beside it, where, and its parts."""

    text: str
    code: str | None
    kommune_text: str | None
    kommune_code: str | None
    where: Where
    parsed: AreaText = field(init=False)

    def __post_init__(self) -> None:
        self.parsed = parse_area_text(self.text, self.code)
        self.kommune_text = self.kommune_text or self.parsed.kommune  # "Bo Trivsel (Horsens K.)"

    def found(self, area: StoreArea, how: str) -> AreaMatch:
        return AreaMatch(
            self.text, self.code, self.kommune_text, area.name, area.kind, area.id, False, how
        )


class AreaMatcher:
    """Resolves mentions one by one, in file order; remembers what the file has named so far
    (the context for a bare afdelingsnummer) and the new kommuner to create as parents."""

    def __init__(
        self,
        upload: Upload,
        index: AreaIndex,
        memory: Mapping[str, int],
        text_map: Mapping[str, int | str],
        measure_names: Iterable[str],
    ) -> None:
        self.upload, self.index, self.memory = upload, index, memory
        self.text_map = {match_key(str(k)): v for k, v in text_map.items()}
        self.measure_keys = {match_key(name) for name in measure_names}
        self.problems = upload.problems
        self.new_kommuner: dict[str, AreaMatch] = {}
        self.context: set[int] = set()  # areas named elsewhere in the file, with their afdelinger
        self.file_kommune: str | None = None  # the one kommune the file names, if only one

    # --- helpers -------------------------------------------------------------------------

    def _own_kommune(self, item: Mention) -> str | None:
        """The match key of the kommune the row or sheet itself names (in the store or not)."""
        store = self.index.kommune(item.kommune_text, item.kommune_code)
        if store is not None:
            return store.key
        if item.kommune_text:
            return match_key(kommune_spec(item.kommune_text, None)[0])
        return None

    def _kommune_hint(self, item: Mention) -> str | None:
        """The row's or sheet's own kommune, else the one kommune the file names."""
        own = self._own_kommune(item)
        return own or (match_key(self.file_kommune) if self.file_kommune else None)

    def _fits(self, area: StoreArea, kommune_key: str | None) -> bool:
        kommune = self.index.kommune_of(area)
        return kommune_key is None or kommune is None or kommune.key == kommune_key

    def _creatable(self, item: Mention) -> bool:
        """A person may choose to create the text as a new area."""
        return why_not_a_name(item.parsed.core, self.measure_keys, automatic=False) is None

    def _found(self, item: Mention, area: StoreArea, how: str) -> AreaMatch:
        if area.kind not in ("kommune", "benchmark"):
            self.context.add(area.id)
            self.context.update(self.index.descendants(area.id))
        return item.found(area, how)

    def _ask(
        self, item: Mention, reason: str, candidates: Iterable[StoreArea], can_create: bool
    ) -> None:
        where = item.where
        ranked = list({a.id: a for a in candidates}.values())[:MAX_CANDIDATES]
        question = AreaQuestion(
            item.text,
            where.sheet,
            where.row,
            where.cells,
            reason,
            [a.id for a in ranked],
            can_create,
        )
        self.upload.questions.append(question)
        listed = "; ".join(self.index.label(a) for a in ranked)
        cells = f"{where.cells} {'celle' if where.cells == 1 else 'celler'}"
        message = (
            f"Området '{item.text}' ({cells}) kan ikke knyttes sikkert til ét område i "
            f"databasen: {reason}."
            + (f" Mulige områder: {listed}." if ranked else "")
            + f' Vælg området på siden, eller brug --area "{question.option_key}=OMRÅDE"'
            + (" (tomt OMRÅDE: opret det som nyt område)" if can_create else "")
            + "."
        )
        self.problems.append(
            Problem(
                ERROR, "area_unclear", message, sheet=where.sheet, row=where.row, text=item.text
            )
        )

    def _with_afdelinger(self, areas: list[StoreArea]) -> list[StoreArea]:
        found = list(areas)
        for area in areas:
            children = [self.index.by_id[i] for i in sorted(self.index.descendants(area.id))]
            found += sorted(children, key=lambda a: KIND_ORDER.get(a.kind, 9))
        return found

    # --- the person's choice -------------------------------------------------------------

    def chosen(
        self, item: Mention, target: int | str, *, remember: bool = True
    ) -> AreaMatch | None:
        """The area the person tied this text (or sheet) to; CREATE_NEW makes it a new area.
        `remember`: keep the tie for next year's file (not for a sheet's implicit title)."""
        if str(target).strip() == CREATE_NEW:
            return self._create_chosen(item)
        area = self.index.find(target)
        if area is None:
            self.problems.append(
                Problem(
                    ERROR,
                    "unknown_area",
                    f"Området '{target}', som '{item.text}' skulle knyttes til, findes ikke. "
                    "Skriv områdets navn, som det står i databasen, eller dets nummer.",
                )
            )
            return None
        if item.text and remember:
            self.upload.area_choices[item.text] = area.id
        return self._found(item, area, "valgt")

    def _create_chosen(self, item: Mention) -> AreaMatch | None:
        reason = (
            why_not_a_name(item.parsed.core, self.measure_keys, automatic=False)
            if item.text
            else "arket nævner intet område"
        )
        if reason is not None:
            self.problems.append(
                Problem(
                    ERROR,
                    "area_cannot_be_created",
                    f"'{item.text}' kan ikke oprettes som nyt område: {reason}. Vælg et område, "
                    "der findes.",
                    text=item.text,
                )
            )
            return None
        hint = self._kommune_hint(item)
        inside = [a for _, a in self.index.contained(item.parsed.key) if self._fits(a, hint)]
        parent = None
        if inside:  # "Løvvangen, afd. 3" under Løvvangen; "Løvvangen Nord" in Løvvangen's kommune
            parent = inside[0] if item.parsed.number else self.index.kommune_of(inside[0])
        match = self._new(item, how="valgt", parent=parent)
        if any(a.kind == match.kind for a in self.index.by_key.get(match_key(match.name), [])):
            match.name = f"{match.name} ({match.parent_name or 'ny'})"  # taken in another kommune
        return match

    # --- automatic resolution ------------------------------------------------------------

    def match(self, item: Mention) -> AreaMatch | None:
        """The store area (or a new one) for one area text; None when it must be asked."""
        key, parsed = match_key(item.text), item.parsed
        code_key = match_key(item.code or "")
        if key in self.text_map or (code_key and code_key in self.text_map):
            return self.chosen(item, self.text_map.get(key, self.text_map.get(code_key, "")))
        remembered = self.index.by_id.get(self.memory.get(key, -1))
        if remembered is not None:
            return self._found(item, remembered, "husket")
        if is_benchmark(parsed.raw) or is_benchmark(parsed.core):
            return self._benchmark(item)
        if key in WHOLE_KOMMUNE or parsed.key in WHOLE_KOMMUNE:
            return self._whole_kommune(item)
        for name_key in dict.fromkeys((key, parsed.key)):
            named = [a for a in self.index.by_key.get(name_key, []) if a.kind != "kommune"]
            if named:
                return self._named(item, named)
        if not parsed.plan_marked and kommune_name(parsed.core) is not None:
            store = self.index.kommune(parsed.core)
            if store is not None:
                return self._found(item, store, "kommune")
            return _new_kommune(item.text, *kommune_spec(parsed.core, None))
        plan = self.index.plan(key) or self.index.plan(parsed.key)
        if plan is not None and not parsed.number:
            area = self.index.by_id[plan.main_area_id]
            if self._fits(area, self._kommune_hint(item)):
                return self._found(item, area, "helhedsplan")
            self._ask(item, "helhedsplanen ligger i en anden kommune end filens", [area], False)
            return None
        if parsed.number:
            numbered = self._numbered(item)
            if numbered is not False:
                return numbered
        return self._unknown(item)

    def _unknown(self, item: Mention) -> AreaMatch | None:
        """No area has the text's name: a known name inside it, or else a new area if plausible.
        Only the row's own kommune may rule out a known name (the file's is too weak a hint)."""
        parsed = item.parsed
        own = self._own_kommune(item)
        inside = [(k, a) for k, a in self.index.contained(parsed.key) if self._fits(a, own)]
        if inside:
            name_key, area = inside[0]
            rest = set(parsed.key.split()) - set(name_key.split())
            kommune = self.index.kommune_of(area)
            words = set(kommune.key.split()) - {"kommune"} if kommune is not None else set()
            allowed = _FILLER | (words | {"kommune"} if rest & words else set())
            if len({a.id for _, a in inside}) == 1 and rest <= allowed and not parsed.number:
                return self._found(item, area, "navn")  # "Boligområdet Løvvangen, Aalborg"
            self._ask(
                item,
                "teksten indeholder navnet på et kendt område eller en helhedsplan, men er ikke "
                "det samme navn",
                self._with_afdelinger([a for _, a in inside]),
                self._creatable(item),
            )
            return None
        if parsed.plan_marked:
            reason = f"ingen helhedsplan i databasen hedder '{parsed.core}'"
            self._ask(item, reason, [], self._creatable(item))
            return None
        reason = why_not_a_name(parsed.core, self.measure_keys)
        if reason is not None:
            self._ask(item, f"den findes ikke i databasen, og {reason}", [], self._creatable(item))
            return None
        return self._new(item, how="ny")

    def _benchmark(self, item: Mention) -> AreaMatch | None:
        parsed, hint = item.parsed, self._kommune_hint(item)
        keys = [match_key(item.text), parsed.key]
        if hint:  # "Andre almene boligområder" in a Guldborgsund file: the store's Guldborgsund one
            keys += [f"{parsed.key} i {hint}", f"{match_key(item.text)} i {hint}"]
        for key in keys:
            for area in self.index.by_key.get(key, []):
                if area.kind == "benchmark":
                    return self._found(item, area, "navn")
        name = parsed.core if parsed.kommune is None else parsed.raw
        name = BENCHMARK_NAMES.get(match_key(name), name)
        reason = why_not_a_name(name, benchmark=True)
        if reason is not None:
            self._ask(item, f"den findes ikke i databasen, og {reason}", [], False)
            return None
        return AreaMatch(
            item.text, item.code, item.kommune_text, name, "benchmark", None, True, "ny"
        )

    def _whole_kommune(self, item: Mention) -> AreaMatch | None:
        """ "Hele kommunen": the row's kommune, else the one kommune the file names."""
        named = item.kommune_text or self.file_kommune
        store = self.index.kommune(named, item.kommune_code)
        if store is not None:
            return self._found(item, store, "kommune")
        if named and kommune_name(named) is not None:
            return _new_kommune(item.text, *kommune_spec(named, item.kommune_code))
        self._ask(item, "filen siger ikke, hvilken kommune det er", [], False)
        return None

    def _named(self, item: Mention, named: list[StoreArea]) -> AreaMatch | None:
        """Areas with the text's very name: prefer the afdeling with the file's number, then the
        area in the file's kommune; an area of that name in another kommune is asked about."""
        parsed = item.parsed
        if parsed.number:
            under = set().union(*(self.index.descendants(n.id) | {n.id} for n in named))
            numbered = [
                a
                for a in self.index.by_number.get(parsed.number, [])
                if a.id in under and _org_fits(a, parsed)
            ]
            if len(numbered) == 1:
                how = "navn" if numbered[0].id in {n.id for n in named} else "nummer"
                return self._found(item, numbered[0], how)
        hint = self._kommune_hint(item)
        fitting = sorted(
            (a for a in named if self._fits(a, hint)), key=lambda a: KIND_ORDER.get(a.kind, 9)
        )
        if fitting:
            return self._found(item, fitting[0], "navn")
        reason = "et område med det navn findes, men i en anden kommune end filens"
        self._ask(item, reason, named, self._creatable(item))
        return None

    def _numbered(self, item: Mention) -> AreaMatch | bool | None:
        """An afdeling by its number; False: the number says nothing, go on with the name."""
        parsed, hint = item.parsed, self._kommune_hint(item)
        number = parsed.number or ""
        numbered = [a for a in self.index.by_number.get(number, []) if _org_fits(a, parsed)]
        if parsed.name_key:
            same = [a for a in numbered if a.name_key == parsed.name_key and self._fits(a, hint)]
            if same:
                return self._found(item, same[0], "navn")
            base = [a for a in self.index.by_key.get(parsed.name_key, []) if a.kind != "kommune"]
            plan = self.index.plan(parsed.name_key)
            if plan is not None:
                base += [self.index.by_id[i] for i in plan.area_ids if i in self.index.by_id]
            base = [a for a in base if self._fits(a, hint)]
            if not base:
                return False
            under = set().union(*(self.index.descendants(a.id) | {a.id} for a in base))
            inside = [a for a in numbered if a.id in under]
            if len(inside) == 1:
                return self._found(item, inside[0], "nummer")
            reason = f"{base[0].name} har ingen afdeling med nummer {number} i databasen"
            self._ask(item, reason, self._with_afdelinger(base[:1]), self._creatable(item))
            return None
        pool = [a for a in numbered if self._fits(a, hint)]
        in_file = [a for a in pool if a.id in self.context]
        if len(in_file) == 1:
            return self._found(item, in_file[0], "nummer")
        if len(pool) == 1 and hint is not None:
            return self._found(item, pool[0], "nummer")
        reason = f"afdelingsnummer {number} alene siger ikke, hvilket område det er" + (
            "" if pool else ", og ingen afdeling i databasen har det nummer"
        )
        self._ask(item, reason, pool, False)
        return None

    def _new(self, item: Mention, *, how: str, parent: StoreArea | None = None) -> AreaMatch:
        """A new area under `parent`, else the row's kommune, else the file's one kommune."""
        parsed, code = item.parsed, item.code
        kind = "afdeling" if parsed.number else "boligomraade"
        name = parsed.core if parsed.core != parsed.raw else item.text.strip()
        if kind == "afdeling" and not code:
            code = f"{parsed.org}-{parsed.number}" if parsed.org else parsed.number
        match = AreaMatch(item.text, code, item.kommune_text, name, kind, None, True, how)
        kommune_text, kommune_code = item.kommune_text, item.kommune_code
        if parent is None:
            parent = self.index.kommune(kommune_text, kommune_code)
        if parent is None and not (kommune_text or kommune_code) and self.file_kommune:
            parent = self.index.kommune(self.file_kommune)
            kommune_text = None if parent is not None else self.file_kommune
        if parent is not None:
            match.parent_name, match.parent_id = parent.name, parent.id
        elif kommune_text or kommune_code:
            named, official_code = (
                kommune_spec(kommune_text, kommune_code)
                if kommune_text
                else (f"Kommune {kommune_code}", kommune_code)
            )
            match.parent_name, match.parent_code, match.new_parent = named, official_code, True
            self.new_kommuner.setdefault(
                match_key(named), _new_kommune(named, named, official_code)
            )
        else:
            self.problems.append(
                Problem(
                    WARNING,
                    "area_without_kommune",
                    f"Området '{item.text}' er nyt, og filen siger ikke, hvilken kommune det "
                    "ligger i; det oprettes uden kommune.",
                )
            )
        return match


def _org_fits(area: StoreArea, parsed: AreaText) -> bool:
    return parsed.org is None or area.org is None or area.org == parsed.org


def kommune_spec(text: str, code: str | None) -> tuple[str, str | None]:
    """("Horsens Kommune", "615"): the kommune's area name and, when known, its official code."""
    named = kommune_name(text)
    if named is not None:
        return named[0], code or named[1]
    return kommune_area_name(text.strip()), code


def _new_kommune(file_text: str, name: str, code: str | None) -> AreaMatch:
    return AreaMatch(file_text, code, name, name, "kommune", None, True, "ny", parent_code=code)
