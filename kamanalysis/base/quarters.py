"""Quarter labels written ``2026Q3``.

Examples
--------
>>> is_quarter("2026Q3"), is_quarter("2026-3"), is_quarter("2026Q5")
(True, False, False)
>>> quarter_range("2025Q3", "2026Q1")
['2025Q3', '2025Q4', '2026Q1']
>>> shift_quarter("2026Q1", -1), shift_quarter("2026Q1", -4)
('2025Q4', '2025Q1')
"""

from __future__ import annotations

import datetime as dt
import re

QUARTER_PATTERN = re.compile(r"^(\d{4})Q([1-4])$")


def is_quarter(label: object) -> bool:
    """Return True when ``label`` is a quarter written like ``2026Q3``."""
    return isinstance(label, str) and QUARTER_PATTERN.match(label) is not None


def parse_quarter(label: str) -> tuple[int, int]:
    """Split ``2026Q3`` into ``(2026, 3)``; raise ValueError on anything else.

    Examples
    --------
    >>> parse_quarter("2024Q4")
    (2024, 4)
    """
    match = QUARTER_PATTERN.match(label) if isinstance(label, str) else None
    if match is None:
        raise ValueError(f"expected a quarter written like 2026Q3, got {label!r}")
    return int(match.group(1)), int(match.group(2))


def _index(label: str) -> int:
    year, q = parse_quarter(label)
    return year * 4 + q - 1


def _label(index: int) -> str:
    return f"{index // 4}Q{index % 4 + 1}"


def shift_quarter(label: str, n: int) -> str:
    """Return the quarter ``n`` quarters after ``label`` (before, when ``n`` < 0)."""
    return _label(_index(label) + n)


def quarter_end(label: str) -> dt.date:
    """Return the last day of a quarter.

    Examples
    --------
    >>> quarter_end("2026Q3"), quarter_end("2024Q4")
    (datetime.date(2026, 9, 30), datetime.date(2024, 12, 31))
    """
    year, q = parse_quarter(label)
    first_of_next = dt.date(year + q // 4, q % 4 * 3 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


def quarter_range(first: str, last: str) -> list[str]:
    """Return every quarter from ``first`` to ``last``, both included."""
    return [_label(i) for i in range(_index(first), _index(last) + 1)]
