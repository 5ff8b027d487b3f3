"""The app's words, once: every enumerated value with its code (what logic compares and the store
holds) and its Danish `.label` (what a person reads). A leaf: imports nothing from `monitoring`.

Logic compares members (`status is Status.ON_TRACK`, `unit == Unit.PCT`); only presentation
shows `.label`. Codes are English except where a stored value or a JSON contract already spells
them otherwise (`MappingSource`, see its docstring).
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import ClassVar


class _Labelled:
    """Mixin: `.label` from the class's `_LABELS` table, `from_text` accepting code or label."""

    _LABELS: ClassVar[dict[str, str]]
    _OLD_SPELLINGS: ClassVar[dict[str, str]] = {}

    @property
    def label(self) -> str:
        return type(self)._LABELS[self.value]

    @classmethod
    def from_text(cls, text: str):
        """The member a code, a label or an older spelling names (case and spaces ignored)."""
        wanted = " ".join(str(text).split()).casefold()
        for member in cls:  # type: ignore[attr-defined]
            if wanted in (member.value.casefold(), member.label.casefold()):
                return member
        if wanted in cls._OLD_SPELLINGS:
            return cls(cls._OLD_SPELLINGS[wanted])  # type: ignore[call-arg]
        raise ValueError(f"ukendt værdi: {text!r}")


class Status(_Labelled, StrEnum):
    """An indikator's verdict for a status year (the progress engine's output)."""

    ON_TRACK = "on_track"
    UNCHANGED = "unchanged"
    WRONG_WAY = "wrong_way"
    MISSING = "missing"
    NOT_ASSESSED = "not_assessed"


Status._LABELS = {
    "on_track": "På rette vej",
    "unchanged": "Uændret",
    "wrong_way": "Går den forkerte vej",
    "missing": "Mangler data",
    "not_assessed": "Ikke vurderet",
}


class Unit(_Labelled, StrEnum):
    """What a measure counts; stored in `measure.unit` / `indicator.unit` (CHECK constraint)."""

    PCT = "pct"
    COUNT = "count"
    DKK = "dkk"
    STATUS = "status"


Unit._LABELS = {"pct": "Andel (%)", "count": "Antal", "dkk": "Kroner", "status": "Milepæl"}


class AreaKind(_Labelled, StrEnum):
    """What an area is; stored in `area.kind` (CHECK constraint)."""

    AFDELING = "afdeling"
    BOLIGOMRAADE = "boligomraade"
    KOMMUNE = "kommune"
    BENCHMARK = "benchmark"


AreaKind._LABELS = {
    "afdeling": "Afdeling",
    "boligomraade": "Boligområde",
    "kommune": "Kommune",
    "benchmark": "Sammenligning",
}


class State(_Labelled, StrEnum):
    """An observation's state; stored in `observation.state` (CHECK constraint)."""

    OK = "ok"
    SUPPRESSED = "suppressed"
    MISSING = "missing"
    QUALITATIVE = "qualitative"


State._LABELS = {
    "ok": "",
    "suppressed": "Diskretioneret",
    "missing": "Mangler",
    "qualitative": "Kun tekst",
}


class MappingSource(_Labelled, StrEnum):
    """Why a file's row or column maps to a measure (`import-lbf --json`, the upload page).

    The codes are the contract's and the stored memory's existing spellings, kept as they are so
    that external checks of `import-lbf --json` and stored rows stay valid; the English names
    are for code, and `from_text` also accepts the English words ("chosen", "remembered", ...).
    """

    CHOSEN = "valgt"
    REMEMBERED = "husket"
    SYNONYM = "synonym"
    NAME = "navn"
    MEANING = "betydning"
    SUGGESTION = "forslag"
    NONE = "ingen"

    @property
    def short(self) -> str:
        """The word in the plain-text import report ("husket fra sidst")."""
        return _SOURCE_SHORT[self.value]


MappingSource._LABELS = {
    "valgt": "Valgt af dig",
    "husket": "Husket fra sidste import",
    "synonym": "Kendt betegnelse",
    "navn": "Målets eget navn",
    "betydning": "Samme betydning som målet",
    "forslag": "Kun forslag – vælg selv",
    "ingen": "Ikke genkendt",
}
MappingSource._OLD_SPELLINGS = {
    "chosen": "valgt",
    "remembered": "husket",
    "name": "navn",
    "meaning": "betydning",
    "suggestion": "forslag",
    "none": "ingen",
}
_SOURCE_SHORT = {
    "valgt": "valgt",
    "husket": "husket fra sidst",
    "synonym": "synonym",
    "navn": "målets navn",
    "betydning": "samme betydning",
    "forslag": "kun forslag",
    "ingen": "intet forslag",
}


class Direction(IntEnum):
    """Which way is better for a measure; stored as the integer in `measure.direction`.

    An IntEnum, not a StrEnum: the store, the seed files and `show --json` hold 1, -1 and 0.
    """

    HIGHER = 1
    LOWER = -1
    OPEN = 0

    @property
    def label(self) -> str:
        return _DIRECTION_LABELS[self.value]


_DIRECTION_LABELS = {1: "Højere er bedre", -1: "Lavere er bedre", 0: "Ikke fastlagt"}


def labels(enum: type) -> dict:
    """{code: label} of an enumeration, for `.map` over a frame column."""
    return {member.value: member.label for member in enum}


def label_of(enum: type, code: object, default: str | None = None) -> str:
    """The label of a code, or `default` (the code itself when None) for a code it does not know."""
    try:
        return enum(code).label
    except ValueError:
        return str(code) if default is None else default


# The roles a user can have (monitoring.access says what each may do); the store's CHECK and the
# CLI's choices, without the CLI loading the store's models to offer them.
ROLES = ("læser", "koordinationsudvalg", "projektleder", "administrator")
