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

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..base import signed
from ..base._validation import describe
from ..base.errors import InputValidationError, Problem, raise_if_any
from ..base.schema import TABLES
from .checks import check_all
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

    def bu_name(self, bu_id: str) -> str:
        """Return the display name of a BU.

        Examples
        --------
        >>> from kamanalysis import load_engagement, paths
        >>> eng = load_engagement(paths.SAMPLE_DATA)
        >>> eng.bu_name("PV")
        'Pumps & Valves'
        >>> eng.bu_name("XX")
        Traceback (most recent call last):
        ...
        kamanalysis.base.errors.InputValidationError: 1 problem found:
          - business_units.csv, column bu_id: expected one of the BUs PV, IC, MC, got "XX"
        """
        units = self.tables["business_units"]
        names = units.loc[units["bu_id"] == bu_id, "name"]
        if names.empty:
            raise InputValidationError([self.unknown_bu(bu_id)])
        return str(names.iloc[0])

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
    tables: dict[str, pd.DataFrame] = {}
    rows: dict[str, list[int]] = {}
    for table in TABLES.values():
        raw = raws.get(table.name)
        tables[table.name] = typed_table(table, raw, scales, problems)
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
