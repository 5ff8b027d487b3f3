"""Indikatormonitor: navigation. Each page in app_pages/ is one user task.

The page scripts live in app_pages/, not pages/: Streamlit treats a folder named pages/ next to
the main script as its legacy multipage mode, which serves a direct link such as /helhedsplan
without running this file (no navigation, no wide layout).
"""

import streamlit as st

st.set_page_config(page_title="Indikatormonitor", page_icon="📈", layout="wide")

navigation = st.navigation(
    [
        st.Page(
            "app_pages/overblik.py",
            title="Overblik",
            icon=":material/dashboard:",
            default=True,  # served at /, the address people open
        ),
        st.Page(
            "app_pages/helhedsplan.py",
            title="Helhedsplan",
            icon=":material/monitoring:",
            url_path="helhedsplan",
        ),
        st.Page(
            "app_pages/sammenlign.py",
            title="Sammenlign områder",
            icon=":material/compare_arrows:",
            url_path="sammenlign",
        ),
        st.Page(
            "app_pages/upload.py",
            title="Upload data",
            icon=":material/upload_file:",
            url_path="upload",
        ),
        st.Page(
            "app_pages/delaftaler.py",
            title="Delaftaler",
            icon=":material/description:",
            url_path="delaftaler",
        ),
    ]
)
navigation.run()
