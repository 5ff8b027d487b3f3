"""Checks of the raw bytes before any parser sees them: file type, size, zip bombs, XML entities."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as SafeET

from monitoring.fmt import format_value
from monitoring.lbf.problems import ReadSettings, rejection

_XLSX_MAGIC = b"PK\x03\x04"


_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_format(data: bytes, file_name: str) -> str:
    """ "xlsx" or "csv"; raises FileRejected for anything that is not a spreadsheet."""
    suffix = Path(file_name).suffix.casefold()
    if not data:
        raise rejection("empty_file", "Filen er tom (0 byte). Vælg den rigtige fil og prøv igen.")
    if data.startswith(_XLSX_MAGIC) or data.startswith(b"PK\x05\x06"):
        return "xlsx"
    if data.startswith(_CFB_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data or (
            "EncryptionInfo".encode("utf-16-le") in data
        ):
            raise rejection(
                "password_protected",
                "Regnearket er beskyttet med en adgangskode og kan ikke læses. Åbn det i Excel, "
                "fjern adgangskoden (Filer → Oplysninger → Beskyt projektmappe → Krypter med "
                "adgangskode), gem det og upload det igen.",
            )
        raise rejection(
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
            raise rejection(
                "not_a_spreadsheet",
                f"Filen er ikke et regneark, men {kind}. Upload LBF-filen som Excel (.xlsx) eller "
                "CSV.",
            )
    head = data[:4096]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise rejection(
            "not_a_spreadsheet",
            "Filen er ikke et regneark (den indeholder binære data). Upload LBF-filen som Excel "
            "(.xlsx) eller CSV.",
        )
    if suffix in {".xlsx", ".xlsm", ".xls"}:
        raise rejection(
            "not_a_spreadsheet",
            f"Filen hedder {suffix}, men er ikke en Excel-fil. Åbn den i Excel, gem den som "
            "Excel-projektmappe (.xlsx) og upload den igen.",
        )
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml", b"<svg")):
        raise rejection(
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


CORRUPT_XLSX = (
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
        raise rejection("corrupt", CORRUPT_XLSX) from exc
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
        raise rejection(
            "not_a_spreadsheet",
            f"Filen er ikke et Excel-regneark, men {what}. Upload LBF-filen som Excel (.xlsx) "
            "eller CSV.",
        )
    if len(infos) > settings.max_zip_members:
        raise rejection(
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
        raise rejection("zip_bomb", bomb)
    for info in infos:
        ratio_limit = settings.max_compression_ratio
        if info.file_size > 1024 * 1024 and info.file_size > ratio_limit * max(
            info.compress_size, 1
        ):
            raise rejection("zip_bomb", bomb)
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
            raise rejection(
                "password_protected",
                "Regnearket er beskyttet med en adgangskode og kan ikke læses. Fjern "
                "adgangskoden i Excel, gem og upload det igen.",
            )
        try:
            size, content, danger = _inflate_member(data, info, cap - total, keep)
        except (ValueError, zlib.error, struct.error) as exc:
            raise rejection("corrupt", CORRUPT_XLSX) from exc
        total += size
        if total > cap:
            raise rejection("zip_bomb", bomb)
        if size > settings.max_compression_ratio * max(info.compress_size, 1) and size > (
            1024 * 1024
        ):
            raise rejection("zip_bomb", bomb)
        if danger:
            raise rejection(
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
        raise rejection("corrupt", CORRUPT_XLSX) from exc


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


def megabytes(size: int) -> str:
    """ "20 MB", "21,3 MB" (Danish decimal comma)."""
    mb = size / (1024 * 1024)
    return f"{format_value(mb, 'count', 0 if mb.is_integer() else 1)} MB"
