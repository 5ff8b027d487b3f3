"""Reading LBF beboerdata (and similar lists) into one tidy frame plus a list of problems.
Pure (bytes in, `LbfTable` out): imports only `monitoring.fmt`/`names`, never the database.
"""

from monitoring.lbf.cells import (
    Grid,
    cell_text,
    column_index,
    column_letter,
    is_suppressed_text,
    match_key,
    parse_cell_text,
    parse_cells,
    year_of,
    years_in_text,
)
from monitoring.lbf.columns import (
    FRAME_COLUMNS,
    coded_column,
    no_texts,
    raw_text,
    recoded,
    repeated,
    row_keys,
)
from monitoring.lbf.detect import detect_layout
from monitoring.lbf.filecheck import XlsxParts, check_xlsx, megabytes, sniff_format
from monitoring.lbf.layout import LAYOUT_NAMES, LAYOUTS, SheetLayout, area_from_title
from monitoring.lbf.mapping import (
    FUZZY_SUGGEST,
    SYNONYMS_FILE,
    MappingProposal,
    MeasureInfo,
    label_summary,
    load_synonyms,
    propose_mapping,
    synonym_texts,
    unit_of_label,
)
from monitoring.lbf.problems import (
    ERROR,
    MAX_FILE_MB,
    WARNING,
    FileRejected,
    LayoutHint,
    Problem,
    ReadSettings,
)
from monitoring.lbf.tidy import NO_HEADER, LbfTable, read_table, sha256_of
from monitoring.lbf.xlsx import formulas_without_values, percent_cells

__all__ = [
    "ERROR",
    "FRAME_COLUMNS",
    "FUZZY_SUGGEST",
    "LAYOUTS",
    "LAYOUT_NAMES",
    "MAX_FILE_MB",
    "NO_HEADER",
    "SYNONYMS_FILE",
    "WARNING",
    "FileRejected",
    "Grid",
    "LayoutHint",
    "LbfTable",
    "MappingProposal",
    "MeasureInfo",
    "Problem",
    "ReadSettings",
    "SheetLayout",
    "XlsxParts",
    "area_from_title",
    "cell_text",
    "check_xlsx",
    "coded_column",
    "column_index",
    "column_letter",
    "detect_layout",
    "formulas_without_values",
    "is_suppressed_text",
    "label_summary",
    "load_synonyms",
    "match_key",
    "megabytes",
    "no_texts",
    "parse_cell_text",
    "parse_cells",
    "percent_cells",
    "propose_mapping",
    "raw_text",
    "read_table",
    "recoded",
    "repeated",
    "row_keys",
    "sha256_of",
    "sniff_format",
    "synonym_texts",
    "unit_of_label",
    "year_of",
    "years_in_text",
]
