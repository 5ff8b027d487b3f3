"""Editing a plan: the stored plan in the seed format, one indikator at a time, and validation.

The page edits the same seed-format dict the import produces (`extract.py`), so a typed-in change,
an imported delaftale and a restored version are all written by one function (`store.save`).
Validation messages are Danish and name the field.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

from monitoring.errors import MonitorError
from monitoring.kommuner import official_kommune
from monitoring.names import match_key
from monitoring.store.models import UNITS
from monitoring.vocabulary import Direction, Unit, labels

UNIT_LABELS = labels(Unit)  # {code: Danish label}, for the form's choices
DIRECTION_LABELS = labels(Direction)


def content_from_plan(plan: dict[str, Any]) -> dict[str, Any]:
    """A stored plan (`show --json` shape) in the seed format; its first delaftale is edited."""
    agreement = plan["agreements"][0]
    return {
        "slug": plan["slug"],
        "name": plan["name"],
        "kommune": {"name": plan["kommune"].removesuffix(" Kommune"), "code": plan["kommune_code"]},
        "areas": [
            {"name": a["name"], "kind": a["kind"], "code": a["code"], "parent": a["parent"]}
            for a in plan["areas"]
        ],
        "agreement": {
            "area_of_effort": agreement["area_of_effort"],
            "period": dict(agreement["period"]),
            "parties": list(agreement["parties"]),
            "activities": list(agreement["activities"]),
            "staff_resources": agreement["staff_resources"],
            "subgoals": [
                {"text": s["text"], "indicators": [indicator_spec(i) for i in s["indicators"]]}
                for s in agreement["subgoals"]
            ],
        },
        "measures": [],
    }


def indicator_spec(ind: dict[str, Any]) -> dict[str, Any]:
    """One indikator of the `show --json` shape in the seed format."""
    return {
        "name": ind["name"],
        "measure": ind["measure"],
        "unit": ind["unit"],
        "direction": ind["direction"],
        "area": ind["area"],
        "baseline": {k: ind["baseline"][k] for k in ("value", "year", "note", "as_written")},
        "comparators": [
            {
                "label": c["label"],
                "value": c["value"],
                "year": c["year"],
                "area": {"kind": c["area_kind"], "name": c["area"]},
                "as_written": c["as_written"],
            }
            for c in ind["comparators"]
        ],
        "target": copy.deepcopy(ind["target"]),
        "deadline": ind["deadline"],
        "source": ind["source"],
    }


def indicators(content: dict[str, Any]) -> list[tuple[int, int, dict[str, Any]]]:
    """(delmål index, indikator index, indikator) in document order."""
    return [
        (s_pos, i_pos, ind)
        for s_pos, sub in enumerate(content["agreement"]["subgoals"])
        for i_pos, ind in enumerate(sub["indicators"])
    ]


def replace_indicator(
    content: dict[str, Any], name: str, new: dict[str, Any]
) -> dict[str, Any] | None:
    """A copy of the plan with the indikator called `name` replaced by `new` (None: not found)."""
    changed = copy.deepcopy(content)
    for sub in changed["agreement"]["subgoals"]:
        for pos, ind in enumerate(sub["indicators"]):
            if match_key(ind["name"]) == match_key(name):
                sub["indicators"][pos] = copy.deepcopy(new)
                return changed
    return None


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _check_share(value: Any, where: str, field: str, errors: list[str]) -> None:
    if value is not None and not 0 <= float(value) <= 100:
        errors.append(f"{where}, feltet {field}: {float(value):g} % ligger uden for 0-100.")


def validate(content: dict[str, Any]) -> list[str]:
    """Every problem that stops the plan from being saved, as Danish sentences naming the field."""
    errors: list[str] = []
    if not str(content.get("name") or "").strip():
        errors.append("Helhedsplanen, feltet Navn: skriv planens navn.")
    kommune = str((content.get("kommune") or {}).get("name") or "").strip()
    if official_kommune(kommune) is None:
        errors.append(f"Helhedsplanen, feltet Kommune: '{kommune}' er ikke en dansk kommune.")
    agreement = content["agreement"]
    if not str(agreement.get("area_of_effort") or "").strip():
        errors.append("Delaftalen, feltet Indsatsområde: skriv indsatsområdet.")
    start, end = (_date(agreement["period"].get(k)) for k in ("start", "end"))
    if start is None or end is None:
        errors.append("Delaftalen, feltet Periode: angiv både start- og slutdato (ÅÅÅÅ-MM-DD).")
    elif end < start:
        errors.append(
            f"Delaftalen, feltet Periode: slutdatoen {end.isoformat()} ligger før startdatoen "
            f"{start.isoformat()}."
        )
    for s_pos, sub in enumerate(agreement["subgoals"], start=1):
        if not str(sub.get("text") or "").strip():
            errors.append(f"Delmål {s_pos}, feltet Tekst: skriv delmålet.")
        if not sub.get("indicators"):
            errors.append(
                f"Delmål {s_pos}, feltet Indikatorer: et delmål skal have mindst én indikator."
            )
    for number, (_s, _i, ind) in enumerate(indicators(content), start=1):
        errors.extend(_indicator_errors(ind, f"Indikator {number} ('{ind.get('name') or ''}')"))
    return errors


def _indicator_errors(ind: dict[str, Any], where: str) -> list[str]:
    errors: list[str] = []
    if not str(ind.get("name") or "").strip():
        errors.append(f"{where}, feltet Indikator: skriv indikatorens tekst.")
    if ind.get("unit") not in UNITS:
        errors.append(f"{where}, feltet Enhed: vælg en af {', '.join(UNIT_LABELS.values())}.")
    baseline = ind.get("baseline") or {}
    target = ind.get("target") or {}
    if ind.get("unit") == "pct":
        _check_share(baseline.get("value"), where, "Baseline", errors)
        _check_share(target.get("value"), where, "Mål", errors)
        for comp in ind.get("comparators") or []:
            _check_share(comp.get("value"), where, f"Anden baseline '{comp.get('label')}'", errors)
    year = baseline.get("year")
    if year is not None and not 1980 <= int(year) <= 2100:
        errors.append(f"{where}, feltet Baseline år: {year} er ikke et årstal mellem 1980 og 2100.")
    has_target = target.get("value") is not None or ind.get("deadline")
    if has_target and not ind.get("direction"):
        errors.append(
            f"{where}, feltet Retning: der er et mål, men ingen retning; vælg om højere eller "
            "lavere er bedre."
        )
    for comp in ind.get("comparators") or []:
        label = str(comp.get("label") or "").strip()
        if not label:
            errors.append(f"{where}, feltet Anden baseline: giv sammenligningen en betegnelse.")
        if comp.get("value") is None and not str(comp.get("as_written") or "").strip():
            errors.append(
                f"{where}, anden baseline '{label}': angiv en værdi eller en note (som skrevet)."
            )
    return errors


def put_indicator(
    content: dict[str, Any], old_name: str | None, new: dict[str, Any] | None, subgoal: str
) -> dict[str, Any]:
    """A copy with the indikator `old_name` replaced by `new` under the delmål `subgoal` (kept in
    its place when the delmål is the same, else last under the new one, a new delmål last).
    `new` None deletes it; a delmål left without indikatorer goes with it."""
    changed = copy.deepcopy(content)
    subgoals = changed["agreement"]["subgoals"]
    place: tuple[int, int] | None = None
    for s_pos, sub in enumerate(subgoals):
        for i_pos, ind in enumerate(sub["indicators"]):
            if old_name is not None and ind["name"] == old_name:
                place = (s_pos, i_pos)
    if place is not None:
        del subgoals[place[0]]["indicators"][place[1]]
    if new is not None:
        target = next((s for s in subgoals if s["text"] == subgoal), None)
        if target is None:
            target = {"text": subgoal, "indicators": []}
            subgoals.append(target)
        same = place is not None and subgoals[place[0]] is target
        target["indicators"].insert(
            place[1] if same else len(target["indicators"]), copy.deepcopy(new)
        )
    changed["agreement"]["subgoals"] = [s for s in subgoals if s["indicators"]]
    return changed


def new_plan(name: str, kommune: str, subgoal: str, indicator: dict[str, Any]) -> dict[str, Any]:
    """A new plan in the seed format with its first delmål and indikator (the loader needs one);
    the kommune must be one of the 98, its code is looked up."""
    from monitoring.delaftale.extract import slugify

    found = official_kommune(kommune)
    if found is None:
        raise MonitorError(f"Helhedsplanen, feltet Kommune: '{kommune}' er ikke en dansk kommune.")
    if not subgoal.strip() or not indicator.get("name"):
        raise MonitorError(
            "Ny helhedsplan: skriv det første delmål og den første indikator; resten tilføjer du "
            "bagefter."
        )
    area = re.sub(r"^(boligsocial(e)? )?helhedsplan(en)?( i)?\s+", "", name.strip(), flags=re.I)
    return {
        "slug": slugify(f"{found[0]} {area or name}"),
        "name": name.strip(),
        "kommune": {"name": found[0], "code": found[1]},
        "areas": [{"name": area or name.strip(), "kind": "boligomraade"}],
        "agreement": {
            "area_of_effort": "",
            "period": {"start": None, "end": None},
            "parties": [],
            "activities": [],
            "staff_resources": None,
            "subgoals": [{"text": subgoal.strip(), "indicators": [indicator]}],
        },
        "measures": [],
    }
