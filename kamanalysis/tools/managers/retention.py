"""Why key accounts leave: the churn-risk signals mapped to the seeds' causes of loss.

- :data:`CHURN_CAUSES` (seed 003): the causes of loss and their shares, "treated with
  indifference" 68 %; :data:`SIGNAL_CAUSES`: which churn-risk signal points to which.
- :func:`indifference`: the indifference cause measured (no decider met, no executive
  visit, complaints without response: :func:`unanswered_complaints`).
- :func:`churn_causes`: each account's signals and signs mapped to the causes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from ...base._validation import require_columns
from ._common import _lang

# ----------------------------------------------------------------------------- data tables

#: Why key accounts leave (seed 003): cause -> percent of lost accounts (sums to 100).
CHURN_CAUSES: dict[str, int] = {
    "death": 1,
    "relocation": 3,
    "competitors": 4,
    "friends": 5,
    "lower_price": 9,
    "complaint": 10,
    "indifference": 68,
}
CAUSE_TEXT: dict[str, dict[str, str]] = {
    "death": {"en": "the business closed", "zh": "客户停业"},
    "relocation": {"en": "relocation", "zh": "客户迁移"},
    "competitors": {"en": "competitors' activities", "zh": "竞争对手的活动"},
    "friends": {"en": "influence of friends or relatives", "zh": "亲友的影响"},
    "lower_price": {"en": "a lower price elsewhere", "zh": "别处价格更低"},
    "complaint": {"en": "dissatisfaction after a complaint", "zh": "投诉后不满"},
    "indifference": {
        "en": "treated with indifference, no special attention",
        "zh": "被冷落、未受到特别关注",
    },
}
#: Each churn-risk signal (kamanalysis.tools.accounts.CHURN_RULES) -> the causes it points to.
SIGNAL_CAUSES: dict[str, tuple[str, ...]] = {
    "falling_purchases": ("competitors", "lower_price"),
    "rising_payment_days": ("lower_price",),
    "falling_feedback": ("complaint",),
    "no_decider_contact": ("indifference",),
}
#: The indifference cause, measured: days since a decider was met (or none met), executive
#: visits in the last four quarters at or below ``executive_visits``, and complaints without
#: response (a key-account feedback comment containing one of UNANSWERED_MARKERS).
INDIFFERENCE_THRESHOLDS = {"decider_days": 180, "executive_visits": 0, "unanswered": 1}
INDIFFERENCE_TEXT: dict[str, dict[str, str]] = {
    "decider_days": {"en": "no decider met for {days:.0f} days", "zh": "{days:.0f} 天未见决策者"},
    "no_decider": {"en": "no decider met", "zh": "从未接触决策者"},
    "no_visit": {
        "en": "no executive visit in the last four quarters",
        "zh": "近四个季度没有高层拜访",
    },
    "no_response": {
        "en": "complaints without response: {n}",
        "zh": "未获回应的投诉：{n} 条",
    },
}
UNANSWERED_MARKERS = (
    "no response",
    "no answer",
    "unanswered",
    "not resolved",
    "unresolved",
    "still waiting",
    "没有回应",
    "无人回应",
    "未解决",
    "没人理",
)


# ----------------------------------------------------------------------------- churn causes


def unanswered_complaints(feedback: pd.DataFrame) -> pd.Series:
    """Per respondent, the feedback comments that say a complaint got no response.

    A comment counts when it contains one of :data:`UNANSWERED_MARKERS` (any case) and,
    when the frame has an ``answered_on`` column, carries no answer date (one answered
    since it was written no longer counts; as of an earlier quarter, an answer made later
    is blank, :meth:`~kamanalysis.Engagement.as_of`).

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"respondent_id": ["A", "A", "B"],
    ...     "comment": ["Complaint still unanswered", None, "Late again"]})
    >>> unanswered_complaints(f).to_dict()
    {'A': 1, 'B': 0}
    >>> answered = f.assign(answered_on=pd.to_datetime(["2026-08-01", None, None]))
    >>> unanswered_complaints(answered).to_dict()
    {'A': 0, 'B': 0}
    """
    require_columns(feedback, ("respondent_id", "comment"), where="unanswered_complaints")
    text = feedback["comment"].fillna("").astype(str).str.lower()
    hit = text.map(lambda t: any(m in t for m in UNANSWERED_MARKERS))
    if "answered_on" in feedback:
        hit &= feedback["answered_on"].isna()
    return hit.groupby(feedback["respondent_id"]).sum().astype("int64")


def indifference(
    coverage: pd.DataFrame,
    *,
    visits: pd.Series | None = None,
    feedback: pd.DataFrame | None = None,
    thresholds: Mapping[str, float] | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Measure the "treated with indifference" cause (seed 003: 68 % of lost key accounts).

    Three signs (:data:`INDIFFERENCE_THRESHOLDS`): no decider met for 180 days or more (or
    none ever met); no executive visit in the last four quarters; a complaint without
    response in the feedback comments.

    Parameters
    ----------
    coverage : DataFrame
        Indexed by ``account_id`` with ``days_since_decider``
        (:func:`kamanalysis.tools.accounts.buying_centre_coverage`).
    visits : Series, optional
        Executive visits in the last four quarters, by account (NaN = not recorded).
    feedback : DataFrame, optional
        Feedback rows of the accounts (``respondent_id``, ``comment``; the quarters wanted).

    Returns
    -------
    DataFrame indexed like ``coverage``: ``days_since_decider``, ``no_decider``,
    ``executive_visits``, ``no_executive_visit`` (False when not recorded),
    ``unanswered_complaints``, ``no_response``, ``signs`` (how many of the three) and
    ``evidence`` (in words, in ``lang``: :data:`INDIFFERENCE_TEXT`).

    Examples
    --------
    >>> import pandas as pd
    >>> cov = pd.DataFrame({"days_since_decider": [200.0, 20.0]},
    ...     index=pd.Index(["A", "B"], name="account_id"))
    >>> i = indifference(cov, visits=pd.Series({"A": 0, "B": 2}))
    >>> i["signs"].tolist(), i.loc["A", "evidence"]
    ([2, 0], 'no decider met for 200 days; no executive visit in the last four quarters')
    """
    lang = _lang(lang)
    require_columns(coverage, ("days_since_decider",), where="indifference")
    limits = dict(INDIFFERENCE_THRESHOLDS)
    limits.update(thresholds or {})
    out = pd.DataFrame(index=coverage.index)
    days = pd.to_numeric(coverage["days_since_decider"], errors="coerce")
    out["days_since_decider"] = days
    out["no_decider"] = (days.isna() | (days >= limits["decider_days"])).astype(bool)
    seen = (
        pd.to_numeric(visits, errors="coerce").reindex(out.index)
        if visits is not None
        else pd.Series(math.nan, index=out.index)
    )
    out["executive_visits"] = seen
    out["no_executive_visit"] = (seen <= limits["executive_visits"]).fillna(False).astype(bool)
    complaints = (
        unanswered_complaints(feedback).reindex(out.index).fillna(0).astype("int64")
        if feedback is not None and len(feedback)
        else pd.Series(0, index=out.index, dtype="int64")
    )
    out["unanswered_complaints"] = complaints
    out["no_response"] = complaints >= limits["unanswered"]
    out["signs"] = out[["no_decider", "no_executive_visit", "no_response"]].sum(axis=1)
    evidence = []
    for row in out.to_dict("records"):
        parts = []
        if row["no_decider"]:
            d = row["days_since_decider"]
            key = "decider_days" if d == d else "no_decider"
            parts.append(INDIFFERENCE_TEXT[key][lang].format(days=d))
        if row["no_executive_visit"]:
            parts.append(INDIFFERENCE_TEXT["no_visit"][lang])
        if row["no_response"]:
            n = int(row["unanswered_complaints"])
            parts.append(INDIFFERENCE_TEXT["no_response"][lang].format(n=n))
        evidence.append("; ".join(parts))
    out["evidence"] = evidence
    return out


