"""Matching labels by meaning (monitoring.lbf.labels): age bands, parts of a label, the matcher's hard
rules (never across age bands, populations, antal vs pct., negation, "højst" vs "mindst"),
the synonyms file against its measures, and hostile inputs."""

from __future__ import annotations

import pytest

from monitoring.ingest import shared_measures
from monitoring.lbf import MeasureInfo, propose_mapping, synonym_texts
from monitoring.lbf.labels import (
    Matcher,
    MeasureNames,
    age_band,
    concept_score,
    parse_label,
)
from monitoring.names import match_key
from monitoring.seed import SEED_DIR
from tests.hostile import HOSTILE_NAMES

CATALOGUE = shared_measures(SEED_DIR)
SYNONYMS = synonym_texts()


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    aliases = {
        "employed_18_64": ["Andelen af beboere (18-64 år), der er beskæftiget"],
        "local_volunteers": ["Antal frivillige som indgår i Supportgruppen"],
    }
    local = {"local_volunteers": MeasureInfo("local_volunteers", "Frivillige i gruppen", "count")}
    return Matcher.for_catalogue({**CATALOGUE, **local}, SYNONYMS, aliases)


# --------------------------------------------------------------------------------------------
# Age bands


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("18-64årige", "18-64"),
        ("18-64-årige", "18-64"),
        ("18 - 64 år", "18-64"),
        ("i alderen 18-64 år", "18-64"),
        ("18-64 år", "18-64"),
        ("18 til 64 år", "18-64"),
        ("18–64-årige", "18-64"),  # en dash
        ("mellem 18 og 64 år", "18-64"),
        ("(18-64)", "18-64"),
        ("16-64", "16-64"),
        ("30-64-årige", "30-64"),
        ("25-34 år", "25-34"),
        ("18 64 aarige", "18-64"),  # a normalised key
        ("25 år og opefter", "25+"),
        ("over 18 år", "18+"),
        ("65+", "65+"),
        ("under 18 år", "0-17"),
        ("Andel 18-29-årige og 30-64-årige", "18-29,30-64"),
    ],
)
def test_age_bands_are_canonical(text, band):
    assert age_band(text) == band


@pytest.mark.parametrize(
    "text", ["2019-2023", "pr. 01-01-2020", "31-12-2022", "afd. 12", "1.000 kr.", "64-18 år", ""]
)
def test_years_dates_and_numbers_are_no_age_bands(text):
    assert age_band(text) is None


# --------------------------------------------------------------------------------------------
# Parts of a label


def test_parts_of_an_lbf_topic_label():
    parts = parse_label("Beskæftigelse for 18-64-årige I beskæftigelse (pct.)")
    assert (parts.band, parts.unit, parts.negated, parts.highest) == ("18-64", "pct", False, False)
    assert parts.concepts == {"beskaeftig"}
    assert parts.populations == frozenset()


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("I beskæftigelse (pct.)", "pct"),
        ("I beskæftigelse (%)", "pct"),
        ("Andelen af beboere i beskæftigelse", "pct"),
        ("Beskæftigede i procent", "pct"),
        ("Beskæftigelsesfrekvens", "pct"),
        ("Antallet af beskæftigede", "count"),
        ("Gennemsnitlig husstandsindkomst", "dkk"),
        ("Husstandsindkomst (kr.)", "dkk"),
        ("Indkomst i kroner", "dkk"),
        ("Husstandsindkomst (1.000 kr.)", "1000 dkk"),
        ("Beskæftigede", None),
        ("Antal/andel beboere", None),
    ],
)
def test_unit_markers(text, unit):
    assert parse_label(text).unit == unit


def test_a_label_naming_two_units_is_ambiguous():
    parts = parse_label("Antal/andel beboere i beskæftigelse")
    assert parts.unit_is_ambiguous and parts.units == {"pct", "count"}


def test_stop_words_word_order_and_inflection_do_not_matter():
    a = parse_label("Andel 18-64-årige, der er i beskæftigelse")
    b = parse_label("Beskæftigede i alderen 18 - 64 år (pct.)")
    c = parse_label("18-64årige: andel i beskæftigelse")
    assert a.concepts == b.concepts == c.concepts == {"beskaeftig"}
    assert a.band == b.band == c.band == "18-64"


