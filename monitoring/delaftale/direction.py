"""A proposed direction for an indikator, from the words of the delaftale (a person confirms it).

Order of evidence: a milestone is reached or not (+1); a target written "minimum 20 %" (+1) or
"højst 10 %" (−1); the indikator's own verb ("falder" −1, "stiger"/"styrkes" +1), turned round
when the baseline names the opposite quantity ("nedsat arbejdsevne"); else the delmål's verb
("Reducere", "Færre" −1; "Flere", "øges" +1), −1 when the indikator counts those who are
not there ("som ikke har tilknytning", "uden for arbejdsstyrken"). Nothing found: 0, flagged.
"""

from __future__ import annotations

import re

_TARGET = [(re.compile(r"\b(minimum|mindst|min\.|over)\b", re.I), 1),
           (re.compile(r"\b(maksimum|maks\.?|højst|under)\b", re.I), -1)]  # fmt: skip
_INDICATOR_VERBS = [
    (re.compile(r"\b(falder|reduceres|mindskes|nedbringes|sænkes)\b", re.I), -1),
    (re.compile(r"\b(stiger|øges|styrkes|forbedres|vokser|højnes)\b", re.I), 1),
]
_SUBGOAL_VERBS = [
    (re.compile(r"\b(reducere|reduceres|færre|nedbringe|mindske|sænke|mindre)\b", re.I), -1),
    (re.compile(r"\b(flere|øge|øges|styrke|styrkes|forbedre|højne|mere|bedre)\b", re.I), 1),
]
_NOT_THERE = re.compile(
    r"\bikke\b|\buden\s+for\b|\budenfor\b|\bnedsat\b|\bsom\s+højst\s+fuldførte\b", re.I
)


def _first(patterns: list[tuple[re.Pattern[str], int]], text: str) -> int:
    """The sign of the pattern found first in the text (0 when none is)."""
    hits = [(m.start(), sign) for pattern, sign in patterns for m in [pattern.search(text)] if m]
    return min(hits)[1] if hits else 0


def propose_direction(
    subgoal: str, indicator: str, baseline_text: str, target_text: str, unit: str
) -> int:
    """+1 higher is better, −1 lower is better, 0 when the words do not say."""
    if unit == "status":
        return 1
    if target_text and (sign := _first(_TARGET, target_text)):
        return sign
    if sign := _first(_INDICATOR_VERBS, indicator):
        opposite = _NOT_THERE.search(baseline_text) and not _NOT_THERE.search(indicator)
        return -sign if opposite else sign
    if sign := _first(_SUBGOAL_VERBS, subgoal):
        # "Flere i job" counted as those not in job: lower is better. Under "Færre ..." the
        # indikator counts the unwanted thing itself, negated or not: lower stays better.
        opposite = _NOT_THERE.search(indicator) and not _NOT_THERE.search(subgoal)
        return -1 if opposite else sign
    return 0
