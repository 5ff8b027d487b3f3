"""Indikatormonitor: follow a boligsocial helhedsplan's delmål and indikatorer year by year."""

import os

# python-docx needs lxml, and openpyxl parses with lxml whenever it is installed; keep openpyxl on
# defusedxml, which refuses entity expansion in uploaded workbooks. Set before openpyxl is imported.
os.environ.setdefault("OPENPYXL_LXML", "False")
