"""The group view for the group CEO: where each BU stands and what to do, on one page (issue 21).

:func:`group_view` composes, for the engagement's current quarter, what the package already
computes per BU into four small tables (:class:`GroupView`):

- **bus**: one row per BU: revenue and its change on a year ago, gross margin, index to the
  leader, key accounts, their health, the IE and GE cells and the **reconciled stance**
  (grow, hold, harvest). The figures are :func:`~kamanalysis.diagnosis.summary.bu_facts`'
  and :func:`~kamanalysis.diagnosis.summary.account_facts`'; the cells those of
  :func:`~kamanalysis.diagnosis.position.strategic_position`. Where IE and GE disagree,
  the rule table ``group_stances.csv`` (one row per IE strategy, GE strategy and trend;
  :data:`STANCES_FILE`) decides, with the reason in English and Chinese; the trend is the
  verdict's (:mod:`kamanalysis.diagnosis.verdict`: improving, mixed, deteriorating), so
  the group page and each BU's report reconcile the same way.
- **at_risk**: the group's :data:`AT_RISK_SHOWN` accounts with a health below
  :data:`~kamanalysis.diagnosis.summary.HEALTH_AT_RISK`, the most revenue in the quarter
  (the money at stake) first, with the health signals and what to do: the first signal of
  ``group_moves.csv``'s ``account`` rows that the account shows.
- **resources**: each BU's managers against their span (key accounts and accounts per
  manager, :func:`~kamanalysis.diagnosis.management.account_management`'s workload):
  ``short`` (a manager over the span, a key account without manager, or more work than
  the span), ``idle`` (under :data:`IDLE_LOAD` of it) or ``balanced``, and what to do
  given the stance (``group_moves.csv``, ``resources`` rows).
- **organisation**: the key-account organisation that fits each BU
  (:func:`kamanalysis.tools.managers.organisation_form`) against today's, and the move
  given the stance (``group_moves.csv``, ``organisation`` rows: a BU to harvest decides to
  fight or harvest before it builds).

Money is in the engagement's currency, in the quarter (``revenue``); the page writes the
window and the unit in each header.

Examples
--------
The sample's Motion Control sits in IE cell V (hold and maintain) and GE's invest/grow;
revenue, margin and strength improve on a year ago, so the table picks the bolder:

>>> reconcile("hold and maintain", "invest/grow", "improving")["stance"]
'grow'
>>> reconcile("hold and maintain", "invest/grow", "deteriorating")["stance"]
'hold'

``group_view(eng, lang="zh")`` gives the four tables (tests/test_group_page.py checks
them against the functions they come from).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from ..base._validation import read_rule_rows
from ..base.errors import InputValidationError, Problem
from ..base.i18n import fill, label, text
from ..data.engagement import Engagement
from ._common import _memo
from .management import account_health, account_management
from .position import strategic_position
from .summary import HEALTH_AT_RISK, account_facts, bu_facts
from .verdict import _trend, trends

#: The stance rule table: IE strategy, GE strategy, trend (``*`` any) -> stance and reason.
STANCES_FILE = Path(__file__).with_name("group_stances.csv")
#: What to do: ``kind`` (account, resources, organisation), ``stance`` (``*`` any), ``when``.
MOVES_FILE = Path(__file__).with_name("group_moves.csv")
STANCE_COLUMNS = (
    "ie_strategy",
    "ge_strategy",
    "trend",
    "stance",
    "reason",
    "reason_en",
    "reason_zh",
)
MOVE_COLUMNS = ("kind", "stance", "when", "text_en", "text_zh")
#: The reconciled stances, boldest first.
STANCES = ("grow", "hold", "harvest")
#: How many accounts at risk the group page lists.
AT_RISK_SHOWN = 10
#: A BU whose managers use less than this share of their span has capacity to spare.
IDLE_LOAD = 0.5

#: The columns of :attr:`GroupView.bus`.
BU_COLUMNS = (
    "bu",
    "stance",
    "revenue",
    "revenue_yoy",
    "gross_margin_pct",
    "index_to_leader",
    "n_key",
    "key_health",
    "n_key_at_risk",
    "ie_cell",
    "ie_strategy",
    "ge_cell",
    "ge_strategy",
    "trend",
    "reason",
    "reason_text",
)


@dataclass(frozen=True)
class GroupView:
    """The group page's data (see the module's description).

    Attributes
    ----------
    quarter, year_ago, currency, lang : str
        The quarter diagnosed, the quarter a year earlier, the money's currency and the
        language of the texts and names.
    bus : DataFrame
        Indexed by ``bu_id``: :data:`BU_COLUMNS` (``revenue`` in the quarter,
        ``revenue_yoy`` a fraction, ``gross_margin_pct`` in percent, ``key_health`` the key
        accounts' mean health 0-100, ``n_key_at_risk`` those below
        :data:`~kamanalysis.diagnosis.summary.HEALTH_AT_RISK`; NaN or empty where a tool was
        not assessed).
    at_risk : DataFrame
        Indexed by ``account_id``: ``account``, ``bu_id``, ``bu``, ``tier``, ``revenue``
        (the quarter's: the money at stake), ``health``, ``health_signals``, ``action``.
    resources : DataFrame
        Indexed by ``bu_id``: ``bu``, ``stance``, ``managers``, ``n_key``, ``accounts``,
        ``key_capacity``, ``account_capacity``, ``load``, ``n_over_span``,
        ``n_unassigned_key``, ``status``, ``action``.
    organisation : DataFrame
        Indexed by ``bu_id``: ``bu``, ``stance``, ``current``, ``form``, ``change``,
        ``reasons``, ``move``.
    positions : DataFrame
        :func:`~kamanalysis.diagnosis.position.strategic_position` (the grids).
    """

    quarter: str
    year_ago: str
    currency: str
    lang: str
    bus: pd.DataFrame
    at_risk: pd.DataFrame
    resources: pd.DataFrame
    organisation: pd.DataFrame
    positions: pd.DataFrame


@cache
def _table(path: Path, columns: tuple[str, ...]) -> tuple[dict, ...]:
    return tuple(read_rule_rows(path, columns))


def stance_rules(path: str | Path = STANCES_FILE) -> pd.DataFrame:
    """Return the stance rule table, checked: each stance one of :data:`STANCES`.

    Raises
    ------
    InputValidationError
        A column missing, or a row whose stance is not grow, hold or harvest (file, row).
    """
    rows = _table(Path(path), STANCE_COLUMNS)
    problems = [
        Problem(
            Path(path).name, "grow, hold or harvest", f'"{r["stance"]}"', row=i, column="stance"
        )
        for i, r in enumerate(rows, start=2)
        if r["stance"] not in STANCES
    ]
    if problems:
        raise InputValidationError(problems)
    return pd.DataFrame(list(rows), columns=list(STANCE_COLUMNS))


def reconcile(
    ie_strategy: str, ge_strategy: str, trend: str, *, rules: pd.DataFrame | None = None
) -> dict:
    """Return the stance of the first rule matching the IE and GE strategies and the trend.

    Returns
    -------
    dict
        ``stance``, ``reason`` (``agree`` or the trend), ``reason_en``, ``reason_zh``;
        empty when no rule matches (a BU not positioned).

    Examples
    --------
    >>> reconcile("harvest or divest", "selectivity/earnings", "deteriorating")["stance"]
    'harvest'
    >>> reconcile("hold and maintain", "selectivity/earnings", "improving")["reason"]
    'agree'
    """
    rules = stance_rules() if rules is None else rules
    hit = rules.loc[
        (rules["ie_strategy"] == ie_strategy)
        & (rules["ge_strategy"] == ge_strategy)
        & rules["trend"].isin([trend, "*"])
    ]
    if hit.empty:
        return {}
    row = hit.iloc[0]
    return {k: str(row[k]) for k in ("stance", "reason", "reason_en", "reason_zh")}


def move_rules(path: str | Path = MOVES_FILE) -> pd.DataFrame:
    """Return the table of moves (what to do per account, for resources, organisation)."""
    return pd.DataFrame(list(_table(Path(path), MOVE_COLUMNS)), columns=list(MOVE_COLUMNS))


def _move(moves: pd.DataFrame, kind: str, stance: str, when: str, lang: str, **values) -> str:
    """Fill the first move of ``kind`` matching the stance and the condition (else empty)."""
    hit = moves.loc[
        (moves["kind"] == kind) & moves["stance"].isin([stance, "*"]) & (moves["when"] == when)
    ]
    return fill(str(hit.iloc[0][f"text_{lang}"]), **values) if len(hit) else ""


def _ge_cell(row: pd.Series, lang: str) -> str:
    """Write a GE cell as attractiveness / strength, in the catalogue's words."""
    return f"{label(row['ge_row'], lang)} / {label(row['ge_column'], lang)}"


def group_view(eng: Engagement, *, lang: str = "en", positions: str | Path = "") -> GroupView:
    """Compose the group page's data for the engagement's current quarter (see the module).

    Parameters
    ----------
    eng : Engagement
        As of the quarter diagnosed (its current quarter).
    lang : str
        ``en`` or ``zh``: names (:meth:`Engagement.named`) and texts.
    positions : str or Path, optional
        A file of :func:`~kamanalysis.diagnosis.position.save_positions` for this run (the
        batch computes the positions once); empty = computed here.
    """
    key = ("group_view", eng.current_quarter, lang, str(positions))
    return _memo(eng, key, lambda: _group_view(eng, lang, positions))


def _group_view(eng: Engagement, lang: str, positions: str | Path) -> GroupView:
    quarter = eng.current_quarter
    named = eng.named(lang)
    position = strategic_position(eng, quarter, precomputed=positions)
    rules, moves = stance_rules(), move_rules()
    bus, risks, resources, organisation = [], [], [], []
    span: dict = {}
    year_ago = quarter
    for bu in eng.bu_ids:
        facts = bu_facts(named, bu, quarter)
        year_ago = facts["year_ago"]
        name = named.bu_name(bu, lang)
        row: dict = {"bu_id": bu, "bu": name}
        row |= {
            "revenue": facts.get("revenue", float("nan")),
            "revenue_yoy": facts.get("revenue_yoy", float("nan")),
            "gross_margin_pct": facts.get("margin", float("nan")),
            "index_to_leader": facts.get("index_to_leader", float("nan")),
            "n_key": facts.get("n_key", float("nan")),
            "n_key_at_risk": facts.get("n_key_churn_risk", float("nan")),
        }
        row["trend"] = _trend(trends(facts))
        stance = ""
        row |= {"stance": "", "reason": "", "reason_text": ""}  # not positioned: no IE/GE data
        if bu in position.index:
            cell = position.loc[bu]
            row |= {
                "ie_cell": str(cell["ie_cell"]),
                "ie_strategy": str(cell["ie_strategy"]),
                "ge_cell": _ge_cell(cell, lang),
                "ge_strategy": str(cell["ge_strategy"]),
            }
            found = reconcile(row["ie_strategy"], row["ge_strategy"], row["trend"], rules=rules)
            stance = found.get("stance", "")
            words = {
                "ie_cell": row["ie_cell"],
                "ie": label(row["ie_strategy"], lang),
                "ge": label(row["ge_strategy"], lang),
            }
            row |= {
                "stance": stance,
                "reason": found.get("reason", ""),
                "reason_text": fill(found.get(f"reason_{lang}", ""), **words),
            }
        accounts = None
        if "accounts" not in facts["not_assessed"]:
            accounts = account_facts(named, bu, quarter, lang=lang)
            key = accounts.loc[accounts["tier"] == "key", "health"]
            row["key_health"] = float(key.mean()) if len(key) else float("nan")
            codes = account_health(named, bu, quarter, lang=lang)["health_codes"]
            weak = accounts.loc[accounts["health"] < HEALTH_AT_RISK]
            for account, acc in weak.iterrows():
                signals = [s for s in str(codes.get(account, "")).split(", ") if s]
                order = moves.loc[moves["kind"] == "account", "when"].tolist()
                first = next((s for s in order if s in signals), "")
                risks.append(
                    {
                        "account_id": account,
                        "account": str(acc["name"]),
                        "bu_id": bu,
                        "bu": name,
                        "tier": str(acc["tier"]),
                        "revenue": float(acc["revenue"]),
                        "health": float(acc["health"]),
                        "health_signals": str(acc["health_signals"]),
                        "action": _move(moves, "account", stance, first, lang) if first else "",
                    }
                )
            management = account_management(named, bu, quarter, lang=lang)
            span = span or dict(management.workload.attrs.get("span", {}))
            resources.append(_resources(bu, name, stance, facts, management, moves, lang))
            organisation.append(_organisation(bu, name, stance, management, moves, lang))
        bus.append(row)
    bus_frame = pd.DataFrame.from_records(bus, columns=["bu_id", *BU_COLUMNS]).set_index("bu_id")
    risk_columns = ["account_id", "account", "bu_id", "bu", "tier", "revenue", "health"]
    risk_columns += ["health_signals", "action"]
    at_risk = pd.DataFrame.from_records(risks, columns=risk_columns)
    at_risk = at_risk.sort_values(["revenue", "health"], ascending=[False, True], kind="stable")
    at_risk = at_risk.head(AT_RISK_SHOWN).set_index("account_id")
    res_frame = pd.DataFrame.from_records(resources, columns=list(_RESOURCE_COLUMNS))
    res_frame = res_frame.set_index("bu_id")
    res_frame.attrs["span"] = span  # the span one manager handles (key accounts, accounts)
    org_frame = pd.DataFrame.from_records(organisation, columns=list(_ORGANISATION_COLUMNS))
    return GroupView(
        quarter=quarter,
        year_ago=year_ago,
        currency=eng.currency,
        lang=lang,
        bus=bus_frame,
        at_risk=at_risk,
        resources=res_frame,
        organisation=org_frame.set_index("bu_id"),
        positions=position,
    )


_RESOURCE_COLUMNS = (
    "bu_id",
    "bu",
    "stance",
    "managers",
    "n_key",
    "accounts",
    "key_capacity",
    "account_capacity",
    "load",
    "n_over_span",
    "n_unassigned_key",
    "status",
    "action",
)
_ORGANISATION_COLUMNS = ("bu_id", "bu", "stance", "current", "form", "change", "reasons", "move")


def _resources(bu, name, stance, facts, management, moves, lang) -> dict:
    """Return a BU's key-account capacity against its work: short, idle or balanced."""
    row = {"bu_id": bu, "bu": name, "stance": stance}
    if not management.assessed:
        return row | {"status": "", "action": ""}
    load = management.workload
    span = load.attrs["span"]
    managers = len(management.managers)
    n_key = float(facts.get("n_key", load["key_accounts"].sum()))
    assigned = float(load["accounts"].sum())
    key_capacity = managers * float(span["key_accounts"])
    account_capacity = managers * float(span["accounts"])
    used = max(n_key / key_capacity, assigned / account_capacity) if managers else float("inf")
    over = int(load["over_span"].sum())
    unassigned = int(facts.get("n_unassigned_key", 0))
    status = (
        "short" if used > 1 or over or unassigned else "idle" if used < IDLE_LOAD else "balanced"
    )
    values = {"load": used, "n_over_span": over, "n_unassigned_key": unassigned}
    return row | {
        "managers": managers,
        "n_key": n_key,
        "accounts": assigned,
        "key_capacity": key_capacity,
        "account_capacity": account_capacity,
        "load": used,
        "n_over_span": over,
        "n_unassigned_key": unassigned,
        "status": status,
        "action": _move(moves, "resources", stance, status, lang, **values),
    }


def _organisation(bu, name, stance, management, moves, lang) -> dict:
    """Return the organisation that fits the BU, today's, and the move given the stance."""
    org = management.organisation
    current = str(org["current"]) or "none"
    form = str(org["form"])
    change = "yes" if org["change"] else "no"
    words = {
        "bu": name,
        "form": label(form, lang),
        "current": label(current, lang) if current != "none" else text("group.org_none", lang),
        "needs": str(org["needs"]),
    }
    return {
        "bu_id": bu,
        "bu": name,
        "stance": stance,
        "current": current,
        "form": form,
        "change": change,
        "reasons": str(org["reasons"]),
        "move": _move(moves, "organisation", stance, change, lang, **words),
    }


__all__ = [
    "AT_RISK_SHOWN",
    "BU_COLUMNS",
    "IDLE_LOAD",
    "STANCES",
    "GroupView",
    "group_view",
    "move_rules",
    "reconcile",
    "stance_rules",
]
