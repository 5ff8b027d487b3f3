"""The one exception type whose message is meant for users, and helpers that keep it Danish."""

from __future__ import annotations

import errno
import re

_OS_ERRORS = {
    errno.ENOENT: "stien findes ikke",
    errno.ENOTDIR: "en del af stien er en fil, ikke en mappe",
    errno.EISDIR: "det er en mappe",
    errno.EACCES: "ingen adgang",
    errno.EPERM: "ingen adgang",
    errno.EROFS: "stedet er skrivebeskyttet",
    errno.ENOSPC: "disken er fuld",
    errno.ENAMETOOLONG: "navnet er for langt",
}


_SURROGATE = re.compile("[\ud800-\udfff]")


class MonitorError(Exception):
    """A problem the user can act on; the message is Danish and says what and where."""


def os_error_text(exc: OSError) -> str:
    """Why the operating system refused, in Danish (its own strerror is English)."""
    return _OS_ERRORS.get(exc.errno or 0, f"systemfejl nr. {exc.errno}")


def readable(text: str) -> str:
    """A path or argument as people can read it, also when its bytes are not UTF-8.

    Python keeps each undecodable byte of a file name or argument as a lone surrogate, which
    cannot be printed, stored or shown; such a byte is read as Windows-1252 instead (a Danish
    file name written by an old Windows program: "L\xf8vvangen.csv" is "Løvvangen.csv").
    """
    return _SURROGATE.sub(_byte_as_cp1252, text)


def _byte_as_cp1252(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:
        return bytes([code - 0xDC00]).decode("cp1252", "replace")
    return "\ufffd"
