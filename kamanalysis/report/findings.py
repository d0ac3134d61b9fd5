"""Findings and actions from rules kept as data, evaluated on a BU's scored results.

The rules live in ``kamanalysis/rules.csv``, one row per rule, so that a consultant adds
or changes a finding without touching code:

==============  ==============================================================
column          meaning
==============  ==============================================================
id              unique name of the rule
section         report section the finding belongs to (overview, pest, ...)
scope           ``bu`` (facts of the BU), ``account`` (one test per account, one
                finding naming the accounts) or ``each_account`` (one finding per
                account, its own facts in the texts)
when            conditions ``fact op value`` joined by ``and``; op one of
                ``< <= > >= == !=``; a value is a number, a word, or
                ``@other_fact`` to compare two facts
priority        1 high, 2 medium, 3 low
tactic          the seed tactic the action applies (1-10, ``tactic.N`` in the
                catalogue), or blank
finding_en/zh   the finding; ``{fact}`` placeholders with format specs; ``{x_m:money}``
                (``+money`` signed) writes an amount in millions as money: in
                Chinese in 万元 or 亿元 (:func:`kamanalysis.base.i18n.zh_money`)
action_en/zh    the recommended action, or blank (a finding without action)
owner           optional: who acts (``role.<owner>`` in the catalogue; blank = the
                section's default owner, see :mod:`kamanalysis.report.brief`)
due             optional: by when (``due.<due>``; blank = this quarter)
measure         optional: what shows the action worked (``measure.<measure>``)
stake           optional: the fact holding the money at stake, in millions (the
                executive summary ranks its issues by it)
visit           optional: the action is a senior-executive visit to accounts:
                ``accounts`` (the accounts that triggered the rule) or the fact holding
                their ids (``id, id``); the summary merges every visit into one per
                account, checked against the BU head's capacity
                (:mod:`kamanalysis.report.visits`)
==============  ==============================================================

A rule fires only when every fact its conditions and its texts name is present and not
NaN: a tool not assessed this quarter simply gives no finding. The one exception is the
word ``missing``: ``fact == missing`` holds when the fact is absent or NaN (a first
quarter, with nothing to compare with). An account-scope rule fires when any account
meets it; its texts may use ``{accounts}`` (the accounts that triggered it) and
``{n_accounts}``. Text facts that name an enumerated value (a force, a strategy) are
shown in the report's language through the catalogue (:func:`kamanalysis.base.i18n.label`).

Examples
--------
>>> facts = {"revenue_yoy": -0.12, "revenue_m": 41.3, "year_ago": "2025Q3",
...          "quarter": "2026Q3", "currency": "CNY"}
>>> found = evaluate(facts)
>>> found.loc[0, "id"], found.loc[0, "finding"]
('revenue_falls', 'Revenue is falling: -12.0% on a year ago (2025Q3), 41.3 million CNY in 2026Q3.')
>>> evaluate(facts, lang="zh").loc[0, "finding"]
'收入下滑：较一年前（2025Q3）-12.0%，2026Q3 为 4,130 万元。'
"""

from __future__ import annotations

import math
import operator
import re
from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..base._validation import describe, read_rule_rows
from ..base.errors import InputValidationError, Problem
from ..base.i18n import LISTED, fill, has, label, short_list, text
from ..base.i18n import placeholders as i18n_placeholders
from ..base.paths import PACKAGE
from ..data.engagement import Engagement
from ..diagnosis.summary import account_facts, bu_facts

RULES_FILE = PACKAGE / "report" / "rules.csv"
COLUMNS = (
    "id",
    "section",
    "scope",
    "when",
    "priority",
    "tactic",
    "finding_en",
    "finding_zh",
    "action_en",
    "action_zh",
)
#: Columns a rules file may leave out (blank in every row then).
OPTIONAL_COLUMNS = ("owner", "due", "measure", "stake", "visit")
SCOPES = ("bu", "account", "each_account")
PRIORITIES = (1, 2, 3)
OPERATORS = {
    "<=": operator.le,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
}
_CONDITION = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|==|!=|<|>)\s*(.+?)\s*$")
#: The word that tests for an absent fact: ``fact == missing``.
MISSING = "missing"
#: How many accounts a finding names before it says "and N more".
ACCOUNTS_SHOWN = LISTED


