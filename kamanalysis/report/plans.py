"""The account plan (大客户计划) a manager works from, as a self-contained HTML page.

:func:`account_plan_html` lays out :func:`kamanalysis.diagnosis.account_plan` and its
:func:`~kamanalysis.diagnosis.roadmap.account_roadmap` (issue 22): whether the account is a
key account and why (and, when it is not, how to manage it anyway); the objectives and actions
with owners and due quarters, and last quarter's actions with what became of them; the stage
now, the target stage and the steps to it with a timetable, and the manager's role; the
manager's fit to the stage; the customer's stated needs; sponsor, champion and opponent, the
relationship map and the contact plan by social style; trend charts over the quarters; a SPIN
call plan whose problem questions start from the customer's needs and complaints; a
negotiation plan (the open issue and its conflict mode, seed 003); the churn risks with their
causes; and the actions the findings rules draw from the account's facts (:func:`plan_actions`).
``audience="client"`` writes the page to share with the customer, without the parts of
:data:`~kamanalysis.report.plan_parts.INTERNAL_PARTS`. Every text comes from the catalogue
or the rules in the report's language; every value is escaped by the one rule for data in markup
(:func:`kamanalysis.base.markup.safe`). ``kam account-plan DATA ACCOUNT_ID`` writes it.

Examples
--------
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> page = account_plan_html(eng, "PV002")
>>> "Not a key account" in page and "How to manage it anyway" in page
True
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import diagnosis
from ..base._validation import describe
from ..base.errors import InputValidationError, Problem
from ..base.i18n import label, text, zh_money
from ..data.engagement import Engagement
from ..diagnosis import AccountPlan
from ..diagnosis.roadmap import account_roadmap
from ..diagnosis.summary import account_facts
from ..tools.managers import COMPETENCY_NAMES
from .findings import evaluate
from .plan_parts import (
    AUDIENCES,
    INTERNAL_PARTS,
    fit_part,
    needs_part,
    negotiation_part,
    people_part,
    promises_parts,
    roadmap_part,
    trends_part,
)
from .plan_parts import esc as _esc
from .plan_parts import table_html as _table

#: The contact-plan columns the page shows, in order.
CONTACT_COLUMNS = (
    "role",
    "name",
    "title",
    "influence",
    "attitude",
    "social_style",
    "aim",
    "approach",
    "note",
)
#: How many competency gaps of the manager the page lists.
GAPS_SHOWN = 3

_STYLE = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", Arial, sans-serif; margin: 2em;
       max-width: 60em; color: #222; font-size: 14px; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.15em; margin-top: 1.4em;
     border-bottom: 1px solid #1F4E79; color: #1F4E79; }
table { border-collapse: collapse; margin: 0.4em 0; } th, td { border: 1px solid #ccc;
     padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { background: #DDEBF7; } .facts th { width: 14em; } .note { color: #666; font-size: 0.9em; }
.p1 { color: #C62828; font-weight: bold; }
"""


def plan_facts(plan: AccountPlan) -> dict:
    """Return the account's facts that the ``plan`` rules of ``rules.csv`` read.

    ``plan_key`` (yes/no), ``plan_manager`` (the manager id, or ``none``),
    ``manager_name``, ``plan_fit`` and ``plan_gap`` / ``plan_recommendation`` (the
    manager's largest gap at this stage),
    ``plan_indifference_signs`` and ``plan_indifference``, ``plan_n_roles_missing`` and
    ``plan_roles_missing``. A fact that does not apply is absent.
    """
    lang = plan.lang
    account = plan.account
    facts: dict = {
        "plan_key": "yes" if account["tier"] == "key" else "no",
        "plan_manager": str(account["manager_id"]) if account["manager_id"] else "none",
    }
    if len(plan.manager):
        facts["manager_name"] = str(plan.manager["name"])
    if len(plan.fit):
        facts["plan_fit"] = float(plan.fit["fit"])
    if len(plan.gaps):
        top = plan.gaps.iloc[0]
        facts["plan_gap"] = COMPETENCY_NAMES[top["competency"]][lang]
        facts["plan_recommendation"] = str(top["recommendation"])
    signs = int(plan.indifference["signs"])
    facts["plan_indifference_signs"] = float(signs)
    if signs:
        facts["plan_indifference"] = str(plan.indifference["evidence"])
    if len(plan.contacts):
        missing = plan.contacts.loc[plan.contacts["aim"] == "reach", "role"].tolist()
        facts["plan_n_roles_missing"] = float(len(missing))
        if missing:
            facts["plan_roles_missing"] = ", ".join(label(r, lang) for r in missing)
    return facts


