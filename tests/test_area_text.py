"""The area-text parser and the area matcher on spellings nobody designed for (no database)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from monitoring.ingest.area_index import AreaIndex
from monitoring.ingest.area_text import is_benchmark, kommune_name, parse_area_text, why_not_a_name
from monitoring.kommuner import KOMMUNER, official_kommune, official_kommune_by_code
from monitoring.store.db import get_engine


@pytest.mark.parametrize(
    ("text", "core", "plan", "kommune"),
    [
        (
            "Område: Helhedsplan: Bo Trivsel (Horsens Kommune)",
            "Bo Trivsel",
            True,
            "Horsens Kommune",
        ),
        ("helhedsplan:bo trivsel(horsens kommune)", "bo trivsel", True, "horsens kommune"),
        (
            "Helhedsplanen Mit liv – mit sted – min fremtid",
            "Mit liv – mit sted – min fremtid",
            True,
            None,
        ),
        ("Boligsocial Helhedsplan i Løvvangen", "Løvvangen", True, None),
        ("Den boligsociale helhedsplan for Løvvangen", "Løvvangen", True, None),
        ("Løvvangen (helhedsplan)", "Løvvangen", True, None),
        ("Bo Trivsel - helhedsplan", "Bo Trivsel", True, None),
        ("«Bo Trivsel»", "Bo Trivsel", False, None),
        ("Trekanten, Holstebro Kommune", "Trekanten", False, "Holstebro Kommune"),
        ("Løvvangen i Aalborg Kommune", "Løvvangen", False, "Aalborg Kommune"),
        ("Horsens Kommune", "Horsens Kommune", False, None),
        ("Boligsocial helhedsplan", "Boligsocial helhedsplan", False, None),
        ("  Bo   Trivsel  ", "Bo Trivsel", False, None),
    ],
)
def test_parse_takes_plan_words_and_kommune_off(text, core, plan, kommune):
    parsed = parse_area_text(text)
    assert (parsed.core, parsed.plan_marked, parsed.kommune) == (core, plan, kommune)


@pytest.mark.parametrize(
    ("text", "code", "number", "org", "name"),
    [
        ("Sundby-Hvorup Boligselskab afd. 12", None, "12", None, "Sundby-Hvorup Boligselskab"),
        (
            "Sundby-Hvorup Boligselskab, afdeling 012",
            None,
            "12",
            None,
            "Sundby-Hvorup Boligselskab",
        ),
        ("SUNDBY-HVORUP BOLIGSELSKAB AFD 12", None, "12", None, "SUNDBY-HVORUP BOLIGSELSKAB"),
        ("Løvvangen (afd. nr. 3)", None, "3", None, "Løvvangen"),
        ("Afdelingsnummer: 7", None, "7", None, ""),
        ("611-02", None, "2", "611", ""),
        ("Løvvangen 611-12", None, "12", "611", "Løvvangen"),
        ("Løvvangen", "611-12", "12", "611", "Løvvangen"),
        ("Løvvangen", "0012", "12", None, "Løvvangen"),
        ("12", None, "12", None, ""),
        ("Helhedsplan 2021-2024", None, None, None, "2021-2024"),  # years are no number
    ],
)
def test_parse_finds_the_afdelingsnummer_in_any_spelling(text, code, number, org, name):
    parsed = parse_area_text(text, code)
    assert (parsed.number, parsed.org, parsed.name) == (number, org, name)


def test_the_98_kommuner():
    assert len(KOMMUNER) == 98
    assert len(set(KOMMUNER.values())) == 98
    assert official_kommune("HORSENS KOMMUNE") == ("Horsens", "615")
    assert official_kommune("Århus") == ("Aarhus", "751")
    assert official_kommune("København") == official_kommune("Københavns Kommune")
    assert official_kommune("Hoeje Taastrup") == ("Høje-Taastrup", "169")
    assert official_kommune_by_code("0851") == "Aalborg"
    assert official_kommune("Bo Trivsel") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Horsens Kommune", ("Horsens Kommune", "615")),
        ("horsens", ("Horsens Kommune", "615")),
        ("Nyby Kommune", ("Nyby Kommune", None)),
        ("Lyngby-Taarbæk Kommune", ("Lyngby-Taarbæk Kommune", "173")),
        ("Bo Trivsel Kommune", None),
        ("Helhedsplan: Bo Trivsel (Horsens Kommune)", None),
        ("Hele Kommune", None),
        ("nyby kommune", None),
        ("Kommune", None),
    ],
)
def test_x_kommune_is_a_kommune_only_for_a_kommune_name(text, expected):
    assert kommune_name(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Hele landet",
        "HELE LANDET",
        "Alle almene boligområder",
        "Andre almene boligomraader",
        "Andre almene boligområder i Guldborgsund Kommune",
        "Landsgennemsnit",
    ],
)
def test_benchmarks(text):
    assert is_benchmark(text)


@pytest.mark.parametrize(
    "text", ["Løvvangen", "Andelsboligforeningen Hele Byen", "Horsens Kommune"]
)
def test_not_benchmarks(text):
    assert not is_benchmark(text)


@pytest.mark.parametrize(
    "text",
    [
        "Løvvangen Nord",
        "Svendborg Andelsboligforening afd. 31",
        "Toftemarken/Klitemarken/Frilandsvej",
        "Sønderbro-Vest",
        "Ny Ålykke",
    ],
)
def test_plausible_names(text):
    assert why_not_a_name(text) is None


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("", "bogstaver"),
        ("x" * 81, "for lang"),
        ("=SUM(A1)", "formel"),
        ("-Løvvangen", "formel"),
        ("2023", "tal"),
        ("611-02", "tal"),
        ("**fed**", "tegn"),
        ("Tal | Værdi", "tegn"),
        ("Linje\nto", "tegn"),
        ("Hvor bor du?", "sætning"),
        ("En to tre fire fem seks syv otte ni", "sætning"),
        ("Andel 18-64-årige", "indikator"),
        ("Antal beboere", "indikator"),
        ("Ledige i pct.", "indikator"),
        ("Boligområdet", "betegnelse"),
        ("Helhedsplanen", "betegnelse"),
    ],
)
def test_implausible_names_say_why(text, word):
    assert word in why_not_a_name(text)


@pytest.fixture(scope="module")
def index(seeded_url):
    with Session(get_engine(seeded_url)) as session:
        return AreaIndex(session)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("LØVVANGEN", "Løvvangen"),
        ("  loevvangen ", "Løvvangen"),
        ("Lövvangen", "Løvvangen"),
        ("SOENDERBRO", "Sønderbro"),
        ("oesterbro", "Østerbro"),
        ("BO  TRIVSEL", "Bo Trivsel"),
        ("mit liv, mit sted, min fremtid", "Østerbro"),
        ("Helhedsplanen trekanten", "Trekanten"),
        ("boligsocial helhedsplan i loevvangen", "Løvvangen"),
        ("aktive boligomraader i svendborg", "Aktive Boligområder i Svendborg"),
        ("Toftemarken / Klitemarken / Frilandsvej", "Toftemarken/Klitemarken/Frilandsvej"),
        ("SUNDBY HVORUP BOLIGSELSKAB AFD 12", "Sundby-Hvorup Boligselskab afd. 12"),
        ("horsens kommune", "Horsens Kommune"),
        ("Aalborg", "Aalborg Kommune"),
    ],
)
def test_find_areas_as_people_type_them(index, target, expected):
    assert index.find(target).name == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Beskæftigelse", "Tal for TREKANTEN i Holstebro"], "Trekanten"),
        (["Helhedsplanen Mit liv - mit sted - min fremtid"], "Østerbro"),
        (["Nøgletal for SØNDERBRO"], "Sønderbro"),
        (["Beskæftigelse for 18-64-årige"], None),
    ],
)
def test_names_in_titles(index, lines, expected):
    found = index.in_titles(lines)
    assert (found.name if found else None) == expected
