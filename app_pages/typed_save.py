"""The *Indtast tal* save button: typed figures that revise a signed baseline (an indikator's or a
comparator's) are saved only after the warning was shown and the user confirmed, as for a file."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.shared import engine, saved
from monitoring import ingest
from monitoring.manual_entry import changed_cells, entry_file
from monitoring.present.plaintext import markdown_text
from monitoring.present.upload_views import problems_table

_PENDING = "entry_pending"  # {"changes": [...], "warnings": [...]} awaiting "Gem alligevel"


def _commit(typed: ingest.Upload, user: str) -> None:
    result = saved(lambda: ingest.commit(engine(), typed, user=user))
    if result is not None:
        st.session_state.pop(_PENDING, None)
        st.session_state.upload_messages = [result.message]
        st.rerun()


def save_typed(grid: pd.DataFrame, edited: pd.DataFrame, file_name: str, user: str) -> None:
    """The button; a warning and "Gem alligevel" when the typed figures revise a baseline."""
    changes = changed_cells(grid, edited)
    pending = st.session_state.get(_PENDING)
    if pending is not None and pending["changes"] != changes:  # edited since the warning
        st.session_state.pop(_PENDING)
        pending = None
    if st.button("Gem indtastede tal", type="primary", icon=":material/save:"):
        if not changes:
            st.info("Ingen ændringer: der er ikke skrevet nye tal.")
            return
        typed = ingest.read_upload(engine(), entry_file(changes), file_name)
        if typed.blocking:
            st.error("**Tallene kan ikke gemmes.** Intet er gemt.")
            st.dataframe(problems_table(typed.errors), hide_index=True, width="stretch")
            return
        warnings = [w.message for w in ingest.preview(engine(), typed, actor=user).warnings]
        if not warnings:
            _commit(typed, user)
            return
        pending = st.session_state[_PENDING] = {"changes": changes, "warnings": warnings}
    if pending is None:
        return
    for warning in pending["warnings"]:
        st.warning(markdown_text(warning), icon=":material/history_edu:")
    st.caption("Intet er gemt endnu. Gem tallene alligevel, eller ret dem i tabellen ovenfor.")
    if st.button("Gem alligevel", icon=":material/save:", key="entry_confirm"):
        _commit(ingest.read_upload(engine(), entry_file(changes), file_name), user)
