"""What the Delaftaler page shows and reads back: form fields as text, review and history tables.

Pure functions over the seed-format plan (`editing.py`), so the page stays thin. Numbers are typed
the Danish way ("13,9"); a field that cannot be read is a Danish sentence naming the field.
"""

from __future__ import annotations

import copy
from typing import Any

from monitoring.delaftale.editing import DIRECTION_LABELS, UNIT_LABELS, indicators
from monitoring.delaftale.history import HistoryEvent, changed_indicators, indicators_by_name
from monitoring.errors import MonitorError
from monitoring.fmt import parse_number, parse_year

AREA_KINDS_DA = {"kommune": "kommune", "benchmark": "sammenligning", "boligomraade": "boligområde",
                 "afdeling": "afdeling"}  # fmt: skip
_KIND_OF_DA = {v: k for k, v in AREA_KINDS_DA.items()}


def number_text(value: float | None) -> str:
    """A number as a person types it back in: 13.9 → "13,9", 364534.0 → "364534"."""
    return "" if value is None else f"{value:g}".replace(".", ",") if abs(value) < 1e15 else ""


def _number(text: str, field: str, errors: list[str]) -> float | None:
    if not text.strip():
        return None
    try:
        return parse_number(text)
    except ValueError:
        errors.append(f"Feltet {field}: '{text.strip()}' er ikke et tal; skriv fx 13,9.")
        return None


def _year(text: str, field: str, errors: list[str]) -> int | None:
    try:
        return parse_year(text)
    except ValueError as exc:
        errors.append(f"Feltet {field}: {exc}")
        return None


def comparators_to_text(comparators: list[dict[str, Any]]) -> str:
    """One comparator a line: "Betegnelse; værdi; år; områdetype; område"."""
    lines = []
    for c in comparators:
        area = c.get("area") or {}
        lines.append(
            "; ".join(
                [
                    c["label"],
                    number_text(c.get("value")),
                    "" if c.get("year") is None else str(c["year"]),
                    AREA_KINDS_DA.get(area.get("kind", "kommune"), "kommune"),
                    area.get("name") or "",
                ]
            )
        )
    return "\n".join(lines)


def comparators_from_text(text: str, errors: list[str]) -> list[dict[str, Any]]:
    comparators = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")] + [""] * 5
        label, value_text, year_text, kind_text, area_name = parts[:5]
        field = f"Anden baseline, linje {number}"
        value = _number(value_text, field, errors)
        kind = _KIND_OF_DA.get(kind_text.lower() or "kommune")
        if kind is None:
            errors.append(
                f"Feltet {field}: områdetypen '{kind_text}' er ukendt; skriv kommune eller "
                "sammenligning."
            )
        area: dict[str, Any] = {"kind": kind or "kommune"}
        if area_name:
            area["name"] = area_name.removesuffix(" Kommune") if kind == "kommune" else area_name
        comparators.append(
            {
                "label": label,
                "value": value,
                "year": _year(year_text, field, errors),
                "area": area,
                "as_written": line.strip(),
            }
        )
    return comparators


def indicator_fields(ind: dict[str, Any] | None) -> dict[str, str]:
    """The indikator's fields as the page's text inputs show them (empty for a new one)."""
    ind = ind or {"baseline": {}, "comparators": [], "target": None, "unit": "pct", "direction": 1}
    baseline = ind.get("baseline") or {}
    target = ind.get("target") or {}
    return {
        "name": ind.get("name") or "",
        "unit": ind.get("unit") or "pct",
        "direction": str(ind.get("direction", 0)),
        "baseline_value": number_text(baseline.get("value")),
        "baseline_year": "" if baseline.get("year") is None else str(baseline["year"]),
        "baseline_note": baseline.get("note") or "",
        "target_value": number_text(target.get("value")),
        "target_year": "" if target.get("year") is None else str(target["year"]),
        "target_note": target.get("note") or "",
        "deadline": str(ind.get("deadline") or ""),
        "source": ind.get("source") or "",
        "measure": ind.get("measure") or "",
        "comparators": comparators_to_text(ind.get("comparators") or []),
    }


def indicator_from_fields(fields: dict[str, str], old: dict[str, Any] | None) -> dict[str, Any]:
    """The indikator the form describes; a MonitorError listing every field that cannot be read."""
    errors: list[str] = []
    ind = copy.deepcopy(old) if old else {"area": None}
    baseline_value = _number(fields["baseline_value"], "Baseline", errors)
    old_baseline = (old or {}).get("baseline") or {}
    as_written = old_baseline.get("as_written")
    if baseline_value != old_baseline.get("value"):
        as_written = fields["baseline_value"].strip() or fields["baseline_note"].strip() or None
    target_value = _number(fields["target_value"], "Mål", errors)
    target_note = fields["target_note"].strip() or None
    ind.update(
        name=fields["name"].strip(),
        unit=fields["unit"],
        direction=int(fields["direction"]),
        baseline={
            "value": baseline_value,
            "year": _year(fields["baseline_year"], "Baseline år", errors),
            "note": fields["baseline_note"].strip() or None,
            "as_written": as_written,
        },
        target=None
        if target_value is None and target_note is None
        else {
            "value": target_value,
            "year": _year(fields["target_year"], "Mål år", errors),
            "note": target_note,
        },
        deadline=fields["deadline"].strip() or None,
        source=fields["source"].strip() or None,
        measure=fields["measure"].strip() or None,
        comparators=comparators_from_text(fields["comparators"], errors),
    )
    if errors:
        raise MonitorError(" ".join(errors))
    return ind


