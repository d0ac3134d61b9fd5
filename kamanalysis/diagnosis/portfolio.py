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
    assign_tiers,
    buying_centre_coverage,
    churn_signals,
    classify_relationship_stage,
    migration,
    portfolio_concentration,
    score_key_account_criteria,
    score_strength,
    score_supplier_positioning,
    weight_robustness,
)
from ..tools.accounts.criteria import with_reasons
from ._common import _memo, _rows, _scale


def _account_weights(eng: Engagement) -> tuple[dict, dict]:
    """Return the engagement's criteria weights, keyed by rating column (att_*, str_*)."""
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


def key_account_capacity(eng: Engagement, bu_id: str) -> float | None:
    """Key accounts the BU's team can serve: managers x ``capacity.key_accounts_per_manager``.

    None when the engagement names no managers for the BU (capacity not assessed).

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> key_account_capacity(eng, "MC")
    30.0
    """
    managers = eng.tables.get("managers")
    if managers is None:
        return None
    n = int((managers["bu_id"] == bu_id).sum())
    span = float(eng.settings["capacity"]["key_accounts_per_manager"])
    return n * span if n else None


def _ratings_frame(criteria: pd.DataFrame, rows: pd.DataFrame, eng: Engagement) -> pd.DataFrame:
    """Return the ratings behind both axes; a criterion not assessed stands at the score.

    Filling a blank with the account's own weighted mean leaves the score unchanged, so the
    robustness of the weights is drawn around the same attractiveness and strength.
    """
    attractiveness, strength = _account_weights(eng)
    lo, hi = _scale(eng, "rating")
    # a weighted mean of ratings on the scale is on it: clip the last bits of float error
    # (1 - 1e-16 where every rating is 1), which the matrices would refuse as off the scale
    scores = rows[["attractiveness", "strength"]].clip(lo, hi)
    frame = pd.DataFrame(index=rows.index)
    for column in attractiveness:
        values = criteria[column[len("att_") :]] if column[4:] in criteria else None
        values = values if values is not None else pd.Series(float("nan"), index=rows.index)
        frame[column] = values.fillna(scores["attractiveness"]).fillna(lo)
    for column in strength:
        values = (
            pd.to_numeric(rows[column], errors="coerce")
            if column in rows
            else pd.Series(float("nan"), index=rows.index)
        )
        frame[column] = values.fillna(scores["strength"]).fillna(lo)
    return frame


def key_account_positions(eng: Engagement, bu_id: str, quarter: str | None = None) -> pd.DataFrame:
    """Place a BU's accounts: one tier each, the buyer's view, frustration and stage.

    ``attractiveness`` is the key-account criteria score (:func:`key_account_criteria`),
    ``strength`` our relative strength on seed 003's factors
    (:func:`kamanalysis.tools.accounts.score_strength`); ``tier`` comes from
    :func:`kamanalysis.tools.accounts.assign_tiers` with the engagement's cuts and the
    team's capacity (:func:`key_account_capacity`). Indexed by ``account_id``.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> key_account_positions(eng, "IC", "2024Q4").loc["IC003", "stage"]
    'partnership'
    """
    quarter = quarter or eng.current_quarter

    def compute() -> pd.DataFrame:
        _, buyer_cuts = _account_cuts(eng)
        scored = score_supplier_positioning(
            _tiers(eng, bu_id, quarter).reset_index(),
            cuts=buyer_cuts,
            our_view="tier",
            scale=_scale(eng, "rating"),
        )
        return classify_relationship_stage(scored).set_index("account_id")

    return _memo(eng, ("key_account_positions", bu_id, quarter), compute)


def _tiers(eng: Engagement, bu_id: str, quarter: str) -> pd.DataFrame:
    """Return the assessments of a BU's accounts in ``quarter`` with their scores and tiers.

    The first half of :func:`key_account_positions` (before the buyer's view and the
    stage): ``attractiveness``, ``strength``, ``accelerating``, ``gross_profit`` and the
    columns of :func:`kamanalysis.tools.accounts.assign_tiers`; the backtest's scores need
    no more. Indexed by ``account_id``.
    """

    def compute() -> pd.DataFrame:
        rows = _rows(eng, "account_assessments", bu_id, quarter).set_index("account_id")
        selection_cuts, _ = _account_cuts(eng)
        rating = _scale(eng, "rating")
        criteria = key_account_criteria(eng, bu_id, quarter, lang=None).reindex(rows.index)
        scored = rows.copy()
        scored["attractiveness"] = criteria["score"]
        scored["strength"] = score_strength(
            rows, weights=eng.settings["weights"]["strength"], scale=rating
        )
        scored["accelerating"] = criteria["accelerating"].fillna(False).astype(bool)
        scored["gross_profit"] = criteria["gross_profit"]
        tiers = assign_tiers(scored, cuts=selection_cuts, capacity=key_account_capacity(eng, bu_id))
        return scored.join(tiers)

    return _memo(eng, ("key_account_tiers", bu_id, quarter), compute)