@dataclass(frozen=True)
class Condition:
    """One test of a rule: ``fact op value``."""

    fact: str
    op: str
    value: float | str

    def holds(self, facts: Mapping) -> bool:
        """Return True when the fact is present, not NaN, and passes the test."""
        absent = not _present(facts, self.fact)
        if self.value == MISSING:
            return absent if self.op == "==" else not absent
        value = self.value
        if isinstance(value, str) and value.startswith("@"):
            if not _present(facts, value[1:]):
                return False
            value = facts[value[1:]]
        if absent:
            return False
        found = facts[self.fact]
        if isinstance(value, int | float) and not isinstance(value, bool):
            if isinstance(found, bool) or not isinstance(found, int | float):
                return False
            return OPERATORS[self.op](float(found), float(value))
        return OPERATORS[self.op](str(found), str(value))


def _present(facts: Mapping, name: str) -> bool:
    value = facts.get(name)
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _holding(conditions: list[Condition], frame: pd.DataFrame, facts: Mapping):
    """Return which rows of ``frame`` meet every condition (read through ``facts``).

    The same test as :meth:`Condition.holds` on ``ChainMap(row, facts)`` for each row,
    worked on whole columns: a numeric test on a numeric column at once, a word test once
    per distinct value, a test of a BU fact once; what remains (``@other`` facts read from
    the accounts) row by row, on the rows still in the running.
    """
    mask = np.ones(len(frame), dtype=bool)
    by_row = []
    for c in conditions:
        other = c.value[1:] if isinstance(c.value, str) and c.value.startswith("@") else None
        if other is not None and other in frame.columns:
            by_row.append(c)
        elif c.fact not in frame.columns:
            if not c.holds(facts):
                mask[:] = False
        elif other is not None:  # an account fact compared with a BU fact
            if not _present(facts, other):
                mask[:] = False
            else:
                mask &= _holding([Condition(c.fact, c.op, facts[other])], frame, facts)
        else:
            column = frame[c.fact]
            numeric = isinstance(c.value, int | float) and not isinstance(c.value, bool)
            if numeric and column.dtype.kind in "fiu":
                values = column.to_numpy(dtype="float64", na_value=np.nan)
                with np.errstate(invalid="ignore"):
                    mask &= ~np.isnan(values) & OPERATORS[c.op](values, float(c.value))
            else:
                # each distinct value once, as the row's own Python value (to_dict's)
                codes, distinct = pd.factorize(column, use_na_sentinel=False)
                rows = pd.DataFrame({c.fact: distinct}).to_dict("records")
                holds = np.array([c.holds(row) for row in rows] or [False], dtype=bool)
                mask &= holds[codes]
    if by_row and mask.any():
        candidates = np.flatnonzero(mask)
        for i, row in zip(candidates, frame.iloc[candidates].to_dict("records"), strict=True):
            own = ChainMap(row, facts)
            mask[i] = all(c.holds(own) for c in by_row)
    return mask


def placeholders(template: str) -> set[str]:
    """Return the fact names a text's ``{placeholders}`` use (a money spec: ``currency`` too).

    Examples
    --------
    >>> sorted(placeholders("{a:.1f} of {b}, {{not one}}"))
    ['a', 'b']
    """
    return i18n_placeholders(template)


def parse_when(when: str) -> list[Condition]:
    """Parse ``fact op value [and fact op value ...]``.

    Examples
    --------
    >>> parse_when("revenue_yoy < -0.05 and ge_strategy == harvest/divest")
    [Condition(fact='revenue_yoy', op='<', value=-0.05), \
Condition(fact='ge_strategy', op='==', value='harvest/divest')]
    """
    conditions = []
    for part in re.split(r"\s+and\s+", when.strip()):
        match = _CONDITION.match(part)
        if match is None:
            raise ValueError(f"expected fact op value, got {part!r}")
        fact, op, raw = match.groups()
        raw = raw.strip("\"'")
        try:
            value: float | str = float(raw)
        except ValueError:
            value = raw
        conditions.append(Condition(fact, op, value))
    return conditions


@cache
def package_rules() -> pd.DataFrame:
    """Return the package's rules (``rules.csv``), read once per process."""
    return load_rules(RULES_FILE)


