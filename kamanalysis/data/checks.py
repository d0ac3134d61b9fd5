"""Checks across rows and tables of a typed engagement, driven by the schema's declarations.

The last step of :func:`kamanalysis.load_engagement`. Each check reads the rules that
:mod:`kamanalysis.base.schema` declares next to the tables (keys, ``refers_to`` and
``refers_when``, ``weight_groups`` / ``weight_per`` / ``equal_weights``, and the row and
group rules :class:`~kamanalysis.base.schema.AtLeast`, :class:`~kamanalysis.base.schema.AllowedBy`,
:class:`~kamanalysis.base.schema.RoleCount`), so a new table's rules are declared, not coded.
Every check appends :class:`~kamanalysis.base.errors.Problem` objects located by file, sheet,
the row as the file shows it, and column.

Each check works on whole columns (``duplicated``, ``isin``, group numbers and ``bincount``)
and loops only over the rows and groups it reports, in file order, so the problems and their
order are those of a row-by-row check (``tests/legacy_loader.py`` keeps one as the oracle).
A table left out of a partial engagement is not checked, and a reference to it is not
checked either.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..base._validation import WEIGHT_TOLERANCE, describe, row_span, weights_total_ok
from ..base.errors import Problem
from ..base.quarters import is_quarter, quarter_end
from ..base.schema import TABLES, AllowedBy, AtLeast, RoleCount, Table
from .names import check_names
from .reading import RawTable

Frames = Mapping[str, pd.DataFrame]
Raws = Mapping[str, RawTable]


def check_all(tables: Frames, raws: Raws, current_quarter: str, problems: list[Problem]) -> None:
    """Run every cross-row and cross-table check, appending to ``problems``."""
    check_keys(tables, raws, problems)
    check_references(tables, raws, problems)
    check_quarters(tables, raws, current_quarter, problems)
    check_dates(tables, raws, current_quarter, problems)
    check_rules(tables, raws, problems)
    check_weights(tables, raws, problems)
    check_names(tables, raws, problems)  # names in Chinese and English (issue 20)


def _problem(raws: Raws, table: str, row_index: int | list[int], **kw) -> Problem:
    raw = raws[table]
    if isinstance(row_index, list):
        row: int | str = row_span([raw.rows[i] for i in row_index])
    else:
        row = raw.rows[row_index]
    return Problem(raw.file, row=row, sheet=raw.sheet, **kw)


def check_keys(tables: Frames, raws: Raws, problems: list[Problem]) -> None:
    """Report a repeated key, naming the row where it was first seen."""
    for table in TABLES.values():
        frame = tables[table.name]
        if table.name not in raws or frame.empty:
            continue
        key = list(table.key)
        keys = frame[key]
        # a row missing a required key value is already reported as a bad cell
        valid = np.ones(len(frame), dtype=bool)
        for k in key:
            if not table.column(k).nullable:
                valid &= keys[k].notna().to_numpy()
        candidates = keys[valid]
        repeated = candidates.duplicated(keep="first").to_numpy()
        if not repeated.any():
            continue
        positions = np.flatnonzero(valid)
        ids = candidates.groupby(key, sort=False, dropna=False).ngroup().to_numpy()
        _, first = np.unique(ids, return_index=True)
        shown = keys.astype(object).where(keys.notna(), None)
        for j in np.flatnonzero(repeated).tolist():
            i = int(positions[j])
            values = tuple(shown.iloc[i])
            first_row = raws[table.name].rows[int(positions[first[ids[j]]])]
            text = ", ".join(f"{k}={v}" for k, v in zip(key, values, strict=True))
            problems.append(
                _problem(
                    raws,
                    table.name,
                    i,
                    column=", ".join(key),
                    kind="duplicate",
                    expected=f"a unique ({', '.join(key)})",
                    found=f"{text} again (first in row {first_row})",
                )
            )


def _objects(column: pd.Series) -> np.ndarray:
    """Return a column's values as Python objects, None where missing."""
    return column.to_numpy(dtype=object, na_value=None)