def key_account_criteria(
    eng: Engagement, bu_id: str, quarter: str | None = None, *, lang: str | None = "en"
) -> pd.DataFrame:
    """Key-account criteria of a BU's accounts: measured from the ledger, rated in the workshop.

    The weights are the engagement's ``weights.attractiveness``, the anchors its
    ``anchors``; an account is attractive at or above ``cuts.selection_attractiveness``.
    See :func:`kamanalysis.tools.accounts.score_key_account_criteria`; ``lang=None``: the
    scores without the reasons in words (what the tiers and the backtest need).

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> bool(key_account_criteria(eng, "PV").loc["PV002", "attractive"])
    False
    """
    quarter = quarter or eng.current_quarter

    def compute() -> pd.DataFrame:
        if lang is not None:  # the scores the tiers computed (lang=None), with the reasons
            return with_reasons(
                key_account_criteria(eng, bu_id, quarter, lang=None),
                quarter=quarter,
                weights=eng.settings["weights"]["attractiveness"],
                cut=_account_cuts(eng)[0][0],
                scale=_scale(eng, "rating"),
                lang=lang,
            )
        aq = eng.account_quarters
        aa = eng.account_assessments
        return score_key_account_criteria(
            aq.loc[aq["bu_id"] == bu_id],
            aa.loc[aa["bu_id"] == bu_id],
            quarter=quarter,
            weights=eng.settings["weights"]["attractiveness"],
            anchors=eng.settings["anchors"],
            cut=_account_cuts(eng)[0][0],
            scale=_scale(eng, "rating"),
            lang=lang,
        )

    return _memo(eng, ("key_account_criteria", bu_id, quarter, lang), compute)


def _tier_reasons(positions: pd.DataFrame, criteria: pd.DataFrame, lang: str) -> pd.Series:
    """Why each account sits in its tier: the tier in words, then the criteria's reasons."""
    n_key = int((positions["tier"] == "key").sum())
    capacity = positions.attrs.get("capacity")
    cut = positions.attrs["selection_cuts"][0]
    semicolon = text("reason.semicolon", lang)
    semicolon += " " if semicolon.isascii() else ""
    out = {}
    # records, not iterrows: a Series per row costs a copy of the frame's attrs each
    for account, row in zip(positions.index, positions.to_dict("records"), strict=True):
        tier = row["tier"]
        lifted = tier == "develop" and not row["attractiveness"] >= cut - 1e-9
        if lifted:  # an accelerating small account (TIER_LIFTS)
            parts = [text("reason.tier.develop_accelerating", lang)]
        elif pd.isna(row["strength"]):
            parts = [text(f"reason.tier.{tier}", lang, strength=float("nan"))]
            parts.append(text("reason.tier.unrated", lang))
        else:
            parts = [text(f"reason.tier.{tier}", lang, strength=row["strength"])]
        if row["over_capacity"]:
            parts.append(
                text(
                    "reason.over_capacity",
                    lang,
                    rank=int(row["key_rank"]),
                    n=n_key,
                    capacity=int(capacity or 0),
                )
            )
        said = criteria["reasons"].get(account)
        parts.append(said if isinstance(said, str) else text("reason.no_sales", lang))
        out[account] = semicolon.join(parts)
    return pd.Series(out, dtype="object").reindex(positions.index)


