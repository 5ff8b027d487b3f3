"""Reading a delaftale document (.docx or text) into a plan, editing plans and their history.
A domain package: may import `store`, `seed`, `show`, `ingest.catalog`, `lbf` and the shared leaves; never `present`, `cli` or Streamlit.
"""
