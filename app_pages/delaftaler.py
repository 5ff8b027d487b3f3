"""Delaftaler: every helhedsplan's delmål and indikatorer as the signed delaftale states them."""

import streamlit as st

from app_pages.shared import snapshot
from monitoring.present.plaintext import markdown_table, markdown_text
from monitoring.present.views import indicator_count, indicator_table, plan_facts

st.title("Delaftaler")
st.caption(
    "Delmål og indikatorer som de står i de underskrevne delaftaler: baseline, anden baseline, "
    "mål og datakilde."
)

plans = snapshot()["plans"]
if not plans:
    st.info(
        "Der er ingen helhedsplaner i databasen endnu. Kør `python -m monitoring init` "
        "for at indlæse delaftalerne."
    )
    st.stop()

for plan in plans:
    subgoal_count, indicator_total = indicator_count(plan)
    with st.expander(
        f"**{markdown_text(plan['name'])}** · {markdown_text(plan['kommune'])} · "
        f"{subgoal_count} delmål, "
        f"{indicator_total} indikatorer",
        expanded=len(plans) == 1,
    ):
        for label, value in plan_facts(plan).items():
            st.markdown(f"**{label}:** {markdown_text(value)}")
        for agreement in plan["agreements"]:
            st.markdown(f"#### Indsatsområde: {markdown_text(agreement['area_of_effort'])}")
            for number, subgoal in enumerate(agreement["subgoals"], start=1):
                st.markdown(f"**Delmål {number}: {markdown_text(subgoal['text'])}**")
                st.table(markdown_table(indicator_table(subgoal)), hide_index=True)
