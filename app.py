"""Indikatormonitor: navigation. Each page in pages/ is one user task."""

import streamlit as st

st.set_page_config(page_title="Indikatormonitor", page_icon="📈", layout="wide")

navigation = st.navigation(
    [
        st.Page(
            "pages/overblik.py", title="Overblik", icon="🧭", url_path="overblik", default=True
        ),
        st.Page("pages/helhedsplan.py", title="Helhedsplan", icon="📊", url_path="helhedsplan"),
        st.Page("pages/delaftaler.py", title="Delaftaler", icon="📄", url_path="delaftaler"),
        st.Page(
            "pages/sammenlign.py", title="Sammenlign områder", icon="🔍", url_path="sammenlign"
        ),
    ]
)
navigation.run()
