"""Presentation: Danish display tables, charts, plain-text and file exports for pages and reports.
May import the domain (store, progress, compare, lbf, ingest, fmt, vocabulary); never Streamlit."""
