"""The executive summary: the answer first, on one screen.

Above the report's first section, in at most :data:`WORDS` words (English; Chinese
:data:`CHARACTERS` characters):

1. the **verdict** (:func:`kamanalysis.diagnosis.verdict.verdict_text`): growth, margin,
   competitive strength and the customers' voice, with the IE/GE stance;
2. **the issues**, 3 to :data:`MOST_ISSUES`, ranked by the money at stake (the rule's
   ``stake`` fact, in millions of the currency), then by priority: the findings of
   priority 1 and 2;
3. **what to do**: at most :data:`MOST_ACTIONS` actions, each once (one per rule and one
   per key-account tactic), with who acts, by when and the measure that shows it worked
   (the rule's ``owner``, ``due``, ``measure``, or the section's defaults
   :data:`SECTION_DEFAULTS`), each linked to the issue it answers. Every action that is a
   senior-executive visit (a rule with a ``visit``) becomes one action: one visit per
   account, the accounts named, checked against the BU head's capacity
   (:mod:`kamanalysis.report.visits`).

The strip of trend charts follows the summary (the report's ``history`` part).

Examples
--------
>>> from kamanalysis.report.findings import evaluate
>>> facts = {"bu_name": "X", "revenue_yoy": -0.12, "revenue_m": 41.3, "year_ago": "2025Q3",
...          "quarter": "2026Q3", "currency": "CNY", "not_assessed": []}
>>> summary = executive_summary(facts, evaluate(facts))
>>> print(summary.splitlines()[2])  # doctest: +NORMALIZE_WHITESPACE
**Verdict:** X: no verdict yet, revenue or margin a year ago not available. Revenue -12.0% on a
year ago (2025Q3).
"""

from __future__ import annotations

import math
import re

import pandas as pd

from ..base.i18n import bracketed, text
from ..base.markup import safe
from ..diagnosis.verdict import verdict_text
from .visits import DEFAULT_CAPACITY, visit_plan, visit_text

#: The most words (English) and characters (Chinese) the summary may take.
WORDS = 250
CHARACTERS = 500
#: The most issues and actions the summary shows; it shows at least :data:`FEWEST_ISSUES`.
MOST_ISSUES = 5
FEWEST_ISSUES = 3
MOST_ACTIONS = 5
#: Who acts, by when and how it is measured, when the rule does not say: by section.
SECTION_DEFAULTS: dict[str, tuple[str, str, str]] = {
    "overview": ("bu_head", "this_quarter", "revenue_back"),
    "pest": ("marketing", "next_quarter", "review_next"),
    "forces": ("marketing", "next_quarter", "review_next"),
    "evolution": ("marketing", "next_quarter", "review_next"),
    "position": ("bu_head", "next_quarter", "review_next"),
    "competitive": ("sales_director", "next_quarter", "index_up"),
    "review": ("sales_director", "this_quarter", "feedback_up"),
    "portfolio": ("kam", "this_quarter", "health_up"),
    "management": ("sales_director", "this_quarter", "fit_up"),
    "plan": ("kam", "this_quarter", "plan_done"),
}
FALLBACK = ("bu_head", "this_quarter", "review_next")


def size(markdown: str, lang: str = "en") -> int:
    """Count the words (English) or characters (Chinese: a Latin word counts one) of a text.

    Examples
    --------
    >>> size("**Verdict.** X: growth, *fast*."), size("结论：Acme Steel 增长 +4.1%。", "zh")
    (4, 10)
    """
    plain = re.sub(r"<[^>]+>|[#*|]", " ", markdown)
    if lang == "zh":  # each Chinese character, and each Latin word or number (a name), once
        words = r"[A-Za-z0-9][A-Za-z0-9.,'%+-]*"
        return len(re.findall(words, plain)) + len(re.sub(words + r"|\s", "", plain))
    return len(re.findall(r"[^\W_]+(?:[-'.,][^\W_]+)*%?", plain))


def _first_sentence(sentence: str, lang: str = "en") -> str:
    """Cut an action to its first sentence (before a colon or semicolon that opens detail)."""
    cut = re.split(r"(?<=[.;:。；：])\s*", sentence.strip(), maxsplit=1)[0]
    cut = cut.rstrip(";:；：")
    return cut if cut.endswith((".", "。")) else cut + ("。" if lang == "zh" else ".")


