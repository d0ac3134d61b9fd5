"""The parts of the account plan page (issue 22), each a piece of HTML.

:func:`kamanalysis.report.plans.account_plan_html` puts them together; a part named in
:data:`INTERNAL_PARTS` is left out of the page written for the customer (``--audience
client``). Every text comes from the catalogue in the page's language; every value is escaped
(:func:`kamanalysis.base.markup.safe`).
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd

from ..base.i18n import label, text
from ..base.markup import safe
from ..core.fonts import use_cjk_font
from ..diagnosis.management import AccountPlan
from ..diagnosis.roadmap import Roadmap
from .display import header, image_tag

#: Who a plan is written for: ``internal`` (everything) or ``client`` (to share with them).
AUDIENCES = ("internal", "client")
#: The parts a client's page leaves out: the tiering and its reasons, our manager's fit and
#: competency gaps, the attitudes, influence and social styles of their people (sponsor,
#: champion, opponent and the relationship map), our call and negotiation plans, the churn
#: risks and the findings' actions.
INTERNAL_PARTS = frozenset({"status", "fit", "people", "spin", "negotiation", "churn", "findings"})
#: How many competency gaps of the manager the page lists.
GAPS_SHOWN = 3
#: The trends charted: all of them on the internal page, the customer's own on the client's.
TRENDS = ("revenue", "gross_margin_pct", "payment_days", "share_of_wallet", "feedback")
CLIENT_TRENDS = ("revenue", "feedback")


def esc(value: object) -> str:
    """Return a value as the page shows it: the one rule for data in markup (:func:`safe`)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        return safe(f"{value:g}")
    if isinstance(value, pd.Timestamp):
        return safe(str(value.date()))
    return safe(value)


