"""The label synonyms and the measure catalogue agree on age band, unit and concept.

A synonym maps automatically, so one that points at a measure of another age band ("18-64-årige"
at a 16-64 share) or another concept ("ungdomsuddannelse som højst fuldførte" at "med en
ungdomsuddannelse") puts every figure of that row on the wrong indikator without a word.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from monitoring.lbf import SYNONYMS_FILE, load_synonyms, unit_of_label
from monitoring.names import match_key
from monitoring.seed import seed_files
from tests.seed.helpers import MEASURES_YAML, load_yaml

AgeBand = tuple[int, int | None]

# "18-64", "18-64-årige", "18-64årige", "18 - 64 år", "i alderen 18-64 år", "(25-34 år)"; never a
# piece of a year span ("2021- 2025") or an afdelingsnummer ("611-02")
_DASHED = re.compile(r"(?<![\d.,])(\d{1,2})\s*[-–—]\s*(\d{1,2})(?![\d.,])")
_BETWEEN = re.compile(r"\bmellem (\d{1,2}) og (\d{1,2}) år")
_AND_UP = re.compile(r"(?<![\d.,])(\d{1,2})(?: år og (?:opefter|derover|ældre)|\+)")
_KEY_BAND = re.compile(r"_(\d{1,2})_(\d{1,2})(?:_|$)|_(\d{1,2})plus(?:_|$)")


def age_bands(text: str) -> set[AgeBand]:
    """Every age band a text names, as (from, to); `to` is None for "25 år og opefter"."""
    folded = text.casefold()
    bands: set[AgeBand] = {
        (int(low), int(high))
        for pattern in (_DASHED, _BETWEEN)
        for low, high in pattern.findall(folded)
        if int(low) < int(high)
    }
    return bands | {(int(low), None) for low in _AND_UP.findall(folded)}


def key_band(key: str) -> AgeBand | None:
    """The age band a measure key ends in: employed_18_64 -> (18, 64), ..._25plus -> (25, None)."""
    found = _KEY_BAND.search(key)
    if found is None:
        return None
    low, high, open_low = found.groups()
    return (int(open_low), None) if open_low else (int(low), int(high))


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a mapping with the same key twice (plain YAML keeps the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def strict_load(text: str) -> Any:
    return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader: builds no Python objects


PLAN_FILES = {path.stem: load_yaml(path) for path in seed_files()}
LOCAL_MEASURES = {m["key"]: m for c in PLAN_FILES.values() for m in c.get("measures") or []}
SHARED_MEASURES = {m["key"]: m for m in load_yaml(MEASURES_YAML)["measures"]}
# what a synonym may name: the shared catalogue plus the plans' own LBF measures
MEASURES = SHARED_MEASURES | {k: m for k, m in LOCAL_MEASURES.items() if m["lbf"]}
ALL_MEASURES = SHARED_MEASURES | LOCAL_MEASURES
INDICATORS = [
    (plan, ind)
    for plan, content in PLAN_FILES.items()
    for sub in content["agreement"]["subgoals"]
    for ind in sub["indicators"]
]


def measure_band(measure: dict[str, Any]) -> AgeBand | None:
    """The measure's one age band, from its key, population and name (which must agree)."""
    found = {key_band(measure["key"])} - {None}
    found |= age_bands(measure.get("population") or "") | age_bands(measure["name"])
    assert len(found) <= 1, (measure["key"], found)
    return found.pop() if found else None


def _says_highest(text: str) -> bool:
    """ "som højst fuldførte uddannelse", "som højeste uddannelse": the highest education only."""
    return bool(re.search(r"\bhøj(?:st|este)\b", text.casefold()))


SYNONYMS: dict[str, str] = strict_load(SYNONYMS_FILE.read_text(encoding="utf-8"))["synonyms"]
SYNONYM_IDS = list(SYNONYMS)


# --------------------------------------------------------------------------- the helpers above


@pytest.mark.parametrize(
    ("text", "bands"),
    [
        ("Andel 18-64-årige i beskæftigelse (%)", {(18, 64)}),
        ("Andel 18-64årige beskæftigede", {(18, 64)}),
        ("Beskæftigelsesfrekvens (18 - 64 år)", {(18, 64)}),
        ("Andel unge i alderen 18-29 år, som ikke er i gang", {(18, 29)}),
        ("Andel af beboerne mellem 18 og 64 år, som ikke har tilknytning", {(18, 64)}),
        ("Passiv kontanthjælp 30-64", {(30, 64)}),
        ("Andel personer (25–34 år) med ungdomsuddannelse", {(25, 34)}),
        ("beboere 25 år og opefter", {(25, None)}),
        ("Andel ledige og aktiverede (%)", set()),
        ("Løvvangen 2021- 2025 13,9%", set()),
        ("Boligselskabet afd. 611-02", set()),
        ("Pr. 01.01.2020", set()),
    ],
)
def test_age_bands_are_read_in_every_common_spelling(text, bands):
    assert age_bands(text) == bands


