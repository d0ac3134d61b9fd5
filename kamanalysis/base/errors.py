"""One error family for kamanalysis.

Every error the package raises on purpose derives from :class:`KamAnalysisError`;
the input errors also derive from :class:`ValueError`, so callers that already
catch ``ValueError`` keep working.

Examples
--------
>>> from kamanalysis.base.errors import InputValidationError, Problem
>>> p = Problem(file="accounts.csv", row=17, column="payment_days",
...             expected="a number >= 0", found='"abc"')
>>> str(p)
'accounts.csv row 17, column payment_days: expected a number >= 0, got "abc"'
>>> err = InputValidationError([p])
>>> isinstance(err, ValueError), len(err.problems)
(True, 1)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: The longest found value or column name a message shows whole; a longer one is cut there.
SHOWN = 80


def shorten(text: str, limit: int = SHOWN) -> str:
    """Cut ``text`` to ``limit`` characters with an ellipsis and its length, if longer.

    A megabyte pasted into one cell is named by its start, not echoed whole.

    Examples
    --------
    >>> shorten("abc")
    'abc'
    >>> shorten("x" * 1_000_000, 5)
    'xxxxx… (1,000,000 characters)'
    """
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


class KamAnalysisError(Exception):
    """Base class of every error kamanalysis raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as the user sees it.

    Parameters
    ----------
    file : str
        File name (``accounts.csv``, ``engagement.xlsx``) or function name.
    expected : str
        What the value should have been.
    found : str
        What was there instead (already quoted where it is text).
    row : int or str, optional
        Row number as shown in the file (the header is row 1), or a range such as ``"2-11"``.
    column : str, optional
        Column (or setting key) concerned.
    sheet : str, optional
        Sheet name, for workbooks.
    kind : str
        A short category (``"value"``, ``"weights"``, ``"missing"``, ...), for filtering.
    """

    file: str
    expected: str
    found: str
    row: int | str | None = None
    column: str | None = None
    sheet: str | None = None
    kind: str = "value"

    def location(self) -> str:
        """Return ``file [sheet] row R, column C`` with the parts that are known."""
        where = self.file
        if self.sheet:
            where += f" [{self.sheet}]"
        if self.row is not None:
            where += f" row {self.row}" if not isinstance(self.row, str) else f" rows {self.row}"
        if self.column:
            where += f", column {shorten(self.column)}"
        return where

    def __str__(self) -> str:
        # a found value is already cut to SHOWN by describe(); the rest of the text is ours
        return f"{self.location()}: expected {self.expected}, got {shorten(self.found, 4 * SHOWN)}"


class InputValidationError(KamAnalysisError, ValueError):
    """Input data or arguments are not what the analysis needs.

    Carries every :class:`Problem` found in one pass in ``problems``; the
    message lists them one per line.
    """

    def __init__(self, problems: Iterable[Problem] | str):
        if isinstance(problems, str):
            self.problems: list[Problem] = []
            message = problems
        else:
            self.problems = list(problems)
            n = len(self.problems)
            head = f"{n} problem{'s' if n != 1 else ''} found:"
            message = "\n".join([head, *(f"  - {p}" for p in self.problems)])
        super().__init__(message)


class InvalidWeightsError(InputValidationError):
    """Weights are negative or do not sum to 1 (fractions) or 100 (percent)."""


def raise_if_any(problems: list[Problem]) -> None:
    """Raise the most specific error that covers every problem, if there are any.

    Examples
    --------
    >>> raise_if_any([])
    >>> raise_if_any([Problem("w", "weights summing to 1", "1.05", kind="weights")])
    Traceback (most recent call last):
    ...
    kamanalysis.base.errors.InvalidWeightsError: 1 problem found:
      - w: expected weights summing to 1, got 1.05
    """
    if not problems:
        return
    if all(p.kind == "weights" for p in problems):
        raise InvalidWeightsError(problems)
    raise InputValidationError(problems)


class ReportError(KamAnalysisError, RuntimeError):
    """A BU's report could not be produced; nothing in the output folder was changed."""
