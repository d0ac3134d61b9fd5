"""How an engagement's files are read (issue 25): settings declared once, merged into the schema.

:mod:`kamanalysis.base.schema` takes them into its default settings and its data dictionary;
they sit here so that the schema stays one readable file.

Examples
--------
>>> READING_SETTINGS["decimal"], DECIMAL_MARKS
('.', ('.', ','))
"""

from __future__ import annotations

#: The decimal marks a number written as text may use (``engagement.decimal``).
DECIMAL_MARKS = (".", ",")

#: Settings of the ``[engagement]`` section that say how text cells are read.
READING_SETTINGS: dict = {"decimal": "."}

#: What each of them means, by dotted key.
READING_SETTING_NOTES = {
    "engagement.decimal": 'decimal mark of numbers written as text: "." (then "," may only '
    'group thousands, 5,913,042.96) or "," (2,5 and 5.913.042,96, as European Excel writes '
    'them; a point then only groups thousands); "2,5" with the default "." is an error, '
    "never 25",
}