def test_populations_are_recognised_in_any_spelling():
    assert parse_label("Andel indvandrere og efterkommere").populations == {
        "indvandrere",
        "efterkommere",
    }
    assert parse_label("med flygtninge-/indvandrerbaggrund").populations == {
        "flygtninge",
        "indvandrere",
    }
    assert parse_label("Andelen af indvandre og efterkommere").populations == {
        "indvandrere",
        "efterkommere",
    }
    assert parse_label("Kvinder i beskæftigelse").populations == {"kvinder"}
    # "ikke-vestlige" is a population, not a negation
    parts = parse_label("Andel ikke-vestlige indvandrere")
    assert parts.populations == {"ikke-vestlige", "indvandrere"} and not parts.negated
    # "unge", "beboere" only say who is counted; the band says the rest
    assert parse_label("Andel unge 18-29 år").populations == frozenset()


def test_negation_and_the_highest_qualifier_are_parsed():
    assert parse_label("uden for arbejdsstyrken").negated
    assert parse_label("som ikke har tilknytning til arbejdsmarkedet").negated
    assert parse_label("hverken i gang med eller har gennemført uddannelse").negated
    assert parse_label("NEET 15-29 år").negated
    assert not parse_label("i beskæftigelse").negated
    highest = parse_label("Ungdomsuddannelse som højst fuldførte uddannelse")
    at_least = parse_label("Mindst en ungdomsuddannelse")
    assert highest.highest and not at_least.highest
    assert parse_label("med en ungdomsuddannelse").concepts == at_least.concepts


@pytest.mark.parametrize(
    ("abbreviated", "written_out"),
    [
        ("Andel i beskæft.", "Andel i beskæftigelse"),
        ("Besk. (pct.)", "Beskæftigelse (pct.)"),
        ("Andel på off. forsørgelse", "Andel på offentlig forsørgelse"),
        ("Gns. husstandsindkomst", "Gennemsnitlig husstandsindkomst"),
        ("Andel m. ungd.udd.", "Andel med ungdomsuddannelse"),
        ("Passiv kontanthj.", "Passiv kontanthjælp"),
    ],
)
def test_abbreviations_are_spelled_out(matcher, abbreviated, written_out):
    assert matcher.parse(abbreviated).concepts == matcher.parse(written_out).concepts


@pytest.mark.parametrize(
    ("typo", "right"),
    [
        ("beskæftigelsse", "beskæftigelse"),  # one letter too many
        ("beskæftiglese", "beskæftigelse"),  # two letters swapped
        ("forsøgelse", "forsørgelse"),  # one letter missing
        ("offentilg forsørgelse", "offentlig forsørgelse"),
        ("arbejdstyrken", "arbejdsstyrken"),
        ("BESKÆFTIGELSE", "beskæftigelse"),
        ("beskaeftigelse", "beskæftigelse"),
    ],
)
def test_typos_in_long_words_are_corrected(matcher, typo, right):
    assert matcher.parse(typo).concepts == matcher.parse(right).concepts


def test_short_words_are_not_typo_corrected(matcher):
    assert matcher.parse("ledie").concepts != matcher.parse("ledige").concepts
    assert matcher.parse("uden").negated and not matcher.parse("uhen").negated


def test_compounds_of_known_words_split(matcher):
    assert (
        matcher.parse("Gennemsnitlig indkomst pr. husstand").concepts
        == matcher.parse("Gennemsnitlig husstandsindkomst").concepts
    )


def test_concept_score_counts_a_missing_or_extra_word_as_incomplete():
    whole = parse_label("uden tilknytning til arbejdsmarked eller uddannelse")
    part = parse_label("uden tilknytning til arbejdsmarkedet")
    assert 0.7 < concept_score(part, whole) < 1.0
    assert concept_score(part, whole, complete=True) == 0.0
    assert concept_score(whole, whole, complete=True) == 1.0


# --------------------------------------------------------------------------------------------
# Matching


