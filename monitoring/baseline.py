"""The delaftale's baseline as signed, and a later, revised figure for its year beside it.

Storage: the store keeps what the sources say. The delaftale's baseline lives on the indicator
(`baseline_value`, `baseline_year`) and is written once as an observation (source "Delaftale");
a later file with another figure for that year replaces the observation like any other change
(recorded in `observation_change`, so undo restores the delaftale's figure exactly). Nothing else
is stored: a revision is *derived* wherever it is shown — the observation of the indicator's own
area in the baseline year has a value that differs from the signed one — so it can never be out of
date, and the yearly table, the card, the sentence and the report all read the same two numbers.
The progress reference is always the indicator's signed baseline, never the observation.

Two figures are the same when they agree to the precision the delaftale wrote ("40 %" and LBF's
40,3 are one figure; 46,6 and 46,2 are not).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from monitoring.fmt import format_value

_MAX_DECIMALS = 4
_EPSILON = 1e-9


def _decimals(signed: np.ndarray) -> np.ndarray:
    """How many decimals each signed value was written with (46.6 -> 1, 40.0 -> 0)."""
    decimals = np.full(signed.shape, _MAX_DECIMALS)
    for d in range(_MAX_DECIMALS - 1, -1, -1):
        exact = np.abs(signed - np.round(signed, d)) < _EPSILON
        decimals = np.where(exact, d, decimals)
    return decimals


def revised(signed: Any, values: Any) -> np.ndarray:
    """Whether each value differs from its signed baseline beyond the delaftale's precision.

    NaN on either side is never a revision. Works on scalars and arrays alike.
    """
    signed = np.asarray(signed, dtype=float)
    values = np.asarray(values, dtype=float)
    known = ~np.isnan(signed) & ~np.isnan(values)
    with np.errstate(invalid="ignore"):
        half_step = 0.5 * np.power(10.0, -_decimals(np.where(known, signed, 0.0)))
        return known & (np.abs(values - signed) > half_step + _EPSILON)


def revised_text(signed: float, revision: float, unit: str) -> str:
    """ "46,6 % (revideret: 46,2 %)": the signed figure first, the revision beside it."""
    return f"{format_value(signed, unit)} (revideret: {format_value(revision, unit)})"


def snapshot_revision(indicator: dict[str, Any]) -> float | None:
    """The revised figure for an indikator's baseline year in a `show --json` indicator, or None."""
    baseline = indicator["baseline"]
    signed, year = baseline.get("value"), baseline.get("year")
    if signed is None or year is None:
        return None
    for obs in indicator["observations"]:
        if (
            obs["area"] == indicator["area"]
            and obs["year"] == year
            and obs["state"] == "ok"
            and obs["value"] is not None
            and revised(signed, obs["value"])
        ):
            return float(obs["value"])
    return None
