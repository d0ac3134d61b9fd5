"""Recurring themes in verbatim comments: what customers say again and again.

A comment is put in a theme by a simple, documented method:

1. its text is **normalised**: Unicode NFKC, lower case, punctuation removed, spaces
   collapsed (``"Our contact changed again!"`` -> ``"our contact changed again"``);
2. it belongs to the first theme of the keyword table one of whose keywords it contains
   (normalised the same way): the catalogue's rows ``theme.<dimension>.<theme>``
   (``kamanalysis/base/catalogue.csv``), keywords separated by ``;``, the English ones
   in the ``en`` column and the Chinese ones in ``zh`` (both are searched, whatever the
   report's language);
3. a comment no keyword matches is a theme of its own: its normalised text, so that the
   same words said twice are counted together.

A theme heard :data:`RECURRING` times or more (over all quarters and sources given) recurs.
The table is data: a consultant adds a theme or a keyword as a row of the catalogue.

Examples
--------
>>> import pandas as pd
>>> c = pd.DataFrame({"quarter": ["2026Q1", "2026Q2", "2026Q3", "2026Q3"],
...                   "source": ["key_account", "dealer", "key_account", "key_account"],
...                   "respondent_id": ["A1", "North", "B2", "C3"],
...                   "dimension": ["sales_staff", "sales_staff", "sales_staff", "price"],
...                   "comment": ["Our contact changed again", "Our contact changed again.",
...                               "A new contact, again", "Too dear"]})
>>> t = recurring_themes(c)
>>> t[["theme", "count", "quarters", "said"]].values.tolist()
[['contact_changed', 3, 3, 'Our contact changed again.']]
>>> normalise("  Deliveries   slipped, twice! ")
'deliveries slipped twice'
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import pandas as pd

from ..base.i18n import catalogue

#: The catalogue keys of the keyword table: ``theme.<dimension>.<theme>``.
THEME_KEYS = "theme."
#: A theme heard this many times or more recurs.
RECURRING = 3


def normalise(comment: object) -> str:
    """Normalise a comment: NFKC, lower case, no punctuation, single spaces."""
    plain = unicodedata.normalize("NFKC", str(comment)).lower()
    plain = re.sub(r"[^\w\s]|_", " ", plain)
    return re.sub(r"\s+", " ", plain).strip()


@cache
def keyword_table() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """Return the keyword table: (theme, dimension, normalised keywords), in catalogue order."""
    table = []
    for key, texts in catalogue().items():
        if key.startswith(THEME_KEYS):
            dimension, theme = key[len(THEME_KEYS) :].split(".", 1)
            words = ";".join(texts.values()).split(";")
            table.append((theme, dimension, tuple(normalise(k) for k in words if k.strip())))
    return tuple(table)


def theme_of(comment: object) -> tuple[str, str]:
    """Return (theme, dimension) of a comment; a comment no keyword matches: (its text, '').

    Examples
    --------
    >>> theme_of("Competitors quote lower"), theme_of("Nice people")
    (('price_undercut', 'price'), ('nice people', ''))
    """
    plain = normalise(comment)
    for theme, dimension, keywords in keyword_table():
        if any(k and k in plain for k in keywords):
            return theme, dimension
    return plain, ""


def recurring_themes(comments: pd.DataFrame, least: int = RECURRING) -> pd.DataFrame:
    """Group comments into themes and keep those heard ``least`` times or more.

    Parameters
    ----------
    comments : DataFrame
        ``quarter``, ``source``, ``respondent_id``, ``dimension`` and ``comment`` (blank
        comments are left out).
    least : int
        How many times a theme must be heard to recur.

    Returns
    -------
    DataFrame
        One row per recurring theme, the most heard first (then the most recent):
        ``theme``, ``dimension`` (the keyword table's, else the one most comments rated),
        ``count``, ``quarters`` (how many quarters it was heard in), ``first`` and
        ``last`` quarter, ``said`` (the latest verbatim of the words said most often, normalised),
        ``respondents`` (a list, the most frequent first) and ``sources`` (a list).
    """
    columns = ["theme", "dimension", "count", "quarters", "first", "last", "said"]
    columns += ["respondents", "sources"]
    text = comments["comment"] if "comment" in comments else pd.Series(dtype=object)
    rows = comments.loc[text.notna() & (text.astype(str).str.strip() != "")].copy()
    if rows.empty:
        return pd.DataFrame(columns=columns)
    found = [theme_of(c) for c in rows["comment"]]
    rows["theme"] = [t for t, _ in found]
    rows["_dimension"] = [d for _, d in found]
    rows["comment"] = rows["comment"].astype(str).str.strip()
    rows["quarter"] = rows["quarter"].astype(str)
    out = []
    for theme, group in rows.groupby("theme", sort=False):
        if len(group) < least:
            continue
        latest = group.sort_values("quarter", kind="stable")
        plain = latest["comment"].map(normalise)
        counts = plain.value_counts(sort=False)
        most = counts[counts == counts.max()].index  # the words said most often
        said = latest.loc[plain.isin(most), "comment"].iloc[-1]
        dimension = group["_dimension"].iloc[0] or group["dimension"].mode().iloc[0]
        out.append(
            {
                "theme": theme,
                "dimension": dimension,
                "count": len(group),
                "quarters": group["quarter"].nunique(),
                "first": latest["quarter"].iloc[0],
                "last": latest["quarter"].iloc[-1],
                "said": said,
                "respondents": list(group["respondent_id"].astype(str).value_counts().index),
                "sources": sorted(group["source"].astype(str).unique()),
            }
        )
    frame = pd.DataFrame(out, columns=columns)
    return frame.sort_values(["count", "last"], ascending=False, kind="stable").reset_index(
        drop=True
    )
