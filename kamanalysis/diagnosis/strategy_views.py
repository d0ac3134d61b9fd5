"""SWOT, TOWS and the BCG growth-share matrix of the BUs, beside the IE and GE grids (issue 26).

Conventions of the composition (the methods are :mod:`kamanalysis.tools.swot` and
:mod:`kamanalysis.tools.bcg`):

- **SWOT / TOWS**: the BU's ``ife_efe`` rows of the quarter, on the engagement's
  ``ife_efe`` scale: the SWOT's totals are the IFE and EFE totals of the IE matrix.
- **TOWS and the IE cell** read the same factors differently: the TOWS quadrant is the
  sign of the balance (the strengths' weighted scores minus the weaknesses' weighted
  severities, the opportunities' minus the threats'), the IE cell the band of each total
  (below 2, 2 to 3, 3 and up). Where a total is in the IE's middle band the cell leaves the
  direction open and the quadrant gives it; where a band fixes a side (a strong or high
  total: S or O; a weak or low one: W or T) the two can still differ, and
  :func:`tows_and_ie` says on which side. The balance is the total minus ``lo + hi`` (5 on
  1-4) times the weaknesses' (threats') share of the weight, so they differ only when that
  share is far from half: a total of 3 or more whose weaknesses carry over 60 % of the
  weight (heavy but minor weaknesses) reads W; a total below 2 whose weaknesses carry under
  40 % (strengths rated low) reads S. On the sample they never differ.
- **BCG**: from the optional ``markets`` table: market growth = the market's size on the
  same quarter a year earlier, relative share = our share / the largest rival's. Without
  the table, or without the BU's row in the quarter or a year earlier, or with our share 0,
  the BU is not assessed (``attrs["not_assessed"]`` says why).
- **Stances** put the three grids on one scale (invest / hold / harvest, a question mark
  ``selective``): :data:`IE_STANCE`, :data:`GE_STANCE` and
  :data:`kamanalysis.tools.bcg.BCG_STANCE`. The group page's findings compare them.

Examples
--------
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> bcg_positions(eng)["bcg_cell"].to_dict()
{'PV': 'cash_cow', 'IC': 'dog', 'MC': 'question_mark'}
>>> swot(eng, "IC").quadrant
'WT'
"""

from __future__ import annotations

import pandas as pd

from ..base.quarters import shift_quarter
from ..data.engagement import Engagement
from ..tools.bcg import BCG_STANCE, score_bcg
from ..tools.position import EFE_BANDS, IFE_BANDS, ie_cell
from ..tools.swot import SWOT, swot_matrix, tows_matrix
from ._common import _memo, _rows, _scale, assessed
from .position import strategic_position

#: The IE and GE strategies on the stance scale the BCG cells use.
IE_STANCE = {
    "grow and build": "invest",
    "hold and maintain": "hold",
    "harvest or divest": "harvest",
}
GE_STANCE = {"invest/grow": "invest", "selectivity/earnings": "hold", "harvest/divest": "harvest"}
#: The BCG columns of :func:`bcg_positions`.
BCG_COLUMNS = (
    "label",
    "revenue",
    "market_size",
    "market_growth",
    "our_share",
    "rival_share",
    "relative_share",
    "bcg_cell",
    "bcg_stance",
)


def swot(eng: Engagement, bu_id: str, quarter: str | None = None, *, top: int = 5) -> SWOT:
    """Return the BU's SWOT in a quarter (default: the current one) from its IFE/EFE rows.

    Raises
    ------
    InputValidationError
        The BU has no ``ife_efe`` rows in the quarter (see :func:`assessed`).
    """
    quarter = quarter or eng.current_quarter
    rows = _rows(eng, "ife_efe", bu_id, quarter)
    return swot_matrix(rows, top=top, scale=_scale(eng, "ife_efe"))


def tows(
    eng: Engagement, bu_id: str, quarter: str | None = None, *, top: int = 3, lang: str = "en"
) -> pd.DataFrame:
    """Return the BU's TOWS pairs and strategies (see :func:`kamanalysis.tows_matrix`)."""
    return tows_matrix(swot(eng, bu_id, quarter, top=max(top, 1)), top=top, lang=lang)


def tows_and_ie(scored: SWOT) -> dict:
    """Compare a SWOT's TOWS quadrant with the IE cell of the same totals.

    Returns
    -------
    dict
        ``quadrant``, ``ie_cell``, ``ie_strategy``, ``agrees`` (no side the IE cell
        fixes differs from the quadrant's), ``open`` (the sides the IE cell leaves open,
        ``internal`` and/or ``external``: totals in its middle band, where the quadrant
        gives the direction) and ``differs`` (the sides where the IE band fixes the other
        side than the quadrant's); empty when a matrix has no rows.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> tows_and_ie(swot(eng, "PV"))
    {'quadrant': 'SO', 'ie_cell': 'V', 'ie_strategy': 'hold and maintain', 'agrees': True, \
'open': ['internal', 'external'], 'differs': []}
    """
    if not scored.quadrant:
        return {}
    ife, efe = float(scored.totals["IFE"]), float(scored.totals["EFE"])
    cell = ie_cell(ife, efe)
    expected = {  # the side a band fixes; the middle band fixes none
        ("internal", IFE_BANDS[0]): "W",
        ("internal", IFE_BANDS[2]): "S",
        ("external", EFE_BANDS[0]): "T",
        ("external", EFE_BANDS[2]): "O",
    }
    sides = {"internal": scored.quadrant[0], "external": scored.quadrant[1]}
    bands = {"internal": cell.ife_band, "external": cell.efe_band}
    fixed = {side: expected.get((side, bands[side])) for side in sides}
    differs = [side for side, want in fixed.items() if want is not None and want != sides[side]]
    return {
        "quadrant": scored.quadrant,
        "ie_cell": cell.cell,
        "ie_strategy": cell.strategy,
        "agrees": not differs,
        "open": [side for side, want in fixed.items() if want is None],
        "differs": differs,
    }


