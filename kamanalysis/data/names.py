"""The names a report shows in its language (issue 20), and the checks of the name columns.

An engagement may give every named thing (business unit, account, contact, manager, factor,
company benchmarked) a name in Chinese (``<column>_zh``) and in English (``<column>_en``):
:mod:`kamanalysis.base.names` declares the columns and the rule. Here:

- :func:`display_names`: the name to show for each id (or each factor, each company) in a
  language: what :meth:`~kamanalysis.data.engagement.Engagement.display_name` answers;
- :func:`localise`: the tables as a report in a language shows them, every named column
  holding the name in that language where given (what
  :meth:`~kamanalysis.data.engagement.Engagement.named` returns): the tools and texts then
  name everything in the report's language without knowing of it;
- :func:`check_names`: a factor or company has one name per language on all its rows, and no
  two of them share a name in one table and BU (the report would merge them).

Examples
--------
>>> import pandas as pd
>>> pest = pd.DataFrame({"bu_id": ["PV", "PV"], "factor": ["Tariffs", "Rates"],
...                      "factor_zh": ["关税", None]})
>>> localise({"pest": pest}, "zh")["pest"]["factor"].tolist()
['关税', 'Rates']
>>> display_names({"pest": pest}, "factor", "zh").to_dict()
{'Tariffs': '关税', 'Rates': 'Rates'}
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..base.errors import Problem
from ..base.names import NAME_IDS, NAME_KINDS, NAME_LANGUAGES, NAMED_BY, NAMED_COLUMNS, is_blank

Frames = Mapping[str, pd.DataFrame]


def _given(column: pd.Series) -> pd.Series:
    """Return the names given in a name column, stripped; blank (or only spaces) is NA."""
    given = column.astype("string").str.strip()
    return given.where(given.fillna("") != "")


def _shown(frame: pd.DataFrame, column: str, lang: str) -> pd.Series:
    """Return the column as shown in ``lang``: ``<column>_<lang>`` where given, else the column."""
    base = frame[column]
    other = f"{column}_{lang}"
    if other not in frame.columns:
        return base
    return _given(frame[other]).fillna(base).astype(base.dtype)


def display_names(tables: Frames, kind: str, lang: str) -> pd.Series:
    """Return the name to show for every thing of a ``kind`` in ``lang``, by id or by name.

    ``kind`` is one of :data:`~kamanalysis.base.names.NAME_KINDS`: ``bu``, ``account``,
    ``contact`` and ``manager`` are indexed by their ids (as text); ``factor`` and
    ``company`` by the name in the data.
    """
    if kind not in NAME_KINDS:
        raise KeyError(f"no names of {kind!r}; one of {', '.join(NAME_KINDS)}")
    parts = []
    for table, column in NAME_KINDS[kind]:
        frame = tables.get(table)
        if frame is None or column not in frame.columns:
            continue
        key = frame[NAME_IDS[table]] if table in NAME_IDS else frame[column]
        shown = (_shown if table in NAME_IDS else _first_names)(frame, column, lang)
        shown = shown.astype(object).to_numpy()
        parts.append(pd.Series(shown, index=key.astype(str).to_numpy(), dtype=object))
    if not parts:
        return pd.Series(dtype=object)
    names = pd.concat(parts)
    return names[~names.index.duplicated(keep="first")]


def _first_names(frame: pd.DataFrame, column: str, lang: str) -> pd.Series:
    """Return the column shown in ``lang``, each name as most of its rows give it (ties: first).

    Rows leaving the name in ``lang`` blank take it from the others: one name per factor.
    """
    other = f"{column}_{lang}"
    if other not in frame.columns:
        return frame[column]
    given = frame[other].astype("string").str.strip()
    pairs = pd.DataFrame({"name": frame[column].to_numpy(), "given": given.to_numpy()})
    pairs = pairs.loc[pairs["given"].fillna("") != ""]
    counts = pairs.groupby(["name", "given"], sort=False).size().rename("n").reset_index()
    usual = counts.sort_values("n", ascending=False, kind="stable").drop_duplicates("name")
    shown = frame[column].map(usual.set_index("name")["given"]).astype(object)
    return shown.where(shown.notna(), frame[column]).astype(frame[column].dtype)


def localise(tables: Frames, lang: str, *, keep: bool = True) -> dict[str, pd.DataFrame]:
    """Return the tables with every named column holding its name in ``lang`` where given.

    A factor or company takes the name most of its rows give it, so that every row of one
    factor shows one name (:func:`check_names` makes sure they agree). ``keep=False``
    leaves the name columns (``name_zh``, ``name_en``, ...) out: their work is done.
    """
    out = dict(tables)
    for table, columns in NAMED_COLUMNS.items():
        frame = tables.get(table)
        if frame is None:
            continue
        new = {}
        for column in columns:
            other = f"{column}_{lang}"
            if other not in frame.columns or not _given(frame[other]).notna().any():
                continue
            if table in NAME_IDS:
                new[column] = _shown(frame, column, lang)
            else:
                new[column] = _first_names(frame, column, lang)
        if new:
            frame = frame.assign(**new)
        if not keep:
            names = [f"{c}_{other}" for c in columns for other in NAME_LANGUAGES]
            frame = frame.drop(columns=[c for c in names if c in frame.columns])
        out[table] = frame
    for (table, column), (source, named) in NAMED_BY.items():
        frame, names = tables.get(table), tables.get(source)
        if frame is None or names is None or f"{named}_{lang}" not in names.columns:
            continue
        shown = pd.Series(_shown(names, named, lang).to_numpy(), index=names[named].to_numpy())
        shown = shown[~shown.index.duplicated(keep="first")]
        mapped = frame[column].map(shown).astype(object)
        kept = mapped.where(mapped.notna(), frame[column]).astype(frame[column].dtype)
        out[table] = out[table].assign(**{column: kept})
    return out


def check_names(tables: Frames, raws, problems: list[Problem]) -> None:
    """Check the name columns: one name per language for a factor or company, none shared.

    On the tables of factors and companies (not keyed by an id): every row of one factor
    gives it the same ``_zh`` (``_en``) name, or leaves it blank; and in one BU's rows of a
    table, two factors (companies) do not show the same name in a language, which would
    merge them in a report.
    """
    for table, columns in NAMED_COLUMNS.items():
        frame = tables.get(table)
        if table in NAME_IDS or table not in raws or frame is None or frame.empty:
            continue
        raw = raws[table]
        for column in columns:
            for lang in NAME_LANGUAGES:
                other = f"{column}_{lang}"
                if other not in frame.columns:
                    continue
                given = _given(frame[other])
                if given.isna().all():  # no name in this language: nothing to disagree on
                    continue
                if _any_two(frame[column], given, by=[frame[column]]):
                    _one_name(frame, raw, column, other, problems)
                shown = _first_names(frame, column, lang)
                if _any_two(shown, frame[column], by=[frame["bu_id"], shown]):
                    _not_shared(frame, raw, column, lang, problems, shown)


def _any_two(key: pd.Series, values: pd.Series, by: list[pd.Series]) -> bool:
    """Whether some group of rows (``by``) holds two different ``values``, blank rows aside.

    Rows where ``key`` or ``values`` is blank are left out; values and groups are compared
    as the texts they are, as the checks below compare them. The checks walk the rows only
    when this finds something to report: most engagements have nothing.
    """
    keep = _given(key).notna() & _given(values).notna()
    if not keep.any():
        return False
    groups = [b.astype("string")[keep] for b in by]
    text = values.astype("string")[keep]
    return bool(text.groupby(groups, sort=False, dropna=False).nunique().gt(1).any())


def _one_name(frame: pd.DataFrame, raw, column: str, other: str, problems: list) -> None:
    """Report the rows giving a name another name than most of its rows (ties: the first)."""
    given = frame[other].astype("string").str.strip()
    rows: dict[str, dict[str, list[int]]] = {}
    for i, (name, value) in enumerate(zip(frame[column], given, strict=True)):
        if not (is_blank(name) or is_blank(value)):
            rows.setdefault(str(name), {}).setdefault(str(value), []).append(i)
    for name, values in rows.items():
        if len(values) < 2:
            continue
        usual, where = max(values.items(), key=lambda item: len(item[1]))  # first of a tie
        for value, found in values.items():
            for i in found if value != usual else ():
                problems.append(
                    Problem(
                        raw.file,
                        f'"{usual}", the {other} of {column} "{name}" on {len(where)} other '
                        f"rows (first row {raw.rows[where[0]]}), or blank",
                        f'"{value}"',
                        row=raw.rows[i],
                        column=other,
                        sheet=raw.sheet,
                    )
                )


def _not_shared(
    frame: pd.DataFrame, raw, column: str, lang: str, problems: list, shown: pd.Series
) -> None:
    """Report the names shown in ``lang`` (``shown``) that two factors of one BU share."""
    owner: dict[tuple, tuple[str, int]] = {}
    for i, (bu, name, seen) in enumerate(zip(frame["bu_id"], frame[column], shown, strict=True)):
        if is_blank(name) or is_blank(seen):
            continue
        first = owner.setdefault((str(bu), str(seen)), (str(name), i))
        if first[0] != str(name) and (str(bu), str(seen), str(name)) not in owner:
            owner[(str(bu), str(seen), str(name))] = first  # one problem per name shared
            problems.append(
                Problem(
                    raw.file,
                    f'a {lang} name of {column} "{name}" that no other {column} of BU {bu} shows '
                    f'("{first[0]}", row {raw.rows[first[1]]}, shows it)',
                    f'"{seen}"',
                    row=raw.rows[i],
                    column=f"{column}_{lang}",
                    sheet=raw.sheet,
                )
            )
