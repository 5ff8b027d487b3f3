"""Plans side by side: the statuses of every plan's indicators, from the progress engine's result."""

from __future__ import annotations

from typing import Any

import pandas as pd

from monitoring.vocabulary import Status

STATUS_ORDER = tuple(status.label for status in Status)  # the summary's count columns


def plans_side_by_side(progress: list[dict[str, Any]]) -> dict[str, pd.DataFrame]:
    """Plans × their indicators' statuses, from the progress engine's `all_plans_progress`.

    Returns three frames:
    - "summary": one row per plan: Helhedsplan, Statusår, a count column per status, Indikatorer;
    - "matrix": plans (rows) × measures used by more than one plan (columns), the status text;
    - "detail": one row per indicator: Helhedsplan, Statusår, Delmål, Indikator, Status, Seneste
      værdi (number), Enhed, År for værdien.
    """
    summary_rows, detail_rows = [], []
    for plan in progress:
        counts = dict.fromkeys(STATUS_ORDER, 0)
        for number, subgoal in enumerate(plan.get("subgoals", []), start=1):
            for ind in subgoal.get("indicators", []):
                status = Status.from_text(
                    ind.get("status_code") or ind.get("status") or Status.NOT_ASSESSED
                ).label
                counts[status] += 1
                latest = ind.get("latest") or {}
                detail_rows.append(
                    {
                        "Helhedsplan": plan["plan"],
                        "Statusår": plan.get("year"),
                        "Delmål": f"{number}. {subgoal.get('text', '')}",
                        "Indikator": ind.get("name"),
                        "Mål": ind.get("measure_name") or ind.get("measure"),
                        "Område": ind.get("area"),
                        "Status": status,
                        "Seneste værdi": latest.get("value"),
                        "Enhed": ind.get("unit"),
                        "År for værdien": latest.get("year"),
                    }
                )
        summary_rows.append(
            {
                "Helhedsplan": plan["plan"],
                "Statusår": plan.get("year"),
                **counts,
                "Indikatorer": sum(counts.values()),
            }
        )
    summary = pd.DataFrame(
        summary_rows, columns=["Helhedsplan", "Statusår", *STATUS_ORDER, "Indikatorer"]
    )
    detail = pd.DataFrame(
        detail_rows,
        columns=[
            "Helhedsplan",
            "Statusår",
            "Delmål",
            "Indikator",
            "Mål",
            "Område",
            "Status",
            "Seneste værdi",
            "Enhed",
            "År for værdien",
        ],
    )
    detail["Seneste værdi"] = pd.to_numeric(detail["Seneste værdi"], errors="coerce")
    matrix = pd.DataFrame(index=pd.Index(summary["Helhedsplan"], name="Helhedsplan"))
    if len(detail):
        shared = detail.groupby("Mål")["Helhedsplan"].nunique()
        shared = shared[shared > 1].index
        cells = (
            detail[detail["Mål"].isin(shared)]
            .groupby(["Helhedsplan", "Mål"], sort=False)["Status"]
            .agg(lambda s: " / ".join(dict.fromkeys(s)))
            .unstack("Mål")
        )
        matrix = cells.reindex(summary["Helhedsplan"]).fillna("–")
        matrix.index.name = "Helhedsplan"
    return {"summary": summary, "matrix": matrix.reset_index(), "detail": detail}
