"""The account manager and the key-account organisation (大客户经理与大客户组织).

The seeds' people methods, as functions on DataFrames (no ``Engagement``):

- :func:`check_managers`: the managers table and who manages which account (ids known,
  competencies on their scale, a manager of the account's own BU).
- :func:`score_manager_fit`, :func:`competency_gaps`, :func:`account_fit`: the competency
  profile each relationship stage needs (:data:`STAGE_PROFILES`, seed 000) against each
  manager's assessed competencies, weighted by the stages and revenue of the manager's
  accounts; gaps ranked, each with a recommendation (:data:`GAP_ACTIONS`).
- :func:`workload`: accounts, key accounts and revenue per manager against :data:`SPAN`.
- :func:`contact_plan`: how to approach each person in a buying centre by social style
  (seed 003) and attitude, and the roles still to reach.
- :func:`spin_call_plan`: a SPIN call plan generated from an account's data (seed 003).
- :func:`indifference` and :func:`churn_causes`: the churn-risk signals mapped to the seeds'
  causes of loss, the "treated with indifference" cause (68 %) measured.
- :func:`conflict_mode`: the Thomas-Kilmann mode for a described situation (seed 003).
- :func:`organisation_form`: which of the three key-account organisations fits (seed 002).
- :func:`plot_manager_fit`: fit and workload of a BU's managers.

Texts a consultant may change (approaches, questions, recommendations, reasons) are module
data tables in English and Chinese.

Examples
--------
>>> import pandas as pd
>>> m = pd.DataFrame({"manager_id": ["M1"], "bu_id": ["B"], "name": ["Li"],
...     **{f"comp_{c}": [4.0] for c in COMPETENCIES}})
>>> a = pd.DataFrame({"account_id": ["A"], "manager_id": ["M1"], "stage": ["partnership"],
...     "revenue": [100.0]})
>>> float(score_manager_fit(m, a).loc["M1", "fit"])
1.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ...base._numeric import safe_divide
from ...base._validation import describe, is_blank, require_columns
from ...base.errors import InputValidationError, Problem
from ...base.i18n import label, text
from ...base.schema import (
    ATTITUDES,
    BUYING_ROLES,
    COMPETENCIES,
    DEFAULT_SCALES,
    FEEDBACK_DIMENSIONS,
    ORGANISATION_FORMS,
    SOCIAL_STYLES,
    STAGES,
)
from ...core.charts import COLORS, get_axes
from ...core.scoring import check_weights

# ----------------------------------------------------------------------------- data tables

#: The competencies each relationship stage asks of the manager (seed 000's roles by stage):
#: stage -> competency -> (weight, required level on a 1-5 scale). Each stage's weights sum
#: to 1; a competency a stage does not list has weight 0 there.
STAGE_PROFILES: dict[str, dict[str, tuple[float, float]]] = {
    # find the decision makers, research the prospect, listen before pitching
    "pre": {
        "communication": (0.25, 4),
        "product_knowledge": (0.15, 3),
        "principled_negotiation": (0.10, 3),
        "network_building": (0.15, 3),
        "senior_access": (0.15, 3),
        "financial_acumen": (0.10, 3),
        "integrity": (0.10, 4),
    },
    # product and technical knowledge, principled negotiation, keep every promise
    "early": {
        "product_knowledge": (0.25, 4),
        "principled_negotiation": (0.20, 4),
        "integrity": (0.20, 4),
        "communication": (0.15, 4),
        "network_building": (0.10, 3),
        "coordination": (0.10, 3),
    },
    # build the network inside the account, senior-management contact, more resources
    "mid": {
        "network_building": (0.25, 4),
        "senior_access": (0.20, 4),
        "coordination": (0.15, 3),
        "communication": (0.10, 4),
        "joint_planning": (0.10, 3),
        "integrity": (0.10, 4),
        "product_knowledge": (0.05, 3),
        "principled_negotiation": (0.05, 3),
    },
    # coordinator and coach: joint long-term plans, processes between the firms
    "partnership": {
        "joint_planning": (0.25, 4),
        "coordination": (0.20, 4),
        "process_it": (0.15, 4),
        "senior_access": (0.10, 4),
        "financial_acumen": (0.10, 3),
        "network_building": (0.10, 4),
        "integrity": (0.10, 4),
    },
    # cross-boundary management, process design and IT, finance and consulting
    "synergistic": {
        "process_it": (0.20, 4),
        "financial_acumen": (0.20, 4),
        "coordination": (0.20, 4),
        "joint_planning": (0.20, 4),
        "senior_access": (0.10, 4),
        "integrity": (0.10, 4),
    },
}

#: The manager's role at each stage, in a sentence (seed 000).
STAGE_ROLES: dict[str, dict[str, str]] = {
    "pre": {
        "en": "find the decision makers, research the prospect (finances, strategy, its markets "
        "and rivals) and offer a credible long-term plan; listen, don't pitch",
        "zh": "找到决策者，研究潜在客户（财务、战略、市场与竞争对手），"
        "提出可信的长期计划；多听少推销",
    },
    "early": {
        "en": "product and technical knowledge, principled negotiation (not haggling) and "
        "reliability: keep every promise, apologise and make good at once when one is missed",
        "zh": "产品与技术知识、原则式谈判（而非讨价还价）与可靠："
        "信守每个承诺，失误时立即道歉并补偿",
    },
    "mid": {
        "en": "build a network across the account's departments and levels, bring in senior "
        "management, re-define the account and commit more resources",
        "zh": "在客户内部跨部门、跨层级建立关系网，引入高层接触，重新定义客户并投入更多资源",
    },
    "partnership": {
        "en": "coordinator and coach: joint long-term plans with the client's decision makers, "
        "better processes between the two firms, innovation",
        "zh": "协调者与教练：与客户决策者共同制定长期计划，改进双方之间的流程，推动创新",
    },
    "synergistic": {
        "en": "cross-boundary management, process design and IT, finance and consulting skills, "
        "while keeping leadership and control",
        "zh": "跨组织边界的管理、流程设计与信息系统、财务与咨询能力，同时保持主导与控制",
    },
}

#: Recommendation for a competency gap, the first row that applies: the shortfall below the
#: required level (points on a 1-5 scale) and the share of the manager's revenue at the
#: stages needing the competency. Reassign the largest such account to the colleague who
#: fits its stage best; pair with the colleague strongest in the competency; or train.
GAP_ACTIONS: tuple[dict, ...] = (
    {"action": "reassign", "min_shortfall": 2.0, "min_share": 0.5},
    {"action": "pair", "min_shortfall": 2.0, "min_share": 0.0},
    {"action": "train", "min_shortfall": 0.0, "min_share": 0.0},
)
GAP_TEXT: dict[str, dict[str, str]] = {
    "reassign": {
        "en": "reassign {account} ({stage}) to {colleague}, who fits that stage best; "
        "{manager} keeps the accounts his or her skills fit",
        "zh": "将{account}（{stage}）转交给最适合该阶段的{colleague}；"
        "{manager}保留与其能力相符的客户",
    },
    "pair": {
        "en": "pair {manager} with {colleague} ({skill} {colleague_rating:g}) on {account}",
        "zh": "在{account}上让{manager}与{colleague}（{skill} {colleague_rating:g}）结对",
    },
    "train": {
        "en": "training for {manager} in {skill}",
        "zh": "安排{manager}接受“{skill}”培训",
    },
}
#: Short names of the competencies, for recommendations and charts.
COMPETENCY_NAMES: dict[str, dict[str, str]] = {
    "product_knowledge": {"en": "product and technical knowledge", "zh": "产品与技术知识"},
    "communication": {"en": "communication", "zh": "沟通能力"},
    "principled_negotiation": {"en": "principled negotiation", "zh": "原则式谈判"},
    "network_building": {"en": "relationship and network building", "zh": "关系网络建设"},
    "senior_access": {"en": "senior access and authority", "zh": "高层接触与影响力"},
    "coordination": {"en": "cross-functional coordination", "zh": "跨部门协调"},
    "joint_planning": {"en": "strategic and joint planning", "zh": "战略与联合规划"},
    "financial_acumen": {"en": "financial and marketing acumen", "zh": "财务与营销能力"},
    "process_it": {"en": "process and IT understanding", "zh": "流程与信息系统理解"},
    "integrity": {"en": "integrity and reliability", "zh": "诚信与可靠"},
}

#: Workload span of one key-account manager: a consultant's default, to be set per client
#: (the seeds give the size of a standing team, 3-5 people, not a span per manager).
SPAN = {"key_accounts": 10, "accounts": 25}

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
        "en": "neutralise (not an enemy): learn the reason, address it, limit its weight",
        "zh": "化解（不是敌人）：了解原因、解决问题、降低其影响",
    },
    "missing": {
        "en": "reach: nobody mapped in this role; ask a supporter who it is and arrange a meeting",
        "zh": "接触：此角色尚无联系人；请支持者引荐并安排会面",
    },
}
AIMS = {"supporter": "grow", "neutral": "win", "opponent": "neutralise", "missing": "reach"}
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

#: Why key accounts leave (seed 003): cause -> percent of lost accounts (sums to 100).
CHURN_CAUSES: dict[str, int] = {
    "death": 1,
    "relocation": 3,
    "competitors": 4,
    "friends": 5,
    "lower_price": 9,
    "complaint": 10,
    "indifference": 68,
}
CAUSE_TEXT: dict[str, dict[str, str]] = {
    "death": {"en": "the business closed", "zh": "客户停业"},
    "relocation": {"en": "relocation", "zh": "客户迁移"},
    "competitors": {"en": "competitors' activities", "zh": "竞争对手的活动"},
    "friends": {"en": "influence of friends or relatives", "zh": "亲友的影响"},
    "lower_price": {"en": "a lower price elsewhere", "zh": "别处价格更低"},
    "complaint": {"en": "dissatisfaction after a complaint", "zh": "投诉后不满"},
    "indifference": {
        "en": "treated with indifference, no special attention",
        "zh": "被冷落、未受到特别关注",
    },
}
#: Each churn-risk signal (kamanalysis.tools.accounts.CHURN_RULES) -> the causes it points to.
SIGNAL_CAUSES: dict[str, tuple[str, ...]] = {
    "falling_purchases": ("competitors", "lower_price"),
    "rising_payment_days": ("lower_price",),
    "falling_feedback": ("complaint",),
    "no_decider_contact": ("indifference",),
}
#: The indifference cause, measured: days since a decider was met (or none met), executive
#: visits in the last four quarters at or below ``executive_visits``, and complaints without
#: response (a key-account feedback comment containing one of UNANSWERED_MARKERS).
INDIFFERENCE_THRESHOLDS = {"decider_days": 180, "executive_visits": 0, "unanswered": 1}
INDIFFERENCE_TEXT: dict[str, dict[str, str]] = {
    "decider_days": {"en": "no decider met for {days:.0f} days", "zh": "{days:.0f} 天未见决策者"},
    "no_decider": {"en": "no decider met", "zh": "从未接触决策者"},
    "no_visit": {
        "en": "no executive visit in the last four quarters",
        "zh": "近四个季度没有高层拜访",
    },
    "no_response": {
        "en": "complaints without response: {n}",
        "zh": "未获回应的投诉：{n} 条",
    },
}
UNANSWERED_MARKERS = (
    "no response",
    "no answer",
    "unanswered",
    "not resolved",
    "unresolved",
    "still waiting",
    "没有回应",
    "无人回应",
    "未解决",
    "没人理",
)

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
    ({"stakes": "high", "relationship": "low", "time_pressure": "high"}, "competing", "decisive"),
    ({"stakes": "high", "relationship": "low", "time_pressure": "low"}, "compromising", "equal"),
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
        "en": "the parties are of equal power and there is no quick win-win: split the difference",
        "zh": "双方力量相当且难以双赢：各让一步",
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


# ----------------------------------------------------------------------------- helpers


def _blank(value: object) -> bool:
    """Return True for None, NaN, pandas' NA and empty text."""
    return value is None or value is pd.NA or is_blank(value)


