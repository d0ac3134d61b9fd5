"""Presentation helpers for notebooks and reports: number formats and headings.

Examples
--------
>>> import pandas as pd
>>> s = styled(pd.DataFrame({"revenue": [1234567.891], "growth_yoy": [0.0523]}))
>>> "1,234,568" in s.to_html() and "5.2%" in s.to_html()
True
"""

from __future__ import annotations

import itertools

import pandas as pd

from .engagement import Engagement

# Styler ids come from this counter, not from random uuids, so that a notebook executed
# twice renders the same HTML (stored notebook outputs are compared by nbval).
_TABLE_IDS = itertools.count(1)

#: Display format of known column names; unknown float columns get two decimals.
FORMATS = {
    "revenue": "{:,.0f}",
    "category_spend": "{:,.0f}",
    "volume": "{:,.0f}",
    "gross_margin_pct": "{:.1f}",
    "payment_days": "{:.0f}",
    "revenue_share": "{:.1%}",
    "share_of_wallet": "{:.1%}",
    "top5_share": "{:.1%}",
    "growth_qoq": "{:+.1%}",
    "growth_yoy": "{:+.1%}",
    # key accounts (kamanalysis.accounts)
    "sales": "{:,.0f}",
    "untapped_spend": "{:,.0f}",
    "avg_margin_pct": "{:.1f}",
    "avg_payment_days": "{:.0f}",
    "purchase_growth": "{:+.1%}",
    "acceleration": "{:+.1%}",
    "robustness": "{:.0%}",
    "flip_probability": "{:.0%}",
    "days_since_decider": "{:.0f}",
}


def styled(frame: pd.DataFrame):
    """Return a Styler showing ``frame`` with the package's number formats.

    An empty frame shows as the line *None.* instead of a bare header.

    Examples
    --------
    >>> styled(pd.DataFrame({"a": []})).data
    '*None.*'
    """
    if frame.empty:
        from IPython.display import Markdown

        return Markdown("*None.*")
    formats = {
        c: FORMATS.get(str(c), "{:,.2f}")
        for c in frame.columns
        if pd.api.types.is_float_dtype(frame[c])
    }
    return frame.style.format(formats, na_rep="–").set_uuid(f"kam{next(_TABLE_IDS)}")


def headline(eng: Engagement, bu_id: str) -> str:
    """Markdown heading of a BU's diagnosis report.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> headline(eng, "PV").splitlines()[0]
    '# Pumps & Valves (PV): marketing-strategy diagnosis, 2026Q3'
    """
    part = eng.for_bu(bu_id)
    quarters = part.quarters
    span = f"{quarters[0]} to {quarters[-1]}" if quarters else "no quarters"
    return "\n".join(
        [
            f"# {eng.bu_name(bu_id)} ({bu_id}): marketing-strategy diagnosis, "
            f"{eng.current_quarter}",
            "",
            f"**Engagement:** {eng.name}  ",
            f"**Client:** {eng.settings['engagement']['client']}  ",
            f"**Data:** {len(part.accounts)} accounts, {len(quarters)} quarters ({span}), "
            f"amounts in {eng.currency}; validated on loading.",
        ]
    )


def external_summary(ext) -> str:
    """Markdown sentences summarising a BU's external environment.

    Parameters
    ----------
    ext : ExternalEnvironment
        From :func:`kamanalysis.diagnosis.external_environment`.
    """
    pest, forces, trajectory = ext.pest, ext.forces, ext.trajectory
    lean = "favourable" if pest.net > 0 else "hostile" if pest.net < 0 else "balanced"
    opp = ", ".join(pest.top_opportunities["factor"]) or "none"
    thr = ", ".join(pest.top_threats["factor"]) or "none"
    strongest = forces.forces["intensity"].idxmax()
    lines = [
        f"- **PEST** ({ext.quarter}): net balance {pest.net:+.1f}, the environment leans "
        f"{lean}. Top opportunities: {opp}. Top threats: {thr}.",
        f"- **Five forces**: mean intensity {forces.intensity:.2f}; industry attractiveness "
        f"{forces.attractiveness:.2f} ({forces.band}). Strongest force: "
        f"{strongest.replace('_', ' ')} ({forces.forces.loc[strongest, 'intensity']:.2f}).",
        f"- **Industry evolution**: {trajectory.trajectory} ({trajectory.chinese}); threat to "
        f"core activities {trajectory.activities_score:.2f}, to core assets "
        f"{trajectory.assets_score:.2f}."
        + (
            f" {len(trajectory.conflicts)} indicator(s) point the other way: "
            + ", ".join(trajectory.conflicts["indicator"])
            + "."
            if trajectory.conflicting
            else " All indicators agree."
        ),
    ]
    return "\n".join(lines)


def position_summary(positions: pd.DataFrame, bu_id: str) -> str:
    """Markdown sentence placing one BU on the IE and GE matrices.

    Parameters
    ----------
    positions : DataFrame
        From :func:`kamanalysis.diagnosis.strategic_position`.
    """
    row = positions.loc[bu_id]
    return (
        f"- **IE matrix**: IFE {row['ife']:.2f}, EFE {row['efe']:.2f} → cell {row['ie_cell']}: "
        f"*{row['ie_strategy']}*.\n"
        f"- **GE-McKinsey matrix**: industry attractiveness {row['attractiveness']:.2f} "
        f"({row['ge_row']}), competitive strength {row['strength']:.2f} ({row['ge_column']}) → "
        f"*{row['ge_strategy']}*."
    )
