"""Matching names the way people type them: case-, accent- and spacing-insensitive, æøå spelled out."""

from __future__ import annotations

import re
import unicodedata

_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ö": "oe", "ä": "ae"})


def fold(text: str) -> str:
    """Lower case, æøå spelled out, accents off; punctuation kept (for parsers that need it)."""
    lowered = text.casefold().translate(_DANISH_LETTERS)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def match_key(text: str) -> str:
    """A comparison key: "Løvvangen" and "LOEVVANGEN " and "Lövvangen" give the same key."""
    return re.sub(r"[^a-z0-9]+", " ", fold(text)).strip()


def kommune_area_name(kommune: str) -> str:
    """The area name of a kommune as people write it: "Aalborg Kommune"."""
    return kommune if kommune.casefold().endswith("kommune") else f"{kommune} Kommune"