def _outside(values: list, allowed: set) -> set[int]:
    """Return the positions of the values neither blank nor in ``allowed``.

    The set lookup comes first: only the few values outside ``allowed`` are asked whether
    they are blank (20,000 accounts, a handful of managers and stages).
    """
    return {i for i, value in enumerate(values) if value not in allowed and not _blank(value)}


def _lang(lang: str) -> str:
    if lang not in ("en", "zh"):
        raise InputValidationError([Problem("managers", "en or zh", describe(lang), column="lang")])
    return lang


def _level(level: float, scale: tuple[float, float]) -> float:
    """Place a level given on 1-5 at the same fraction of ``scale``."""
    lo, hi = scale
    return lo + (level - 1) / 4 * (hi - lo)


def _points(points: float, scale: tuple[float, float]) -> float:
    """Convert a distance in points of a 1-5 scale to points of ``scale``."""
    return points / 4 * (scale[1] - scale[0])


def stage_profiles(scale: tuple[float, float] = DEFAULT_SCALES["rating"]) -> pd.DataFrame:
    """Return the stage competency profiles: weights and required levels on ``scale``.

    Returns
    -------
    DataFrame indexed by (``stage``, ``competency``), every competency at every stage:
    ``weight`` (0 where the stage does not ask for it) and ``required`` (the level on
    ``scale``; the scale's bottom where the weight is 0).

    Examples
    --------
    >>> p = stage_profiles()
    >>> p.groupby(level="stage", sort=False)["weight"].sum().round(9).tolist()
    [1.0, 1.0, 1.0, 1.0, 1.0]
    >>> float(p.loc[("partnership", "joint_planning"), "required"])
    4.0
    """
    for stage in STAGES:
        check_weights(
            {c: w for c, (w, _) in STAGE_PROFILES[stage].items()},
            where=f"STAGE_PROFILES[{stage!r}]",
        )
    records = []
    for stage in STAGES:
        for comp in COMPETENCIES:
            weight, level = STAGE_PROFILES[stage].get(comp, (0.0, 1.0))
            records.append((stage, comp, float(weight), _level(level, scale)))
    frame = pd.DataFrame.from_records(
        records, columns=["stage", "competency", "weight", "required"]
    )
    return frame.set_index(["stage", "competency"])


