"""Uploads of LBF data into the store: resolve, validate, preview, commit one batch, undo, history.
Imports `monitoring.lbf`, `store`, `seed`, `fmt`, `names`, `errors`; never Streamlit.

The upload page and `python -m monitoring import-lbf` call the same functions, in this order:

    upload = read_upload(engine, data, file_name, year=..., area=...)   # read + resolve + validate
    upload = resolve(engine, upload.table, mapping={...}, area_map={...})  # after user corrections
    changes = preview(engine, upload, actor=user)                       # new / changed / unchanged
    result = commit(engine, upload, user="...")                         # one transaction, one batch
    undo(engine, result.batch_id, user="...")                           # restores exactly
    history(engine, actor=user)                      # the import history the user may see
    remove_demo(engine, user="...")                  # only the demo figures go; real ones stay

Nothing is written before `commit`; `commit` refuses an upload with blocking problems.
"""

from monitoring.ingest.area_matcher import CREATE_NEW
from monitoring.ingest.area_text import BENCHMARK_NAMES
from monitoring.ingest.batches import history, undo
from monitoring.ingest.catalog import (
    indicator_texts,
    label_matcher,
    measure_catalog,
    remembered_areas,
    remembered_mappings,
    shared_measures,
)
from monitoring.ingest.changes import preview
from monitoring.ingest.committing import NO_CHANGES, SOURCE_PREFIX, commit, problems_text
from monitoring.ingest.demo_removal import demo_removal_refusal, remove_demo
from monitoring.ingest.reporting import (
    MAX_LISTED_PROBLEMS,
    STATUS_NAMES,
    history_lines,
    report,
    report_lines,
)
from monitoring.ingest.resolving import read_upload, resolve
from monitoring.ingest.types import (
    BATCH_KIND,
    KIND_NAMES,
    STATE_NAMES,
    UNIT_WORDS,
    AreaMatch,
    AreaQuestion,
    CommitResult,
    Preview,
    UndoResult,
    Upload,
)
from monitoring.ingest.validation import MAX_LISTED_WARNINGS

__all__ = [
    "BATCH_KIND",
    "BENCHMARK_NAMES",
    "CREATE_NEW",
    "KIND_NAMES",
    "MAX_LISTED_PROBLEMS",
    "MAX_LISTED_WARNINGS",
    "NO_CHANGES",
    "SOURCE_PREFIX",
    "STATE_NAMES",
    "STATUS_NAMES",
    "UNIT_WORDS",
    "AreaMatch",
    "AreaQuestion",
    "CommitResult",
    "Preview",
    "UndoResult",
    "Upload",
    "commit",
    "demo_removal_refusal",
    "history",
    "history_lines",
    "indicator_texts",
    "label_matcher",
    "measure_catalog",
    "preview",
    "problems_text",
    "read_upload",
    "remembered_areas",
    "remembered_mappings",
    "remove_demo",
    "report",
    "report_lines",
    "resolve",
    "shared_measures",
    "undo",
]
