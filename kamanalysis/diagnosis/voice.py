"""The customers' voice as facts: key accounts' and dealers' ratings, who said what, themes.

:func:`voice_facts` gives the findings rules (``kamanalysis/report/rules.csv``) what the
feedback says beyond its means:

- for each source (key accounts, dealers): the mean, its change on the quarter before,
  the weakest dimension, and the comment that came with the lowest score, **with who
  said it** (an account by its name, its code in brackets; a dealer by its name);
- the key accounts that rated the weakest dimension low (below the scale's middle;
  when none did, those that rated it lowest): the accounts a quality programme, a supply
  plan or a price case starts with;
- the **recurring themes**: every comment up to the quarter, from both sources, grouped
  by :func:`kamanalysis.tools.themes.recurring_themes` (normalised text and a keyword
  table), those heard three times or more, the most heard first.

Examples
--------
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> f = voice_facts(eng, "IC", "2026Q3")
>>> f["n_themes"], f["theme_top_count"], f["theme_top"]
(4.0, 8.0, 'Our contact changed again')
>>> f["feedback_weakest_accounts"]
'Nanhai Shipyard 南海船厂 (IC001), Huaxia Machinery (IC033)'
"""

from __future__ import annotations

import pandas as pd

from ..base.i18n import short_list
from ..data.engagement import Engagement
from ..tools.review import lowest_comments
from ..tools.themes import RECURRING, recurring_themes
from ._common import _scale

#: The facts' prefix for each feedback source.
PREFIX = {"key_account": "feedback", "dealer": "dealer_feedback"}


def account_names(eng: Engagement) -> pd.Series:
    """Account id -> ``name (id)``, the way a text names an account the first time.

    The name is the one a report in the engagement's language shows
    (:meth:`~kamanalysis.data.engagement.Engagement.display_names`, issue 20).
    """
    ids = eng.accounts["account_id"].astype(str)
    names = eng.display_names("account").reindex(ids).fillna(pd.Series(ids.to_numpy(), ids))
    return (names.astype(str) + " (" + ids.to_numpy() + ")").set_axis(ids)


def _who(respondent: str, source: str, names: pd.Series) -> str:
    return names.get(respondent, respondent) if source == "key_account" else respondent


def _revenue_m(eng: Engagement, quarter: str, ids: list[str]) -> float:
    """Return the accounts' revenue in the quarter, in millions: what their voice puts at stake."""
    aq = eng.account_quarters
    rows = aq.loc[(aq["quarter"].astype(str) == quarter) & aq["account_id"].astype(str).isin(ids)]
    return float(pd.to_numeric(rows["revenue"], errors="coerce").sum()) / 1e6


def voice_facts(eng: Engagement, bu_id: str, quarter: str) -> dict:
    """Gather what key accounts and dealers said of a BU up to a quarter.

    Returns
    -------
    dict
        For key accounts: ``lowest_comment`` and ``lowest_comment_by``,
        ``feedback_weakest_accounts`` and their revenue this quarter in millions,
        ``feedback_weakest_revenue_m`` (the money a falling rating puts at stake); for
        dealers (``feedback.source == "dealer"``):
        ``dealer_feedback_mean``, ``dealer_feedback_change``, ``dealer_weakest``,
        ``dealer_weakest_score``, ``dealer_lowest_comment`` and
        ``dealer_lowest_comment_by``; for both: ``n_themes`` (themes heard
        :data:`~kamanalysis.tools.themes.RECURRING` times or more), and when there are
        some ``themes_recurring`` (each quoted with its count and who said it),
        ``theme_top`` (the verbatim), ``theme_top_count``, ``theme_top_dimension``,
        ``theme_top_by`` and ``theme_top_revenue_m`` (the revenue of the accounts that
        said it, in millions). A fact is absent when there is nothing to say.
    """
    fb = eng.feedback
    fb = fb.loc[(fb["bu_id"] == bu_id) & (fb["quarter"].astype(str) <= quarter)]
    now = fb.loc[fb["quarter"].astype(str) == quarter]
    names = account_names(eng)
    lo, hi = _scale(eng, "rating")
    facts: dict = {}
    if now.empty:
        return facts
    previous = sorted(q for q in fb["quarter"].astype(str).unique() if q < quarter)
    if "comment" in now:
        said = lowest_comments(now, n=len(now), scale=(lo, hi))
    else:
        said = pd.DataFrame(columns=["source", "respondent_id", "comment"])
    for source, prefix in PREFIX.items():
        rows = now.loc[now["source"] == source]
        if rows.empty:
            continue
        by_dimension = rows.groupby("dimension")["score"].mean()
        weakest = by_dimension.idxmin()
        if source == "dealer":
            facts[f"{prefix}_mean"] = float(by_dimension.mean())
            facts["dealer_weakest"] = str(weakest)
            facts["dealer_weakest_score"] = float(by_dimension[weakest])
            before = (
                fb.loc[(fb["source"] == source) & (fb["quarter"] == previous[-1])]
                if (previous)
                else fb.iloc[:0]
            )
            if len(before):
                then = before.groupby("dimension")["score"].mean()
                change = (by_dimension - then.reindex(by_dimension.index)).mean()
                if change == change:
                    facts[f"{prefix}_change"] = float(change)
        else:
            low = rows.loc[rows["dimension"] == weakest]
            middle = (lo + hi) / 2
            picked = low.loc[low["score"] < middle]
            if picked.empty:
                picked = low.loc[low["score"] == low["score"].min()]
            ids = list(dict.fromkeys(picked["respondent_id"].astype(str)))
            facts["feedback_weakest_accounts"] = short_list([names.get(a, a) for a in ids])
            facts["feedback_weakest_revenue_m"] = _revenue_m(eng, quarter, ids)
        first = said.loc[said["source"] == source].head(1)
        if len(first):
            key = "lowest_comment" if source == "key_account" else "dealer_lowest_comment"
            facts[key] = str(first["comment"].iloc[0])
            facts[f"{key}_by"] = _who(str(first["respondent_id"].iloc[0]), source, names)
    themes = recurring_themes(fb) if "comment" in fb else pd.DataFrame()
    facts["n_themes"] = float(len(themes))
    if len(themes):
        facts["themes_since"] = str(themes["first"].min())
        top = themes.iloc[0]
        facts |= {
            "theme_top": str(top["said"]),
            "theme_top_count": float(top["count"]),
            "theme_top_dimension": str(top["dimension"]),
            "theme_top_revenue_m": _revenue_m(eng, quarter, list(top["respondents"])),
            "theme_top_by": short_list([_who(r, "key_account", names) for r in top["respondents"]]),
            "themes_recurring": "; ".join(
                f"“{t.said}” ×{t.count} ("
                + short_list([_who(r, "key_account", names) for r in t.respondents], 3)
                + ")"
                for t in themes.itertuples()
            ),
        }
    return facts


__all__ = ["RECURRING", "account_names", "voice_facts"]
