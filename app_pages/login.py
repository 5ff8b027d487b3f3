"""Log ind: the only page anyone sees before logging in, once the store has users."""

import streamlit as st

from app_pages.shared import engine
from app_pages.signin import sign_in, sso_configured
from monitoring.access.login import LoginRefused, log_in
from monitoring.present.plaintext import markdown_text

st.title("Log ind")
st.caption(
    "Indikatormonitor kræver log-in. Bed en administrator om en bruger, hvis du ikke har en."
)
notice = st.session_state.pop("login_notice", None)
if notice:
    st.info(markdown_text(notice))

with st.form("login"):
    name = st.text_input("Brugernavn", max_chars=100)
    password = st.text_input("Adgangskode", type="password", max_chars=200)
    if st.form_submit_button("Log ind", type="primary", icon=":material/login:"):
        try:
            sign_in(log_in(engine(), name, password))
        except LoginRefused as refusal:
            st.error(markdown_text(refusal))
        else:
            st.rerun()

if sso_configured():
    st.divider()
    st.button(
        "Log ind med fælles log-in (single sign-on)", on_click=st.login, icon=":material/key:"
    )
