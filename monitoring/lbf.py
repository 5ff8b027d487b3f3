"""Reading LBF beboerdata (and similar lists) into one tidy frame plus a list of problems.

This module is pure: bytes in, a `LbfTable` out, no database. `monitoring.ingest` resolves areas and
measures against the store, validates, previews and commits.

Order of work for one upload:
1. `check_file` — size, file type, zip bomb, XML entities, password, corrupt: before any parser runs.
2. `read_table` — find the sheets, the header row below the title rows, the layout and the years, and
   turn every data cell into one row of the tidy frame with its state (`ok`, `suppressed`, `invalid`).
3. `propose_mapping` — row/column texts to measure keys, with a confidence; never guesses silently.

Three layouts are recognised (and can be forced with `LayoutHint` when they are not):
- `time_series`: title rows, then a header row of years; one row per category (LBF Beboerdata).
- `area_list`: one row per area, one column per indikator; the year in a column, title or sheet name.
- `long`: one row per value: `Område; Indikator; År; Værdi` (plus optional afdelingsnummer, kommune).
"""

from __future__ import annotations

import csv
import difflib
import functools
import hashlib
import io
import os
import re
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from defusedxml import ElementTree as SafeET

from monitoring.fmt import format_value, parse_number
from monitoring.names import match_key as _match_key
from monitoring.resources import DATA_DIR

# Texts repeat (labels, kommuner, area names); normalising each once saves real time on big files.
match_key = functools.lru_cache(maxsize=100_000)(_match_key)

SYNONYMS_FILE = DATA_DIR / "lbf_synonyms.yaml"

# The one place for the upload size limit: the reader enforces it, and the upload page passes it
# to Streamlit (`st.file_uploader(..., max_upload_size=MAX_FILE_MB)`). Override with LBF_MAX_FILE_MB.
MAX_FILE_MB: int = int(os.environ.get("LBF_MAX_FILE_MB", "20"))

LAYOUTS = ("time_series", "area_list", "long")
LAYOUT_NAMES = {
    "time_series": "Tidsserie (år som kolonner)",
    "area_list": "Områdeliste (ét område pr. række)",
    "long": "Lang tabel (Område; Indikator; År; Værdi)",
}
ERROR, WARNING = "error", "warning"
FRAME_COLUMNS = [
    "sheet",
    "row",
    "column",
    "area_text",
    "area_code",
    "kommune_text",
    "kommune_code",
    "label",
    "year",
    "raw",
    "value",
    "state",
    "unit_hint",
    "reason",
]

_YEAR_MIN, _YEAR_MAX = 1980, 2100
_XLSX_MAGIC = b"PK\x03\x04"
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class ReadSettings:
    """Limits and reading choices; the defaults are the production values."""

    max_file_bytes: int = MAX_FILE_MB * 1024 * 1024
    max_uncompressed_bytes: int = 250 * 1024 * 1024  # all parts of an .xlsx together, decompressed
    max_compression_ratio: int = 100  # a part that expands more than this is a zip bomb
    max_zip_members: int = 5_000
    dash_is_zero: bool = False  # "-" in a cell means suppressed (default) or zero
    header_scan_rows: int = 60


@dataclass(frozen=True)
class LayoutHint:
    """Manual layout choices for files the reader does not recognise (or recognises wrongly).

    Columns are given as letters ("C") or as header text; rows are 1-based as Excel shows them.
    """

    sheet: str | None = None
    layout: str | None = None
    header_row: int | None = None
    area_column: str | None = None
    code_column: str | None = None
    kommune_column: str | None = None
    year_column: str | None = None
    label_column: str | None = None
    value_column: str | None = None


@dataclass(frozen=True)
class Problem:
    """One problem with its place in the file and a Danish explanation; `error` blocks the import."""

    level: str
    code: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    text: str | None = None

    @property
    def blocking(self) -> bool:
        return self.level == ERROR

    def place(self) -> str:
        parts = []
        if self.sheet is not None:
            parts.append(f"ark '{self.sheet}'")
        if self.row is not None:
            parts.append(f"række {self.row}")
        if self.column is not None:
            parts.append(f"kolonne {self.column}")
        return ", ".join(parts)

    def describe(self) -> str:
        """ "Ark 'Data', række 7, kolonne D ('4l,2'): Cellen skal være et tal …" """
        place = self.place()
        cell = f" ('{self.text}')" if self.text not in (None, "") else ""
        head = f"{place[:1].upper()}{place[1:]}{cell}: " if place else ""
        return f"{head}{self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "code": self.code,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "text": self.text,
            "message": self.message,
        }


class FileRejected(Exception):
    """Raised inside the reader when the whole file must be refused; carries the problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class SheetLayout:
    """What the reader found in one sheet: layout, header row and the role of each column."""

    sheet: str
    layout: str
    header_row: int
    columns: dict[str, str] = field(default_factory=dict)  # role -> column letter
    years: list[int] = field(default_factory=list)
    year_source: str | None = None  # "kolonne", "overskrift", "titel", "arknavn", "angivet"
    title: list[str] = field(default_factory=list)
    area_text: str | None = None
    area_code: str | None = None
    kommune_text: str | None = None
    kommune_code: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "layout": self.layout,
            "layout_name": LAYOUT_NAMES[self.layout],
            "header_row": self.header_row,
            "columns": dict(self.columns),
            "years": list(self.years),
            "year_source": self.year_source,
            "title": list(self.title),
            "area": self.area_text,
            "area_code": self.area_code,
            "kommune": self.kommune_text,
        }


@dataclass
class Grid:
    """One sheet's cells as values (None/str/float/bool), 0-based, plus percent-formatted cells."""

    name: str
    rows: list[list[Any]]
    percent_cells: set[tuple[int, int]] = field(default_factory=set)

    def preview(self, rows: int = 15, columns: int = 12) -> list[list[str]]:
        return [[cell_text(v) for v in row[:columns]] for row in self.rows[:rows]]


@dataclass
class LbfTable:
    """The reader's result: a tidy frame of every data cell, the problems and what was detected."""

    file_name: str
    sha256: str
    file_format: str | None
    frame: pd.DataFrame
    problems: list[Problem]
    layouts: list[SheetLayout]
    titles: dict[str, list[str]] = field(default_factory=dict)
    previews: dict[str, list[list[str]]] = field(default_factory=dict)
    year_hint: int | None = None
    area_hint: str | None = None

    @property
    def blocking(self) -> bool:
        return any(p.blocking for p in self.problems)

    @property
    def layout(self) -> str | None:
        kinds = sorted({s.layout for s in self.layouts})
        return kinds[0] if len(kinds) == 1 else ("+".join(kinds) if kinds else None)


# --------------------------------------------------------------------------------------------
# Cell values


