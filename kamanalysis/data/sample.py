"""Seeded generator of fictional engagements: the committed sample and large benchmark data.

The sample is a fictional industrial-products group, Huaxin Industrial Group
(华信工业集团), with three BUs over eight quarters (2024Q4 to 2026Q3). Its story:

- Pumps & Valves (PV) is strong and steady. Its largest account, Dongfang Heavy
  Machinery (PV002), squeezes price and pays later every quarter: a big buyer that is
  not a key account.
- Industrial Coatings (IC) weakens: revenue falls, its benchmark ratings slip while
  the leaders' rise, IFE ratings fall, rivalry and substitutes intensify.
- Motion Control (MC) grows; MC004 is a small account testing us whose purchases
  accelerate.
- Beneath it, a hidden driver of each other account's future (``sample_drivers``, issue 24).
- A handful of accounts per BU (PV001, PV003, PV004, IC001, IC002, MC001, MC002) are clearly key
  accounts, a select few of each BU (data/README.md); PV005 and MC004 migrate up the portfolio
  and the relationship stages (MC004 into ``develop``), IC003 slides down both.
- Account management: Chen Zhiqiang (PVM01) is a fine early-stage seller (product knowledge,
  negotiation, reliability) who manages PV001, PV003 and PV004, partnership-stage accounts that
  need joint planning, coordination and process skills he lacks; Lin Haiyan (MCM01) is a strong
  manager holding more accounts than her colleagues, and MC001, one of hers, is
  treated with indifference (no decider met for months, no executive visit this year, a
  complaint without response).

``make sample`` (``kam sample data/sample --force``) rewrites ``data/sample``; a test checks
that the committed files are exactly what this module writes.

Examples
--------
>>> settings, tables = generate(n_bus=3, n_accounts=30, seed=1)
>>> sorted(tables["account_quarters"]["quarter"].unique())[:2]
['2024Q4', '2025Q1']
>>> tables["accounts"]["account_id"].is_unique
True
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from pathlib import Path

import numpy as np
import pandas as pd

from ..base._validation import describe
from ..base.errors import Problem, raise_if_any
from ..base.quarters import parse_quarter, quarter_end, quarter_range
from ..base.schema import (
    ATTITUDES,
    ATTRACTIVENESS_CRITERIA,
    COMPETENCIES,
    FEEDBACK_DIMENSIONS,
    SOCIAL_STYLES,
    STRENGTH_CRITERIA,
    TABLES,
    default_settings,
)
from .sample_drivers import account_future
from .sample_markets import add_markets
from .sample_names import add_names
from .sample_plans import add_manager_ratings, add_plans
from .workbook import write_folder

FIRST_QUARTER = "2024Q4"
LAST_QUARTER = "2026Q3"
SEED = 20261122
N_ACCOUNTS = 155

_BUS = [
    ("PV", "Pumps & Valves", "Industrial fluid control", 8500.0, 0.010),
    ("IC", "Industrial Coatings", "Protective and industrial coatings", 160.0, -0.035),
    ("MC", "Motion Control", "Servo drives and motion control", 3200.0, 0.025),
]
_SHARE = {"PV": 0.40, "IC": 0.32, "MC": 0.28}

# Storyline accounts in id order: (name, kind, segment). Kinds drive their trajectories.
_STORY = {
    "PV": [
        ("Zhongyuan Steel 中原钢铁", "key", "Steel"),
        ("Dongfang Heavy Machinery 东方重机", "squeezer", "Machinery"),
        ("Changjiang Petrochemical 长江石化", "key", "Refining"),
        ("Huabei Water Group 华北水务", "key", "Water"),
        ("Xinhai Chemical 新海化工", "rising", "Chemical"),
    ],
    "IC": [
        ("Nanhai Shipyard 南海船厂", "key", "Shipbuilding"),
        ("Beifang Rail Vehicles 北方轨道车辆", "key", "Rail"),
        ("Jinqiao Bridge Engineering 金桥路桥", "falling", "Bridges"),
    ],
    "MC": [
        ("Shenzhou Robotics 神州机器人", "key", "Robotics"),
        ("Hengtong Packaging Machinery 恒通包装机械", "key", "Packaging"),
        ("Lingyun Electronics 凌云电子", "key", "Electronics"),
        ("Qiming Automation 启明自动化", "newcomer", "Machine Tools"),
    ],
}

_SYLLABLES = (
    "Anhe Baoli Chenguang Dahua Donghai Fengyuan Guotai Haixing Hongda Huaxia Jiahe Jinlong "
    "Kaida Longsheng Mingyang Ningbo Pingan Qianjin Ruifeng Sanhe Shengli Taihe Tianyi Wanxiang "
    "Xinda Yongan Yuanda Zhenhua Zhongxin Weiye Lianhe Hengyuan"
).split()
_WORDS = {
    "PV": "Steel,Chemical,Water,Power,Paper,Mining,Refining,Pharma,Food,Cement".split(","),
    "IC": "Shipbuilding,Steel Structures,Rail,Machinery,Containers,Wind Energy,Bridges".split(","),
    "MC": "Robotics,Packaging,Electronics,Textiles,Printing,Machine Tools,Logistics".split(","),
}
_REGIONS = ("East", "North", "South", "Central", "West", "Northeast")
_SURNAMES = "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 罗 高".split()
_GIVEN = "伟 芳 娜 敏 静 磊 强 军 洋 勇 艳 杰 涛 明 超 霞 平 刚 桂英 建华 志强 海燕".split()
_TITLES = {
    "decider": ("General manager", "Plant director", "VP operations"),
    "influencer": ("Chief engineer", "Technical director", "Quality manager"),
    "user": ("Maintenance supervisor", "Production manager", "Line engineer"),
    "gatekeeper": ("Purchasing assistant", "Assistant to the GM", "Sourcing specialist"),
    "buyer": ("Purchasing manager", "Procurement director", "Buyer"),
}

_PEST = {
    "P": [
        ("Industrial policy favours domestic suppliers", "opportunity"),
        ("Stricter environmental inspections", "threat"),
    ],
    "E": [
        ("Infrastructure investment cycle", "opportunity"),
        ("Raw-material price volatility", "threat"),
    ],
    "S": [
        ("Shortage of skilled maintenance staff", "opportunity"),
        ("Customers demand local service within 24 h", "threat"),
    ],
    "T": [
        ("Digital monitoring and predictive maintenance", "opportunity"),
        ("Low-cost imitation of core products", "threat"),
    ],
}
_FORCES = {
    "rivalry": ["Number of comparable competitors", "Price wars in tenders", "Exit barriers"],
    "new_entrants": ["Capital required", "Brand and references needed", "Access to channels"],
    "substitutes": [
        "Alternative technologies",
        "Price-performance of substitutes",
        "Switching cost to substitutes",
    ],
    "buyer_power": ["Buyer concentration", "Buyers' price sensitivity", "Backward integration"],
    "supplier_power": ["Supplier concentration", "Uniqueness of inputs", "Forward integration"],
}
_FORCE_WEIGHTS = (0.4, 0.3, 0.3)
_EVOLUTION = [
    ("Customers bypass us for direct sourcing", "core_activities"),
    ("Our sales and service routines lose relevance", "core_activities"),
    ("Margins on core activities shrink industry-wide", "core_activities"),
    ("Our core technology is being made obsolete", "core_assets"),
    ("Brand and references lose value to buyers", "core_assets"),
    ("Specialised plant loses its advantage", "core_assets"),
]
_IFE = [
    ("Product reliability", "strength", 0.15),
    ("Installed base and references", "strength", 0.12),
    ("Application engineering", "strength", 0.10),
    ("Local service network", "strength", 0.08),
    ("Cost position", "strength", 0.05),
    ("Digital offering", "weakness", 0.12),
    ("Key-account management process", "weakness", 0.12),
    ("Export presence", "weakness", 0.06),
    ("Delivery lead time", "weakness", 0.10),
    ("Brand awareness", "weakness", 0.10),
]
_EFE = [
    ("Equipment upgrade programmes", "opportunity", 0.15),
    ("Import substitution", "opportunity", 0.12),
    ("Energy-efficiency rules", "opportunity", 0.10),
    ("Service contracts demand", "opportunity", 0.08),
    ("Export markets", "opportunity", 0.05),
    ("Price competition from new entrants", "threat", 0.15),
    ("Raw-material costs", "threat", 0.10),
    ("Customer consolidation", "threat", 0.10),
    ("Substitute technologies", "threat", 0.08),
    ("Longer payment terms", "threat", 0.07),
]
_BENCH = [
    ("Product quality", 0.20),
    ("Price competitiveness", 0.15),
    ("Delivery reliability", 0.15),
    ("Technical service", 0.15),
    ("Brand and references", 0.10),
    ("Product range", 0.10),
    ("Innovation", 0.10),
    ("Financial strength", 0.05),
]
_LEADERS = {
    "PV": [
        ("Nordhavn Pumps", "leader"),
        ("Kaiyuan Valve 开元阀门", "leader"),
        ("Taifeng Flow", "competitor"),
    ],
    "IC": [
        ("Hempmark Coatings", "leader"),
        ("Zijin Paint 紫金涂料", "leader"),
        ("Dalian Anticorrosion", "competitor"),
    ],
    "MC": [
        ("Servotec AG", "leader"),
        ("Huichuan Drives 汇川驱动", "leader"),
        ("Leisai Motion", "competitor"),
    ],
}
_VALUE_CHAIN = [
    ("Inbound logistics", "primary", 0.08),
    ("Operations", "primary", 0.45),
    ("Outbound logistics", "primary", 0.07),
    ("Marketing and sales", "primary", 0.12),
    ("Service", "primary", 0.08),
    ("Firm infrastructure", "support", 0.07),
    ("Human resources", "support", 0.04),
    ("Technology development", "support", 0.06),
    ("Procurement", "support", 0.03),
]
_COMMENTS = {
    "delivery": "Deliveries slipped twice this quarter",
    "price": "Competitors quote lower",
    "sales_staff": "Our contact changed again",
    "technical_support": "Engineers slow to arrive on site",
}
#: Key-account managers of the story BUs: manager id -> (name, competency ratings or None for
#: generated ones). PVM01 has early-stage skills; MCM01 is strong but stretched.
_MANAGERS = {
    "PV": {
        "PVM01": (
            "Chen Zhiqiang 陈志强",
            {
                "product_knowledge": 5,
                "communication": 4,
                "principled_negotiation": 5,
                "network_building": 2,
                "senior_access": 2,
                "coordination": 2,
                "joint_planning": 1,
                "financial_acumen": 2,
                "process_it": 1,
                "integrity": 5,
            },
        ),
        "PVM02": ("Wang Li 王丽", None),
        "PVM03": ("Zhao Gang 赵刚", None),
        "PVM04": ("Sun Yan 孙燕", None),
        "PVM05": ("Li Na 李娜", None),
    },
    "IC": {
        "ICM01": ("Zhou Ming 周明", None),
        "ICM02": ("Xu Jing 徐静", None),
        "ICM03": ("He Tao 何涛", None),
    },
    "MC": {
        "MCM01": (
            "Lin Haiyan 林海燕",
            {
                "product_knowledge": 4,
                "communication": 5,
                "principled_negotiation": 4,
                "network_building": 4,
                "senior_access": 4,
                "coordination": 4,
                "joint_planning": 4,
                "financial_acumen": 4,
                "process_it": 4,
                "integrity": 5,
            },
        ),
        "MCM02": ("Guo Qiang 郭强", None),
        "MCM03": ("Ma Jun 马军", None),
    },
}
#: Accounts a story manager holds; the others go round the BU's managers (MCM01 also takes
#: every other account of MC, which stretches her over too many key accounts).
_HOLDS = {"PVM01": ("PV001", "PV003", "PV004"), "MCM01": ("MC001", "MC002", "MC003")}
#: The account treated with indifference, and how (seed 003: 68 % of lost accounts).
_NEGLECTED = "MC001"
_NEGLECT_DAYS = 212
_UNANSWERED = "Complained about a failed drive in July; still no response"
#: Executive visits in a year by the information an account shares with us.
_VISITS = {"none": 0, "transactional": 0, "regular": 1, "open": 2}
#: The BUs' key-account organisation today (seed 002's forms, or none).
_ORGANISATION = {"PV": "standing_team", "IC": "temporary_team", "MC": "none"}

_STAGE_INDICATORS = {  # stage -> contacts, levels, team, info, joint, contract, preferred
    0: (1, 1, False, "none", False, 0, False),
    1: (2, 1, False, "transactional", False, 6, False),
    2: (4, 2, True, "regular", False, 12, False),
    3: (7, 3, True, "open", True, 24, True),
    4: (10, 4, True, "open", True, 36, True),
}


def _bu_specs(n_bus: int) -> list[tuple]:
    specs = list(_BUS[:n_bus])
    for k in range(len(specs), n_bus):
        _, name, industry, price, trend = _BUS[k % 3]
        specs.append((f"B{k + 1:02d}", f"{name} {k // 3 + 1}", industry, price, trend))
    return specs


def _clip(x: float, lo: float = 1, hi: float = 5) -> int:
    return int(min(hi, max(lo, round(x))))


def generate(
    *,
    n_bus: int = 3,
    n_accounts: int = N_ACCOUNTS,
    seed: int = SEED,
    first_quarter: str = FIRST_QUARTER,
    last_quarter: str = LAST_QUARTER,
) -> tuple[dict, dict[str, pd.DataFrame]]:
    """Generate a fictional engagement.

    Parameters
    ----------
    n_bus : int
        Number of business units (the first three follow the sample's story).
    n_accounts : int
        Accounts in total, split across the BUs.
    seed : int
        Seed of the random generator: the same arguments give the same tables.
    first_quarter, last_quarter : str
        The quarters covered; the last one is the engagement's current quarter.

    Returns
    -------
    settings : dict
    tables : dict of str to DataFrame
    """
    problems = []
    if n_bus < 1:
        problems.append(Problem("kam sample", "at least 1 BU", describe(n_bus), column="--bus"))
    if n_accounts < max(n_bus, 1):
        problems.append(
            Problem(
                "kam sample",
                f"at least one account per BU ({max(n_bus, 1)})",
                describe(n_accounts),
                column="--accounts",
            )
        )
    raise_if_any(problems)
    rng = np.random.default_rng(seed)
    quarters = quarter_range(first_quarter, last_quarter)
    nq = len(quarters)
    specs = _bu_specs(n_bus)
    settings = default_settings()
    settings["engagement"].update(
        name="Huaxin Industrial Group — key-account marketing diagnosis",
        client="Huaxin Industrial Group 华信工业集团",
        currency="CNY",
        current_quarter=last_quarter,
        language="en",
    )
    shares = np.array([_SHARE.get(s[0], 1.0 / n_bus) for s in specs])
    counts = np.floor(shares / shares.sum() * n_accounts).astype(int)
    counts[: n_accounts - counts.sum()] += 1

    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    contact_no = 0
    for b, (bu, bu_name, industry, unit_price, trend) in enumerate(specs):
        rows["business_units"].append({"bu_id": bu, "name": bu_name, "industry": industry})
        story = _STORY.get(bu, [])
        words = _WORDS.get(bu, _WORDS[("PV", "IC", "MC")[b % 3]])
        pool = [f"{s} {w}" for s in _SYLLABLES for w in words]
        names = rng.permutation(pool)
        bu_revenue = np.zeros(nq)
        for a in range(counts[b]):
            account = f"{bu}{a + 1:03d}"
            kind = story[a][1] if a < len(story) else "regular"
            name = story[a][0] if a < len(story) else str(names[a % len(names)])
            if a >= len(pool):
                name = f"{name} {a // len(pool) + 1}"
            start = 0
            if kind == "newcomer":
                start = 2
            elif kind == "regular" and rng.random() < 0.1:
                start = int(rng.integers(1, nq - 1))
            since = (
                quarters[start]
                if start
                else f"{int(rng.integers(2012, 2024))}Q{int(rng.integers(1, 5))}"
            )
            rows["accounts"].append(
                {
                    "account_id": account,
                    "bu_id": bu,
                    "name": name,
                    "segment": story[a][2] if a < len(story) else name.split(" ", 1)[1],
                    "region": _REGIONS[int(rng.integers(len(_REGIONS)))],
                    "since_quarter": since,
                }
            )
            base = {
                "key": 6.0e6,
                "squeezer": 1.1e7,
                "rising": 1.2e6,
                "falling": 3.0e6,
                "newcomer": 1.5e5,
            }.get(kind, float(rng.lognormal(np.log(4.0e5), 0.8)))
            growth = trend + {"rising": 0.09, "newcomer": 0.30, "falling": -0.05}.get(
                kind, float(rng.normal(0.005, 0.025))
            )
            sow = {
                "key": 0.65,
                "squeezer": 0.55,
                "rising": 0.25,
                "falling": 0.5,
                "newcomer": 0.08,
            }.get(kind, float(rng.uniform(0.12, 0.6)))
            margin0 = {"key": 30.0, "squeezer": 18.0}.get(kind, float(rng.normal(24, 4)))
            days0 = {"key": 45.0, "squeezer": 60.0}.get(kind, float(rng.normal(58, 12)))
            strength0 = {"key": 4.2, "rising": 2.4, "falling": 4.0, "newcomer": 2.3}.get(
                kind, float(rng.normal(3.0, 0.6))
            )
            stage0 = {
                "key": 3.0,
                "squeezer": 1.0,
                "rising": 1.0,
                "falling": 3.0,
                "newcomer": 0.0,
            }.get(kind, min(max(rng.normal(1.4, 0.7), 0.0), 3.0))
            importance = {"key": 5, "squeezer": 2, "rising": 4, "falling": 3, "newcomer": 4}.get(
                kind, int(rng.integers(1, 6))
            )
            access0 = {"key": 4.5, "squeezer": 1.5}.get(kind, float(rng.normal(2.8, 0.8)))
            if kind == "key" and bu == "IC":
                strength0 = 4.0
            # issue 24: the hidden driver of its future, partly seen (sample_drivers)
            future = account_future(seed, b, a, kind=kind, start=start, nq=nq)
            if kind == "regular":  # the driver replaces part of each draw, as spread as before
                margin0 = future.blend("margin", margin0, 24.0)
                days0 = future.blend("days", days0, 58.0)
                access0 = future.blend("access", access0, 2.8)
                growth = trend + future.blend("growth", growth - trend, 0.005)
            n_rows = 0
            for q in range(start, nq):
                t = q - start
                season = {1: 0.92, 2: 1.0, 3: 1.02, 4: 1.06}[parse_quarter(quarters[q])[1]]
                revenue = base * (1 + growth) ** t * season * float(rng.lognormal(0, 0.07))
                share = min(
                    max(
                        sow
                        + (0.05 * t if kind == "rising" else 0)
                        + (0.07 * t if kind == "newcomer" else 0)
                        + rng.normal(0, 0.02),
                        0.03,
                    ),
                    0.95,
                )
                margin = margin0 + rng.normal(0, 1.5)
                days = days0 + rng.normal(0, 4)
                revenue, share, days = future.bought(q, revenue, share, days)  # it may leave
                if kind == "squeezer":
                    margin = 18.0 - 2.0 * t + rng.normal(0, 0.5)
                    days = 60 + 13 * t + rng.normal(0, 3)
                if bu == "IC":
                    margin -= 0.6 * q
                # a newcomer is still testing us: our standing there grows slowly
                strength = strength0 + {
                    "rising": 0.3 * t,
                    "falling": -0.28 * t,
                    "newcomer": 0.08 * t,
                }.get(kind, 0.0)
                if bu == "IC" and kind != "falling":
                    strength -= 0.08 * q
                stage = stage0 + {"rising": 0.45 * t, "falling": -0.3 * t, "newcomer": 0.4 * t}.get(
                    kind, 0.0
                )
                stage_i = min(max(round(stage), 0), 4)
                bu_revenue[q] += revenue
                rows["account_quarters"].append(
                    {
                        "bu_id": bu,
                        "account_id": account,
                        "quarter": quarters[q],
                        "revenue": round(revenue, 2),
                        "gross_margin_pct": round(float(margin), 1),
                        "volume": float(max(1, round(revenue / unit_price))),
                        "category_spend": round(revenue / share, 2),
                        "payment_days": float(max(5, round(days))),
                    }
                )
                prev = rows["account_quarters"][-2]["revenue"] if n_rows else revenue
                n_rows += 1
                change = revenue / prev - 1 if prev else 0.0
                att = {
                    "volume": 1 + bisect_left([2e5, 6e5, 1.5e6, 4e6], revenue),
                    "margin": 1 + bisect_left([10, 18, 26, 32], margin),
                    "growth": 1 + bisect_left([-0.05, 0.0, 0.04, 0.10], change + future.momentum),
                    "wallet_potential": 1
                    + bisect_left([2e5, 8e5, 2e6, 5e6], revenue / share - revenue),
                    "credit": 5 - bisect_left([40, 55, 75, 100], days),
                    "strategic_access": _clip(
                        access0 + 0.4 * (stage - stage0) + rng.normal(0, 0.3)
                    ),
                }
                if kind == "squeezer":
                    att["volume"] = 5
                contacts, levels, team, info, joint, contract, preferred = _STAGE_INDICATORS[
                    stage_i
                ]
                seen_i = min(max(round(stage + future.stage), 0), 4)  # issue 24's driver
                info, joint = _STAGE_INDICATORS[seen_i][3:5]  # what it shares and plans with us
                assessment = {"bu_id": bu, "account_id": account, "quarter": quarters[q]}
                assessment.update({f"att_{k}": float(att[k]) for k in ATTRACTIVENESS_CRITERIA})
                noise = rng.normal(0, 0.45, size=len(STRENGTH_CRITERIA)).tolist()
                assessment.update(
                    {
                        f"str_{k}": float(_clip(strength + z))
                        for k, z in zip(STRENGTH_CRITERIA, noise, strict=True)
                    }
                )
                assessment.update(
                    {
                        "buyer_importance": float(importance),
                        "buyer_relative_spend": float(_clip(share * 5 + 0.5)),
                        "contact_points": max(1, contacts + int(rng.integers(-1, 2))),
                        "contact_levels": levels,
                        "cross_functional_team": team,
                        "info_sharing": info,
                        "joint_planning": joint,
                        "contract_months": contract,
                        "preferred_supplier": preferred,
                    }
                )
                rows["account_assessments"].append(assessment)
            # Buying centre as of the current quarter.
            n_contacts = min(max(rows["account_assessments"][-1]["contact_points"], 1), 6)
            roles = ["buyer", "decider", "influencer", "user", "gatekeeper", "influencer"]
            for r in range(n_contacts):
                contact_no += 1
                role = roles[r]
                attitude = ATTITUDES[
                    int(rng.choice(3, p=[0.5, 0.35, 0.15] if stage_i >= 2 else [0.25, 0.5, 0.25]))
                ]
                last = quarter_end(last_quarter) - dt.timedelta(days=int(rng.integers(0, 150)))
                rows["contacts"].append(
                    {
                        "contact_id": f"C{contact_no:05d}",
                        "bu_id": bu,
                        "account_id": account,
                        "name": str(rng.choice(_SURNAMES)) + str(rng.choice(_GIVEN)),
                        "title": str(rng.choice(_TITLES[role])),
                        "role": role,
                        "influence": float(
                            {"decider": 5, "influencer": 4, "buyer": 3, "user": 2, "gatekeeper": 2}[
                                role
                            ]
                        ),
                        "attitude": attitude,
                        "social_style": None
                        if rng.random() < 0.15
                        else str(rng.choice(SOCIAL_STYLES)),
                        "last_contact": dt.datetime(last.year, last.month, last.day),
                    }
                )
        _bu_tables(rows, rng, bu, bu_name, quarters, bu_revenue)
    _management(rows, np.random.default_rng(seed + 1), quarters)
    _dates(rows, np.random.default_rng(seed + 2), quarters)
    add_plans(rows, np.random.default_rng(seed + 3), quarters)  # issue 22: its own stream
    add_manager_ratings(rows, quarters)
    add_markets(rows, quarters, [s[0] for s in specs])  # issue 26: no random draws
    tables = {name: pd.DataFrame(r, columns=TABLES[name].column_names) for name, r in rows.items()}
    add_names(tables)  # issue 20: the names in Chinese, drawing no random numbers
    return settings, tables


def _management(rows: dict, rng: np.random.Generator, quarters: list[str]) -> None:
    """Add the account managers, who manages which account, executive visits and neglect.

    Drawn from a random generator of its own, after everything else, so that the rest of
    the sample does not change with it.
    """
    for unit in rows["business_units"]:
        unit["key_account_organisation"] = _ORGANISATION.get(unit["bu_id"], "none")
    by_bu: dict[str, list[str]] = {}
    for unit in rows["business_units"]:
        bu = unit["bu_id"]
        cast = _MANAGERS.get(bu) or {
            f"{bu}M{m + 1:02d}": (str(rng.choice(_SURNAMES)) + str(rng.choice(_GIVEN)), None)
            for m in range(3)
        }
        for manager_id, (name, ratings) in cast.items():
            ratings = ratings or {k: _clip(3.4 + rng.normal(0, 0.7)) for k in COMPETENCIES}
            rows["managers"].append(
                {"manager_id": manager_id, "bu_id": bu, "name": name}
                | {f"comp_{k}": float(v) for k, v in ratings.items()}
            )
        by_bu[bu] = list(cast)
    held = {a: m for m, accounts in _HOLDS.items() for a in accounts}
    turn: dict[str, int] = {}
    for account in rows["accounts"]:
        bu, account_id = account["bu_id"], account["account_id"]
        pool = [m for m in by_bu[bu] if m not in _HOLDS]
        if account_id in held:
            manager = held[account_id]
        elif bu == "MC" and int(account_id[2:]) % 2 == 0:
            manager = "MCM01"
        elif account["since_quarter"] in quarters[1:] and account_id[:2] != "MC":
            manager = None  # won during the period: no manager assigned yet
        else:
            k = turn.get(bu, 0)
            turn[bu] = k + 1
            manager = pool[k % len(pool)]
        account["manager_id"] = manager
    last = quarters[-1]
    for row in rows["account_assessments"]:
        row["executive_visits"] = _VISITS[row["info_sharing"]] + int(row["joint_planning"])
        if row["account_id"] == _NEGLECTED and row["quarter"] in quarters[-4:]:
            row["executive_visits"] = 0
    end = quarter_end(last)
    for contact in rows["contacts"]:
        if contact["account_id"] == _NEGLECTED and contact["role"] == "decider":
            day = end - dt.timedelta(days=_NEGLECT_DAYS)
            contact["last_contact"] = dt.datetime(day.year, day.month, day.day)
    said = [
        r for r in rows["feedback"] if r["respondent_id"] == _NEGLECTED and r["quarter"] == last
    ]
    if said:
        worst = min(said, key=lambda r: r["score"])
        worst["comment"] = f"{worst['comment']}; {_UNANSWERED}" if worst["comment"] else _UNANSWERED


def _day(date: dt.date) -> dt.datetime:
    return dt.datetime(date.year, date.month, date.day)


def _dates(rows: dict, rng: np.random.Generator, quarters: list[str]) -> None:
    """Date the facts: when each contact was first met, when comments were made and answered.

    Drawn from a random generator of its own, after everything else, so that the rest of
    the sample does not change with it. Most people were first met before the data start;
    some (a few deciders) only during the period, and at an account won during the period
    around the quarter it was won. A comment is made in its quarter and answered 2 to 40
    days later (blank: not answered by the current quarter's end, or the complaint that says
    it got no response).
    """
    start = quarter_end(quarters[0]) - dt.timedelta(days=89)
    end = quarter_end(quarters[-1])
    since = {a["account_id"]: a["since_quarter"] for a in rows["accounts"]}
    for contact in rows["contacts"]:
        last = contact["last_contact"].date()
        won = since.get(contact["account_id"])
        if won in quarters[1:]:
            first = quarter_end(won) - dt.timedelta(days=int(rng.integers(60, 150)))
        elif rng.random() < (0.05 if contact["role"] == "decider" else 0.15):
            first = start + dt.timedelta(days=int(rng.integers(0, max((last - start).days, 1))))
        else:
            first = start - dt.timedelta(days=int(rng.integers(30, 900)))
        contact["first_contact"] = _day(min(first, last))
    for row in rows["feedback"]:
        if not row["comment"]:
            continue
        made = quarter_end(row["quarter"]) - dt.timedelta(days=int(rng.integers(0, 60)))
        answered = made + dt.timedelta(days=int(rng.integers(2, 41)))
        row["commented_on"] = _day(made)
        if answered <= end and _UNANSWERED not in row["comment"] and rng.random() < 0.9:
            row["answered_on"] = _day(answered)


def _bu_tables(
    rows: dict,
    rng: np.random.Generator,
    bu: str,
    bu_name: str,
    quarters: list[str],
    bu_revenue: np.ndarray,
) -> None:
    """Append the BU workshop tables: PEST, forces, evolution, IFE/EFE, benchmark, value chain."""
    weakening = bu == "IC"
    for q, quarter in enumerate(quarters):
        drift = q / max(1, len(quarters) - 1)  # 0 .. 1 over the period
        key = {"bu_id": bu, "quarter": quarter}
        for dim, factors in _PEST.items():
            for f, (factor, effect) in enumerate(factors):
                base_i = 2 + (f == 0) - (dim == "S")
                base_p = 3 + (dim in "ET")
                if weakening and effect == "threat":
                    base_i, base_p = base_i + drift, base_p + drift
                for expert in ("E1", "E2", "E3"):
                    rows["pest"].append(
                        key
                        | {
                            "dimension": dim,
                            "factor": factor,
                            "effect": effect,
                            "impact": float(_clip(base_i + rng.normal(0, 0.4), 1, 3)),
                            "probability": float(_clip(base_p + rng.normal(0, 0.6))),
                            "expert": expert,
                        }
                    )
        for force, drivers in _FORCES.items():
            level = {
                "rivalry": 3.6,
                "buyer_power": 3.4,
                "new_entrants": 2.4,
                "substitutes": 2.2,
                "supplier_power": 2.6,
            }[force]
            if weakening and force in ("rivalry", "substitutes"):
                level += 1.2 * drift
            for driver, weight in zip(drivers, _FORCE_WEIGHTS, strict=True):
                rows["forces"].append(
                    key
                    | {
                        "force": force,
                        "driver": driver,
                        "rating": float(_clip(level + rng.normal(0, 0.5))),
                        "weight": weight,
                    }
                )
        for indicator, threat in _EVOLUTION:
            level = 1.8 + (weakening and threat == "core_assets") * (1.0 + 1.5 * drift)
            rows["evolution"].append(
                key
                | {
                    "indicator": indicator,
                    "threat_to": threat,
                    "rating": float(_clip(level + rng.normal(0, 0.4))),
                }
            )
        for matrix, factors in (("IFE", _IFE), ("EFE", _EFE)):
            for factor, kind, weight in factors:
                if matrix == "IFE":
                    level = 3.6 if kind == "strength" else 1.6
                    if weakening:
                        level -= 0.8 * drift
                else:
                    level = 2.8 - (weakening * 0.9 * drift)
                rows["ife_efe"].append(
                    key
                    | {
                        "matrix": matrix,
                        "kind": kind,
                        "factor": factor,
                        "weight": weight,
                        "rating": float(_clip(level + rng.normal(0, 0.35), 1, 4)),
                    }
                )
        companies = [(f"Huaxin {bu_name}", "self"), *_LEADERS.get(bu, _LEADERS["PV"])]
        for factor, weight in _BENCH:
            for company, role in companies:
                level = {"self": 3.6, "leader": 4.0, "competitor": 3.0}[role]
                if weakening:
                    level += {"self": -1.0, "leader": 0.6, "competitor": 0.2}[role] * drift
                rows["benchmark"].append(
                    key
                    | {
                        "factor": factor,
                        "weight": weight,
                        "company": company,
                        "role": role,
                        "rating": float(_clip(level + rng.normal(0, 0.5))),
                    }
                )
        for activity, category, cost_share in _VALUE_CHAIN:
            ours = 3.4 - (weakening * 1.0 * drift)
            rows["value_chain"].append(
                key
                | {
                    "activity": activity,
                    "category": category,
                    "cost": round(float(bu_revenue[q]) * 0.72 * cost_share, 2),
                    "our_performance": float(_clip(ours + rng.normal(0, 0.5))),
                    "leader_performance": float(_clip(3.9 + rng.normal(0, 0.4))),
                }
            )
        quarter_sales = [
            r for r in rows["account_quarters"] if r["bu_id"] == bu and r["quarter"] == quarter
        ]
        top = sorted(quarter_sales, key=lambda r: -r["revenue"])[:5]
        respondents = [("key_account", r["account_id"]) for r in top]
        respondents += [("dealer", f"{bu} dealer {d}") for d in ("East", "North", "South")]
        for source, respondent in respondents:
            for dim in FEEDBACK_DIMENSIONS:
                score = _clip(3.9 - (weakening * 1.1 * drift) + rng.normal(0, 0.6))
                rows["feedback"].append(
                    key
                    | {
                        "source": source,
                        "respondent_id": respondent,
                        "dimension": dim,
                        "score": float(score),
                        "comment": _COMMENTS.get(dim) if score <= 2 else None,
                    }
                )


def write_sample(folder: str | Path, **kwargs) -> Path:
    """Generate an engagement (see :func:`generate`) and write it as a CSV folder."""
    settings, tables = generate(**kwargs)
    return write_folder(settings, tables, folder)