def review_rows(content: dict[str, Any]) -> list[dict[str, Any]]:
    """The extraction as rows for the review table (one per indikator, in document order)."""
    rows = []
    for s_pos, _i, ind in indicators(content):
        rows.append(
            {
                "Delmål": content["agreement"]["subgoals"][s_pos]["text"],
                "Indikator": ind["name"],
                "Enhed": UNIT_LABELS[ind["unit"]],
                "Retning": DIRECTION_LABELS[ind["direction"]],
                "Baseline": number_text(ind["baseline"]["value"]),
                "Baseline år": ""
                if ind["baseline"]["year"] is None
                else str(ind["baseline"]["year"]),
                "Note": ind["baseline"]["note"] or "",
                "Anden baseline": comparators_to_text(ind["comparators"]).replace("\n", " | "),
                "Datakilde": ind["source"] or "",
            }
        )
    return rows


def apply_review(content: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The extraction with the reviewer's corrections (same rows, same order; delmål regrouped)."""
    units = {v: k for k, v in UNIT_LABELS.items()}
    directions = {v: k for k, v in DIRECTION_LABELS.items()}
    errors: list[str] = []
    originals = [ind for _s, _i, ind in indicators(content)]
    subgoals: list[dict[str, Any]] = []
    for number, (row, old) in enumerate(zip(rows, originals, strict=True), start=1):
        ind = copy.deepcopy(old)
        where: list[str] = []
        value = _number(str(row["Baseline"] or ""), "Baseline", where)
        year = _year(str(row["Baseline år"] or ""), "Baseline år", where)
        errors.extend(f"Række {number}: {e}" for e in where)
        ind.update(name=str(row["Indikator"]).strip(), unit=units.get(row["Enhed"], ind["unit"]),
                   direction=directions.get(row["Retning"], ind["direction"]),
                   source=str(row["Datakilde"] or "").strip() or None)  # fmt: skip
        if value != ind["baseline"]["value"]:
            ind["baseline"]["as_written"] = str(row["Baseline"] or "").strip() or None
        ind["baseline"].update(value=value, year=year, note=str(row["Note"] or "").strip() or None)
        text = str(row["Delmål"] or "").strip()
        subgoal = next((s for s in subgoals if s["text"] == text), None)
        if subgoal is None:
            subgoal = {"text": text, "indicators": []}
            subgoals.append(subgoal)
        subgoal["indicators"].append(ind)
    if errors:
        raise MonitorError(" ".join(errors))
    reviewed = copy.deepcopy(content)
    reviewed["agreement"]["subgoals"] = subgoals
    return reviewed


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_flat(v)}" for k, v in value.items() if k != "observations")
    if isinstance(value, list):
        return " | ".join(_flat(v) for v in value)
    return "" if value is None else str(value)


def event_changes(event: HistoryEvent) -> list[dict[str, str]]:
    """What one write changed, field by field: indikatorer for plan writes, else the event data."""
    if event.action in (
        "import-lbf",
        "undo-import",
        "demo",
        "remove-demo",
    ) or not changed_indicators(event):
        keys = dict.fromkeys([*(event.before or {}), *(event.after or {})])
        return [
            {
                "Indikator": "",
                "Felt": k,
                "Før": _flat((event.before or {}).get(k)),
                "Efter": _flat((event.after or {}).get(k)),
            }
            for k in keys
            if k not in ("agreements", "areas")
        ]
    rows = []
    for name in changed_indicators(event):
        before, after = (indicators_by_name(p).get(name, {}) for p in (event.before, event.after))
        for key in dict.fromkeys([*before, *after]):
            if key != "observations" and before.get(key) != after.get(key):
                rows.append({"Indikator": name, "Felt": key, "Før": _flat(before.get(key)),
                             "Efter": _flat(after.get(key))})  # fmt: skip
    return rows


def history_rows(events: list[HistoryEvent]) -> list[dict[str, Any]]:
    return [
        {
            "Nr.": e.id,
            "Tidspunkt": e.at.strftime("%d.%m.%Y %H:%M"),
            "Bruger": e.user,
            "Hvad": e.what,
            "Indikatorer": ", ".join(changed_indicators(e)),
        }
        for e in events
    ]