def column_letter(index: int) -> str:
    """0 -> "A", 27 -> "AB"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """ "A" -> 0, "AB" -> 27; raises ValueError for anything but letters."""
    letters = letters.strip().upper()
    if not letters.isalpha() or not letters.isascii():
        raise ValueError(letters)
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def cell_text(value: Any) -> str:
    """A cell as the user sees it (roughly): "41.2", "2019", "" for empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "SAND" if value else "FALSK"
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value).strip()


_SUPPRESSED = {"..", "...", "x", "*", "**", "-", "–", "—", "diskr", "diskr.", "diskretioneret"}
_SUPPRESSED_LESS_THAN = re.compile(r"^<\s*\d+$")
_DASHES = {"-", "–", "—"}
_UNIT_SUFFIX = re.compile(
    r"\s*(?P<unit>%|pct\.?|procent|kr\.?|kroner|dkk)\s*$", re.IGNORECASE | re.UNICODE
)
_UNIT_OF_SUFFIX = {"%": "pct", "pct": "pct", "procent": "pct", "kr": "dkk", "kroner": "dkk"}
_DECIMAL_POINT = re.compile(r"^[-−]?\d+\.(?:\d{1,2}|\d{4,})$")


def is_suppressed_text(text: str) -> bool:
    t = text.strip().casefold()
    return t == "" or t in _SUPPRESSED or bool(_SUPPRESSED_LESS_THAN.match(t))


def parse_cell_text(text: str) -> tuple[float, str | None, bool]:
    """A Danish number in text with an optional unit: ("41,2 %") -> (41.2, "pct", False).

    The third item is True when the text used a decimal point ("41.25") that was read as such.
    Raises ValueError when the cell is not one number (with at most a unit after it).
    """
    stripped = text.strip().replace("\u00a0", " ")
    unit = None
    match = _UNIT_SUFFIX.search(stripped)
    if match:
        unit = _UNIT_OF_SUFFIX.get(match.group("unit").casefold().rstrip("."), "dkk")
        stripped = stripped[: match.start()]
    try:
        return parse_number(stripped), unit, False
    except ValueError:
        if _DECIMAL_POINT.match(stripped.replace(" ", "")):
            return float(stripped.replace("−", "-").replace(" ", "")), unit, True
        raise


def parse_cells(
    cells: Sequence[Any], percent: Sequence[bool] | None = None, dash_is_zero: bool = False
) -> tuple[np.ndarray, list[str], list[str | None], list[str | None]]:
    """Values, states, unit hints and reasons for a run of data cells (vectorised where it matters).

    States: `ok` (a number), `suppressed` (diskretioneret or empty: no value, never zero),
    `invalid` (text that is not a number; the reason says why).
    """
    n = len(cells)
    values = np.full(n, np.nan)
    states = ["ok"] * n
    units: list[str | None] = [None] * n
    reasons: list[str | None] = [None] * n
    for i, v in enumerate(cells):
        kind = type(v)
        if kind is float or kind is int:
            if v != v:  # NaN from pandas
                states[i] = "suppressed"
                continue
            values[i] = v
            if percent is not None and percent[i]:
                values[i] = v * 100.0
                units[i] = "pct"
        elif v is None:
            states[i] = "suppressed"
        elif kind is str:
            text = v.strip()
            if dash_is_zero and text in _DASHES:
                values[i] = 0.0
            elif is_suppressed_text(text):
                states[i] = "suppressed"
            else:
                try:
                    number, unit, point = parse_cell_text(text)
                except ValueError:
                    states[i] = "invalid"
                    reasons[i] = "not_a_number"
                    continue
                values[i] = number
                units[i] = unit
                if point:
                    reasons[i] = "decimal_point"
        elif kind is bool:
            states[i] = "invalid"
            reasons[i] = "not_a_number"
        else:  # dates and times
            states[i] = "invalid"
            reasons[i] = "date"
    return values, states, units, reasons


