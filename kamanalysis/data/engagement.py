"""Load an engagement — a folder of CSV files or one .xlsx workbook — validated and typed.

All problems are collected in one pass and raised together as an
:class:`~kamanalysis.base.errors.InputValidationError` whose ``problems`` name the
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

import copy
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..base import signed
from ..base._validation import describe
from ..base.errors import InputValidationError, Problem, raise_if_any
from ..base.quarters import is_quarter, quarter_end
from ..base.schema import LANGUAGES, TABLES
from .checks import check_all
from .names import display_names, localise
from .reading import read_folder, read_workbook, typed_table
from .settings import is_scale, merge_settings


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
    #: Tables left out of a partial engagement (read as empty), in schema order.
    absent: list[str] = field(default_factory=list)
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

    def bu_name(self, bu_id: str, lang: str | None = None) -> str:
        """Return the display name of a BU in ``lang`` (default: the report language).

        Examples
        --------
        >>> from kamanalysis import load_engagement, paths
        >>> eng = load_engagement(paths.SAMPLE_DATA)
        >>> eng.bu_name("PV"), eng.bu_name("PV", "zh")
        ('Pumps & Valves', '泵阀事业部')
        >>> eng.bu_name("XX")
        Traceback (most recent call last):
        ...
        kamanalysis.base.errors.InputValidationError: 1 problem found:
          - business_units.csv, column bu_id: expected one of the BUs PV, IC, MC, got "XX"
        """
        if bu_id not in self.bu_ids:
            raise InputValidationError([self.unknown_bu(bu_id)])
        return self.display_name("bu", bu_id, lang)

    def display_name(self, kind: str, key: object, lang: str | None = None) -> str:
        """Return the name a report in ``lang`` shows for a BU, account, contact, ... (issue 20).

        ``kind``: ``bu``, ``account``, ``contact``, ``manager`` (``key`` is the id), ``factor``
        or ``company`` (``key`` is the name in the data). In ``zh`` the ``name_zh`` (``factor_zh``,
        ...) where given, else ``name``; in ``en`` the ``name_en`` where given, else ``name``
        (:func:`kamanalysis.base.names.shown_name`). ``lang`` defaults to the report language.
        Something unknown shows as ``key`` itself.

        Examples
        --------
        >>> from kamanalysis import load_engagement, paths
        >>> eng = load_engagement(paths.SAMPLE_DATA)
        >>> eng.display_name("account", "PV001", "zh"), eng.display_name("account", "PV001", "en")
        ('中原钢铁', 'Zhongyuan Steel 中原钢铁')
        >>> eng.display_name("factor", "Product quality", "zh")
        '产品质量'
        """
        return str(self.display_names(kind, lang).get(str(key), key))

    def display_names(self, kind: str, lang: str | None = None) -> pd.Series:
        """Return :meth:`display_name` of every ``kind`` at once: id (or name) -> name shown."""
        base = self.cache.get("named_base", self)
        key = ("display_names", kind, lang or self.language)
        if key not in base.cache:
            base.cache[key] = display_names(base.tables, kind, lang or self.language)
        return base.cache[key]

    def named(self, lang: str | None = None) -> Engagement:
        """Return the engagement as a report in ``lang`` names things (issue 20).

        Every named column (a BU's, account's, contact's or manager's ``name``, a ``factor``,
        ``driver``, ``indicator``, ``activity`` or ``company``) holds :meth:`display_name` in
        ``lang``, so that the tools, tables, charts and texts computed from it name everything
        in the report's language; ids, numbers and the other columns are those of the
        engagement, and so are the results. The name columns themselves (``name_zh``, ...)
        are left out, so that no table of a report shows them; ``lang`` defaults to the report
        language, which the copy takes.

        Examples
        --------
        >>> from kamanalysis import load_engagement, paths
        >>> eng = load_engagement(paths.SAMPLE_DATA)
        >>> eng.named("en").accounts.columns.equals(eng.named("zh").accounts.columns)
        True
        >>> "name_zh" in eng.accounts, "name_zh" in eng.named("zh").accounts
        (True, False)
        >>> eng.named("en").bu_name("PV"), eng.named("zh").bu_name("PV")
        ('Pumps & Valves', '泵阀事业部')
        >>> eng.named("zh").named("en").bu_name("PV")
        'Pumps & Valves'
        """
        base = self.cache.get("named_base", self)
        lang = lang or self.language
        key = ("named", lang)
        if key not in base.cache:
            settings = copy.deepcopy(base.settings)
            settings["engagement"]["language"] = lang
            tables = localise(base.tables, lang, keep=False)
            view = Engagement(settings, tables, base.source, base.rows, list(base.absent))
            view.cache["named_base"] = base
            view.cache[key] = base.cache[key] = view
        return base.cache[key]

    def unknown_bu(self, bu_id: object) -> Problem:
        """Return the problem of naming a BU that the engagement does not have."""
        file, sheet = self.location("business_units")
        known = ", ".join(self.bu_ids)
        return Problem(
            file, f"one of the BUs {known}", describe(bu_id), column="bu_id", sheet=sheet
        )

    def location(self, table: str) -> tuple[str, str | None]:
        """Where a table was read from, as messages name it: (file, sheet or None).

        Examples
        --------
        >>> from kamanalysis import load_engagement, paths
        >>> load_engagement(paths.SAMPLE_DATA).location("pest")
        ('pest.csv', None)
        """
        if self.source is not None and self.source.suffix.lower() == ".xlsx":
            return self.source.name, table
        return TABLES[table].filename, None

    def for_bu(self, bu_id: str) -> Engagement:
        """Return the engagement restricted to one BU (every table filtered by ``bu_id``)."""
        return self.for_bus([bu_id])

    def for_bus(self, bu_ids: list[str]) -> Engagement:
        """Return the engagement restricted to some BUs, in the engagement's BU order."""
        unknown = [bu for bu in bu_ids if bu not in self.bu_ids]
        if unknown:
            raise InputValidationError([self.unknown_bu(bu) for bu in unknown])
        tables = {
            name: frame.loc[frame["bu_id"].isin(bu_ids)].reset_index(drop=True)
            for name, frame in self.tables.items()
        }
        return Engagement(self.settings, tables, self.source, absent=list(self.absent))

    def as_of(self, quarter: str | None = None, *, lang: str | None = None) -> Engagement:
        """Return the engagement as it was known at the end of ``quarter``.

        Everything a report of ``quarter`` may use, and nothing later:

        - rows of later quarters are left out;
        - rows dated after the quarter's end by a column that dates the row
          (:attr:`~kamanalysis.base.schema.Column.dates_row`: a contact first met later, a
          comment made later) are left out;
        - any other date after the quarter's end is a later fact and becomes blank (a contact
          last met later: the date of the last meeting as of then is unknown; a complaint
          answered later: not answered yet);
        - accounts not yet customers then (``since_quarter`` after it; or, blank, their first
          sales after it) are left out, with every row that refers to them (contacts,
          assessments, their key-account feedback).

        ``quarter`` becomes the current quarter; ``lang`` overrides the report language.
        The engagement itself is not changed. A blank date is never read as today.

        Raises
        ------
        InputValidationError
            ``quarter`` is not a quarter with sales data (before the data start, after the
            current quarter, malformed) or ``lang`` is not a report language.

        Examples
        --------
        >>> from kamanalysis import load_engagement, paths
        >>> eng = load_engagement(paths.SAMPLE_DATA)
        >>> earlier = eng.as_of("2026Q1", lang="zh")
        >>> earlier.current_quarter, earlier.quarters[-1], earlier.language, eng.current_quarter
        ('2026Q1', '2026Q1', 'zh', '2026Q3')
        >>> [a in set(e.accounts["account_id"]) for e in (earlier, eng) for a in ["IC022"]]
        [False, True]
        >>> bool((earlier.contacts["last_contact"].dropna() <= "2026-03-31").all())
        True
        >>> eng.as_of("2031Q1")
        Traceback (most recent call last):
        ...
        kamanalysis.base.errors.InputValidationError: 1 problem found:
          - --quarter: expected a quarter with sales data, 2024Q4 to 2026Q3, got "2031Q1"
        """
        problems = []
        quarters = self.quarters
        if quarter is not None and (not is_quarter(quarter) or quarter not in quarters):
            span = f"{quarters[0]} to {quarters[-1]}" if quarters else "none"
            problems.append(
                Problem("--quarter", f"a quarter with sales data, {span}", describe(quarter))
            )
        if lang is not None and lang not in LANGUAGES:
            problems.append(Problem("--lang", "one of " + ", ".join(LANGUAGES), describe(lang)))
        raise_if_any(problems)
        quarter = quarter or self.current_quarter
        key = ("as_of", quarter, lang)
        if key in self.cache:
            return self.cache[key]
        settings = copy.deepcopy(self.settings)
        if lang is not None:
            settings["engagement"]["language"] = lang
        settings["engagement"]["current_quarter"] = quarter
        end = pd.Timestamp(quarter_end(quarter)) if is_quarter(quarter) else None
        later = self._not_yet_customers(quarter)
        tables, rows = {}, {}
        for name, frame in self.tables.items():
            keep = np.ones(len(frame), dtype=bool)
            if "quarter" in frame.columns and is_quarter(quarter):
                keep &= (frame["quarter"].fillna("") <= quarter).to_numpy(dtype=bool)
            columns = TABLES[name].columns if name in TABLES else ()
            for c in columns:
                if c.name not in frame.columns:
                    continue
                if c.kind == "date" and c.dates_row and end is not None:
                    keep &= ~(frame[c.name] > end).to_numpy(dtype=bool)
                if later and (
                    c.refers_to == "accounts" or (name, c.name) == ("accounts", "account_id")
                ):
                    refers = frame[c.name].isin(later).to_numpy(dtype=bool, copy=True)
                    if c.refers_when is not None:
                        when, value = c.refers_when
                        refers &= (frame[when] == value).to_numpy(dtype=bool)
                    keep &= ~refers
            frame = frame.loc[keep].reset_index(drop=True)
            dates = [c.name for c in columns if c.kind == "date" and c.name in frame.columns]
            if dates and end is not None:
                frame = frame.assign(**{c: frame[c].where(~(frame[c] > end)) for c in dates})
            tables[name] = frame
            numbers = self.rows.get(name) or []
            rows[name] = [n for n, k in zip(numbers, keep.tolist(), strict=False) if k]
        earlier = Engagement(settings, tables, self.source, rows, absent=list(self.absent))
        self.cache[key] = earlier
        return earlier

    def _not_yet_customers(self, quarter: str) -> set:
        """Accounts that became customers after ``quarter`` (``since_quarter``, else sales)."""
        if not is_quarter(quarter):
            return set()
        accounts = self.tables["accounts"]
        since = accounts["since_quarter"]
        later = set(accounts.loc[since.notna() & (since > quarter), "account_id"])
        aq = self.tables["account_quarters"]
        # each account's first quarter (a sort, not a groupby min: that loops over strings)
        first = (
            aq.dropna(subset=["quarter"])
            .sort_values("quarter", kind="stable")
            .drop_duplicates("account_id")
            .set_index("account_id")["quarter"]
        )
        blank = accounts.loc[since.isna(), "account_id"]
        later |= {a for a in blank if a in first.index and first[a] > quarter}
        return later

    def save_snapshot(self, path: str | Path, key: bytes | str) -> Path:
        """Write the validated, typed engagement to ``path`` for :func:`load_snapshot`.

        A report batch validates once and hands this file to every BU's notebook, which
        then skips reading and checking the raw files again. The file is a pickle signed
        with ``key`` (see :mod:`kamanalysis.base.signed`), created readable by its owner
        only: :func:`load_snapshot` refuses a file that another key signed.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from kamanalysis import load_engagement, paths
        >>> from kamanalysis.base.signed import new_key
        >>> eng = load_engagement(paths.SAMPLE_DATA)
        >>> key = new_key()
        >>> file = eng.save_snapshot(pathlib.Path(tempfile.mkdtemp()) / "eng.pkl", key)
        >>> again = load_snapshot(file, key)
        >>> again.bu_ids == eng.bu_ids and again.accounts.equals(eng.accounts)
        True
        """
        state = {
            "settings": self.settings,
            "tables": self.tables,
            "source": self.source,
            "rows": self.rows,
            "absent": self.absent,
        }
        return signed.dump(state, path, key)