@pytest.mark.parametrize(
    ("label", "context", "key"),
    [
        ("Andel 18-64-årige i beskæftigelse (%)", "", "employed_18_64"),
        ("I beskæftigelse (pct.)", "Beskæftigelse for 18-64-årige", "employed_18_64"),
        ("Beskæftigelsesfrekvens, 18-64 år, pct.", "", "employed_18_64"),
        ("Pct. af 18-64-årige i beskæftigelse", "", "employed_18_64"),
        ("Andelen af beboere (18-64 år), som er beskæftigede", "", "employed_18_64"),
        ("Offentlig forsørgelse 30-64 år Passiv kontanthjælp (pct.)", "", "passive_cash_benefit_30_64"),
        ("Uden for arbejdsstyrken (pct.)", "Indvandrere og efterkommere 30-64 år",
         "immigrants_outside_labour_force_30_64"),
        ("Andel 25-34-årige med mindst en ungdomsuddannelse", "", "youth_education_25_34"),
        ("Andel 25-34-årige med ungdomsuddannelse som højeste fuldførte uddannelse", "",
         "youth_education_highest_25_34"),
        ("Ledige og aktiverede (%)", "Beskæftigelse for 18-64-årige", "unemployed_and_activated_18_64"),
        ("Ledige og aktiverede, 16-64-årige (%)", "", "unemployed_and_activated"),
        ("Gns. husstandsindkomst (kr.)", "", "household_income_avg"),
        ("Antal frivillige, der indgår i Supportgruppen", "", "local_volunteers"),  # indikator text
    ],
)  # fmt: skip
def test_variants_map_automatically(matcher, label, context, key):
    found = matcher.match(label, context)
    assert found.measure_key == key, found
    assert found.score >= 0.85


@pytest.mark.parametrize(
    ("label", "context"),
    [
        ("Andel 16-64-årige i beskæftigelse", ""),  # other age band
        ("I beskæftigelse (pct.)", "Beskæftigelse for 30-64-årige"),
        ("Ledige og aktiverede (pct.)", "Beskæftigelse for 30-64-årige"),
        ("Ledige og aktiverede (pct.)", ""),  # the catalogue has a 16-64 and an 18-64 share
        ("Andel beskæftigede (pct.)", ""),  # no age band where every name has one
        ("Antal 18-64-årige i beskæftigelse", ""),  # antal vs pct.
        ("I beskæftigelse (antal)", "Beskæftigelse for 18-64-årige"),
        ("Antal/andel 18-64-årige i beskæftigelse", ""),
        ("Andel frivillige som indgår i Supportgruppen", ""),
        ("Gennemsnitlig husstandsindkomst (1.000 kr.)", ""),
        ("Andel 18-29-årige med grundskole", ""),  # "som højst fuldførte" is the measure
        ("Andel 18-64-årige uden beskæftigelse", ""),  # negation
        ("Andel 25-34-årige uden ungdomsuddannelse", ""),
        ("Andel 18-64-årige kvinder i beskæftigelse", ""),  # another population
        ("Andel indvandrere (30-64 år) uden for arbejdsstyrken", ""),
        ("Andel 30-64-årige uden for arbejdsstyrken", ""),
        ("Andel 18-64-årige uden tilknytning til arbejdsmarkedet", ""),  # one word less
        ("Andel 18-64-årige på midlertidig offentlig forsørgelse", ""),  # one word more
        ("Andel langtidsledige og aktiverede", ""),  # a compound is a kind of its last part
        ("Median husstandsindkomst (kr.)", ""),
    ],
)
def test_hard_differences_never_map(matcher, label, context):
    assert matcher.match(label, context).measure_key is None


def test_two_measures_with_the_same_name_are_ambiguous():
    matcher = Matcher(
        [
            MeasureNames("a", "pct", ("Andel ledige og aktiverede",)),
            MeasureNames("b", "pct", ("Andel ledige og aktiverede blandt ikke-beskæftigede",)),
            MeasureNames("c", "pct", ("Andel ledige og aktiverede",)),
        ]
    )
    found = matcher.match("Ledige og aktiverede (pct.)")
    assert found.measure_key is None and found.best in {"a", "c"}
    assert found.runner_up == found.score == 1.0


