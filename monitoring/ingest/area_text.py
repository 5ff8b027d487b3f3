"""Area texts as files write them, taken apart: plan words, kommune, afdelingsnummer, benchmark.

Pure functions, no store: `parse_area_text` turns "Helhedsplan: Bo Trivsel (Horsens Kommune)" into
the name "Bo Trivsel" with the kommune "Horsens Kommune", and "Sundby-Hvorup Boligselskab,
afdeling 012" into the name "Sundby-Hvorup Boligselskab" with afdeling number 12.
`why_not_a_name` says (in Danish) why a text must not become a new area.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from monitoring.kommuner import official_kommune
from monitoring.lbf import match_key  # cached
from monitoring.names import kommune_area_name

# Benchmarks by match key, with the name a new one gets ("HELE LANDET" -> "Hele landet").
BENCHMARK_NAMES = {
    match_key(name): name
    for name in (
        "Hele landet",
        "Landsplan",
        "Landsgennemsnit",
        "Landsgennemsnittet",
        "Danmark",
        "Alle almene boligafdelinger",
        "Alle almene afdelinger",
        "Almene boligafdelinger i alt",
        "Alle almene boligområder",
        "Andre almene boligområder",
        "Øvrige almene boligområder",
        "Almene boligområder i alt",
        "Alle boligsociale helhedsplaner",
        "Alle helhedsplaner",
    )
}
_BENCHMARK_STARTS = (
    "hele landet ",
    "alle almene ",
    "andre almene ",
    "oevrige almene ",
    "almene boligomraader ",
    "region ",
)
WHOLE_KOMMUNE = {"hele kommunen", "kommunen", "kommunen i alt", "kommune i alt", "hele kommune"}

_PLAN = r"(?:den\s+)?(?:boligsociale?\s+)?helhedsplan(?:en)?"
_LABEL_PREFIX = re.compile(
    r"^\s*(?:område|omraade|boligområde|boligomraade|afdeling|boligafdeling|afd\.?|navn)\s*:\s*",
    re.IGNORECASE,
)
_PLAN_PREFIX = re.compile(rf"^\s*{_PLAN}\b\s*(?:[:\-–—]\s*|(?:for|i)\s+)?", re.IGNORECASE)
_PLAN_PART = re.compile(
    rf"\s*(?:\(\s*{_PLAN}\s*\)|[-–—,]\s*{_PLAN}\s*$|\s{_PLAN}\s*$)", re.IGNORECASE
)
_KOMMUNE_SUFFIX = re.compile(
    r"\s*(?:\(\s*(?P<a>[^()]+?\s+kommune)\s*\)"
    r"|(?:,|\s[-–—]|\si)\s*(?P<b>[^,()\-–—]+?\s+kommune))\s*$",
    re.IGNORECASE,
)
_QUOTES = "\"'“”„«»‘’`´"
_AFD_NUMBER = re.compile(
    r"[,(]?\s*\b(?:afd|afdeling|afdelingsnummer|afdelingsnr|afdnr)\b\.?\s*"
    r"(?:nr\b\.?|nummer\b|no\b\.?)?\s*:?\s*(?P<num>\d{1,5})\b\s*\)?",
    re.IGNORECASE,
)
_ORG_AFD = re.compile(r"(?<![\d\-])(?P<org>\d{1,5})\s*[-/]\s*(?P<num>\d{1,5})(?![\d\-])")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class AreaText:
    """One area text taken apart; `key`s are `match_key`s for comparing with the store."""

    raw: str
    core: str  # without label, plan words, kommune suffix and quotes: "Bo Trivsel"
    plan_marked: bool  # the text said it is a helhedsplan
    kommune: str | None  # "Horsens Kommune" from "(Horsens Kommune)" or ", Horsens Kommune"
    number: str | None  # afdelingsnummer without leading zeros: "12"
    org: str | None  # boligorganisationsnummer from "611-02": "611"
    name: str  # core without the afdelingsnummer: "Sundby-Hvorup Boligselskab"
    key: str = field(init=False)
    name_key: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", match_key(self.core))
        object.__setattr__(self, "name_key", match_key(self.name))


def _number_parts(code: str | None) -> tuple[str | None, str | None]:
    """(org, number) of an afdelingsnummer as written: "12", "012", "611-02", "afd. 12"."""
    if not code or not code.strip():
        return None, None
    text = code.strip()
    if text.isdigit():
        return None, text.lstrip("0") or "0"
    if m := _ORG_AFD.fullmatch(text):
        return m.group("org").lstrip("0") or "0", m.group("num").lstrip("0") or "0"
    if m := _AFD_NUMBER.search(text):
        return None, m.group("num").lstrip("0") or "0"
    return None, None


def _is_year_range(org: str, number: str) -> bool:
    return all(len(x) == 4 and x[:2] in {"19", "20"} for x in (org, number))


@functools.lru_cache(maxsize=100_000)
def parse_area_text(text: str, code: str | None = None) -> AreaText:
    """Take an area text apart; `code` is the afdelingsnummer from its own column, if any.
    Cached: a file repeats its area texts, and the resolver asks about each more than once."""
    raw = _SPACES.sub(" ", text.replace("\u00a0", " ")).strip()
    core, plan_marked, kommune = raw, False, None
    for _ in range(4):  # "Område: Helhedsplan: Bo Trivsel (Horsens Kommune)" peels in steps
        before = core
        core = _LABEL_PREFIX.sub("", core)
        if (m := _PLAN_PREFIX.match(core)) and m.end() < len(core):
            core, plan_marked = core[m.end() :], True
        stripped = _PLAN_PART.sub("", core)
        if stripped != core and not set(match_key(stripped).split()) <= _GENERIC_WORDS:
            core, plan_marked = stripped, True
        if (m := _KOMMUNE_SUFFIX.search(core)) and m.start() > 0:
            kommune = kommune or (m.group("a") or m.group("b")).strip()
            core = core[: m.start()]
        core = core.rstrip(" ,;").strip()  # a comma left where a kommune came off
        if len(core) > 1 and core[0] in _QUOTES and core[-1] in _QUOTES:
            core = core[1:-1].strip()  # «Bo Trivsel», "Mit liv – mit sted – min fremtid"
        if core == before:
            break
    core = core or raw
    org, number = _number_parts(code)
    name = core
    if m := _AFD_NUMBER.search(core):
        number = number or (m.group("num").lstrip("0") or "0")
        name = (core[: m.start()] + " " + core[m.end() :]).strip()
    elif (m := _ORG_AFD.search(core)) and not _is_year_range(m.group("org"), m.group("num")):
        org = org or (m.group("org").lstrip("0") or "0")
        number = number or (m.group("num").lstrip("0") or "0")
        name = (core[: m.start()] + " " + core[m.end() :]).strip()
    elif core.isdigit() and len(core) <= 5:
        number, name = number or (core.lstrip("0") or "0"), ""
    name = _SPACES.sub(" ", name).strip(" ,;:-–—()").strip()
    return AreaText(raw, core, plan_marked, kommune, number, org, name)


def is_benchmark(text: str) -> bool:
    """'Hele landet', 'Alle almene boligområder', 'Andre almene boligområder i X Kommune' …"""
    key = match_key(text)
    return key in BENCHMARK_NAMES or key.startswith(_BENCHMARK_STARTS)


@functools.lru_cache(maxsize=100_000)  # past a national file: 10,000 thrashed at 32,000 areas
def kommune_name(text: str) -> tuple[str, str | None] | None:
    """("Horsens Kommune", "615") when the text is a kommune, else None.

    "X Kommune" is a kommune only when X is one of the 98 kommuner or a plausible single name
    (one capitalised word of letters and hyphens, like "Lyngby-Taarbæk"); a bare "Horsens" counts.
    """
    official = official_kommune(text)
    if official is not None:
        return kommune_area_name(official[0]), official[1]
    words = text.strip().split()
    if len(words) != 2 or words[-1].casefold() != "kommune":
        return None
    head = words[0]
    plausible = (
        len(head) <= 30
        and re.fullmatch(r"[A-ZÆØÅ][a-zæøåA-ZÆØÅ\-]*", head) is not None
        and match_key(head) not in _AREA_WORDS
    )
    return (kommune_area_name(" ".join(words)), None) if plausible else None


_AREA_WORDS = {
    "helhedsplan",
    "omraade",
    "omraadet",
    "helhedsplanen",
    "boligsocial",
    "boligsociale",
    "boligomraade",
    "boligomraadet",
    "boligomraader",
    "afdeling",
    "afd",
    "almene",
    "hele",
    "alle",
    "andre",
    "landet",
    "kommunen",
}
_GENERIC_WORDS = _AREA_WORDS | {"den", "det", "i", "for", "og", "alt", "kommune", "indsats"}
_MEASURE_WORDS = {
    "andel",
    "andelen",
    "antal",
    "antallet",
    "pct",
    "procent",
    "gennemsnit",
    "gennemsnitlig",
    "median",
    "noegletal",
    "tabel",
    "kilde",
}
_MEASURE_STEMS = (
    "beskaeftig",
    "ledige",
    "indkomst",
    "forsoergelse",
    "uddannelse",
    "kontanthjaelp",
    "arbejdsmarked",
    "arbejdsstyrke",
    "beboerdata",
    "aarige",
    "indvandrer",
    "efterkommer",
)
_AGE_BAND = re.compile(r"\b\d{1,2}\s*[-–]\s*\d{1,2}\s*(?:år|aar|årige|-årige)", re.IGNORECASE)
_SENTENCE = re.compile(r"[.!?]\s+[A-Za-zÆØÅæøå]{3,}")
_MARKUP = re.compile(r"[#*|`<>\[\]{}\\\n\r\t]|\]\(|://|\bwww\.")
_NUMBER = re.compile(r"-?[\d.,\s]+")
MAX_NAME_LENGTH = 80


def why_not_a_name(
    text: str,
    measure_keys: Collection[str] = (),
    *,
    benchmark: bool = False,
    automatic: bool = True,
) -> str | None:
    """Why `text` cannot be a new area's name (a Danish phrase), or None when it can.

    `measure_keys`: match keys of the measures' names (a text that is one is no area).
    `benchmark`: the text is a benchmark's name ("Andre almene boligområder"), whose words are
    generic by nature; only its form is checked.
    `automatic`: no person has chosen to create it, so a formula or markup is not taken as a
    name either. A person may (names are data; every page and export shows them as text).
    """
    stripped = text.strip()
    key = match_key(stripped)
    if not key:
        return "teksten har ingen bogstaver"
    if len(stripped) > MAX_NAME_LENGTH:
        return f"teksten er for lang til et områdenavn ({len(stripped)} tegn)"
    formula = stripped[0] in "=+@" or (stripped[0] == "-" and not _NUMBER.fullmatch(stripped))
    if automatic and formula:
        return "teksten ligner en formel"
    if sum(ch.isalpha() for ch in stripped) < 2:
        return "teksten er et tal eller en kode, ikke et navn"
    if automatic and _MARKUP.search(stripped):
        return "teksten indeholder tegn, som et områdenavn ikke har"
    if "\n" in stripped or "\r" in stripped:
        return "teksten fylder flere linjer"
    questions = automatic and ("?" in stripped or "!" in stripped)
    if len(stripped.split()) > 8 or _SENTENCE.search(stripped) or questions:
        return "teksten ligner en sætning, ikke et navn"
    words = key.split()
    if benchmark:
        return None
    if set(words) <= _GENERIC_WORDS:
        return "teksten er en betegnelse, ikke et navn"
    if (
        "%" in stripped
        or _AGE_BAND.search(stripped)
        or set(words) & _MEASURE_WORDS
        or any(w.startswith(_MEASURE_STEMS) for w in words)
        or key in measure_keys
    ):
        return "teksten ligner en indikator, ikke et område"
    return None
