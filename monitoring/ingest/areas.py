"""Which store area each value of an upload is about: per sheet (a time series) and per row.

Order for one area text: the person's choice now (`area_map`, `sheet_areas`), the choice remembered
from an earlier upload, a benchmark or a kommune, a store area's name, a helhedsplan's name, an
afdeling by number, a known name inside the text. Only then a new area — and only for text that is
plausibly an area name and contains no known area's or plan's name. Anything else is asked: a
blocking problem naming sheet, row and the candidates, and an `AreaQuestion` for the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

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
    SheetLayout,
    match_key,  # cached
)
from monitoring.models import AreaMemory, utcnow
from monitoring.names import kommune_area_name

CREATE_NEW = ""  # an `area_map` / `sheet_areas` value: create the file's text as a new area
MAX_CANDIDATES = 6
_EXPLICIT = {"afdeling", "boligafdeling", "område", "omraade", "boligområde", "helhedsplan", "afd."}
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
class _Where:
    """Where a text stands, for the question: a sheet (time series) or its first row."""

    sheet: str | None
    row: int | None
    cells: int


@dataclass
class _Text:
    """One area text to resolve: what the file writes beside it, where it stands, its parts."""

    text: str
    code: str | None
    kommune_text: str | None
    kommune_code: str | None
    where: _Where
    parsed: AreaText = field(init=False)

    def __post_init__(self) -> None:
        self.parsed = parse_area_text(self.text, self.code)
        self.kommune_text = self.kommune_text or self.parsed.kommune  # "Bo Trivsel (Horsens K.)"

    def found(self, area: StoreArea, how: str) -> AreaMatch:
        return AreaMatch(
            self.text, self.code, self.kommune_text, area.name, area.kind, area.id, False, how
        )


def _explicit_title_area(lines: Iterable[str], text: str | None) -> bool:
    if text is None:
        return False
    return any(line.strip().casefold().split(":")[0].strip() in _EXPLICIT for line in lines)


class _Resolver:
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

    def _own_kommune(self, item: _Text) -> str | None:
        """The match key of the kommune the row or sheet itself names (in the store or not)."""
        store = self.index.kommune(item.kommune_text, item.kommune_code)
        if store is not None:
            return store.key
        if item.kommune_text:
            return match_key(_kommune_spec(item.kommune_text, None)[0])
        return None

    def _kommune_hint(self, item: _Text) -> str | None:
        """The row's or sheet's own kommune, else the one kommune the file names."""
        own = self._own_kommune(item)
        return own or (match_key(self.file_kommune) if self.file_kommune else None)

    def _fits(self, area: StoreArea, kommune_key: str | None) -> bool:
        kommune = self.index.kommune_of(area)
        return kommune_key is None or kommune is None or kommune.key == kommune_key

    def _plausible(self, item: _Text) -> bool:
        return why_not_a_name(item.parsed.core, self.measure_keys) is None

    def _found(self, item: _Text, area: StoreArea, how: str) -> AreaMatch:
        if area.kind not in ("kommune", "benchmark"):
            self.context.add(area.id)
            self.context.update(self.index.descendants(area.id))
        return item.found(area, how)

    def _ask(
        self, item: _Text, reason: str, candidates: Iterable[StoreArea], can_create: bool
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

    def chosen(self, item: _Text, target: int | str, *, remember: bool = True) -> AreaMatch | None:
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

    def _create_chosen(self, item: _Text) -> AreaMatch | None:
        reason = (
            why_not_a_name(item.parsed.core, self.measure_keys)
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

    def match(self, item: _Text) -> AreaMatch | None:
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
            return _new_kommune(item.text, *_kommune_spec(parsed.core, None))
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

    def _unknown(self, item: _Text) -> AreaMatch | None:
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
                self._plausible(item),
            )
            return None
        if parsed.plan_marked:
            reason = f"ingen helhedsplan i databasen hedder '{parsed.core}'"
            self._ask(item, reason, [], self._plausible(item))
            return None
        reason = why_not_a_name(parsed.core, self.measure_keys)
        if reason is not None:
            self._ask(item, f"den findes ikke i databasen, og {reason}", [], False)
            return None
        return self._new(item, how="ny")

    def _benchmark(self, item: _Text) -> AreaMatch | None:
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

    def _whole_kommune(self, item: _Text) -> AreaMatch | None:
        """ "Hele kommunen": the row's kommune, else the one kommune the file names."""
        named = item.kommune_text or self.file_kommune
        store = self.index.kommune(named, item.kommune_code)
        if store is not None:
            return self._found(item, store, "kommune")
        if named and kommune_name(named) is not None:
            return _new_kommune(item.text, *_kommune_spec(named, item.kommune_code))
        self._ask(item, "filen siger ikke, hvilken kommune det er", [], False)
        return None

    def _named(self, item: _Text, named: list[StoreArea]) -> AreaMatch | None:
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
        self._ask(item, reason, named, self._plausible(item))
        return None

    def _numbered(self, item: _Text) -> AreaMatch | bool | None:
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
            self._ask(item, reason, self._with_afdelinger(base[:1]), self._plausible(item))
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

    def _new(self, item: _Text, *, how: str, parent: StoreArea | None = None) -> AreaMatch:
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
                _kommune_spec(kommune_text, kommune_code)
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


