"""The bestyrelse's yearly status: the projektleder's comments, and the report as PDF and Excel.

`content` gathers what both formats show from the same snapshot and progress result the
Helhedsplan page renders; `pdf` and `workbook` only lay it out. Nothing here imports Streamlit.
"""