def churn_causes(
    signals: pd.DataFrame,
    *,
    signs: pd.DataFrame | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Map each account's churn-risk signals to the seeds' causes of loss (流失原因).

    Each signal points to causes (:data:`SIGNAL_CAUSES`); the indifference cause is also
    raised by the measured signs (:func:`indifference`). Causes are ordered by the share
    of lost key accounts the seed gives them (:data:`CHURN_CAUSES`: indifference 68 %).

    Parameters
    ----------
    signals : DataFrame
        Indexed by ``account_id`` with ``signals`` (comma-separated names, as
        :func:`kamanalysis.tools.accounts.churn_signals` returns them).
    signs : DataFrame, optional
        From :func:`indifference`, indexed by ``account_id``.
    lang : str
        ``en`` or ``zh`` (the cause's name).

    Returns
    -------
    DataFrame, one row per (account, cause): ``account_id``, ``cause``, ``seed_share``
    (percent), ``name``, ``signals`` (those pointing to it) and ``evidence``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"signals": ["falling_purchases, no_decider_contact"]},
    ...     index=pd.Index(["A"], name="account_id"))
    >>> churn_causes(s)[["cause", "seed_share"]].values.tolist()
    [['indifference', 68], ['lower_price', 9], ['competitors', 4]]
    """
    lang = _lang(lang)
    require_columns(signals, ("signals",), where="churn_causes")
    order = sorted(CHURN_CAUSES, key=lambda c: -CHURN_CAUSES[c])
    records = []
    for account in signals.index:
        raised = [s.strip() for s in str(signals.loc[account, "signals"] or "").split(",")]
        raised = [s for s in raised if s and s not in ("nan", "None")]
        evidence = ""
        if signs is not None and account in signs.index and signs.loc[account, "signs"] > 0:
            evidence = str(signs.loc[account, "evidence"])
        for cause in order:
            behind = [s for s in raised if cause in SIGNAL_CAUSES.get(s, ())]
            measured = cause == "indifference" and evidence
            if not behind and not measured:
                continue
            records.append(
                {
                    "account_id": account,
                    "cause": cause,
                    "seed_share": CHURN_CAUSES[cause],
                    "name": CAUSE_TEXT[cause][lang],
                    "signals": ", ".join(behind),
                    "evidence": evidence if cause == "indifference" else "",
                }
            )
    columns = ["account_id", "cause", "seed_share", "name", "signals", "evidence"]
    return pd.DataFrame.from_records(records, columns=columns)
