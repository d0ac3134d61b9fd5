"""Shared checks: allowed values, ratings on their scale, weight sums, required columns.

Every function here returns problems or error texts instead of raising, so that
callers can collect all problems in one pass.

Examples
--------
>>> weights_total_ok(1.0 + 1e-9), weights_total_ok(100.0), weights_total_ok(1.05)
(True, True, False)
"""

from __future__ import annotations

import math
import numbers

from .errors import SHOWN, InputValidationError, Problem
from .markup import plain

WEIGHT_TOLERANCE = 1e-6


def describe(value: object) -> str:
    r"""Quote a found value for a message: text in double quotes, numbers bare.

    Control characters are written out (:func:`~kamanalysis.base.markup.plain`): a
    terminal escape in the data cannot colour, move or hide what a message says.

    Examples
    --------
    >>> describe("abc"), describe(9), describe(2.5), describe(None)
    ('"abc"', '9', '2.5', 'blank')
    >>> print(describe("\x1b[2K\rall checks passed"))
    "\x1b[2K all checks passed"

    Long text is cut (:data:`~kamanalysis.base.errors.SHOWN` characters) and its length given:

    >>> describe("x" * 1_000_000)[-30:]
    'xxxxx…" (1,000,000 characters)'
    """
    if is_blank(value):
        return "blank"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Number):
        return f"{value:g}" if isinstance(value, float) else str(value)
    text = str(value)
    if len(text) > SHOWN:
        return f'"{plain(text[:SHOWN])}…" ({len(text):,} characters)'
    return f'"{plain(text)}"'


def is_blank(value: object) -> bool:
    """Return True for None, NaN and text that is empty or only spaces."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def weights_total_ok(total: float, *, tolerance: float = WEIGHT_TOLERANCE) -> bool:
    """Return True when ``total`` is 1 (fractions) or 100 (percent) within ``tolerance``."""
    return abs(total - 1.0) <= tolerance or abs(total - 100.0) <= tolerance


def row_span(rows: list[int]) -> str | int:
    """Name a set of file rows compactly: one number, or ``first-last``.

    Examples
    --------
    >>> row_span([7]), row_span([9, 4, 5])
    (7, '4-9')
    """
    if len(rows) == 1:
        return rows[0]
    return f"{min(rows)}-{max(rows)}"


def require_columns(frame, columns, *, where: str) -> None:
    """Raise InputValidationError naming every column of ``columns`` missing from ``frame``.

    Examples
    --------
    >>> import pandas as pd
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], where="score_pest")
    Traceback (most recent call last):
    ...
    kamanalysis.base.errors.InputValidationError: 1 problem found:
      - score_pest, column b: expected a column named b, got no such column
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputValidationError(
            [Problem(where, f"a column named {c}", "no such column", column=c) for c in missing]
        )


def check_ratings(frame, column: str, scale, *, where: str, label_by: str) -> list:
    """Return problems for ratings in ``frame[column]`` that are missing or off ``scale``.

    ``label_by`` names the column whose value identifies the row in messages.
    """
    lo, hi = scale
    problems = []
    for label, value in zip(frame[label_by], frame[column], strict=True):
        where_col = f"{column} of {label!r}"
        if value is None or (isinstance(value, float) and math.isnan(value)):
            problems.append(
                Problem(where, f"a rating from {lo:g} to {hi:g}", "blank", column=where_col)
            )
        elif not lo <= value <= hi:
            problems.append(
                Problem(where, f"a rating from {lo:g} to {hi:g}", describe(value), column=where_col)
            )
    return problems


def check_allowed(frame, column: str, allowed, *, where: str, label_by: str) -> list:
    """Return problems for values of ``frame[column]`` that are not among ``allowed``.

    ``label_by`` names the column whose value identifies the row in messages.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"factor": ["a", "b"], "effect": ["threat", "risk"]})
    >>> for p in check_allowed(t, "effect", ("opportunity", "threat"),
    ...                        where="score_pest", label_by="factor"):
    ...     print(p)
    score_pest, column effect of 'b': expected one of opportunity, threat, got "risk"
    """
    allowed = tuple(allowed)
    expected = "one of " + ", ".join(str(a) for a in allowed)
    values = frame[column].tolist()
    bad = [i for i, value in enumerate(values) if value not in allowed]
    labels = frame[label_by].tolist() if bad else []
    return [
        Problem(where, expected, describe(values[i]), column=f"{column} of {labels[i]!r}")
        for i in bad
    ]


def rating_problem(raw: object, value: float, scale, *, where: str, column: str):
    """Return the problem of one rating (not a number, or off ``scale``), or None.

    ``raw`` is the value as given, ``value`` the number read from it (NaN when none).

    Examples
    --------
    >>> print(rating_problem("x", float("nan"), (1, 5), where="f", column="rating of 'a'"))
    f, column rating of 'a': expected a number, got "x"
    >>> print(rating_problem(6, 6.0, (1, 5), where="f", column="rating of 'a'"))
    f, column rating of 'a': expected a rating from 1 to 5, got 6
    >>> rating_problem(4, 4.0, (1, 5), where="f", column="rating of 'a'") is None
    True
    """
    if value is None or value != value:  # NaN
        return Problem(where, "a number", describe(raw), column=column)
    if scale is not None and not scale[0] <= value <= scale[1]:
        return Problem(
            where, f"a rating from {scale[0]:g} to {scale[1]:g}", describe(value), column=column
        )
    return None


def read_rule_rows(path, columns) -> list[dict]:
    """Read a rules-like CSV file of the package (UTF-8, a header row) as a list of dicts.

    The package's own tables that a consultant may edit (the findings' ``rules.csv``, the
    TOWS patterns) are read the same way: every column of ``columns`` missing from the
    header is named at once, as :class:`InputValidationError` problems on the file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text(chr(10).join(["a,b", "1,2", ""]), encoding="utf-8")
    >>> read_rule_rows(p, ["a", "b"])
    [{'a': '1', 'b': '2'}]
    >>> read_rule_rows(p, ["a", "c"])
    Traceback (most recent call last):
    ...
    kamanalysis.base.errors.InputValidationError: 1 problem found:
      - t.csv, column c: expected a column named c, got no such column
    """
    import csv
    from pathlib import Path

    path = Path(path)
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    header = list(reader.fieldnames or [])
    problems = [
        Problem(path.name, f"a column named {c}", "no such column", column=c)
        for c in columns
        if c not in header
    ]
    if problems:
        raise InputValidationError(problems)
    return rows