def _short(finding: str, lang: str = "en") -> str:
    """Shorten a finding to its first sentence for the summary (the detail is in its section)."""
    stop = r"(?<=。)" if lang == "zh" else r"(?<=\.)\s+(?=[A-Z\d])"
    first = re.split(stop, finding.strip(), maxsplit=1)[0]
    if size(first, lang) > ISSUE_SIZE[lang]:  # a long list of reasons: the claim only
        first = re.split(r"[:;：；]", first, maxsplit=1)[0].rstrip() + (
            "。" if lang == "zh" else "."
        )
    return first


#: The findings the verdict already says (revenue up, flat or down on a year ago).
SAID_BY_VERDICT = ("revenue_falls", "revenue_grows", "revenue_flat")
#: An issue longer than this (words, characters) is cut to its claim.
ISSUE_SIZE = {"en": 40, "zh": 120}


def issue_groups(found: pd.DataFrame) -> list[list]:
    """Rank the findings of priority 1 and 2 into issues, the most money at stake first.

    Each issue is a list of findings: the first states it; the others are findings of the
    same rule (one per account) or about accounts it already names, whose actions it
    answers too. The findings the verdict says (:data:`SAID_BY_VERDICT`) are left out.
    """
    issues = found.loc[
        (found["section"] != "summary")
        & (found["priority"] <= 2)
        & ~found["id"].isin(SAID_BY_VERDICT)
    ].copy()
    if "stake" not in issues:
        issues["stake"] = math.nan
    issues["_stake"] = issues["stake"].fillna(-1.0)
    issues = issues.sort_values(["_stake", "priority"], ascending=[False, True], kind="stable")
    groups: list[list] = []
    for row in issues.itertuples():
        accounts = set(row.accounts or ())
        home = next(
            (
                g
                for g in groups
                if g[0].id == row.id or (accounts and accounts <= set(g[0].accounts or ()))
            ),
            None,
        )
        if home is None:
            groups.append([row])
        else:
            home.append(row)
    return groups


def chosen_actions(groups: list[list], most: int = MOST_ACTIONS) -> list[tuple[int, object]]:
    """Pick at most ``most`` actions from the issues: one per rule, one per tactic, no repeat.

    Visit actions (findings with ``visits``) count once: the first stands for the merged
    visit plan, and when there is one it replaces every other executive-visit action
    (tactic :data:`VISIT_TACTIC`). Returns (issue number, finding) pairs, the issues'
    order kept.
    """
    planned = any(getattr(r, "visits", None) for g in groups for r in g)
    seen_rules: set[str] = set()
    seen_tactics: set[str] = set()
    seen_texts: set[str] = set()
    out = []
    for number, group in enumerate(groups, start=1):
        for row in group:
            if not row.action or row.id in seen_rules:
                continue
            visit = bool(getattr(row, "visits", None))
            if visit and "visits" in seen_texts:
                continue
            if planned and not visit and row.tactic.startswith(f"{VISIT_TACTIC}."):
                continue  # the visit plan sends the senior executive
            if row.tactic and row.tactic in seen_tactics:
                continue
            core = "visits" if visit else _first_sentence(row.action)
            if core in seen_texts:
                continue
            seen_rules.add(row.id)
            seen_texts.add(core)
            if row.tactic:
                seen_tactics.add(row.tactic)
            out.append((number, row))
            if len(out) == most:
                return out
    return out


#: The executive-visit tactic's number: said once, by the visit plan when there is one.
VISIT_TACTIC = "5"


def action_line(row, issue: int, lang: str = "en", visits: str = "") -> str:
    """Write one action: who, by when, what, the measure, and the issue it answers.

    ``visits``: the merged visit plan in words, said instead of a visit action's own text.
    """
    parts = action_parts(row, lang, visits)
    line = text("summary.action_line", lang, **parts, issue=issue)
    return line[:1].upper() + line[1:]


