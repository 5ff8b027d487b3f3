"""The import report (CLI `--json` and the page's summary) and its Danish text lines."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from monitoring.ingest.changes import base_counts
from monitoring.ingest.types import KIND_NAMES, STATE_NAMES, CommitResult, Preview, Upload
from monitoring.ingest.validation import danish
from monitoring.lbf import (
    ERROR,
    Problem,
)
from monitoring.vocabulary import MappingSource


def report(
    upload: Upload,
    changes: Preview | None = None,
    result: CommitResult | None = None,
    *,
    dry_run: bool = False,
    summary: bool = True,
) -> dict[str, Any]:
    """The import report as plain data (the `import-lbf --json` contract).

    `summary=False` leaves the per-area-and-measure summary empty: the text lines never read it,
    and for a national area list it is hundreds of thousands of rows.
    """
    table = upload.table
    counts = dict(result.counts if result else changes.counts if changes else base_counts(upload))
    problems = [*upload.problems, *(changes.warnings if changes is not None else [])]
    counts["errors"] = len(upload.errors)
    counts["warnings"] = sum(1 for p in problems if not p.blocking)
    if upload.blocking:
        status = "rejected"
    elif dry_run:
        status = "dry_run"
    elif result is not None:
        status = "committed" if result.changed_anything else "no_changes"
    else:
        status = "preview"
    changed = []
    if changes is not None and not changes.frame.empty:
        for row in changes.changed().itertuples(index=False):
            changed.append(
                {
                    "area": row.area,
                    "measure": row.measure,
                    "year": int(row.year),
                    "old": {"value": _num(row.old_value), "state": row.old_state},
                    "new": {"value": _num(row.new_value), "state": row.new_state},
                }
            )
    per_area: list[dict[str, Any]] = []
    if changes is not None and summary:
        counted = changes.summary()
        per_area = [
            {"area": area, "measure": measure, "new": new, "changed": changed, "unchanged": same}
            for area, measure, new, changed, same in zip(
                counted["area"].tolist(),
                counted["measure"].tolist(),
                counted["new"].astype("int64").tolist(),
                counted["changed"].astype("int64").tolist(),
                counted["unchanged"].astype("int64").tolist(),
                strict=True,
            )
        ]
    return {
        "file": table.file_name,
        "sha256": table.sha256,
        "format": table.file_format,
        "status": status,
        "message": result.message if result else None,
        "batch_id": result.batch_id if result else None,
        "counts": counts,
        "layouts": [layout.to_dict() for layout in table.layouts],
        "mapping": [m.to_dict() for m in upload.mapping],
        "areas": [a.to_dict() for a in upload.areas],
        "area_questions": [q.to_dict() for q in upload.questions],
        "summary": per_area,
        "changed": changed,
        "problems": [p.to_dict() for p in problems],
    }


def _num(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return float(value)


STATUS_NAMES = {"committed": "gemt", "undone": "fortrudt"}


MAX_LISTED_PROBLEMS = 15


def report_lines(data: dict[str, Any]) -> list[str]:
    """The import report as Danish text lines (the command line's output without --json)."""
    lines = [f"Fil: {data['file']} ({data['format'] or 'ukendt format'})"]
    for sheet in data["layouts"]:
        lines.append(f"Ark '{sheet['sheet']}': {sheet['description']}")
    if data["mapping"]:
        lines.append("Kortlægning:")
        for m in data["mapping"]:
            if m["measure"]:
                target = f"{m['measure']} ({MappingSource(m['source']).short})"
            elif m["ignored"]:
                target = f"importeres ikke ({MappingSource(m['source']).short})"
            elif m["suggestion"]:
                target = (
                    f"IKKE KORTLAGT – forslag {m['suggestion']} "
                    f"({round(100 * m['suggestion_confidence'])} % sikker); bekræft med --map"
                )
            else:
                target = 'IKKE KORTLAGT (brug --map "TEKST=målnøgle")'
            lines.append(f"  {m['label']} → {target}")
    new_areas = [a for a in data["areas"] if a["new"]]
    if data["areas"]:
        found = [a["area"] for a in data["areas"] if not a["new"]]
        if found:
            lines.append(f"Kendte områder: {', '.join(found)}")
        for a in new_areas:
            parent = f" under {a['parent']}" if a["parent"] else ""
            lines.append(f"Nyt område: {a['area']} ({KIND_NAMES[a['kind']]}{parent})")
    errors = [p for p in data["problems"] if p["level"] == ERROR]
    warnings = [p for p in data["problems"] if p["level"] != ERROR]
    if warnings:
        lines.append(f"Advarsler ({len(warnings)}):")
        lines += [f"  - {_describe(p)}" for p in warnings[:MAX_LISTED_PROBLEMS]]
        if len(warnings) > MAX_LISTED_PROBLEMS:
            lines.append(f"  - … og {len(warnings) - MAX_LISTED_PROBLEMS} mere (se --json).")
    counts = data["counts"]
    if errors:
        lines.append(
            f"Fejl: Filen {data['file']} kan ikke importeres ({len(errors)} fejl); intet er gemt:"
        )
        lines += [f"  - {_describe(p)}" for p in errors[:50]]
        if len(errors) > 50:
            lines.append(f"  - … og {len(errors) - 50} fejl mere (se --json).")
        return lines
    lines.append(
        f"Nye: {counts['new']}, ændrede: {counts['changed']}, uændrede: {counts['unchanged']}, "
        f"diskretionerede: {counts['suppressed']}, ikke kortlagt: {counts['unmapped']}"
        + (f", nye områder: {counts['new_areas']}" if counts.get("new_areas") else "")
    )
    for change in data["changed"][:MAX_LISTED_PROBLEMS]:
        lines.append(
            f"  Ændret: {change['area']}, {change['measure']} {change['year']}: "
            f"{_value_text(change['old'])} → {_value_text(change['new'])}"
        )
    if len(data["changed"]) > MAX_LISTED_PROBLEMS:
        lines.append(f"  … og {len(data['changed']) - MAX_LISTED_PROBLEMS} ændrede mere.")
    if data["status"] == "dry_run":
        lines.append("Prøvekørsel: intet er gemt.")
    elif data["message"]:
        lines.append(data["message"])
    return lines


def _describe(problem: dict[str, Any]) -> str:
    return Problem(
        problem["level"],
        problem["code"],
        problem["message"],
        problem["sheet"],
        problem["row"],
        problem["column"],
        problem["text"],
    ).describe()


def _value_text(cell: dict[str, Any]) -> str:
    if cell["state"] == "suppressed":
        return "diskretioneret"
    if cell["value"] is None:
        return STATE_NAMES.get(cell["state"] or "", "intet")
    return danish(cell["value"])


def history_lines(batches: Sequence[dict[str, Any]]) -> list[str]:
    """The import history as text lines, newest first."""
    lines = []
    for b in batches:
        when = b["created_at"].replace("T", " ")[:16]
        status = "fjernet" if b.get("demo") and b["status"] == "undone" else None
        lines.append(
            f"#{b['id']}  {when}  {b['file_name']}  ({b['user']})  "
            f"{status or STATUS_NAMES.get(b['status'], b['status'])}: {b['new']} nye, "
            f"{b['changed']} ændrede"
            + (f", {b['new_areas']} nye områder" if b["new_areas"] else "")
            + ("  (fjern med 'remove-demo')" if b.get("demo") and b["can_undo"] else "")
        )
    return lines
