"""Compose the methods for one engagement: what the diagnosis notebook shows.

The method modules (:mod:`~kamanalysis.pest`, :mod:`~kamanalysis.forces`,
:mod:`~kamanalysis.evolution`, :mod:`~kamanalysis.position`) each take one table;
this module picks the rows of a BU and quarter out of a validated engagement, passes
the engagement's declared scales, and joins the results, so that the notebook holds
no joins and no thresholds.

Conventions of the strategic-position composition:

- **IE matrix**: the BU's IFE and EFE totals from its ``ife_efe`` rows.
- **GE matrix**: industry attractiveness is the five-forces attractiveness of the
  BU's industry (weak forces = attractive); competitive strength is the BU's own
  weighted score in the ``benchmark`` table (the company with role ``self``). Both
  lie on the general rating scale; cuts are thirds of its range unless given.

Examples
--------
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> ext = external_environment(eng, "IC")
>>> ext.trajectory.trajectory in ("progressive", "creative", "intermediating", "radical")
True
>>> strategic_position(eng).index.tolist()
['PV', 'IC', 'MC']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .accounts import (
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
from .engagement import Engagement
from .errors import InputValidationError, Problem
from .evolution import Trajectory, classify_trajectory
from .forces import ForcesResult, score_five_forces
from .pest import PestResult, score_pest
from .position import ge_cell, ge_cuts, ie_cell, ife_efe
from .quarters import quarter_range, shift_quarter
from .scoring import weighted_score


@dataclass(frozen=True)
class ExternalEnvironment:
    """PEST, five forces and industry trajectory of one BU in one quarter."""

    bu_id: str
    quarter: str
    pest: PestResult
    forces: ForcesResult
    trajectory: Trajectory


def _rows(eng: Engagement, table: str, bu_id: str, quarter: str) -> pd.DataFrame:
    frame = eng.tables[table]
    rows = frame.loc[(frame["bu_id"] == bu_id) & (frame["quarter"] == quarter)]
    if rows.empty:
        raise InputValidationError(
            [Problem(f"{table}.csv", f"rows for BU {bu_id} in {quarter}", "none", column="quarter")]
        )
    return rows.reset_index(drop=True)


def _scale(eng: Engagement, name: str) -> tuple[float, float]:
    lo, hi = eng.settings["scales"][name]
    return float(lo), float(hi)


def _memo(eng: Engagement, key: tuple, compute):
    """Compute once per engagement object: a notebook asks for the same result twice."""
    cache = eng.cache
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def five_forces(eng: Engagement, bu_id: str, quarter: str | None = None) -> ForcesResult:
    """Score the five forces of a BU in a quarter (computed once per engagement object)."""
    quarter = quarter or eng.current_quarter
    return _memo(
        eng,
        ("five_forces", bu_id, quarter),
        lambda: score_five_forces(
            _rows(eng, "forces", bu_id, quarter), scale=_scale(eng, "rating")
        ),
    )


def external_environment(
    eng: Engagement, bu_id: str, quarter: str | None = None
) -> ExternalEnvironment:
    """Score PEST, the five forces and the industry trajectory of a BU in a quarter.

    ``quarter`` defaults to the engagement's current quarter.
    """
    quarter = quarter or eng.current_quarter
    rating = _scale(eng, "rating")
    return ExternalEnvironment(
        bu_id,
        quarter,
        score_pest(
            _rows(eng, "pest", bu_id, quarter),
            impact_scale=_scale(eng, "pest_impact"),
            probability_scale=_scale(eng, "pest_probability"),
        ),
        five_forces(eng, bu_id, quarter),
        classify_trajectory(
            _rows(eng, "evolution", bu_id, quarter),
            scale=rating,
            threshold=(rating[0] + rating[1]) / 2,
        ),
    )


def competitive_strength(eng: Engagement, bu_id: str, quarter: str | None = None) -> pd.Series:
    """Weighted benchmark score of every company rated for a BU (highest first).

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> s = competitive_strength(eng, "PV")
    >>> s.index[0] in eng.benchmark["company"].tolist(), bool(s.is_monotonic_decreasing)
    (True, True)
    """
    quarter = quarter or eng.current_quarter
    rows = _rows(eng, "benchmark", bu_id, quarter)
    ratings = rows.pivot(index="factor", columns="company", values="rating")
    weights = rows.drop_duplicates("factor").set_index("factor")["weight"]
    scores = weighted_score(ratings, weights, scale=_scale(eng, "rating"))
    return scores.sort_values(ascending=False, kind="stable")


def strategic_position(
    eng: Engagement, quarter: str | None = None, *, cuts=None, precomputed: str | Path = ""
) -> pd.DataFrame:
    """IE and GE positions of every BU in a quarter.

    Parameters
    ----------
    eng : Engagement
    quarter : str, optional
        Default: the engagement's current quarter.
    cuts : see :func:`kamanalysis.position.ge_cuts`
        GE cut points; default thirds of the rating scale's range.
    precomputed : str or Path, optional
        A file written by :func:`save_positions` for the same engagement, quarter and
        cuts (a report batch computes the group's positions once and hands them to
        every BU's notebook); empty = compute here.

    Returns
    -------
    DataFrame indexed by ``bu_id``: ``label``, ``revenue`` (that quarter),
    ``ife``, ``efe``, ``ie_cell``, ``ie_strategy``, ``attractiveness``,
    ``strength``, ``ge_row``, ``ge_column``, ``ge_strategy``. Its ``attrs`` carry
    the conventions it was computed with: ``scale`` (the rating scale) and
    ``ge_edges`` (``[lo, cut1, cut2, hi]``), which :func:`~kamanalysis.plot_ge_matrix`
    draws.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> p = strategic_position(eng, cuts=[2, 3])
    >>> p.attrs["ge_edges"]
    [1.0, 2.0, 3.0, 5.0]
    """
    quarter = quarter or eng.current_quarter
    if precomputed:
        return pd.read_pickle(precomputed)
    return _memo(
        eng, ("strategic_position", quarter, repr(cuts)), lambda: _positions(eng, quarter, cuts)
    )


def save_positions(positions: pd.DataFrame, path: str | Path) -> Path:
    """Write a :func:`strategic_position` frame (with its conventions) for notebooks to read."""
    path = Path(path)
    positions.to_pickle(path)
    return path


def _positions(eng: Engagement, quarter: str, cuts) -> pd.DataFrame:
    rating = _scale(eng, "rating")
    edges = ge_cuts(rating, cuts)
    aq = eng.account_quarters
    records = []
    for bu in eng.bu_ids:
        totals = ife_efe(_rows(eng, "ife_efe", bu, quarter), scale=_scale(eng, "ife_efe"))
        ie = ie_cell(totals["IFE"], totals["EFE"])
        attractiveness = five_forces(eng, bu, quarter).attractiveness
        bench = _rows(eng, "benchmark", bu, quarter)
        self_name = bench.loc[bench["role"] == "self", "company"].iloc[0]
        strength = float(competitive_strength(eng, bu, quarter)[self_name])
        ge = ge_cell(attractiveness, strength, scale=rating, cuts=edges[1:3])
        revenue = aq.loc[(aq["bu_id"] == bu) & (aq["quarter"] == quarter), "revenue"].sum()
        records.append(
            {
                "bu_id": bu,
                "label": bu,
                "revenue": float(revenue),
                "ife": totals["IFE"],
                "efe": totals["EFE"],
                "ie_cell": ie.cell,
                "ie_strategy": ie.strategy,
                "attractiveness": attractiveness,
                "strength": strength,
                "ge_row": ge.row,
                "ge_column": ge.column,
                "ge_strategy": ge.strategy,
            }
        )
    frame = pd.DataFrame.from_records(records).set_index("bu_id")
    frame.attrs = {"quarter": quarter, "scale": rating, "ge_edges": edges}
    return frame


def position_history(eng: Engagement, bu_id: str, *, cuts=None) -> pd.DataFrame:
    """Return the BU's IE and GE position in every quarter with workshop data, oldest first.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> h = position_history(eng, "IC")
    >>> h.index[0], h.index[-1]
    ('2024Q4', '2026Q3')
    """
    quarters = sorted(eng.ife_efe.loc[eng.ife_efe["bu_id"] == bu_id, "quarter"].unique())
    part = eng.for_bu(bu_id)
    rows = {q: strategic_position(part, q, cuts=cuts).loc[bu_id] for q in quarters}
    history = pd.DataFrame.from_dict(rows, orient="index").drop(columns=["label"])
    history.index.name = "quarter"
    return history


# ----------------------------------------------------------------------------- key accounts


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


def quarter_end(quarter: str) -> pd.Timestamp:
    """Return the last day of a quarter.

    Examples
    --------
    >>> str(quarter_end("2026Q3").date())
    '2026-09-30'
    """
    return pd.Period(quarter, freq="Q").end_time.normalize()


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


def key_account_criteria(eng: Engagement, bu_id: str, quarter: str | None = None) -> pd.DataFrame:
    """Key-account criteria of a BU's accounts: measured from the ledger, rated in the workshop.

    The weights are the engagement's ``weights.attractiveness``; an account qualifies at
    or above ``cuts.selection_attractiveness``. See
    :func:`kamanalysis.accounts.score_key_account_criteria`.

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
        )

    return _memo(eng, ("key_account_criteria", bu_id, quarter), compute)