def test_strict_loader_refuses_a_repeated_key_that_plain_yaml_keeps_quietly():
    text = "synonyms:\n  Ledige (pct.): a\n  Ledige (pct.): b\n"
    assert yaml.safe_load(text) == {"synonyms": {"Ledige (pct.)": "b"}}
    with pytest.raises(yaml.constructor.ConstructorError, match="duplicate key"):
        strict_load(text)


# --------------------------------------------------------------------------- the catalogue


@pytest.mark.parametrize("key", sorted(ALL_MEASURES))
def test_measure_key_population_and_name_name_one_age_band(key):
    measure = ALL_MEASURES[key]
    band = measure_band(measure)
    if key_band(key) is not None:
        assert band == key_band(key)
        assert band in age_bands(measure["population"]), "population states the key's age band"


def test_at_least_and_highest_youth_education_are_two_measures():
    at_least, highest = MEASURES["youth_education_25_34"], MEASURES["youth_education_highest_25_34"]
    assert not _says_highest(at_least["name"]) and _says_highest(highest["name"])
    assert measure_band(at_least) == measure_band(highest) == (25, 34)


# --------------------------------------------------------------------------- the synonyms


def test_synonym_file_has_entries_and_no_repeated_text():
    """Read refusing duplicates (above), and nothing lost when the app normalises the texts."""
    assert len(SYNONYMS) > 40
    normalised: dict[str, str] = {}
    for text in SYNONYMS:
        key = match_key(text)
        assert key not in normalised, f"{text!r} and {normalised.get(key)!r} are the same text"
        normalised[key] = text
    assert load_synonyms() == {match_key(text): key for text, key in SYNONYMS.items()}


@pytest.mark.parametrize("text", SYNONYM_IDS)
def test_synonym_points_at_an_existing_measure(text):
    assert SYNONYMS[text] in MEASURES, f"{text!r} -> unknown measure {SYNONYMS[text]!r}"


@pytest.mark.parametrize("text", SYNONYM_IDS)
def test_synonym_age_band_is_the_measure_s(text):
    """A text that names an age band maps only to a measure of exactly that band."""
    measure = MEASURES[SYNONYMS[text]]
    bands = age_bands(text)
    assert len(bands) <= 1, (text, bands)
    if bands:
        assert bands == {measure_band(measure)}, (text, measure["key"])


@pytest.mark.parametrize("text", SYNONYM_IDS)
def test_synonym_unit_and_concept_are_the_measure_s(text):
    measure = MEASURES[SYNONYMS[text]]
    unit = unit_of_label(text)
    assert unit in (None, measure["unit"]), (text, measure["key"])
    assert _says_highest(text) == _says_highest(measure["name"]), (text, measure["key"])


def test_no_synonym_takes_another_measure_s_name():
    """A synonym spelled like a measure's own name would override the match by name."""
    by_name = {match_key(m["name"]): key for key, m in MEASURES.items()}
    for text, key in SYNONYMS.items():
        assert by_name.get(match_key(text), key) == key, text


def test_the_corrected_labels_map_to_their_own_measures():
    by_text = {match_key(text): key for text, key in SYNONYMS.items()}
    label = "Beskæftigelse for 18-64-årige Ledige og aktiverede (pct.)"
    assert by_text[match_key(label)] == "unemployed_and_activated_18_64"
    label = "Uddannelse 25-34 år Ungdomsuddannelse som højst fuldførte uddannelse (pct.)"
    assert by_text[match_key(label)] == "youth_education_highest_25_34"
    # a bare row text with no age band stays with its table title, it is no synonym of its own
    assert match_key("Ledige og aktiverede (pct.)") not in by_text


# --------------------------------------------------------------------------- the delaftaler


@pytest.mark.parametrize(
    ("plan", "indicator"),
    INDICATORS,
    ids=[f"{plan}:{ind['name'][:40]}" for plan, ind in INDICATORS],
)
def test_seed_indicator_age_band_and_concept_match_its_measure(plan, indicator):
    measure = ALL_MEASURES[indicator["measure"]]
    bands = age_bands(indicator["name"])
    if bands and measure_band(measure) is not None:
        assert bands == {measure_band(measure)}, (plan, indicator["name"])
    assert _says_highest(indicator["name"]) == _says_highest(measure["name"]), indicator["name"]


def test_youth_education_indicators_mean_at_least_a_youth_education():
    users = [(plan, ind) for plan, ind in INDICATORS if ind["measure"] == "youth_education_25_34"]
    assert [ind["name"] for _, ind in users] == ["Andel personer (25-34 år) med ungdomsuddannelse"]
    for _, ind in users:
        assert not _says_highest(ind["name"])
        kommune = next(c for c in ind["comparators"] if c["area"]["kind"] == "kommune")
        assert kommune["value"] > 60  # "has at least one" level, not "as the highest"


def test_yaml_files_have_no_repeated_keys():
    for path in [SYNONYMS_FILE, MEASURES_YAML, *seed_files()]:
        strict_load(Path(path).read_text(encoding="utf-8"))