def _ratings(managers: pd.DataFrame) -> pd.DataFrame:
    """Return the competency ratings, indexed by manager id, one column per competency."""
    return (
        managers.set_index("manager_id")[[f"comp_{c}" for c in COMPETENCIES]]
        .astype("float64")
        .set_axis(list(COMPETENCIES), axis=1)
    )


def _mix(accounts: pd.DataFrame) -> pd.DataFrame:
    """Per manager, the share of each stage in the revenue of the manager's accounts.

    When a manager's accounts have no revenue, each account counts equally.
    """
    rows = accounts.dropna(subset=["manager_id", "stage"])
    revenue = pd.to_numeric(rows["revenue"], errors="coerce").fillna(0.0).clip(lower=0)
    rows = rows.assign(_r=revenue, _n=1.0)
    by_rev = rows.pivot_table(index="manager_id", columns="stage", values="_r", aggfunc="sum")
    by_n = rows.pivot_table(index="manager_id", columns="stage", values="_n", aggfunc="sum")
    by_rev = by_rev.reindex(columns=list(STAGES)).fillna(0.0)
    by_n = by_n.reindex(index=by_rev.index, columns=list(STAGES)).fillna(0.0)
    total = by_rev.sum(axis=1)
    use = by_rev.where(total > 0, by_n, axis=0)
    return use.div(use.sum(axis=1), axis=0)


def _check_fit_inputs(managers: pd.DataFrame, accounts: pd.DataFrame, scale, where: str) -> None:
    require_columns(managers, ["manager_id", *(f"comp_{c}" for c in COMPETENCIES)], where=where)
    require_columns(accounts, ("account_id", "manager_id", "stage", "revenue"), where=where)
    problems = []
    lo, hi = scale
    for mid, row in zip(managers["manager_id"], managers.to_dict("records"), strict=True):
        for comp in COMPETENCIES:
            value = row[f"comp_{comp}"]
            number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
            if pd.isna(number) or not lo <= number <= hi:
                problems.append(
                    Problem(
                        where,
                        f"a rating from {lo:g} to {hi:g}",
                        describe(value),
                        column=f"comp_{comp} of {mid!r}",
                    )
                )
    known = set(managers["manager_id"])
    ids = accounts["account_id"].tolist()
    managers_of, stages = accounts["manager_id"].tolist(), accounts["stage"].tolist()
    unknown, off = _outside(managers_of, known), _outside(stages, set(STAGES))
    for i in sorted(unknown | off):
        if i in unknown:
            problems.append(
                Problem(
                    where,
                    "a manager_id listed in managers",
                    describe(managers_of[i]),
                    column=f"manager_id of {ids[i]!r}",
                )
            )
        if i in off:
            problems.append(
                Problem(
                    where,
                    "one of " + ", ".join(STAGES),
                    describe(stages[i]),
                    column=f"stage of {ids[i]!r}",
                )
            )
    if problems:
        raise InputValidationError(problems)


