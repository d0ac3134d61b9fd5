"""Manager fit: the competencies each relationship stage needs against each manager's.

- :data:`STAGE_PROFILES` (seed 000) and :func:`stage_profiles`: the competency profile
  each relationship stage asks of the manager, weights and required levels; the role in
  a sentence (:data:`STAGE_ROLES`).
- :func:`score_manager_fit`: each manager's fit to the stages of his accounts, weighted by
  their revenue; :func:`account_fit`: the fit to each account's own stage.
- :func:`competency_gaps`: the gaps ranked, each with a recommendation
  (:data:`GAP_ACTIONS`: reassign, pair or train), in words (:data:`COMPETENCY_NAMES`).
- :func:`plot_manager_fit`: the fit of a BU's managers, their key-account load marked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from ...base._validation import describe, require_columns
from ...base.errors import InputValidationError, Problem
from ...base.i18n import label, text
from ...base.schema import COMPETENCIES, DEFAULT_SCALES, STAGES
from ...core.charts import COLORS, get_axes, legend_outside
from ...core.scoring import check_weights
from ._common import _blank, _lang, _off_scale

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
    "reassign_swap": {
        "en": "swap {account} ({stage}) for {colleague}'s {swap} ({swap_stage}): both fit "
        "better after it",
        "zh": "将{account}（{stage}）与{colleague}的{swap}（{swap_stage}）对调：对调后双方都更匹配",
    },
    "reassign_none": {
        "en": "reassign {account} ({stage}) to {colleague}, who fits that stage best; "
        "{manager}'s {skill} falls short at the stages of all his or her accounts: train "
        "him or her, or give him or her accounts at the {best_stage} stage, where the gaps "
        "are smallest",
        "zh": "将{account}（{stage}）转交给最适合该阶段的{colleague}；{manager}的“{skill}”在其所管"
        "全部客户的阶段都不足：安排培训，或改由其负责差距最小的“{best_stage}”阶段客户",
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
#: A fit below this is drawn in the warning colour on the manager-fit chart.
FIT_WARNING = 0.75
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

# ----------------------------------------------------------------------------- helpers


def _outside(values: list, allowed: set) -> set[int]:
    """Return the positions of the values neither blank nor in ``allowed``.

    The set lookup comes first: only the few values outside ``allowed`` are asked whether
    they are blank (20,000 accounts, a handful of managers and stages).
    """
    return {i for i, value in enumerate(values) if value not in allowed and not _blank(value)}


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
    lo, hi = scale
    mids = managers["manager_id"].tolist()
    problems = [
        Problem(
            where,
            f"a rating from {lo:g} to {hi:g}",
            describe(value),
            column=f"comp_{comp} of {mids[i]!r}",
        )
        for i, comp, value in _off_scale(managers, scale)
    ]
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


# ----------------------------------------------------------------------------- fit


def _gap_matrix(ratings: pd.DataFrame, profiles: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Per stage: weight x shortfall below the required level, manager x competency."""
    out = {}
    for stage in STAGES:
        prof = profiles.loc[stage]
        short = (prof["required"] - ratings).clip(lower=0)
        out[stage] = short * prof["weight"]
    return out


def _named(account: str, account_names: pd.Series) -> str:
    """Write an account as a recommendation names it: name (code), as the report's tables do."""
    return f"{account_names[account]} ({account})" if account in account_names.index else account