def _coverage_and_churn(
    eng: Engagement, bu_id: str, quarter: str, positions: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Return the buying-centre coverage, the churn signals and the contacts left out.

    ``eng`` is as known at the end of ``quarter``; ``positions`` are the BU's accounts
    assessed then, with their ``tier`` (:func:`key_account_positions`). The portfolio and
    the backtest's scores share it.
    """
    contacts = eng.contacts.loc[eng.contacts["bu_id"] == bu_id]
    # contacts at an account not assessed this quarter (a workshop that rated some
    # accounts only, an account first rated later): left out, and said so
    mapped = contacts["account_id"].isin(positions.index)
    unrated = sorted(contacts.loc[~mapped, "account_id"].unique().tolist())
    contacts = contacts.loc[mapped]
    key = positions.index[positions["tier"] == "key"]
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
    return coverage, churn, unrated


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

    Every account gets exactly one ``tier`` (``key``, ``develop``, ``maintain``,
    ``opportunistic``) and ``qualifies`` is exactly "tier is key or develop". Composes,
    with the engagement's own weights, anchors and cuts: ``attractiveness`` (the
    key-account criteria score), ``strength`` (seed 003's relative-advantage factors),
    ``tier``, ``qualifies``, ``key_rank`` and ``over_capacity`` (key accounts beyond
    managers x span, the lowest-ranked), ``gross_profit`` and ``gp_share`` (its share of
    the BU's, last four quarters), ``accelerating``, ``reasons`` (in ``lang``), the buyer's view
    (``buyer_view``, ``frustration``), the relationship stage (``stage``, ``drivers``,
    ``conflict``), the robustness of the tier's quadrant to the weights (``robustness``,
    ``flip_to``; ``draws`` Dirichlet draws with concentration 100), the buying-centre
    coverage (``contacts``, ``roles_missing``, ``net_support``, ``days_since_decider``,
    ``single_threaded``: a key account with one contact; fewer than three are flagged by
    :func:`kamanalysis.diagnosis.account_health`) and the churn-risk
    signals (``signals``). Accounts are those assessed in the quarter, largest revenue in
    the quarter first. ``attrs`` carry the quarter, the cuts, the scale and the capacity.

    Everything is as known at the end of ``quarter`` (:meth:`Engagement.as_of`): coverage
    is measured on that day, from the contacts known then; the contacts at accounts not
    assessed in the quarter are left out and named in ``attrs["contacts_unassessed"]``.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> p = key_account_portfolio(eng, "PV", draws=200)
    >>> p.loc[["PV001", "PV002"], ["tier", "qualifies", "stage"]].values.tolist()
    [['key', True, 'partnership'], ['opportunistic', False, 'early']]
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
        capacity = key_account_capacity(eng, bu_id)
        positions.attrs = {"selection_cuts": selection_cuts, "capacity": capacity}
        robust = weight_robustness(
            _ratings_frame(criteria, positions, eng),
            attractiveness=attractiveness,
            strength=strength,
            cuts=selection_cuts,
            draws=draws,
            seed=seed,
            scale=_scale(eng, "rating"),
        )
        coverage, churn, unrated = _coverage_and_churn(eng, bu_id, quarter, positions)
        aq = eng.account_quarters
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
                "tier": positions["tier"],
                "qualifies": positions["qualifies"].astype(bool),
                "attractiveness": positions["attractiveness"],
                "strength": positions["strength"],
                "key_rank": positions["key_rank"],
                "over_capacity": positions["over_capacity"].astype(bool),
                "gross_profit": criteria["gross_profit"],
                "gp_share": criteria["gp_share"],
                "accelerating": positions["accelerating"].astype(bool),
                "reasons": _tier_reasons(positions, criteria, lang),
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
            "capacity": capacity,
            # what the data of the quarter cannot tell (never computed on a shorter window)
            "signals_unavailable": dict(churn.attrs.get("unavailable", {})),
            "decider_undated": sorted(
                a for a, u in churn["unavailable"].fillna("").items() if "no_decider" in u
            ),
            "from_workshop": dict(criteria.attrs.get("from_workshop", {})),
            "contacts_unassessed": unrated,
        }
        return frame

    return _memo(eng, ("key_account_portfolio", bu_id, quarter, draws, seed, lang), compute)


def key_account_migration(
    eng: Engagement, bu_id: str, earlier: str | None = None, later: str | None = None
) -> Migration | None:
    """Tier and stage transitions of a BU's accounts (default: year on year).

    None when the data cannot make the comparison (:func:`migration_unavailable` says why):
    the earlier quarter is before the data start, or the BU's accounts were not assessed in
    one of the two quarters (one workshop, a first-year client): not available, rather than
    a shorter comparison.

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
    if migration_unavailable(eng, bu_id, earlier, later) is not None:
        return None
    return migration(
        key_account_positions(eng, bu_id, earlier).reset_index(),
        key_account_positions(eng, bu_id, later).reset_index(),
        columns=("tier", "stage"),
    )


def migration_unavailable(
    eng: Engagement, bu_id: str, earlier: str | None = None, later: str | None = None
) -> tuple[str, dict] | None:
    """Why :func:`key_account_migration` cannot compare two quarters; None when it can.

    Returns ``(reason, values)``: ``before_data`` (the quarter is before the data's first
    quarter with sales, ``values["start"]``), ``not_assessed_yet`` (the BU's account
    assessments start later, in ``values["start"]``) or ``not_assessed`` (no assessments of
    the BU in that quarter); ``values["quarter"]`` is the quarter the data lack. The report
    says it in words (``report.migration_<reason>`` in the catalogue).

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> migration_unavailable(eng, "PV") is None
    True
    >>> migration_unavailable(eng, "PV", later="2025Q2")
    ('before_data', {'quarter': '2024Q2', 'start': '2024Q4'})
    """
    later = later or eng.current_quarter
    earlier = earlier or shift_quarter(later, -4)
    quarters = eng.quarters
    for quarter in (earlier, later):
        if quarter not in quarters:
            start = quarters[0] if quarters else quarter
            return "before_data" if quarter < start else "not_assessed", {
                "quarter": quarter,
                "start": start,
            }
    aa = eng.account_assessments
    rated = sorted(aa.loc[aa["bu_id"] == bu_id, "quarter"].dropna().unique().tolist())
    for quarter in (earlier, later):
        if quarter not in rated:
            if rated and quarter < rated[0]:
                return "not_assessed_yet", {"quarter": quarter, "start": rated[0]}
            return "not_assessed", {"quarter": quarter}
    return None


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