# ----------------------------------------------------------------------------- checks


def check_managers(
    managers: pd.DataFrame,
    accounts: pd.DataFrame,
    *,
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
    files: tuple[str, str] = ("managers.csv", "accounts.csv"),
    rows: Mapping[str, Sequence[int]] | None = None,
) -> None:
    """Check the managers and who manages which account; raise naming file, row and column.

    Checks: every competency rated on ``scale``; each account's ``manager_id`` blank or
    listed in ``managers``; the manager of an account in the account's own BU.

    Parameters
    ----------
    managers, accounts : DataFrame
        The ``managers`` table and the ``accounts`` table (``account_id``, ``bu_id``,
        ``manager_id``).
    scale : (lo, hi)
        The general rating scale.
    files : (str, str)
        How messages name the two tables (file names, or ``workbook.xlsx [sheet]``).
    rows : mapping, optional
        ``{"managers": [...], "accounts": [...]}``: the file row of each frame row (the
        header is row 1). Default: position + 2.

    Raises
    ------
    InputValidationError
        Every problem found, each naming the file, row and column.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"manager_id": ["M1"], "bu_id": ["B1"], "name": ["Li"],
    ...     **{f"comp_{c}": [4.0] for c in COMPETENCIES}})
    >>> a = pd.DataFrame({"account_id": ["A", "B"], "bu_id": ["B2", "B1"],
    ...     "manager_id": ["M1", "M9"]})
    >>> check_managers(m, a)
    Traceback (most recent call last):
    ...
    kamanalysis.base.errors.InputValidationError: 2 problems found:
      - accounts.csv row 2, column manager_id: expected a manager of BU B2 (M1 is in B1), got "M1"
      - accounts.csv row 3, column manager_id: expected a manager_id listed in managers, got "M9"
    """
    where = "check_managers"
    require_columns(
        managers, ["manager_id", "bu_id", *(f"comp_{c}" for c in COMPETENCIES)], where=where
    )
    require_columns(accounts, ("account_id", "bu_id", "manager_id"), where=where)
    rows = rows or {}
    m_rows = list(rows.get("managers") or range(2, len(managers) + 2))
    a_rows = list(rows.get("accounts") or range(2, len(accounts) + 2))
    lo, hi = scale
    problems = []
    for i, record in enumerate(managers.to_dict("records")):
        for comp in COMPETENCIES:
            value = record[f"comp_{comp}"]
            number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
            if pd.isna(number) or not lo <= number <= hi:
                problems.append(
                    Problem(
                        files[0],
                        f"a rating from {lo:g} to {hi:g}",
                        describe(value),
                        row=m_rows[i],
                        column=f"comp_{comp}",
                    )
                )
    bu_of = dict(zip(managers["manager_id"], managers["bu_id"], strict=True))
    pairs = zip(accounts["manager_id"].tolist(), accounts["bu_id"].tolist(), strict=True)
    for i, (manager, bu_id) in enumerate(pairs):
        if _blank(manager):
            continue
        if manager not in bu_of:
            expected, found = "a manager_id listed in managers", describe(manager)
        elif bu_of[manager] != bu_id:
            expected = f"a manager of BU {bu_id} ({manager} is in {bu_of[manager]})"
            found = describe(manager)
        else:
            continue
        problems.append(
            Problem(files[1], expected, found, row=a_rows[i], column="manager_id", kind="reference")
        )
    if problems:
        raise InputValidationError(problems)


# ----------------------------------------------------------------------------- fit


