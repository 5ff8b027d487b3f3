"""Names from files are data: keep them from acting as Markdown, HTML or spreadsheet formulas.

An area, plan, measure or label name comes from an uploaded file or a transcribed delaftale and
reaches four interpreters: Streamlit's Markdown (every st.markdown, header, caption, message and
widget label), the HTML of the reading tables (`present.html_table`), Plotly's subset of HTML
(titles, legends, tick labels, hover text, annotations) and Excel or LibreOffice opening a
download. Each gets the name through one function here, so
`![t](http://host/pixel.png)` stays those characters on the screen and `=HYPERLINK(...)` stays
text in the spreadsheet.
"""

from __future__ import annotations

import html
import re
from typing import Any

# Any ASCII punctuation character may be backslash-escaped in CommonMark. Escaping all that can
# mean something also covers GitHub's extensions (autolinks such as www.x.dk or a@b.dk, ~~, |) and
# Streamlit's (:red[...], :material/icon:, $math$); % , ; ? " ' and / never do, and stay readable.
_MARKDOWN_PUNCTUATION = re.compile(r"([!#$&()*+\-.:<=>@\[\\\]^_`{|}~])")
_LINE_BREAKS = re.compile(r"\r\n?|\n")
# GitHub's autolinks are found in the text after escapes are resolved (http://…, www.…, a@b.dk),
# so escaping cannot stop them: an invisible word joiner inside the pattern does.
WORD_JOINER = "\u2060"
_AUTOLINK_STARTS = re.compile(r"(?<=:)(?=//)|(?i:(?<=www)(?=\.))|(?<=@)")
# "26,0 %", "364.534 kr.", "1,2 pp.": a line never breaks between a number and its unit.
_NUMBER_AND_UNIT = re.compile(r"(?<=\d) (?=%|kr\.|pp\.|procentpoint)")
NO_BREAK_SPACE = "\u00a0"

# OWASP "CSV injection": a cell starting with one of these is read as a formula (full-width
# variants too, which some Excel locales convert). Whitespace in front does not stop Excel.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
FORMULA_ESCAPE = "'"


def markdown_text(text: Any) -> str:
    """`text` for any Streamlit Markdown sink, shown literally: no link, image, HTML or styling.

    Line breaks stay line breaks (Markdown hard breaks); leading and trailing spaces of a line go,
    since four of them would start a code block. Web and mail addresses get a WORD_JOINER (shown
    as nothing) after `:`/`@` or `www`, so they are not turned into links. A number keeps its
    unit on its line (a no-break space before "%", "kr.", "pp.").
    """
    lines = _LINE_BREAKS.split(str(text))
    return "  \n".join(
        _MARKDOWN_PUNCTUATION.sub(
            r"\\\1",
            _NUMBER_AND_UNIT.sub(
                NO_BREAK_SPACE, _AUTOLINK_STARTS.sub(WORD_JOINER, line.replace("\t", " ").strip())
            ),
        )
        for line in lines
    )


def html_text(text: Any) -> str:
    """`text` for HTML the app writes itself (the reading tables), shown literally: escaped,
    its line breaks kept, and a number on one line with its unit, as `markdown_text` does.

    A line may break after a "/" (`<wbr>`): "flygtninge/indvandrerbaggrund" is one word to a
    browser, and a table column is never narrower than its longest word.
    """
    return "<br>".join(
        html.escape(_NUMBER_AND_UNIT.sub(NO_BREAK_SPACE, line), quote=True).replace("/", "/<wbr>")
        for line in _LINE_BREAKS.split(str(text))
    )


def plot_text(text: Any) -> str:
    """`text` for a Plotly title, legend, tick label, hover text or annotation, shown literally.

    Plotly renders <a>, <b>, <br>, <span style> and friends in all of those; escaped `<`, `>` and
    `&` are shown as the characters themselves.
    """
    return html.escape(str(text), quote=False)


def spreadsheet_text(value: Any) -> Any:
    """A cell value for CSV and Excel downloads: text that would start a formula gets a `'` first.

    Only strings change; numbers (negative ones too) stay numbers.
    """
    if isinstance(value, str) and value.lstrip(" ")[:1] in FORMULA_STARTS:
        return FORMULA_ESCAPE + value
    return value
