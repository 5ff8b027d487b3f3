"""Brugere: administrators create users, change roles, passwords, and disable users.

On a store without users this is the first-run screen: it creates the first administrator.
"""

import pandas as pd
import streamlit as st

from app_pages.shared import engine, snapshot
from app_pages.signin import actor, sign_in
from monitoring.access import users
from monitoring.access.login import current_actor
from monitoring.access.roles import ROLE_TEXT
from monitoring.errors import MonitorError
from monitoring.present.plaintext import markdown_text
from monitoring.store.models import ROLES


def done(write, *args, **options) -> bool:
    """Run a user change; its Danish refusal is shown, its success remembered for the next run."""
    try:
        st.session_state.users_message = write(engine(), me.name, *args, **options)
    except MonitorError as error:
        st.error(markdown_text(error))
        return False
    return True


me = actor()
st.title("Brugere")
message = st.session_state.pop("users_message", None)
if message:
    st.success(markdown_text(message))

if me.open_mode:
    st.info(
        "Der er ingen brugere endnu, så Indikatormonitor er åben for alle, der kan nå adressen. "
        "Opret den første administrator; derefter kræver alle sider log-in."
    )
    with st.form("first_admin"):
        name = st.text_input("Brugernavn", max_chars=100)
        password = st.text_input("Adgangskode (mindst 8 tegn)", type="password")
        again = st.text_input("Gentag adgangskoden", type="password")
        if st.form_submit_button("Opret administrator", type="primary"):
            if password != again:
                st.error("De to adgangskoder er ikke ens; intet er gemt.")
            elif done(users.add_user, name, "administrator", password=password):
                sign_in(current_actor(engine(), name))
                st.rerun()
    st.stop()

listed = users.list_users(engine())
st.dataframe(
    pd.DataFrame(
        [
            {
                "Bruger": u["name"],
                "Rolle": u["role"],
                "Helhedsplaner": ", ".join(u["plans"]),
                "Kommuner": ", ".join(u["kommuner"]),
                "E-mail": u["email"] or "",
                "Adgangskode": "ja" if u["password"] else "nej (kun fælles log-in)",
                "Aktiv": "ja" if u["active"] else "spærret",
            }
            for u in listed
        ]
    ),
    hide_index=True,
    width="stretch",
)
with st.expander("Hvad må rollerne?"):
    st.markdown("\n".join(f"- **{role}**: {text}" for role, text in ROLE_TEXT.items()))

plans = {p["slug"]: p["name"] for p in snapshot()["plans"]}
kommuner = sorted({p["kommune"] for p in snapshot()["plans"]})
st.subheader("Opret bruger")
with st.form("add_user", clear_on_submit=True):
    name = st.text_input("Brugernavn", max_chars=100)
    role = st.selectbox("Rolle", ROLES)
    chosen_plans = st.multiselect("Helhedsplaner", list(plans), format_func=plans.get)
    chosen_kommuner = st.multiselect("Kommuner (koordinationsudvalg)", kommuner)
    email = st.text_input("E-mail (til fælles log-in, kan udelades)", max_chars=200)
    password = st.text_input("Adgangskode (kan udelades ved fælles log-in)", type="password")
    if st.form_submit_button("Opret", type="primary") and done(
        users.add_user,
        name,
        role,
        plans=chosen_plans,
        kommuner=chosen_kommuner,
        email=email or None,
        password=password or None,
    ):
        st.rerun()

names = [u["name"] for u in listed]
st.subheader("Ret bruger")
who = st.selectbox("Bruger", names, key="edit_user")
role_column, password_column, disable_column = st.columns(3)
with role_column:
    new_role = st.selectbox("Ny rolle", ROLES, key="edit_role")
    if st.button("Skift rolle") and done(users.set_role, who, new_role):
        st.rerun()
with password_column:
    new_password = st.text_input("Ny adgangskode", type="password", key="edit_password")
    if st.button("Skift adgangskode") and done(users.set_password, who, new_password):
        st.rerun()
with disable_column:
    if st.button("Spær brugeren", type="secondary") and done(users.disable_user, who):
        st.rerun()