def _stage_word(stage: str, lang: str) -> str:
    """Write a stage in a Chinese recommendation as the catalogue does; English keeps the code."""
    return label(stage, lang) if lang == "zh" and stage else stage


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
    ``action`` (reassign, pair, train), ``account``, ``colleague``, ``fits_other`` (the
    manager holds an account at a stage without this gap), ``swap`` (issue 22: a colleague's
    account to swap for ``account`` when both fit better after it, or blank), ``best_stage``
    (the stage the manager's skills fit best) and ``recommendation``. A manager who holds no
    account his or her skills fit is never advised to "keep" such accounts: a swap, or
    training and accounts at the stage he or she fits best.
    Accounts are named ``name (id)`` when ``accounts`` has a ``name``.

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
    # an account is named in the recommendation when ``accounts`` has a ``name``
    account_names = (
        accounts.set_index(accounts["account_id"].astype(str))["name"].astype(str)
        if "name" in accounts
        else pd.Series(dtype=str)
    )
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
        "fits_other",
        "swap",
        "best_stage",
        "recommendation",
    ]
    # the profiles' and the gaps' figures looked up once (dicts), not by a scalar .loc each
    weight, needs = profiles["weight"].to_dict(), profiles["required"].to_dict()
    totals: dict[tuple[str, str], float] = {}

    def total(who: str, stage: str) -> float:
        """``float(gaps[stage].loc[who].sum())``: a manager's whole gap at a stage."""
        if (who, stage) not in totals:
            totals[who, stage] = float(gaps[stage].loc[who].sum())
        return totals[who, stage]

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
            needing = [s for s in stages if weight[s, comp] > 0 and needs[s, comp] > rating]
            if not needing:
                continue
            required = max(float(needs[s, comp]) for s in needing)
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
            # does the manager hold any account his or her skills fit (no gap in this
            # competency at its stage)? If not, never advise to "keep" such accounts.
            fits_other = bool((~mine["stage"].isin(needing)).any())
            swap, best_stage = "", min(STAGES, key=lambda s: (total(manager, s), s))
            if action == "reassign" and peers:
                fits = {p: total(p, stage) for p in peers}  # the smallest stage gap fits best
                best = min(peers, key=lambda p: (fits[p], p))
                if fits[best] < total(manager, stage):
                    colleague = best
                    swap = _swap(rows, total, manager, colleague, stage)
            if action == "pair" and peers:
                best = max(peers, key=lambda p: (ratings.loc[p, comp], p))
                if ratings.loc[best, comp] >= required:
                    colleague, colleague_rating = best, float(ratings.loc[best, comp])
            if action in ("reassign", "pair") and not colleague:
                action = "train"
            values = {
                "manager": names[manager],
                "skill": COMPETENCY_NAMES[comp][lang],
                "account": _named(account, account_names),
                "stage": _stage_word(stage, lang),
                "colleague": names[colleague] if colleague else "",
                "colleague_rating": colleague_rating,
                "swap": _named(swap, account_names),
                "swap_stage": _stage_word(_stage_of(rows, swap), lang),
                "best_stage": _stage_word(best_stage, lang),
            }
            key = action
            if action == "reassign" and swap:
                key = "reassign_swap"
            elif action == "reassign" and not fits_other:
                key = "reassign_none"
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
                    "fits_other": fits_other,
                    "swap": swap if action == "reassign" else "",
                    "best_stage": best_stage,
                    "recommendation": GAP_TEXT[key][lang].format(**values),
                }
            )
    return pd.DataFrame.from_records(records, columns=columns)


def _swap(rows: pd.DataFrame, gap, manager: str, colleague: str, stage: str) -> str:
    """Return the colleague's account to swap for one at ``stage``, or "" when none fits.

    The colleague's largest account at a stage where the manager's gap is smaller than at
    ``stage``, and where the colleague's is no smaller than his or her gap at ``stage``: both
    fit better (or no worse) after the swap. ``gap(who, stage)`` is a manager's whole gap
    at a stage.
    """
    theirs = rows.loc[rows["manager_id"] == colleague]
    better = [
        s
        for s in STAGES
        if gap(manager, s) < gap(manager, stage) and gap(colleague, stage) <= gap(colleague, s)
    ]
    theirs = theirs.loc[theirs["stage"].isin(better)]
    if theirs.empty:
        return ""
    theirs = theirs.assign(_r=pd.to_numeric(theirs["revenue"], errors="coerce").fillna(0.0))
    return str(theirs.sort_values(["_r", "account_id"], ascending=[False, True]).iloc[0, 0])


def _stage_of(rows: pd.DataFrame, account: str) -> str:
    found = rows.loc[rows["account_id"] == account, "stage"]
    return str(found.iloc[0]) if len(found) else ""


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
    colors = [COLORS["bad"] if v < FIT_WARNING else COLORS["good"] for v in values]
    ax.barh(y, values, color=colors)
    handles = [Patch(color=COLORS["bad"]), Patch(color=COLORS["good"])]
    names = [text(f"chart.manager_fit.{k}", lang, cut=FIT_WARNING) for k in ("low", "ok")]
    if load is not None:
        dots = ax.scatter(
            load.reindex(fit.index).astype("float64").to_numpy(),
            y,
            color=COLORS["other"],
            zorder=3,
        )
        ax.axvline(1.0, color=COLORS["other"], linestyle=":", linewidth=1)
        handles.append(dots)
        names.append(text("chart.manager_fit.load", lang))
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, max(1.05, float(np.nanmax([*values, 0.0])) + 0.05))
    legend_outside(ax, handles, names, title=text("chart.manager_fit.fit", lang))
    return ax
