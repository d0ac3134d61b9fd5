"""Private helpers the files of the account-manager method share.

- :func:`_blank`: a value left blank (None, NaN, pandas' NA, empty text).
- :func:`_lang`: the language of a text, checked (``en`` or ``zh``).
"""

from __future__ import annotations

import pandas as pd

from ...base._validation import describe, is_blank
from ...base.errors import InputValidationError, Problem


def _blank(value: object) -> bool:
    """Return True for None, NaN, pandas' NA and empty text."""
    return value is None or value is pd.NA or is_blank(value)


def _lang(lang: str) -> str:
    if lang not in ("en", "zh"):
        raise InputValidationError([Problem("managers", "en or zh", describe(lang), column="lang")])
    return lang