def _kommune_spec(text: str, code: str | None) -> tuple[str, str | None]:
    """("Horsens Kommune", "615"): the kommune's area name and, when known, its official code."""
    named = kommune_name(text)
    if named is not None:
        return named[0], code or named[1]
    return kommune_area_name(text.strip()), code


def _new_kommune(file_text: str, name: str, code: str | None) -> AreaMatch:
    return AreaMatch(file_text, code, name, name, "kommune", None, True, "ny", parent_code=code)


def _sheet_text(
    layout: SheetLayout, index: AreaIndex, hint: str | None, measure_keys: set[str]
) -> tuple[str | None, str | None]:
    """The text that names a time series' area: an explicit title line ("Område: …"), a known
    area or plan named in the title, a line that is a benchmark or kommune, another plausible
    title text, a "Kommune: X" line, the plain --area, and last a kommune the title mentions."""
    text, code = layout.area_text, layout.area_code
    if _explicit_title_area(layout.title, text):
        return text, code
    found = index.in_titles(layout.title)
    if found is not None:
        return found.name, found.code
    for line in layout.title:
        core = parse_area_text(line).core
        if is_benchmark(core) or kommune_name(core) is not None:
            return line, None
    if text is not None and why_not_a_name(parse_area_text(text).core, measure_keys) is None:
        return text, code
    said = any(line.strip().casefold().startswith("kommune:") for line in layout.title)
    if hint and not said:
        return hint, None
    return layout.kommune_text, None


def _file_kommune(frame: pd.DataFrame, layouts: list[SheetLayout]) -> str | None:
    """The one kommune a file names (in a kommune column, a kommune row or a title), if one."""
    names: dict[str, str] = {}
    texts = [*frame["kommune_text"].dropna().unique(), *(x.kommune_text for x in layouts)]
    for value in frame["area_text"].dropna().unique():
        text = str(value)
        if "kommune" in text.casefold():  # "Horsens Kommune", "Bo Trivsel (Horsens Kommune)"
            parsed = parse_area_text(text)
            texts += [parsed.kommune, parsed.core if kommune_name(parsed.core) else None]
        elif kommune_name(text) is not None:  # a bare "Horsens" row
            texts.append(text)
    for text in texts:
        if text and str(text).strip():
            named = _kommune_spec(str(text), None)[0]
            names.setdefault(match_key(named), named)
    return next(iter(names.values())) if len(names) == 1 else None


def resolve_areas(
    upload: Upload,
    index: AreaIndex,
    memory: Mapping[str, int],
    mapped: np.ndarray,
    measure_names: Iterable[str],
) -> None:
    """Set `area_ref` of every mapped row; fill `upload.areas`, `.questions`, `.area_choices`."""
    table, frame = upload.table, upload.frame
    sheets = {match_key(layout.sheet): layout.sheet for layout in table.layouts}
    sheet_areas = dict(upload.sheet_areas)
    text_map: dict[str, int | str] = {}
    for key, target in upload.area_map.items():
        sheet = sheets.get(match_key(str(key)))
        if sheet is not None and sheet not in sheet_areas:
            sheet_areas[sheet] = target
        elif sheet is None:
            text_map[str(key)] = target
    resolver = _Resolver(upload, index, memory, text_map, measure_names)
    _check_choices(upload, text_map, sheet_areas)
    resolver.file_kommune = _file_kommune(frame.loc[mapped], table.layouts)
    refs = np.full(len(frame), -1, dtype="int64")
    done = np.zeros(len(frame), dtype=bool)
    sheet_of_row = frame["sheet"].astype(object).to_numpy()

    def add(match: AreaMatch | None, rows: np.ndarray) -> None:
        """Put `rows` (positions) on the matched area."""
        if match is None:
            return
        match.cells = len(rows)
        refs[rows] = len(upload.areas)
        upload.areas.append(match)

    for layout in table.layouts:
        mask = (sheet_of_row == layout.sheet) & mapped
        rows = np.flatnonzero(mask)
        if not len(rows):
            continue
        chosen = sheet_areas.get(layout.sheet)
        if chosen is None and layout.layout != "time_series":
            continue
        done |= mask
        where = _Where(layout.sheet, None, len(rows))
        if chosen is not None:
            item = _Text(layout.area_text or "", layout.area_code, layout.kommune_text, None, where)
            explicit = _explicit_title_area(layout.title, layout.area_text)
            add(resolver.chosen(item, chosen, remember=explicit), rows)
            continue
        text, code = _sheet_text(layout, index, table.area_hint, resolver.measure_keys)
        if text is None:
            upload.problems.append(
                Problem(
                    ERROR,
                    "no_area",
                    "Det fremgår ikke af arket, hvilket område tallene gælder. Vælg området på "
                    f'siden (eller brug --area "{layout.sheet}=OMRÅDE").',
                    sheet=layout.sheet,
                )
            )
            continue
        frame.loc[mask, "area_text"] = text
        frame.loc[mask, "area_code"] = code
        add(
            resolver.match(_Text(text, code, layout.kommune_text, layout.kommune_code, where)), rows
        )
    _resolve_rows(resolver, frame, mapped & ~done, refs, add)
    frame["area_ref"] = refs
    upload.areas.extend(resolver.new_kommuner.values())  # kommuner to create as parents
    _merge_same_areas(upload)


