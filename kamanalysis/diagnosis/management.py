"""Account management of a BU: its managers, their fit and gaps, and one account's plan.

The account manager and the key-account organisation: :func:`check_management` checks
the managers against the accounts, :func:`account_management` composes a BU's section,
:func:`account_plan` one account's page and :func:`account_indifference` the signs that
an account is treated with indifference.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..base.errors import InputValidationError, Problem
from ..base.i18n import joined
from ..base.i18n import label as _label
from ..base.quarters import quarter_range, shift_quarter
from ..data.engagement import Engagement
from ..tools import managers as kam_managers
from ..tools.accounts import CHURN_RULES, CONTACT_RULE, RETENTION_THRESHOLDS, score_health
from ._common import _memo, _scale, assessed
from .competitive import benchmark
from .portfolio import key_account_portfolio


@dataclass(frozen=True)
class AccountManagement:
    """Who manages a BU's accounts, and how well: the "account management" section.

    Attributes
    ----------
    bu_id, quarter : str
    assessed : bool
        False when the engagement has no managers for the BU or no account has a manager
        ("not assessed"); the frames below are then empty, except ``organisation``.
    managers : DataFrame
        The BU's managers (``managers`` rows), indexed by ``manager_id``.
    fit : DataFrame
        :func:`kamanalysis.tools.managers.score_manager_fit` with ``name``, worst fit first.
    gaps : DataFrame
        :func:`kamanalysis.tools.managers.competency_gaps`; managers at or over the span are
        nobody's colleague for a reassignment or a pairing.
    workload : DataFrame
        :func:`kamanalysis.tools.managers.workload` with ``name`` (key = qualifies as a
        key account).
    worst : DataFrame
        :func:`kamanalysis.tools.managers.account_fit` of the key accounts, worst fit first, with
        ``name`` (the account) and ``manager``.
    organisation : Series
        :func:`kamanalysis.tools.managers.organisation_form` of the BU's portfolio.
    """

    bu_id: str
    quarter: str
    assessed: bool
    managers: pd.DataFrame
    fit: pd.DataFrame
    gaps: pd.DataFrame
    workload: pd.DataFrame
    worst: pd.DataFrame
    organisation: pd.Series


def check_management(eng: Engagement) -> None:
    """Check the managers and who manages which account, naming file, row and column.

    The loader checks each table; this adds what crosses them: a ``manager_id`` on an account
    that is not in ``managers``, a manager of another BU, a competency off the rating scale.
    Nothing to check when the engagement has no managers table or no ``manager_id`` column.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> check_management(kam.load_engagement(kam.paths.SAMPLE_DATA))
    """
    frame = eng.tables.get("managers")
    accounts = eng.tables["accounts"]
    if frame is None or "manager_id" not in accounts:
        return
    names = {}
    for table in ("managers", "accounts"):
        file, sheet = eng.location(table)
        names[table] = f"{file} [{sheet}]" if sheet else file
    rows = {}
    for table, data in (("managers", frame), ("accounts", accounts)):
        known = eng.rows.get(table) or []
        # rows unknown (an engagement restricted to some BUs): name no row rather than a wrong one
        rows[table] = list(known) if len(known) == len(data) else [None] * len(data)
    kam_managers.check_managers(
        frame,
        accounts,
        scale=_scale(eng, "rating"),
        files=(names["managers"], names["accounts"]),
        rows=rows,
    )


def rated_managers(eng: Engagement, quarter: str | None = None) -> pd.DataFrame | None:
    """Return the ``managers`` table with the competencies as rated up to ``quarter``.

    The optional ``manager_ratings`` table rates the competencies again in later quarters
    (issue 22): each competency takes its latest rating up to ``quarter``
    (:func:`kamanalysis.tools.managers.ratings_as_of`). None without a managers table.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> now, then = rated_managers(eng), rated_managers(eng, "2025Q1")
    >>> bool((now["comp_principled_negotiation"] >= then["comp_principled_negotiation"]).all())
    True
    """
    frame = eng.tables.get("managers")
    if frame is None:
        return None
    ratings = eng.tables.get("manager_ratings")
    return kam_managers.ratings_as_of(frame, ratings, quarter or eng.current_quarter)


def _managed_accounts(eng: Engagement, bu_id: str, quarter: str, lang: str = "en") -> pd.DataFrame:
    """Return the BU's portfolio with each account's manager (None when none is recorded)."""
    portfolio = key_account_portfolio(eng, bu_id, quarter, lang=lang)
    accounts = eng.accounts.set_index("account_id")
    manager = (
        accounts["manager_id"].reindex(portfolio.index)
        if "manager_id" in accounts
        else pd.Series(None, index=portfolio.index, dtype=object)
    )
    return portfolio.assign(manager_id=manager.astype(object).where(manager.notna(), None))


def account_management(
    eng: Engagement, bu_id: str, quarter: str | None = None, *, lang: str = "en"
) -> AccountManagement:
    """Compose manager fit, gaps, workload, organisation form and worst-fitting accounts.

    The stages and revenue of the accounts come from :func:`key_account_portfolio` (the
    accounts assessed in the quarter); key accounts are those that qualify. The BU's
    ``key_account_organisation`` (when recorded) is the organisation today.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> m = account_management(eng, "PV")
    >>> m.fit.index[0], round(float(m.fit["fit"].iloc[0]), 3)
    ('PVM01', 0.475)
    >>> m.worst.index[:3].tolist()
    ['PV001', 'PV003', 'PV004']
    """
    quarter = quarter or eng.current_quarter

    def compute() -> AccountManagement:
        check_management(eng)
        portfolio = _managed_accounts(eng, bu_id, quarter)
        units = eng.business_units.set_index("bu_id")
        current = (
            units.loc[bu_id, "key_account_organisation"]
            if "key_account_organisation" in units
            else None
        )
        organisation = kam_managers.organisation_form(
            portfolio.assign(key=portfolio["tier"] == "key"),
            current=None if pd.isna(current) else current,
            lang=lang,
        )
        frame = rated_managers(eng, quarter)
        mine = (
            frame.loc[frame["bu_id"] == bu_id].set_index("manager_id")
            if frame is not None
            else pd.DataFrame()
        )
        assigned = portfolio["manager_id"].notna().any()
        empty = pd.DataFrame()
        if mine.empty or not assigned:
            return AccountManagement(
                bu_id, quarter, False, mine, empty, empty, empty, empty, organisation
            )
        accounts = portfolio.reset_index()[["account_id", "manager_id", "stage", "revenue"]]
        accounts = accounts.assign(name=portfolio["name"].astype(str).to_numpy())
        scale = _scale(eng, "rating")
        table = mine.reset_index()
        fit = kam_managers.score_manager_fit(table, accounts, scale=scale, lang=lang)
        fit.insert(0, "name", mine["name"])
        fit = fit.sort_values(["fit", "revenue"], ascending=[True, False], na_position="last")
        load = kam_managers.workload(
            portfolio.reset_index().assign(key=(portfolio["tier"] == "key").to_numpy()),
            managers=list(mine.index),
            span={"key_accounts": eng.settings["capacity"]["key_accounts_per_manager"]},
        )
        busy = list(load.index[load["key_load"] >= 1])  # at the span: takes on no more
        gaps = kam_managers.competency_gaps(table, accounts, scale=scale, busy=busy, lang=lang)
        load.insert(0, "name", mine["name"])
        worst = kam_managers.account_fit(table, accounts, scale=scale)
        worst = worst.loc[worst.index.isin(portfolio.index[portfolio["tier"] == "key"])]
        worst.insert(0, "name", portfolio["name"].reindex(worst.index))
        worst.insert(2, "manager", mine["name"].reindex(worst["manager_id"]).to_numpy())
        return AccountManagement(bu_id, quarter, True, mine, fit, gaps, load, worst, organisation)

    return _memo(eng, ("account_management", bu_id, quarter, lang), compute)


@dataclass(frozen=True)
class AccountPlan:
    """The one-page plan of one account: what :mod:`kamanalysis.report.plans` writes.

    Attributes
    ----------
    account_id, bu_id, quarter, lang : str
    account : Series
        The account's row of :func:`key_account_portfolio` (``name``, ``qualifies``,
        ``reasons``, ``quadrant``, ``stage``, ``signals``, ...) with ``manager_id``.
    role : str
        The manager's role at the account's stage (seed 000).
    manager : Series
        The manager (``name``, competencies) or an empty Series when none is assigned.
    fit : Series
        The manager's fit to this account's stage (``fit``, ``largest_gap``), or empty.
    gaps : DataFrame
        The manager's gaps at this account's stage, with recommendations.
    contacts : DataFrame
        :func:`kamanalysis.tools.managers.contact_plan` of the account's buying centre.
    spin : DataFrame
        :func:`kamanalysis.tools.managers.spin_call_plan`.
    indifference : Series
        :func:`kamanalysis.tools.managers.indifference` of the account.
    churn : DataFrame
        :func:`kamanalysis.tools.managers.churn_causes` of the account.
    """

    account_id: str
    bu_id: str
    quarter: str
    lang: str
    account: pd.Series
    role: str
    manager: pd.Series
    fit: pd.Series
    gaps: pd.DataFrame
    contacts: pd.DataFrame
    spin: pd.DataFrame
    indifference: pd.Series
    churn: pd.DataFrame


def account_plan(
    eng: Engagement, account_id: str, quarter: str | None = None, *, lang: str = "en"
) -> AccountPlan:
    """Compose the one-page account plan of one account in a quarter.

    Stage and the manager's role at it, the manager's fit and gaps at that stage, the
    contact plan of the buying centre, a SPIN call plan from the account's ledger, feedback,
    our long and short boards and its churn-risk signals, and the churn causes with the
    indifference measured (executive visits from ``account_assessments``, complaints
    without response from the last four quarters' feedback comments).

    Raises
    ------
    InputValidationError
        The account is not in ``accounts``, or was not assessed in the quarter.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> p = account_plan(eng, "PV002")
    >>> bool(p.account["qualifies"]), p.account["stage"], p.manager["name"]
    (False, 'early', 'Wang Li 王丽')
    """
    quarter = quarter or eng.current_quarter
    accounts = eng.accounts.set_index("account_id")
    if account_id not in accounts.index:
        file, sheet = eng.location("accounts")
        raise InputValidationError(
            [
                Problem(
                    file,
                    "an account_id listed in accounts",
                    f'"{account_id}"',
                    column="account_id",
                    sheet=sheet,
                )
            ]
        )
    bu_id = str(accounts.loc[account_id, "bu_id"])
    portfolio = _managed_accounts(eng, bu_id, quarter, lang)
    if account_id not in portfolio.index:
        file, sheet = eng.location("account_assessments")
        raise InputValidationError(
            [
                Problem(
                    file,
                    f"an assessment of {account_id} in {quarter}",
                    "none",
                    column="account_id",
                    sheet=sheet,
                )
            ]
        )
    account = portfolio.loc[account_id]
    stage = str(account["stage"])
    management = account_management(eng, bu_id, quarter)
    manager_id = account["manager_id"]
    manager = pd.Series(dtype=object)
    fit = pd.Series(dtype=object)
    gaps = pd.DataFrame()
    if management.assessed and manager_id is not None and manager_id in management.managers.index:
        manager = management.managers.loc[manager_id]
        table = management.managers.reset_index()
        one = pd.DataFrame(
            {
                "account_id": [account_id],
                "manager_id": [manager_id],
                "stage": [stage],
                "revenue": [float(account["revenue"])],
            }
        )
        scale = _scale(eng, "rating")
        fit = kam_managers.account_fit(table, one, scale=scale).loc[account_id]
        gaps = kam_managers.competency_gaps(table, one, scale=scale, lang=lang)
        gaps = gaps.loc[gaps["manager_id"] == manager_id].reset_index(drop=True)
    contacts = eng.contacts.loc[eng.contacts["account_id"] == account_id]
    plan = kam_managers.contact_plan(contacts, lang=lang) if len(contacts) else pd.DataFrame()
    boards = None
    if not eng.benchmark.loc[
        (eng.benchmark["bu_id"] == bu_id) & (eng.benchmark["quarter"] == quarter)
    ].empty:
        boards = benchmark(eng, bu_id, quarter).boards
    feedback = eng.feedback.loc[eng.feedback["bu_id"] == bu_id]
    spin = kam_managers.spin_call_plan(
        eng.account_quarters.loc[eng.account_quarters["bu_id"] == bu_id],
        account_id=account_id,
        quarter=quarter,
        feedback=feedback,
        boards=boards,
        signals=str(account["signals"]),
        scale=_scale(eng, "rating"),
        labels={d: _label(d, lang) for d in feedback["dimension"].unique()},
        lang=lang,
    )
    coverage = portfolio.loc[[account_id], ["days_since_decider"]]
    signs = _indifference(eng, bu_id, quarter, coverage, lang)
    churn = kam_managers.churn_causes(portfolio.loc[[account_id]], signs=signs, lang=lang)
    return AccountPlan(
        account_id,
        bu_id,
        quarter,
        lang,
        account,
        kam_managers.STAGE_ROLES[stage][lang],
        manager,
        fit,
        gaps,
        plan,
        spin,
        signs.loc[account_id],
        churn,
    )


def account_indifference(
    eng: Engagement, bu_id: str, quarter: str | None = None, *, lang: str = "en"
) -> pd.DataFrame:
    """Measure the "treated with indifference" signs of each assessed account of a BU.

    Days since a decider was met (the buying-centre coverage of
    :func:`key_account_portfolio`), executive visits in the last four quarters (the
    quarter's ``account_assessments.executive_visits``, when recorded) and complaints
    without response in the key-account feedback comments of the last four quarters. See
    :func:`kamanalysis.tools.managers.indifference`; ``tier``, ``qualifies`` and ``name``
    are added.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> signs = account_indifference(eng, "MC")
    >>> int(signs.loc["MC001", "signs"]), signs.loc["MC001", "evidence"].split("; ")[0]
    (3, 'no decider met for 212 days')
    """
    quarter = quarter or eng.current_quarter
    portfolio = key_account_portfolio(eng, bu_id, quarter)
    signs = _indifference(eng, bu_id, quarter, portfolio[["days_since_decider"]], lang)
    signs.insert(0, "qualifies", portfolio["qualifies"])
    signs.insert(0, "tier", portfolio["tier"])
    signs.insert(0, "name", portfolio["name"])
    return signs


def _rows_of(eng: Engagement, bu_id: str, quarter: str) -> pd.DataFrame:
    """Return the BU's assessments of a quarter, indexed by account."""
    aa = eng.account_assessments
    rows = aa.loc[(aa["bu_id"] == bu_id) & (aa["quarter"] == quarter)]
    return rows.drop_duplicates("account_id").set_index("account_id")


def account_health(
    eng: Engagement,
    bu_id: str,
    quarter: str | None = None,
    *,
    lang: str = "en",
    trend: bool = True,
) -> pd.DataFrame:
    """One account-risk view: each assessed account's health 0-100, its trend and its signals.

    The signals, each counted once (:data:`kamanalysis.tools.accounts.HEALTH_SIGNALS`): the
    churn-risk signals of :func:`key_account_portfolio` (falling purchases, rising payment
    days, falling feedback, no decider met for 180 days), the indifference signs of
    :func:`account_indifference` that are not already there (no executive visit in a year,
    a complaint without response), for a key account fewer contacts than the 3-5
    rule asks, and seed 003's retention levers where the assessments show them (a key
    account with low switching costs: a short contract and no preferred-supplier status;
    a stale offer: our innovation rated 2 or below). ``health_change`` is the change
    since the quarter before (NaN when that quarter was not assessed, or with
    ``trend=False``, which leaves the quarter before unscored: the backtest). Indexed by
    ``account_id``, the portfolio's order, with ``name``, ``tier``, ``health``,
    ``health_change``, ``health_signals`` (in words, in ``lang``) and ``health_codes``
    (the signals' names).

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> h = account_health(eng, "MC")
    >>> bool(h.loc["MC001", "health"] < 60), "no_executive_visit" in h.loc["MC001", "health_codes"]
    (True, True)
    """
    quarter = quarter or eng.current_quarter

    def one(q: str) -> pd.DataFrame:
        portfolio = key_account_portfolio(eng, bu_id, q)
        signs = account_indifference(eng, bu_id, q)
        out = score_health(health_flags(eng, bu_id, q, portfolio, signs))
        out.insert(0, "tier", portfolio["tier"])
        out.insert(0, "name", portfolio["name"])
        return out

    def compute() -> pd.DataFrame:
        now = one(quarter)
        prev = shift_quarter(quarter, -1)
        before = (
            one(prev)["health"].reindex(now.index)
            if trend and assessed(eng, "account_assessments", bu_id, prev)
            else pd.Series(float("nan"), index=now.index)
        )
        now.insert(3, "health_change", now["health"] - before)
        now["health_codes"] = now["health_signals"]
        now["health_signals"] = [
            joined((_label(s, lang, kind="signals") for s in codes.split(", ") if s), lang)
            for codes in now["health_codes"]
        ]
        return now

    return _memo(eng, ("account_health", bu_id, quarter, lang, trend), compute)


def health_flags(
    eng: Engagement, bu_id: str, quarter: str, accounts: pd.DataFrame, signs: pd.DataFrame
) -> pd.DataFrame:
    """Return the health signals raised at each account (one bool column per signal).

    ``accounts``: the BU's accounts of ``quarter`` with their ``tier``, ``contacts`` and
    churn-risk ``signals`` (comma-separated names), as :func:`key_account_portfolio` gives
    them; ``signs``: their signs of indifference (:func:`account_indifference`).
    :func:`kamanalysis.tools.accounts.score_health` turns the flags into health;
    :func:`account_health` and the backtest's scores share them.
    """
    flags = pd.DataFrame(index=accounts.index)
    raised = accounts["signals"].fillna("").str.split(", ")
    for signal in CHURN_RULES:
        flags[signal] = raised.map(lambda names, s=signal: s in names)
    flags["no_executive_visit"] = signs["no_executive_visit"].reindex(flags.index)
    flags["unanswered_complaint"] = signs["no_response"].reindex(flags.index)
    flags["few_contacts"] = (accounts["tier"] == "key") & (
        accounts["contacts"].fillna(0) < CONTACT_RULE[0]
    )
    rows = _rows_of(eng, bu_id, quarter).reindex(accounts.index)
    if "contract_months" in rows and "preferred_supplier" in rows:
        short = (
            pd.to_numeric(rows["contract_months"], errors="coerce").fillna(0)
            < (RETENTION_THRESHOLDS["contract_months"])
        )
        preferred = rows["preferred_supplier"].fillna(False).astype(bool)
        flags["low_switching_cost"] = (accounts["tier"] == "key") & short & ~preferred
    if "str_innovation" in rows:
        innovation = pd.to_numeric(rows["str_innovation"], errors="coerce")
        flags["stale_offer"] = innovation <= RETENTION_THRESHOLDS["innovation"]
    return flags


def _indifference(
    eng: Engagement, bu_id: str, quarter: str, coverage: pd.DataFrame, lang: str
) -> pd.DataFrame:
    """Return the signs of indifference of the accounts in ``coverage``.

    The BU's executive visits in the quarter and its key accounts' feedback over the last
    four quarters are the evidence; one account's plan and the BU's section share them.
    """
    aa = eng.account_assessments
    visits = None
    if "executive_visits" in aa:
        rows = aa.loc[(aa["bu_id"] == bu_id) & (aa["quarter"] == quarter)]
        visits = rows.set_index("account_id")["executive_visits"]
    year = quarter_range(shift_quarter(quarter, -3), quarter)
    fb = eng.feedback
    said = fb.loc[
        (fb["bu_id"] == bu_id) & (fb["source"] == "key_account") & fb["quarter"].isin(year)
    ]
    return kam_managers.indifference(coverage, visits=visits, feedback=said, lang=lang)
