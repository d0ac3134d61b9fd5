"""One account-risk view: a health score 0-100 from the signals an account shows, each once.

Seed 003's warning signs (purchases falling, payments slowing, complaints not resolved) and
its first cause of loss, indifference (68 %: no decider met, no executive visit), with the
3-5 contacts rule (seed 004) and the retention levers seed 003 names where the data show
them (switching costs, a fresh offer: :data:`RETENTION_THRESHOLDS`), become one list of
signals per account (:data:`HEALTH_SIGNALS`, each with the points it costs);
:func:`score_health` subtracts them from 100.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

#: Signal -> points it takes off a health of 100 (a consultant's default; each counted once).
HEALTH_SIGNALS: dict[str, float] = {
    "falling_purchases": 20.0,
    "rising_payment_days": 15.0,
    "falling_feedback": 15.0,
    "no_decider_contact": 20.0,
    "no_executive_visit": 15.0,
    "unanswered_complaint": 20.0,
    "few_contacts": 10.0,
    "low_switching_cost": 10.0,
    "stale_offer": 10.0,
}
#: Seed 003's retention levers, made observable from the assessments: switching costs are
#: low without a contract of ``contract_months`` or more and without preferred-supplier
#: status; the offer is stale when our innovation rating is at or below ``innovation``.
RETENTION_THRESHOLDS = {"contract_months": 12, "innovation": 2.0}


def score_health(
    flags: pd.DataFrame, *, penalties: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """Health 0-100 of each account and the signals behind it.

    Parameters
    ----------
    flags : DataFrame
        One bool column per signal (any of :data:`HEALTH_SIGNALS`; a column absent or
        blank is a signal not raised, since nothing was seen).
    penalties : mapping, optional
        Default :data:`HEALTH_SIGNALS`.

    Returns
    -------
    DataFrame (the index of ``flags``) with ``health`` (100 minus the points of the signals
    raised, at least 0) and ``health_signals`` (their names, comma-separated, each once).

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"falling_purchases": [True, False],
    ...                   "no_decider_contact": [True, False]}, index=["A", "B"])
    >>> score_health(f).values.tolist()
    [[60.0, 'falling_purchases, no_decider_contact'], [100.0, '']]
    """
    penalties = dict(HEALTH_SIGNALS if penalties is None else penalties)
    names = [s for s in penalties if s in flags.columns]
    raised = flags[names].fillna(False).astype(bool) if names else pd.DataFrame(index=flags.index)
    points = raised.to_numpy() @ np.array([penalties[s] for s in names], dtype="float64")
    signals = [
        ", ".join(s for s, on in zip(names, row, strict=True) if on) for row in raised.to_numpy()
    ]
    return pd.DataFrame(
        {"health": np.maximum(100.0 - points, 0.0), "health_signals": signals}, index=flags.index
    )
