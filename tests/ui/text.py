"""What a reader sees of Markdown the app escaped with `plaintext.markdown_text`."""

from __future__ import annotations

import re


def shown(markdown: str) -> str:
    """The text without its backslash escapes: "Import \\#6 gemt\\:" reads "Import #6 gemt:";
    a no-break space (kept between a number and its unit) reads as a space."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u00a0", " ")