def action_parts(row, lang: str = "en", visits: str = "") -> dict[str, str]:
    """Return an action's ``role``, ``due``, ``action`` and ``measure`` in ``lang``.

    The summary's action line and the deck's table of actions say these.

    The rule's ``owner``, ``due`` and ``measure``, or the section's defaults
    (:data:`SECTION_DEFAULTS`); a visit action says the merged visit plan ``visits``.
    """
    owner, due, measure = SECTION_DEFAULTS.get(row.section, FALLBACK)
    owner = getattr(row, "owner", "") or owner
    due = getattr(row, "due", "") or due
    measure = getattr(row, "measure", "") or measure
    if visits and getattr(row, "visits", None):
        owner, due, measure = "bu_head", "this_quarter", "visit_done"
    return {
        "role": text(f"role.{owner}", lang),
        "due": text(f"due.{due}", lang),
        "action": visits
        if visits and getattr(row, "visits", None)
        else safe(_first_sentence(row.action, lang)),
        "measure": text(f"measure.{measure}", lang),
    }


def executive_summary(facts: dict, found: pd.DataFrame, lang: str = "en") -> str:
    """Markdown executive summary: verdict, the issues by money at stake, what to do.

    Parameters
    ----------
    facts : dict
        From :func:`kamanalysis.diagnosis.summary.bu_facts`.
    found : DataFrame
        From :func:`kamanalysis.report.findings.evaluate` on those facts.
    lang : str
        ``en`` or ``zh``.
    """
    return _summary(facts, found, lang)[0]


def summary_choice(facts: dict, found: pd.DataFrame, lang: str = "en") -> tuple[list, list]:
    """Return the issues (groups of findings) and the actions the executive summary shows.

    The summary fits its issues and actions into its word budget; the deck shows the same
    ones (``actions``: ``(issue number, finding row)`` as :func:`chosen_actions` gives them).
    """
    _, groups, actions = _summary(facts, found, lang)
    return groups, actions


def _summary(facts: dict, found: pd.DataFrame, lang: str) -> tuple[str, list, list]:
    """Return the executive summary, and the issues and actions it shows."""
    budget = WORDS if lang == "en" else CHARACTERS
    head = [f"## {text('summary.title', lang)}", ""]
    head.append(f"**{text('summary.verdict', lang)}** {safe(verdict_text(facts, lang))}")
    if facts.get("not_assessed"):
        tools = ", ".join(text(f"tool.{t}", lang) for t in facts["not_assessed"])
        head += ["", f"*{text('summary.not_assessed', lang, tools=tools)}*"]
    groups = issue_groups(found)[:MOST_ISSUES]
    currency = safe(facts.get("currency", ""))
    capacity = facts.get("visit_capacity", DEFAULT_CAPACITY)
    plan = visit_plan(found, capacity)
    visits = visit_text(plan, capacity, lang) if len(plan) else ""

    def issue_line(i: int, row) -> str:
        line = f"{i}. {safe(_short(row.finding, lang))}"
        if row.stake == row.stake:
            stake = text("summary.stake", lang, stake=row.stake, currency=currency)
            line += f" *{bracketed(stake, lang)}*"
        return line

    def render(n_issues: int, n_actions: int) -> str:
        shown = groups[:n_issues]
        lines = [*head, "", f"### {text('summary.issues', lang)}", ""]
        lines += [issue_line(i, g[0]) for i, g in enumerate(shown, start=1)]
        if not shown:
            lines.append(f"*{text('report.none', lang)}*")
        actions = chosen_actions(shown, n_actions)
        lines += ["", f"### {text('summary.actions', lang)}", ""]
        lines += [
            f"{k}. {action_line(r, i, lang, visits)}" for k, (i, r) in enumerate(actions, start=1)
        ]
        if not actions:
            lines.append(f"*{text('report.none', lang)}*")
        return "\n".join(lines), shown, actions

    # the most actions, then the most issues, that fit the budget; never under three issues
    fewest = min(len(groups), FEWEST_ISSUES)
    for n_actions in range(MOST_ACTIONS, 0, -1):
        for n_issues in range(len(groups), fewest - 1, -1):
            chosen = render(n_issues, n_actions)
            if size(chosen[0], lang) <= budget:
                return chosen
    return render(fewest, 1)
