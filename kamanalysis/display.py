"""Presentation helpers for notebooks and reports: number formats and headings.

Examples
--------
>>> import pandas as pd
>>> s = styled(pd.DataFrame({"revenue": [1234567.891], "growth_yoy": [0.0523]}))
>>> "1,234,568" in s.to_html() and "5.2%" in s.to_html()
True
"""

from __future__ import annotations

import pandas as pd

from .engagement import Engagement

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
}


def styled(frame: pd.DataFrame):
    """Return a Styler showing ``frame`` with the package's number formats."""
    formats = {
        c: FORMATS.get(str(c), "{:,.2f}")
        for c in frame.columns
        if pd.api.types.is_float_dtype(frame[c])
    }
    return frame.style.format(formats, na_rep="–")


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
