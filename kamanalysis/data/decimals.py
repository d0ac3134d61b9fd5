"""Numbers written as text, with the engagement's decimal mark (``engagement.decimal``).

With the default ``"."``, a comma may only group thousands in threes (``5,913,042.96``); a
comma that can only be a decimal mark (``2,5``, ``5913042,96``, ``5.913.042,96``) is named
as such, never read as 25. With ``","`` the roles swap: ``2,5`` is 2.5, ``5.913.042,96`` is
5913042.96, and a point may only group thousands.

Examples
--------
>>> number_text("5,913,042.96"), number_text("2,5")
((5913042.96, None), (None, 'a decimal comma'))
>>> number_text("5.913.042,96", ","), number_text("2,5", ","), number_text("2.5", ",")
((5913042.96, None), (2.5, None), (None, 'a decimal point'))
>>> number_text("1,2,3"), number_text("abc")
((None, None), (None, None))
"""

from __future__ import annotations

import re

#: Thousands grouped by commas, a point for the decimals (or the reverse).
_GROUPED = {
    ".": re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?"),
    ",": re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?"),
}
#: A decimal mark between digits and nothing else.
_DECIMAL = {".": re.compile(r"[+-]?\d*\.\d+(?:[eE][+-]?\d+)?"), ",": re.compile(r"[+-]?\d*,\d+")}
_OTHER = {".": ",", ",": "."}
#: What a cell found with the other decimal mark is called, and what to do about it.
MARK_NAMES = {",": "a decimal comma", ".": "a decimal point"}
MARK_HINTS = {
    "a decimal comma": 'declare decimal = "," under [engagement] (engagement.decimal), '
    "or use a point",
    "a decimal point": 'the engagement declares decimal = ","; write a comma, '
    'or declare decimal = "."',
}


def number_text(text: str, decimal: str = ".") -> tuple[float | None, str | None]:
    """Read a number written as text; return ``(number, None)`` or ``(None, why or None)``.

    ``why`` is ``"a decimal comma"`` or ``"a decimal point"`` when the text is a number
    written with the other decimal mark; None when it is no number at all.
    """
    text = text.strip()
    other = _OTHER[decimal]
    if _GROUPED[decimal].fullmatch(text):
        text = text.replace(other, "")
    elif other in text:
        if _DECIMAL[other].fullmatch(text) or _GROUPED[other].fullmatch(text):
            return None, MARK_NAMES[other]
        return None, None
    if decimal == ",":
        text = text.replace(",", ".")
    try:
        return float(text), None
    except ValueError:
        return None, None
