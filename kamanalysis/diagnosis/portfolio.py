"""A BU's key-account portfolio in a quarter: criteria, positions, migration, concentration.

Weights and cuts come from the engagement's settings; :func:`key_account_portfolio`
joins the criteria, the selection matrix, the buyer's view, the relationship stage,
the robustness to the weights, the buying-centre coverage and the churn signals.
"""

from __future__ import annotations

import pandas as pd

from ..base.i18n import text
from ..base.quarters import quarter_end, quarter_range, shift_quarter
from ..data.engagement import Engagement
from ..tools.accounts import (
    Migration,
    buying_centre_coverage,
    churn_signals,
    classify_relationship_stage,
    migration,
    portfolio_concentration,
    score_key_account_criteria,
    score_selection_matrix,
    score_supplier_positioning,
    weight_robustness,
)
from ._common import _memo, _rows, _scale


def _account_weights(eng: Engagement) -> tuple[dict, dict]:
    """Return the engagement's criteria weights, keyed by assessment column (att_*, str_*)."""
    weights = eng.settings["weights"]
    attractiveness = {f"att_{k}": v for k, v in weights["attractiveness"].items()}
    strength = {f"str_{k}": v for k, v in weights["strength"].items()}
    return attractiveness, strength


def _account_cuts(eng: Engagement) -> tuple[tuple[float, float], tuple[float, float]]:
    """Return (selection cuts, buyer-view cuts) from the engagement's ``cuts`` settings."""
    cuts = eng.settings["cuts"]
    selection = (float(cuts["selection_attractiveness"]), float(cuts["selection_strength"]))
    buyer = (float(cuts["buyer_importance"]), float(cuts["buyer_spend"]))
    return selection, buyer


def key_account_positions(eng: Engagement, bu_id: str, quarter: str | None = None) -> pd.DataFrame:
    """Place a BU's accounts: selection matrix, buyer's view, frustration and stage.

    Weights and cuts come from the engagement's settings (``weights.attractiveness``,
    ``weights.strength``, ``cuts.*``). Indexed by ``account_id``.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> key_account_positions(eng, "IC", "2024Q4").loc["IC003", "stage"]
    'partnership'
    """
    quarter = quarter or eng.current_quarter

    def compute() -> pd.DataFrame:
        rows = _rows(eng, "account_assessments", bu_id, quarter)
        attractiveness, strength = _account_weights(eng)
        selection_cuts, buyer_cuts = _account_cuts(eng)
        rating = _scale(eng, "rating")
        scored = score_selection_matrix(
            rows,
            attractiveness=attractiveness,
            strength=strength,
            cuts=selection_cuts,
            scale=rating,
        )
        scored = score_supplier_positioning(
            scored, cuts=buyer_cuts, our_view="quadrant", scale=rating
        )
        return classify_relationship_stage(scored).set_index("account_id")

    return _memo(eng, ("key_account_positions", bu_id, quarter), compute)


def key_account_criteria(
    eng: Engagement, bu_id: str, quarter: str | None = None, *, lang: str = "en"
) -> pd.DataFrame:
    """Key-account criteria of a BU's accounts: measured from the ledger, rated in the workshop.

    The weights are the engagement's ``weights.attractiveness``; an account qualifies at
    or above ``cuts.selection_attractiveness``. See
    :func:`kamanalysis.tools.accounts.score_key_account_criteria`.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> bool(key_account_criteria(eng, "PV").loc["PV002", "qualifies"])
    False
    """
    quarter = quarter or eng.current_quarter

    def compute() -> pd.DataFrame:
        aq = eng.account_quarters
        aa = eng.account_assessments
        return score_key_account_criteria(
            aq.loc[aq["bu_id"] == bu_id],
            aa.loc[aa["bu_id"] == bu_id],
            quarter=quarter,
            weights=eng.settings["weights"]["attractiveness"],
            cut=_account_cuts(eng)[0][0],
            scale=_scale(eng, "rating"),
            lang=lang,
        )

    return _memo(eng, ("key_account_criteria", bu_id, quarter, lang), compute)


