"""One verdict per BU and quarter, blending growth, margin, strength and the customers' voice.

Seed 002 warns against judging a strategy by sales alone. The verdict therefore reads
four measured trends, each on a year ago:

- **growth**: revenue ``grows`` (at or above +:data:`GROWTH_BAND`), is ``steady`` or
  ``falls`` (at or below -:data:`GROWTH_BAND`);
- **margin**: the gross margin is ``up`` (the change in points at or above 0) or ``down``;
- **strength**: the competitive strength (the benchmark's weighted score) is ``up`` or
  ``down``, or ``n/a`` when the benchmark was not assessed a year ago;
- **voice**: the key accounts' mean feedback ``falls`` (at or below -:data:`VOICE_BAND`),
  ``rises``, ``holds`` or is ``n/a``.

:data:`VERDICTS` is the rule table: one row for every combination of growth, margin and
strength (``n/a`` growth or margin: the single row :data:`NOT_AVAILABLE`), so exactly one
verdict fires. The voice adds its clause to every verdict, and a falling voice raises the
verdict's urgency (priority 1). The texts are the catalogue's ``verdict.<key>``.

:func:`stance` reconciles the IE and GE matrices when their strategies differ: the trends
decide (:data:`STANCE_BY_TREND`), and the sentence says which one the data favour and why.

Examples
--------
>>> v = verdict({"revenue_yoy": 0.041, "margin_change_yoy": -1.4, "strength_change_yoy": 0.15})
>>> v["verdict"], v["growth_trend"], v["margin_trend"], v["strength_trend"], v["voice_trend"]
('steady_margin', 'steady', 'down', 'up', 'n/a')
>>> verdict({})["verdict"]
'not_available'
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..base.i18n import label, text

#: Revenue change on a year ago at or beyond which a BU grows or falls (5 %).
GROWTH_BAND = 0.05
#: Change of the key accounts' mean feedback (rating points) at or beyond which it falls or rises.
VOICE_BAND = 0.2

GROWTH = ("grows", "steady", "falls")
MARGIN = ("up", "down")
STRENGTH = ("up", "down", "n/a")
VOICE = ("rises", "holds", "falls", "n/a")
#: The verdict when revenue or margin has no year-ago comparison.
NOT_AVAILABLE = "not_available"

#: (growth, margin, strength) -> (verdict, priority 1 high - 3 low): the rule table.
VERDICTS: dict[tuple[str, str, str], tuple[str, int]] = {
    ("grows", "up", "up"): ("strong_growth", 3),
    ("grows", "up", "down"): ("growth_losing_ground", 2),
    ("grows", "down", "up"): ("growth_costs_margin", 2),
    ("grows", "down", "down"): ("fragile_growth", 1),
    ("steady", "up", "up"): ("steady_improving", 3),
    ("steady", "up", "down"): ("steady_losing_ground", 2),
    ("steady", "down", "up"): ("steady_margin", 2),
    ("steady", "down", "down"): ("stalling", 1),
    ("falls", "up", "up"): ("shrinking_sound", 2),
    ("falls", "up", "down"): ("retreating", 1),
    ("falls", "down", "up"): ("shrinking_margin", 1),
    ("falls", "down", "down"): ("weakening", 1),
    ("grows", "up", "n/a"): ("profitable_growth", 3),
    ("grows", "down", "n/a"): ("growth_costs_margin", 2),
    ("steady", "up", "n/a"): ("steady_margin_up", 3),
    ("steady", "down", "n/a"): ("steady_margin", 2),
    ("falls", "up", "n/a"): ("shrinking_margin_holds", 2),
    ("falls", "down", "n/a"): ("shrinking_margin", 1),
}

#: The IE and GE strategies on one scale: 3 build, 2 hold, 1 harvest.
STANCE_LEVELS = {
    "grow and build": 3,
    "invest/grow": 3,
    "hold and maintain": 2,
    "selectivity/earnings": 2,
    "harvest or divest": 1,
    "harvest/divest": 1,
}
#: Which of two disagreeing stances the trends favour: the bolder, the one nearer "hold",
#: or the more cautious.
STANCE_BY_TREND = {"improving": "bolder", "mixed": "nearer_hold", "deteriorating": "cautious"}


def _number(facts: Mapping, name: str) -> float | None:
    value = facts.get(name)
    if value is None or isinstance(value, str) or value != value:
        return None
    return float(value)


def trends(facts: Mapping) -> dict[str, str]:
    """Classify growth, margin, strength and voice from a BU's facts (``n/a`` when absent).

    Examples
    --------
    >>> trends({"revenue_yoy": -0.09, "margin_change_yoy": 0.0, "feedback_change": -0.4})
    {'growth_trend': 'falls', 'margin_trend': 'up', 'strength_trend': 'n/a', 'voice_trend': 'falls'}
    """
    growth = _number(facts, "revenue_yoy")
    margin = _number(facts, "margin_change_yoy")
    strength = _number(facts, "strength_change_yoy")
    voice = _number(facts, "feedback_change")
    return {
        "growth_trend": "n/a"
        if growth is None
        else "grows"
        if growth >= GROWTH_BAND
        else "falls"
        if growth <= -GROWTH_BAND
        else "steady",
        "margin_trend": "n/a" if margin is None else "up" if margin >= 0 else "down",
        "strength_trend": "n/a" if strength is None else "up" if strength >= 0 else "down",
        "voice_trend": "n/a"
        if voice is None
        else "falls"
        if voice <= -VOICE_BAND
        else "rises"
        if voice >= VOICE_BAND
        else "holds",
    }


def verdict(facts: Mapping) -> dict:
    """Return the one verdict of a BU's facts: its key, priority, the trends and the stance.

    Returns
    -------
    dict
        ``verdict`` (a key of :data:`VERDICTS`' values, or :data:`NOT_AVAILABLE`),
        ``verdict_priority``, the four trends (:func:`trends`) and, when the facts have
        both matrices, ``stance`` (the strategy the data favour) and ``stance_reason``
        (``agree`` or the trend that decided).
    """
    found = trends(facts)
    key = (found["growth_trend"], found["margin_trend"], found["strength_trend"])
    name, priority = VERDICTS.get(key, (NOT_AVAILABLE, 2))
    if found["voice_trend"] == "falls":
        priority = 1
    return {"verdict": name, "verdict_priority": priority, **found, **stance(facts, found)}


def _trend(found: Mapping) -> str:
    """improving, mixed or deteriorating, from growth, margin and strength."""
    if found["growth_trend"] == "falls" or (
        found["margin_trend"] == "down" and found["strength_trend"] == "down"
    ):
        return "deteriorating"
    if found["growth_trend"] == "grows" and "down" not in (
        found["margin_trend"],
        found["strength_trend"],
    ):
        return "improving"
    return "mixed"


def stance(facts: Mapping, found: Mapping | None = None) -> dict:
    """Reconcile the IE and GE strategies: the one the trends favour, or both when they agree.

    Examples
    --------
    >>> stance({"ie_strategy": "harvest or divest", "ge_strategy": "selectivity/earnings",
    ...         "revenue_yoy": -0.09, "margin_change_yoy": -1.5, "strength_change_yoy": -0.9})
    {'stance': 'harvest or divest', 'stance_reason': 'deteriorating'}
    >>> stance({"ie_strategy": "hold and maintain", "ge_strategy": "selectivity/earnings"})
    {'stance': 'hold and maintain', 'stance_reason': 'agree'}
    """
    ie, ge = facts.get("ie_strategy"), facts.get("ge_strategy")
    if ie not in STANCE_LEVELS or ge not in STANCE_LEVELS:
        return {}
    if STANCE_LEVELS[ie] == STANCE_LEVELS[ge]:
        return {"stance": ie, "stance_reason": "agree"}
    trend = _trend(found if found is not None else trends(facts))
    rule = STANCE_BY_TREND[trend]
    pick = {
        "bolder": lambda s: -STANCE_LEVELS[s],
        "cautious": lambda s: STANCE_LEVELS[s],
        "nearer_hold": lambda s: (abs(STANCE_LEVELS[s] - 2), STANCE_LEVELS[s]),
    }[rule]
    return {"stance": min((ie, ge), key=pick), "stance_reason": trend}


def _fmt(value: float | None, spec: str) -> str:
    return "–" if value is None or math.isnan(value) else format(value, spec)


def verdict_text(facts: Mapping, lang: str = "en") -> str:
    """Say the verdict in one or two sentences in ``lang``: what, the figures, the stance.

    Examples
    --------
    >>> facts = {"bu_name": "PV", "quarter": "2026Q3", "year_ago": "2025Q3",
    ...          "revenue_yoy": 0.041, "margin": 22.2, "margin_change_yoy": -1.43,
    ...          "strength_change_yoy": 0.15, "feedback_change": -0.3,
    ...          "feedback_weakest": "price"}
    >>> print(verdict_text(facts))  # doctest: +NORMALIZE_WHITESPACE
    PV: steady revenue, shrinking margin. Revenue +4.1% on a year ago (2025Q3); gross
    margin 22.2% in 2026Q3, -1.4 points; competitive strength +0.15; key accounts rate us
    lower (-0.30, weakest: price).
    """
    v = verdict(facts)
    parts = []
    if v["growth_trend"] != "n/a":
        parts.append(
            text(
                "verdict.fig.growth", lang, change=facts["revenue_yoy"], year_ago=facts["year_ago"]
            )
        )
    if v["margin_trend"] != "n/a":
        parts.append(
            text(
                "verdict.fig.margin",
                lang,
                margin=facts["margin"],
                quarter=facts["quarter"],
                change=facts["margin_change_yoy"],
            )
        )
    if v["strength_trend"] != "n/a":
        parts.append(text("verdict.fig.strength", lang, change=facts["strength_change_yoy"]))
    if v["voice_trend"] != "n/a":
        weakest = facts.get("feedback_weakest")
        parts.append(
            text(
                f"verdict.voice.{v['voice_trend']}",
                lang,
                change=_fmt(_number(facts, "feedback_change"), "+.2f"),
                weakest=label(weakest, lang) if weakest else "–",
            )
        )
    head = text(f"verdict.{v['verdict']}", lang)
    out = text("verdict.sentence", lang, bu_name=facts.get("bu_name", ""), verdict=head)
    gap = " " if lang == "en" else ""
    if parts:
        sep = text("verdict.join", lang)  # the catalogue strips spaces: English adds one
        sep += " " if sep.isascii() else ""
        out += gap + sep.join(parts) + text("verdict.end", lang)
    if "stance" in v:
        out += gap + stance_text(facts, v, lang)
    return out


def stance_text(facts: Mapping, v: Mapping, lang: str = "en") -> str:
    """Say the IE/GE stance in one sentence: agreed, or which the data favour and why."""
    ie, ge = label(facts["ie_strategy"], lang), label(facts["ge_strategy"], lang)
    chosen = label(v["stance"], lang)
    if v["stance_reason"] == "agree":
        return text("verdict.stance.agree", lang, ie=ie, ge=ge)
    return text(f"verdict.stance.{v['stance_reason']}", lang, ie=ie, ge=ge, stance=chosen)
