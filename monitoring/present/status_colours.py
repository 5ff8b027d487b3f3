"""The status colours, shared by the charts and the tables (Okabe–Ito: safe for colour blindness)."""

from __future__ import annotations

from monitoring.vocabulary import Status

STATUS_COLOURS = {
    Status.ON_TRACK: "#009E73",
    Status.UNCHANGED: "#56B4E9",
    Status.WRONG_WAY: "#D55E00",
    Status.MISSING: "#E69F00",
    Status.NOT_ASSESSED: "#999999",
}
LABEL_COLOURS = {status.label: colour for status, colour in STATUS_COLOURS.items()}


def status_tint(label: str) -> str | None:
    """A light tint (CSS colour) of a status label's colour; None for any other text."""
    colour = LABEL_COLOURS.get(label)
    if colour is None:
        return None
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, 0.22)"
