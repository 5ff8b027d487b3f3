"""The import history's "Fjern demotal" button: the demo's one removal, for those allowed."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_pages.shared import demo_shown, engine, saved
from app_pages.signin import actor
from monitoring import ingest
from monitoring.present.plaintext import markdown_text


def demo_removal(batches: list[dict[str, Any]]) -> None:
    """Offer to remove the demo figures while any are loaded; a user who may not is told why."""
    if not demo_shown():
        return
    loaded = next((b for b in batches if b.get("demo") and b["can_undo"]), None)
    where = f" som import nr. {loaded['id']} ({loaded['new']} tal)" if loaded else ""
    st.markdown(
        f"**Demotal (opfundne)** er indlæst{where}. Fjern dem, når rigtige tal er indlæst: kun "
        "de opdigtede tal slettes; importerede og indtastede tal, kommentarer og delaftaler bevares."
    )
    me = actor()
    refusal = ingest.demo_removal_refusal(engine(), me.name)
    if refusal is not None:
        st.caption(markdown_text(refusal))
        return
    if st.button("Fjern demotal", icon=":material/delete_sweep:", key="remove_demo"):
        removed = saved(lambda: ingest.remove_demo(engine(), user=me.name))
        if removed is not None:
            st.session_state.upload_messages = [removed.message]
            st.rerun()