def year_of(value: Any) -> int | None:
    """A header cell's year: 2019, "2019", "2019*", "1. januar 2019", "År 2019"; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if value == value and float(value).is_integer() and _YEAR_MIN <= value <= _YEAR_MAX:
            return int(value)
        return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 30:
        return None
    years = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text)
    if len(years) != 1:
        return None
    rest = re.sub(r"(?<!\d)(?:19|20)\d{2}(?!\d)", "", text)
    if re.search(r"\d{3,}", rest):
        return None
    year = int(years[0])
    return year if _YEAR_MIN <= year <= _YEAR_MAX else None


def years_in_text(text: str) -> set[int]:
    return {
        int(y)
        for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text)
        if _YEAR_MIN <= int(y) <= _YEAR_MAX
    }


# --------------------------------------------------------------------------------------------
# File checks (before any parser sees the bytes)


def _problem(code: str, message: str, **place: Any) -> Problem:
    return Problem(ERROR, code, message, **place)


def _reject(code: str, message: str, **place: Any) -> FileRejected:
    return FileRejected(_problem(code, message, **place))


def sniff_format(data: bytes, file_name: str) -> str:
    """ "xlsx" or "csv"; raises FileRejected for anything that is not a spreadsheet."""
    suffix = Path(file_name).suffix.casefold()
    if not data:
        raise _reject("empty_file", "Filen er tom (0 byte). Vælg den rigtige fil og prøv igen.")
    if data.startswith(_XLSX_MAGIC) or data.startswith(b"PK\x05\x06"):
        return "xlsx"
    if data.startswith(_CFB_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data or (
            "EncryptionInfo".encode("utf-16-le") in data
        ):
            raise _reject(
                "password_protected",
                "Regnearket er beskyttet med en adgangskode og kan ikke læses. Åbn det i Excel, "
                "fjern adgangskoden (Filer → Oplysninger → Beskyt projektmappe → Krypter med "
                "adgangskode), gem det og upload det igen.",
            )
        raise _reject(
            "old_excel_format",
            "Filen er i det gamle Excel-format (.xls) eller et andet Office-format. Åbn den i "
            "Excel, gem den som Excel-projektmappe (.xlsx) og upload den igen.",
        )
    kinds = {
        b"%PDF": "en PDF-fil",
        b"\x89PNG": "et billede (PNG)",
        b"\xff\xd8\xff": "et billede (JPEG)",
        b"GIF8": "et billede (GIF)",
        b"II*\x00": "et billede (TIFF)",
        b"MM\x00*": "et billede (TIFF)",
        b"BM": "et billede (BMP)",
        b"\x1f\x8b": "en komprimeret fil (gzip)",
        b"Rar!": "en komprimeret fil (RAR)",
        b"7z\xbc\xaf": "en komprimeret fil (7z)",
        b"{\\rtf": "et tekstdokument (RTF)",
    }
    for magic, kind in kinds.items():
        if data.startswith(magic):
            raise _reject(
                "not_a_spreadsheet",
                f"Filen er ikke et regneark, men {kind}. Upload LBF-filen som Excel (.xlsx) eller "
                "CSV.",
            )
    head = data[:4096]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _reject(
            "not_a_spreadsheet",
            "Filen er ikke et regneark (den indeholder binære data). Upload LBF-filen som Excel "
            "(.xlsx) eller CSV.",
        )
    if suffix in {".xlsx", ".xlsm", ".xls"}:
        raise _reject(
            "not_a_spreadsheet",
            f"Filen hedder {suffix}, men er ikke en Excel-fil. Åbn den i Excel, gem den som "
            "Excel-projektmappe (.xlsx) og upload den igen.",
        )
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml", b"<svg")):
        raise _reject(
            "not_a_spreadsheet",
            "Filen er ikke et regneark, men en web- eller XML-side. Hent LBF-filen som Excel "
            "(.xlsx) eller CSV og upload den.",
        )
    return "csv"


def _xml_danger(chunk: bytes) -> bool:
    """A DTD or entity declaration ("<!DOCTYPE", "<!ENTITY"): never in a genuine .xlsx part."""
    position = chunk.find(b"<!")
    while position >= 0:
        word = chunk[position + 2 : position + 9].upper()
        if word.startswith((b"DOCTYPE", b"ENTITY")):
            return True
        position = chunk.find(b"<!", position + 2)
    return False


def _member_data_offset(raw: bytes, info: zipfile.ZipInfo) -> int:
    start = info.header_offset
    header = raw[start : start + 30]
    if len(header) < 30 or header[:4] != _XLSX_MAGIC:
        raise ValueError("bad local header")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    return start + 30 + name_len + extra_len


def _inflate_member(
    raw: bytes, info: zipfile.ZipInfo, budget: int, keep: bool
) -> tuple[int, bytes | None, bool]:
    """Decompress one member from the raw bytes, counting its actual size and stopping at `budget`.

    Returns (actual size, content if `keep`, whether a DTD/entity declaration was seen).
    The declared size in the zip directory is not trusted: the data is inflated and counted.
    """
    offset = _member_data_offset(raw, info)
    compressed = memoryview(raw)[offset : offset + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        size = len(compressed)
        if size > budget:
            return size, None, False
        content = bytes(compressed)
        return size, content if keep else None, _xml_danger(content)
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise ValueError(f"compression {info.compress_type}")
    inflater = zlib.decompressobj(-15)
    size, danger, parts, tail = 0, False, [], b""
    position, step = 0, 1 << 16
    while position < len(compressed) or inflater.unconsumed_tail:
        if inflater.unconsumed_tail:
            block = inflater.unconsumed_tail
        else:
            block = bytes(compressed[position : position + step])
            position += step
        out = inflater.decompress(block, 1 << 20)
        size += len(out)
        if size > budget:
            return size, None, danger
        if not danger:
            danger = _xml_danger(out) or _xml_danger(tail + out[:16])
            tail = out[-16:]
        if keep:
            parts.append(out)
        if inflater.eof:
            break
    if not inflater.eof:
        raise ValueError("truncated deflate stream")
    content = b"".join(parts) if keep else None
    if content is not None and zlib.crc32(content) & 0xFFFFFFFF != info.CRC:
        raise ValueError("crc")
    return size, content, danger


_CORRUPT = (
    "Excel-filen er beskadiget eller ufuldstændig (måske blev overførslen afbrudt). Hent filen "
    "igen fra Landsbyggefonden, eller åbn den i Excel og gem den igen."
)


@dataclass
class XlsxParts:
    """The parts of a checked .xlsx the reader needs besides what calamine gives."""

    sheet_xml: dict[str, bytes]  # sheet name -> worksheet XML
    percent_styles: set[int]
    hidden: set[str]


def check_xlsx(data: bytes, settings: ReadSettings) -> XlsxParts:
    """Zip-bomb, entity and structure checks of an .xlsx; returns what later steps need."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, struct.error) as exc:
        raise _reject("corrupt", _CORRUPT) from exc
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            what = "et Word-dokument"
        elif "ppt/presentation.xml" in names:
            what = "en PowerPoint-præsentation"
        elif "content.xml" in names and "mimetype" in names:
            what = "et OpenDocument-dokument (gem det som .xlsx)"
        else:
            what = "en zip-fil"
        raise _reject(
            "not_a_spreadsheet",
            f"Filen er ikke et Excel-regneark, men {what}. Upload LBF-filen som Excel (.xlsx) "
            "eller CSV.",
        )
    if len(infos) > settings.max_zip_members:
        raise _reject(
            "zip_bomb",
            f"Excel-filen består af {len(infos)} dele, langt flere end et regneark har; den "
            "afvises af sikkerhedshensyn.",
        )
    cap = settings.max_uncompressed_bytes
    declared = sum(i.file_size for i in infos)
    bomb = (
        f"Excel-filen fylder udpakket mere end {megabytes(cap)} og afvises af sikkerhedshensyn (mulig "
        "'zip-bombe'). Upload den oprindelige fil fra Landsbyggefonden."
    )
    if declared > cap:
        raise _reject("zip_bomb", bomb)
    for info in infos:
        ratio_limit = settings.max_compression_ratio
        if info.file_size > 1024 * 1024 and info.file_size > ratio_limit * max(
            info.compress_size, 1
        ):
            raise _reject("zip_bomb", bomb)
    total = 0
    kept: dict[str, bytes] = {}
    for info in infos:
        if info.is_dir():
            continue
        name = info.filename
        keep = name.endswith(".xml") or name.endswith(".rels")
        keep = keep and (name.startswith("xl/") or name == "[Content_Types].xml")
        keep = keep and not name.startswith(("xl/theme/", "xl/drawings/", "xl/charts/"))
        if info.flag_bits & 0x1:
            raise _reject(
                "password_protected",
                "Regnearket er beskyttet med en adgangskode og kan ikke læses. Fjern "
                "adgangskoden i Excel, gem og upload det igen.",
            )
        try:
            size, content, danger = _inflate_member(data, info, cap - total, keep)
        except (ValueError, zlib.error, struct.error) as exc:
            raise _reject("corrupt", _CORRUPT) from exc
        total += size
        if total > cap:
            raise _reject("zip_bomb", bomb)
        if size > settings.max_compression_ratio * max(info.compress_size, 1) and size > (
            1024 * 1024
        ):
            raise _reject("zip_bomb", bomb)
        if danger:
            raise _reject(
                "xml_entities",
                "Excel-filen indeholder XML-erklæringer (DOCTYPE/ENTITY), som et almindeligt "
                "regneark ikke har, og afvises af sikkerhedshensyn. Åbn den i Excel, gem den "
                "igen og upload den.",
            )
        if content is not None:
            kept[name] = content
    return _xlsx_parts(kept)


_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_PERCENT_BUILTIN = {9, 10}


