"""The one-page account plan (大客户计划), as a self-contained HTML page.

:func:`account_plan_html` lays out :func:`kamanalysis.diagnosis.account_plan`: whether the
account is a key account and why (and, when it is not, how to manage it anyway), its
relationship stage and the manager's role at it, the manager's fit to that stage, the
buying-centre map with a contact plan by social style, a SPIN call plan, the churn risks with
their causes, and the actions the findings rules draw from the account's facts
(:func:`plan_actions`). Every text comes from the catalogue or the rules in the report's
language; every value is escaped by the one rule for data in markup
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

import math
from pathlib import Path

import pandas as pd

from .. import diagnosis
from ..base.i18n import label, text
from ..base.markup import safe
from ..data.engagement import Engagement
from ..diagnosis import AccountPlan
from ..diagnosis.summary import account_facts
from ..tools.managers import COMPETENCY_NAMES
from .findings import evaluate

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


def _esc(value: object) -> str:
    """Return a value as the page shows it: the one rule for data in markup (:func:`safe`)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return safe(f"{value:g}")
    return safe(value)


def _table(frame: pd.DataFrame, columns, lang: str, *, kinds: dict | None = None) -> str:
    kinds = kinds or {}
    head = "".join(f"<th>{_esc(text(f'column.{c}', lang))}</th>" for c in columns)
    rows = []
    for record in frame.to_dict("records"):
        cells = []
        for c in columns:
            value = record.get(c, "")
            if c in kinds and isinstance(value, str) and value:
                value = label(value, lang, kind=kinds[c])
            cells.append(f"<td>{_esc(value)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


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


def account_plan_html(
    eng: Engagement, account_id: str, quarter: str | None = None, *, lang: str | None = None
) -> str:
    """Return the one-page account plan of ``account_id`` as a self-contained HTML page.

    Parameters
    ----------
    eng : Engagement
    account_id : str
    quarter : str, optional
        Default: the engagement's current quarter.
    lang : str, optional
        ``en`` or ``zh``; default: the engagement's language.
    """
    lang = lang or eng.language
    plan = diagnosis.account_plan(eng, account_id, quarter, lang=lang)
    account = plan.account

    def t(key: str, **values) -> str:
        return _esc(text(key, lang, **values))

    title = text(
        "plan.title", lang, name=account["name"], account_id=account_id, quarter=plan.quarter
    )
    parts = [f"<h1>{_esc(title)}</h1>"]
    manager = str(plan.manager["name"]) if len(plan.manager) else text("plan.no_manager", lang)
    facts = [
        (text("plan.bu", lang), f"{eng.bu_name(plan.bu_id)} ({plan.bu_id})"),
        (text("plan.manager", lang), manager),
        (text("plan.revenue", lang), f"{float(account['revenue']):,.0f} {eng.currency}"),
        (text("plan.quadrant", lang), label(account["tier"], lang)),
        (text("plan.stage", lang), label(account["stage"], lang)),
    ]
    parts.append(
        '<table class="facts">'
        + "".join(f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>" for k, v in facts)
        + "</table>"
    )
    # key account or not, and how to manage it anyway
    parts.append(f"<h2>{t('plan.status')}</h2>")
    if account["tier"] == "key":
        parts.append(f"<p>{t('plan.is_key', reasons=account['reasons'])}</p>")
    else:
        parts.append(f"<p>{t('plan.not_key', reasons=account['reasons'])}</p>")
        parts.append(f"<p>{t('plan.manage.' + str(account['tier']))}</p>")
    # stage, role, manager fit
    parts.append(f"<h2>{t('plan.stage')}: {_esc(label(account['stage'], lang))}</h2>")
    parts.append(f"<p><b>{t('plan.role')}:</b> {_esc(plan.role)}</p>")
    if len(plan.fit):
        parts.append(
            f"<p><b>{t('plan.fit')}:</b> {_esc(manager)}, {float(plan.fit['fit']):.0%}</p>"
        )
        if len(plan.gaps):
            gaps = plan.gaps.head(GAPS_SHOWN)
            parts.append(f"<p><b>{t('plan.gaps')}</b></p>")
            parts.append(
                _table(
                    gaps,
                    ("competency", "rating", "required", "recommendation"),
                    lang,
                    kinds={"competency": "competency"},
                )
            )
    # buying centre and contact plan
    parts.append(f"<h2>{t('plan.buying_centre')}</h2>")
    if len(plan.contacts):
        parts.append(
            _table(
                plan.contacts,
                CONTACT_COLUMNS,
                lang,
                kinds={
                    "role": "role",
                    "attitude": "attitude",
                    "social_style": "social_style",
                    "aim": "aim",
                },
            )
        )
    else:
        parts.append(f"<p>{t('plan.no_contacts')}</p>")
    # SPIN
    parts.append(f'<h2>{t("plan.spin")}</h2><p class="note">{t("plan.spin.intro")}</p>')
    parts.append(_table(plan.spin, ("kind", "text"), lang, kinds={"kind": "kind"}))
    # churn
    parts.append(f"<h2>{t('plan.churn')}</h2>")
    if len(plan.churn):
        causes = plan.churn.assign(
            cause=plan.churn["name"],
            signals=[
                ", ".join(label(x, lang) for x in s.split(", ") if x) for s in plan.churn["signals"]
            ],
        )
        parts.append(_table(causes, ("cause", "seed_share", "signals", "evidence"), lang))
    else:
        parts.append(f"<p>{t('plan.no_churn')}</p>")
    # actions
    parts.append(f"<h2>{t('plan.actions')}</h2>")
    found = plan_actions(eng, plan)
    if len(found):
        items = []
        for row in found.itertuples(index=False):
            css = ' class="p1"' if row.priority == 1 else ""
            action = f"<br>→ {_esc(row.action)}" if row.action else ""
            items.append(f"<li><span{css}>{_esc(row.finding)}</span>{action}</li>")
        parts.append("<ol>" + "".join(items) + "</ol>")
    else:
        parts.append(f"<p>{t('plan.no_actions')}</p>")
    parts.append(f'<p class="note">{t("plan.footer", engagement=eng.name)}</p>')
    title = _esc(
        text("plan.title", lang, name=account["name"], account_id=account_id, quarter=plan.quarter)
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(parts)
        + "\n</body>\n</html>\n"
    )


def write_account_plan(
    eng: Engagement,
    account_id: str,
    path: str | Path,
    quarter: str | None = None,
    *,
    lang: str | None = None,
) -> Path:
    """Write the account plan of ``account_id`` to ``path`` (UTF-8 HTML); return the path."""
    path = Path(path)
    path.write_text(account_plan_html(eng, account_id, quarter, lang=lang), encoding="utf-8")
    return path
