"""The group page's BCG grid and the findings where the IE, GE and BCG views disagree (issue 26).

:func:`bcg_block` returns the HTML the quarter's ``index.html`` shows beside its IE and
GE grids: every BU with market data on one BCG growth-share grid (bubble = the quarter's
revenue, share on a log scale), the BUs not assessed and why, and the findings of the
``group_*`` rules of ``rules.csv`` evaluated on each BU's three views
(:func:`kamanalysis.diagnosis.strategy_views.portfolio_views`). Called with one line from
:mod:`kamanalysis.report.index`.

Examples
--------
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> found = group_findings(eng, "en")
>>> found.loc[found["id"] == "group_cash_cow_ge_invest", "finding"].str[:40].tolist()
['Pumps & Valves: a cash cow on the BCG gr']
"""

from __future__ import annotations

import pandas as pd

from ..base.i18n import text
from ..base.markup import safe
from ..core.fonts import use_cjk_font
from ..data.engagement import Engagement
from ..diagnosis.strategy_views import bcg_positions, portfolio_views
from ..tools.bcg import plot_bcg_matrix
from .display import image_tag
from .findings import evaluate, package_rules

#: The rules the group page evaluates: their ids start with this.
GROUP_RULES = "group_"


def group_findings(eng: Engagement, lang: str = "en") -> pd.DataFrame:
    """Return the ``group_*`` findings of every BU (its IE, GE and BCG views), BU by BU."""
    rules = package_rules()
    rules = rules.loc[rules["id"].str.startswith(GROUP_RULES)]
    views = portfolio_views(eng)
    frames = []
    for bu, row in views.iterrows():
        facts = {k: v for k, v in row.items() if isinstance(v, str) or v == v}
        found = evaluate(facts | {"bu_id": bu}, rules=rules, lang=lang)
        frames.append(found.assign(bu_id=bu))
    columns = ["bu_id", "id", "priority", "finding", "action"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def _grid(eng: Engagement, lang: str) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    bcg = bcg_positions(eng)
    if bcg.empty:
        return f"<p><em>{safe(text('index.bcg_none', lang))}</em></p>"
    with matplotlib.rc_context({"text.parse_math": False}):
        use_cjk_font()
        fig, ax = plt.subplots(figsize=(7, 5.5))
        plot_bcg_matrix(bcg, ax=ax, lang=lang)
        alt = text("index.bcg_alt", lang, bus=", ".join(bcg.index.astype(str)))
        return image_tag(fig, alt)


def bcg_block(eng: Engagement, lang: str = "en") -> str:
    """Return the group page's BCG part: heading, grid, BUs not assessed, findings (HTML)."""
    parts = [f"<h2>{safe(text('index.bcg', lang))}</h2>", _grid(eng, lang)]
    missing = bcg_positions(eng).attrs.get("not_assessed", {})
    if missing:
        items = "".join(
            f"<li>{safe(eng.bu_name(bu))} ({safe(bu)}): {safe(text(f'index.bcg_{why}', lang))}</li>"
            for bu, why in missing.items()
        )
        parts.append(f"<p>{safe(text('index.bcg_not_assessed', lang))}</p><ul>{items}</ul>")
    found = group_findings(eng, lang)
    if len(found):
        items = []
        for row in found.sort_values(["priority", "bu_id"], kind="stable").itertuples():
            action = f" <em>{safe(row.action)}</em>" if row.action else ""
            items.append(f"<li>{safe(row.finding)}{action}</li>")
        parts.append(f"<h3>{safe(text('index.views', lang))}</h3><ul>{''.join(items)}</ul>")
    return "\n".join(parts)
