"""One catalogue of the report's words, in English and Chinese.

Every heading, label, finding and action a report shows comes from a data file a
consultant can edit in a spreadsheet: ``kamanalysis/catalogue.csv`` (columns ``key``,
``en``, ``zh``; texts may hold ``{placeholders}``). A test keeps both languages
complete and their placeholders the same.

Examples
--------
>>> text("section.forces", "zh")
'五力模型'
>>> text("report.title", "en", bu_name="Pumps & Valves", bu_id="PV", quarter="2026Q3")
'Pumps & Valves (PV): marketing-strategy diagnosis, 2026Q3'
>>> label("rivalry", "zh"), label("something else", "zh")
('同业竞争', 'something else')
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from ._validation import describe
from .errors import InputValidationError, Problem
from .paths import PACKAGE
from .schema import LANGUAGES

CATALOGUE_FILE = PACKAGE / "base" / "catalogue.csv"


@cache
def catalogue(path: str | Path = CATALOGUE_FILE) -> dict[str, dict[str, str]]:
    """Read the catalogue: key -> {language: text}.

    Raises
    ------
    InputValidationError
        A row without a key, a key twice, a language column missing or a text blank,
        each named by file, row and column.
    """
    path = Path(path)
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = rows[0] if rows else []
    problems = [
        Problem(path.name, f"a column named {lang}", "no such column", column=lang)
        for lang in ("key", *LANGUAGES)
        if lang not in header
    ]
    if problems:
        raise InputValidationError(problems)
    at = {name: header.index(name) for name in ("key", *LANGUAGES)}
    entries: dict[str, dict[str, str]] = {}
    first_row: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in at.items()}
        key = cells["key"]
        if not key:
            problems.append(Problem(path.name, "a key", "blank", row=number, column="key"))
            continue
        if key in entries:
            problems.append(
                Problem(
                    path.name,
                    "each key once",
                    f"{key} again (first in row {first_row[key]})",
                    row=number,
                    column="key",
                )
            )
            continue
        for lang in LANGUAGES:
            if not cells[lang]:
                problems.append(
                    Problem(path.name, f"a text for {key}", "blank", row=number, column=lang)
                )
        entries[key] = {lang: cells[lang] for lang in LANGUAGES}
        first_row[key] = number
    if problems:
        raise InputValidationError(problems)
    return entries


def _language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise InputValidationError(
            [Problem("i18n", "one of " + ", ".join(LANGUAGES), describe(lang), column="lang")]
        )
    return lang


def text(key: str, lang: str = "en", /, **values) -> str:
    """Return the catalogue's text for ``key`` in ``lang``, placeholders filled from ``values``.

    Raises
    ------
    InputValidationError
        An unknown language or key.
    """
    entries = catalogue()
    if key not in entries:
        raise InputValidationError(
            [Problem(CATALOGUE_FILE.name, "a known key", describe(key), column="key")]
        )
    template = entries[key][_language(lang)]
    return template.format(**values) if values else template


def label(value: object, lang: str = "en", *, kind: str | None = None) -> str:
    """Return the display name of an enumerated value, or the value itself.

    ``kind`` names the column the value comes from, for words that mean different
    things in different columns: ``value.<kind>.<v>`` is looked up first, then
    ``value.<v>``.

    Examples
    --------
    >>> label("buyer", kind="frustration"), label("buyer")
    ("buyer's frustration", 'buyer')
    """
    for key in ([f"value.{kind}.{value}"] if kind else []) + [f"value.{value}"]:
        if key in catalogue():
            return text(key, lang)
    return str(value)


def has(key: str) -> bool:
    """Return True when the catalogue has ``key``."""
    return key in catalogue()


#: How many items a list in a text names before it says how many more there are.
LISTED = 5


def short_list(items, shown: int = LISTED) -> str:
    """Join the first ``shown`` items with commas and add ``(+N)`` for the rest.

    Examples
    --------
    >>> short_list(["a", "b"]), short_list([f"A{i}" for i in range(1, 1202)], shown=3)
    ('a, b', 'A1, A2, A3 (+1,198)')
    """
    items = [str(item) for item in items]
    more = len(items) - shown
    return ", ".join(items[:shown]) + (f" (+{more:,})" if more > 0 else "")
