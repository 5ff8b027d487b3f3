"""Overblik: every helhedsplan on one screen with its indikatorer's statuses, for a first look."""

import streamlit as st

from app_pages.shared import all_progress, demo_banner, snapshot
from app_pages.signin import actor
from monitoring.access.roles import may
from monitoring.fmt import format_percent
from monitoring.present.plaintext import markdown_text
from monitoring.present.views import badge_markdown, plan_facts, status_counts

st.title("Overblik")
st.caption(
    "Alle helhedsplaner med status for deres indikatorer i det seneste år med data. "
    "Åbn en plan for at se delmål og indikatorer i detaljer."
)
plans = {p["slug"]: p for p in snapshot()["plans"]}
if not plans:
    st.info(
        "Der er ingen helhedsplaner i databasen endnu. Kør `python -m monitoring init` "
        "for at indlæse delaftalerne."
    )
    st.stop()
demo_banner(may(actor().role, "import-lbf"))

for result in all_progress():
    plan = plans[result["slug"]]
    facts = plan_facts(plan)
    with st.container(border=True):
        name_column, status_column = st.columns([2, 3], gap="large")
        with name_column:
            st.subheader(markdown_text(plan["name"]))
            st.markdown(
                f"**Kommune:** {markdown_text(facts['Kommune'])}  \n**Periode:** {facts['Periode']}"
            )
            st.progress(
                min(1.0, max(0.0, result["elapsed_share"] or 0.0)),
                text=f"{format_percent(result['elapsed_share'])} af perioden er gået "
                f"ved udgangen af {result['year'] or '–'}",
            )
            st.page_link(
                "app_pages/helhedsplan.py",
                label="Se helhedsplanen",
                icon=":material/arrow_forward:",
                query_params={"plan": plan["slug"]},
            )
        with status_column:  # one Markdown element: the browser draws it faster than one per line
            counts = status_counts(result)
            lines = [
                f"**Statusår {result['year'] or '–'}** &nbsp; "
                + " ".join(badge_markdown(status, f"{status}: {n}") for status, n in counts.items())
            ]
            for number, subgoal in enumerate(result["subgoals"], start=1):
                badges = " ".join(badge_markdown(ind["status"]) for ind in subgoal["indicators"])
                lines.append(f"**Delmål {number}:** {markdown_text(subgoal['text'])}  \n{badges}")
            st.markdown("\n\n".join(lines))
