"""Load an engagement — a folder of CSV files or one .xlsx workbook — validated and typed.

All problems are collected in one pass and raised together as an
:class:`~kamanalysis.errors.InputValidationError` whose ``problems`` name the
file (and sheet), row, column, what was expected and what was found.

Examples
--------
>>> from kamanalysis import load_engagement, paths
>>> eng = load_engagement(paths.SAMPLE_DATA)
>>> eng.current_quarter
'2026Q3'
>>> sorted(eng.bu_ids)
['IC', 'MC', 'PV']
>>> eng.for_bu("PV").accounts["bu_id"].unique().tolist()
['PV']
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ._validation import describe, is_blank, parse_cell, row_span, weights_total_ok
from .errors import InputValidationError, Problem, raise_if_any
from .quarters import is_quarter
from .schema import (
    LANGUAGES,
    REQUIRED_SETTINGS,
    SETTINGS_FILE,
    SETTINGS_SHEET,
    TABLES,
    Table,
    default_settings,
    flatten_settings,
)

_DTYPES = {
    "id": "string",
    "text": "string",
    "enum": "string",
    "quarter": "string",
    "int": "Int64",
    "bool": "boolean",
    "number": "float64",
    "rating": "float64",
    "weight": "float64",
    "date": "datetime64[ns]",
}


@dataclass
class Engagement:
    """A validated engagement: the settings and one typed DataFrame per table.

    Tables are reachable by name as attributes (``eng.accounts``) or through
    ``eng.tables``.
    """

    settings: dict
    tables: dict[str, pd.DataFrame]
    source: Path | None = None
    rows: dict[str, list[int]] = field(default_factory=dict, repr=False)
    #: Results computed from this engagement, kept by :mod:`kamanalysis.diagnosis`.
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def name(self) -> str:
        """The engagement's name."""
        return self.settings["engagement"]["name"]

    @property
    def current_quarter(self) -> str:
        """The quarter diagnosed."""
        return self.settings["engagement"]["current_quarter"]

    @property
    def currency(self) -> str:
        """Currency of every money column."""
        return self.settings["engagement"]["currency"]

    @property
    def language(self) -> str:
        """Report language, ``en`` or ``zh``."""
        return self.settings["engagement"]["language"]

    @property
    def bu_ids(self) -> list[str]:
        """The BU identifiers, in file order."""
        return self.tables["business_units"]["bu_id"].tolist()

    @property
    def quarters(self) -> list[str]:
        """Quarters with sales data, oldest first."""
        return sorted(self.tables["account_quarters"]["quarter"].dropna().unique().tolist())

    def bu_name(self, bu_id: str) -> str:
        """Return the display name of a BU."""
        units = self.tables["business_units"]
        return str(units.loc[units["bu_id"] == bu_id, "name"].iloc[0])

    def for_bu(self, bu_id: str) -> Engagement:
        """Return the engagement restricted to one BU (every table filtered by ``bu_id``)."""
        return self.for_bus([bu_id])

    def for_bus(self, bu_ids: list[str]) -> Engagement:
        """Return the engagement restricted to some BUs, in the engagement's BU order."""
        unknown = [bu for bu in bu_ids if bu not in self.bu_ids]
        if unknown:
            known = ", ".join(self.bu_ids)
            raise InputValidationError(
                [
                    Problem("for_bu", f"one of the BUs {known}", describe(bu), column="bu_id")
                    for bu in unknown
                ]
            )
        tables = {
            name: frame.loc[frame["bu_id"].isin(bu_ids)].reset_index(drop=True)
            for name, frame in self.tables.items()
        }
        return Engagement(self.settings, tables, self.source)


@dataclass
class _Raw:
    """A table as read from disk, before typing: header, cell values, file rows."""

    file: str
    sheet: str | None
    header: list[str]
    cells: list[list[object]]
    rows: list[int]


