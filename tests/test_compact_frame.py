"""The tidy frame of an area list is compact (issue 17, memory): texts repeated on every cell are
categorical, a plain number cell keeps no object of its own, and the problems still quote the
cell as the file shows it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitoring.lbf import label_summary, raw_text, read_table, recoded
from tests.test_lbf_read import xlsx_bytes

HEADER = ["Kommune", "Afdelingsnummer", "Afdeling", "Andel ledige (%)", "Antal beboere"]


def area_list(rows: list[list[object]]) -> pd.DataFrame:
    table = read_table(xlsx_bytes({"Afdelinger 2023": [["Tal 2023"], HEADER, *rows]}), "a.xlsx")
    assert not table.blocking, table.problems
    return table.frame


def test_area_texts_are_categorical_and_read_as_before():
    frame = area_list(
        [
            ["Aalborg", 12, "Sundby afd. 12", 11.4, 410],
            ["Holstebro", None, "Trekanten", "..", 220],
            ["Aalborg", 14, "Sundby afd. 14", 9.1, None],
        ]
    )
    for column in ("area_text", "area_code", "kommune_text", "label", "state", "sheet"):
        assert isinstance(frame[column].dtype, pd.CategoricalDtype), column
    cells = {
        (row.area_text, row.label): (row.value if row.state == "ok" else row.state)
        for row in frame.itertuples(index=False)
    }
    assert cells == {
        ("Sundby afd. 12", "Andel ledige (%)"): 11.4,
        ("Sundby afd. 12", "Antal beboere"): 410.0,
        ("Trekanten", "Andel ledige (%)"): "suppressed",
        ("Trekanten", "Antal beboere"): 220.0,
        ("Sundby afd. 14", "Andel ledige (%)"): 9.1,
    }
    assert frame["area_code"].isna().tolist() == [False, True, False, False, True]
    assert sorted(frame["kommune_text"].cat.categories) == ["Aalborg", "Holstebro"]
    # The empty cell has no row, and its state is no category of the frame.
    assert list(frame["state"].cat.categories) == ["ok", "suppressed"]


def test_a_column_of_empty_cells_leaves_no_label_behind():
    frame = area_list([["Aalborg", 12, "Sundby afd. 12", 11.4, None]])
    assert list(frame["label"].cat.categories) == ["Andel ledige (%)"]


def test_a_number_cell_keeps_no_raw_object_but_reads_as_the_file_shows_it():
    frame = area_list(
        [["Aalborg", 12, "Sundby afd. 12", "11,4 %", 410], ["Aalborg", 14, "Sundby 14", "x", 3]]
    )
    raw = dict(zip(frame["value"].fillna(-1), frame["raw"], strict=True))
    assert raw[410.0] is None and raw_text(raw[410.0], 410.0) == 410.0
    assert raw[11.4] == "11,4 %" and raw[-1] == "x"


def test_a_problem_about_a_number_cell_quotes_the_number(engine):
    from monitoring import ingest
    from monitoring.seed import load_seed

    load_seed(engine)
    header = ["Kommune", "Afdelingsnummer", "Afdeling", "Andel ledige og aktiverede (%)"]
    data = xlsx_bytes({"Afdelinger 2023": [["Tal 2023"], header, ["Aalborg", 12, "A", 140]]})
    upload = ingest.read_upload(engine, data, "a.xlsx")
    quoted = [p.text for p in upload.problems if p.column == "D" and p.row == 3]
    assert quoted == ["140"], upload.problems


def test_recoded_maps_categories_not_rows():
    labels = pd.Series(pd.Categorical(["b", "a", None, "b", "c"]))
    keys = recoded(labels, {"a": "k1", "b": "k2"})
    assert keys.tolist()[:2] == ["k2", "k1"]
    assert pd.isna(keys[2]) and pd.isna(keys[4])
    assert list(keys.categories) == ["k1", "k2"]


def _summary_by_groupby(frame: pd.DataFrame, titles: dict[str, list[str]]) -> list[tuple]:
    """label_summary as a groupby states it: the reference the code-based version must equal."""
    grouped = frame.groupby("label", sort=False, observed=True)["sheet"]
    counts, sheets = grouped.size(), grouped.unique()
    return [
        (
            str(label),
            (titles.get(str(sheets[label][0])) or [""])[0],
            int(counts[label]),
            [str(s) for s in sheets[label]],
        )
        for label in counts.index
    ]


def test_label_summary_counts_labels_and_sheets_in_file_order_like_a_groupby():
    rng = np.random.default_rng(17)
    labels = ["Andel ledige (%)", "Antal beboere", "Indkomst (kr.)", "Andel i job", None]
    sheets = ["Afdelinger 2023", "Kommuner", "Noter"]
    for _ in range(25):
        n = int(rng.integers(1, 400))
        frame = pd.DataFrame(
            {
                "label": pd.Categorical(rng.choice(np.array(labels, dtype=object), n)),
                "sheet": pd.Categorical(rng.choice(sheets[: int(rng.integers(1, 4))], n)),
            }
        )
        titles = {"Kommuner": ["Tal for kommunerne"], "Noter": []}
        assert label_summary(frame, titles) == _summary_by_groupby(frame, titles)


def test_label_summary_reads_text_columns_that_are_not_categorical():
    frame = pd.DataFrame(
        {"label": ["B", "A", "B", None, "A"], "sheet": ["Ark2", "Ark1", "Ark1", "Ark1", "Ark2"]}
    )
    assert label_summary(frame, {"Ark2": ["Titel"]}) == [
        ("B", "Titel", 2, ["Ark2", "Ark1"]),
        ("A", "", 2, ["Ark1", "Ark2"]),
    ]


def test_codes_in_order_of_appearance_by_first_rows_or_by_sorting():
    from monitoring.lbf.columns import in_order_of_appearance

    rng = np.random.default_rng(4)
    for size in (1, 7, 300, 10**9):  # below and above the number of codes: both ways
        for n in (0, 1, 50, 2000):
            codes = rng.integers(0, size, n)
            expected = list(dict.fromkeys(codes.tolist()))
            assert in_order_of_appearance(codes, size).tolist() == expected, (size, n)


def test_label_summary_of_many_labels_on_many_sheets_stays_small():
    """A hostile file: every cell its own label, on 200 sheets: the label × sheet space is far
    larger than the cells, and the summary is still one entry per label."""
    n = 4000
    frame = pd.DataFrame(
        {
            "label": pd.Categorical([f"L{i}" for i in range(n)]),
            "sheet": pd.Categorical([f"Ark {i % 200}" for i in range(n)]),
        }
    )
    summary = label_summary(frame, {})
    assert summary == _summary_by_groupby(frame, {})
    assert len(summary) == n and summary[5] == ("L5", "", 1, ["Ark 5"])
