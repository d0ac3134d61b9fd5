"""Conflict and organisation: the Thomas-Kilmann mode, the key-account organisation form.

- :func:`conflict_mode`: the Thomas-Kilmann mode for a described situation (seed 003,
  the first matching rule of :data:`CONFLICT_RULES`).
- :func:`organisation_form`: which of the three key-account organisations fits a BU
  (seed 002, the first matching row of :data:`ORGANISATION_RULES`).
"""

from __future__ import annotations

import pandas as pd

from ...base._numeric import safe_divide
from ...base._validation import describe, require_columns
from ...base.errors import InputValidationError, Problem
from ...base.schema import ORGANISATION_FORMS
from ._common import _blank, _lang

# ----------------------------------------------------------------------------- data tables

#: Thomas-Kilmann conflict modes (seed 003), the first rule that matches the situation;
#: ``*`` matches any value. Stakes and relationship importance are low or high, time
#: pressure low or high, our relative power weaker, equal or stronger.
CONFLICT_VALUES = {
    "stakes": ("low", "high"),
    "relationship": ("low", "high"),
    "time_pressure": ("low", "high"),
    "power": ("weaker", "equal", "stronger"),
}
CONFLICT_MODES = ("competing", "collaborating", "compromising", "avoiding", "accommodating")
CONFLICT_RULES: tuple[tuple[dict[str, str], str, str], ...] = (
    ({"stakes": "low", "relationship": "low"}, "avoiding", "minor"),
    ({"stakes": "low", "relationship": "high"}, "accommodating", "relationship_first"),
    ({"stakes": "high", "relationship": "high", "time_pressure": "low"}, "collaborating", "both"),
    ({"stakes": "high", "relationship": "high", "time_pressure": "high"}, "compromising", "time"),
    ({"stakes": "high", "relationship": "low", "power": "stronger"}, "competing", "decisive"),
    ({"stakes": "high", "relationship": "low", "power": "weaker"}, "accommodating", "weaker"),
    # equal power, with or without time pressure: seed 003's compromise (never competing)
    ({"stakes": "high", "relationship": "low", "power": "equal"}, "compromising", "equal"),
)
CONFLICT_WHY: dict[str, dict[str, str]] = {
    "minor": {
        "en": "the issue is minor and the relationship does not hang on it: let it pass, or "
        "leave it to someone better placed, and keep your energy for what matters",
        "zh": "问题无关大局，关系也不受其影响：暂且回避，或交给更合适的人处理",
    },
    "relationship_first": {
        "en": "the relationship matters more than the issue: give way and build credit for later",
        "zh": "关系比问题更重要：让步以维护和谐，为以后积累信誉",
    },
    "both": {
        "en": "both sides' concerns are too important to compromise and there is time: work "
        "out a joint solution both commit to",
        "zh": "双方关注的问题都很重要、不能妥协，且有时间：共同找出双方都认可的方案",
    },
    "time": {
        "en": "much is at stake on both sides but time is short: a temporary give-and-take "
        "settlement, to be revisited",
        "zh": "双方利害都大但时间紧迫：各让一步的临时方案，事后再议",
    },
    "decisive": {
        "en": "an important issue needs a quick decision and we are in a position to make it: "
        "stand firm, and explain why",
        "zh": "重要问题需要快速决断且我们有能力决定：坚持立场并说明理由",
    },
    "weaker": {
        "en": "we are in the weaker position and the relationship is thin: give way on this "
        "point to keep the account, and strengthen our position for next time",
        "zh": "我们处于下风且关系薄弱：在此点上让步以保住客户，并为下次增强实力",
    },
    "equal": {
        "en": "the parties are of equal power and neither reaches its goal without the other, "
        "with no win-win in sight (or no time to find one): split the difference",
        "zh": "双方力量相当、缺了对方都无法达成目标，且难以双赢（或没有时间寻找双赢）：各让一步",
    },
}

#: Key-account organisation (seed 002), the first row whose conditions all hold: the number
#: of key accounts, their share of the BU's revenue, and the share of key-account revenue at
#: the partnership or synergistic stage.
ORGANISATION_RULES: tuple[tuple[str, dict[str, float]], ...] = (
    ("key_account_department", {"min_key": 8, "min_key_share": 0.5, "min_mature_share": 0.5}),
    ("standing_team", {"min_key": 3}),
    ("temporary_team", {}),
)
ORGANISATION_NEEDS: dict[str, dict[str, str]] = {
    "temporary_team": {
        "en": "a senior executive to lead each team when a large deal is in play, the sales "
        "force's groundwork shared with it, and top-management support",
        "zh": "大项目出现时由高管牵头组建小组，共享销售人员前期信息，并获得决策层支持",
    },
    "standing_team": {
        "en": "a team of 3-5 experienced sellers under the sales director, sharing the sales "
        "force's information, with cross-department support for the accounts they pick",
        "zh": "在销售总监领导下由 3-5 名资深销售组成常设小组，共享销售部门信息，并获得跨部门支持",
    },
    "key_account_department": {
        "en": "a department with its own decisions over serving and developing key accounts, "
        "a shared information platform with the regular sales force, cross-department teams "
        "and top-management support",
        "zh": "拥有独立决策权的大客户部，负责大客户服务与开发；与常规销售共享信息平台，"
        "建立跨部门团队，获得决策层支持",
    },
}
ORGANISATION_REASONS: dict[str, dict[str, str]] = {
    "min_key": {
        "en": "{n_key} key accounts (rule: at least {limit:g})",
        "zh": "{n_key} 个大客户（规则：至少 {limit:g} 个）",
    },
    "min_key_share": {
        "en": "key accounts bring {key_share:.0%} of revenue (rule: at least {limit:.0%})",
        "zh": "大客户贡献 {key_share:.0%} 的收入（规则：至少 {limit:.0%}）",
    },
    "min_mature_share": {
        "en": "{mature_share:.0%} of key-account revenue at partnership or synergistic stage "
        "(rule: at least {limit:.0%})",
        "zh": "{mature_share:.0%} 的大客户收入处于伙伴或协同阶段（规则：至少 {limit:.0%}）",
    },
    "default": {
        "en": "{n_key} key accounts: too few for a standing organisation",
        "zh": "{n_key} 个大客户：不足以设立常设组织",
    },
}
MATURE_STAGES = ("partnership", "synergistic")