def load_engagement(path: str | Path) -> Engagement:
    """Read, validate and type an engagement folder or workbook.

    Parameters
    ----------
    path : str or Path
        A folder holding ``engagement.toml`` and one CSV per table, or an
        ``.xlsx`` workbook with an ``engagement`` sheet and one sheet per table.

    Returns
    -------
    Engagement

    Raises
    ------
    InputValidationError
        Listing every problem found (``InvalidWeightsError`` when all are weight problems).

    Examples
    --------
    >>> from kamanalysis import paths
    >>> eng = load_engagement(paths.SAMPLE_DATA)
    >>> eng.account_quarters.dtypes["revenue"]
    dtype('float64')
    >>> load_engagement("no/such/folder")
    Traceback (most recent call last):
    ...
    kamanalysis.errors.InputValidationError: 1 problem found:
      - no/such/folder: expected an engagement folder or an .xlsx workbook, got nothing there
    """
    path = Path(path)
    problems: list[Problem] = []
    if path.is_dir():
        raw_settings, raws = _read_folder(path, problems)
    elif path.is_file() and path.suffix.lower() == ".xlsx":
        raw_settings, raws = _read_workbook(path, problems)
    else:
        found = "nothing there" if not path.exists() else f'a file "{path.name}"'
        raise_if_any(
            [Problem(str(path), "an engagement folder or an .xlsx workbook", found, kind="missing")]
        )
    settings = _settings(raw_settings, problems)
    scales = {k: tuple(v) for k, v in settings["scales"].items() if _is_scale(v)}
    tables: dict[str, pd.DataFrame] = {}
    rows: dict[str, list[int]] = {}
    for table in TABLES.values():
        raw = raws.get(table.name)
        tables[table.name] = _typed(table, raw, scales, problems)
        rows[table.name] = raw.rows if raw is not None else []
    eng = Engagement(settings, tables, path, rows)
    locate = {name: raws[name] for name in raws}
    _check_keys(eng, locate, problems)
    _check_references(eng, locate, problems)
    _check_quarters(eng, locate, problems)
    _check_rules(eng, locate, problems)
    _check_weights(eng, locate, problems)
    raise_if_any(sorted(problems, key=_reading_order))
    return eng


_FILE_ORDER = {name: i for i, name in enumerate(["engagement", *TABLES])}


def _reading_order(problem: Problem) -> tuple:
    """Sort problems as a reader meets them: settings, then tables in order, then rows."""
    table = problem.sheet or problem.file.removesuffix(".csv").removesuffix(".toml")
    row = problem.row
    first = int(str(row).split("-")[0]) if row is not None else 0
    return (_FILE_ORDER.get(table, -1), first)


# ----------------------------------------------------------------------------- reading


def _read_folder(folder: Path, problems: list[Problem]) -> tuple[dict | None, dict[str, _Raw]]:
    settings = None
    toml_path = folder / SETTINGS_FILE
    if not toml_path.exists():
        problems.append(
            Problem(SETTINGS_FILE, "the engagement settings file", "no such file", kind="missing")
        )
    else:
        try:
            with toml_path.open("rb") as fh:
                settings = {"values": tomllib.load(fh), "rows": {}}
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            problems.append(Problem(SETTINGS_FILE, "valid TOML", f"a syntax error: {exc}"))
    raws: dict[str, _Raw] = {}
    for table in TABLES.values():
        file = folder / table.filename
        if not file.exists():
            problems.append(
                Problem(
                    table.filename, f"a table of {_noun(table)}", "no such file", kind="missing"
                )
            )
            continue
        try:
            with file.open(newline="", encoding="utf-8-sig") as fh:
                records = list(csv.reader(fh))
        except UnicodeDecodeError as exc:
            problems.append(
                Problem(
                    table.filename, "text encoded as UTF-8", f"bytes that are not ({exc.reason})"
                )
            )
            continue
        if not records:
            problems.append(Problem(table.filename, "a header row", "an empty file", kind="empty"))
            continue
        header = [h.strip() for h in records[0]]
        cells, rows = [], []
        for number, record in enumerate(records[1:], start=2):
            if all(is_blank(v) for v in record):
                continue
            cells.append(record)
            rows.append(number)
        raws[table.name] = _Raw(table.filename, None, header, cells, rows)
    return settings, raws


