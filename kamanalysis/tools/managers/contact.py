"""Contact and call plans: how to approach the buying centre, and what to ask in a call.

- :func:`contact_plan`: how to approach each person in a buying centre by social style
  (:data:`STYLE_APPROACH`, seed 003) and attitude (:data:`ATTITUDE_AIM`), and the roles
  still to reach; :func:`aim_text`: the sentence behind an aim.
- :func:`spin_call_plan`: a SPIN call plan generated from an account's data (seed 003,
  :data:`SPIN_TEXT`), opened by what the ledger already tells (:func:`situation_facts`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from ...base._numeric import safe_divide
from ...base._validation import describe, require_columns
from ...base.errors import InputValidationError, Problem
from ...base.schema import (
    ATTITUDES,
    BUYING_ROLES,
    DEFAULT_SCALES,
    FEEDBACK_DIMENSIONS,
    SOCIAL_STYLES,
)
from ._common import _blank, _lang

# ----------------------------------------------------------------------------- data tables

#: How to approach a person by social style (seed 003), and the generic approach when the
#: style is not recorded.
STYLE_APPROACH: dict[str, dict[str, str]] = {
    "analytical": {
        "en": "facts, figures and technical detail; show a demo or test data; leave time to check",
        "zh": "充分资料、事实和数据，技术性话题，做演示；留出核对的时间",
    },
    "driver": {
        "en": "brief and goal-directed: the result, the cost, the decision needed; don't take "
        "much of their time",
        "zh": "简练、目的明确：讲结果、成本和需要的决定；不要占用太多时间",
    },
    "amiable": {
        "en": "relationship first: personal contact, introductions to people they trust, user "
        "meetings",
        "zh": "关系优先：私人交往、介绍朋友、用户会与交流",
    },
    "expressive": {
        "en": "give them room to talk and be recognised; share the vision; start with the "
        "high-end offer",
        "zh": "多给表达和被认可的机会；讲愿景；从高端方案入手",
    },
    "generic": {
        "en": "open with a question about their goals, listen, and note their style for next time",
        "zh": "先问其目标，多倾听，并记录其风格供下次使用",
    },
}
#: What to do with each attitude (seed 003: opponents are not enemies), and a missing role.
ATTITUDE_AIM: dict[str, dict[str, str]] = {
    "supporter": {
        "en": "grow: keep them informed and give them material to argue for us inside",
        "zh": "培养：保持信息畅通，为其在内部支持我们提供材料",
    },
    "neutral": {
        "en": "win over: find what matters to them in their role and show one concrete benefit",
        "zh": "争取：了解其岗位关心的事，展示一项具体利益",
    },
    "opponent": {
        "en": "understand and win over (an opponent is not an enemy): learn why they oppose "
        "us, answer that concern, keep them informed so that they can become neutral",
        "zh": "理解并争取（反对者不是敌对者）：了解其反对的原因，回应其关切，保持沟通，"
        "争取其转为中立",
    },
    "missing": {
        "en": "reach: nobody mapped in this role; ask a supporter who it is and arrange a meeting",
        "zh": "接触：此角色尚无联系人；请支持者引荐并安排会面",
    },
}
AIMS = {"supporter": "grow", "neutral": "win", "opponent": "understand", "missing": "reach"}
NO_STYLE_NOTE = {
    "en": "no social style recorded: generic approach",
    "zh": "未记录社交风格：采用通用方法",
}

#: A feedback score strictly below this fraction of the scale's range is a weak dimension.
WEAK_FEEDBACK = 0.5
#: SPIN questions (seed 003): situation facts we already know (don't ask), problem questions
#: from weak feedback and our short boards, implication questions from churn-risk signals,
#: need-payoff questions from our long boards.
SPIN_TEXT: dict[str, dict[str, str]] = {
    "situation.revenue": {
        "en": "We know: they bought {value:,.0f} from us in {quarter}.",
        "zh": "已知：{quarter} 向我们采购 {value:,.0f}。",
    },
    "situation.revenue_yoy": {
        "en": "We know: purchases {value:+.1%} on a year ago.",
        "zh": "已知：采购额同比 {value:+.1%}。",
    },
    "situation.share_of_wallet": {
        "en": "We know: we hold {value:.0%} of their spend in our category.",
        "zh": "已知：我们占其品类采购的 {value:.0%}。",
    },
    "situation.gross_margin_pct": {
        "en": "We know: our gross margin on them is {value:.1f} %.",
        "zh": "已知：我们在该客户的毛利率为 {value:.1f}%。",
    },
    "situation.payment_days": {
        "en": "We know: they pay in {value:.0f} days.",
        "zh": "已知：其付款周期为 {value:.0f} 天。",
    },
    "problem.feedback": {
        "en": "They rated our {topic} {value:g}: what went wrong, and how often?",
        "zh": "对方给我们的“{topic}”打了 {value:g} 分：问题出在哪里，多久发生一次？",
    },
    "problem.short_board": {
        "en": "Where does our {topic} fall short of what you get elsewhere?",
        "zh": "在“{topic}”上，我们与其他供应商相比差在哪里？",
    },
    "implication.falling_purchases": {
        "en": "Their purchases fell: what does moving volume to others cost them in quality, "
        "service and switching?",
        "zh": "采购额下降：把量转给别家，会在质量、服务和转换上给他们带来什么代价？",
    },
    "implication.rising_payment_days": {
        "en": "They pay later: what pressure on their cash or prices lies behind it, and what "
        "does it do to their projects?",
        "zh": "付款变慢：背后是什么资金或价格压力？对其项目有何影响？",
    },
    "implication.falling_feedback": {
        "en": "Their satisfaction dropped: what does that problem cost their operations?",
        "zh": "满意度下降：这个问题给他们的运营造成了多大损失？",
    },
    "implication.no_decider_contact": {
        "en": "We have not met their decider lately: which of their plans could we miss, and "
        "what does that risk for them?",
        "zh": "近期未接触其决策者：我们可能错过他们的哪些计划？这对他们有何风险？",
    },
    "need_payoff.long_board": {
        "en": "If our {topic} took that off your hands, what would it be worth to you?",
        "zh": "如果我们在“{topic}”上帮您解决这个问题，对您价值多大？",
    },
}
SPIN_KINDS = ("situation", "problem", "implication", "need_payoff")


# ----------------------------------------------------------------------------- contact plan


def contact_plan(contacts: pd.DataFrame, *, lang: str = "en") -> pd.DataFrame:
    """How to approach each person in the buying centre, and the roles still to reach.

    Each contact gets an ``aim`` from the attitude (seed 003: supporters to grow, neutrals to
    win over, opponents to understand and win over: an opponent is not an enemy) and an
    ``approach`` from the social style (:data:`STYLE_APPROACH`: analytical facts and demos,
    driver brief and goal-directed, amiable relationship and introductions, expressive room
    to talk and the vision). A contact without a social style gets the generic approach and a
    ``note``, not an error. Each buying-centre role nobody is mapped in gets a row with aim
    ``reach``.

    Parameters
    ----------
    contacts : DataFrame
        ``account_id``, ``role``, ``attitude``, ``influence`` and ``social_style`` (blank
        allowed); ``contact_id``, ``name`` and ``title`` are carried when present.
    lang : str
        ``en`` or ``zh``.

    Returns
    -------
    DataFrame, per account (in order of first appearance) its contacts by influence
    (highest first) then its missing roles: ``account_id``, ``contact_id``, ``name``,
    ``title``, ``role``, ``influence``, ``attitude``, ``social_style``, ``aim``,
    ``approach``, ``note``.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"account_id": ["A", "A"], "role": ["decider", "buyer"],
    ...     "attitude": ["neutral", "supporter"], "influence": [5, 3],
    ...     "social_style": ["driver", None]})
    >>> p = contact_plan(c)
    >>> p[["role", "aim", "note"]].head(3).values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['decider', 'win', ''], ['buyer', 'grow', 'no social style recorded: generic approach'],
     ['influencer', 'reach', '']]
    """
    where = "contact_plan"
    lang = _lang(lang)
    require_columns(
        contacts, ("account_id", "role", "attitude", "influence", "social_style"), where=where
    )
    problems = []
    for i, record in enumerate(contacts.to_dict("records")):
        who = record.get("contact_id", f"row {i + 1}")
        if record["role"] not in BUYING_ROLES:
            problems.append(
                Problem(
                    where,
                    "one of " + ", ".join(BUYING_ROLES),
                    describe(record["role"]),
                    column=f"role of {who!r}",
                )
            )
        if record["attitude"] not in ATTITUDES:
            problems.append(
                Problem(
                    where,
                    "one of " + ", ".join(ATTITUDES),
                    describe(record["attitude"]),
                    column=f"attitude of {who!r}",
                )
            )
        style = record["social_style"]
        if not _blank(style) and style not in SOCIAL_STYLES:
            problems.append(
                Problem(
                    where,
                    "one of " + ", ".join(SOCIAL_STYLES) + " (or blank)",
                    describe(style),
                    column=f"social_style of {who!r}",
                )
            )
    if problems:
        raise InputValidationError(problems)
    columns = [
        "account_id",
        "contact_id",
        "name",
        "title",
        "role",
        "influence",
        "attitude",
        "social_style",
        "aim",
        "approach",
        "note",
    ]
    records = []
    for account in dict.fromkeys(contacts["account_id"]):
        rows = contacts.loc[contacts["account_id"] == account]
        rows = rows.assign(_i=pd.to_numeric(rows["influence"], errors="coerce"))
        rows = rows.sort_values("_i", ascending=False, kind="stable")
        for record in rows.to_dict("records"):
            style = record["social_style"]
            blank = _blank(style)
            records.append(
                {
                    "account_id": account,
                    "contact_id": record.get("contact_id", ""),
                    "name": record.get("name", ""),
                    "title": record.get("title", ""),
                    "role": record["role"],
                    "influence": record["influence"],
                    "attitude": record["attitude"],
                    "social_style": "" if blank else style,
                    "aim": AIMS[record["attitude"]],
                    "approach": STYLE_APPROACH["generic" if blank else style][lang],
                    "note": NO_STYLE_NOTE[lang] if blank else "",
                }
            )
        for role in BUYING_ROLES:
            if role not in set(rows["role"]):
                records.append(
                    {
                        "account_id": account,
                        "contact_id": "",
                        "name": "",
                        "title": "",
                        "role": role,
                        "influence": math.nan,
                        "attitude": "",
                        "social_style": "",
                        "aim": AIMS["missing"],
                        "approach": ATTITUDE_AIM["missing"][lang],
                        "note": "",
                    }
                )
    return pd.DataFrame.from_records(records, columns=columns)


def aim_text(aim: str, lang: str = "en") -> str:
    """Return the sentence behind an aim code (grow, win, understand, reach).

    Examples
    --------
    >>> aim_text("understand")[:50]
    'understand and win over (an opponent is not an ene'
    """
    attitude = {v: k for k, v in AIMS.items()}[aim]
    return ATTITUDE_AIM[attitude][_lang(lang)]


# ----------------------------------------------------------------------------- SPIN


def situation_facts(ledger: pd.DataFrame, *, account_id: str, quarter: str) -> pd.Series:
    """Return what the ledger already tells about an account in a quarter (don't ask it).

    Returns
    -------
    Series: ``revenue``, ``revenue_yoy`` (NaN without the quarter a year before),
    ``share_of_wallet`` (revenue / category_spend), ``gross_margin_pct``, ``payment_days``.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"account_id": "A", "quarter": ["2025Q3", "2026Q3"],
    ...     "revenue": [80.0, 100.0], "category_spend": [200.0, 250.0],
    ...     "gross_margin_pct": [20.0, 22.0], "payment_days": [40.0, 45.0]})
    >>> situation_facts(q, account_id="A", quarter="2026Q3").round(2).tolist()
    [100.0, 0.25, 0.4, 22.0, 45.0]
    """
    where = "situation_facts"
    require_columns(
        ledger,
        ("account_id", "quarter", "revenue", "category_spend", "gross_margin_pct", "payment_days"),
        where=where,
    )
    rows = ledger.loc[ledger["account_id"] == account_id].set_index("quarter")
    if quarter not in rows.index:
        raise InputValidationError(
            [Problem(where, f"sales of {account_id} in {quarter}", "none", column="quarter")]
        )
    now = rows.loc[quarter]
    year = f"{int(quarter[:4]) - 1}{quarter[4:]}"
    before = float(rows.loc[year, "revenue"]) if year in rows.index else math.nan
    return pd.Series(
        {
            "revenue": float(now["revenue"]),
            "revenue_yoy": safe_divide(float(now["revenue"]), before) - 1
            if before == before
            else math.nan,
            "share_of_wallet": safe_divide(float(now["revenue"]), float(now["category_spend"])),
            "gross_margin_pct": float(now["gross_margin_pct"]),
            "payment_days": float(now["payment_days"]),
        },
        name=account_id,
    )


def spin_call_plan(
    ledger: pd.DataFrame,
    *,
    account_id: str,
    quarter: str,
    feedback: pd.DataFrame | None = None,
    boards: pd.DataFrame | None = None,
    signals: Sequence[str] | str = (),
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
    labels: Mapping[str, str] | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Generate a SPIN call plan (SPIN 提问) for one account from its data.

    - **Situation**: the facts the ledger already holds (:func:`situation_facts`), so the
      manager does not ask what we know.
    - **Problem**: a question per weak feedback dimension of the account in ``quarter``
      (mean score below :data:`WEAK_FEEDBACK` of the scale's range; the lowest first) and
      per short board of ours against the leader.
    - **Implication**: a question per churn-risk signal raised at the account.
    - **Need-payoff**: a question per long board of ours.

    Parameters
    ----------
    ledger : DataFrame
        ``account_quarters`` rows (any accounts: the account's are used).
    account_id, quarter : str
    feedback : DataFrame, optional
        Key-account ``feedback`` rows: ``respondent_id``, ``quarter``, ``dimension``,
        ``score`` (``source`` other than key_account is left out).
    boards : DataFrame, optional
        The long and short boards (index: factor; column ``board``), as
        :func:`kamanalysis.tools.benchmark.boards` returns them.
    signals : sequence of str or comma-separated str
        The churn-risk signals raised at the account (:func:`~kamanalysis.accounts.churn_signals`).
    scale : (lo, hi)
        Scale of the feedback scores.
    labels : mapping, optional
        Display names of feedback dimensions (default: the codes).
    lang : str
        ``en`` or ``zh``.

    Returns
    -------
    DataFrame: ``kind`` (situation, problem, implication, need_payoff), ``topic``,
    ``value`` (the fact or score behind the question; NaN when none) and ``text``.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"account_id": "A", "quarter": ["2026Q3"], "revenue": [100.0],
    ...     "category_spend": [400.0], "gross_margin_pct": [20.0], "payment_days": [50.0]})
    >>> f = pd.DataFrame({"respondent_id": "A", "quarter": "2026Q3",
    ...     "dimension": ["delivery", "price"], "score": [2.0, 4.0]})
    >>> p = spin_call_plan(q, account_id="A", quarter="2026Q3", feedback=f,
    ...     signals="falling_purchases")
    >>> p.loc[p["kind"] != "situation", "text"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['They rated our delivery 2: what went wrong, and how often?',
     'Their purchases fell: what does moving volume to others cost them in quality,
      service and switching?']
    """
    lang = _lang(lang)
    labels = labels or {}
    facts = situation_facts(ledger, account_id=account_id, quarter=quarter)
    records = []
    for topic, value in facts.items():
        if value == value:
            text = SPIN_TEXT[f"situation.{topic}"][lang].format(value=value, quarter=quarter)
            records.append(("situation", topic, float(value), text))
    if feedback is not None and len(feedback):
        require_columns(
            feedback, ("respondent_id", "quarter", "dimension", "score"), where="spin_call_plan"
        )
        fb = feedback
        if "source" in fb:
            fb = fb.loc[fb["source"] == "key_account"]
        fb = fb.loc[(fb["respondent_id"] == account_id) & (fb["quarter"] == quarter)]
        means = fb.groupby("dimension")["score"].mean()
        cut = scale[0] + WEAK_FEEDBACK * (scale[1] - scale[0])
        weak = means.loc[means < cut]
        order = sorted(
            weak.index,
            key=lambda d: (
                weak[d],
                FEEDBACK_DIMENSIONS.index(d) if d in FEEDBACK_DIMENSIONS else 99,
            ),
        )
        for dim in order:
            topic = labels.get(dim, dim)
            text = SPIN_TEXT["problem.feedback"][lang].format(topic=topic, value=float(weak[dim]))
            records.append(("problem", dim, float(weak[dim]), text))
    if boards is not None and len(boards):
        for factor in boards.index[boards["board"] == "short"]:
            text = SPIN_TEXT["problem.short_board"][lang].format(topic=factor)
            records.append(("problem", str(factor), math.nan, text))
    raised = [s.strip() for s in signals.split(",")] if isinstance(signals, str) else signals
    for signal in raised:
        key = f"implication.{signal}"
        if signal and key in SPIN_TEXT:
            records.append(("implication", signal, math.nan, SPIN_TEXT[key][lang]))
    if boards is not None and len(boards):
        for factor in boards.index[boards["board"] == "long"]:
            text = SPIN_TEXT["need_payoff.long_board"][lang].format(topic=factor)
            records.append(("need_payoff", str(factor), math.nan, text))
    return pd.DataFrame.from_records(records, columns=["kind", "topic", "value", "text"])