def _xml(content: bytes) -> Any:
    try:
        return SafeET.fromstring(content)
    except Exception as exc:  # defusedxml raises its own errors for DTDs and entities
        raise _reject("corrupt", _CORRUPT) from exc


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xlsx_parts(parts: dict[str, bytes]) -> XlsxParts:
    workbook = _xml(parts["xl/workbook.xml"])
    rels_xml = parts.get("xl/_rels/workbook.xml.rels")
    targets: dict[str, str] = {}
    if rels_xml is not None:
        for rel in _xml(rels_xml).iter():
            if _local(rel.tag) == "Relationship":
                target = rel.get("Target", "")
                target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                targets[rel.get("Id", "")] = re.sub(r"[^/]+/\.\./", "", target)
    sheet_xml: dict[str, bytes] = {}
    hidden: set[str] = set()
    for sheet in workbook.iter():
        if _local(sheet.tag) != "sheet":
            continue
        name = sheet.get("name", "")
        rid = sheet.get(f"{_NS_REL}id") or sheet.get("id") or ""
        if sheet.get("state") in {"hidden", "veryHidden"}:
            hidden.add(name)
        target = targets.get(rid)
        if target and target in parts:
            sheet_xml[name] = parts[target]
    percent_styles: set[int] = set()
    styles_xml = parts.get("xl/styles.xml")
    if styles_xml is not None:
        styles = _xml(styles_xml)
        percent_formats = set(_PERCENT_BUILTIN)
        for fmt in styles.iter():
            if _local(fmt.tag) == "numFmt" and "%" in re.sub(
                r'"[^"]*"|\\.', "", fmt.get("formatCode", "")
            ):
                percent_formats.add(int(fmt.get("numFmtId", "-1")))
        for block in styles.iter():
            if _local(block.tag) == "cellXfs":
                for index, xf in enumerate(x for x in block if _local(x.tag) == "xf"):
                    if int(xf.get("numFmtId", "0")) in percent_formats:
                        percent_styles.add(index)
    return XlsxParts(sheet_xml=sheet_xml, percent_styles=percent_styles, hidden=hidden)


_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')


def _cell_position(xml: bytes, start: int) -> tuple[int, int] | None:
    tag_end = xml.find(b">", start)
    match = _CELL_REF.search(xml, start, tag_end if tag_end > 0 else start + 200)
    if not match:
        return None
    return int(match.group(2)) - 1, column_index(match.group(1).decode())


def percent_cells(xml: bytes, styles: set[int]) -> set[tuple[int, int]]:
    """(row, col) of every cell whose number format is a percentage."""
    if not styles:
        return set()
    found: set[tuple[int, int]] = set()
    alternatives = b"|".join(str(s).encode() for s in sorted(styles))
    pattern = re.compile(rb'<(?:\w+:)?c\b[^>]*?\ss="(?:' + alternatives + rb')"')
    for match in pattern.finditer(xml):
        position = _cell_position(xml, match.start())
        if position is not None:
            found.add(position)
    return found


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CACHED = re.compile(rb"<(?:\w+:)?v>[^<]+</(?:\w+:)?v>|<(?:\w+:)?is>")


def formulas_without_values(xml: bytes) -> list[tuple[int, int, str]]:
    """(row, col, formula) of formula cells that have no cached value."""
    found: list[tuple[int, int, str]] = []
    if b"<f>" not in xml and b"<f " not in xml and b":f>" not in xml and b":f " not in xml:
        return found
    for match in _FORMULA.finditer(xml):
        start = max(xml.rfind(b"<c ", 0, match.start()), xml.rfind(b":c ", 0, match.start()))
        end = xml.find(b"c>", match.start())
        if start < 0 or end < 0:
            continue
        cell = xml[start : end + 2]
        if _CACHED.search(cell):
            continue
        position = _cell_position(xml, start)
        if position is None:
            continue
        formula = re.search(rb"<(?:\w+:)?f[^>]*>([^<]*)<", cell)
        text = "=" + formula.group(1).decode("utf-8", "replace") if formula else "="
        found.append((*position, text))
    return found


# --------------------------------------------------------------------------------------------
# From bytes to grids


def _xlsx_grids(data: bytes, settings: ReadSettings, problems: list[Problem]) -> list[Grid]:
    from python_calamine import CalamineWorkbook

    parts = check_xlsx(data, settings)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = workbook.sheets_metadata
    except Exception as exc:  # calamine raises several error types for broken parts
        raise _reject("corrupt", _CORRUPT) from exc
    grids: list[Grid] = []
    missing_values: list[Problem] = []
    for meta in metadata:
        name = meta.name
        if str(meta.typ).rsplit(".", 1)[-1] != "WorkSheet":
            continue
        if name in parts.hidden or str(meta.visible).rsplit(".", 1)[-1] != "Visible":
            problems.append(
                Problem(WARNING, "hidden_sheet", "Arket er skjult og bliver ikke læst.", sheet=name)
            )
            continue
        try:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:
            raise _reject("corrupt", _CORRUPT, sheet=name) from exc
        xml = parts.sheet_xml.get(name, b"")
        for row, col, formula in formulas_without_values(xml):
            missing_values.append(
                _problem(
                    "formula_without_value",
                    "Cellen indeholder en formel uden gemt resultat (filen er lavet af et program, "
                    "der ikke beregner formler). Åbn filen i Excel, gem den og upload den igen.",
                    sheet=name,
                    row=row + 1,
                    column=column_letter(col),
                    text=formula,
                )
            )
        grids.append(Grid(name, rows, percent_cells(xml, parts.percent_styles)))
    if missing_values:
        problems.extend(missing_values)
    if not any(any(cell_text(v) for v in row) for g in grids for row in g.rows):
        raise _reject(
            "empty_workbook",
            "Regnearket er tomt: ingen af arkene indeholder data. Tjek, at det er den rigtige fil.",
        )
    return grids