def table_html(frame: pd.DataFrame, columns, lang: str, *, kinds: dict | None = None) -> str:
    """Return ``frame``'s ``columns`` as an HTML table, enumerated words in ``lang``."""
    kinds = kinds or {}
    head = "".join(f"<th>{esc(text(f'column.{c}', lang))}</th>" for c in columns)
    rows = []
    for record in frame.to_dict("records"):
        cells = []
        for c in columns:
            value = record.get(c, "")
            if c in kinds and isinstance(value, (str, bool)) and value != "":
                value = label(str(value), lang, kind=kinds[c])
            cells.append(f"<td>{esc(value)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _t(key: str, lang: str, **values) -> str:
    return esc(text(key, lang, **values))


_ACTION_KINDS = {"status": "status", "late": "bool"}


def promises_parts(road: Roadmap, lang: str) -> list[tuple[str, str]]:
    """Return the objectives and actions with owners and dates, and last quarter's actions."""
    objectives = [f"<h2>{_t('plan.objectives', lang)}</h2>"]
    if len(road.objectives):
        columns = ("objective", "action", "owner", "due_quarter", "status", "late")
        objectives.append(table_html(road.objectives, columns, lang, kinds=_ACTION_KINDS))
    else:
        objectives.append(f"<p>{_t('plan.no_objectives', lang)}</p>")
    last = [f"<h2>{_t('plan.last_actions', lang)}</h2>"]
    if len(road.last_actions):
        columns = ("objective", "action", "owner", "due_quarter", "status", "done_quarter", "late")
        last.append(table_html(road.last_actions, columns, lang, kinds=_ACTION_KINDS))
    else:
        last.append(f"<p>{_t('plan.no_last_actions', lang)}</p>")
    return [("objectives", "".join(objectives)), ("last_actions", "".join(last))]


def roadmap_part(plan: AccountPlan, road: Roadmap, lang: str) -> str:
    """Where the account stands, the stage to aim for, and the steps with a timetable."""
    stage, target = label(plan.account["stage"], lang), label(road.target, lang)
    html = [f"<h2>{_t('plan.roadmap', lang, stage=stage, target=target)}</h2>"]
    html.append(f"<p><b>{_t('plan.role', lang)}:</b> {esc(plan.role)}</p>")
    html.append(f'<p class="note">{_t("plan.roadmap.intro", lang)}</p>')
    columns = ("by_quarter", "to_stage", "step")
    html.append(table_html(road.steps, columns, lang, kinds={"to_stage": "stage"}))
    return "".join(html)


def fit_part(plan: AccountPlan, manager: str, lang: str) -> str:
    """Return the manager's fit to the account's stage and the largest gaps (internal)."""
    html = [f"<h2>{_t('plan.fit', lang)}</h2>"]
    if not len(plan.fit):
        return "".join(html) + f"<p>{_t('plan.no_manager', lang)}</p>"
    html.append(f"<p>{esc(manager)}, {float(plan.fit['fit']):.0%}</p>")
    if len(plan.gaps):
        gaps = plan.gaps.head(GAPS_SHOWN)
        html.append(f"<p><b>{_t('plan.gaps', lang)}</b></p>")
        columns = ("competency", "rating", "required", "recommendation")
        html.append(table_html(gaps, columns, lang, kinds={"competency": "competency"}))
    return "".join(html)


def needs_part(road: Roadmap, lang: str) -> str:
    """Return the customer's goals, pressures and problems as it stated them."""
    html = [f"<h2>{_t('plan.needs', lang)}</h2>"]
    if len(road.needs):
        html.append(table_html(road.needs, ("need", "owner", "source", "stated_on"), lang))
    else:
        html.append(f"<p>{_t('plan.no_needs', lang)}</p>")
    return "".join(html)


def people_part(plan: AccountPlan, road: Roadmap, lang: str) -> str:
    """Sponsor, champion and opponent, and the relationship map (internal)."""
    html = [f"<h2>{_t('plan.people', lang)}</h2>"]
    html.append(
        table_html(
            road.people,
            ("part", "name", "title", "role", "influence", "why"),
            lang,
            kinds={"part": "part", "role": "role"},
        )
    )
    html.append(f"<h2>{_t('plan.map', lang)}</h2>")
    if len(road.relationship):
        html.append(
            table_html(
                road.relationship,
                ("name", "title", "role", "influence", "attitude", "social_style", "last_contact"),
                lang,
                kinds={"role": "role", "attitude": "attitude", "social_style": "social_style"},
            )
        )
    html.append(f"<h2>{_t('plan.buying_centre', lang)}</h2>")
    style = road.style or "unknown"
    named = label(road.style, lang, kind="decision_style") if road.style else ""
    html.append(f"<p><b>{_t('plan.style', lang)}:</b> {_t('plan.style.' + style, lang)}</p>")
    if named:
        html[-1] = html[-1].replace("</b> ", f"</b> {esc(named)}: ", 1)
    if road.contacts is not None and len(road.contacts):
        columns = ("focus", "role", "name", "influence", "attitude", "social_style", "aim")
        kinds = {"role": "role", "attitude": "attitude", "social_style": "social_style"}
        kinds |= {"aim": "aim", "focus": "bool"}
        html.append(table_html(road.contacts, (*columns, "approach"), lang, kinds=kinds))
        missing = plan.contacts.loc[plan.contacts["aim"] == "reach", "role"]
        if len(missing):
            roles = ", ".join(label(r, lang) for r in missing)
            html.append(f"<p>{_t('plan.reach_roles', lang, roles=roles)}</p>")
    else:
        html.append(f"<p>{_t('plan.no_contacts', lang)}</p>")
    return "".join(html)


def trends_part(eng, road: Roadmap, lang: str, *, client: bool = False) -> str:
    """Small charts of the account's trends over the quarters (the customer's own on its page)."""
    shown = CLIENT_TRENDS if client else TRENDS
    html = [f"<h2>{_t('plan.trends', lang)}</h2>"]
    trends = road.trends
    if trends.empty:
        return "".join(html) + f"<p>{_t('report.none', lang)}</p>"
    use_cjk_font()  # Chinese titles drawn as characters
    with plt.rc_context({"text.parse_math": False}):  # a "$" from the data is a dollar sign
        html.append(_trend_chart(eng, trends, shown, lang))
    return "".join(html)


def _trend_chart(eng, trends: pd.DataFrame, shown: tuple[str, ...], lang: str) -> str:
    fig, axes = plt.subplots(1, len(shown), figsize=(2.6 * len(shown), 2.4), layout="constrained")
    for ax, column in zip(axes, shown, strict=True):
        values = trends[column]
        if column == "share_of_wallet":
            values = values * 100
        ax.plot(range(len(values)), values.to_numpy(), marker="o", color="#1F4E79")
        title = header(column, lang)
        if column == "revenue":
            title += f" ({eng.currency})"
        ax.set_title(title, fontsize=9)
        ax.set_xticks(range(len(values)), [q[2:] for q in trends.index], fontsize=7, rotation=90)
        ax.tick_params(axis="y", labelsize=7)
    tag = image_tag(fig, text("plan.trends", lang), dpi=90)
    plt.close(fig)
    return tag


def negotiation_part(road: Roadmap, lang: str) -> str:
    """Return the open issue, its situation, and the conflict mode for it with why."""
    n = road.negotiation
    html = [f"<h2>{_t('plan.negotiation', lang)}</h2>"]
    html.append(f"<p><b>{_t('plan.negotiation.issue', lang)}:</b> {esc(n['issue'])}</p>")
    situation = ", ".join(
        f"{text('column.' + k, lang)}: {label(n[k], lang, kind='conflict')}"
        for k in ("stakes", "relationship", "time_pressure", "power")
    )
    html.append(f"<p><b>{_t('plan.negotiation.situation', lang)}:</b> {esc(situation)}</p>")
    mode = label(n["mode"], lang, kind="conflict")
    html.append(f"<p><b>{_t('plan.negotiation.mode', lang)}:</b> {esc(mode)}: {esc(n['why'])}</p>")
    return "".join(html)
