"""One Danish sentence per indikator (and per delmål) from its `progress --json` entry."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import TYPE_CHECKING, Any

import pandas as pd

from monitoring.fmt import (
    MILESTONE_STATES,
    format_change,
    format_date,
    format_percent,
    format_value,
)
from monitoring.progress.engine import ACHIEVED, DECIMALS, ON_TRACK, STATUSES
from monitoring.progress.jsonvalues import json_int, json_text

if TYPE_CHECKING:
    pass


_LOWER_FIRST_WORDS = {
    "hele",
    "andre",
    "anden",
    "alle",
    "øvrige",
    "landet",
    "landsgennemsnit",
    "landsgennemsnittet",
    "gennemsnit",
    "gennemsnittet",
    "kommunen",
    "resten",
    "boligområdet",
}


def reference_label(label: str) -> str:
    """A comparator label inside a sentence: "Hele kommunen" → "hele kommunen", names unchanged."""
    first = label.split(" ", 1)[0]
    if first.casefold() in _LOWER_FIRST_WORDS:
        return label[:1].lower() + label[1:]
    return label


def sentence_subject(measure_name: str) -> str:
    """ "Andel 18-64-årige i beskæftigelse" → "Andelen af 18-64-årige i beskæftigelse"."""
    name = measure_name.strip()
    for pattern, replacement in (
        (r"^andel(en)?\s+(af\s+)?", "Andelen af "),
        (r"^antal(let)?\s+(af\s+)?", "Antallet af "),
    ):
        if re.match(pattern, name, flags=re.IGNORECASE):
            return re.sub(pattern, replacement, name, count=1, flags=re.IGNORECASE)
    return name[:1].upper() + name[1:]


def _value(value: float, unit: str) -> str:
    return format_value(value, unit)


def _plain(value: float, unit: str) -> str:
    """A size without its unit, for "fra 31,0 til 28,9 procentpoint"."""
    if unit == "pct":
        return format_value(abs(value), "count", 1)
    return format_value(abs(value), unit)


def _amount(value: float, unit: str) -> str:
    """A size with its unit: "28,9 procentpoint", "1.200 kr.", "35"."""
    if unit == "pct":
        return format_change(abs(value), "pct").removeprefix("+")
    return format_value(abs(value), unit)


def _signed_percent(percent: float) -> str:
    decimals = 1 if abs(percent) < 10 else 0
    text = format_percent(percent / 100.0, decimals)
    return f"+{text}" if percent > 0 and not text.startswith("+") else text


_STATE_WORDS = {
    "suppressed": "diskretioneret (for få personer)",
    "missing": "ikke opgjort",
    "qualitative": "kun beskrevet i ord",
}


def _change_sentence(ind: dict[str, Any], subject: str) -> str:
    unit = ind["unit"]
    ref_value, ref_year = ind["ref_value"], json_int(ind["ref_year"])
    last_value, last_year = ind["last_value"], json_int(ind["last_year"])
    if not ind["from_baseline"]:
        ref_text = f"{_value(ref_value, unit)} (første måling, {ref_year})"
    elif ref_year is None:
        ref_text = f"{_value(ref_value, unit)} (baseline)"
    else:
        ref_text = f"{_value(ref_value, unit)} ({ref_year})"
    change = round(float(ind["change"]), DECIMALS)
    if change == 0:
        return f"{subject} er uændret, fra {ref_text} til {_value(last_value, unit)} ({last_year})."
    verb = "er steget" if change > 0 else "er faldet"
    text = (
        f"{subject} {verb} fra {ref_text} til {_value(last_value, unit)} ({last_year}), "
        f"{format_change(ind['change'], unit)}"
    )
    if unit in ("count", "dkk"):
        if ref_value == 0:
            text += "; en relativ ændring kan ikke beregnes, fordi udgangspunktet er 0"
        else:
            text += f" ({_signed_percent(ind['change_relative'])})"
    return text + "."


def _revision_sentence(ind: dict[str, Any]) -> str:
    """The signed baseline stays the reference; a later figure for its year is named beside it."""
    unit = ind["unit"]
    return (
        f"Tallet for baselineåret {json_int(ind['ref_year'])} er siden revideret til "
        f"{_value(ind['revised_value'], unit)}; udviklingen regnes fra delaftalens "
        f"{_value(ind['ref_value'], unit)}."
    )


def _comparator_sentence(comp: dict[str, Any], ind: dict[str, Any]) -> str | None:
    unit, direction = ind["unit"], ind["direction"]
    label = reference_label(comp["label"])
    gap_ref, gap_now = comp["gap_ref"], comp["gap_now"]
    if math.isnan(gap_now):
        return None
    if not ind["comparable"] or math.isnan(gap_ref):
        if direction == 0:
            return f"Forskellen til {label} er {_amount(gap_now, unit)}."
        if gap_now > 0:
            return f"Området ligger {_amount(gap_now, unit)} dårligere end {label}."
        if gap_now < 0:
            return f"Området ligger {_amount(gap_now, unit)} bedre end {label}."
        return f"Området ligger på niveau med {label}."
    if direction == 0:
        if gap_now == gap_ref:
            return f"Forskellen til {label} er uændret {_amount(gap_now, unit)}."
        verb = "mindsket" if gap_now < gap_ref else "øget"
        return (
            f"Forskellen til {label} er {verb} fra {_plain(gap_ref, unit)} "
            f"til {_amount(gap_now, unit)}."
        )
    if gap_now < 0:
        if gap_ref > 0:
            return f"Området har overhalet {label} og ligger nu {_amount(gap_now, unit)} bedre."
        return f"Området ligger fortsat bedre end {label}, nu med {_amount(gap_now, unit)}."
    if gap_now == 0:
        return f"Området har nået niveauet for {label}."
    if gap_ref <= 0:
        when = f"i {json_int(ind['ref_year'])}" if not pd.isna(ind["ref_year"]) else "ved baseline"
        return (
            f"Området ligger nu {_amount(gap_now, unit)} dårligere end {label}; "
            f"{when} lå det på niveau eller bedre."
        )
    if gap_now == gap_ref:
        return f"Afstanden til {label} er uændret {_amount(gap_now, unit)}."
    verb = "mindsket" if gap_now < gap_ref else "øget"
    return (
        f"Afstanden til {label} er {verb} fra {_plain(gap_ref, unit)} til {_amount(gap_now, unit)}."
    )


def _target_sentence(ind: dict[str, Any]) -> str | None:
    unit = ind["unit"]
    if math.isnan(ind["target_value"]) or math.isnan(ind["last_value"]):
        return None
    target = f"målet på {_value(ind['target_value'], unit)}"
    if not pd.isna(ind["target_year"]):
        target += f" i {int(ind['target_year'])}"
    if ind["reached"] == 1:
        return f"{target[:1].upper()}{target[1:]} er nået."
    progress = ind["progress"]
    if not math.isnan(progress) and progress < 0:
        return f"Udviklingen går væk fra {target}."
    if not math.isnan(progress):
        done = f"{format_percent(progress)} af vejen mod {target} er tilbagelagt"
        if math.isnan(ind["expected_share"]):
            return f"{done}."
        elapsed = format_percent(ind["expected_share"])
        if ind["on_track"] == 1:
            return f"{done}, og {elapsed} af tiden er gået, så det går efter planen."
        return f"{done}, men {elapsed} af tiden er gået, så det går langsommere end planlagt."
    missing = abs(ind["last_value"] - ind["target_value"])
    return f"Der mangler {_amount(missing, unit)} for at nå {target}."


def _milestone_sentence(ind: dict[str, Any]) -> str:
    status_year = int(ind["status_year"])
    code = ind["milestone_code"]
    deadline = None if pd.isna(ind["deadline"]) else pd.Timestamp(ind["deadline"]).date()
    if math.isnan(code):
        text = "Der er ikke registreret nogen status for milepælen endnu."
    else:
        state = MILESTONE_STATES[int(code)].lower()
        # Achieved: the year it was achieved, not the latest year that repeats it.
        when = ind["state_since"] if code == ACHIEVED else ind["last_year"]
        text = f"Milepælen er {state} ({json_int(when)})."
        if not ind["current"] and code != ACHIEVED:
            text += f" Der er ingen ny status for {status_year}."
    if deadline is not None and code != ACHIEVED:
        if ind["overdue"] == 1:
            text += f" Fristen var {format_date(deadline)}, og den er overskredet."
        elif pd.Timestamp(deadline).date() < min(dt.date(status_year, 12, 31), ind["_today"]):
            text += f" Fristen var {format_date(deadline)}."
        else:
            text += f" Fristen er {format_date(deadline)}."
    return text


def _tidy(text: str) -> str:
    """One full stop after an amount in kroner: "257.398 kr.." ends a sentence as "257.398 kr."."""
    return re.sub(r"\.\.(?=\s|$)", ".", text)


def indicator_sentence(ind: dict[str, Any], comparators: list[dict[str, Any]]) -> str:
    """The plain Danish account of one indicator (a result row of `compute_progress`)."""
    if ind["unit"] == "status":
        return _milestone_sentence(ind)
    unit = ind["unit"]
    status_year = int(ind["status_year"])
    subject = sentence_subject(json_text(ind.get("measure_name")) or ind["name"])
    parts: list[str] = []
    if not ind["current"]:
        if json_int(ind["latest_year"]) == status_year and ind["latest_state"] in _STATE_WORDS:
            parts.append(f"Tallet for {status_year} er {_STATE_WORDS[ind['latest_state']]}.")
        else:
            parts.append(f"Der er endnu ingen tal for {status_year}.")
        if not math.isnan(ind["last_value"]):
            parts.append(f"Seneste tal er fra {json_int(ind['last_year'])}.")
    if math.isnan(ind["last_value"]):
        if ind["from_baseline"]:
            year = json_int(ind["ref_year"])
            parts.append(
                f"Baseline er {_value(ind['ref_value'], unit)}"
                + (f" ({year})" if year else "")
                + "; der er endnu ingen nyere tal."
            )
        elif json_text(ind.get("baseline_note")):
            parts.append(f"Baseline i delaftalen: {ind['baseline_note'].rstrip('.')}.")
        return _tidy(" ".join(parts))
    if ind["comparable"]:
        parts.append(_change_sentence(ind, subject))
    elif ind["from_baseline"] and json_int(ind["last_year"]) == json_int(ind["ref_year"]):
        parts.append(
            f"{subject} var {_value(ind['ref_value'], unit)} ved baseline "
            f"({json_int(ind['ref_year'])}); der er endnu ingen nyere tal."
        )
    elif ind["from_baseline"]:
        parts.append(
            f"{subject} var {_value(ind['last_value'], unit)} ({json_int(ind['last_year'])}), "
            f"før baselineåret {json_int(ind['ref_year'])}."
        )
    else:
        parts.append(
            f"{subject} var {_value(ind['last_value'], unit)} ({json_int(ind['last_year'])}) ved "
            "første måling; udviklingen kan vurderes, når der kommer flere tal."
        )
    if not math.isnan(ind["revised_value"]):
        parts.append(_revision_sentence(ind))
    parts += [s for c in comparators if (s := _comparator_sentence(c, ind))]
    target = _target_sentence(ind)
    if target:
        parts.append(target)
    if not math.isnan(ind["projected_value"]) and ind["projected_year"] > ind["last_year"]:
        parts.append(
            f"Fortsætter tendensen, er niveauet ca. {_value(ind['projected_value'], unit)} "
            f"i {int(ind['projected_year'])}."
        )
    return _tidy(" ".join(parts))


def subgoal_summary(counts: dict[str, int]) -> str:
    """ "2 af 3 på rette vej, 1 mangler data": counts by status label, never a weighted score."""
    total = sum(counts.values())
    text = f"{counts.get(ON_TRACK.label, 0)} af {total} på rette vej"
    others = [f"{counts[s.label]} {s.label.lower()}" for s in STATUSES[1:] if counts.get(s.label)]
    return ", ".join([text, *others])
