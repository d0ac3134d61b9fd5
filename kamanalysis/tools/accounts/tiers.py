"""One tier per account: key, develop, maintain or opportunistic, within the team's capacity.

- :func:`score_strength`: our relative strength at each account, the weighted mean of the
  seed 003 relative-advantage factors the workshop rated (a factor left blank is not
  assessed, never zero).
- :func:`assign_tiers`: the selection matrix (seed 003) applied to the criteria score
  (attractiveness) and our strength, with the small account that accelerates lifted to
  ``develop`` (seed 002, :data:`TIER_LIFTS`), and the key accounts beyond the team's
  capacity (managers x span) named, the lowest-ranked first.

``qualifies`` means exactly "the tier is key or develop" (:data:`QUALIFYING_TIERS`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ...base._validation import describe, require_columns
from ...base.errors import Problem
from ...base.schema import DEFAULT_SCALES, DEFAULT_SETTINGS, QUADRANTS
from ...core.scoring import check_weights
from ._common import _high, _off_scale, _raise
from .matrices import _quadrant_codes

#: Tiers that qualify for key-account management: the key accounts and those we develop.
QUALIFYING_TIERS = ("key", "develop")

#: (tier from the matrix, flag of the criteria) -> tier: the small account whose purchases
#: accelerate is developed, not left to chance (seed 002).
TIER_LIFTS: dict[tuple[str, str], str] = {
    ("maintain", "accelerating"): "develop",
    ("opportunistic", "accelerating"): "develop",
}


def score_strength(
    assessments: pd.DataFrame,
    *,
    weights: Mapping[str, float] | None = None,
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
) -> pd.Series:
    """Our relative strength at each account: the weighted mean of the factors rated.

    Parameters
    ----------
    assessments : DataFrame
        One row per account with ``str_<factor>`` ratings; a factor whose column is absent
        or blank is not assessed: left out, the other weights rescaled.
    weights : mapping factor -> weight, optional
        Default ``DEFAULT_SETTINGS["weights"]["strength"]`` (seed 003's twelve factors).
    scale : (lo, hi)

    Returns
    -------
    Series (the index of ``assessments``): NaN where no factor was rated.

    Raises
    ------
    InvalidWeightsError
        Weights not summing to 1 (or 100).
    InputValidationError
        A rating off the scale.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"str_price": [4.0, 2.0], "str_trust": [2.0, None]})
    >>> score_strength(a, weights={"price": 0.5, "trust": 0.5}).tolist()
    [3.0, 2.0]
    """
    where = "score_strength"
    weights = dict(DEFAULT_SETTINGS["weights"]["strength"] if weights is None else weights)
    w = check_weights(weights, where=f"{where} (weights)")
    columns = [f"str_{f}" for f in w.index]
    part = pd.DataFrame(
        {
            c: pd.to_numeric(assessments[c], errors="coerce")
            if c in assessments.columns
            else np.nan
            for c in columns
        },
        index=assessments.index,
    )
    values = part.to_numpy(dtype="float64")
    _raise(_off_scale(values, scale, where=where, columns=columns, names=assessments.index))
    known = ~np.isnan(values)
    total = known @ w.to_numpy()
    num = np.nan_to_num(values) @ w.to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(total > 0, num / np.where(total > 0, total, 1.0), np.nan)
    return pd.Series(out, index=assessments.index, name="strength")


def assign_tiers(
    accounts: pd.DataFrame,
    *,
    cuts: tuple[float, float] = (3.0, 3.0),
    capacity: float | None = None,
) -> pd.DataFrame:
    """Give each account one tier, and name the key accounts beyond the team's capacity.

    The tier is the selection matrix's quadrant (seed 003, ``matrices.QUADRANT_RULES``) of the
    account's ``attractiveness`` (the key-account criteria score) and our ``strength``,
    each high at or above its cut (a strength not assessed is not high); an account whose
    ``accelerating`` flag is set moves by :data:`TIER_LIFTS` (to ``develop``). Key
    accounts are ranked by attractiveness (ties: more gross profit, then the account id);
    when there are more than ``capacity`` (managers x span), those ranked beyond it stay
    key but are flagged ``over_capacity``: the team cannot serve them as key accounts
    until it grows, moves to a standing team, or demotes them.

    Parameters
    ----------
    accounts : DataFrame
        ``attractiveness`` and ``strength``; optional ``accelerating`` (bool) and
        ``gross_profit``.
    cuts : (attractiveness cut, strength cut)
    capacity : number, optional
        Key accounts the team can serve; None = not assessed (no account is over).

    Returns
    -------
    DataFrame (the index of ``accounts``) with ``tier``, ``qualifies`` (tier in
    :data:`QUALIFYING_TIERS`), ``key_rank`` (1 = the most attractive key account, NaN for
    the others) and ``over_capacity``.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"attractiveness": [4.5, 4.0, 3.5, 2.0, 2.0],
    ...                   "strength": [4.0, 3.5, 2.0, 4.0, 2.0],
    ...                   "accelerating": [False, False, False, False, True]},
    ...                  index=["A", "B", "C", "D", "E"])
    >>> t = assign_tiers(a, capacity=1)
    >>> t[["tier", "qualifies", "over_capacity"]].values.tolist()
    [['key', True, False], ['key', True, True], ['develop', True, False], \
['maintain', False, False], ['develop', True, False]]
    """
    where = "assign_tiers"
    require_columns(accounts, ("attractiveness", "strength"), where=where)
    if capacity is not None and not (
        isinstance(capacity, int | float | np.number) and capacity >= 0
    ):
        _raise([Problem(where, "a capacity >= 0", describe(capacity), column="capacity")])
    att = pd.to_numeric(accounts["attractiveness"], errors="coerce").to_numpy("float64")
    strong = pd.to_numeric(accounts["strength"], errors="coerce").to_numpy("float64")
    high_a = _high(np.nan_to_num(att, nan=-np.inf), cuts[0])
    high_s = _high(np.nan_to_num(strong, nan=-np.inf), cuts[1])
    tier = np.asarray(QUADRANTS, dtype=object)[_quadrant_codes(high_a, high_s)]
    if "accelerating" in accounts.columns:
        flag = accounts["accelerating"].fillna(False).astype(bool).to_numpy()
        for (before, why), after in TIER_LIFTS.items():
            if why == "accelerating":
                tier[flag & (tier == before)] = after
    out = pd.DataFrame({"tier": tier}, index=accounts.index)
    out["qualifies"] = out["tier"].isin(QUALIFYING_TIERS)
    key = out["tier"] == "key"
    order = pd.DataFrame(
        {
            "att": att,
            "gp": pd.to_numeric(accounts.get("gross_profit", 0.0), errors="coerce"),
            "id": accounts.index.astype(str),
        },
        index=accounts.index,
    ).loc[key]
    order = order.sort_values(["att", "gp", "id"], ascending=[False, False, True], kind="stable")
    out["key_rank"] = pd.Series(np.arange(1, len(order) + 1, dtype="float64"), index=order.index)
    out["over_capacity"] = (
        out["key_rank"] > capacity if capacity is not None else pd.Series(False, index=out.index)
    )
    out["over_capacity"] = out["over_capacity"].fillna(False).astype(bool)
    return out