def _decode_text(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise _reject(
            "encoding",
            "CSV-filens tegnsæt kan ikke genkendes (hverken UTF-8 eller Windows-1252). Gem den "
            "igen som 'CSV UTF-8' og upload den.",
        ) from exc


def _csv_delimiter(text: str) -> str:
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    best, best_score = ";", (-1, -1)
    for delimiter in (";", "\t", ","):
        counts = [len(r) for r in csv.reader(lines, delimiter=delimiter)]
        if not counts:
            continue
        common, frequency = Counter(counts).most_common(1)[0]
        if common < 2:
            continue
        score = (frequency, common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_grids(data: bytes, file_name: str) -> tuple[list[Grid], str, str]:
    text, encoding = _decode_text(data)
    if not text.strip():
        raise _reject("empty_workbook", "CSV-filen er tom. Tjek, at det er den rigtige fil.")
    delimiter = _csv_delimiter(text)
    try:
        rows: list[list[Any]] = [
            [cell if cell.strip() else None for cell in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise _reject(
            "corrupt", f"CSV-filen kan ikke læses: {exc}. Gem den igen fra Excel og upload den."
        ) from exc
    return [Grid(Path(file_name).stem or "CSV", rows)], encoding, delimiter


# --------------------------------------------------------------------------------------------
# Layout detection

_ROLE_WORDS: dict[str, set[str]] = {
    "area": {
        "omraade",
        "boligomraade",
        "boligomraadets navn",
        "omraadenavn",
        "afdeling",
        "afdelingsnavn",
        "afdelingens navn",
        "boligafdeling",
        "afdeling navn",
        "navn",
        "helhedsplan",
        "helhedsplanens navn",
        "area",
        "geografi",
    },
    "code": {
        "afdelingsnummer",
        "afdelingsnr",
        "afd nr",
        "afdnr",
        "afd nummer",
        "afdeling nr",
        "afdelingsnr nr",
        "afdeling nummer",
        "nummer",
        "nr",
        "lbf nr",
        "lbf afdelingsnummer",
    },
    "kommune": {"kommune", "kommunenavn", "kommunens navn"},
    "kommune_code": {"kommunekode", "kommune nr", "kommunenr", "kommunenummer", "kom nr"},
    "organisation": {
        "boligorganisation",
        "boligselskab",
        "organisation",
        "boligorganisationens navn",
        "org nr",
        "organisationsnummer",
        "boligorganisationsnummer",
        "landsdel",
        "region",
    },
    "year": {"aar", "aarstal", "year", "opgoerelsesaar", "periode", "tidspunkt", "maaleaar"},
    "label": {"indikator", "noegletal", "maal", "variabel", "measure", "indikatornavn", "emne"},
    "value": {"vaerdi", "value", "tal", "vaerdi i alt", "resultat"},
    "unit": {"enhed", "unit", "maaleenhed"},
}
_ROLE_OF_KEY = {word: role for role, words in _ROLE_WORDS.items() for word in words}
_TOTAL_ROWS = {"i alt", "total", "sum", "samlet", "alle", "i alt afdelinger"}
_GENERIC_LABELS = {
    "antal",
    "pct",
    "procent",
    "andel",
    "i alt",
    "heraf",
    "personer",
    "kr",
    "gennemsnit",
    "median",
}


def _role(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    key = match_key(value)
    return _ROLE_OF_KEY.get(key)


def _resolve_column(spec: str | None, header: list[Any]) -> int | None:
    if not spec:
        return None
    wanted = match_key(spec)
    for index, value in enumerate(header):
        if isinstance(value, str) and match_key(value) == wanted:
            return index
    try:
        return column_index(spec)
    except ValueError:
        return None


def _title_lines(rows: list[list[Any]], header_row: int) -> list[str]:
    lines = []
    for row in rows[:header_row]:
        texts = [cell_text(v) for v in row if cell_text(v)]
        if texts:
            lines.append(" ".join(texts))
    return lines


_AREA_LINE = re.compile(
    r"^\s*(?:afdeling|boligafdeling|område|omraade|boligområde|helhedsplan|afd\.?)\s*:\s*(?P<name>.+?)\s*$",
    re.IGNORECASE,
)
_KOMMUNE_LINE = re.compile(r"^\s*kommune\s*:\s*(?P<name>.+?)\s*$", re.IGNORECASE)
_KOMMUNE_IN = re.compile(r"(?P<name>[A-ZÆØÅ][\wæøåÆØÅ\-]*(?:[ -][A-ZÆØÅ][\wæøåÆØÅ\-]*)*) Kommune")
_AREA_COMMA_KOMMUNE = re.compile(r"^\s*(?P<area>[^,:]+?),\s*(?P<kommune>[^,]+?\s[Kk]ommune)\s*$")
_CODE_IN = re.compile(r"\bafd(?:eling|\.)?\s*(?:nr\.?|nummer)?\s*(?P<code>\d{1,5})\b", re.I)
_KOMMUNE_CODE_IN = re.compile(r"\bkommunekode\s*:?\s*(?P<code>\d{3})\b", re.I)


def area_from_title(lines: list[str]) -> dict[str, str | None]:
    """The area, afdelingsnummer and kommune a title block names, as far as patterns can tell."""
    found: dict[str, str | None] = {
        "area": None,
        "code": None,
        "kommune": None,
        "kommune_code": None,
    }
    for line in lines:
        if found["area"] is None and (m := _AREA_LINE.match(line)):
            found["area"] = m.group("name")
            continue
        if found["kommune"] is None and (m := _KOMMUNE_LINE.match(line)):
            found["kommune"] = m.group("name")
            continue
        if found["area"] is None and (m := _AREA_COMMA_KOMMUNE.match(line)):
            found["area"] = m.group("area").strip()
            found["kommune"] = found["kommune"] or m.group("kommune").strip()
            continue
        if found["kommune"] is None and (m := _KOMMUNE_IN.search(line)):
            found["kommune"] = f"{m.group('name')} Kommune"
    for line in lines:
        if found["code"] is None and (m := _CODE_IN.search(line)):
            found["code"] = m.group("code")
        if found["kommune_code"] is None and (m := _KOMMUNE_CODE_IN.search(line)):
            found["kommune_code"] = m.group("code")
    if found["area"] and found["code"] is None and (m := _CODE_IN.search(found["area"])):
        found["code"] = m.group("code")
    return found


def _row_is_empty(row: Sequence[Any]) -> bool:
    return not any(cell_text(v) for v in row)


def _detect_time_series(grid: Grid, scan: int) -> SheetLayout | None:
    for r, row in enumerate(grid.rows[:scan]):
        year_cols = [(c, y) for c, v in enumerate(row) if (y := year_of(v)) is not None]
        if len(year_cols) < 2 or len({y for _, y in year_cols}) < 2:
            continue
        first = year_cols[0][0]
        if first == 0:
            continue
        numbers = sum(
            1 for c, v in enumerate(row) if isinstance(v, float) and c not in dict(year_cols)
        )
        if numbers > 1:
            continue
        # Data rows must exist below: a label on the left and something under the years.
        has_data = False
        for below in grid.rows[r + 1 : r + 40]:
            label = any(cell_text(v) for v in below[:first])
            values = any(cell_text(below[c]) for c, _ in year_cols if c < len(below))
            if label and values:
                has_data = True
                break
        if not has_data:
            continue
        layout = SheetLayout(grid.name, "time_series", r + 1)
        layout.years = sorted({y for _, y in year_cols})
        layout.year_source = "overskrift"
        layout.columns = {"label": column_letter(0)}
        return layout
    return None


def _header_roles(row: Sequence[Any]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for c, v in enumerate(row):
        role = _role(v)
        if role and role not in roles:
            roles[role] = c
    return roles


def _detect_table(grid: Grid, scan: int) -> SheetLayout | None:
    for r, row in enumerate(grid.rows[:scan]):
        texts = [c for c, v in enumerate(row) if isinstance(v, str) and v.strip()]
        if len(texts) < 2:
            continue
        roles = _header_roles(row)
        if "area" not in roles and "code" not in roles and "kommune" not in roles:
            continue
        if r + 1 >= len(grid.rows) or all(_row_is_empty(x) for x in grid.rows[r + 1 : r + 30]):
            continue
        if "label" in roles and "value" in roles:
            layout = SheetLayout(grid.name, "long", r + 1)
        else:
            other = [c for c in texts if _role(row[c]) is None]
            if not other:
                continue
            layout = SheetLayout(grid.name, "area_list", r + 1)
        layout.columns = {role: column_letter(c) for role, c in roles.items()}
        return layout
    return None


def detect_layout(grid: Grid, settings: ReadSettings) -> SheetLayout | None:
    """The first recognisable header from the top: a long/area table or a time series."""
    table = _detect_table(grid, settings.header_scan_rows)
    series = _detect_time_series(grid, settings.header_scan_rows)
    if table and series:
        return table if table.header_row <= series.header_row else series
    return table or series


def _layout_from_hint(grid: Grid, hint: LayoutHint, settings: ReadSettings) -> SheetLayout | None:
    detected = detect_layout(grid, settings)
    header_row = hint.header_row or (detected.header_row if detected else None)
    if header_row is None or header_row < 1 or header_row > len(grid.rows):
        return None
    header = grid.rows[header_row - 1]
    kind = hint.layout or (detected.layout if detected else None)
    if kind is None:
        kind = "time_series" if sum(year_of(v) is not None for v in header) >= 2 else "area_list"
    layout = SheetLayout(grid.name, kind, header_row)
    if kind == "time_series":
        layout.years = sorted({y for v in header if (y := year_of(v)) is not None})
        layout.year_source = "overskrift"
        layout.columns = {"label": column_letter(0)}
        return layout
    roles = _header_roles(header)
    for role, spec in (
        ("area", hint.area_column),
        ("code", hint.code_column),
        ("kommune", hint.kommune_column),
        ("year", hint.year_column),
        ("label", hint.label_column),
        ("value", hint.value_column),
    ):
        index = _resolve_column(spec, header)
        if index is not None:
            roles = {k: v for k, v in roles.items() if v != index}
            roles[role] = index
    layout.columns = {role: column_letter(c) for role, c in roles.items()}
    return layout


# --------------------------------------------------------------------------------------------
# From a grid and its layout to tidy rows


@dataclass
class _Columns:
    """Columns of tidy rows, appended to in bulk."""

    data: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in FRAME_COLUMNS})

    def extend(self, **columns: Any) -> None:
        n = None
        for values in columns.values():
            if isinstance(values, list | np.ndarray):
                n = len(values)
                break
        assert n is not None
        for name in FRAME_COLUMNS:
            values = columns.get(name)
            if isinstance(values, list | np.ndarray):
                self.data[name].extend(values)
            else:
                self.data[name].extend([values] * n)

    def frame(self) -> pd.DataFrame:
        data = self.data
        years = np.array([np.nan if y is None else y for y in data["year"]], dtype=float)
        categories = {"sheet", "column", "label", "state", "unit_hint", "reason"}
        columns: dict[str, Any] = {}
        for name in FRAME_COLUMNS:
            if name == "row":
                columns[name] = np.asarray(data[name], dtype="int64")
            elif name == "year":
                columns[name] = pd.array(years, dtype="Float64").astype("Int64")
            elif name == "value":
                columns[name] = np.asarray(data[name], dtype=float)
            elif name in categories:
                columns[name] = pd.Categorical(data[name])
            else:
                columns[name] = pd.Series(data[name], dtype=object)
        return pd.DataFrame(columns)


def _cell(row: Sequence[Any], c: int | None) -> Any:
    if c is None or c >= len(row):
        return None
    return row[c]


def _code_text(value: Any) -> str | None:
    text = cell_text(value)
    return text or None


def _label_text(parts: Iterable[str]) -> str:
    return " – ".join(p for p in parts if p)


def _percent_flags(grid: Grid, rows: Sequence[int], col: int) -> list[bool] | None:
    if not grid.percent_cells:
        return None
    return [(r, col) in grid.percent_cells for r in rows]


def _tidy_time_series(
    grid: Grid,
    layout: SheetLayout,
    out: _Columns,
    settings: ReadSettings,
    problems: list[Problem],
) -> None:
    rows = grid.rows
    h = layout.header_row - 1
    header = rows[h]
    year_cols = {c: y for c, v in enumerate(header) if (y := year_of(v)) is not None}
    first = min(year_cols)
    # A sub-header right under the years ("Antal", "Pct.") splits each year in two columns.
    sub_labels: dict[int, str] = {}
    start = h + 1
    if start < len(rows):
        below = rows[start]
        left_empty = not any(cell_text(v) for v in below[:first])
        subs = {
            c: cell_text(v)
            for c, v in enumerate(below)
            if c >= first and isinstance(v, str) and v.strip() and not is_suppressed_text(v)
        }
        if left_empty and subs and all(_try_number(v) is None for v in subs.values()):
            sub_labels = subs
            current = None
            for c in range(first, len(below)):
                if c in year_cols:
                    current = year_cols[c]
                elif current is not None and c in subs:
                    year_cols[c] = current
            start += 1
    columns = sorted(year_cols)
    section = ""
    for r in range(start, len(rows)):
        row = rows[r]
        label_parts = [cell_text(v) for v in row[:first]]
        label = " ".join(p for p in label_parts if p)
        cells = [row[c] if c < len(row) else None for c in columns]
        if not label:
            if any(cell_text(v) for v in cells):
                problems.append(
                    Problem(
                        WARNING,
                        "row_without_label",
                        "Rækken har tal, men ingen tekst i første kolonne, og bliver ikke læst.",
                        sheet=grid.name,
                        row=r + 1,
                    )
                )
            continue
        if not any(cell_text(v) for v in cells):
            section = label  # a section heading ("Beskæftigede:") or a footnote
            continue
        if match_key(label) in _GENERIC_LABELS and section:
            label = _label_text([section.rstrip(":"), label])
        flags = [(r, c) in grid.percent_cells for c in columns] if grid.percent_cells else None
        values, states, units, reasons = parse_cells(cells, flags, settings.dash_is_zero)
        labels = [
            _label_text([label, sub_labels[c]]) if c in sub_labels else label for c in columns
        ]
        out.extend(
            sheet=grid.name,
            row=r + 1,
            column=[column_letter(c) for c in columns],
            area_text=layout.area_text,
            area_code=layout.area_code,
            kommune_text=layout.kommune_text,
            kommune_code=layout.kommune_code,
            label=labels,
            year=[year_cols[c] for c in columns],
            raw=cells,
            value=values,
            state=states,
            unit_hint=units,
            reason=reasons,
        )


def _try_number(text: str) -> float | None:
    try:
        return parse_cell_text(text)[0]
    except ValueError:
        return None


def _table_year(layout: SheetLayout, grid: Grid, year_hint: int | None) -> tuple[int | None, str]:
    if year_hint is not None:
        return year_hint, "angivet"
    from_title = (
        set().union(*(years_in_text(line) for line in layout.title)) if layout.title else set()
    )
    if len(from_title) == 1:
        return next(iter(from_title)), "titel"
    from_sheet = years_in_text(grid.name)
    if len(from_sheet) == 1:
        return next(iter(from_sheet)), "arknavn"
    return None, ""


def _tidy_area_list(
    grid: Grid,
    layout: SheetLayout,
    out: _Columns,
    settings: ReadSettings,
    problems: list[Problem],
    year_hint: int | None,
) -> None:
    rows = grid.rows
    h = layout.header_row - 1
    header = rows[h]
    role_cols = {role: column_index(letter) for role, letter in layout.columns.items()}
    area_c, code_c = role_cols.get("area"), role_cols.get("code")
    kommune_c, kcode_c = role_cols.get("kommune"), role_cols.get("kommune_code")
    year_c = role_cols.get("year")
    used = set(role_cols.values())
    measure_cols = [
        c for c, v in enumerate(header) if c not in used and cell_text(v) and year_of(v) is None
    ]
    year_in_header = [c for c, v in enumerate(header) if c not in used and year_of(v) is not None]
    if year_in_header:
        problems.append(
            Problem(
                WARNING,
                "year_columns_ignored",
                "Kolonner med et årstal som overskrift bliver ikke læst i en områdeliste.",
                sheet=grid.name,
                row=h + 1,
                column=", ".join(column_letter(c) for c in year_in_header),
            )
        )
    sheet_year, source = (
        (None, "kolonne") if year_c is not None else _table_year(layout, grid, year_hint)
    )
    layout.year_source = source or None
    data_rows: list[int] = []
    for r in range(h + 1, len(rows)):
        row = rows[r]
        area = cell_text(_cell(row, area_c)) if area_c is not None else ""
        code = cell_text(_cell(row, code_c)) if code_c is not None else ""
        if not area and not code:
            if any(cell_text(_cell(row, c)) for c in measure_cols):
                problems.append(
                    Problem(
                        WARNING,
                        "row_without_area",
                        "Rækken har tal, men intet område, og bliver ikke læst.",
                        sheet=grid.name,
                        row=r + 1,
                    )
                )
            continue
        if match_key(area) in _TOTAL_ROWS:
            problems.append(
                Problem(
                    WARNING,
                    "total_row",
                    "En sumrække ('I alt') bliver ikke læst.",
                    sheet=grid.name,
                    row=r + 1,
                    text=area,
                )
            )
            continue
        if not any(cell_text(_cell(row, c)) for c in measure_cols):
            continue  # a footnote ("Kilde: ...") or an empty row
        data_rows.append(r)
    if not data_rows:
        return
    n = len(data_rows)
    width = max(len(rows[r]) for r in data_rows)
    picked = [
        rows[r] if len(rows[r]) >= width else [*rows[r], *[None] * (width - len(rows[r]))]
        for r in data_rows
    ]
    areas = (
        [cell_text(_cell(row, area_c)) or None for row in picked]
        if area_c is not None
        else [None] * n
    )
    codes = [_code_text(_cell(row, code_c)) for row in picked] if code_c is not None else [None] * n
    kommuner = (
        [cell_text(_cell(row, kommune_c)) or None for row in picked]
        if kommune_c is not None
        else [layout.kommune_text] * n
    )
    kcodes = (
        [_code_text(_cell(row, kcode_c)) for row in picked]
        if kcode_c is not None
        else [layout.kommune_code] * n
    )
    if year_c is not None:
        years = [year_of(_cell(row, year_c)) for row in picked]
        for r, row, year in zip(data_rows, picked, years, strict=True):
            if year is None:
                problems.append(
                    _problem(
                        "bad_year",
                        "Året skal være et årstal som 2023.",
                        sheet=grid.name,
                        row=r + 1,
                        column=column_letter(year_c),
                        text=cell_text(_cell(row, year_c)),
                    )
                )
    else:
        years = [sheet_year] * n
    row_numbers = [r + 1 for r in data_rows]
    for c in measure_cols:
        cells = [row[c] for row in picked]
        flags = _percent_flags(grid, data_rows, c)
        values, states, units, reasons = parse_cells(cells, flags, settings.dash_is_zero)
        out.extend(
            sheet=grid.name,
            row=row_numbers,
            column=column_letter(c),
            area_text=areas,
            area_code=codes,
            kommune_text=kommuner,
            kommune_code=kcodes,
            label=cell_text(header[c]),
            year=years,
            raw=cells,
            value=values,
            state=states,
            unit_hint=units,
            reason=reasons,
        )


def _tidy_long(
    grid: Grid,
    layout: SheetLayout,
    out: _Columns,
    settings: ReadSettings,
    problems: list[Problem],
    year_hint: int | None,
) -> None:
    rows = grid.rows
    h = layout.header_row - 1
    role_cols = {role: column_index(letter) for role, letter in layout.columns.items()}
    area_c, code_c = role_cols.get("area"), role_cols.get("code")
    kommune_c, kcode_c = role_cols.get("kommune"), role_cols.get("kommune_code")
    year_c, label_c, value_c = role_cols.get("year"), role_cols["label"], role_cols["value"]
    unit_c = role_cols.get("unit")
    sheet_year, source = (
        (None, "kolonne") if year_c is not None else _table_year(layout, grid, year_hint)
    )
    layout.year_source = source or None
    picked: list[tuple[int, Sequence[Any]]] = []
    for r in range(h + 1, len(rows)):
        row = rows[r]
        if _row_is_empty(row):
            continue
        label = cell_text(_cell(row, label_c))
        area = cell_text(_cell(row, area_c)) or cell_text(_cell(row, code_c))
        if not label and not area:
            continue  # a footnote in another column
        if not label or not area:
            problems.append(
                _problem(
                    "incomplete_row",
                    "Rækken mangler område eller indikator.",
                    sheet=grid.name,
                    row=r + 1,
                )
            )
            continue
        picked.append((r, row))
    if not picked:
        return
    cells = [_cell(row, value_c) for _, row in picked]
    flags = _percent_flags(grid, [r for r, _ in picked], value_c)
    values, states, units, reasons = parse_cells(cells, flags, settings.dash_is_zero)
    if unit_c is not None:
        for i, (_, row) in enumerate(picked):
            unit_word = match_key(cell_text(_cell(row, unit_c)))
            if units[i] is None and unit_word in {"pct", "procent", "andel"}:
                units[i] = "pct"
            elif units[i] is None and unit_word in {"kr", "kroner", "dkk"}:
                units[i] = "dkk"
    years: list[int | None] = []
    for r, row in picked:
        if year_c is None:
            years.append(sheet_year)
            continue
        year = year_of(_cell(row, year_c))
        if year is None:
            problems.append(
                _problem(
                    "bad_year",
                    "Året skal være et årstal som 2023.",
                    sheet=grid.name,
                    row=r + 1,
                    column=column_letter(year_c),
                    text=cell_text(_cell(row, year_c)),
                )
            )
        years.append(year)
    out.extend(
        sheet=grid.name,
        row=[r + 1 for r, _ in picked],
        column=column_letter(value_c),
        area_text=[cell_text(_cell(row, area_c)) or None for _, row in picked],
        area_code=[_code_text(_cell(row, code_c)) for _, row in picked],
        kommune_text=[
            cell_text(_cell(row, kommune_c)) or layout.kommune_text or None for _, row in picked
        ],
        kommune_code=[_code_text(_cell(row, kcode_c)) or layout.kommune_code for _, row in picked],
        label=[cell_text(_cell(row, label_c)) for _, row in picked],
        year=years,
        raw=cells,
        value=values,
        state=states,
        unit_hint=units,
        reason=reasons,
    )


def _empty_frame() -> pd.DataFrame:
    return _Columns().frame()


def megabytes(size: int) -> str:
    """ "20 MB", "21,3 MB" (Danish decimal comma)."""
    mb = size / (1024 * 1024)
    return f"{format_value(mb, 'count', 0 if mb.is_integer() else 1)} MB"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_table(
    data: bytes,
    file_name: str,
    *,
    year: int | None = None,
    area: str | None = None,
    hint: LayoutHint | None = None,
    settings: ReadSettings | None = None,
) -> LbfTable:
    """Read an uploaded file (bytes) into a tidy frame; never raises for bad input.

    A file that must be refused comes back with an empty frame and one blocking problem.
    `year` is the year for values whose year the file does not give; `area` overrides the area of
    a time series (whose title names it) and is the fallback when the title does not.
    """
    settings = settings or ReadSettings()
    sha = sha256_of(data)
    problems: list[Problem] = []
    table = LbfTable(file_name, sha, None, _empty_frame(), problems, [], year_hint=year)
    table.area_hint = area
    if len(data) > settings.max_file_bytes:
        problems.append(
            _problem(
                "too_large",
                f"Filen fylder {megabytes(len(data))}; grænsen er "
                f"{megabytes(settings.max_file_bytes)}. LBF-filer er normalt langt mindre: tjek, "
                "at det er den rigtige fil, eller del den op.",
            )
        )
        return table
    try:
        file_format = sniff_format(data, file_name)
        table.file_format = file_format
        if file_format == "xlsx":
            grids = _xlsx_grids(data, settings, problems)
        else:
            grids, encoding, delimiter = _csv_grids(data, file_name)
            table.file_format = f"csv ({encoding}, '{delimiter}')"
    except FileRejected as rejected:
        problems.append(rejected.problem)
        return table
    if any(p.blocking for p in problems):
        return table
    out = _Columns()
    for grid in grids:
        table.previews[grid.name] = grid.preview()
        if hint and hint.sheet and grid.name != hint.sheet:
            continue
        if _row_is_empty_grid(grid):
            continue
        layout = (
            _layout_from_hint(grid, hint, settings)
            if hint and (hint.layout or hint.header_row or hint.sheet)
            else detect_layout(grid, settings)
        )
        if layout is None:
            problems.append(
                Problem(
                    WARNING,
                    "no_header",
                    NO_HEADER + " Arket bliver ikke læst.",
                    sheet=grid.name,
                )
            )
            continue
        layout.title = _title_lines(grid.rows, layout.header_row - 1)
        table.titles[grid.name] = layout.title
        found = area_from_title(layout.title)
        layout.area_text = area or found["area"]
        layout.area_code = None if area else found["code"]
        layout.kommune_text = found["kommune"]
        layout.kommune_code = found["kommune_code"]
        if layout.layout == "time_series":
            if year is not None:
                problems.append(
                    Problem(
                        WARNING,
                        "year_ignored",
                        f"Det angivne år {year} bruges ikke: i en tidsserie står året over hver "
                        "kolonne.",
                        sheet=grid.name,
                    )
                )
            _tidy_time_series(grid, layout, out, settings, problems)
        elif layout.layout == "area_list":
            _tidy_area_list(grid, layout, out, settings, problems, year)
        elif layout.layout == "long":
            _tidy_long(grid, layout, out, settings, problems, year)
        table.layouts.append(layout)
    table.frame = out.frame()
    if not table.layouts:
        for index, p in enumerate(problems):
            if p.code == "no_header":
                problems[index] = replace(
                    p,
                    level=ERROR,
                    message=NO_HEADER
                    + " Ingen ark i filen kunne læses: ret filen, eller vælg layout og "
                    "overskriftsrække manuelt.",
                )
        if not any(p.blocking for p in problems):
            problems.append(
                _problem(
                    "no_header",
                    "Ingen ark har en genkendelig overskriftsrække. Vælg layout og "
                    "overskriftsrække manuelt.",
                )
            )
    elif table.frame.empty:
        problems.append(
            _problem(
                "no_data",
                "Filen har overskrifter, men ingen tal under dem. Tjek, at det er den rigtige fil.",
            )
        )
    return table


NO_HEADER = (
    "Arket har ingen genkendelig overskriftsrække (årstal som kolonneoverskrifter eller kolonner "
    "som Område, Afdeling, Indikator, År, Værdi)."
)


def _row_is_empty_grid(grid: Grid) -> bool:
    return all(_row_is_empty(row) for row in grid.rows)


# --------------------------------------------------------------------------------------------
# Mapping texts to measures


@dataclass(frozen=True)
class MeasureInfo:
    key: str
    name: str
    unit: str


@dataclass
class MappingProposal:
    """A row or column text and the measure it maps to (or, if uncertain, a suggestion only).

    `source`: "valgt" (the user chose), "husket" (confirmed earlier), "synonym" (data file),
    "navn" (the measure's own name or key), "forslag" (a fuzzy suggestion: NOT mapped), "ingen".
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


def load_synonyms(path: Path = SYNONYMS_FILE) -> dict[str, str]:
    """Normalised text -> measure key, from the one synonyms data file."""
    if not path.exists():
        return {}
    content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    synonyms = content.get("synonyms") or {}
    return {match_key(str(text)): str(key) for text, key in synonyms.items() if key}


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
) -> list[MappingProposal]:
    """Map each (label, context, cells, sheets) to a measure: chosen > remembered > synonym > name.

    Exact (normalised) matches only; anything else is at most a suggestion with its confidence and
    is left unmapped until a person confirms it. `chosen` and `memory` are keyed by match_key(label)
    and may map to None (deliberately not imported).
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
                if candidate in synonyms and synonyms[candidate] in measures:
                    proposal.measure_key, proposal.source = synonyms[candidate], "synonym"
                    proposal.confidence = 1.0
                    break
                if candidate in by_name:
                    proposal.measure_key, proposal.source = by_name[candidate], "navn"
                    proposal.confidence = 1.0
                    break
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
    grouped = frame.groupby("label", sort=False, observed=True)["sheet"]
    counts = grouped.size()
    sheets = grouped.unique()
    result = []
    for label in counts.index:
        label_sheets = [str(s) for s in sheets[label]]
        title = titles.get(label_sheets[0]) or [""]
        result.append((str(label), title[0], int(counts[label]), label_sheets))
    return result
