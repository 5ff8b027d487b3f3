"""The progress engine: is each indikator moving the right way; its Danish sentences and JSON contract.
May import store, baseline, fmt, vocabulary, errors; never `compare`, `present`, `cli` or Streamlit."""

from monitoring.progress.contract import (
    all_plans_progress,
    indicator_json,
    plan_progress,
    progress_from_inputs,
    year_range,
)
from monitoring.progress.engine import (
    ACHIEVED,
    DEFAULT,
    MISSING,
    NOT_ASSESSED,
    ON_TRACK,
    STATUSES,
    TREND_MIN_POINTS,
    UNCHANGED,
    WRONG_WAY,
    Tolerance,
    compute_progress,
    plan_years,
)
from monitoring.progress.inputs import ProgressInputs, load_progress_inputs
from monitoring.progress.sentences import (
    indicator_sentence,
    reference_label,
    sentence_subject,
    subgoal_summary,
)

__all__ = [
    "ACHIEVED",
    "DEFAULT",
    "MISSING",
    "NOT_ASSESSED",
    "ON_TRACK",
    "STATUSES",
    "TREND_MIN_POINTS",
    "UNCHANGED",
    "WRONG_WAY",
    "ProgressInputs",
    "Tolerance",
    "all_plans_progress",
    "compute_progress",
    "indicator_json",
    "indicator_sentence",
    "load_progress_inputs",
    "plan_progress",
    "plan_years",
    "progress_from_inputs",
    "reference_label",
    "sentence_subject",
    "subgoal_summary",
    "year_range",
]
