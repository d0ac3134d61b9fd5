"""Checks across rows and tables of a typed engagement, driven by the schema's declarations.

The last step of :func:`kamanalysis.load_engagement`. Each check reads the rules that
:mod:`kamanalysis.schema` declares next to the tables (keys, ``refers_to`` and
``refers_when``, ``weight_groups`` / ``weight_per`` / ``equal_weights``, and the row and
group rules :class:`~kamanalysis.schema.AtLeast`, :class:`~kamanalysis.schema.AllowedBy`,
:class:`~kamanalysis.schema.RoleCount`), so a new table's rules are declared, not coded.
Every check appends :class:`~kamanalysis.errors.Problem` objects located by file, sheet,
the row as the file shows it, and column.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ._validation import describe, row_span, weights_total_ok
from .errors import Problem
from .quarters import is_quarter
from .reading import RawTable
from .schema import TABLES, AllowedBy, AtLeast, RoleCount, Table

Frames = Mapping[str, pd.DataFrame]
Raws = Mapping[str, RawTable]


def check_all(tables: Frames, raws: Raws, current_quarter: str, problems: list[Problem]) -> None:
    """Run every cross-row and cross-table check, appending to ``problems``."""
    check_keys(tables, raws, problems)
    check_references(tables, raws, problems)
    check_quarters(tables, raws, current_quarter, problems)
    check_rules(tables, raws, problems)
    check_weights(tables, raws, problems)


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
        required = [not table.column(k).nullable for k in key]
        keys = frame[key].astype(object).where(frame[key].notna(), None)
        first_seen: dict[tuple, int] = {}
        for i, values in enumerate(keys.itertuples(index=False, name=None)):
            if any(v is None and r for v, r in zip(values, required, strict=True)):
                continue
            if values in first_seen:
                first_row = raws[table.name].rows[first_seen[values]]
                shown = ", ".join(f"{k}={v}" for k, v in zip(key, values, strict=True))
                problems.append(
                    _problem(
                        raws,
                        table.name,
                        i,
                        column=", ".join(key),
                        kind="duplicate",
                        expected=f"a unique ({', '.join(key)})",
                        found=f"{shown} again (first in row {first_row})",
                    )
                )
            else:
                first_seen[values] = i


def check_references(tables: Frames, raws: Raws, problems: list[Problem]) -> None:
    """Check that every ``refers_to`` column names a known row, and accounts stay in their BU."""
    bus = set(tables["business_units"]["bu_id"].dropna())
    accounts = tables["accounts"]
    account_ids = set(accounts["account_id"].dropna())
    # an account whose own bu_id is unknown is reported once, in accounts, not on every row
    account_bu = {
        a: b
        for a, b in zip(accounts["account_id"], accounts["bu_id"], strict=True)
        if not pd.isna(a) and not pd.isna(b) and b in bus
    }
    known = {"business_units": bus, "accounts": account_ids}
    present = {name: name in raws for name in known}

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
        check_accounts = "account_id" in table.column_names and present["accounts"]
        account_col = frame["account_id"].tolist() if check_accounts else [None] * len(frame)
        for i, (bu, account) in enumerate(zip(frame["bu_id"].tolist(), account_col, strict=True)):
            if pd.isna(bu):
                continue
            if present["business_units"] and bu not in bus:
                report(table.name, i, "bu_id", "a bu_id listed in business_units", bu)
            elif not check_accounts or pd.isna(account):
                continue
            elif account not in account_ids:
                report(table.name, i, "account_id", "an account_id listed in accounts", account)
            elif account in account_bu and account_bu[account] != bu:
                report(
                    table.name,
                    i,
                    "bu_id",
                    f"{account_bu[account]}, the BU of account {account}",
                    bu,
                )
        for column in table.columns:
            if column.refers_when is None or not present.get(column.refers_to, False):
                continue
            when_col, when_value = column.refers_when
            pairs = zip(frame[when_col].tolist(), frame[column.name].tolist(), strict=True)
            for i, (when, value) in enumerate(pairs):
                if (
                    when == when_value
                    and not pd.isna(value)
                    and value not in known[column.refers_to]
                ):
                    report(
                        table.name,
                        i,
                        column.name,
                        f"{_id_noun(column.refers_to)} listed in {column.refers_to} "
                        f"({when_col} {when_value})",
                        value,
                    )


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
        for i, quarter in enumerate(tables[table.name]["quarter"]):
            if not pd.isna(quarter) and quarter > current_quarter:
                problems.append(
                    _problem(
                        raws,
                        table.name,
                        i,
                        column="quarter",
                        kind="value",
                        expected=f"a quarter no later than current_quarter {current_quarter}",
                        found=describe(quarter),
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
    below = frame[rule.other] > frame[rule.column]
    for i in below[below].index:
        problems.append(
            _problem(
                raws,
                table.name,
                int(i),
                column=rule.column,
                expected=f"at least the {rule.other} {frame[rule.other].iat[i]:g} ({rule.why})",
                found=describe(frame[rule.column].iat[i]),
            )
        )


def _allowed_by(rule: AllowedBy, table: Table, frame, raws: Raws, problems: list[Problem]) -> None:
    pairs = zip(frame[rule.by].tolist(), frame[rule.column].tolist(), strict=True)
    for i, (by, value) in enumerate(pairs):
        if pd.isna(by) or pd.isna(value) or by not in rule.allowed:
            continue
        if value not in rule.allowed[by]:
            problems.append(
                _problem(
                    raws,
                    table.name,
                    i,
                    column=rule.column,
                    expected=f"{' or '.join(rule.allowed[by])} for an {by} factor",
                    found=describe(value),
                )
            )


def _role_count(rule: RoleCount, table: Table, frame, raws: Raws, problems: list[Problem]) -> None:
    for keys, group in frame.groupby(list(rule.group), sort=False):
        label = " ".join(str(k) for k in (keys if isinstance(keys, tuple) else (keys,)))
        values = group.drop_duplicates(rule.distinct)[rule.column]
        index = group.index.tolist()
        for value, (least, most) in rule.counts.items():
            n = int((values == value).sum())
            if n < least or (most is not None and n > most):
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


_WORDS = {1: "one", 2: "two", 3: "three"}
_RULES = {AtLeast: _at_least, AllowedBy: _allowed_by, RoleCount: _role_count}


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
        groups = frame.groupby(list(table.weight_groups), sort=False, dropna=True)
        for keys, group in groups:
            keys = keys if isinstance(keys, tuple) else (keys,)
            if any(
                all(s is None or s == k for s, k in zip(suspect, keys, strict=True))
                for suspect in suspects
            ):
                continue  # a row already reported may belong here: its sum would mislead
            label = ", ".join(f"{k} {v}" for k, v in zip(table.weight_groups, keys, strict=True))
            index = group.index.tolist()
            weights = group["weight"]
            if table.weight_per:
                weights = _weights_per(group, table, raws, problems)
                if weights is None:
                    continue
            elif table.equal_weights and weights.isna().all():
                continue  # equal weights
            if weights.isna().any():
                blanks = [index[j] for j, v in enumerate(weights) if pd.isna(v)]
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
            total = float(weights.sum())
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
    rows = {row for row, _ in cells}
    suspects = []
    for i, row in enumerate(raw.rows):
        if row in rows:
            suspects.append(
                tuple(
                    None if (row, c) in cells or pd.isna(frame[c].iat[i]) else frame[c].iat[i]
                    for c in columns
                )
            )
    return suspects


def _weights_per(group: pd.DataFrame, table: Table, raws: Raws, problems: list[Problem]):
    """One weight per value of ``table.weight_per``; each of its rows must repeat it."""
    per = table.weight_per
    owner = next(k for k in table.key if k not in table.weight_groups and k != per)
    weights = {}
    for value, rows in group.groupby(per, sort=False):
        distinct = rows["weight"].dropna().unique()
        if len(distinct) > 1:
            problems.append(
                _problem(
                    raws,
                    table.name,
                    rows.index.tolist(),
                    column="weight",
                    kind="weights",
                    expected=f"the same weight for {per} {value!r} on every {owner}'s row",
                    found=", ".join(f"{w:g}" for w in distinct),
                )
            )
            return None
        weights[value] = distinct[0] if len(distinct) else float("nan")
    return pd.Series(weights, dtype="float64")
