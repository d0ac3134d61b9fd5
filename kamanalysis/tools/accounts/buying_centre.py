"""The buying centre, the concentration of the portfolio and the warning signs of churn.

- :func:`buying_centre_coverage` and :func:`plot_buying_centre`: roles covered and
  missing, support weighted by influence, the 3-5 contacts rule (:data:`CONTACT_RULE`),
  the last contact with a decider.
- :func:`portfolio_concentration`: top-N shares and the Herfindahl index.
- :func:`churn_signals`: the churn-risk signals raised at each account
  (:data:`CHURN_RULES`, :data:`CHURN_THRESHOLDS`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ...base import i18n
from ...base._numeric import safe_divide
from ...base._validation import check_allowed, describe, require_columns
from ...base.errors import Problem
from ...base.quarters import shift_quarter
from ...base.schema import ATTITUDES, BUYING_ROLES, DEFAULT_SCALES
from ...core.charts import COLORS, around, get_axes, legend_outside, place_labels
from ._common import _raise, _ratings

#: Buying-centre rule of thumb (seed 003): a complex sale needs 3 to 5 contacts.
CONTACT_RULE = (3, 5)

#: Churn-risk signals and their thresholds (seed 003's warning signs, made observable).
CHURN_RULES = {
    "falling_purchases": "sales over the last two quarters 10 % or more below the two before",
    "rising_payment_days": "average payment days over the last two quarters up by 10 days or more",
    "falling_feedback": "mean key-account feedback down by 0.5 or more on the quarter before",
    "no_decider_contact": "no contact with a decider for 180 days or more (or none mapped)",
}
CHURN_THRESHOLDS = {
    "falling_purchases": -0.10,
    "rising_payment_days": 10.0,
    "falling_feedback": -0.5,
    "no_decider_contact": 180,
}


# ----------------------------------------------------------------------------- buying centre


def buying_centre_coverage(
    contacts: pd.DataFrame,
    *,
    as_of,
    accounts: Iterable | None = None,
    key_accounts: Iterable | None = None,
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
) -> pd.DataFrame:
    """How well we reach each account's buying centre (采购中心).

    Parameters
    ----------
    contacts : DataFrame
        The ``contacts`` table: ``contact_id``, ``account_id``, ``role`` (decider,
        influencer, user, gatekeeper, buyer), ``influence`` (on ``scale``), ``attitude``
        (supporter, neutral, opponent) and ``last_contact`` (a date, or blank).
    as_of : date
        The day the coverage is measured on; a contact dated after it is an error.
    accounts : iterable of account ids, optional
        The accounts to report (e.g. those assessed): each gets a row, also without
        contacts; a contact at an account not among them is an error ("contacts but no
        assessment"). Default: the accounts in ``contacts``.
    key_accounts : iterable of account ids, optional
        Key accounts; a key account with a single contact is flagged ``single_threaded``
        (the "bow tie": everything hangs on one person).
    scale : (lo, hi)
        Scale of ``influence``.

    Returns
    -------
    DataFrame indexed by ``account_id`` (sorted): ``contacts``, ``roles_covered`` and
    ``roles_missing`` (comma-separated, in the order of ``BUYING_ROLES``), ``support``,
    ``opposition`` (influence of supporters and opponents), ``net_support``
    ((support - opposition) / total influence, from -1 to 1; NaN without contacts),
    ``contact_rule`` (``below``, ``within`` or ``above`` the 3-5 rule),
    ``days_since_decider`` (days since the last contact with a decider; NaN when no
    decider is mapped or no decider's last contact is dated: a blank date is unknown,
    never today), ``bow_tie`` (one contact), ``single_threaded`` (a key account with one
    contact) and ``decider_mapped`` (a decider is among the contacts).

    Raises
    ------
    InputValidationError
        A contact listed twice, an unknown role or attitude, influence off the scale,
        a contact dated after ``as_of``, a contact at an account not in ``accounts``.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"contact_id": ["c1", "c2"], "account_id": ["A", "A"],
    ...     "role": ["decider", "buyer"], "influence": [5, 3],
    ...     "attitude": ["supporter", "opponent"],
    ...     "last_contact": pd.to_datetime(["2026-06-01", "2026-09-01"])})
    >>> r = buying_centre_coverage(c, as_of="2026-09-30").loc["A"]
    >>> r["roles_missing"], float(r["net_support"]), int(r["days_since_decider"]), r["contact_rule"]
    ('influencer, user, gatekeeper', 0.25, 121, 'below')
    """
    where = "buying_centre_coverage"
    require_columns(
        contacts,
        ("contact_id", "account_id", "role", "influence", "attitude", "last_contact"),
        where=where,
    )
    as_of = pd.Timestamp(as_of)
    data = contacts.reset_index(drop=True)
    problems = []
    dup = data["contact_id"].duplicated(keep=False)
    for cid in data.loc[dup, "contact_id"].unique():
        owners = sorted(str(a) for a in data.loc[data["contact_id"] == cid, "account_id"])
        problems.append(
            Problem(
                where,
                "each contact listed once",
                f"{cid!r} listed {len(owners)} times (accounts {', '.join(owners)})",
                column="contact_id",
            )
        )
    data["_label"] = [
        f"{c} at {a}" for c, a in zip(data["contact_id"], data["account_id"], strict=True)
    ]
    problems += check_allowed(data, "role", BUYING_ROLES, where=where, label_by="_label")
    problems += check_allowed(data, "attitude", ATTITUDES, where=where, label_by="_label")
    labelled = data[["influence"]].set_axis(data["_label"])
    influence, more = _ratings(labelled, ["influence"], scale, where=where)
    problems += more
    dates = pd.to_datetime(data["last_contact"], errors="coerce")
    unread = (dates.isna() & data["last_contact"].notna()).to_numpy()
    late = (dates.notna() & (dates > as_of)).to_numpy()
    for i in np.flatnonzero(unread | late):  # only the contacts with a problem
        lbl, raw, date = data["_label"].iat[i], data["last_contact"].iat[i], dates.iat[i]
        if unread[i]:
            problems.append(
                Problem(
                    where,
                    "a date written YYYY-MM-DD",
                    describe(raw),
                    column=f"last_contact of {lbl!r}",
                )
            )
        else:
            problems.append(
                Problem(
                    where,
                    f"a date on or before as_of {as_of.date()}",
                    str(date.date()),
                    column=f"last_contact of {lbl!r}",
                )
            )
    ids = sorted(set(data["account_id"])) if accounts is None else sorted(set(accounts))
    unknown = sorted(set(data["account_id"]) - set(ids))
    for account in unknown:
        problems.append(
            Problem(
                where,
                "an assessed account for every account with contacts",
                f"contacts but no assessment for {account!r}",
                column="account_id",
            )
        )
    _raise(problems)
    data["influence"] = influence[:, 0]
    data["_date"] = dates
    keys = set() if key_accounts is None else set(key_accounts)
    # one pass over the contacts, grouped by account (thousands of accounts stay fast)
    by_account = data.assign(
        _support=data["influence"].where(data["attitude"] == "supporter", 0.0),
        _opposition=data["influence"].where(data["attitude"] == "opponent", 0.0),
        _decider=data["_date"].where(data["role"] == "decider"),
    ).groupby("account_id", sort=False)
    index = pd.Index(ids, name="account_id", dtype=object)
    sums = by_account[["_support", "_opposition", "influence"]].sum().reindex(index)
    n = by_account.size().reindex(index).fillna(0).astype("int64")
    last_decider = by_account["_decider"].max().reindex(index)
    present = (
        data.groupby(["account_id", "role"], sort=False)
        .size()
        .unstack(fill_value=0)
        .reindex(index=index, columns=list(BUYING_ROLES))
        .fillna(0)
        .gt(0)
        .to_numpy()
    )
    support = sums["_support"].fillna(0.0).astype("float64")
    opposition = sums["_opposition"].fillna(0.0).astype("float64")
    total = sums["influence"].fillna(0.0).astype("float64")
    counts = n.to_numpy()
    out = pd.DataFrame(
        {
            "contacts": counts,
            "roles_covered": [
                ", ".join(r for r, has in zip(BUYING_ROLES, row, strict=True) if has)
                for row in present
            ],
            "roles_missing": [
                ", ".join(r for r, has in zip(BUYING_ROLES, row, strict=True) if not has)
                for row in present
            ],
            "support": support.to_numpy(),
            "opposition": opposition.to_numpy(),
            "net_support": safe_divide(support - opposition, total).to_numpy(),
            "contact_rule": np.where(
                counts < CONTACT_RULE[0],
                "below",
                np.where(counts > CONTACT_RULE[1], "above", "within"),
            ),
            "days_since_decider": (as_of - pd.to_datetime(last_decider))
            .dt.days.astype("float64")
            .to_numpy(),
            "bow_tie": counts == 1,
            "single_threaded": (counts == 1) & index.isin(list(keys)),
            "decider_mapped": present[:, BUYING_ROLES.index("decider")].astype(bool),
        },
        index=index,
    )
    return out


#: A person's dot on the buying-centre map (area, points squared).
BUBBLE = 260


def plot_buying_centre(
    contacts: pd.DataFrame,
    account_id: str,
    *,
    ax: Axes | None = None,
    name: str = "title",
    lang: str = "en",
) -> Axes:
    """One account's buying-centre map: role across, influence up, colour = attitude.

    Each person is labelled by the ``name`` column (default ``title``, the job title).

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"account_id": ["A", "A"], "title": ["GM", "Buyer"],
    ...     "role": ["decider", "buyer"], "influence": [5, 3],
    ...     "attitude": ["supporter", "opponent"]})
    >>> ax = plot_buying_centre(c, "A")
    >>> ax.get_title(), [t.get_text() for t in ax.get_xticklabels()][:2]
    ('Buying centre of A', ['decider', 'influencer'])
    """
    where = "plot_buying_centre"
    require_columns(contacts, ("account_id", "role", "influence", "attitude"), where=where)
    rows = contacts.loc[contacts["account_id"] == account_id].reset_index(drop=True)
    ax = get_axes(ax, figsize=(7, 4.5), where=where)
    shade = {"supporter": COLORS["good"], "neutral": COLORS["other"], "opponent": COLORS["bad"]}
    x = np.array([BUYING_ROLES.index(r) for r in rows["role"]], dtype="float64")
    # people sharing a role are spread across its column, in a fixed order
    rank = rows.groupby("role").cumcount().to_numpy() if len(rows) else np.array([])
    size = rows.groupby("role")["role"].transform("size").to_numpy() if len(rows) else np.array([])
    x = x + (rank - (size - 1) / 2) * 0.18
    y = rows["influence"].to_numpy(dtype="float64")
    for attitude in ATTITUDES:
        mask = (rows["attitude"] == attitude).to_numpy()
        ax.scatter(
            x[mask],
            y[mask],
            s=BUBBLE,
            color=shade[attitude],
            label=i18n.label(attitude, lang, kind="attitude"),
            edgecolor="white",
        )
    roles = [i18n.label(r, lang, kind="role") for r in BUYING_ROLES]
    ax.set_xticks(range(len(BUYING_ROLES)), roles)
    ax.set_xlim(-0.6, len(BUYING_ROLES) - 0.4)
    ax.set_ylim(0.5, 5.8)
    ax.set_xlabel(i18n.text("chart.buying_centre.xlabel", lang))
    ax.set_ylabel(i18n.text("chart.buying_centre.ylabel", lang))
    ax.set_title(i18n.text("chart.buying_centre.title", lang, account=account_id))
    if name in rows:  # each name where it overlaps no other: above, below, beside its dot
        radius = np.sqrt(BUBBLE) / 2
        places = [(*around(radius), *around(radius + 10)[2:])] * len(rows)
        order = np.argsort(-y, kind="stable")  # the most influential named first
        place_labels(ax, x, y, rows[name].astype(str).tolist(), order, places=places, keep=True)
    handles, names = ax.get_legend_handles_labels()
    title = i18n.text("chart.buying_centre.attitude", lang)
    legend_outside(ax, handles, names, title=title)
    return ax


# ----------------------------------------------------------------------------- portfolio and churn


def portfolio_concentration(revenue: pd.Series, *, top: Sequence[int] = (1, 5, 10)) -> pd.Series:
    """Concentration of a portfolio's revenue: top-N shares and the Herfindahl index.

    Parameters
    ----------
    revenue : Series
        Revenue per account (negative or missing counts as 0).
    top : sequence of int
        The N of the top-N shares.

    Returns
    -------
    Series: ``accounts``, ``top_<N>_share`` for each N (fractions of the total),
    ``herfindahl`` (sum of squared shares, from 1/accounts to 1) and
    ``equivalent_accounts`` (1 / herfindahl: the number of equal accounts that would be
    as concentrated). Shares are NaN when the total is 0.

    Examples
    --------
    >>> import pandas as pd
    >>> c = portfolio_concentration(pd.Series([50.0, 30.0, 20.0]), top=(1, 2)).round(2)
    >>> c.to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'accounts': 3.0, 'top_1_share': 0.5, 'top_2_share': 0.8, 'herfindahl': 0.38,
     'equivalent_accounts': 2.63}
    """
    values = pd.to_numeric(revenue, errors="coerce").fillna(0).clip(lower=0)
    total = float(values.sum())
    ordered = np.sort(values.to_numpy(dtype="float64"))[::-1]
    out = {"accounts": float(len(values))}
    for n in top:
        out[f"top_{n}_share"] = safe_divide(float(ordered[:n].sum()), total)
    shares = ordered / total if total > 0 else np.full(len(ordered), np.nan)
    hhi = float(np.sum(shares**2)) if total > 0 else np.nan
    out["herfindahl"] = hhi
    out["equivalent_accounts"] = safe_divide(1.0, hhi)
    return pd.Series(out, name="concentration")


def churn_signals(
    quarters: pd.DataFrame,
    *,
    quarter: str | None = None,
    first_quarter: str | None = None,
    feedback: pd.DataFrame | None = None,
    coverage: pd.DataFrame | None = None,
    thresholds: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Churn-risk warning signs per account, each named (流失预警).

    The signals (:data:`CHURN_RULES`, thresholds in :data:`CHURN_THRESHOLDS`):

    - ``falling_purchases``: sales in the last two quarters up to ``quarter`` at least
      10 % below the two quarters before;
    - ``rising_payment_days``: mean payment days of the last two quarters at least 10
      days above the two before;
    - ``falling_feedback``: the account's mean key-account feedback score in ``quarter``
      at least 0.5 below the quarter before (needs ``feedback``);
    - ``no_decider_contact``: 180 days or more since we last met a decider, or no decider
      mapped at all (needs ``coverage`` from :func:`buying_centre_coverage`).

    A signal whose window the data do not cover is **not available**, never computed on a
    shorter window: the purchase and payment signals need the four quarters up to
    ``quarter`` from ``first_quarter`` on, the feedback signal the quarter before (from
    ``first_quarter`` on, and key-account feedback in it when there is some in ``quarter``); the
    decider signal is not available at an account whose deciders' last contact is not dated.
    It is then False, and named in ``unavailable``.

    Parameters
    ----------
    first_quarter : str, optional
        The first quarter of the data (default: the earliest in ``quarters``).

    Returns
    -------
    DataFrame indexed by ``account_id``: one bool column per signal, ``signals`` (the
    names of the signals raised, comma-separated), ``signal_count`` and ``unavailable``
    (the signals that could not be assessed, comma-separated); ``attrs["unavailable"]``
    maps each signal not available for every account to the quarters it needs.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"account_id": "A", "quarter": ["2026Q1", "2026Q2", "2026Q3", "2026Q4"],
    ...                   "revenue": [100.0, 100.0, 80.0, 70.0], "payment_days": [40, 40, 45, 60]})
    >>> churn_signals(q).loc["A", "signals"]
    'falling_purchases, rising_payment_days'
    >>> late = churn_signals(q, first_quarter="2026Q2")
    >>> late.loc["A", ["signals", "unavailable"]].tolist()
    ['', 'falling_purchases, rising_payment_days']
    >>> late.attrs["unavailable"]["falling_purchases"]
    '2026Q1 to 2026Q4'
    """
    where = "churn_signals"
    require_columns(quarters, ("account_id", "quarter", "revenue", "payment_days"), where=where)
    limits = dict(CHURN_THRESHOLDS)
    limits.update(thresholds or {})
    quarter = quarter or max(quarters["quarter"].dropna())
    first_quarter = first_quarter or min(quarters["quarter"].dropna(), default=quarter)
    recent = [shift_quarter(quarter, -1), quarter]
    before = [shift_quarter(quarter, -3), shift_quarter(quarter, -2)]
    window = f"{before[0]} to {quarter}"
    unavailable: dict[str, str] = {}
    if before[0] < first_quarter:  # the window starts before the data: not available
        unavailable |= {"falling_purchases": window, "rising_payment_days": window}
    if shift_quarter(quarter, -1) < first_quarter:
        unavailable["falling_feedback"] = f"{shift_quarter(quarter, -1)} to {quarter}"
    rows = quarters.loc[quarters["quarter"].isin(recent + before)]
    ids = sorted(set(quarters.loc[quarters["quarter"] == quarter, "account_id"]))
    rev = rows.pivot_table(index="account_id", columns="quarter", values="revenue", aggfunc="sum")
    rev = rev.reindex(index=ids, columns=before + recent).fillna(0.0)
    days = rows.pivot_table(
        index="account_id", columns="quarter", values="payment_days", aggfunc="mean"
    )
    days = days.reindex(index=ids, columns=before + recent)
    change = safe_divide(rev[recent].sum(axis=1), rev[before].sum(axis=1)) - 1
    out = pd.DataFrame(index=pd.Index(ids, name="account_id"))
    out["falling_purchases"] = (change <= limits["falling_purchases"]).fillna(False).astype(bool)
    rise = days[recent].mean(axis=1) - days[before].mean(axis=1)
    out["rising_payment_days"] = (rise >= limits["rising_payment_days"]).fillna(False).astype(bool)
    out["falling_feedback"] = False
    if feedback is not None:
        require_columns(feedback, ("quarter", "respondent_id", "score"), where=where)
        fb = (
            feedback
            if "source" not in feedback
            else feedback.loc[feedback["source"] == "key_account"]
        )
        mean = fb.pivot_table(
            index="respondent_id", columns="quarter", values="score", aggfunc="mean"
        )
        previous = shift_quarter(quarter, -1)
        if quarter in mean and previous in mean:
            drop = (mean[quarter] - mean[previous]).reindex(ids)
            out["falling_feedback"] = (
                (drop <= limits["falling_feedback"]).fillna(False).astype(bool)
            )
        elif quarter in mean and "falling_feedback" not in unavailable:
            # feedback this quarter but none the quarter before (a first survey)
            unavailable["falling_feedback"] = f"{previous} to {quarter}"
    out["no_decider_contact"] = False
    undated = np.zeros(len(ids), dtype=bool)
    if coverage is not None:
        gap = coverage["days_since_decider"].reindex(ids)
        if "decider_mapped" in coverage:
            mapped = coverage["decider_mapped"].reindex(ids).fillna(False).astype(bool)
            undated = (mapped & gap.isna()).to_numpy()  # met, but when is not known
            none = ~mapped
        else:
            none = gap.isna()
        out["no_decider_contact"] = (none | (gap >= limits["no_decider_contact"])).astype(bool)
    for name in unavailable:
        out[name] = False
    names = list(CHURN_RULES)
    flags = out[names].to_numpy()
    out["signals"] = [", ".join(n for n, f in zip(names, row, strict=True) if f) for row in flags]
    out["signal_count"] = flags.sum(axis=1)
    out["unavailable"] = [
        ", ".join(n for n in names if n in unavailable or (n == "no_decider_contact" and u))
        for u in undated
    ]
    out.attrs["unavailable"] = unavailable
    return out