def _gap_matrix(ratings: pd.DataFrame, profiles: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Per stage: weight x shortfall below the required level, manager x competency."""
    out = {}
    for stage in STAGES:
        prof = profiles.loc[stage]
        short = (prof["required"] - ratings).clip(lower=0)
        out[stage] = short * prof["weight"]
    return out


def score_manager_fit(
    managers: pd.DataFrame,
    accounts: pd.DataFrame,
    *,
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
    lang: str = "en",
) -> pd.DataFrame:
    """Fit between each manager's competencies and what the stages of his accounts need.

    Each stage's profile (:data:`STAGE_PROFILES`) weights the competencies and sets a
    required level. A manager's need is the mix of the stages of his accounts, weighted by
    their revenue (by count when they have none). The weighted gap of a competency is
    ``sum over stages of mix x weight x max(0, required - rating)``; ``fit = 1 - sum of the
    weighted gaps / (hi - lo)``, from 0 to 1 (1 = no gap). Raising a rating never lowers
    the fit.

    Parameters
    ----------
    managers : DataFrame
        ``manager_id`` and one ``comp_<competency>`` rating per :data:`COMPETENCIES`.
    accounts : DataFrame
        ``account_id``, ``manager_id`` (blank = none), ``stage`` (blank = not assessed) and
        ``revenue``.
    scale : (lo, hi)
        The rating scale.

    Returns
    -------
    DataFrame indexed by ``manager_id`` (the managers' order): ``accounts``, ``revenue``,
    ``main_stage`` (the stage with most of the revenue), ``stage_mix`` (e.g.
    ``partnership 100%``), ``fit`` (NaN without assessed accounts), ``largest_gap`` (the
    competency with the largest weighted gap, ``""`` when none).

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"manager_id": ["M1"], **{f"comp_{c}": [2.0] for c in COMPETENCIES}})
    >>> a = pd.DataFrame({"account_id": ["A"], "manager_id": ["M1"], "stage": ["early"],
    ...     "revenue": [1.0]})
    >>> r = score_manager_fit(m, a).loc["M1"]
    >>> round(float(r["fit"]), 3), r["largest_gap"]
    (0.55, 'product_knowledge')
    """
    where = "score_manager_fit"
    _check_fit_inputs(managers, accounts, scale, where)
    ratings = _ratings(managers)
    profiles = stage_profiles(scale)
    mix = _mix(accounts).reindex(ratings.index)
    gaps = _gap_matrix(ratings, profiles)
    weighted = sum(gaps[s].mul(mix[s].fillna(0.0), axis=0) for s in STAGES)
    span = scale[1] - scale[0]
    assigned = accounts.dropna(subset=["manager_id"])
    revenue = pd.to_numeric(assigned["revenue"], errors="coerce").fillna(0.0)
    out = pd.DataFrame(index=ratings.index)
    out["accounts"] = assigned.groupby("manager_id").size().reindex(ratings.index).fillna(0)
    out["accounts"] = out["accounts"].astype("int64")
    out["revenue"] = revenue.groupby(assigned["manager_id"]).sum().reindex(ratings.index)
    out["revenue"] = out["revenue"].fillna(0.0)
    has_mix = mix.notna().any(axis=1)
    out["main_stage"] = [str(mix.loc[m].idxmax()) if has_mix[m] else "" for m in ratings.index]
    out["stage_mix"] = [
        ", ".join(
            f"{label(s, lang, kind='stage')} {mix.loc[m, s]:.0%}"
            for s in STAGES
            if mix.loc[m, s] > 0
        )
        if has_mix[m]
        else ""
        for m in ratings.index
    ]
    total = weighted.sum(axis=1)
    out["fit"] = (1 - total / span).where(has_mix)
    out["largest_gap"] = [
        str(weighted.loc[m].idxmax()) if has_mix[m] and weighted.loc[m].max() > 0 else ""
        for m in ratings.index
    ]
    return out


def account_fit(
    managers: pd.DataFrame,
    accounts: pd.DataFrame,
    *,
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
) -> pd.DataFrame:
    """How well each account's manager fits the account's own stage; worst fit first.

    Returns
    -------
    DataFrame indexed by ``account_id`` (accounts with a manager and a stage): ``manager_id``,
    ``stage``, ``revenue``, ``fit`` (as :func:`score_manager_fit`, for this stage alone) and
    ``largest_gap``. Sorted by fit, then by revenue (largest first).

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"manager_id": ["M1"], **{f"comp_{c}": [4.0] for c in COMPETENCIES}})
    >>> m["comp_joint_planning"] = 1.0
    >>> a = pd.DataFrame({"account_id": ["A", "B"], "manager_id": ["M1", "M1"],
    ...     "stage": ["early", "partnership"], "revenue": [1.0, 1.0]})
    >>> account_fit(m, a)[["fit", "largest_gap"]]  # doctest: +NORMALIZE_WHITESPACE
                  fit     largest_gap
    account_id
    B           0.8125  joint_planning
    A           1.0000
    """
    where = "account_fit"
    _check_fit_inputs(managers, accounts, scale, where)
    ratings = _ratings(managers)
    profiles = stage_profiles(scale)
    gaps = _gap_matrix(ratings, profiles)
    rows = accounts.dropna(subset=["manager_id", "stage"])
    # each (stage, manager) once: thousands of accounts share a few managers and stages
    span = scale[1] - scale[0]
    fits, largest = {}, {}
    for stage, table in gaps.items():
        for manager, total, top, worst in zip(
            table.index, table.sum(axis=1), table.max(axis=1), table.idxmax(axis=1), strict=True
        ):
            fits[stage, manager] = 1 - float(total) / span
            largest[stage, manager] = str(worst) if top > 0 else ""
    records = []
    for account, manager, stage, revenue in zip(
        *(rows[c].tolist() for c in ("account_id", "manager_id", "stage", "revenue")), strict=True
    ):
        records.append(
            {
                "account_id": account,
                "manager_id": manager,
                "stage": stage,
                "revenue": float(revenue),
                "fit": fits[stage, manager],
                "largest_gap": largest[stage, manager],
            }
        )
    out = pd.DataFrame.from_records(
        records, columns=["account_id", "manager_id", "stage", "revenue", "fit", "largest_gap"]
    )
    out = out.sort_values(["fit", "revenue", "account_id"], ascending=[True, False, True])
    return out.set_index("account_id")


def competency_gaps(
    managers: pd.DataFrame,
    accounts: pd.DataFrame,
    *,
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
    busy: Sequence[str] = (),
    lang: str = "en",
) -> pd.DataFrame:
    """Each manager's competency gaps, largest first, with a recommendation.

    A gap is a competency rated below the level a stage of the manager's accounts requires.
    The recommendation is the first row of :data:`GAP_ACTIONS` that applies: **reassign**
    the largest account at the stages needing the competency to the colleague (same BU,
    when ``managers`` has ``bu_id``) who fits that stage best, when the shortfall is large
    and those accounts bring most of the manager's revenue; **pair** with the colleague
    rated highest in the competency when the shortfall is large; otherwise **train** in the
    named skill. Without a suitable colleague, the recommendation is training. Managers
    in ``busy`` (e.g. those at or over the span, :func:`workload`) are nobody's colleague.

    Returns
    -------
    DataFrame, one row per gap: ``manager_id``, ``rank`` (1 = largest weighted gap of that
    manager), ``competency``, ``rating``, ``required`` (the highest level the manager's
    stages require), ``shortfall``, ``weighted_gap`` (its part of ``1 - fit``, in points),
    ``share`` (revenue share of the manager's accounts at the stages needing it),
    ``action`` (reassign, pair, train), ``account``, ``colleague`` and ``recommendation``.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"manager_id": ["M1", "M2"], "bu_id": ["B", "B"],
    ...     "name": ["Chen", "Wang"], **{f"comp_{c}": [4.0, 4.0] for c in COMPETENCIES}})
    >>> m.loc[0, "comp_joint_planning"] = 1.0
    >>> a = pd.DataFrame({"account_id": ["A"], "manager_id": ["M1"],
    ...     "stage": ["partnership"], "revenue": [9.0]})
    >>> g = competency_gaps(m, a)
    >>> g.loc[0, ["competency", "action", "account", "colleague"]].tolist()
    ['joint_planning', 'reassign', 'A', 'M2']
    >>> g.loc[0, "recommendation"][:42]
    'reassign A (partnership) to Wang, who fits'
    """
    where = "competency_gaps"
    lang = _lang(lang)
    _check_fit_inputs(managers, accounts, scale, where)
    ratings = _ratings(managers)
    profiles = stage_profiles(scale)
    mix = _mix(accounts).reindex(ratings.index)
    gaps = _gap_matrix(ratings, profiles)
    names = (
        managers.set_index("manager_id")["name"].astype(str)
        if "name" in managers
        else pd.Series(ratings.index, index=ratings.index)
    )
    bus = managers.set_index("manager_id")["bu_id"] if "bu_id" in managers else None
    rows = accounts.dropna(subset=["manager_id", "stage"])
    columns = [
        "manager_id",
        "rank",
        "competency",
        "rating",
        "required",
        "shortfall",
        "weighted_gap",
        "share",
        "action",
        "account",
        "colleague",
        "recommendation",
    ]
    records = []
    for manager in ratings.index:
        if mix.loc[manager].isna().all():
            continue
        stages = [s for s in STAGES if mix.loc[manager, s] > 0]
        peers = [
            p
            for p in ratings.index
            if p != manager and p not in busy and (bus is None or bus[p] == bus[manager])
        ]
        mine = rows.loc[rows["manager_id"] == manager]
        found = []
        for comp in COMPETENCIES:
            rating = float(ratings.loc[manager, comp])
            needing = [
                s
                for s in stages
                if profiles.loc[(s, comp), "weight"] > 0
                and profiles.loc[(s, comp), "required"] > rating
            ]
            if not needing:
                continue
            required = max(float(profiles.loc[(s, comp), "required"]) for s in needing)
            weighted = sum(float(gaps[s].loc[manager, comp] * mix.loc[manager, s]) for s in needing)
            share = float(sum(mix.loc[manager, s] for s in needing))
            found.append((weighted, comp, rating, required, share, needing))
        found.sort(key=lambda t: (-t[0], list(COMPETENCIES).index(t[1])))
        for rank, (weighted, comp, rating, required, share, needing) in enumerate(found, 1):
            shortfall = required - rating
            action = next(
                r["action"]
                for r in GAP_ACTIONS
                if shortfall >= _points(r["min_shortfall"], scale) - 1e-9
                and share >= r["min_share"] - 1e-9
            )
            at = mine.loc[mine["stage"].isin(needing)]
            at = at.assign(_r=pd.to_numeric(at["revenue"], errors="coerce").fillna(0.0))
            at = at.sort_values(["_r", "account_id"], ascending=[False, True])
            account = str(at["account_id"].iloc[0]) if len(at) else ""
            stage = str(at["stage"].iloc[0]) if len(at) else ""
            colleague, colleague_rating = "", math.nan
            if action == "reassign" and peers:
                fits = {
                    p: float(gaps[stage].loc[p].sum()) for p in peers
                }  # the smallest stage gap fits best
                best = min(peers, key=lambda p: (fits[p], p))
                if fits[best] < float(gaps[stage].loc[manager].sum()):
                    colleague = best
            if action == "pair" and peers:
                best = max(peers, key=lambda p: (ratings.loc[p, comp], p))
                if ratings.loc[best, comp] >= required:
                    colleague, colleague_rating = best, float(ratings.loc[best, comp])
            if action in ("reassign", "pair") and not colleague:
                action = "train"
            values = {
                "manager": names[manager],
                "skill": COMPETENCY_NAMES[comp][lang],
                "account": account,
                "stage": stage,
                "colleague": names[colleague] if colleague else "",
                "colleague_rating": colleague_rating,
            }
            records.append(
                {
                    "manager_id": manager,
                    "rank": rank,
                    "competency": comp,
                    "rating": rating,
                    "required": required,
                    "shortfall": shortfall,
                    "weighted_gap": weighted,
                    "share": share,
                    "action": action,
                    "account": account if action != "train" else "",
                    "colleague": colleague,
                    "recommendation": GAP_TEXT[action][lang].format(**values),
                }
            )
    return pd.DataFrame.from_records(records, columns=columns)


# ----------------------------------------------------------------------------- workload


def workload(
    accounts: pd.DataFrame,
    *,
    managers: Sequence[str] | None = None,
    span: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Accounts, key accounts and revenue per manager, against the span (:data:`SPAN`).

    Parameters
    ----------
    accounts : DataFrame
        ``account_id``, ``manager_id`` (blank = none assigned), ``revenue`` and ``key``
        (bool: a key account).
    managers : sequence of manager ids, optional
        Managers to report (each gets a row, also without accounts). Default: those in
        ``accounts``.
    span : mapping, optional
        ``key_accounts`` and ``accounts`` one manager can handle; default :data:`SPAN`.

    Returns
    -------
    DataFrame indexed by ``manager_id``: ``accounts``, ``key_accounts``, ``revenue``,
    ``revenue_share`` (of all the accounts' revenue), ``key_load`` (key accounts / span),
    ``over_span`` (more key accounts or accounts than the span). ``attrs["unassigned"]``
    lists the accounts without a manager, ``attrs["span"]`` the span used.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"account_id": list("ABC"), "manager_id": ["M1", "M1", None],
    ...     "revenue": [5.0, 3.0, 2.0], "key": [True, True, False]})
    >>> w = workload(a, span={"key_accounts": 1, "accounts": 10})
    >>> int(w.loc["M1", "key_accounts"]), bool(w.loc["M1", "over_span"]), w.attrs["unassigned"]
    (2, True, ['C'])
    """
    where = "workload"
    require_columns(accounts, ("account_id", "manager_id", "revenue", "key"), where=where)
    limits = dict(SPAN)
    limits.update(span or {})
    blank = accounts["manager_id"].map(_blank).astype(bool)
    rows = accounts.loc[~blank]
    ids = list(dict.fromkeys(rows["manager_id"])) if managers is None else list(managers)
    revenue = pd.to_numeric(accounts["revenue"], errors="coerce").fillna(0.0)
    total = float(revenue.sum())
    grouped = rows.assign(_r=revenue[~blank], _k=rows["key"].fillna(False).astype(bool))
    g = grouped.groupby("manager_id")
    out = pd.DataFrame(index=pd.Index(ids, name="manager_id"))
    out["accounts"] = g.size().reindex(ids).fillna(0).astype("int64")
    out["key_accounts"] = g["_k"].sum().reindex(ids).fillna(0).astype("int64")
    out["revenue"] = g["_r"].sum().reindex(ids).fillna(0.0)
    out["revenue_share"] = [safe_divide(r, total) for r in out["revenue"]]
    out["key_load"] = out["key_accounts"] / float(limits["key_accounts"])
    out["over_span"] = (out["key_accounts"] > limits["key_accounts"]) | (
        out["accounts"] > limits["accounts"]
    )
    out.attrs = {
        "unassigned": sorted(accounts.loc[blank, "account_id"].astype(str)),
        "span": limits,
    }
    return out