def _present(values: np.ndarray) -> np.ndarray:
    return np.not_equal(values, None)


def _among(values: np.ndarray, known) -> np.ndarray:
    """Whether each value is one of ``known`` (a hash look-up, not a comparison with each)."""
    return pd.Series(values, dtype=object).isin(list(known)).to_numpy(dtype=bool)


def _group_keys(frame: pd.DataFrame, columns: list[str], starts: np.ndarray) -> list[tuple]:
    """Return each group's key values, read from its first row."""
    return list(frame[columns].iloc[starts].astype(object).itertuples(index=False, name=None))


def check_references(tables: Frames, raws: Raws, problems: list[Problem]) -> None:
    """Check that every ``refers_to`` column names a known row, and accounts stay in their BU.

    A column may refer to a table that is absent from a partial engagement, or be left
    blank (an optional column left out): neither is a problem.
    """
    bus = set(tables["business_units"]["bu_id"].dropna())
    accounts = tables["accounts"]
    account_ids = set(accounts["account_id"].dropna())
    # an account whose own bu_id is unknown is reported once, in accounts, not on every row
    account_bu = {
        a: b
        for a, b in zip(_objects(accounts["account_id"]), _objects(accounts["bu_id"]), strict=True)
        if a is not None and b is not None and b in bus
    }

    def report(table: str, i: int, column: str, expected: str, found: object) -> None:
        problems.append(
            _problem(
                raws,
                table,
                i,
                column=column,
                kind="reference",
                expected=expected,
                found=describe(found),
            )
        )

    for table in TABLES.values():
        if table.name not in raws or table.name == "business_units":
            continue
        frame = tables[table.name]
        n = len(frame)
        if "bu_id" in table.column_names:
            bu = _objects(frame["bu_id"])
            has_bu = _present(bu)
            unknown_bu = np.zeros(n, dtype=bool)
            if "business_units" in raws:
                unknown_bu = has_bu & ~_among(bu, bus)
            unknown_account = np.zeros(n, dtype=bool)
            elsewhere = np.zeros(n, dtype=bool)
            if "account_id" in table.column_names and "accounts" in raws:
                account = _objects(frame["account_id"])
                rest = has_bu & ~unknown_bu & _present(account)
                unknown_account = rest & ~_among(account, account_ids)
                owner = _objects(pd.Series(account, dtype=object).map(account_bu))
                rest &= ~unknown_account & _present(owner)
                elsewhere = rest & (owner != bu)
            for i in np.flatnonzero(unknown_bu | unknown_account | elsewhere).tolist():
                if unknown_bu[i]:
                    report(table.name, i, "bu_id", "a bu_id listed in business_units", bu[i])
                elif unknown_account[i]:
                    report(
                        table.name,
                        i,
                        "account_id",
                        "an account_id listed in accounts",
                        account[i],
                    )
                else:
                    report(
                        table.name,
                        i,
                        "bu_id",
                        f"{owner[i]}, the BU of account {account[i]}",
                        bu[i],
                    )
        for column in table.columns:
            target = column.refers_to
            if target is None or column.name in ("bu_id", "account_id") or target not in raws:
                continue
            values = _objects(frame[column.name])
            check = _present(values)
            expected = f"{_id_noun(target)} listed in {target}"
            if column.refers_when is not None:
                when_col, when_value = column.refers_when
                check &= _objects(frame[when_col]) == when_value
                expected += f" ({when_col} {when_value})"
            known = list(set(tables[target][TABLES[target].key[0]].dropna()))
            for i in np.flatnonzero(check & ~_among(values, known)).tolist():
                report(table.name, i, column.name, expected, values[i])


def _id_noun(table: str) -> str:
    """Name the identifier column of ``table``, with its article."""
    key = TABLES[table].key[0]
    return f"an {key}" if key[0] in "aeiou" else f"a {key}"


