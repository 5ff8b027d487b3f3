"""Streamlit's own words for screen readers, in Danish.

Streamlit 1.67 writes English into attributes a reader never sees but a screen reader says:
"Collapse sidebar", "Choose an option", "Help for Mål", "Show password", "trending_up icon".
It has no setting for them, so one small script on every page puts the Danish words in as the
elements arrive. It looks only at the nodes each change adds (never the whole page), so it costs
the page's load nothing measurable. Icons that stand beside their own text are hidden from
screen readers instead of being named in English.
"""

from __future__ import annotations

import json

import streamlit as st

# Streamlit's words (exact attribute values) and the Danish a screen reader should say instead.
DANISH = {
    "Sidebar": "Sidepanel",
    "Collapse sidebar": "Skjul sidepanelet",
    "Expand sidebar": "Vis sidepanelet",
    "App pages": "Sider",
    "Link to heading": "Link til overskriften",
    "progress": "Fremdrift",
    "Choose an option": "Vælg",
    "Choose options": "Vælg",
    "Open": "Åbn",
    "Clear all": "Ryd alt",
    "Clear value": "Ryd",
    "file upload": "Vælg fil",
    "Remove": "Fjern",
    "Add files": "Tilføj filer",
    "Show password": "Vis adgangskode",
    "Hide password": "Skjul adgangskode",
    "Show/hide columns": "Vis eller skjul kolonner",
    "Download as CSV": "Hent som CSV",
    "Search": "Søg",
    "Fullscreen": "Fuld skærm",
    "Close fullscreen": "Luk fuld skærm",
}
# "Help for Mål" → "Hjælp til Mål", "Remove fil.xlsx" → "Fjern fil.xlsx"; "trending_up icon" →
# hidden (its text stands beside it).
PREFIXES = {"Help for ": "Hjælp til ", "Remove ": "Fjern "}
ATTRIBUTES = ("aria-label", "placeholder", "title")

MARKER = "monitor-script"  # app_pages/style.py hides the element that carries the script
SCRIPT = """<div class="MARKER" hidden></div><script>
(() => {
  if (window.__danishLabels) return;
  window.__danishLabels = true;
  const words = WORDS, prefixes = PREFIXES, attributes = ATTRIBUTES;
  const translate = (element) => {
    for (const name of attributes) {
      const value = element.getAttribute(name);
      if (!value) continue;
      if (value in words) { element.setAttribute(name, words[value]); continue; }
      for (const [english, danish] of Object.entries(prefixes)) {
        if (value.startsWith(english)) element.setAttribute(name, danish + value.slice(english.length));
      }
      if (name === "aria-label" && /^[a-z_]+ icon$/.test(value)) {
        element.removeAttribute(name);
        element.setAttribute("aria-hidden", "true");
      }
    }
  };
  const selector = attributes.map(name => `[${name}]`).join(",");
  const visit = (node) => {
    if (node.nodeType !== 1) return;
    translate(node);
    for (const element of node.querySelectorAll(selector)) translate(element);
  };
  visit(document.body);
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === "attributes") translate(change.target);
      else for (const node of change.addedNodes) visit(node);
    }
  }).observe(document.body, {subtree: true, childList: true, attributes: true,
                             attributeFilter: attributes});
})();
</script>"""


def danish_screen_reader_words() -> None:
    """Put the script on the page (it runs once per browser tab; its element takes no room)."""
    script = (
        SCRIPT.replace("WORDS", json.dumps(DANISH, ensure_ascii=False))
        .replace("PREFIXES", json.dumps(PREFIXES, ensure_ascii=False))
        .replace("ATTRIBUTES", json.dumps(list(ATTRIBUTES)))
        .replace("MARKER", MARKER)
    )
    st.html(script, unsafe_allow_javascript=True)