def _read_workbook(path: Path, problems: list[Problem]) -> tuple[dict | None, dict[str, _Raw]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a corrupt file
        raise_if_any([Problem(path.name, "a readable .xlsx workbook", f"an error: {exc}")])
    try:
        sheets: dict[str, list[tuple[int, tuple]]] = {}
        for name in book.sheetnames:
            ws = book[name]
            sheets[name] = [
                (i, r)
                for i, r in enumerate(ws.iter_rows(values_only=True), start=1)
                if r is not None
            ]
    finally:
        book.close()
    file = path.name
    settings = None
    if SETTINGS_SHEET not in sheets:
        problems.append(
            Problem(file, f"a sheet named {SETTINGS_SHEET}", "no such sheet", kind="missing")
        )
    else:
        values, where = {}, {}
        for number, record in sheets[SETTINGS_SHEET][1:]:
            if not record or is_blank(record[0]):
                continue
            key = str(record[0]).strip()
            values[key] = record[1] if len(record) > 1 else None
            where[key] = number
        settings = {"flat": values, "rows": where, "file": file}
    raws: dict[str, _Raw] = {}
    for table in TABLES.values():
        if table.name not in sheets:
            problems.append(
                Problem(file, f"a sheet named {table.name}", "no such sheet", kind="missing")
            )
            continue
        records = sheets[table.name]
        if not records or all(is_blank(v) for v in records[0][1]):
            problems.append(
                Problem(file, "a header row", "an empty sheet", sheet=table.name, kind="empty")
            )
            continue
        header_row = list(records[0][1])
        while header_row and is_blank(header_row[-1]):
            header_row.pop()
        header = ["" if is_blank(h) else str(h).strip() for h in header_row]
        cells, rows = [], []
        for number, record in records[1:]:
            if all(is_blank(v) for v in record):
                continue
            cells.append(list(record))
            rows.append(number)
        raws[table.name] = _Raw(file, table.name, header, cells, rows)
    return settings, raws


def _noun(table: Table) -> str:
    return table.description[0].lower() + table.description[1:].rstrip(".")


# ----------------------------------------------------------------------------- settings


def _is_scale(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        and value[0] < value[1]
    )


def _settings(raw: dict | None, problems: list[Problem]) -> dict:
    """Merge the user's settings over the defaults, checking each one."""
    settings = default_settings()
    if raw is None:
        return settings
    defaults = flatten_settings(settings)
    if "values" in raw:  # engagement.toml
        flat = flatten_settings(raw["values"])

        def where(key: str) -> dict:
            return {"file": SETTINGS_FILE, "column": key}
    else:  # workbook sheet
        flat = {}
        for key, value in raw["flat"].items():
            flat[key] = _from_cell(value, defaults.get(key))

        def where(key: str) -> dict:
            return {
                "file": raw["file"],
                "sheet": SETTINGS_SHEET,
                "row": raw["rows"].get(key),
                "column": f"value of {key}",
            }

    for key, value in flat.items():
        if key not in defaults:
            known = ", ".join(sorted(k for k in defaults if k.split(".")[0] == key.split(".")[0]))
            problems.append(
                Problem(
                    **where(key),
                    expected=f"a known setting ({known})" if known else "a known setting",
                    found=f"unknown setting {key!r}",
                )
            )
            continue
        problem = _check_setting(key, value)
        if problem:
            problems.append(Problem(**where(key), expected=problem, found=describe(value)))
            continue
        section, *rest = key.split(".")
        node = settings[section]
        for part in rest[:-1]:
            node = node[part]
        node[rest[-1]] = value
    merged = flatten_settings(settings)
    for key in REQUIRED_SETTINGS:
        if is_blank(merged.get(key)):
            problems.append(
                Problem(
                    **where(key), expected="a value (required)", found="nothing", kind="missing"
                )
            )
    for group in ("attractiveness", "strength"):
        weights = settings["weights"][group]
        total = sum(v for v in weights.values() if _is_number(v))
        if all(_is_number(v) for v in weights.values()) and not weights_total_ok(total):
            problems.append(
                Problem(
                    **where(f"weights.{group}"),
                    expected="weights summing to 1 (or 100)",
                    found=f"a sum of {total:g}",
                    kind="weights",
                )
            )
    return settings


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_setting(key: str, value: object) -> str | None:
    """Return what was expected when ``value`` is not acceptable for ``key``."""
    if key == "engagement.current_quarter":
        return None if is_quarter(value) else "a quarter written like 2026Q3"
    if key == "engagement.language":
        return None if value in LANGUAGES else "one of " + ", ".join(LANGUAGES)
    if key.startswith("engagement."):
        return None if isinstance(value, str) else "text"
    if key.startswith("scales."):
        return None if _is_scale(value) else "a list [lo, hi] of two numbers with lo < hi"
    if key.startswith("weights."):
        return None if _is_number(value) and value >= 0 else "a weight >= 0"
    if key.startswith("cuts."):
        return None if _is_number(value) else "a number"
    return None


def _from_cell(value: object, default: object) -> object:
    """Convert a workbook settings cell to the type of its default."""
    if isinstance(default, list) and isinstance(value, str):
        parts = [p.strip() for p in value.strip("[] ").split(",")]
        try:
            return [int(p) if p.lstrip("-").isdigit() else float(p) for p in parts]
        except ValueError:
            return value
    if isinstance(default, str) and value is not None and not isinstance(value, str):
        return str(value)
    if isinstance(default, float | int) and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return "" if value is None and isinstance(default, str) else value


# ----------------------------------------------------------------------------- typing


def _typed(table: Table, raw: _Raw | None, scales: dict, problems: list[Problem]) -> pd.DataFrame:
    """Turn a raw table into a typed frame, recording every bad cell."""
    columns: dict[str, list] = {c.name: [] for c in table.columns}
    if raw is not None:
        position = {name: i for i, name in enumerate(raw.header) if name}
        missing = [c for c in table.columns if c.name not in position]
        for c in missing:
            problems.append(
                Problem(
                    raw.file,
                    f"a column named {c.name} ({c.description})",
                    "no such column",
                    column=c.name,
                    sheet=raw.sheet,
                    kind="missing",
                )
            )
        if not raw.cells:
            problems.append(
                Problem(raw.file, "at least one data row", "none", sheet=raw.sheet, kind="empty")
            )
        for record, number in zip(raw.cells, raw.rows, strict=True):
            for c in table.columns:
                index = position.get(c.name)
                if index is None:
                    columns[c.name].append(None)
                    continue
                cell = record[index] if index < len(record) else None
                value, found = parse_cell(cell, c, scales)
                if found is not None:
                    problems.append(
                        Problem(
                            raw.file,
                            c.expectation(scales),
                            found,
                            row=number,
                            column=c.name,
                            sheet=raw.sheet,
                        )
                    )
                columns[c.name].append(value)
    data = {}
    for c in table.columns:
        values = columns[c.name]
        dtype = _DTYPES[c.kind]
        if dtype == "float64":
            data[c.name] = pd.Series(
                [float("nan") if v is None else v for v in values], dtype="float64"
            )
        elif dtype.startswith("datetime"):
            data[c.name] = pd.Series(pd.to_datetime(values), dtype=dtype)
        else:
            data[c.name] = pd.Series(pd.array(values, dtype=dtype))
    return pd.DataFrame(data, columns=table.column_names)


# ----------------------------------------------------------------------------- checks


def _problem(raws: dict[str, _Raw], table: str, row_index: int | list[int], **kw) -> Problem:
    raw = raws[table]
    if isinstance(row_index, list):
        row: int | str = row_span([raw.rows[i] for i in row_index])
    else:
        row = raw.rows[row_index]
    return Problem(raw.file, row=row, sheet=raw.sheet, **kw)


def _check_keys(eng: Engagement, raws: dict[str, _Raw], problems: list[Problem]) -> None:
    for table in TABLES.values():
        frame = eng.tables[table.name]
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


def _check_references(eng: Engagement, raws: dict[str, _Raw], problems: list[Problem]) -> None:
    bus = set(eng.business_units["bu_id"].dropna())
    account_ids = set(eng.accounts["account_id"].dropna())
    # an account whose own bu_id is unknown is reported once, in accounts, not on every row
    account_bu = {
        a: b
        for a, b in zip(eng.accounts["account_id"], eng.accounts["bu_id"], strict=True)
        if not pd.isna(a) and not pd.isna(b) and b in bus
    }
    have_bus = "business_units" in raws
    have_accounts = "accounts" in raws

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
        frame = eng.tables[table.name]
        check_accounts = "account_id" in table.column_names and have_accounts
        accounts = frame["account_id"].tolist() if check_accounts else [None] * len(frame)
        for i, (bu, account) in enumerate(zip(frame["bu_id"].tolist(), accounts, strict=True)):
            if pd.isna(bu):
                continue
            if have_bus and bu not in bus:
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
    if "feedback" in raws and have_accounts:
        fb = eng.feedback
        pairs = zip(fb["source"].tolist(), fb["respondent_id"].tolist(), strict=True)
        for i, (source, respondent) in enumerate(pairs):
            if (
                source == "key_account"
                and not pd.isna(respondent)
                and (respondent not in account_ids)
            ):
                report(
                    "feedback",
                    i,
                    "respondent_id",
                    "an account_id listed in accounts (source key_account)",
                    respondent,
                )


def _check_quarters(eng: Engagement, raws: dict[str, _Raw], problems: list[Problem]) -> None:
    current = eng.current_quarter
    if not is_quarter(current):
        return
    for table in TABLES.values():
        if table.name not in raws or "quarter" not in table.column_names:
            continue
        for i, quarter in enumerate(eng.tables[table.name]["quarter"]):
            if not pd.isna(quarter) and quarter > current:
                problems.append(
                    _problem(
                        raws,
                        table.name,
                        i,
                        column="quarter",
                        kind="value",
                        expected=f"a quarter no later than current_quarter {current}",
                        found=describe(quarter),
                    )
                )


def _check_rules(eng: Engagement, raws: dict[str, _Raw], problems: list[Problem]) -> None:
    """Rules that tie columns of one row together, or rows of one group."""
    if "account_quarters" in raws:
        aq = eng.account_quarters
        over = aq["revenue"] > aq["category_spend"]
        for i in over[over].index:
            problems.append(
                _problem(
                    raws,
                    "account_quarters",
                    int(i),
                    column="category_spend",
                    expected=f"at least the revenue {aq['revenue'].iat[i]:g} "
                    "(the customer's whole category spend includes ours)",
                    found=describe(aq["category_spend"].iat[i]),
                )
            )
    if "ife_efe" in raws:
        ie = eng.ife_efe
        fits = {"IFE": ("strength", "weakness"), "EFE": ("opportunity", "threat")}
        for i in range(len(ie)):
            matrix, kind = ie["matrix"].iat[i], ie["kind"].iat[i]
            if not pd.isna(matrix) and not pd.isna(kind) and kind not in fits[matrix]:
                problems.append(
                    _problem(
                        raws,
                        "ife_efe",
                        i,
                        column="kind",
                        expected=f"{' or '.join(fits[matrix])} for an {matrix} factor",
                        found=describe(kind),
                    )
                )
    if "benchmark" in raws:
        bm = eng.benchmark
        for (bu, quarter), group in bm.groupby(["bu_id", "quarter"], sort=False):
            roles = group.drop_duplicates("company")["role"]
            index = group.index.tolist()
            if (roles == "self").sum() != 1:
                problems.append(
                    _problem(
                        raws,
                        "benchmark",
                        index,
                        column="role",
                        expected=f"exactly one company with role self for {bu} {quarter}",
                        found=f"{int((roles == 'self').sum())}",
                    )
                )
            if (roles == "leader").sum() < 1:
                problems.append(
                    _problem(
                        raws,
                        "benchmark",
                        index,
                        column="role",
                        expected=f"at least one company with role leader for {bu} {quarter}",
                        found="none",
                    )
                )


def _check_weights(eng: Engagement, raws: dict[str, _Raw], problems: list[Problem]) -> None:
    for table in TABLES.values():
        if not table.weight_groups or table.name not in raws:
            continue
        frame = eng.tables[table.name]
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
            if table.name == "benchmark":
                weights = _benchmark_weights(group, raws, problems)
                if weights is None:
                    continue
            elif table.name == "forces" and weights.isna().all():
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
                        if table.name == "forces"
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
    frame: pd.DataFrame, raw: _Raw, columns: tuple[str, ...], problems: list[Problem]
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


def _benchmark_weights(group: pd.DataFrame, raws: dict[str, _Raw], problems: list[Problem]):
    """One weight per factor; every company's row must repeat it."""
    weights = {}
    for factor, rows in group.groupby("factor", sort=False):
        distinct = rows["weight"].dropna().unique()
        if len(distinct) > 1:
            problems.append(
                _problem(
                    raws,
                    "benchmark",
                    rows.index.tolist(),
                    column="weight",
                    kind="weights",
                    expected=f"the same weight for factor {factor!r} on every company's row",
                    found=", ".join(f"{w:g}" for w in distinct),
                )
            )
            return None
        weights[factor] = distinct[0] if len(distinct) else float("nan")
    return pd.Series(weights, dtype="float64")
