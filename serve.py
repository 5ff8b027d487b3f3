"""Indikatormonitor served with the route that keeps a log-in across page reloads.

`streamlit run serve.py` (what `make run` does) serves app.py as an `st.App` together with
app_pages/session_cookie.py's /api/sessie (under `--server.baseUrlPath`, if set); `streamlit run app.py` still works, but then a reload
asks for the password again.
"""

import streamlit as st

from app_pages.session_cookie import routes

app = st.App("app.py", routes=routes())  # under server.baseUrlPath when one is set

if __name__ == "__main__":
    app.run()
