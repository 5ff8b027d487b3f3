"""What a reader sees of Markdown the app escaped with `plaintext.markdown_text`."""

from __future__ import annotations

import re


def shown(markdown: str) -> str:
    """The text without its backslash escapes: "Import \\#6 gemt\\:" reads "Import #6 gemt:"."""
    return re.sub(r"\\(.)", r"\1", markdown)