def load_rules(path: str | Path = RULES_FILE) -> pd.DataFrame:
    """Read and check the rules table.

    Returns
    -------
    DataFrame
        One row per rule, the columns of :data:`COLUMNS` plus ``conditions`` (parsed).

    Raises
    ------
    InputValidationError
        Every problem of the file at once, each named by file, row and column: a missing
        column, a repeated id, an unknown scope, a priority not 1-3, a condition that does
        not parse, a finding without text.
    """
    path = Path(path)
    records = read_rule_rows(path, COLUMNS)
    problems, rows, seen = [], [], {}
    for number, record in enumerate(records, start=2):
        row = {c: (record.get(c) or "").strip() for c in (*COLUMNS, *OPTIONAL_COLUMNS)}

        def bad(column: str, expected: str, found: str, number: int = number) -> None:
            problems.append(Problem(path.name, expected, found, row=number, column=column))

        if row["id"] in seen:
            bad("id", "a unique id", f"{row['id']} again (first in row {seen[row['id']]})")
        seen.setdefault(row["id"], number)
        if row["scope"] not in SCOPES:
            bad("scope", "one of " + ", ".join(SCOPES), describe(row["scope"]))
        try:
            row["priority"] = int(row["priority"])
            if row["priority"] not in PRIORITIES:
                raise ValueError
        except ValueError:
            bad("priority", "1, 2 or 3", describe(row["priority"]))
        try:
            row["conditions"] = parse_when(row["when"])
        except ValueError as exc:
            bad("when", "conditions written fact op value, joined by and", str(exc))
        for column in ("finding_en", "finding_zh"):
            if not row[column]:
                bad(column, "the finding's text", "blank")
        if bool(row["action_en"]) != bool(row["action_zh"]):
            bad("action_zh", "an action in both languages, or in none", "only one")
        for column, prefix in (("owner", "role"), ("due", "due"), ("measure", "measure")):
            if row[column] and not has(f"{prefix}.{row[column]}"):
                bad(column, f"a catalogue key {prefix}.<name>, or blank", describe(row[column]))
        if row["visit"] and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", row["visit"]):
            bad("visit", "accounts, a fact's name, or blank", describe(row["visit"]))
        rows.append(row)
    if problems:
        raise InputValidationError(problems)
    return pd.DataFrame(rows, columns=[*COLUMNS, *OPTIONAL_COLUMNS, "conditions"])


#: English verbs after "N accounts" and their singular, for "1 key account is at risk".
SINGULAR_VERBS = {
    "are": "is",
    "have": "has",
    "show": "shows",
    "explain": "explains",
    "bring": "brings",
    "qualify": "qualifies",
    "see": "sees",
}
_ONE = re.compile(
    r"(?<![\d.,])\b1 ((?:[\w-]+ )?)accounts(?: (" + "|".join(SINGULAR_VERBS) + r")\b)?"
)


def singular(sentence: str) -> str:
    """Make "1 ... accounts <verb>" agree in English: "1 key account is".

    Examples
    --------
    >>> singular("1 key accounts are at risk; 1 accounts explain 40%; 11 accounts are")
    '1 key account is at risk; 1 account explains 40%; 11 accounts are'
    """

    def one(match: re.Match) -> str:
        verb = match.group(2)
        return f"1 {match.group(1)}account" + (f" {SINGULAR_VERBS[verb]}" if verb else "")

    return _ONE.sub(one, sentence)


def _shown(facts: Mapping, lang: str) -> dict:
    """Show the facts as texts do: enumerated words in the report's language."""
    return {k: label(v, lang, kind=k) if isinstance(v, str) else v for k, v in facts.items()}


def _account_list(ids: list[str], names: Mapping | None) -> str:
    named = [names.get(a, a) if names is not None else a for a in ids[:ACCOUNTS_SHOWN]]
    return short_list(named + list(ids[ACCOUNTS_SHOWN:]), ACCOUNTS_SHOWN)