# ----------------------------------------------------------------------------- contact plan


def contact_plan(contacts: pd.DataFrame, *, lang: str = "en") -> pd.DataFrame:
    """How to approach each person in the buying centre, and the roles still to reach.

    Each contact gets an ``aim`` from the attitude (supporters to grow, neutrals to win,
    opponents to neutralise) and an ``approach`` from the social style
    (:data:`STYLE_APPROACH`: analytical facts and demos, driver brief and goal-directed,
    amiable relationship and introductions, expressive room to talk and the vision). A
    contact without a social style gets the generic approach and a ``note``, not an error.
    Each buying-centre role nobody is mapped in gets a row with aim ``reach``.

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
    """Return the sentence behind an aim code (grow, win, neutralise, reach).

    Examples
    --------
    >>> aim_text("neutralise")
    'neutralise (not an enemy): learn the reason, address it, limit its weight'
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


# ----------------------------------------------------------------------------- churn causes


def unanswered_complaints(feedback: pd.DataFrame) -> pd.Series:
    """Per respondent, the feedback comments that say a complaint got no response.

    A comment counts when it contains one of :data:`UNANSWERED_MARKERS` (any case).

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"respondent_id": ["A", "A", "B"],
    ...     "comment": ["Complaint still unanswered", None, "Late again"]})
    >>> unanswered_complaints(f).to_dict()
    {'A': 1, 'B': 0}
    """
    require_columns(feedback, ("respondent_id", "comment"), where="unanswered_complaints")
    text = feedback["comment"].fillna("").astype(str).str.lower()
    hit = text.map(lambda t: any(m in t for m in UNANSWERED_MARKERS))
    return hit.groupby(feedback["respondent_id"]).sum().astype("int64")