def load_snapshot(path: str | Path, key: bytes | str | None = None) -> Engagement:
    """Read an engagement written by :meth:`Engagement.save_snapshot` (already validated).

    ``key`` is the one it was signed with (default: the run's key a batch puts in its
    kernels' environment, :data:`kamanalysis.base.signed.KEY_VARIABLE`); a file signed
    otherwise is refused before anything in it is read.
    """
    state = signed.load(path, key)
    return Engagement(
        state["settings"],
        state["tables"],
        state["source"],
        state["rows"],
        absent=state.get("absent", []),
    )


def load_engagement(path: str | Path) -> Engagement:
    """Read, validate and type an engagement folder or workbook.

    Parameters
    ----------
    path : str or Path
        A folder holding ``engagement.toml`` and one CSV per table, or an
        ``.xlsx`` workbook with an ``engagement`` sheet and one sheet per table. Only the
        :attr:`~kamanalysis.base.schema.Table.required` tables must be there: any other may be
        left out (a partial engagement), and then loads empty, with its columns typed, and
        is named in :attr:`Engagement.absent`.

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
    kamanalysis.base.errors.InputValidationError: 1 problem found:
      - no/such/folder: expected an engagement folder or an .xlsx workbook, got nothing there
    """
    path = Path(path)
    problems: list[Problem] = []
    absent: list[str] = []
    if path.is_dir():
        raw_settings, raws = read_folder(path, problems, absent)
    elif path.is_file() and path.suffix.lower() == ".xlsx":
        raw_settings, raws = read_workbook(path, problems, absent)
    else:
        found = "nothing there" if not path.exists() else f'a file "{path.name}"'
        raise_if_any(
            [Problem(str(path), "an engagement folder or an .xlsx workbook", found, kind="missing")]
        )
    settings = merge_settings(raw_settings, problems)
    scales = {k: tuple(v) for k, v in settings["scales"].items() if is_scale(v)}
    decimal = settings["engagement"]["decimal"]  # a bad value was reported, the default kept
    tables: dict[str, pd.DataFrame] = {}
    rows: dict[str, list[int]] = {}
    for table in TABLES.values():
        raw = raws.get(table.name)
        tables[table.name] = typed_table(table, raw, scales, problems, decimal)
        rows[table.name] = raw.rows if raw is not None else []
    check_all(tables, raws, settings["engagement"]["current_quarter"], problems)
    raise_if_any(sorted(problems, key=_reading_order))
    return Engagement(settings, tables, path, rows, absent=absent)


_FILE_ORDER = {name: i for i, name in enumerate(["engagement", *TABLES])}


def _reading_order(problem: Problem) -> tuple:
    """Sort problems as a reader meets them: settings, then tables in order, then rows."""
    table = problem.sheet or problem.file.removesuffix(".csv").removesuffix(".toml")
    row = problem.row
    first = int(str(row).split("-")[0]) if row is not None else 0
    return (_FILE_ORDER.get(table, -1), first)
