"""Frame cells to JSON values: NaN/NaT/None become null, floats are rounded to `JSON_DECIMALS`."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

JSON_DECIMALS = 6


def json_float(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return None
    return round(float(value), JSON_DECIMALS)


def json_int(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def json_bool(value: Any) -> bool | None:
    return None if value is None or pd.isna(value) else bool(value)


def json_text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def json_iso(value: Any) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()