def check_quarters(
    tables: Frames, raws: Raws, current_quarter: str, problems: list[Problem]
) -> None:
    """Report rows that describe a quarter after the quarter diagnosed."""
    if not is_quarter(current_quarter):
        return
    for table in TABLES.values():
        if table.name not in raws or "quarter" not in table.column_names:
            continue
        quarters = tables[table.name]["quarter"].to_numpy(dtype=object, na_value="")
        for i in np.flatnonzero(quarters > current_quarter).tolist():
            problems.append(
                _problem(
                    raws,
                    table.name,
                    i,
                    column="quarter",
                    kind="value",
                    expected=f"a quarter no later than current_quarter {current_quarter}",
                    found=describe(quarters[i]),
                )
            )


def check_dates(tables: Frames, raws: Raws, current_quarter: str, problems: list[Problem]) -> None:
    """Report dates after the end of the quarter diagnosed (a fact not yet known then)."""
    if not is_quarter(current_quarter):
        return
    end = pd.Timestamp(quarter_end(current_quarter))
    for table in TABLES.values():
        if table.name not in raws:
            continue
        frame = tables[table.name]
        for column in table.columns:
            if column.kind != "date" or column.name not in frame:
                continue
            late = (frame[column.name] > end).to_numpy(dtype=bool)
            for i in np.flatnonzero(late).tolist():
                problems.append(
                    _problem(
                        raws,
                        table.name,
                        i,
                        column=column.name,
                        kind="value",
                        expected=f"a date no later than {end.date()}, the end of "
                        f"current_quarter {current_quarter}",
                        found=str(frame[column.name].iat[i].date()),
                    )
                )


def check_rules(tables: Frames, raws: Raws, problems: list[Problem]) -> None:
    """Check the row and group rules each table declares in the schema."""
    for table in TABLES.values():
        if table.name not in raws:
            continue
        frame = tables[table.name]
        for rule in table.rules:
            check = _RULES[type(rule)]
            check(rule, table, frame, raws, problems)


def _at_least(rule: AtLeast, table: Table, frame, raws: Raws, problems: list[Problem]) -> None:
    # a blank on either side (a date unknown) is no problem
    if rule.column not in frame or rule.other not in frame:
        return
    below = (frame[rule.other] > frame[rule.column]).fillna(False).astype(bool)
    for i in below[below].index:
        other, value = frame[rule.other].iat[i], frame[rule.column].iat[i]
        if isinstance(other, pd.Timestamp):
            shown, found = f"{other.date()}", str(value.date())
            expected = f"a date on or after the {rule.other} {shown} ({rule.why})"
        elif isinstance(other, str):  # quarters
            expected = f"a quarter no earlier than the {rule.other} {other} ({rule.why})"
            found = describe(value)
        else:
            expected = f"at least the {rule.other} {other:g} ({rule.why})"
            found = describe(value)
        problems.append(
            _problem(raws, table.name, int(i), column=rule.column, expected=expected, found=found)
        )


def _allowed_by(rule: AllowedBy, table: Table, frame, raws: Raws, problems: list[Problem]) -> None:
    by = _objects(frame[rule.by])
    values = _objects(frame[rule.column])
    wrong = np.zeros(len(frame), dtype=bool)
    for key, allowed in rule.allowed.items():
        wrong |= (by == key) & _present(values) & ~_among(values, allowed)
    for i in np.flatnonzero(wrong).tolist():
        problems.append(
            _problem(
                raws,
                table.name,
                i,
                column=rule.column,
                expected=f"{' or '.join(rule.allowed[by[i]])} for an {by[i]} factor",
                found=describe(values[i]),
            )
        )


def _groups(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, int]:
    """Return each row's group number (first seen first; -1: a key missing), and the count."""
    grouped = frame.groupby(columns, sort=False, dropna=True)
    codes = grouped.ngroup().to_numpy(dtype="float64", na_value=np.nan)
    codes = np.where(np.isnan(codes), -1, codes).astype("int64")
    return codes, grouped.ngroups