def test_a_name_contradicting_its_measure_is_not_trusted():
    matcher = Matcher(
        [MeasureNames("x_16_64", "pct", ("Andel ledige 16-64 år", "Andel ledige 18-64 år"))]
    )
    assert matcher.match("Ledige 18-64 år (pct.)").measure_key is None
    assert matcher.match("Ledige 16-64 år (pct.)").measure_key == "x_16_64"


def test_contradicts_uses_the_title_when_the_label_has_no_band(matcher):
    assert matcher.contradicts(
        "Ledige og aktiverede (pct.)", "Beskæftigelse for 18-64-årige", "unemployed_and_activated"
    )
    assert not matcher.contradicts("Ledige og aktiverede (pct.)", "", "unemployed_and_activated")
    assert not matcher.contradicts("I beskæftigelse (pct.)", "", "employed_18_64")
    assert not matcher.contradicts("Anything", "", "no_such_measure")


def test_no_synonym_contradicts_its_measure(matcher):
    """The matcher's refusal of contradicting synonyms never hits an entry of the data file."""
    assert set(SYNONYMS.values()) <= set(CATALOGUE)
    assert [text for text, key in SYNONYMS.items() if matcher.contradicts(text, "", key)] == []


def test_propose_mapping_uses_meaning_only_with_a_matcher(matcher):
    labels = [
        ("Beskæftigelsesfrekvens, 18-64 år, pct.", "", 3, ["A"]),
        ("Ledige og aktiverede (pct.)", "Beskæftigelse for 30-64-årige", 3, ["A"]),
        ("Andel 16-64-årige i beskæftigelse", "", 3, ["A"]),
    ]
    # a wrong synonym, as the data file once had: the row of any table to the 16-64 measure
    synonyms = {match_key("Ledige og aktiverede (pct.)"): "unemployed_and_activated"}
    exact = {
        p.label: (p.measure_key, p.source) for p in propose_mapping(labels, CATALOGUE, synonyms)
    }
    meaning = {
        p.label: (p.measure_key, p.source)
        for p in propose_mapping(labels, CATALOGUE, synonyms, matcher=matcher)
    }
    assert exact["Beskæftigelsesfrekvens, 18-64 år, pct."][0] is None
    assert meaning["Beskæftigelsesfrekvens, 18-64 år, pct."] == ("employed_18_64", "betydning")
    # exact matching applies the synonym to the 30-64 table's row; with the matcher it does not
    assert exact["Ledige og aktiverede (pct.)"] == ("unemployed_and_activated", "synonym")
    assert meaning["Ledige og aktiverede (pct.)"][0] is None
    assert meaning["Andel 16-64-årige i beskæftigelse"][0] is None


# --------------------------------------------------------------------------------------------
# Hostile inputs

HOSTILE = [
    "",
    " ",
    "\t\n",
    "12345",
    "2023",
    "18-64",
    "🙂🙂🙂",
    "=SUM(",
    "=SUM(B2:B9)",
    '=HYPERLINK("http://x";"Andel 18-64-årige i beskæftigelse")',
    "\x00\x01\x02",
    "%%%%",
    "(pct.)",
    "Andel",
    "....",
    "-" * 500,
    "Andel 18-64-årige i beskæftigelse " * 2000,
    "a" * 100_000,
    "9" * 100_000,
    "ﷺ" * 50,
    "Ａｎｄｅｌ １８－６４－årige",  # full-width letters
    "18-64-årige 18-64-årige 18-64-årige",
]


@pytest.mark.parametrize(
    "text", [*HOSTILE, *HOSTILE_NAMES], ids=range(len(HOSTILE) + len(HOSTILE_NAMES))
)
def test_hostile_labels_parse_and_never_map(matcher, text):
    parts = matcher.parse(text)
    assert isinstance(parts.concepts, frozenset)
    assert matcher.match(text).measure_key is None
    assert matcher.match("I beskæftigelse (pct.)", context=text).measure_key in (
        None,
        "employed_18_64",
    )


def test_full_width_digits_read_as_a_band():
    assert age_band("Ａｎｄｅｌ １８－６４－årige") == "18-64"
