"""Make the synthetic LBF sample files in data/samples/ (deterministic: same bytes every run).

    python -m data.samples.make_lbf_samples

The figures are invented but plausible, for areas and kommuner of the seeded helhedsplaner
(Østerbro/Guldborgsund, Løvvangen/Aalborg, Trekanten/Holstebro, Sundparken/Horsens,
Skovparken/Svendborg). Where a delaftale gives a baseline, the sample repeats it for that year, so
an import leaves the baseline unchanged. One file per layout the importer recognises:

- lbf_tidsserie_oesterbro.xlsx   time series (LBF Beboerdata): title rows, years as columns,
                                 two sheets lagging differently, a percent-formatted row (fractions),
                                 Danish number text, suppressed cells ("..", "x", "<5").
- lbf_omraadeliste_2023.xlsx     area list: one row per area, one column per indikator, the year
                                 in the title; includes an unknown afdeling (created on import).
- lbf_omraadeliste_2023.csv      the same list as CSV, comma-separated, UTF-8.
- lbf_lang_tabel.xlsx            long table: Område; Afdelingsnummer; Kommune; Indikator; År; Værdi.
- lbf_lang_tabel.csv             the same as CSV, semicolon-separated, Windows-1252.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import numpy as np
import xlsxwriter

HERE = Path(__file__).resolve().parent
CREATED = dt.datetime(2024, 3, 1, 12, 0, 0)
SOURCE_NOTE = (
    "Kilde: Landsbyggefonden, Beboerdata (syntetiske eksempeltal). Tal for under 5 personer er "
    "diskretioneret (..)."
)


def _workbook(path: Path) -> xlsxwriter.Workbook:
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties(
        {"title": path.stem, "author": "Indikatormonitor (syntetiske data)", "created": CREATED}
    )
    return workbook


def _danish(value: float, decimals: int = 1) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def time_series(path: Path) -> None:
    years = list(range(2014, 2024))
    employed = [37.2, 37.9, 38.4, 38.1, 39.0, 39.6, 38.8, 40.0, 41.3, 42.1]  # 2021 = baseline 40 %
    support = [0.492, 0.487, 0.481, 0.479, 0.468, 0.462, 0.47, 0.455, 0.441, 0.433]
    activated = ["..", 9.8, 9.1, 8.7, 8.2, 7.9, 8.8, 8.1, "x", 6.9]
    persons = [412, 418, 421, 417, 425, 431, 428, 433, 440, 446]
    workbook = _workbook(path)
    bold = workbook.add_format({"bold": True, "font_size": 13})
    percent = workbook.add_format({"num_format": "0.0%"})
    one_decimal = workbook.add_format({"num_format": "0.0"})

    sheet = workbook.add_worksheet("Beskæftigelse")
    sheet.write(0, 0, "Beskæftigelse for 18-64-årige", bold)
    sheet.write(1, 0, "Østerbro, Guldborgsund Kommune")
    sheet.write(2, 0, "Opgjort pr. 1. januar")
    sheet.write(4, 0, "")
    for c, year in enumerate(years, start=1):
        sheet.write_number(4, c, year)
    sheet.write(5, 0, "I beskæftigelse (antal)")
    for c, n in enumerate(persons, start=1):
        sheet.write_number(5, c, round(n * employed[c - 1] / 100))
    sheet.write(6, 0, "I beskæftigelse (pct.)")
    for c, v in enumerate(employed, start=1):
        sheet.write_number(6, c, v, one_decimal)
    sheet.write(7, 0, "På offentlig forsørgelse (pct.)")
    for c, v in enumerate(support, start=1):
        sheet.write_number(7, c, v, percent)  # fractions shown as percentages
    sheet.write(8, 0, "Ledige og aktiverede (pct.)")
    for c, v in enumerate(activated, start=1):
        if isinstance(v, str):
            sheet.write_string(8, c, v)
        else:
            sheet.write_number(8, c, v, one_decimal)
    sheet.write(10, 0, SOURCE_NOTE)
    sheet.set_column(0, 0, 34)

    sheet = workbook.add_worksheet("Indkomst")
    sheet.write(0, 0, "Indkomst", bold)
    sheet.write(1, 0, "Østerbro, Guldborgsund Kommune")
    sheet.write(2, 0, "Husstande pr. 1. januar; indkomståret er året før")
    income_years = list(range(2013, 2023))  # one year behind employment
    incomes = [271_350, 276_910, 279_400, 284_215, 291_870, 296_400, 301_120, 309_844, 318_260, 0]
    for c, year in enumerate(income_years, start=1):
        sheet.write_string(4, c, str(year))
    sheet.write(5, 0, "Gennemsnitlig husstandsindkomst (kr.)")
    for c, v in enumerate(incomes, start=1):
        if c == len(incomes):
            sheet.write_string(5, c, "<5")
        elif c % 3 == 0:
            sheet.write_string(5, c, f"{_danish(v, 0)} kr.")  # number as Danish text
        else:
            sheet.write_number(5, c, v)
    sheet.write(7, 0, SOURCE_NOTE)
    sheet.set_column(0, 0, 38)
    workbook.close()


AREA_LIST_HEADER = [
    "Kommune",
    "Afdelingsnummer",
    "Afdeling",
    "Andel 18-64-årige i beskæftigelse (%)",
    "Andel 18-64-årige på offentlig forsørgelse (%)",
    "Andel ledige og aktiverede (%)",
    "Gennemsnitlig husstandsindkomst (kr.)",
    "Antal beboere",
]
# kommune, afdelingsnummer, area, employed, public support, activated, income, residents
AREA_LIST_ROWS: list[list[object]] = [
    ["Aalborg", "12", "Sundby-Hvorup Boligselskab afd. 12", 45.8, 47.2, 11.4, 289_512, 1_873],
    ["Aalborg", None, "Løvvangen", 46.1, 46.9, 11.2, 291_004, 2_410],
    ["Guldborgsund", None, "Østerbro", 42.1, 43.3, 6.9, 327_455, 446],
    ["Holstebro", None, "Trekanten", 51.6, 38.4, 7.7, 334_870, 1_132],
    ["Horsens", None, "Sundparken", 55.9, 34.8, 6.1, 372_150, 2_020],
    ["Horsens", None, "Sønderbro", 52.3, 37.5, "<5", 355_940, 987],
    ["Svendborg", None, "Skovparken", 44.0, 49.1, "x", 301_778, 764],
    ["Svendborg", "31", "Svendborg Andelsboligforening afd. 31", 57.2, 31.9, "..", 398_110, 212],
    ["Aalborg", None, "Aalborg Kommune", 71.4, 20.3, 3.9, 512_300, 221_082],
]
AREA_LIST_TITLE = [
    "Boligsociale data – nøgletal for almene afdelinger 2023",
    "Opgjort pr. 1. januar 2023 (syntetiske eksempeltal)",
]


def area_list(path: Path) -> None:
    workbook = _workbook(path)
    bold = workbook.add_format({"bold": True, "font_size": 13})
    head = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    sheet = workbook.add_worksheet("Nøgletal")
    sheet.write(0, 0, AREA_LIST_TITLE[0], bold)
    sheet.write(1, 0, AREA_LIST_TITLE[1])
    for c, text in enumerate(AREA_LIST_HEADER):
        sheet.write(3, c, text, head)
    for r, row in enumerate(AREA_LIST_ROWS, start=4):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            else:
                sheet.write_number(r, c, value)
    sheet.write(len(AREA_LIST_ROWS) + 5, 0, SOURCE_NOTE)
    sheet.set_column(0, 2, 22)
    sheet.set_column(3, 7, 16)
    workbook.close()


def area_list_csv(path: Path) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=",", lineterminator="\r\n")
    writer.writerow([AREA_LIST_TITLE[0]])
    writer.writerow([])
    writer.writerow(AREA_LIST_HEADER)
    for row in AREA_LIST_ROWS:
        cells = []
        for c, value in enumerate(row):
            if value is None:
                cells.append("")
            elif isinstance(value, str):
                cells.append(value)
            elif c == 6:
                cells.append(f"{_danish(float(value), 0)} kr.")
            elif c == 7:
                cells.append(_danish(float(value), 0))
            else:
                cells.append(_danish(float(value), 1))
        writer.writerow(cells)
    path.write_bytes(buffer.getvalue().encode("utf-8"))


LONG_HEADER = ["Område", "Afdelingsnummer", "Kommune", "Indikator", "År", "Værdi"]


def long_rows() -> list[list[str]]:
    rng = np.random.default_rng(20240301)
    series = [
        ("Løvvangen", "", "Aalborg", "Andel 18-64-årige i beskæftigelse", 44.0, 0.8, "%"),
        ("Løvvangen", "", "Aalborg", "Andel ledige og aktiverede", 13.5, -0.6, "%"),
        ("Trekanten", "", "Holstebro", "Andel 18-64-årige i beskæftigelse", 49.0, 0.9, "%"),
        ("Trekanten", "", "Holstebro", "Gennemsnitlig husstandsindkomst", 318_000, 6_500, "kr."),
        ("Østerbro", "", "Guldborgsund", "Andel 18-64-årige i beskæftigelse", 38.8, 1.1, "%"),
        (
            "Sundby-Hvorup Boligselskab afd. 12",
            "12",
            "Aalborg",
            "Andel 18-64-årige i beskæftigelse",
            43.5,
            0.7,
            "%",
        ),
    ]
    rows = []
    for area, number, kommune, indicator, start, step, unit in series:
        for i, year in enumerate(range(2019, 2024)):
            value = start + step * i + float(rng.normal(0, abs(step) / 3))
            if unit == "%":
                text = f"{_danish(value, 1)} %"
            else:
                text = f"{_danish(round(value, -1), 0)} kr."
            if area == "Løvvangen" and indicator.startswith("Andel ledige") and year == 2020:
                text = ".."
            rows.append([area, number, kommune, indicator, str(year), text])
    return rows


def long_table(path: Path) -> None:
    workbook = _workbook(path)
    head = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet("Data")
    for c, text in enumerate(LONG_HEADER):
        sheet.write(0, c, text, head)
    for r, row in enumerate(long_rows(), start=1):
        for c, value in enumerate(row):
            if c == 4:
                sheet.write_number(r, c, int(value))
            elif value:
                sheet.write_string(r, c, value)
    sheet.set_column(0, 0, 34)
    sheet.set_column(3, 3, 36)
    workbook.close()


def long_table_csv(path: Path) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(LONG_HEADER)
    writer.writerows(long_rows())
    path.write_bytes(buffer.getvalue().encode("cp1252"))


SAMPLES = {
    "lbf_tidsserie_oesterbro.xlsx": time_series,
    "lbf_omraadeliste_2023.xlsx": area_list,
    "lbf_omraadeliste_2023.csv": area_list_csv,
    "lbf_lang_tabel.xlsx": long_table,
    "lbf_lang_tabel.csv": long_table_csv,
}


def main(folder: Path = HERE) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, make in SAMPLES.items():
        path = folder / name
        make(path)
        paths.append(path)
    return paths


if __name__ == "__main__":
    for made in main():
        print(made.relative_to(HERE.parent.parent))