def bcg_positions(
    eng: Engagement,
    quarter: str | None = None,
    *,
    growth_cut: float = 0.10,
    share_cut: float = 1.0,
) -> pd.DataFrame:
    """BCG position of every BU with market data in the quarter and a year earlier.

    Returns
    -------
    DataFrame indexed by ``bu_id``: :data:`BCG_COLUMNS` (``revenue`` = the quarter's
    sales, the bubble). ``attrs``: ``quarter``, ``growth_cut``, ``share_cut`` and
    ``not_assessed`` (BU -> why: ``no_markets``, ``no_row``, ``no_year_ago``,
    ``no_share``).
    """
    quarter = quarter or eng.current_quarter
    key = ("bcg_positions", quarter, growth_cut, share_cut)
    return _memo(eng, key, lambda: _bcg(eng, quarter, growth_cut, share_cut))


def _bcg(eng: Engagement, quarter: str, growth_cut: float, share_cut: float) -> pd.DataFrame:
    year_ago = shift_quarter(quarter, -4)
    aq = eng.account_quarters
    records, missing = [], {}
    for bu in eng.bu_ids:
        if not assessed(eng, "markets", bu, quarter):
            table = eng.tables.get("markets")
            missing[bu] = "no_markets" if table is None or table.empty else "no_row"
            continue
        if not assessed(eng, "markets", bu, year_ago):
            missing[bu] = "no_year_ago"
            continue
        now = _rows(eng, "markets", bu, quarter).iloc[0]
        then = _rows(eng, "markets", bu, year_ago).iloc[0]
        if not (now["our_share"] > 0 and now["rival_share"] > 0 and then["market_size"] > 0):
            missing[bu] = "no_share"
            continue
        revenue = aq.loc[(aq["bu_id"] == bu) & (aq["quarter"] == quarter), "revenue"].sum()
        records.append(
            {
                "bu_id": bu,
                "label": bu,
                "revenue": float(revenue),
                "market_size": float(now["market_size"]),
                "market_growth": float(now["market_size"]) / float(then["market_size"]) - 1,
                "our_share": float(now["our_share"]),
                "rival_share": float(now["rival_share"]),
                "relative_share": float(now["our_share"]) / float(now["rival_share"]),
            }
        )
    frame = pd.DataFrame.from_records(records, columns=["bu_id", *BCG_COLUMNS[:-2]])
    frame = score_bcg(frame.set_index("bu_id"), growth_cut=growth_cut, share_cut=share_cut)
    frame.attrs |= {"quarter": quarter, "not_assessed": missing}
    return frame


def portfolio_views(eng: Engagement, quarter: str | None = None) -> pd.DataFrame:
    """Return the IE, GE and BCG views of every BU side by side, each with its stance.

    Returns
    -------
    DataFrame indexed by ``bu_id``: ``bu_name``, ``ie_cell``, ``ie_strategy``,
    ``ie_stance``, ``ge_strategy``, ``ge_stance``, ``bcg_cell``, ``bcg_stance``,
    ``market_growth`` and ``relative_share`` (missing where a view is not assessed): the
    facts the group page's findings read.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> portfolio_views(eng).loc["PV", ["ge_stance", "bcg_stance"]].tolist()
    ['invest', 'hold']
    """
    quarter = quarter or eng.current_quarter
    positions = strategic_position(eng, quarter)
    bcg = bcg_positions(eng, quarter)
    frame = pd.DataFrame(index=pd.Index(eng.bu_ids, name="bu_id"))
    frame["bu_name"] = [eng.bu_name(bu) for bu in frame.index]
    for column in ("ie_cell", "ie_strategy", "ge_strategy"):
        frame[column] = positions[column].reindex(frame.index)
    frame["ie_stance"] = frame["ie_strategy"].map(IE_STANCE)
    frame["ge_stance"] = frame["ge_strategy"].map(GE_STANCE)
    for column in ("bcg_cell", "market_growth", "relative_share"):
        frame[column] = bcg[column].reindex(frame.index)
    frame["bcg_stance"] = frame["bcg_cell"].map(BCG_STANCE)
    return frame


__all__ = [
    "BCG_COLUMNS",
    "GE_STANCE",
    "IE_STANCE",
    "bcg_positions",
    "portfolio_views",
    "swot",
    "tows",
    "tows_and_ie",
]
