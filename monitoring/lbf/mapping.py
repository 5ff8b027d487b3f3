"""Mapping row/column texts to measures: remembered choices, synonyms, fuzzy suggestions."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from monitoring.lbf.cells import match_key
from monitoring.lbf.columns import coded_column, in_order_of_appearance
from monitoring.lbf.labels import Matcher
from monitoring.resources import DATA_DIR

SYNONYMS_FILE = DATA_DIR / "lbf_synonyms.yaml"


@dataclass(frozen=True)
class MeasureInfo:
    key: str
    name: str
    unit: str
    population: str | None = None


@dataclass
class MappingProposal:
    """A row or column text and the measure it maps to (or, if uncertain, a suggestion only).

    `source`: "valgt" (the user chose), "husket" (confirmed earlier), "synonym" (data file),
    "navn" (the measure's own name or key), "betydning" (same meaning: `monitoring.lbf.labels`),
    "forslag" (a fuzzy suggestion: NOT mapped), "ingen".
    `measure_key` None means the text is not imported; `ignored` marks a deliberate skip.
    """

    label: str
    measure_key: str | None
    confidence: float
    source: str
    suggestion: str | None = None
    suggestion_confidence: float = 0.0
    cells: int = 0
    sheets: list[str] = field(default_factory=list)
    ignored: bool = False

    @property
    def mapped(self) -> bool:
        return self.measure_key is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "measure": self.measure_key,
            "confidence": round(self.confidence, 3),
            "source": self.source,
            "suggestion": self.suggestion,
            "suggestion_confidence": round(self.suggestion_confidence, 3),
            "cells": self.cells,
            "sheets": list(self.sheets),
            "ignored": self.ignored,
        }


def synonym_texts(path: Path = SYNONYMS_FILE) -> dict[str, str]:
    """Text as written -> measure key, from the one synonyms data file."""
    if not path.exists():
        return {}
    content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    synonyms = content.get("synonyms") or {}
    return {str(text): str(key) for text, key in synonyms.items() if key}


def load_synonyms(path: Path = SYNONYMS_FILE) -> dict[str, str]:
    """Normalised text -> measure key, from the one synonyms data file."""
    return {match_key(text): key for text, key in synonym_texts(path).items()}


FUZZY_SUGGEST = 0.6


_UNIT_WORDS = {
    "antal": "count",
    "pct": "pct",
    "procent": "pct",
    "andel": "pct",
    "kr": "dkk",
    "kroner": "dkk",
}


def unit_of_label(label: str) -> str | None:
    """The unit a row/column text names ("(pct.)", "%", "antal", "kr."), if exactly one."""
    words = set(match_key(label).split())
    units = {unit for word, unit in _UNIT_WORDS.items() if word in words}
    if "%" in label:
        units.add("pct")
    return units.pop() if len(units) == 1 else None


def propose_mapping(
    labels: Sequence[tuple[str, str, int, list[str]]],
    measures: dict[str, MeasureInfo],
    synonyms: dict[str, str],
    memory: dict[str, str | None] | None = None,
    chosen: dict[str, str | None] | None = None,
    matcher: Matcher | None = None,
) -> list[MappingProposal]:
    """Map each (label, context, cells, sheets) to a measure: chosen > remembered > synonym > name
    > meaning.

    Without a `matcher`, exact (normalised) matches only. With one, a synonym that contradicts its
    measure (another age band, unit, ...) is not applied, and a label that means exactly one measure
    is mapped as "betydning". Anything else is at most a suggestion with its confidence and is left
    unmapped until a person confirms it. `chosen` and `memory` are keyed by match_key(label) and may
    map to None (deliberately not imported).
    """
    memory = memory or {}
    chosen = chosen or {}
    by_name = {match_key(m.name): m.key for m in measures.values()}
    by_name.update({match_key(m.key): m.key for m in measures.values()})
    candidates: dict[str, str] = {**by_name, **synonyms}
    proposals = []
    for label, context, cells, sheets in labels:
        key = match_key(label)
        keys = [key, match_key(f"{context} {label}")] if context else [key]
        proposal = MappingProposal(label, None, 0.0, "ingen", cells=cells, sheets=sheets)
        if key in chosen:
            proposal.measure_key, proposal.source = chosen[key], "valgt"
            proposal.confidence, proposal.ignored = 1.0, chosen[key] is None
        elif key in memory:
            proposal.measure_key, proposal.source = memory[key], "husket"
            proposal.confidence, proposal.ignored = 1.0, memory[key] is None
        else:
            for candidate in keys:
                found = [(synonyms.get(candidate), "synonym"), (by_name.get(candidate), "navn")]
                for measure_key, source in found:
                    # A measure's own key (manual entry writes keys) is that measure, whatever
                    # the words in it seem to say.
                    own_key = key == match_key(measure_key or "")
                    if measure_key in measures and (
                        own_key
                        or not (matcher and matcher.contradicts(label, context, measure_key))
                    ):
                        proposal.measure_key, proposal.source = measure_key, source
                        proposal.confidence = 1.0
                        break
                if proposal.measure_key is not None:
                    break
            if proposal.measure_key is None and matcher is not None:
                meaning = matcher.match(label, context)
                if meaning.measure_key is not None:
                    proposal.measure_key, proposal.source = meaning.measure_key, "betydning"
                    proposal.confidence = meaning.score
        if proposal.measure_key is None and not proposal.ignored:
            best, score = None, 0.0
            unit = unit_of_label(label)
            for text, measure_key in candidates.items():
                if measure_key not in measures:
                    continue
                if unit is not None and measures[measure_key].unit != unit:
                    continue  # "I beskæftigelse (antal)" is no suggestion for a share
                ratio = difflib.SequenceMatcher(None, key, text, autojunk=False).ratio()
                if ratio > score:
                    best, score = measure_key, ratio
            if best is not None and score >= FUZZY_SUGGEST:
                proposal.suggestion, proposal.suggestion_confidence = best, score
                proposal.source = "forslag"
                proposal.confidence = score
        proposals.append(proposal)
    return proposals


def label_summary(
    frame: pd.DataFrame, titles: dict[str, list[str]]
) -> list[tuple[str, str, int, list[str]]]:
    """(label, context, cells, sheets) for every distinct row/column text, in file order."""
    if frame.empty:
        return []
    label_codes, labels = coded_column(frame["label"])
    sheet_codes, sheets = coded_column(frame["sheet"])
    # On the codes, not a groupby: a national file's million cells name a few dozen labels, and a
    # groupby's per-cell temporaries (twice these) count in the import's peak memory.
    counts = np.bincount(label_codes[label_codes >= 0], minlength=len(labels))
    space = len(labels) * len(sheets)
    pairs = label_codes.astype(np.int32 if space < 2**31 else np.int64)  # a (label, sheet) code
    pairs *= len(sheets)
    pairs += sheet_codes
    known = (label_codes >= 0) & (sheet_codes >= 0)
    if not known.all():
        pairs = pairs[known]
    sheets_of: dict[int, list[str]] = {}  # label code: its sheets, both in order of appearance
    for pair in in_order_of_appearance(pairs, space).tolist():
        label, sheet = divmod(pair, len(sheets))
        sheets_of.setdefault(label, []).append(str(sheets[sheet]))
    result = []
    for label, label_sheets in sheets_of.items():
        title = titles.get(label_sheets[0]) or [""]
        result.append((str(labels[label]), title[0], int(counts[label]), label_sheets))
    return result