def _role_count(rule: RoleCount, table: Table, frame, raws: Raws, problems: list[Problem]) -> None:
    group = list(rule.group)
    codes, n_groups = _groups(frame, group)
    counted = pd.DataFrame({"group": codes, "distinct": frame[rule.distinct].to_numpy()})
    # the first row of each distinct value within its group, as drop_duplicates keeps it
    first = ~counted.duplicated(["group", "distinct"]).to_numpy() & (codes >= 0)
    values = _objects(frame[rule.column])
    starts = _first_rows(codes, n_groups)
    counts = {
        value: np.bincount(codes[first & (values == value)], minlength=n_groups)
        for value in rule.counts
    }
    for k, keys in enumerate(_group_keys(frame, group, starts)):
        label = " ".join(str(v) for v in keys)
        index = None
        for value, (least, most) in rule.counts.items():
            n = int(counts[value][k])
            if n < least or (most is not None and n > most):
                if index is None:
                    index = np.flatnonzero(codes == k).tolist()
                bound = "exactly" if most == least else "at least"
                expected = (
                    f"{bound} {_WORDS.get(least, least)} {rule.distinct} with {rule.column} {value}"
                )
                problems.append(
                    _problem(
                        raws,
                        table.name,
                        index,
                        column=rule.column,
                        expected=f"{expected} for {label}",
                        found=str(n) if n else "none",
                    )
                )


def _first_rows(codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Return the position of each group's first row."""
    valid = np.flatnonzero(codes >= 0)
    _, first = np.unique(codes[valid], return_index=True)
    starts = np.zeros(n_groups, dtype="int64")
    starts[np.unique(codes[valid])] = valid[first]
    return starts


_WORDS = {1: "one", 2: "two", 3: "three"}
_RULES = {AtLeast: _at_least, AllowedBy: _allowed_by, RoleCount: _role_count}

#: Group sums this close to the tolerance's edge are summed again as pandas sums a Series.
_EDGE = 1e-9


def check_weights(tables: Frames, raws: Raws, problems: list[Problem]) -> None:
    """Check that weights sum to 1 (or 100) within each weight group a table declares."""
    for table in TABLES.values():
        if not table.weight_groups or table.name not in raws:
            continue
        frame = tables[table.name]
        if frame.empty:
            continue
        raw = raws[table.name]
        suspects = _suspect_groups(frame, raw, table.weight_groups, problems)
        columns = list(table.weight_groups)
        codes, n_groups = _groups(frame, columns)
        starts = _first_rows(codes, n_groups)
        if table.weight_per:
            per_group = _weights_per(frame, codes, n_groups, table, raws, problems, suspects)
        else:
            weight = frame["weight"].to_numpy(dtype="float64")
            per_group = None
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(n_groups + 1))
        for k, keys in enumerate(_group_keys(frame, columns, starts)):
            if _suspected(keys, suspects):
                continue  # a row already reported may belong here: its sum would mislead
            label = ", ".join(f"{c} {v}" for c, v in zip(columns, keys, strict=True))
            if per_group is not None:
                if k not in per_group:
                    continue  # inconsistent weights, reported
                index, weights = per_group[k]
            else:
                index = order[bounds[k] : bounds[k + 1]].tolist()
                weights = weight[index]
                if table.equal_weights and np.isnan(weights).all():
                    continue  # equal weights
            missing = np.isnan(weights)
            if missing.any():
                blanks = [index[j] for j in np.flatnonzero(missing).tolist()]
                problems.append(
                    _problem(
                        raws,
                        table.name,
                        blanks,
                        column="weight",
                        kind="weights",
                        expected=f"a weight on every row of {label} (or none, for equal weights)"
                        if table.equal_weights
                        else f"a weight on every row of {label}",
                        found="blank",
                    )
                )
                continue
            total = float(np.sum(weights))
            if not (abs(total - 1.0) <= _LIMIT or abs(total - 100.0) <= _LIMIT):
                total = float(pd.Series(weights, dtype="float64").sum())
                if not weights_total_ok(total):
                    problems.append(
                        _problem(
                            raws,
                            table.name,
                            index,
                            column="weight",
                            kind="weights",
                            expected=f"weights of {label} summing to 1 (or 100)",
                            found=f"a sum of {total:g}",
                        )
                    )


