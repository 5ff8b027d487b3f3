"""The words a label is read with: units, negations, stop words, abbreviations, stems, typos.

Plain data and small pure functions shared by the parser and matcher in `monitoring.lbf.labels`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from monitoring.names import fold

MAX_LABEL_CHARS = 400  # longer texts are parsed only this far and never mapped by meaning
DASHES = str.maketrans({"–": "-", "—": "-", "−": "-", "‐": "-", "‑": "-"})


UNIT_WORDS = {
    "andel": "pct",
    "andelen": "pct",
    "andele": "pct",
    "andelene": "pct",
    "pct": "pct",
    "procent": "pct",
    "procentdel": "pct",
    "procentandel": "pct",
    "%": "pct",
    "antal": "count",
    "antallet": "count",
    "kr": "dkk",
    "kroner": "dkk",
    "dkk": "dkk",
}
# "1.000 kr." is another unit than "kr.": a figure in thousands is not a figure in kroner.
THOUSAND_KRONER = re.compile(r"(?:\b1[.\s]?000|\btusinde?)\s*(?:kr\b\.?|kroner\b)|\bt\.?\s?kr\b\.?")
IMPLIED_UNIT_ENDINGS = (("indkomst", "dkk"), ("frekvens", "pct"))
NEGATIONS = {"uden", "udenfor", "ikke", "hverken", "ingen"}
# Acronyms that stand for a phrase, and everyday words for a catalogue word.
_EXPANSIONS = {"neet": ("uden", "uddannelse", "beskaeftigelse"), "job": ("beskaeftigelse",)}
# LBF's topic headings: words that may stand before the band without narrowing the measure.
_TOPIC_WORDS = (
    "beskaeftigelse",
    "uddannelse",
    "indkomst",
    "offentlig",
    "forsoergelse",
    "herkomst",
    "befolkning",
    "arbejdsmarkedet",
    "arbejdsmarkedstilknytning",
)
HIGHEST = {"hoejst", "hoejeste", "hoejest"}
HIGHEST_PARTNERS = ("fuldfoert", "gennemfoert")  # "højst fuldførte" is one qualifier
POPULATION_PREFIXES = (
    ("ikkevestlig", "ikke-vestlige"),
    ("vestlig", "vestlige"),
    ("indvandre", "indvandrere"),
    ("efterkomm", "efterkommere"),
    ("flygtning", "flygtninge"),
    ("nydansk", "indvandrere"),
    ("kvind", "kvinder"),
    ("maend", "mænd"),
    ("mandlig", "mænd"),
    ("boern", "børn"),
    ("drenge", "drenge"),
    ("piger", "piger"),
    ("enlig", "enlige"),
)
# Words that name who is counted without changing what: a band already says "unge".
SOFT_POPULATION = {
    "unge",
    "voksne",
    "aeldre",
    "beboere",
    "beboerne",
    "borgere",
    "borgerne",
    "personer",
    "indbyggere",
    "befolkning",
    "befolkningen",
}
STOP_WORDS = {
    "i",
    "af",
    "der",
    "er",
    "som",
    "for",
    "med",
    "og",
    "eller",
    "til",
    "paa",
    "en",
    "et",
    "ei",
    "den",
    "det",
    "de",
    "har",
    "hvor",
    "hvis",
    "modtager",
    "modtage",
    "modtaget",
    "modtagere",
    "indevaerende",
    "aarligt",
    "blandt",
    "hos",
    "fra",
    "pr",
    "ved",
    "samt",
    "om",
    "at",
    "sig",
    "alle",
    "aar",
    "aars",
    "aarige",
    "aarig",
    "arige",
    "alderen",
    "alder",
    "aldersgruppen",
    "mellem",
    "mindst",
    "minimum",
    "min",
    "opgjort",
    "januar",
    "ultimo",
    "primo",
}
_ABBREVIATIONS = {
    "m": "med",
    "gns": "gennemsnitlig",
    "gnsn": "gennemsnitlig",
    "gennemsn": "gennemsnitlig",
    "off": "offentlig",
    "offentl": "offentlig",
    "besk": "beskaeftigelse",
    "beskaeft": "beskaeftigelse",
    "udd": "uddannelse",
    "uddan": "uddannelse",
    "ungdomsudd": "ungdomsuddannelse",
    "akt": "aktiverede",
    "kth": "kontanthjaelp",
    "kontanthj": "kontanthjaelp",
    "indv": "indvandrere",
    "efterk": "efterkommere",
    "flygt": "flygtninge",
    "husst": "husstand",
    "indk": "indkomst",
    "arbm": "arbejdsmarkedet",
    "tilkn": "tilknytning",
    "grundsk": "grundskole",
    "fuldf": "fuldfoerte",
    "beskaeftigelsesfrekv": "beskaeftigelsesfrekvens",
}
# Words the parser knows without any catalogue, so that their typos are caught as well.
_LEXICON = frozenset(
    {
        *UNIT_WORDS,
        *NEGATIONS,
        *HIGHEST,
        *SOFT_POPULATION,
        *_ABBREVIATIONS.values(),
        "indvandrere",
        "efterkommere",
        "flygtninge",
        "kvinder",
        "vestlige",
        "beskaeftigede",
        "forsoergelse",
        "arbejdsstyrken",
        "ledige",
        "aktiverede",
        "passiv",
    }
)
_SUFFIXES = (
    "elserne",
    "elsen",
    "elser",
    "elses",
    "else",
    "erne",
    "ende",
    "ede",
    "ene",
    "ere",
    "hed",
    "ing",
    "ligt",
    "lige",
    "lig",
    "ets",
    "et",
    "en",
    "er",
    "es",
    "e",
    "s",
)
# Abbreviations of compounds, written as two dotted parts.
_COMPOUND_ABBREVIATIONS = (
    (re.compile(r"\bungd(?:oms)?\.?\s?udd\b\.?"), "ungdomsuddannelse"),
    (re.compile(r"\barb\.\s?marked"), "arbejdsmarked"),
)
TOKEN = re.compile(r"[a-z0-9]+(\.)?|%")
YEAR = re.compile(r"^(19[89]\d|20[0-4]\d)$")
MONTHS = {
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
}


def fold_label(text: str) -> str:
    folded = fold(text[:MAX_LABEL_CHARS]).translate(DASHES)
    for pattern, words in _COMPOUND_ABBREVIATIONS:
        folded = pattern.sub(words, folded)
    return folded


def stem(word: str) -> str:
    """A light Danish stem: "beskæftigelse", "beskæftigede", "beskæftiget" -> "beskaeftig"."""
    if word.endswith(("enes", "ernes", "ens", "ets")):  # genitive: "husstandenes"
        word = word[:-1]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _edits(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count once), or limit + 1 when above it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class Vocabulary:
    """The words measure names use: where abbreviations, typos and compounds in a label are resolved."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self.words = frozenset(_LEXICON | {w for w in words if w.isalpha()})
        self._resolved: dict[tuple[str, bool], tuple[str, ...]] = {}

    def resolve(self, token: str, dotted: bool) -> tuple[str, ...]:
        """The words meant by `token`: itself, an abbreviation spelled out or a typo corrected, and
        a compound of two known words split ("husstandsindkomst" -> "husstand", "indkomst")."""
        key = (token, dotted)
        if key not in self._resolved:
            if token in _EXPANSIONS:
                self._resolved[key] = _EXPANSIONS[token]
            else:
                self._resolved[key] = self._split(self._word(token, dotted))
        return self._resolved[key]

    def _content_word(self, word: str) -> bool:
        return len(word) >= 4 and word in self.words and word not in _FUNCTION_WORDS

    def _split(self, word: str) -> tuple[str, ...]:
        for cut in range(4, len(word) - 3):
            head, tail = word[:cut], word[cut:]
            for link in ("s", "e", ""):
                rest = tail[len(link) :]
                if tail.startswith(link) and self._content_word(head) and self._content_word(rest):
                    return head, rest
        return (word,)

    def _word(self, token: str, dotted: bool) -> str:
        if token in _ABBREVIATIONS:
            return _ABBREVIATIONS[token]
        if token in self.words or token in STOP_WORDS or not token.isalpha():
            return token
        if dotted and len(token) >= 3:
            stems = {stem(w) for w in self.words if w.startswith(token)}
            if len(stems) == 1:
                return next(w for w in sorted(self.words, key=len) if w.startswith(token))
        if len(token) >= 6:
            limit = 1 if len(token) < 10 else 2
            distances = {w: _edits(token, w, limit) for w in self.words}
            best = min(distances.values(), default=limit + 1)
            closest = [w for w, d in distances.items() if d == best]
            if best <= limit and len({stem(w) for w in closest}) == 1:
                return closest[0]
        return token


_FUNCTION_WORDS = frozenset({*UNIT_WORDS, *NEGATIONS, *HIGHEST, *STOP_WORDS})
PLAIN = Vocabulary()
TOPIC_STEMS = frozenset(stem(w) for w in _TOPIC_WORDS)
