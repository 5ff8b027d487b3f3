"""Comparing areas: ranking, index to 100, heat table, top/bottom, alerts, filters (SQLite + PG)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from monitoring import compare
from monitoring.compare import AreaFilter, Thresholds
from monitoring.errors import MonitorError
from monitoring.present.charts import (
    plan_status_figure,
    ranking_figure,
    small_multiples_figure,
)
from monitoring.present.compare_tables import (
    heat_table_styler,
    plans_detail_display,
    plans_detail_groups,
)


def series(rows: list[tuple[int, str, int, object]]) -> pd.DataFrame:
    """Long observations from (area_id, label, year, value|'suppressed'|None)."""
    records = []
    for area_id, label, year, value in rows:
        state = "suppressed" if value == "suppressed" else "missing" if value is None else "ok"
        records.append(
            {
                "area_id": area_id,
                "area": label,
                "label": label,
                "kind": "afdeling",
                "kommune": "Testby Kommune",
                "year": year,
                "value": float(value) if state == "ok" else np.nan,
                "state": state,
            }
        )
    return pd.DataFrame(records)


def alert_row(**values: object) -> dict[str, object]:
    row = {
        "measure": "m",
        "measure_name": "Mål",
        "unit": "pct",
        "direction": 1,
        "area_id": 1,
        "area": "A",
        "kind": "afdeling",
        "kommune": "Testby Kommune",
        "year": 2025,
        "value": 50.0,
        "value_1y": 50.0,
        "value_3y": 50.0,
    }
    row.update(values)
    return row


# --- ranking -----------------------------------------------------------------------------------

OBS = series(
    [
        (1, "A", 2025, 40),
        (2, "B", 2025, 55),
        (3, "C", 2025, "suppressed"),
        (4, "D", 2025, 40),
        (5, "E", 2025, 10),
        (6, "F", 2024, 99),  # no 2025 row at all
    ]
)


def test_ranking_higher_is_better_puts_the_highest_on_top():
    ranking = compare.rank_areas(OBS, 2025, direction=1)
    assert list(ranking["label"]) == ["B", "A", "D", "E", "C", "F"]
    assert list(ranking["rank"].iloc[:4]) == [1, 2, 2, 4]
    assert ranking["rank"].iloc[4:].isna().all()
    assert list(ranking["state"].iloc[4:]) == ["suppressed", "missing"]


def test_ranking_lower_is_better_puts_the_lowest_on_top():
    ranking = compare.rank_areas(OBS, 2025, direction=-1)
    assert list(ranking["label"].iloc[:4]) == ["E", "A", "D", "B"]
    assert ranking["rank"].iloc[0] == 1
    assert ranking["value"].iloc[0] == 10


def test_ranking_open_direction_ranks_the_highest_first():
    assert compare.rank_areas(OBS, 2025, direction=0)["label"].iloc[0] == "B"


def test_suppressed_values_are_never_ranked_as_zero():
    ranking = compare.rank_areas(OBS, 2025, direction=-1)
    suppressed = ranking[ranking["label"] == "C"].iloc[0]
    assert math.isnan(suppressed["value"]) and math.isnan(suppressed["rank"])


def test_top_bottom_keeps_the_best_and_worst_and_counts_the_rest():
    many = series([(i, f"Afd {i:03d}", 2025, i) for i in range(1, 301)])
    ranking = compare.rank_areas(many, 2025, direction=1)
    chosen, omitted = compare.top_bottom(ranking, 5)
    assert omitted == 290
    assert list(chosen["value"]) == [300, 299, 298, 297, 296, 5, 4, 3, 2, 1]
    assert list(chosen["group"]) == ["Top"] * 5 + ["Bund"] * 5
    few, none_left_out = compare.top_bottom(ranking.head(8), 5)
    assert none_left_out == 0 and len(few) == 8


# --- index to first year -----------------------------------------------------------------------


def test_index_skips_a_suppressed_first_year_as_base():
    frame = series(
        [
            (1, "A", 2019, "suppressed"),
            (1, "A", 2020, 50),
            (1, "A", 2021, 60),
            (1, "A", 2022, None),
            (2, "B", 2019, 0),  # zero cannot be a base either
            (2, "B", 2020, 20),
            (2, "B", 2021, 10),
        ]
    )
    indexed = compare.index_to_first_year(frame).set_index(["label", "year"])
    assert indexed.loc[("A", 2020), "base_year"] == 2020
    assert indexed.loc[("A", 2020), "index"] == pytest.approx(100.0)
    assert indexed.loc[("A", 2021), "index"] == pytest.approx(120.0)
    assert math.isnan(indexed.loc[("A", 2019), "index"])
    assert math.isnan(indexed.loc[("A", 2022), "index"])
    assert indexed.loc[("B", 2020), "index"] == pytest.approx(100.0)
    assert indexed.loc[("B", 2021), "index"] == pytest.approx(50.0)
    assert math.isnan(indexed.loc[("B", 2019), "index"])


# --- change and heat table ---------------------------------------------------------------------


def test_change_is_points_for_shares_and_relative_for_counts_and_kroner():
    assert compare.change(45.0, 48.0, "pct") == pytest.approx(-3.0)
    assert compare.change(170_000, 200_000, "dkk") == pytest.approx(-15.0)
    assert compare.change(12, 10, "count") == pytest.approx(20.0)
    assert math.isnan(compare.change(5, 0, "count"))
    assert math.isnan(compare.change(5, np.nan, "pct"))


def test_heat_table_colours_by_direction_aware_change_and_skips_gaps():
    frame = series(
        [
            (1, "A", 2021, 50),
            (1, "A", 2022, 50),
            (1, "A", 2023, 49),
            (1, "A", 2024, 48),
            (1, "A", 2025, 45),
            (2, "B", 2021, 30),
            (2, "B", 2022, "suppressed"),
            (2, "B", 2023, 31),
            (2, "B", 2025, 35),
        ]
    )
    table = compare.heat_table(frame, "pct", 1, range(2021, 2026))
    assert list(table.levels.loc["A"]) == [0, 0, -1, -1, -2]
    assert list(table.levels.loc["B"]) == [0, 0, 0, 0, 0]  # no consecutive pair with values
    assert math.isnan(table.values.loc["B", 2022])  # suppressed stays empty, never zero
    lower_is_better = compare.heat_table(frame, "pct", -1, range(2021, 2026))
    assert list(lower_is_better.levels.loc["A"]) == [0, 0, 1, 1, 2]
    open_direction = compare.heat_table(frame, "pct", 0, range(2021, 2026))
    assert (open_direction.levels == 0).all().all()


def test_heat_table_styler_shows_danish_numbers_in_every_cell():
    frame = series([(1, "A", 2024, 48.25), (1, "A", 2025, 45)])
    table = compare.heat_table(frame, "pct", 1, [2024, 2025])
    html = heat_table_styler(table.values, table.levels, "pct").to_html()
    assert "48,3 %" in html and "45,0 %" in html
    assert "rgba(213, 94, 0, 0.45)" in html  # a large worsening is the strong vermillion tint


# --- alerts (pure) -----------------------------------------------------------------------------


def test_alert_needs_a_worsening_strictly_larger_than_the_threshold():
    inputs = pd.DataFrame(
        [
            alert_row(area_id=1, area="exactly", value=48.0, value_1y=50.0, value_3y=50.0),
            alert_row(area_id=2, area="above", value=47.9, value_1y=50.0, value_3y=50.0),
            alert_row(area_id=3, area="better", value=55.0, value_1y=50.0, value_3y=45.0),
        ]
    )
    found = compare.negative_development(inputs, Thresholds(pct_points_1y=2, pct_points_3y=4))
    assert list(found["area"]) == ["above"]
    assert bool(found["flagged_1y"].iloc[0]) and not bool(found["flagged_3y"].iloc[0])


def test_alert_direction_minus_one_flags_increases():
    inputs = pd.DataFrame(
        [
            alert_row(area="up", direction=-1, value=33.0, value_1y=30.0, value_3y=31.0),
            alert_row(area="down", direction=-1, value=27.0, value_1y=30.0, value_3y=31.0),
        ]
    )
    found = compare.negative_development(inputs)
    assert list(found["area"]) == ["up"]
    assert found["worsening_1y"].iloc[0] == pytest.approx(3.0)


def test_alert_thresholds_are_relative_for_counts_and_kroner():
    inputs = pd.DataFrame(
        [
            alert_row(
                area="kr", unit="dkk", value=170_000.0, value_1y=200_000.0, value_3y=200_000.0
            ),
            alert_row(area="antal", unit="count", value=95.0, value_1y=100.0, value_3y=130.0),
        ]
    )
    found = compare.negative_development(inputs).set_index("area")
    assert found.loc["kr", "change_1y"] == pytest.approx(-15.0)
    assert bool(found.loc["kr", "flagged_1y"]) and not bool(found.loc["kr", "flagged_3y"])
    assert not bool(found.loc["antal", "flagged_1y"])  # −5 % is within 10 %
    assert bool(found.loc["antal", "flagged_3y"])  # −26,9 % beyond 20 %
    stricter = compare.negative_development(inputs, Thresholds(relative_pct_1y=20))
    assert "kr" not in set(stricter["area"])


def test_missing_comparison_years_give_no_change_never_zero():
    inputs = pd.DataFrame(
        [
            alert_row(area="no 1y", value=40.0, value_1y=np.nan, value_3y=50.0),
            alert_row(area="no 3y", value=40.0, value_1y=45.0, value_3y=np.nan),
            alert_row(area="none", value=40.0, value_1y=np.nan, value_3y=np.nan),
        ]
    )
    found = compare.negative_development(inputs).set_index("area")
    assert set(found.index) == {"no 1y", "no 3y"}
    assert math.isnan(found.loc["no 1y", "change_1y"])
    assert bool(found.loc["no 1y", "flagged_3y"]) and not bool(found.loc["no 1y", "flagged_1y"])
    assert math.isnan(found.loc["no 3y", "change_3y"])


def test_alerts_are_ordered_by_size_and_open_directions_never_alert():
    inputs = pd.DataFrame(
        [
            alert_row(area="small", value=47.0, value_1y=50.0),
            alert_row(area="large", value=40.0, value_1y=42.0, value_3y=50.0),
            alert_row(area="open", direction=0, value=10.0, value_1y=50.0),
            alert_row(area="milestone", unit="status", value=0.0, value_1y=2.0),
        ]
    )
    found = compare.negative_development(inputs)
    assert list(found["area"]) == ["large", "small"]
    assert list(found["size"]) == pytest.approx([10.0, 3.0])


def test_thresholds_must_be_non_negative_numbers():
    with pytest.raises(MonitorError):
        Thresholds(pct_points_1y=-1)


# --- store-backed (SQLite and PostgreSQL) ------------------------------------------------------


def labels(frame: pd.DataFrame) -> set[str]:
    return set(frame["label"])


def test_measures_with_observations_leave_out_milestones(compare_engine):
    measures = compare.measures_with_observations(compare_engine).set_index("key")
    assert set(measures.index) == {"employed", "public_support", "income", "open_count"}
    assert measures.loc["employed", "last_year"] == 2025
    assert measures.loc["employed", "areas_last_year"] == 8


def test_load_comparison_for_all_subject_areas_with_references(compare_engine):
    data = compare.load_comparison(compare_engine, "employed", actor="test")
    assert labels(data.observations) == {
        "Løvparken",
        "Sundhøj",
        "Løvparken afd. 1",
        "Løvparken afd. 2",
        "Sundhøj afd. 7",
        "Andeparken",
    }
    # Two kommuner among the areas (Kommune = Alle): each kommune with figures for the measure is
    # a line of its own (Andeby Kommune has none), beside the national benchmark.
    assert labels(data.references) == {"Hele landet", "Testby Kommune"}
    assert data.reference_kommune is None  # no single kommune is "the" kommune
    suppressed = data.observations.query("label == 'Løvparken afd. 1' and year == 2022").iloc[0]
    assert suppressed["state"] == "suppressed" and math.isnan(suppressed["value"])
    ranking = compare.rank_areas(data.observations, 2025, 1)
    assert list(ranking["label"]) == [
        "Løvparken afd. 2",
        "Andeparken",
        "Sundhøj",
        "Løvparken",
        "Sundhøj afd. 7",
        "Løvparken afd. 1",
    ]
    assert list(ranking["rank"]) == [1, 2, 2, 4, 5, 6]


def test_plan_filter_takes_the_plans_areas_and_their_children(compare_engine):
    data = compare.load_comparison(
        compare_engine, "employed", AreaFilter(plan="testplan"), actor="test"
    )
    assert labels(data.observations) == {"Løvparken", "Løvparken afd. 1", "Løvparken afd. 2"}
    assert data.reference_kommune == "Testby Kommune"
    assert labels(data.references) == {"Testby Kommune", "Hele landet"}
    refs = compare.reference_values(data.references, 2025)
    assert list(refs["label"]) == ["Testby Kommune", "Hele landet"]
    assert list(refs["value"]) == [72.0, 76.0]


def test_kommune_kind_and_search_filters(compare_engine):
    testby = compare.load_comparison(
        compare_engine, "employed", AreaFilter(kommune="Testby"), actor="test"
    )
    assert "Andeparken" not in labels(testby.observations)
    assert len(labels(testby.observations)) == 5
    by_code = compare.load_comparison(
        compare_engine, "employed", AreaFilter(kommune="999"), actor="test"
    )
    assert labels(by_code.observations) == labels(testby.observations)
    afdelinger = compare.load_comparison(
        compare_engine, "employed", AreaFilter(kinds=("afdeling",)), actor="test"
    )
    assert labels(afdelinger.observations) == {
        "Løvparken afd. 1",
        "Løvparken afd. 2",
        "Sundhøj afd. 7",
    }
    # Typed without ø and in capitals, as people search.
    found = compare.load_comparison(
        compare_engine, "employed", AreaFilter(search="LOEVPARKEN AFD"), actor="test"
    )
    assert labels(found.observations) == {"Løvparken afd. 1", "Løvparken afd. 2"}
    nothing = compare.load_comparison(
        compare_engine, "employed", AreaFilter(search="50%_"), actor="test"
    )
    assert nothing.observations.empty


def test_unknown_filters_are_danish_sentences(compare_engine):
    with pytest.raises(MonitorError, match="Kommunen 'Atlantis' findes ikke"):
        compare.load_comparison(
            compare_engine, "employed", AreaFilter(kommune="Atlantis"), actor="test"
        )
    with pytest.raises(MonitorError, match="Helhedsplanen 'nej' findes ikke"):
        compare.load_comparison(compare_engine, "employed", AreaFilter(plan="nej"), actor="test")
    with pytest.raises(MonitorError, match="Målet 'nej' findes ikke"):
        compare.load_comparison(compare_engine, "nej", actor="test")


def test_alerts_from_the_store_in_order_of_size(compare_engine):
    found = compare.alerts(compare_engine, actor="test")
    assert [(r.measure, r.area) for r in found.itertuples()] == [
        ("income", "Løvparken"),
        ("employed", "Sundhøj"),
        ("public_support", "Løvparken"),
        ("employed", "Sundhøj afd. 7"),
    ]
    first = found.iloc[0]
    assert first["change_1y"] == pytest.approx(-15.0)
    sundhoej = found.iloc[1]
    assert sundhoej["change_1y"] == pytest.approx(-3.0)
    assert sundhoej["change_3y"] == pytest.approx(-5.0)
    assert bool(sundhoej["flagged_1y"]) and bool(sundhoej["flagged_3y"])
    # Løvparken's public_support has a missing 2022: no three-year change, not zero.
    assert math.isnan(found.iloc[2]["change_3y"])


def test_alerts_from_the_store_with_filters_thresholds_and_year(compare_engine):
    plan = compare.alerts(compare_engine, AreaFilter(plan="testplan"), actor="test")
    assert [(r.measure, r.area) for r in plan.itertuples()] == [
        ("income", "Løvparken"),
        ("public_support", "Løvparken"),
    ]
    assert compare.alerts(compare_engine, AreaFilter(kommune="Andeby Kommune"), actor="test").empty
    one = compare.alerts(
        compare_engine, measure_key="employed", thresholds=Thresholds(3, 4), actor="test"
    )
    assert list(one["area"]) == ["Sundhøj"]  # afd. 7 fell 2,5 pp; Sundhøj's 3 pp is not above 3
    assert bool(one["flagged_3y"].iloc[0]) and not bool(one["flagged_1y"].iloc[0])
    earlier = compare.alerts(compare_engine, measure_key="employed", year=2024, actor="test")
    assert earlier.empty  # in 2024 nobody had fallen more than 2 pp (1 year) or 4 pp (3 years)
    earlier = compare.alerts(
        compare_engine,
        measure_key="employed",
        year=2024,
        thresholds=Thresholds(0.5, 1),
        actor="test",
    )
    assert list(earlier["area"]) == ["Løvparken afd. 2", "Sundhøj"]
    assert set(earlier["year"]) == {2024}
    assert list(earlier["change_3y"]) == pytest.approx([-4.0, -2.0])


def test_alert_json_has_numbers_and_flags(compare_engine):
    rows = compare.alerts_json(compare.alerts(compare_engine, actor="test"))
    assert rows[0]["measure"] == "income" and rows[0]["change_kind"] == "relativ (%)"
    assert rows[0]["value"] == 170000.0 and rows[0]["flagged_1y"] is True
    assert rows[2]["change_3y"] is None


# --- plans side by side ------------------------------------------------------------------------


def test_plans_side_by_side_counts_statuses_and_lines_up_shared_measures():
    progress = [
        {
            "plan": "Plan A",
            "slug": "a",
            "year": 2024,
            "subgoals": [
                {
                    "text": "Flere i job",
                    "indicators": [
                        {
                            "name": "Beskæftigelse",
                            "status": "På rette vej",
                            "measure": "employed",
                            "measure_name": "Andel i beskæftigelse",
                            "unit": "pct",
                            "latest": {"value": 44.0, "year": 2024},
                        },
                        {
                            "name": "Frivillige",
                            "status": "Mangler data",
                            "measure": "volunteers",
                            "measure_name": "Antal frivillige",
                            "unit": "count",
                            "latest": {"value": None, "year": None},
                        },
                    ],
                }
            ],
        },
        {
            "plan": "Plan B",
            "slug": "b",
            "year": 2025,
            "subgoals": [
                {
                    "text": "Flere i job",
                    "indicators": [
                        {
                            "name": "Beskæftigelse",
                            "status": "Går den forkerte vej",
                            "measure": "employed",
                            "measure_name": "Andel i beskæftigelse",
                            "unit": "pct",
                            "latest": {"value": 40.0, "year": 2025},
                        }
                    ],
                }
            ],
        },
    ]
    frames = compare.plans_side_by_side(progress)
    summary = frames["summary"].set_index("Helhedsplan")
    assert summary.loc["Plan A", "På rette vej"] == 1
    assert summary.loc["Plan A", "Mangler data"] == 1
    assert summary.loc["Plan B", "Går den forkerte vej"] == 1
    assert list(summary["Indikatorer"]) == [2, 1]
    matrix = frames["matrix"].set_index("Helhedsplan")
    assert list(matrix.columns) == ["Andel i beskæftigelse"]
    assert matrix.loc["Plan B", "Andel i beskæftigelse"] == "Går den forkerte vej"
    detail = frames["detail"]
    assert detail["Seneste værdi"].dtype.kind == "f"
    shown = plans_detail_display(detail)
    assert list(shown["Seneste værdi"]) == ["44,0 %", "–", "40,0 %"]
    # On the page one table per plan, without the plan's name on every row.
    groups = plans_detail_groups(detail)
    assert [(name, len(rows)) for name, _, rows in groups] == [("Plan A", 2), ("Plan B", 1)]
    assert list(groups[0][2].columns[:3]) == ["Indikator", "Status", "Seneste værdi"]
    figure = plan_status_figure(frames["summary"])
    assert figure.layout.barmode == "stack"
    assert {trace.name for trace in figure.data} == {
        "På rette vej",
        "Mangler data",
        "Går den forkerte vej",
    }


# --- charts ------------------------------------------------------------------------------------


def test_ranking_figure_puts_the_best_on_top_with_reference_lines_and_a_gap():
    many = series([(i, f"Afd {i:03d}", 2025, i) for i in range(1, 61)])
    ranking = compare.rank_areas(many, 2025, direction=-1)
    chosen, omitted = compare.top_bottom(ranking, 3)
    refs = pd.DataFrame(
        [
            {"label": "Testby Kommune", "kind": "kommune", "value": 20.0},
            {"label": "Hele landet", "kind": "benchmark", "value": 25.0},
        ]
    )
    figure = ranking_figure(chosen, refs, "pct", -1, 2025, omitted)
    categories = list(figure.layout.yaxis.categoryarray)
    assert categories[:3] == ["Afd 001", "Afd 002", "Afd 003"]
    assert categories[3] == "··· 54 områder udeladt ···"
    assert figure.layout.yaxis.autorange == "reversed"  # first category on top
    assert figure.layout.separators == ",."
    assert len(figure.layout.shapes) == 2
    assert figure.data[0].text[0] == "1,0 %"
    assert "Testby Kommune: 20,0 %" in {trace.name for trace in figure.data}


def test_small_multiples_share_one_scale_and_draw_indexed_series():
    frame = series(
        [(1, "A", 2021, 10), (1, "A", 2022, 20), (2, "B", 2021, "suppressed"), (2, "B", 2022, 30)]
    )
    figure = small_multiples_figure(
        compare.index_to_first_year(frame), frame.iloc[0:0], "pct", True
    )
    assert figure.layout.yaxis2.matches == "y"
    area_traces = [t for t in figure.data if t.name in {"A", "B"}]
    assert list(area_traces[0].y) == [100.0, 200.0]
    suppressed_first = area_traces[1].y[0]  # a gap, not a value
    assert suppressed_first is None or math.isnan(suppressed_first)
    assert figure.layout.separators == ",."


def test_exports_keep_real_numbers_for_csv_and_excel(compare_engine):
    import io

    from openpyxl import load_workbook

    from monitoring.present.export import to_csv_bytes, to_excel_bytes

    data = compare.load_comparison(compare_engine, "employed", actor="test")
    ranking = compare.rank_areas(data.observations, 2025, 1)
    heat = compare.heat_table(data.observations, "pct", 1, range(2021, 2026))
    sheets = {
        "Rangering": compare.ranking_export(ranking, "pct", 2025),
        "Varmetabel": compare.heat_export(heat, data.observations),
        "Serier": compare.series_export(data.observations, "pct", indexed=True),
        "Negativ udvikling": compare.alerts_export(compare.alerts(compare_engine, actor="test")),
    }
    book = load_workbook(io.BytesIO(to_excel_bytes(sheets)))
    rank_sheet = book["Rangering"]
    header = [c.value for c in rank_sheet[1]]
    assert rank_sheet.cell(2, header.index("Værdi") + 1).value == 55.0
    heat_sheet = book["Varmetabel"]
    assert [c.value for c in heat_sheet[1]][:3] == ["Område", "Kommune", "2021"]
    assert all(isinstance(c.value, int | float) for c in heat_sheet[2][2:])
    alert_sheet = book["Negativ udvikling"]
    header = [c.value for c in alert_sheet[1]]
    assert alert_sheet.cell(2, header.index("Ændring 1 år") + 1).value == pytest.approx(-15.0)
    csv = to_csv_bytes(sheets["Rangering"]).decode("utf-8-sig")
    assert ";55,0;" in csv


def test_the_year_shown_falls_back_to_the_latest_year_with_values():
    frame = pd.DataFrame(
        {
            "year": [2021, 2022, 2023],
            "value": [1.0, 2.0, np.nan],
            "state": ["ok", "ok", "missing"],
        }
    )
    assert compare.year_shown(frame, 2023) == 2022
    assert compare.year_shown(frame, 2021) == 2021
    assert compare.year_shown(frame.iloc[:0], 2023) == 2023


def test_ranking_defaults_to_the_latest_year_most_areas_have_figures_for():
    rows = [(area, 2023, 10.0 + area) for area in range(10)]
    rows += [(area, 2024, 11.0) for area in range(5)]  # half the areas: still well covered
    rows += [(area, 2025, 12.0) for area in range(2)]  # a first few figures of a new year
    frame = pd.DataFrame(rows, columns=["area_id", "year", "value"]).assign(state="ok")
    assert compare.well_covered_year(frame) == 2024
    assert compare.well_covered_year(frame[frame["year"] == 2025]) == 2025
    assert compare.well_covered_year(frame.assign(state="suppressed")) is None


def test_alerts_are_for_each_measures_latest_year_unless_the_period_ends_earlier():
    assert compare.alert_year(2024, 2024) is None
    assert compare.alert_year(2022, 2024) == 2022


def test_heat_bands_are_points_for_shares_and_relative_for_the_rest():
    assert compare.heat_bands("pct") == (0.5, 2.0)
    assert compare.heat_bands("count") == compare.heat_bands("dkk") == (2.5, 10.0)
