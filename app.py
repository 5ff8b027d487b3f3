"""Indikatormonitor: navigation. Each page in app_pages/ is one user task.

The page scripts live in app_pages/, not pages/: Streamlit treats a folder named pages/ next to
the main script as its legacy multipage mode, which serves a direct link such as /helhedsplan
without running this file (no navigation, no wide layout).

Once the store has users, nobody sees a page but Log ind before logging in (app_pages/signin.py);
the pages a role cannot use are not offered, and the domain refuses their writes anyway.
"""

import streamlit as st

from app_pages.screen_reader import danish_screen_reader_words
from app_pages.shared import begin_run
from app_pages.signin import hand_over_cookie, sign_out, signed_in
from app_pages.style import apply_style
from monitoring.access.roles import may
from monitoring.present.plaintext import markdown_text

st.set_page_config(page_title="Indikatormonitor", page_icon="📈", layout="wide")
begin_run()
apply_style()
danish_screen_reader_words()

# (script, title, icon, url path, the action a role needs to be offered the page)
PAGES = [
    ("overblik.py", "Overblik", "dashboard", None, None),  # default: served at /
    ("helhedsplan.py", "Helhedsplan", "monitoring", "helhedsplan", None),
    ("sammenlign.py", "Sammenlign områder", "compare_arrows", "sammenlign", None),
    ("upload.py", "Upload data", "upload_file", "upload", "import-lbf"),
    ("delaftaler.py", "Delaftaler", "description", "delaftaler", None),
    ("brugere.py", "Brugere", "group", "brugere", "user-add"),
]
user = signed_in()
if user is None:
    # Every page's address serves the log-in, so a shared link (/helhedsplan?plan=…) asks for the
    # password and then opens the page it names, instead of Streamlit's "page not found".
    st.navigation(
        [
            st.Page(
                "app_pages/login.py",
                title="Log ind",
                icon=":material/login:",
                url_path=url_path or "log-ind",
                default=url_path is None,
            )
            for _, _, _, url_path, _ in PAGES
        ],
        position="hidden",
    ).run()
    st.stop()

pages = [
    st.Page(
        f"app_pages/{script}",
        title=title,
        icon=f":material/{icon}:",
        url_path=url_path,
        default=url_path is None,
    )
    for script, title, icon, url_path, needs in PAGES
    if needs is None or may(user.role, needs)
]
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
hand_over_cookie()  # right after a log-in: the cookie that keeps it across a reload
navigation.run()