def _resolve_rows(resolver: _Resolver, frame: pd.DataFrame, todo: np.ndarray, refs, add) -> None:
    """Rows that name their own area, grouped by what they say; bare numbers last (they need the
    areas the other rows name as context)."""
    identity = ["area_text", "area_code", "kommune_text", "kommune_code"]
    named = (frame["area_text"].notna() | frame["area_code"].notna()).to_numpy()
    subset = frame.loc[todo & named, identity].fillna("")
    if subset.empty:
        return
    positions = frame.index.get_indexer(subset.index)
    sheets = frame["sheet"].astype(object).to_numpy()
    row_numbers = frame["row"].to_numpy()
    groups = subset.groupby(identity, sort=False)
    texts = []
    for combo, members in groups.indices.items():
        text, code, kommune_text, kommune_code = (str(v).strip() or None for v in combo)
        if text or code:
            texts.append((text or code or "", code, kommune_text, kommune_code, members))
    texts.sort(key=lambda t: not parse_area_text(t[0], t[1]).name)
    for text, code, kommune_text, kommune_code, members in texts:
        rows = positions[members]
        where = _Where(str(sheets[rows[0]]), int(row_numbers[rows[0]]), len(rows))
        add(resolver.match(_Text(text, code, kommune_text, kommune_code, where)), rows)


def _check_choices(
    upload: Upload, text_map: Mapping[str, int | str], sheet_areas: Mapping[str, int | str]
) -> None:
    """A choice for a sheet or text the file does not have is refused: it would silently do
    nothing, and the values would land where the file's own text puts them."""
    frame, table = upload.frame, upload.table
    sheets = [layout.sheet for layout in table.layouts]
    known = {match_key(str(v)) for v in frame["area_text"].dropna().unique()}
    known |= {match_key(str(v)) for v in frame["area_code"].dropna().unique()}
    known |= {match_key(x.area_text) for x in table.layouts if x.area_text}
    known |= {match_key(table.area_hint)} if table.area_hint else set()
    for sheet in sheet_areas:
        if sheet not in sheets:
            known_sheets = ", ".join(f"'{s}'" for s in sheets)
            upload.problems.append(
                Problem(
                    ERROR,
                    "area_choice_not_used",
                    f"Arket '{sheet}' findes ikke i filen (arkene hedder {known_sheets}).",
                )
            )
    for text in text_map:
        if match_key(text) not in known:
            known_sheets = ", ".join(f"'{s}'" for s in sheets)
            upload.problems.append(
                Problem(
                    ERROR,
                    "area_choice_not_used",
                    f"'{text}' i områdevalget findes ikke i filen: det er hverken et ark "
                    f"(arkene hedder {known_sheets}) eller en områdetekst i filen.",
                )
            )


def _merge_same_areas(upload: Upload) -> None:
    """Two spellings of one area ("Løvvangen", "LØVVANGEN") must count as one area."""
    first: dict[tuple[str, str, int | None], int] = {}
    remap: dict[int, int] = {}
    for index, area in enumerate(upload.areas):
        key = (area.kind, match_key(area.name), area.area_id)
        if key in first:
            remap[index] = first[key]
            upload.areas[first[key]].cells += area.cells
        else:
            first[key] = index
    if not remap:
        return
    keep = sorted(first.values())
    renumber = np.full(len(upload.areas) + 1, -1, dtype="int64")  # last slot: ref -1 stays -1
    for new, old in enumerate(keep):
        renumber[old] = new
    for duplicate, original in remap.items():
        renumber[duplicate] = renumber[original]
    upload.areas = [upload.areas[i] for i in keep]
    upload.frame["area_ref"] = renumber[upload.frame["area_ref"].to_numpy()]


def remember_area_choices(session: Session, upload: Upload, user: str) -> None:
    """Keep the person's area choices (file text -> area), so next year's file is not asked."""
    for text, area_id in upload.area_choices.items():
        key = match_key(text)[:300]
        if not key:
            continue
        memory = session.scalar(select(AreaMemory).where(AreaMemory.text_key == key))
        if memory is None:
            memory = AreaMemory(text_key=key, text=text[:300])
            session.add(memory)
        memory.area_id = area_id
        memory.confirmed_by = user
        memory.confirmed_at = utcnow()
