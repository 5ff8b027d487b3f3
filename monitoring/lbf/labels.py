"""Matching a file's row or column text to a measure by what it says, not only by its spelling.

A label is parsed into parts: concept words (lightly stemmed, stop words out), age band, population
groups, unit, and two hard markers that flip the meaning (negation: "uden", "ikke", "hverken";
"højst fuldførte" as opposed to "mindst en"). Abbreviations ("beskæft.", "off.") and typos (one
edit in a word of six letters or more, two from ten) are resolved against the words of the measure
names before comparing.

`Matcher` compares a label with every name a measure goes by (its own name, the synonyms, the texts
of the indikatorer that use it). It maps automatically only when exactly one measure agrees on
every hard part (age band, unit, population, negation, qualifier) and wins clearly on the concept
words; anything else is left for a person. Pure functions: no database, no Streamlit.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from monitoring.lbf.words import (
    HIGHEST,
    HIGHEST_PARTNERS,
    IMPLIED_UNIT_ENDINGS,
    MAX_LABEL_CHARS,
    MONTHS,
    NEGATIONS,
    PLAIN,
    POPULATION_PREFIXES,
    SOFT_POPULATION,
    STOP_WORDS,
    THOUSAND_KRONER,
    TOKEN,
    TOPIC_STEMS,
    UNIT_WORDS,
    YEAR,
    Vocabulary,
    fold_label,
    stem,
)

AUTO_SCORE = 0.85  # concept agreement needed for an automatic mapping
AUTO_MARGIN = 0.15  # ... and its lead over the best other measure that does not contradict it


# ---------------------------------------------------------------------------------------------
# Age bands

_AGE_WORD = r"(?:\s*-?\s*(?:aarige|aarig|aars|aar|arige)\b)"
_NUM = r"(?<![\d.,])(\d{1,2})"
_END = r"(?![\d.,])"
_BAND_PATTERNS = (
    re.compile(rf"(?:\bmellem\s+)?{_NUM}\s*(?:-|\btil\b)\s*(\d{{1,2}}){_END}{_AGE_WORD}?"),
    re.compile(rf"\bmellem\s+{_NUM}\s+og\s+(\d{{1,2}}){_END}{_AGE_WORD}?"),
    re.compile(rf"{_NUM}\s+(\d{{1,2}}){_END}{_AGE_WORD}"),  # "18 64 aarige": match_key'd text
)
_OPEN_BAND = re.compile(
    rf"{_NUM}\s*(?:\+|{_AGE_WORD}\s+og\s+(?:op|opefter|derover|aeldre)\b){_AGE_WORD}?"
    rf"|\b(?:over|fra)\s+(\d{{1,2}}){_END}{_AGE_WORD}"
)
_UNDER_BAND = re.compile(rf"\bunder\s+(\d{{1,2}}){_END}{_AGE_WORD}")


def _spans(text: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for pattern in _BAND_PATTERNS:
        for m in pattern.finditer(text):
            low, high = int(m.group(1)), int(m.group(2))
            if low < high <= 99:
                found.append((m.start(), m.end(), f"{low}-{high}"))
    for m in _OPEN_BAND.finditer(text):
        found.append((m.start(), m.end(), f"{int(m.group(1) or m.group(2))}+"))
    for m in _UNDER_BAND.finditer(text):
        if int(m.group(1)) > 0:
            found.append((m.start(), m.end(), f"0-{int(m.group(1)) - 1}"))
    kept: list[tuple[int, int, str]] = []
    for span in sorted(found, key=lambda s: (s[0], -s[1])):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def age_band(text: str) -> str | None:
    """The canonical age band a text names ("18-64årige", "i alderen 18 - 64 år" -> "18-64").

    Open bands read "25+" ("25 år og opefter", "over 25 år"); "under 18 år" reads "0-17". A text
    naming several different bands gives them joined ("18-29,30-64"), which equals no single band.
    """
    bands = sorted({band for _, _, band in _spans(fold_label(text))})
    return ",".join(bands) if bands else None


# ---------------------------------------------------------------------------------------------
# Parsing


@dataclass(frozen=True)
class LabelParts:
    """What a label says, part by part (see the module docstring)."""

    text: str
    concepts: frozenset[str]
    band: str | None
    units: frozenset[str]
    populations: frozenset[str]
    soft_populations: frozenset[str]
    negated: bool
    highest: bool
    readings: tuple[frozenset[str], ...] = ()  # concept words as a whole, and without a topic

    @property
    def unit(self) -> str | None:
        """The unit named, if exactly one ("Antal/andel" names two: no unit)."""
        return next(iter(self.units)) if len(self.units) == 1 else None

    @property
    def unit_is_ambiguous(self) -> bool:
        return len(self.units) > 1


def _tokens(text: str, vocabulary: Vocabulary) -> list[str]:
    words = []
    for m in TOKEN.finditer(text):
        raw = m.group(0).rstrip(".")
        words.extend(vocabulary.resolve(raw, dotted=bool(m.group(1))))
    joined: list[str] = []
    for word in words:  # "ikke-vestlige" names a population; it is no negation
        if word.startswith("vestlig") and joined and joined[-1] == "ikke":
            joined[-1] = "ikkevestlig"
        else:
            joined.append(word)
    return joined


@dataclass
class _Words:
    concepts: list[str] = field(default_factory=list)
    explicit: set[str] = field(default_factory=set)
    implied: set[str] = field(default_factory=set)
    populations: set[str] = field(default_factory=set)
    soft: set[str] = field(default_factory=set)
    negated: bool = False
    highest: bool = False

    @property
    def stems(self) -> frozenset[str]:
        words = self.concepts
        if self.highest:
            words = [w for w in words if not w.startswith(HIGHEST_PARTNERS)]
        return frozenset(stem(w) for w in words)


def _is_noise(word: str) -> bool:
    return (
        word in STOP_WORDS
        or word in MONTHS
        or bool(YEAR.match(word))
        or (word.isdigit() and len(word) <= 3)
    )


def _read(text: str, vocabulary: Vocabulary) -> _Words:
    found = _Words()
    for word in _tokens(text, vocabulary):
        group = next(
            (name for prefix, name in POPULATION_PREFIXES if word.startswith(prefix)), None
        )
        if word in UNIT_WORDS:
            found.explicit.add(UNIT_WORDS[word])
        elif word in NEGATIONS:
            found.negated = True
        elif word in HIGHEST:
            found.highest = True
        elif word in SOFT_POPULATION:
            found.soft.add(word)
        elif group is not None:
            found.populations.add(group)
        elif not _is_noise(word):
            for ending, unit in IMPLIED_UNIT_ENDINGS:
                if word.endswith(ending):
                    found.implied.add(unit)
                    if ending == "frekvens" and word != ending:  # "beskæftigelsesfrekvens"
                        word = word.removesuffix(ending).removesuffix("s")
            found.concepts.append(word)
    return found


def parse_label(text: str, vocabulary: Vocabulary | None = None) -> LabelParts:
    """Split a row or column text into concept words, age band, population, unit and markers.

    LBF writes a topic, the band, then the row ("Beskæftigelse for 18-64-årige På offentlig
    forsørgelse"): when the words before the band are only topic words, the words after it are a
    second reading of the concept, compared on their own as well.
    """
    vocabulary = vocabulary or PLAIN
    folded = fold_label(text)
    spans = _spans(folded)
    blanked = folded
    for start, end, _ in reversed(spans):
        blanked = f"{blanked[:start]} {blanked[end:]}"
    thousands = THOUSAND_KRONER.search(blanked) is not None
    words = _read(THOUSAND_KRONER.sub(" ", blanked), vocabulary)
    if thousands:
        words.explicit.add("1000 dkk")
    readings = [words.stems]
    if spans:
        head = _read(folded[: spans[0][0]], vocabulary).stems
        tail = _read(folded[spans[-1][1] :], vocabulary).stems
        if head and tail and head <= TOPIC_STEMS:
            readings.append(tail)
    return LabelParts(
        text=text,
        concepts=readings[0],
        band=",".join(sorted({band for _, _, band in spans})) or None,
        units=frozenset(words.explicit or words.implied),
        populations=frozenset(words.populations),
        soft_populations=frozenset(words.soft),
        negated=words.negated,
        highest=words.highest,
        readings=tuple(readings),
    )


PART_OF_WORD = 0.7  # "uddannelse" in "uddannelsessystemet", "ledige" in "langtidsledige"


@functools.lru_cache(maxsize=65_536)
def _similarity(a: str, b: str) -> tuple[float, bool]:
    """How alike two concept words are, and whether one stands for the other.

    A word that begins another ("uddannelse" / "uddannelsessystemet", "kontanthjælp" /
    "kontanthjælpsmodtagere") stands for it; one that ends another does not: a Danish compound is
    a kind of its last part ("langtidsledige" are some of the "ledige").
    """
    if a == b:
        return 1.0, True
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 5 and long_.startswith(short):
        return PART_OF_WORD, True
    if len(short) >= 5 and long_.endswith(short):
        return PART_OF_WORD, False
    return 0.0, False


def _reading_score(a: frozenset[str], b: frozenset[str], complete: bool) -> float:
    if not a or not b:
        return 0.0
    left = [max(_similarity(x, y) for y in b) for x in a]
    right = [max(_similarity(x, y) for x in a) for y in b]
    if complete and not all(stands_for for _, stands_for in left + right):
        return 0.0
    return (sum(s for s, _ in left) + sum(s for s, _ in right)) / (len(a) + len(b))


def concept_score(a: LabelParts, b: LabelParts, complete: bool = False) -> float:
    """How far two labels' concept words agree, 0..1: a soft Dice coefficient, best reading.

    `complete`: count only readings where every word on either side has a counterpart: one word
    more ("midlertidig offentlig forsørgelse") or less ("uden tilknytning til arbejdsmarkedet" for
    "... eller uddannelse") is another measure, however long the rest.
    """
    return max(
        (_reading_score(x, y, complete) for x in a.readings for y in b.readings),
        default=0.0,
    )


# ---------------------------------------------------------------------------------------------
# Matching


class MeasureLike(Protocol):
    name: str
    unit: str
    population: str | None


@dataclass(frozen=True)
class MeasureNames:
    """A measure as the matcher sees it: its unit, its age band and every name it goes by."""

    key: str
    unit: str
    names: tuple[str, ...]  # its own name first
    population: str | None = None


@dataclass(frozen=True)
class LabelMatch:
    """The outcome for one label: an automatic mapping, or only the best candidate and scores."""

    measure_key: str | None
    best: str | None
    score: float
    runner_up: float


@dataclass(frozen=True)
class _Candidate:
    key: str
    unit: str
    band: str | None  # the measure's band: the text's own, else its name's or population's
    parts: LabelParts


def _agrees(label: LabelParts, c: _Candidate) -> bool:
    """Every hard part agrees: the label may be mapped to this candidate if it wins clearly."""
    if label.unit_is_ambiguous:
        return False
    unit_ok = label.unit == c.unit or (label.unit is None and c.parts.unit is None)
    band_ok = label.band == c.band if label.band else c.parts.band is None
    return unit_ok and band_ok and not _differs(label, c.parts)


def _differs(a: LabelParts, b: LabelParts) -> bool:
    return a.negated != b.negated or a.highest != b.highest or a.populations != b.populations


def _contradicts(label: LabelParts, c: _Candidate) -> bool:
    """The label says something the candidate does not: another band, unit, population, ..."""
    band = label.band is not None and c.band is not None and label.band != c.band
    unit = label.unit is not None and label.unit != c.unit
    return band or unit or label.unit_is_ambiguous or _differs(label, c.parts)


class Matcher:
    """Maps labels to measures by meaning; built once per upload from the store's catalogue."""

    def __init__(self, measures: Iterable[MeasureNames]) -> None:
        measures = list(measures)
        self.vocabulary = Vocabulary(
            token.group(0).rstrip(".")
            for m in measures
            for name in m.names
            for token in TOKEN.finditer(fold_label(name))
        )
        self._candidates: list[_Candidate] = []
        self._canonical: dict[str, _Candidate] = {}
        for measure in measures:
            own = [self.parse(name) for name in measure.names]
            band = own[0].band if own else None
            if band is None and measure.population:
                band = age_band(measure.population)
            for parts in own:
                candidate = _Candidate(measure.key, measure.unit, parts.band or band, parts)
                canonical = self._canonical.setdefault(measure.key, candidate)
                # A synonym or indikator text that contradicts its own measure is not trusted.
                if candidate is canonical or not _contradicts(parts, canonical):
                    self._candidates.append(candidate)

    @classmethod
    def for_catalogue(
        cls,
        measures: Mapping[str, MeasureLike],
        synonyms: Mapping[str, str] | None = None,
        aliases: Mapping[str, Iterable[str]] | None = None,
    ) -> Matcher:
        """From the measure catalogue, synonym texts (text -> key) and indikator texts (key -> texts)."""
        names: dict[str, list[str]] = {key: [m.name] for key, m in measures.items()}
        for text, key in (synonyms or {}).items():
            if key in names:
                names[key].append(text)
        for key, texts in (aliases or {}).items():
            if key in names:
                names[key].extend(texts)
        return cls(
            MeasureNames(key, m.unit, tuple(dict.fromkeys(names[key])), m.population)
            for key, m in measures.items()
        )

    def parse(self, text: str) -> LabelParts:
        return parse_label(text, self.vocabulary)

    def _label(self, label: str, context: str) -> LabelParts:
        """The label's parts; a band or population the label leaves out comes from its title."""
        parts = self.parse(label)
        if context and (parts.band is None or not parts.populations):
            around = self.parse(context)
            band = parts.band or (around.band if around.band and "," not in around.band else None)
            populations = parts.populations or around.populations
            parts = replace(parts, band=band, populations=populations)
        return parts

    def contradicts(self, label: str, context: str, measure_key: str) -> bool:
        """A label (with its title) says another band, unit, population, ... than the measure."""
        canonical = self._canonical.get(measure_key)
        return canonical is not None and _contradicts(self._label(label, context), canonical)

    def match(self, label: str, context: str = "") -> LabelMatch:
        """Map automatically only if one measure agrees on every hard part and wins clearly."""
        if len(label) > MAX_LABEL_CHARS:
            return LabelMatch(None, None, 0.0, 0.0)
        parts = self._label(label, context)
        agreeing: dict[str, float] = {}
        open_: dict[str, float] = {}
        for c in self._candidates:
            if _contradicts(parts, c):
                continue
            open_[c.key] = max(open_.get(c.key, 0.0), concept_score(parts, c.parts))
            if _agrees(parts, c):
                score = concept_score(parts, c.parts, complete=True)
                agreeing[c.key] = max(agreeing.get(c.key, 0.0), score)
        if not open_:
            return LabelMatch(None, None, 0.0, 0.0)
        best = max(agreeing, key=agreeing.__getitem__, default=None)
        if best is None:
            top = max(open_, key=open_.__getitem__)
            return LabelMatch(None, top, open_[top], 0.0)
        score = agreeing[best]
        runner_up = max((s for k, s in open_.items() if k != best), default=0.0)
        clear = score >= AUTO_SCORE and score - runner_up >= AUTO_MARGIN
        return LabelMatch(best if clear else None, best, score, runner_up)


def describe(parts: LabelParts) -> dict[str, Any]:
    """The parts as plain data (the benchmark lists them for every label it misses)."""
    return {
        "concepts": [sorted(reading) for reading in parts.readings],
        "band": parts.band,
        "units": sorted(parts.units),
        "populations": sorted(parts.populations),
        "soft_populations": sorted(parts.soft_populations),
        "negated": parts.negated,
        "highest": parts.highest,
    }