# ----------------------------------------------------------------------------- conflict


def conflict_mode(
    *,
    stakes: str,
    relationship: str,
    time_pressure: str,
    power: str,
    lang: str = "en",
) -> pd.Series:
    """Choose the Thomas-Kilmann conflict mode (托马斯-基尔曼模型) the seeds advise, and why.

    The first rule of :data:`CONFLICT_RULES` matching the situation gives the mode
    (competing, collaborating, compromising, avoiding, accommodating); every situation
    matches one.

    Parameters
    ----------
    stakes : {"low", "high"}
        How much the issue matters to us.
    relationship : {"low", "high"}
        How much the relationship with this person or account matters.
    time_pressure : {"low", "high"}
    power : {"weaker", "equal", "stronger"}
        Our power relative to the other side.

    Returns
    -------
    Series: ``mode``, ``why`` and ``rule`` (the number of the rule, from 1).

    Examples
    --------
    >>> conflict_mode(stakes="high", relationship="high", time_pressure="low",
    ...     power="equal")["mode"]
    'collaborating'
    """
    lang = _lang(lang)
    situation = {
        "stakes": stakes,
        "relationship": relationship,
        "time_pressure": time_pressure,
        "power": power,
    }
    problems = [
        Problem("conflict_mode", "one of " + ", ".join(allowed), describe(situation[k]), column=k)
        for k, allowed in CONFLICT_VALUES.items()
        if situation[k] not in allowed
    ]
    if problems:
        raise InputValidationError(problems)
    for number, (when, mode, why) in enumerate(CONFLICT_RULES, 1):
        if all(situation[k] == v or v == "*" for k, v in when.items()):
            return pd.Series({"mode": mode, "why": CONFLICT_WHY[why][lang], "rule": number})
    raise InputValidationError(  # pragma: no cover - the rules cover every situation (tested)
        [Problem("conflict_mode", "a rule matching the situation", str(situation))]
    )


# ----------------------------------------------------------------------------- organisation


def organisation_form(
    portfolio: pd.DataFrame,
    *,
    current: str | None = None,
    lang: str = "en",
) -> pd.Series:
    """Which of the three key-account organisations (seed 002) fits a BU, and why.

    The first row of :data:`ORGANISATION_RULES` whose conditions all hold: a key-account
    department for many key accounts that bring most of the revenue and are mostly at
    partnership stage or beyond; a standing team of 3-5 under the sales director for a
    handful; a temporary team led by an executive otherwise.

    Parameters
    ----------
    portfolio : DataFrame
        One row per account: ``key`` (bool), ``revenue`` and ``stage``.
    current : str, optional
        The BU's organisation today (``none`` or one of ``ORGANISATION_FORMS``).
    lang : str
        ``en`` or ``zh``.

    Returns
    -------
    Series: ``form``, ``current``, ``change`` (the form differs from ``current``; False
    when ``current`` is unknown), ``n_key``, ``key_share``, ``mature_share``, ``reasons``
    and ``needs`` (what the form needs: shared information, cross-department teams,
    top-management support).

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"key": [True] * 4 + [False], "revenue": [5.0] * 5,
    ...     "stage": ["early"] * 5})
    >>> organisation_form(p, current="none")[["form", "change"]].tolist()
    ['standing_team', True]
    """
    lang = _lang(lang)
    require_columns(portfolio, ("key", "revenue", "stage"), where="organisation_form")
    if current is not None and not _blank(current) and current not in ("none", *ORGANISATION_FORMS):
        raise InputValidationError(
            [
                Problem(
                    "organisation_form",
                    "none or one of " + ", ".join(ORGANISATION_FORMS),
                    describe(current),
                    column="current",
                )
            ]
        )
    key = portfolio["key"].fillna(False).astype(bool)
    revenue = pd.to_numeric(portfolio["revenue"], errors="coerce").fillna(0.0).clip(lower=0)
    facts = {
        "n_key": int(key.sum()),
        "key_share": safe_divide(float(revenue[key].sum()), float(revenue.sum())),
        "mature_share": safe_divide(
            float(revenue[key & portfolio["stage"].isin(MATURE_STAGES)].sum()),
            float(revenue[key].sum()),
        ),
    }
    measure = {"min_key": "n_key", "min_key_share": "key_share", "min_mature_share": "mature_share"}
    form, reasons = ORGANISATION_RULES[-1][0], []
    for name, conditions in ORGANISATION_RULES:
        held = all(
            facts[measure[k]] == facts[measure[k]] and facts[measure[k]] >= limit
            for k, limit in conditions.items()
        )
        if held:
            form = name
            reasons = [
                ORGANISATION_REASONS[k][lang].format(limit=limit, **facts)
                for k, limit in conditions.items()
            ] or [ORGANISATION_REASONS["default"][lang].format(**facts)]
            break
    now = None if current is None or _blank(current) else current
    return pd.Series(
        {
            "form": form,
            "current": now or "",
            "change": bool(now is not None and now != form),
            **facts,
            "reasons": "; ".join(reasons),
            "needs": ORGANISATION_NEEDS[form][lang],
        }
    )
