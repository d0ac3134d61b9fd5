"""Relationship stages and migration between quarters.

- :func:`classify_relationship_stage`: pre / early / mid / partnership / synergistic KAM
  from observable indicators (:data:`STAGE_EVIDENCE`), with drivers and conflicts;
  :func:`stage_evidence_table` sets the rules out as a table and
  :func:`plot_stage_distribution` counts the accounts at each stage.
- :func:`migration` and :func:`plot_migration`: transitions between quadrants, stages or
  buyer views from one quarter to another (:class:`Migration`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from ...base import i18n
from ...base._validation import describe, require_columns
from ...base.errors import InputValidationError, Problem
from ...base.schema import BUYER_VIEWS, QUADRANTS, STAGES
from ...core.charts import COLORS, get_axes
from ._common import _ids, _raise
from .matrices import label

#: Relationship-stage evidence: per indicator, the stages each value is consistent with,
#: as ``(lowest value, lowest stage, highest stage)`` rows (numbers: the last row whose
#: lowest value the indicator reaches applies) or ``value: (lowest stage, highest stage)``.
#: The account's stage is the one the most indicators are consistent with; a tie goes to
#: the earlier stage. Drivers are the indicators consistent with it; conflicts those not.
#: Synergistic KAM is told apart from partnership by the seed's own evidence (000, 003:
#: joint teams by objective, transparent costs and profit, joint development of end users;
#: :data:`SYNERGY_EVIDENCE`), not by a count of contacts.
STAGE_EVIDENCE: dict[str, object] = {
    "contact_points": (
        (0, "pre", "pre"),
        (1, "pre", "early"),  # the "bow tie": one or two people
        (3, "mid", "mid"),
        (6, "partnership", "synergistic"),
    ),
    "contact_levels": (
        (0, "pre", "pre"),
        (1, "pre", "early"),
        (2, "mid", "mid"),
        (3, "partnership", "synergistic"),
    ),
    "contract_months": (
        (0, "pre", "pre"),
        (1, "early", "early"),
        (12, "mid", "mid"),
        (24, "partnership", "synergistic"),
    ),
    "info_sharing": {
        "none": ("pre", "pre"),
        "transactional": ("early", "early"),
        "regular": ("mid", "mid"),
        "open": ("partnership", "synergistic"),
    },
    "cross_functional_team": {False: ("pre", "early"), True: ("mid", "synergistic")},
    "joint_planning": {False: ("pre", "mid"), True: ("partnership", "synergistic")},
    "preferred_supplier": {False: ("pre", "mid"), True: ("partnership", "synergistic")},
    "joint_teams": {False: ("pre", "partnership"), True: ("synergistic", "synergistic")},
    "open_books": {False: ("pre", "partnership"), True: ("synergistic", "synergistic")},
    "joint_development": {False: ("pre", "partnership"), True: ("synergistic", "synergistic")},
}
#: The evidence of synergistic KAM: optional indicators; a column left out, or a blank
#: value, is not assessed (neither a driver nor a conflict, and no vote).
SYNERGY_EVIDENCE = ("joint_teams", "open_books", "joint_development")


def _stage_interval(indicator: str, rule, value) -> tuple[int, int] | None:
    if isinstance(rule, Mapping):
        if value not in rule:
            return None
        lo, hi = rule[value]
    else:
        rows = [r for r in rule if value >= r[0]]
        if not rows:
            return None
        _, lo, hi = rows[-1]
    return STAGES.index(lo), STAGES.index(hi)


def _check_stage_rules(rules: Mapping, where: str) -> list[Problem]:
    problems = []
    for indicator, rule in rules.items():
        pairs = rule.values() if isinstance(rule, Mapping) else [(r[1], r[2]) for r in rule]
        for lo, hi in pairs:
            if lo not in STAGES or hi not in STAGES or STAGES.index(lo) > STAGES.index(hi):
                problems.append(
                    Problem(
                        where,
                        "a stage range (earliest, latest) among " + ", ".join(STAGES),
                        describe(f"{lo}..{hi}"),
                        column=f"thresholds of {indicator}",
                    )
                )
    return problems


def classify_relationship_stage(
    assessments: pd.DataFrame, *, thresholds: Mapping | None = None
) -> pd.DataFrame:
    """Classify each account's relationship stage (关系发展阶段) from observable indicators.

    Each indicator is consistent with a range of stages, set out in
    :data:`STAGE_EVIDENCE` (pass ``thresholds`` to replace the rules of some
    indicators). The stage is the one the most indicators are consistent with; a tie goes
    to the earlier stage (the cautious reading).

    ======================  ======  =========  ========  =============  ===========
    indicator               pre     early      mid       partnership    synergistic
    ======================  ======  =========  ========  =============  ===========
    contact_points          0, 1-2  1-2        3-5       6+             6+
    contact_levels          0, 1    1          2         3+             3+
    contract_months         0       1-11       12-23     24+            24+
    info_sharing            none    transact.  regular   open           open
    cross_functional_team   no      no         yes       yes            yes
    joint_planning          no      no         no        yes            yes
    preferred_supplier      no      no         no        yes            yes
    joint_teams (*)         no      no         no        no             yes
    open_books (*)          no      no         no        no             yes
    joint_development (*)   no      no         no        no             yes
    ======================  ======  =========  ========  =============  ===========

    (*) optional (:data:`SYNERGY_EVIDENCE`): the column may be left out and a value left
    blank; it is then not assessed. Without any of them no account is synergistic: the
    seed's synergistic stage is told by joint teams, open books and joint development.

    Parameters
    ----------
    assessments : DataFrame
        The indicator columns of ``account_assessments``: ``contact_points``,
        ``contact_levels`` (0-6), ``cross_functional_team``, ``info_sharing`` (none,
        transactional, regular, open), ``joint_planning``, ``contract_months``,
        ``preferred_supplier``; optionally ``joint_teams``, ``open_books``,
        ``joint_development``.
    thresholds : mapping, optional
        Rules replacing those of :data:`STAGE_EVIDENCE` for the indicators named.

    Returns
    -------
    DataFrame
        A copy with ``stage`` (one of ``STAGES``), ``drivers`` (the indicators consistent
        with the stage, comma-separated) and ``conflict`` (the indicators that are not,
        with their value, e.g. ``contract_months=36``; ``""`` when none).

    Raises
    ------
    InputValidationError
        An indicator missing, negative, off its range (``contact_levels`` above 6), not
        a whole number, or a value the rules do not know.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"account_id": ["A"], "contact_points": [1], "contact_levels": [1],
    ...     "cross_functional_team": [False], "info_sharing": ["transactional"],
    ...     "joint_planning": [False], "contract_months": [36], "preferred_supplier": [False]})
    >>> r = classify_relationship_stage(a).iloc[0]
    >>> r["stage"], r["conflict"]
    ('early', 'contract_months=36')
    """
    where = "classify_relationship_stage"
    rules = dict(STAGE_EVIDENCE)
    rules.update(thresholds or {})
    _raise(_check_stage_rules(rules, where))
    problems: list[Problem] = []
    require_columns(assessments, [r for r in rules if r not in SYNERGY_EVIDENCE], where=where)
    ids = _ids(assessments)
    intervals = {}
    limits = {"contact_levels": (0, 6)}
    values = {
        indicator: assessments[indicator].tolist()
        if indicator in assessments.columns
        else [None] * len(assessments)
        for indicator in rules
    }
    unassessed = {}
    for indicator in SYNERGY_EVIDENCE:
        if indicator in rules:
            unassessed[indicator] = np.array(
                [v is None or v is pd.NA or v != v for v in values[indicator]], dtype=bool
            )
            values[indicator] = [
                False if blank else v
                for v, blank in zip(values[indicator], unassessed[indicator], strict=True)
            ]
    for indicator, rule in rules.items():
        spans = []
        numeric = not isinstance(rule, Mapping)
        lo, hi = limits.get(indicator, (0, math.inf))
        known: dict = {}  # (type, value) -> span: each distinct value is judged once
        for account, value in zip(ids, values[indicator], strict=True):
            bad = (
                value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
            )
            key = None if bad else (type(value), value)
            if key in known:
                span = known[key]
            else:
                span = None
                if numeric and not bad:
                    ok = isinstance(value, int | float | np.number) and not isinstance(value, bool)
                    bad = not ok or not float(value).is_integer() or not lo <= value <= hi
                if not bad:
                    span = _stage_interval(
                        indicator, rule, bool(value) if isinstance(value, np.bool_) else value
                    )
                if key is not None:
                    known[key] = span
            if span is None:
                if numeric:
                    expected = (
                        f"a whole number from {lo} to {hi}"
                        if hi < math.inf
                        else "a whole number >= 0"
                    )
                else:
                    expected = "one of " + ", ".join(str(k) for k in rule)
                problems.append(
                    Problem(where, expected, describe(value), column=f"{indicator} of {account!r}")
                )
            spans.append(span or (0, 0))
        span = np.array(spans, dtype="int64").reshape(-1, 2)
        if indicator in unassessed:  # not assessed: consistent with every stage, no vote
            span[unassessed[indicator]] = (0, len(STAGES) - 1)
        intervals[indicator] = span
    _raise(problems)
    stage_idx = np.arange(len(STAGES))
    consistent = {
        ind: (span[:, :1] <= stage_idx) & (stage_idx <= span[:, 1:])
        for ind, span in intervals.items()
    }  # account x stage
    votes = sum(consistent.values())
    best = np.argmax(votes, axis=1) if len(assessments) else np.array([], dtype="int64")
    out = assessments.copy(deep=False)  # copy-on-write: the input is never changed
    out["stage"] = np.asarray(STAGES, dtype=object)[best]
    names = list(rules)
    drivers, conflicts = [], []
    # account x indicator: is the indicator consistent with the account's stage?
    agrees = np.column_stack(
        [consistent[ind][np.arange(len(best)), best] for ind in names]
    ).reshape(len(best), len(names))
    skip = {ind: flags for ind, flags in unassessed.items()}
    for k, row in enumerate(agrees.tolist()):
        shown = [
            (ind, yes)
            for ind, yes in zip(names, row, strict=True)
            if not (ind in skip and skip[ind][k])
        ]
        agree = [ind for ind, yes in shown if yes]
        disagree = [f"{ind}={_show(values[ind][k])}" for ind, yes in shown if not yes]
        drivers.append(", ".join(agree))
        conflicts.append(", ".join(disagree))
    out["drivers"] = drivers
    out["conflict"] = conflicts
    return out


def _show(value) -> str:
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def plot_stage_distribution(
    staged: pd.DataFrame, *, ax: Axes | None = None, lang: str = "en"
) -> Axes:
    """Bar chart of the number of accounts at each relationship stage, earliest first.

    Examples
    --------
    >>> import pandas as pd
    >>> ax = plot_stage_distribution(pd.DataFrame({"stage": ["early", "early", "mid"]}))
    >>> [int(p.get_height()) for p in ax.patches]
    [0, 2, 1, 0, 0]
    """
    require_columns(staged, ("stage",), where="plot_stage_distribution")
    counts = staged["stage"].value_counts().reindex(STAGES, fill_value=0)
    ax = get_axes(ax, figsize=(7, 4), where="plot_stage_distribution")
    ax.bar([label(s, lang) for s in STAGES], counts.to_numpy(), color=COLORS["focal"])
    for i, n in enumerate(counts):
        ax.annotate(str(int(n)), (i, n), ha="center", va="bottom", fontsize=9)
    ax.tick_params(axis="x", labelrotation=20)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts of accounts
    ax.set_ylim(0, max(1.0, float(np.nanmax([*counts, 0]))) * 1.1)  # room for the counts
    ax.set_xlabel(i18n.text("chart.stages.xlabel", lang))
    ax.set_ylabel(i18n.text("chart.stages.ylabel", lang))
    ax.set_title(i18n.text("chart.stages.title", lang))
    return ax


def stage_evidence_table(thresholds: Mapping | None = None) -> pd.DataFrame:
    """Return the relationship-stage rules as a table: indicator, value, stages it fits.

    Parameters
    ----------
    thresholds : mapping, optional
        Rules replacing those of :data:`STAGE_EVIDENCE`, as for
        :func:`classify_relationship_stage`.

    Examples
    --------
    >>> t = stage_evidence_table()
    >>> t.loc[t["indicator"] == "info_sharing", "stages"].tolist()
    ['pre', 'early', 'mid', 'partnership to synergistic']
    """
    rules = dict(STAGE_EVIDENCE)
    rules.update(thresholds or {})
    records = []
    for indicator, rule in rules.items():
        if isinstance(rule, Mapping):
            rows = [(_show(value), lo, hi) for value, (lo, hi) in rule.items()]
        else:
            rows = [(f"{low:g} or more", lo, hi) for low, lo, hi in rule]
        for value, lo, hi in rows:
            stages = lo if lo == hi else f"{lo} to {hi}"
            records.append({"indicator": indicator, "value": value, "stages": stages})
    return pd.DataFrame.from_records(records, columns=["indicator", "value", "stages"])


# ----------------------------------------------------------------------------- migration

#: The ordered vocabulary of each column migration knows; others are sorted as found.
VOCABULARIES = {
    "quadrant": QUADRANTS,
    "tier": QUADRANTS,
    "stage": STAGES,
    "buyer_view": BUYER_VIEWS,
}
#: Category of an account present in only one of the two quarters.
ABSENT = "absent"


@dataclass(frozen=True)
class Migration:
    """Transitions between two quarters.

    Attributes
    ----------
    counts : dict column -> DataFrame
        Transition counts: rows = category in the earlier quarter, columns = in the later
        one (every category of the vocabulary, plus ``absent`` when an account is in only
        one of the quarters).
    moved : DataFrame
        One row per account and column that changed: ``account_id``, ``column``,
        ``before``, ``after`` and ``steps`` (for stages: stages moved, + = up; else NaN).
    """

    counts: dict
    moved: pd.DataFrame


def migration(
    earlier: pd.DataFrame,
    later: pd.DataFrame,
    *,
    columns: Sequence[str] = ("quadrant", "stage"),
    key: str = "account_id",
) -> Migration:
    """Transition counts and the accounts that moved between two quarters (客户迁移).

    Parameters
    ----------
    earlier, later : DataFrame
        Scored frames of two quarters (e.g. from :func:`score_selection_matrix` and
        :func:`classify_relationship_stage`), with a ``key`` column or index.
    columns : sequence of str
        The classifications compared.
    key : str
        The account identifier.

    Returns
    -------
    Migration

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"account_id": ["A", "B"], "quadrant": ["opportunistic", "key"]})
    >>> b = pd.DataFrame({"account_id": ["A", "B"], "quadrant": ["develop", "key"]})
    >>> m = migration(a, b, columns=["quadrant"])
    >>> m.moved[["account_id", "before", "after"]].values.tolist()
    [['A', 'opportunistic', 'develop']]
    >>> int(m.counts["quadrant"].loc["key", "key"])
    1
    """
    where = "migration"
    frames = []
    for frame, name in ((earlier, "earlier"), (later, "later")):
        f = frame if key in frame.columns else frame.reset_index()
        require_columns(f, (key, *columns), where=f"{where} ({name})")
        dup = f[key][f[key].duplicated()].unique().tolist()
        if dup:
            raise InputValidationError(
                [Problem(f"{where} ({name})", "each account once", f"repeated {dup}", column=key)]
            )
        frames.append(f.set_index(key)[list(columns)])
    before, after = frames
    ids = sorted(set(before.index) | set(after.index))
    b = before.reindex(ids).astype(object).where(lambda x: x.notna(), ABSENT)
    a = after.reindex(ids).astype(object).where(lambda x: x.notna(), ABSENT)
    counts, moved = {}, []
    for column in columns:
        vocab = list(VOCABULARIES.get(column, sorted(set(b[column]) | set(a[column]) - {ABSENT})))
        extra = sorted((set(b[column]) | set(a[column])) - set(vocab) - {ABSENT})
        vocab += extra
        if (b[column] == ABSENT).any() or (a[column] == ABSENT).any():
            vocab.append(ABSENT)
        table = pd.crosstab(b[column], a[column]).reindex(index=vocab, columns=vocab, fill_value=0)
        table.index.name, table.columns.name = f"{column} before", f"{column} after"
        counts[column] = table
        order = VOCABULARIES.get(column) if column == "stage" else None
        for account, x, y in zip(ids, b[column].to_numpy(), a[column].to_numpy(), strict=True):
            if x != y:
                steps = (
                    order.index(y) - order.index(x)
                    if order and x in order and y in order
                    else np.nan
                )
                moved.append(
                    {
                        "account_id": account,
                        "column": column,
                        "before": x,
                        "after": y,
                        "steps": steps,
                    }
                )
    moved_frame = pd.DataFrame.from_records(
        moved, columns=["account_id", "column", "before", "after", "steps"]
    )
    return Migration(counts, moved_frame)


def plot_migration(
    mig: Migration, *, column: str = "quadrant", ax: Axes | None = None, lang: str = "en"
) -> Axes:
    """Transition matrix of one classification as a shaded table of counts.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"account_id": ["A"], "quadrant": ["opportunistic"]})
    >>> b = pd.DataFrame({"account_id": ["A"], "quadrant": ["develop"]})
    >>> ax = plot_migration(migration(a, b, columns=["quadrant"]))
    >>> ax.get_title()
    'Migration between quarters: selection quadrant'
    """
    where = "plot_migration"
    if column not in mig.counts:
        raise InputValidationError(
            [Problem(where, "one of " + ", ".join(mig.counts), describe(column), column="column")]
        )
    table = mig.counts[column]
    ax = get_axes(ax, figsize=(6, 5), where=where)
    values = table.to_numpy(dtype="float64")
    ax.imshow(values, cmap="Blues", aspect="auto")
    diagonal = np.eye(*values.shape, dtype=bool)
    for (i, j), v in np.ndenumerate(values):
        color = "white" if v > values.max() / 2 else "black"
        weight = "normal" if diagonal[i, j] else "bold"
        ax.text(j, i, f"{int(v)}", ha="center", va="center", color=color, weight=weight)
    names = [label(c, lang) for c in table.index]
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right")
    ax.set_yticks(range(len(names)), names)
    what = i18n.text(f"column.{column}", lang) if i18n.has(f"column.{column}") else column
    ax.set_xlabel(i18n.text("chart.migration.xlabel", lang, column=what))
    ax.set_ylabel(i18n.text("chart.migration.ylabel", lang, column=what))
    ax.set_title(i18n.text("chart.migration.title", lang, column=what))
    return ax