def plan_actions(eng: Engagement, plan: AccountPlan) -> pd.DataFrame:
    """Return the findings and actions the rules draw from one account's facts.

    The account's row of :func:`kamanalysis.diagnosis.summary.account_facts` (size, rank, churn
    risk, ...) plus :func:`plan_facts`, evaluated by the account rules of ``rules.csv``
    (scopes ``account`` and ``each_account``); the most urgent first.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> found = plan_actions(eng, kam.diagnosis.account_plan(eng, "PV002"))
    >>> found["id"].tolist()[:1]
    ['big_not_key']
    """
    row = account_facts(eng, plan.bu_id, plan.quarter, lang=plan.lang).loc[[plan.account_id]]
    extra = plan_facts(plan)
    for name, value in extra.items():
        row[name] = [value]
    base = {
        "bu_id": plan.bu_id,
        "bu_name": eng.bu_name(plan.bu_id),
        "quarter": plan.quarter,
        "currency": eng.currency,
        "scale_hi": float(eng.settings["scales"]["rating"][1]),
    }
    found = evaluate(base, accounts=row, lang=plan.lang)
    found = found.loc[found["accounts"].map(len) > 0]
    return found.sort_values("priority", kind="stable").reset_index(drop=True)


def _money(amount: float, currency: str, lang: str) -> str:
    """Write an amount of money: ``64,678,909 CNY``; in Chinese ``6,468 万元``."""
    return zh_money(amount, currency) if lang == "zh" else f"{amount:,.0f} {currency}"