def key_account_portfolio(
    eng: Engagement,
    bu_id: str,
    quarter: str | None = None,
    *,
    draws: int = 1000,
    seed: int = 0,
    lang: str = "en",
) -> pd.DataFrame:
    """One frame of a BU's key-account portfolio in a quarter, indexed by ``account_id``.

    Composes, with the engagement's own weights and cuts: the key-account criteria
    (``qualifies``, ``score``, ``reasons``), the selection matrix (``attractiveness``,
    ``strength``, ``quadrant``), the buyer's view (``buyer_view``, ``frustration``), the
    relationship stage (``stage``, ``drivers``, ``conflict``), the robustness of the
    quadrant to the weights (``robustness``, ``flip_to``; ``draws`` Dirichlet draws with
    concentration 100), the buying-centre coverage (``contacts``, ``roles_missing``,
    ``net_support``, ``days_since_decider``, ``single_threaded`` for qualifying accounts)
    and the churn-risk signals (``signals``). Accounts are those assessed in the quarter,
    largest revenue in the quarter first.

    Everything is as known at the end of ``quarter`` (:meth:`Engagement.as_of`): coverage
    is measured on that day, from the contacts known then; a contact at an account without
    an assessment is an error.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> p = key_account_portfolio(eng, "PV", draws=200)
    >>> p.loc[["PV001", "PV002"], ["qualifies", "stage"]].values.tolist()
    [[True, 'partnership'], [False, 'early']]
    """
    quarter = quarter or eng.current_quarter
    if quarter != eng.current_quarter:  # what was known then, not today's contacts
        return key_account_portfolio(
            eng.as_of(quarter), bu_id, quarter, draws=draws, seed=seed, lang=lang
        )

    def compute() -> pd.DataFrame:
        positions = key_account_positions(eng, bu_id, quarter)
        criteria = key_account_criteria(eng, bu_id, quarter, lang=lang).reindex(positions.index)
        attractiveness, strength = _account_weights(eng)
        selection_cuts, _ = _account_cuts(eng)
        robust = weight_robustness(
            positions,
            attractiveness=attractiveness,
            strength=strength,
            cuts=selection_cuts,
            draws=draws,
            seed=seed,
            scale=_scale(eng, "rating"),
        )
        contacts = eng.contacts.loc[eng.contacts["bu_id"] == bu_id]
        key = criteria.index[criteria["qualifies"].fillna(False).astype(bool)]
        coverage = buying_centre_coverage(
            contacts,
            as_of=quarter_end(quarter),
            accounts=positions.index,
            key_accounts=key,
            scale=_scale(eng, "rating"),
        )
        aq = eng.account_quarters
        churn = churn_signals(
            aq.loc[aq["bu_id"] == bu_id],
            quarter=quarter,
            feedback=eng.feedback.loc[eng.feedback["bu_id"] == bu_id],
            coverage=coverage,
        ).reindex(positions.index)
        revenue = (
            aq.loc[(aq["bu_id"] == bu_id) & (aq["quarter"] == quarter)]
            .set_index("account_id")["revenue"]
            .reindex(positions.index)
            .fillna(0.0)
        )
        names = eng.accounts.set_index("account_id")["name"].reindex(positions.index)
        frame = pd.DataFrame(
            {
                "name": names,
                "revenue": revenue,
                "qualifies": criteria["qualifies"].fillna(False).astype(bool),
                "score": criteria["score"],
                "reasons": criteria["reasons"].fillna(text("reason.no_sales", lang)),
                "attractiveness": positions["attractiveness"],
                "strength": positions["strength"],
                "quadrant": positions["quadrant"],
                "buyer_importance": positions["buyer_importance"],
                "buyer_relative_spend": positions["buyer_relative_spend"],
                "buyer_view": positions["buyer_view"],
                "frustration": positions["frustration"],
                "stage": positions["stage"],
                "drivers": positions["drivers"],
                "conflict": positions["conflict"],
                "robustness": robust["robustness"],
                "flip_to": robust["flip_to"],
                "contacts": coverage["contacts"],
                "roles_missing": coverage["roles_missing"],
                "net_support": coverage["net_support"],
                "days_since_decider": coverage["days_since_decider"],
                "single_threaded": coverage["single_threaded"],
                "signals": churn["signals"].fillna(""),
            }
        )
        frame = frame.sort_values("revenue", ascending=False, kind="stable")
        frame.attrs = {
            "quarter": quarter,
            "selection_cuts": selection_cuts,
            "buyer_cuts": _account_cuts(eng)[1],
            "scale": _scale(eng, "rating"),
            # what the data of the quarter cannot tell (never computed on a shorter window)
            "signals_unavailable": dict(churn.attrs.get("unavailable", {})),
            "decider_undated": sorted(
                a for a, u in churn["unavailable"].fillna("").items() if "no_decider" in u
            ),
            "from_workshop": dict(criteria.attrs.get("from_workshop", {})),
        }
        return frame

    return _memo(eng, ("key_account_portfolio", bu_id, quarter, draws, seed, lang), compute)


def key_account_migration(
    eng: Engagement, bu_id: str, earlier: str | None = None, later: str | None = None
) -> Migration | None:
    """Quadrant and stage transitions of a BU's accounts (default: year on year).

    None when the earlier quarter is not in the data (the same quarter a year before
    the data's fourth quarter): not available, rather than a shorter comparison.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> m = key_account_migration(eng, "IC", "2024Q4", "2026Q3")
    >>> m.moved.set_index(["account_id", "column"]).loc[("IC003", "stage"), "after"]
    'early'
    >>> key_account_migration(eng, "IC", later="2025Q3") is None  # 2024Q3: before the data
    True
    """
    later = later or eng.current_quarter
    earlier = earlier or shift_quarter(later, -4)
    if earlier not in eng.quarters:  # before the data start: not available
        return None
    return migration(
        key_account_positions(eng, bu_id, earlier).reset_index(),
        key_account_positions(eng, bu_id, later).reset_index(),
        columns=("quadrant", "stage"),
    )


def key_account_concentration(
    eng: Engagement, bu_id: str, quarter: str | None = None, *, window: int = 4
) -> pd.Series:
    """Concentration of a BU's revenue over the ``window`` quarters up to ``quarter``.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> c = key_account_concentration(eng, "PV")
    >>> bool(0 < c["herfindahl"] < 1)
    True
    """
    quarter = quarter or eng.current_quarter
    quarters = quarter_range(shift_quarter(quarter, -(window - 1)), quarter)
    aq = eng.account_quarters
    rows = aq.loc[(aq["bu_id"] == bu_id) & aq["quarter"].isin(quarters)]
    return portfolio_concentration(rows.groupby("account_id")["revenue"].sum())
