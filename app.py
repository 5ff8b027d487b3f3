"""Indikatormonitor: navigation. Each page in app_pages/ is one user task.

The page scripts live in app_pages/, not pages/: Streamlit treats a folder named pages/ next to
the main script as its legacy multipage mode, which serves a direct link such as /helhedsplan
without running this file (no navigation, no wide layout).

Once the store has users, nobody sees a page but Log ind before logging in (app_pages/signin.py);
the pages a role cannot use are not offered, and the domain refuses their writes anyway.
"""

import streamlit as st

from app_pages.signin import sign_out, signed_in
from monitoring.access.roles import may
from monitoring.plaintext import markdown_text

st.set_page_config(page_title="Indikatormonitor", page_icon=":material/trending_up:", layout="wide")

user = signed_in()
if user is None:
    navigation = st.navigation(
        [st.Page("app_pages/login.py", title="Log ind", icon=":material/login:", default=True)]
    )
    navigation.run()
    st.stop()

pages = [
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
]
if may(user.role, "import-lbf"):
    pages.append(
        st.Page(
            "app_pages/upload.py",
            title="Upload data",
            icon=":material/upload_file:",
            url_path="upload",
        )
    )
pages.append(
    st.Page(
        "app_pages/delaftaler.py",
        title="Delaftaler",
        icon=":material/description:",
        url_path="delaftaler",
    )
)
if may(user.role, "user-add"):
    pages.append(
        st.Page(
            "app_pages/brugere.py", title="Brugere", icon=":material/group:", url_path="brugere"
        )
    )
navigation = st.navigation(pages)
with st.sidebar:
    if user.open_mode:
        st.caption(
            "Åben tilstand: der er ingen brugere endnu, så alle, der kan åbne adressen, kan alt. "
            "Opret den første administrator under *Brugere*."
        )
    else:
        st.caption(f"Logget ind som **{markdown_text(user.name)}** ({user.role})")
        st.button("Log ud", icon=":material/logout:", on_click=sign_out)
navigation.run()
