"""The report in one of its formats, as bytes for a download or written to a file."""

from __future__ import annotations

from pathlib import Path

from monitoring.errors import MonitorError, os_error_text, readable
from monitoring.report.content import ReportContent

FORMATS = ("pdf", "xlsx")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def report_bytes(content: ReportContent, kind: str) -> bytes:
    """The PDF or the workbook (each renderer is imported only when asked for)."""
    if kind == "pdf":
        from monitoring.report.pdf import pdf_bytes

        return pdf_bytes(content)
    if kind == "xlsx":
        from monitoring.report.workbook import workbook_bytes

        return workbook_bytes(content)
    raise MonitorError(f"Formatet '{kind}' kendes ikke; vælg pdf eller xlsx.")


def report_file_name(slug: str, year: int | None, kind: str) -> str:
    """The download's name: "guldborgsund-mit-liv-aarsstatus-2024.pdf"."""
    return f"{slug}-aarsstatus-{year}.{kind}"


def write_report(content: ReportContent, kind: str, path: Path) -> None:
    """Render, then write in one go: a refused path leaves no half-written file behind."""
    data = report_bytes(content, kind)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise MonitorError(
            f"Rapporten kan ikke gemmes som {readable(str(path))}: {os_error_text(exc)}. "
            "Vælg en anden fil med --out."
        ) from None