def evaluate(
    facts: Mapping,
    *,
    accounts: pd.DataFrame | None = None,
    rules: pd.DataFrame | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Evaluate the rules on a BU's facts (and its accounts' facts).

    Parameters
    ----------
    facts : mapping
        Fact name -> value for the BU (see :func:`kamanalysis.diagnosis.summary.bu_facts`).
    accounts : DataFrame, optional
        One row per account (indexed by account id; a ``name`` column, if present,
        names the accounts in texts), one column per account fact.
    rules : DataFrame, optional
        From :func:`load_rules`; default the package's ``rules.csv``.
    lang : str
        ``en`` or ``zh``.

    Returns
    -------
    DataFrame
        One row per finding, ordered as the rules file: ``id``, ``section``,
        ``priority``, ``finding``, ``action`` (empty when the rule has none),
        ``tactic`` (the seed tactic's text, or empty), ``accounts`` (the ids that
        triggered an account rule; empty for a BU rule), ``owner``, ``due`` and
        ``measure`` (the rule's catalogue names, or empty), ``stake`` (the money at
        stake in millions, unsigned, or NaN) and ``visits`` (the accounts a visit action
        goes to, see the ``visit`` column; empty otherwise). ``attrs["accounts"]`` keeps
        the accounts' ``name`` and ``account_revenue_m`` (when given) for the summary.
    """
    rules = package_rules() if rules is None else rules
    shown = _shown(facts, lang)
    agree = singular if lang == "en" else str
    names = accounts["name"] if accounts is not None and "name" in accounts else None
    out = []

    def add(rule, values: dict, triggered: list) -> None:
        action = getattr(rule, f"action_{lang}")
        stake = values.get(rule.stake) if getattr(rule, "stake", "") else None
        visit = getattr(rule, "visit", "")
        if not action or not visit:
            visits = []
        elif visit == "accounts":
            visits = list(triggered)
        else:  # a fact holding the ids: ``id, id``
            visits = [a.strip() for a in str(facts.get(visit) or "").split(",") if a.strip()]
        out.append(
            {
                "id": rule.id,
                "section": rule.section,
                "priority": rule.priority,
                "finding": agree(fill(getattr(rule, f"finding_{lang}"), **values)),
                "action": agree(fill(action, **values)) if action else "",
                "tactic": text(f"tactic.{rule.tactic}", lang) if rule.tactic else "",
                "accounts": triggered,
                "owner": getattr(rule, "owner", ""),
                "due": getattr(rule, "due", ""),
                "measure": getattr(rule, "measure", ""),
                "stake": abs(float(stake)) if isinstance(stake, int | float) else math.nan,
                "visits": visits,
            }
        )

    for rule in rules.itertuples(index=False):
        triggered: list = []
        values = dict(shown)
        texts = [getattr(rule, f"finding_{lang}"), getattr(rule, f"action_{lang}")]
        needed = set().union(*map(placeholders, texts)) - {"account", "accounts", "n_accounts"}
        if rule.scope == "bu":
            if not all(c.holds(facts) for c in rule.conditions):
                continue
            if not all(_present(facts, name) for name in needed):
                continue
        elif accounts is None or accounts.empty:
            continue
        elif rule.scope == "each_account":
            holding = np.flatnonzero(_holding(rule.conditions, accounts, facts))
            rows = accounts.iloc[holding].to_dict("records")
            for account, row in zip(accounts.index[holding], rows, strict=True):
                own = ChainMap(row, facts)  # the account's facts first, then the BU's
                if all(_present(own, n) for n in needed):
                    add(rule, shown | _shown(row, lang) | {"account": account}, [account])
            continue
        else:
            triggered = list(accounts.index[_holding(rule.conditions, accounts, facts)])
            if not triggered or not all(_present(facts, n) for n in needed):
                continue
            values |= {"accounts": _account_list(triggered, names), "n_accounts": len(triggered)}
        add(rule, values, triggered)
    columns = ["id", "section", "priority", "finding", "action", "tactic", "accounts"]
    columns += ["owner", "due", "measure", "stake", "visits"]
    found = pd.DataFrame(out, columns=columns)
    if accounts is not None and {"name", "account_revenue_m"} <= set(accounts.columns):
        found.attrs["accounts"] = accounts[["name", "account_revenue_m"]].copy()
    return found


def diagnose(
    eng: Engagement, bu_id: str, quarter: str | None = None, *, lang: str = "en"
) -> tuple[dict, pd.DataFrame]:
    """Return a BU's facts and the findings the rules draw from them, in ``lang``.

    The facts come from :func:`kamanalysis.diagnosis.summary.bu_facts`, the accounts' facts from
    :func:`kamanalysis.diagnosis.summary.account_facts` (when the accounts were assessed).

    Examples
    --------
    >>> import kamanalysis as kam
    >>> facts, found = diagnose(kam.load_engagement(kam.paths.SAMPLE_DATA), "PV", lang="zh")
    >>> found.loc[found["id"] == "big_not_key", "accounts"].tolist()
    [['PV002']]
    """
    eng = eng.named(lang)  # every name in the report's language (issue 20)
    facts = bu_facts(eng, bu_id, quarter)
    accounts = None
    if "accounts" not in facts["not_assessed"]:
        accounts = account_facts(eng, bu_id, quarter or eng.current_quarter, lang=lang)
    return facts, evaluate(facts, accounts=accounts, lang=lang)
