"""One vocabulary: codes are what the store and logic hold, labels what a person reads."""

from __future__ import annotations

import pytest

from monitoring.store.models import AREA_KINDS, STATES, UNITS
from monitoring.vocabulary import (
    AreaKind,
    Direction,
    MappingSource,
    State,
    Status,
    Unit,
    label_of,
    labels,
)

ENUMS = (Status, Unit, AreaKind, State, MappingSource)


def test_the_store_constraints_allow_exactly_the_codes():
    assert AREA_KINDS == ("afdeling", "boligomraade", "kommune", "benchmark")
    assert UNITS == ("pct", "count", "dkk", "status")
    assert STATES == ("ok", "suppressed", "missing", "qualitative")


@pytest.mark.parametrize("enum", ENUMS)
def test_every_code_has_its_own_label(enum):
    shown = [member.label for member in enum if member.label]
    assert len(set(shown)) == len(shown)
    assert labels(enum) == {member.value: member.label for member in enum}


@pytest.mark.parametrize("enum", ENUMS)
def test_a_code_or_its_label_names_the_member_whatever_the_case_and_spaces(enum):
    for member in enum:
        assert enum.from_text(member.value) is member
        if member.label:
            assert enum.from_text(f"  {member.label.upper()} ") is member


def test_statuses_are_english_codes_with_the_danish_words_as_labels():
    assert [s.value for s in Status] == [
        "on_track",
        "unchanged",
        "wrong_way",
        "missing",
        "not_assessed",
    ]
    assert Status.ON_TRACK.label == "På rette vej"
    assert Status.from_text("Går den forkerte vej") is Status.WRONG_WAY


def test_mapping_sources_keep_the_contract_spelling_and_accept_the_english_words():
    assert MappingSource.CHOSEN == "valgt"
    assert MappingSource.from_text("remembered") is MappingSource.REMEMBERED
    assert MappingSource.from_text("husket") is MappingSource.REMEMBERED
    assert MappingSource.REMEMBERED.short == "husket fra sidst"
    with pytest.raises(ValueError, match="ukendt"):
        MappingSource.from_text("gættet")


def test_label_of_an_unknown_code_is_the_code_or_the_default():
    assert label_of(Unit, "pct") == "Andel (%)"
    assert label_of(Unit, "liter") == "liter"
    assert label_of(Direction, 7, "–") == "–"
    assert label_of(Direction, -1) == "Lavere er bedre"