def key_account_portfolio(
    eng: Engagement, bu_id: str, quarter: str | None = None, *, draws: int = 1000, seed: int = 0
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

    The contacts table is a snapshot: coverage is measured at the end of the engagement's
    current quarter, whatever ``quarter`` is. In the current quarter, a contact at an account
    without an assessment is an error; in an earlier quarter, contacts at accounts not yet
    assessed then are left out.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> p = key_account_portfolio(eng, "PV", draws=200)
    >>> p.loc[["PV001", "PV002"], ["qualifies", "stage"]].values.tolist()
    [[True, 'partnership'], [False, 'early']]
    """
    quarter = quarter or eng.current_quarter

    def compute() -> pd.DataFrame:
        positions = key_account_positions(eng, bu_id, quarter)
        criteria = key_account_criteria(eng, bu_id, quarter).reindex(positions.index)
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
        if quarter != eng.current_quarter:  # today's contacts: accounts won since then drop out
            contacts = contacts.loc[contacts["account_id"].isin(positions.index)]
        key = criteria.index[criteria["qualifies"].fillna(False).astype(bool)]
        coverage = buying_centre_coverage(
            contacts,
            as_of=quarter_end(eng.current_quarter),
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
                "reasons": criteria["reasons"].fillna("no sales in the last year"),
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
        }
        return frame

    return _memo(eng, ("key_account_portfolio", bu_id, quarter, draws, seed), compute)


def key_account_migration(
    eng: Engagement, bu_id: str, earlier: str | None = None, later: str | None = None
) -> Migration:
    """Quadrant and stage transitions of a BU's accounts (default: year on year).

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> m = key_account_migration(eng, "IC", "2024Q4", "2026Q3")
    >>> m.moved.set_index(["account_id", "column"]).loc[("IC003", "stage"), "after"]
    'early'
    """
    later = later or eng.current_quarter
    earlier = earlier or shift_quarter(later, -4)
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
