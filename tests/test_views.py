"""Display helpers: honest empty states, card facts, yearly tables (suppressed never 0)."""

import math

from monitoring.present.views import (
    badge_markdown,
    baseline_text,
    empty_state_text,
    format_yearly,
    indicator_card_facts,
    yearly_download,
    yearly_reading_table,
    yearly_values,
)


def _indicator(observations, baseline=None, unit="pct"):
    return {
        "name": "Andel i beskæftigelse",
        "unit": unit,
        "area": "Østerbro",
        "baseline": baseline or {"value": None, "year": None, "note": None},
        "comparators": [],
        "observations": observations,
    }


def test_waiting_for_data_is_said_in_the_delaftale_s_words():
    indicator = _indicator([], {"value": None, "year": None, "note": "Afventer data"})
    assert empty_state_text(indicator) == "Afventer data"
    first = _indicator([], {"value": None, "year": 2022, "note": "Første måling pr. 01.01.2022"})
    assert empty_state_text(first) == "Første måling pr. 01.01.2022"


def test_only_suppressed_values_say_diskretioneret():
    indicator = _indicator(
        [{"area": "Østerbro", "year": 2023, "value": None, "state": "suppressed"}]
    )
    assert empty_state_text(indicator).startswith("Diskretioneret")


def test_a_series_means_no_empty_state():
    indicator = _indicator([{"area": "Østerbro", "year": 2023, "value": 40.0, "state": "ok"}])
    assert empty_state_text(indicator) is None


def test_baseline_text_uses_value_or_words():
    assert baseline_text({"value": 40.0, "year": 2021}, "pct") == "40,0 % (2021)"
    assert baseline_text({"value": None, "year": None, "note": "Afventer data"}, "count") == (
        "Afventer data"
    )


def test_a_note_beside_a_number_qualifies_it_and_never_stands_in_for_figures():
    """Guldborgsund's 46,6 % has no year; its note is no reason for an empty chart."""
    baseline = {"value": 46.6, "year": None, "note": "Året fremgår ikke af delaftalen."}
    assert baseline_text(baseline, "pct") == "46,6 %. Året fremgår ikke af delaftalen."
    indicator = _indicator([], baseline)
    assert empty_state_text(indicator) == "Ingen tal endnu."
    verdict = {
        "latest": {"value": None, "year": None, "state": "missing"},
        "reference": {"value": 46.6, "year": None, "from_baseline": True},
        "change": None,
        "comparators": [],
    }
    assert indicator_card_facts(indicator, verdict)["Seneste værdi"] == "Mangler data"


def test_card_facts_show_latest_change_and_comparator_distance():
    indicator = _indicator([], {"value": 40.0, "year": 2021, "note": None})
    verdict = {
        "latest": {"value": 42.5, "year": 2023, "state": "ok"},
        "reference": {"value": 40.0, "year": 2021, "from_baseline": True},
        "change": 2.5,
        "comparators": [
            {"label": "Hele kommunen", "value": 71.4, "gap_now": 28.9, "passed": False}
        ],
    }
    facts = indicator_card_facts(indicator, verdict)
    assert facts["Seneste værdi"] == "42,5 % (2023)"
    assert facts["Ændring siden baseline (2021)"] == "+2,5 procentpoint"
    assert facts["Hele kommunen"] == "71,4 % · afstand 28,9 pp."


def test_yearly_table_keeps_suppressed_years_empty_not_zero():
    subgoal = {
        "indicators": [
            _indicator(
                [
                    {"area": "Østerbro", "year": 2021, "value": 40.0, "state": "ok"},
                    {"area": "Østerbro", "year": 2022, "value": None, "state": "suppressed"},
                ]
            )
        ]
    }
    values = yearly_values(subgoal)
    assert values.loc[0, "2021"] == 40.0 and math.isnan(values.loc[0, "2022"])
    shown = format_yearly(values)
    assert shown.loc[0, "2021"] == "40,0 %" and shown.loc[0, "2022"] == "–"


def test_badges_always_carry_their_text():
    assert badge_markdown("Går den forkerte vej") == (
        ":red-badge[:material/trending_down: Går den forkerte vej]"
    )


def test_card_facts_without_a_baseline_year_do_not_say_none():
    indicator = _indicator([], {"value": 459.0, "year": None, "note": None}, unit="count")
    verdict = {
        "latest": {"value": 514.0, "year": 2025, "state": "ok"},
        "reference": {"value": 459.0, "year": None, "from_baseline": True},
        "change": 55.0,
        "comparators": [],
    }
    assert indicator_card_facts(indicator, verdict) == {
        "Seneste værdi": "514 (2025)",
        "Ændring siden baseline": "+55",
    }


def test_yearly_table_never_crosses_indikatorer_with_units_or_areas():
    income = {
        **_indicator(
            [
                {"area": "Østerbro", "year": 2023, "value": 250000.0, "state": "ok"},
                {"area": "Horsens Kommune", "year": 2023, "value": 300000.0, "state": "ok"},
            ],
            unit="dkk",
        ),
        "name": "Gennemsnitlig husstandsindkomst",
    }
    members = {
        **_indicator([{"area": "Østerbro", "year": 2024, "value": None, "state": "suppressed"}]),
        "name": "Antal medlemmer",
        "unit": "count",
    }
    values = yearly_values({"indicators": [income, members]})
    rows = list(zip(values["Indikator"], values["Område"], values["Enhed"], strict=True))
    assert rows == [
        ("Gennemsnitlig husstandsindkomst", "Østerbro", "dkk"),
        ("Gennemsnitlig husstandsindkomst", "Horsens Kommune", "dkk"),
        ("Antal medlemmer", "Østerbro", "count"),
    ]
    assert list(yearly_download(values)["Enhed"]) == ["Kroner", "Kroner", "Antal"]
    shown = yearly_reading_table(values)
    assert list(shown.columns) == ["Indikator", "Område", "2024", "2023"]
    assert shown.loc[0, "2023"] == "250.000\u00a0kr."
