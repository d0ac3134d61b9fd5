r"""A table's header and the shape of its rows: read right or refused, never guessed.

- **Delimiter**: Excel saves "CSV" with the list separator of the Windows it runs on (``;``
  where the decimal mark is a comma) and "Text" with tabs. When the header does not split on
  commas into the table's columns but does on ``;``, a tab or ``|``, the file is read with
  that delimiter and ``kam validate`` says so (:func:`sniff_delimiter`).
- **Duplicate columns**: two columns with one name are an error naming both positions (the
  last copy would otherwise win silently).
- **Misspelled columns**: a column that is not the table's but is close to one of its columns
  that the file lacks (``manager id``, ``Manager-ID``, ``manger_id``) is an error: "did you
  mean manager_id?". Other extra columns (a consultant's notes) are still ignored.
- **Long rows**: a CSV row with more fields than the header (an unquoted comma cut a comment
  in two) is an error naming the row.

Examples
--------
>>> from kamanalysis.base.schema import TABLES
>>> sniff_delimiter("bu_id;name;industry;key_account_organisation\nPV;x;y;z\n",
...                 TABLES["business_units"])
';'
>>> close_column("Manager ID", TABLES["accounts"], {"account_id", "bu_id", "name"})
'manager_id'
>>> close_column("notes", TABLES["accounts"], set())
"""

from __future__ import annotations

import difflib
import re

from ..base.errors import Problem
from ..base.schema import Table

#: Delimiters a header may use, comma first (it wins ties): delimiter -> how messages name it.
DELIMITERS = {",": "comma", ";": "';'", "\t": "tab", "|": "'|'"}


def sniff_delimiter(text: str, table: Table) -> str:
    """Return the delimiter that splits the header line into most of ``table``'s columns."""
    line = text.split("\n", 1)[0].rstrip("\r")
    known = {normalise(c) for c in table.column_names}

    def hits(delimiter: str) -> int:
        return sum(normalise(part.strip().strip('"')) in known for part in line.split(delimiter))

    counts = {d: hits(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] > counts[","] else ","


def normalise(name: str) -> str:
    """Return a column name as compared for misspellings: lower case, ``_`` for spaces and hyphens.

    Examples
    --------
    >>> normalise(" Manager-ID "), normalise("manager  id")
    ('manager_id', 'manager_id')
    """
    return re.sub(r"[\s\-_]+", "_", name.strip().lower())


def close_column(name: str, table: Table, present: set[str]) -> str | None:
    """Return the column of ``table`` that ``name`` likely misspells, if the header lacks it."""
    if name in table.column_names:
        return None
    candidates = [c for c in table.column_names if c not in present]
    wanted = normalise(name)
    exact = [c for c in candidates if c == wanted]
    if exact:
        return exact[0]
    close = difflib.get_close_matches(wanted, candidates, n=1, cutoff=0.85)
    return close[0] if close else None


def header_problems(
    table: Table, file: str, sheet: str | None, header: list[str], problems: list[Problem]
) -> set[str]:
    """Record duplicate and misspelled columns; return the columns a misspelling stands for."""
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if not name:
            continue
        if name in seen:
            first, second = _position(seen[name], sheet), _position(i, sheet)
            problems.append(
                Problem(
                    file,
                    "each column once",
                    f"{name} twice, in columns {first} and {second}",
                    row=1,
                    column=name,
                    sheet=sheet,
                )
            )
        else:
            seen[name] = i
    meant = set()
    present = set(seen)
    for name in seen:
        known = close_column(name, table, present | meant)
        if known is not None:
            meant.add(known)
            problems.append(
                Problem(
                    file,
                    f"a column of {table.name} (other columns are ignored)",
                    f'"{name}": did you mean {known}?',
                    row=1,
                    column=name,
                    sheet=sheet,
                )
            )
    return meant


def _position(index: int, sheet: str | None) -> str:
    """Return a column's position as shown: a letter in a workbook, a number in a CSV."""
    if sheet is None:
        return str(index + 1)
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def long_rows(file: str, width: int, long: tuple, delimiter: str = ",") -> list[Problem]:
    """Problems for the CSV records ``(row, fields)`` longer than the header (``width``).

    Even when the extra field is blank: a comment cut in two pushes a blank last field
    out of the row.

    Examples
    --------
    >>> [str(p) for p in long_rows("feedback.csv", 9, ((7, 10),))]  # doctest: +NORMALIZE_WHITESPACE
    ['feedback.csv row 7: expected text holding a comma in double quotes,
      got 10 fields where the header has 9: an unquoted comma?']
    """
    name = DELIMITERS[delimiter]
    return [
        Problem(
            file,
            f"text holding a {name} in double quotes",
            f"{fields} fields where the header has {width}: an unquoted {name}?",
            row=row,
        )
        for row, fields in long
    ]