_LIMIT = WEIGHT_TOLERANCE - _EDGE


def _suspected(keys: tuple, suspects: list[tuple]) -> bool:
    return any(
        all(s is None or s == k for s, k in zip(suspect, keys, strict=True)) for suspect in suspects
    )


def _suspect_groups(
    frame: pd.DataFrame, raw: RawTable, columns: tuple[str, ...], problems: list[Problem]
) -> list[tuple]:
    """Group keys of the rows already reported, None where the key cell itself is in doubt.

    A row with a bad ``bu_id`` may belong to any BU's group of the same quarter: every
    group its trustworthy key values match is left out of the weight-sum check.
    """
    cells = {
        (p.row, p.column)
        for p in problems
        if (p.file, p.sheet) == (raw.file, raw.sheet) and isinstance(p.row, int)
    }
    rows = sorted({row for row, _ in cells})
    file_rows = np.asarray(raw.rows, dtype="int64")
    suspects = []
    for row in rows:
        i = int(np.searchsorted(file_rows, row))
        if i >= len(file_rows) or file_rows[i] != row:
            continue
        suspects.append(
            tuple(
                None if (row, c) in cells or pd.isna(frame[c].iat[i]) else frame[c].iat[i]
                for c in columns
            )
        )
    return suspects


def _weights_per(
    frame: pd.DataFrame,
    codes: np.ndarray,
    n_groups: int,
    table: Table,
    raws: Raws,
    problems: list[Problem],
    suspects: list[tuple],
) -> dict[int, tuple[list[int], np.ndarray]]:
    """One weight per value of ``table.weight_per``; each of its rows must repeat it.

    Return, for each group whose weights are consistent, its rows and the weight of each
    value in the order first seen (NaN where every row leaves it blank).
    """
    per = table.weight_per
    owner = next(k for k in table.key if k not in table.weight_groups and k != per)
    columns = list(table.weight_groups)
    pairs, n_pairs = _groups(frame, [*columns, per])
    weight = frame["weight"].to_numpy(dtype="float64")
    seen = pd.DataFrame({"pair": pairs, "weight": weight})
    distinct = seen[(pairs >= 0) & ~np.isnan(weight)].drop_duplicates()
    pair_of = distinct["pair"].to_numpy()
    n_distinct = np.bincount(pair_of, minlength=n_pairs)
    first_weight = np.full(n_pairs, np.nan)
    at = np.unique(pair_of, return_index=True)
    first_weight[at[0]] = distinct["weight"].to_numpy()[at[1]]
    pair_group = np.full(n_pairs, -1)
    valid = pairs >= 0
    pair_group[pairs[valid]] = codes[valid]
    starts = _first_rows(codes, n_groups)
    out = {}
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(n_groups + 1))
    pair_order = np.argsort(pair_group, kind="stable")
    pair_bounds = np.searchsorted(pair_group[pair_order], np.arange(n_groups + 1))
    for k, keys in enumerate(_group_keys(frame, columns, starts)):
        if _suspected(keys, suspects):
            continue
        mine = pair_order[pair_bounds[k] : pair_bounds[k + 1]]  # in the order first seen
        index = order[bounds[k] : bounds[k + 1]].tolist()
        wrong = mine[n_distinct[mine] > 1]
        if len(wrong):
            p = int(wrong[0])
            rows = np.flatnonzero(pairs == p).tolist()
            value = frame[per].iat[rows[0]]
            found = distinct.loc[distinct["pair"] == p, "weight"].tolist()
            problems.append(
                _problem(
                    raws,
                    table.name,
                    rows,
                    column="weight",
                    kind="weights",
                    expected=f"the same weight for {per} {value!r} on every {owner}'s row",
                    found=", ".join(f"{w:g}" for w in found),
                )
            )
            continue
        out[k] = (index, first_weight[mine])
    return out