def account_plan_html(
    eng: Engagement,
    account_id: str,
    quarter: str | None = None,
    *,
    lang: str | None = None,
    audience: str = "internal",
) -> str:
    """Return the account plan of ``account_id`` as a self-contained HTML page.

    Parameters
    ----------
    eng : Engagement
    account_id : str
    quarter : str, optional
        Default: the engagement's current quarter.
    lang : str, optional
        ``en`` or ``zh``; default: the engagement's language.
    audience : {"internal", "client"}
        ``internal`` (default) shows everything; ``client`` leaves out the parts of
        :data:`INTERNAL_PARTS` (a plan to share with the customer: no competency gaps, no
        attitudes or social styles of their people, no churn risks, no margins).
    """
    if audience not in AUDIENCES:
        raise InputValidationError(
            [Problem("--audience", "one of " + ", ".join(AUDIENCES), describe(audience))]
        )
    lang = lang or eng.language
    eng = eng.named(lang)  # every name in the plan's language (issue 20)
    plan = diagnosis.account_plan(eng, account_id, quarter, lang=lang)
    road = account_roadmap(eng, plan)
    account = plan.account
    client = audience == "client"

    def t(key: str, **values) -> str:
        return _esc(text(key, lang, **values))

    title = text(
        "plan.title", lang, name=account["name"], account_id=account_id, quarter=plan.quarter
    )
    parts: list[tuple[str, str]] = [("title", f"<h1>{_esc(title)}</h1>")]
    if client:
        parts.append(("title", f'<p class="note">{t("plan.audience.client")}</p>'))
    manager = str(plan.manager["name"]) if len(plan.manager) else text("plan.no_manager", lang)
    facts = [
        (text("plan.bu", lang), f"{eng.bu_name(plan.bu_id)} ({plan.bu_id})"),
        (text("plan.manager", lang), manager),
        (text("plan.revenue", lang), _money(float(account["revenue"]), eng.currency, lang)),
        (text("plan.stage", lang), label(account["stage"], lang)),
        (text("plan.target", lang), label(road.target, lang)),
    ]
    if not client:
        facts.insert(3, (text("plan.quadrant", lang), label(account["tier"], lang)))
    parts.append(
        (
            "facts",
            '<table class="facts">'
            + "".join(f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>" for k, v in facts)
            + "</table>",
        )
    )
    # key account or not, and how to manage it anyway
    status = [f"<h2>{t('plan.status')}</h2>"]
    if account["tier"] == "key":
        status.append(f"<p>{t('plan.is_key', reasons=account['reasons'])}</p>")
    else:
        status.append(f"<p>{t('plan.not_key', reasons=account['reasons'])}</p>")
        status.append(f"<p>{t('plan.manage.' + str(account['tier']))}</p>")
    parts.append(("status", "".join(status)))
    parts += promises_parts(road, lang)
    parts.append(("roadmap", roadmap_part(plan, road, lang)))
    parts.append(("fit", fit_part(plan, manager, lang)))
    parts.append(("needs", needs_part(road, lang)))
    parts.append(("people", people_part(plan, road, lang)))
    parts.append(("trends", trends_part(eng, road, lang, client=client)))
    # SPIN: problem questions from what the customer said first
    spin = f'<h2>{t("plan.spin")}</h2><p class="note">{t("plan.spin.intro")}</p>'
    parts.append(("spin", spin + _table(road.spin, ("kind", "text"), lang, kinds={"kind": "kind"})))
    parts.append(("negotiation", negotiation_part(road, lang)))
    # churn
    churn = [f"<h2>{t('plan.churn')}</h2>"]
    if len(plan.churn):
        causes = plan.churn.assign(
            cause=plan.churn["name"],
            signals=[
                ", ".join(label(x, lang) for x in s.split(", ") if x) for s in plan.churn["signals"]
            ],
        )
        churn.append(_table(causes, ("cause", "seed_share", "signals", "evidence"), lang))
    else:
        churn.append(f"<p>{t('plan.no_churn')}</p>")
    parts.append(("churn", "".join(churn)))
    # actions the findings rules draw
    found = plan_actions(eng, plan)
    actions = [f"<h2>{t('plan.actions')}</h2>"]
    if len(found):
        items = []
        for row in found.itertuples(index=False):
            css = ' class="p1"' if row.priority == 1 else ""
            action = f"<br>→ {_esc(row.action)}" if row.action else ""
            items.append(f"<li><span{css}>{_esc(row.finding)}</span>{action}</li>")
        actions.append("<ol>" + "".join(items) + "</ol>")
    else:
        actions.append(f"<p>{t('plan.no_actions')}</p>")
    parts.append(("findings", "".join(actions)))
    parts.append(("footer", f'<p class="note">{t("plan.footer", engagement=eng.name)}</p>'))
    shown = [html for key, html in parts if not (client and key in INTERNAL_PARTS)]
    return (
        f'<!DOCTYPE html>\n<html lang="{text("report.html_lang", lang)}">\n<head>\n'
        '<meta charset="utf-8">\n'
        f"<title>{_esc(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(shown)
        + "\n</body>\n</html>\n"
    )


def write_account_plan(
    eng: Engagement,
    account_id: str,
    path: str | Path,
    quarter: str | None = None,
    *,
    lang: str | None = None,
    audience: str = "internal",
) -> Path:
    """Write the account plan of ``account_id`` to ``path`` (UTF-8 HTML); return the path."""
    path = Path(path)
    page = account_plan_html(eng, account_id, quarter, lang=lang, audience=audience)
    path.write_text(page, encoding="utf-8")
    return path