def indifference(
    coverage: pd.DataFrame,
    *,
    visits: pd.Series | None = None,
    feedback: pd.DataFrame | None = None,
    thresholds: Mapping[str, float] | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Measure the "treated with indifference" cause (seed 003: 68 % of lost key accounts).

    Three signs (:data:`INDIFFERENCE_THRESHOLDS`): no decider met for 180 days or more (or
    none ever met); no executive visit in the last four quarters; a complaint without
    response in the feedback comments.

    Parameters
    ----------
    coverage : DataFrame
        Indexed by ``account_id`` with ``days_since_decider``
        (:func:`kamanalysis.tools.accounts.buying_centre_coverage`).
    visits : Series, optional
        Executive visits in the last four quarters, by account (NaN = not recorded).
    feedback : DataFrame, optional
        Feedback rows of the accounts (``respondent_id``, ``comment``; the quarters wanted).

    Returns
    -------
    DataFrame indexed like ``coverage``: ``days_since_decider``, ``no_decider``,
    ``executive_visits``, ``no_executive_visit`` (False when not recorded),
    ``unanswered_complaints``, ``no_response``, ``signs`` (how many of the three) and
    ``evidence`` (in words, in ``lang``: :data:`INDIFFERENCE_TEXT`).

    Examples
    --------
    >>> import pandas as pd
    >>> cov = pd.DataFrame({"days_since_decider": [200.0, 20.0]},
    ...     index=pd.Index(["A", "B"], name="account_id"))
    >>> i = indifference(cov, visits=pd.Series({"A": 0, "B": 2}))
    >>> i["signs"].tolist(), i.loc["A", "evidence"]
    ([2, 0], 'no decider met for 200 days; no executive visit in the last four quarters')
    """
    lang = _lang(lang)
    require_columns(coverage, ("days_since_decider",), where="indifference")
    limits = dict(INDIFFERENCE_THRESHOLDS)
    limits.update(thresholds or {})
    out = pd.DataFrame(index=coverage.index)
    days = pd.to_numeric(coverage["days_since_decider"], errors="coerce")
    out["days_since_decider"] = days
    out["no_decider"] = (days.isna() | (days >= limits["decider_days"])).astype(bool)
    seen = (
        pd.to_numeric(visits, errors="coerce").reindex(out.index)
        if visits is not None
        else pd.Series(math.nan, index=out.index)
    )
    out["executive_visits"] = seen
    out["no_executive_visit"] = (seen <= limits["executive_visits"]).fillna(False).astype(bool)
    complaints = (
        unanswered_complaints(feedback).reindex(out.index).fillna(0).astype("int64")
        if feedback is not None and len(feedback)
        else pd.Series(0, index=out.index, dtype="int64")
    )
    out["unanswered_complaints"] = complaints
    out["no_response"] = complaints >= limits["unanswered"]
    out["signs"] = out[["no_decider", "no_executive_visit", "no_response"]].sum(axis=1)
    evidence = []
    for row in out.to_dict("records"):
        parts = []
        if row["no_decider"]:
            d = row["days_since_decider"]
            key = "decider_days" if d == d else "no_decider"
            parts.append(INDIFFERENCE_TEXT[key][lang].format(days=d))
        if row["no_executive_visit"]:
            parts.append(INDIFFERENCE_TEXT["no_visit"][lang])
        if row["no_response"]:
            n = int(row["unanswered_complaints"])
            parts.append(INDIFFERENCE_TEXT["no_response"][lang].format(n=n))
        evidence.append("; ".join(parts))
    out["evidence"] = evidence
    return out


def churn_causes(
    signals: pd.DataFrame,
    *,
    signs: pd.DataFrame | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Map each account's churn-risk signals to the seeds' causes of loss (流失原因).

    Each signal points to causes (:data:`SIGNAL_CAUSES`); the indifference cause is also
    raised by the measured signs (:func:`indifference`). Causes are ordered by the share
    of lost key accounts the seed gives them (:data:`CHURN_CAUSES`: indifference 68 %).

    Parameters
    ----------
    signals : DataFrame
        Indexed by ``account_id`` with ``signals`` (comma-separated names, as
        :func:`kamanalysis.tools.accounts.churn_signals` returns them).
    signs : DataFrame, optional
        From :func:`indifference`, indexed by ``account_id``.
    lang : str
        ``en`` or ``zh`` (the cause's name).

    Returns
    -------
    DataFrame, one row per (account, cause): ``account_id``, ``cause``, ``seed_share``
    (percent), ``name``, ``signals`` (those pointing to it) and ``evidence``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"signals": ["falling_purchases, no_decider_contact"]},
    ...     index=pd.Index(["A"], name="account_id"))
    >>> churn_causes(s)[["cause", "seed_share"]].values.tolist()
    [['indifference', 68], ['lower_price', 9], ['competitors', 4]]
    """
    lang = _lang(lang)
    require_columns(signals, ("signals",), where="churn_causes")
    order = sorted(CHURN_CAUSES, key=lambda c: -CHURN_CAUSES[c])
    records = []
    for account in signals.index:
        raised = [s.strip() for s in str(signals.loc[account, "signals"] or "").split(",")]
        raised = [s for s in raised if s and s not in ("nan", "None")]
        evidence = ""
        if signs is not None and account in signs.index and signs.loc[account, "signs"] > 0:
            evidence = str(signs.loc[account, "evidence"])
        for cause in order:
            behind = [s for s in raised if cause in SIGNAL_CAUSES.get(s, ())]
            measured = cause == "indifference" and evidence
            if not behind and not measured:
                continue
            records.append(
                {
                    "account_id": account,
                    "cause": cause,
                    "seed_share": CHURN_CAUSES[cause],
                    "name": CAUSE_TEXT[cause][lang],
                    "signals": ", ".join(behind),
                    "evidence": evidence if cause == "indifference" else "",
                }
            )
    columns = ["account_id", "cause", "seed_share", "name", "signals", "evidence"]
    return pd.DataFrame.from_records(records, columns=columns)


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


# ----------------------------------------------------------------------------- chart


def plot_manager_fit(
    fit: pd.DataFrame,
    *,
    load: pd.Series | None = None,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Bars of each manager's fit to his accounts' stages; optional key-account load marks.

    Parameters
    ----------
    fit : DataFrame
        From :func:`score_manager_fit` (``fit``; ``name`` used as labels when present).
    load : Series, optional
        Key accounts / span per manager (:func:`workload`'s ``key_load``), drawn as dots on
        the same 0-1+ axis; 1 = at the span.

    An empty ``fit`` (account management not assessed) draws an empty, labelled chart.
    ``lang`` (en or zh) sets the language of the title, the axis labels and the legend.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"fit": [0.5, 0.9]}, index=pd.Index(["M1", "M2"], name="manager_id"))
    >>> plot_manager_fit(f).get_title()
    'Manager fit to the stages of their accounts'
    """
    ax = get_axes(ax, figsize=(7, 0.5 * len(fit) + 1.5), where="plot_manager_fit")
    ax.set_title(text("chart.manager_fit.title", lang))
    ax.set_xlabel(text("chart.manager_fit.xlabel", lang))
    ax.set_ylabel(text("chart.manager_fit.ylabel", lang))
    if fit.empty:  # account management not assessed
        note = text("report.not_assessed", lang)
        ax.text(0.5, 0.5, note, ha="center", va="center", transform=ax.transAxes)
        return ax
    require_columns(fit, ("fit",), where="plot_manager_fit")
    labels = fit["name"].astype(str).tolist() if "name" in fit else [str(i) for i in fit.index]
    y = np.arange(len(fit))
    values = fit["fit"].astype("float64").fillna(0.0).to_numpy()
    colors = [COLORS["bad"] if v < 0.75 else COLORS["good"] for v in values]
    ax.barh(y, values, color=colors, label=text("chart.manager_fit.fit", lang))
    if load is not None:
        ax.scatter(
            load.reindex(fit.index).astype("float64").to_numpy(),
            y,
            color=COLORS["other"],
            zorder=3,
            label=text("chart.manager_fit.load", lang),
        )
        ax.axvline(1.0, color=COLORS["other"], linestyle=":", linewidth=1)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.legend(loc="lower right", fontsize=8)
    return ax
