"""The account plan's working parts (issue 22): where to take the account, who decides, what to ask.

- :func:`target_stage` and :func:`stage_steps`: the relationship stage to aim for (capped by
  the account's tier: seed 000, synergy is rare and not to be entered too early) and the
  steps to it, one a quarter (the stage descriptions of seeds 000 and 003);
- :func:`key_people`: the sponsor, the champion and the main opponent among the contacts
  (attitude x influence, the first matching rule of :data:`PEOPLE_RULES`);
- :func:`need_questions`: SPIN problem questions that start from what the customer said
  (its stated needs and its complaints, seed 003), not from our own data;
- :func:`negotiation_situation`: the situation of an open issue, for
  :func:`~kamanalysis.tools.managers.conflict_mode`.

Every text comes from the catalogue (``plan.step.*``, ``plan.people.*``, ``plan.spin.*``).

Examples
--------
>>> target_stage("early", "key"), target_stage("partnership", "key")
('mid', 'partnership')
>>> target_stage("mid", "maintain")
'mid'
>>> stage_steps("early", "mid", "2026Q3")["by_quarter"].tolist()[:2]
['2026Q4', '2027Q1']
"""

from __future__ import annotations

import math

import pandas as pd

from ...base.i18n import has, text
from ...base.quarters import shift_quarter
from ...base.schema import STAGES

#: The furthest stage worth aiming for, by tier (None: hold the stage the account is at).
TARGET_CAP = {"key": "partnership", "develop": "mid", "maintain": None, "opportunistic": None}
#: How many steps lead into each stage (catalogue ``plan.step.<stage>.<n>``, from 1).
STAGE_STEPS = {"early": 2, "mid": 4, "partnership": 4, "synergistic": 3}

#: Sponsor, champion and opponent: the contact with most influence that meets the rule, each
#: person in one part only, in this order.
PEOPLE_RULES: tuple[tuple[str, str, tuple[str, ...], float], ...] = (
    ("sponsor", "supporter", ("decider",), 4.0),
    ("champion", "supporter", ("influencer", "user", "buyer", "gatekeeper", "decider"), 3.0),
    ("opponent", "opponent", ("decider", "influencer", "user", "buyer", "gatekeeper"), 0.0),
)

#: Our power in a negotiation by the buyer's view of us (supplier positioning, seed 003):
#: a buyer for whom we are a strategic security depends on us; for a tactical one we are
#: easy to replace.
POWER_BY_BUYER_VIEW = {
    "strategic_partner": "equal",
    "strategic_security": "stronger",
    "tactical_profit": "weaker",
    "tactical_convenience": "weaker",
}


def target_stage(stage: str, tier: str) -> str:
    """Return the relationship stage to aim for: the next one, up to the tier's cap.

    A key account aims at partnership, a development account at mid-stage KAM; a
    maintained or opportunistic account holds its stage. An account already at or past its
    cap holds its stage (and deepens it).
    """
    cap = TARGET_CAP.get(tier)
    if cap is None or STAGES.index(stage) >= STAGES.index(cap):
        return stage
    return STAGES[STAGES.index(stage) + 1]


def stage_steps(stage: str, target: str, quarter: str, *, lang: str = "en") -> pd.DataFrame:
    """Return the steps from ``stage`` to ``target``, one a quarter from the next quarter.

    Columns ``to_stage`` (the stage the step leads into, or the stage held), ``step`` (the
    catalogue's text) and ``by_quarter``. Holding a stage gives its one ``plan.step.hold``
    step.
    """
    rows = []
    if target == stage:
        rows.append((stage, text(f"plan.step.hold.{stage}", lang)))
    else:
        for into in STAGES[STAGES.index(stage) + 1 : STAGES.index(target) + 1]:
            for n in range(1, STAGE_STEPS[into] + 1):
                rows.append((into, text(f"plan.step.{into}.{n}", lang)))
    return pd.DataFrame(
        [
            {"to_stage": into, "step": step, "by_quarter": shift_quarter(quarter, i + 1)}
            for i, (into, step) in enumerate(rows)
        ],
        columns=["to_stage", "step", "by_quarter"],
    )


def key_people(contacts: pd.DataFrame, *, lang: str = "en") -> pd.DataFrame:
    """Return the sponsor, the champion and the main opponent among an account's contacts.

    ``contacts`` has ``name``, ``role``, ``attitude`` and ``influence`` (``title`` and
    ``last_contact`` are carried). One row per part of :data:`PEOPLE_RULES`: the contact
    with most influence meeting its rule, or a blank name and what to do when nobody does;
    ``why`` says what the part does for us (catalogue ``plan.people.<part>``).

    Examples
    --------
    >>> c = pd.DataFrame({"name": ["A", "B", "C"], "role": ["decider", "user", "buyer"],
    ...     "attitude": ["supporter", "supporter", "neutral"], "influence": [5, 3, 2]})
    >>> key_people(c)[["part", "name"]].values.tolist()
    [['sponsor', 'A'], ['champion', 'B'], ['opponent', '']]
    """
    taken: set = set()
    rows = []
    influence = pd.to_numeric(contacts.get("influence"), errors="coerce")
    ranked = contacts.assign(_i=influence).sort_values("_i", ascending=False, kind="stable")
    for part, attitude, roles, least in PEOPLE_RULES:
        found = ranked.loc[
            (ranked["attitude"] == attitude)
            & ranked["role"].isin(roles)
            & (ranked["_i"] >= least)
            & ~ranked.index.isin(list(taken))
        ]
        if len(found):
            person = found.iloc[0]
            taken.add(found.index[0])
            rows.append(
                {
                    "part": part,
                    "name": person["name"],
                    "title": person.get("title", ""),
                    "role": person["role"],
                    "influence": person["influence"],
                    "why": text(f"plan.people.{part}", lang),
                }
            )
        else:
            rows.append(
                {
                    "part": part,
                    "name": "",
                    "title": "",
                    "role": "",
                    "influence": math.nan,
                    "why": text(f"plan.people.none.{part}", lang),
                }
            )
    return pd.DataFrame(rows, columns=["part", "name", "title", "role", "influence", "why"])


def contact_focus(contact_plan: pd.DataFrame, style: object, *, need_owners=()) -> pd.DataFrame:
    """Mark whom the contact plan targets first, by the buying centre's decision style.

    Seed 003: an **authoritarian** centre is won through its key person (the most
    influential decider, else the most influential contact); a **consultative** one through
    most of its members (every mapped person, the neutrals first, then the opponents, then
    the supporters); a **committee** through the issue (the people who stated a need, in
    ``need_owners``, and the deciders, around the customer's own case). Not known: the
    deciders and anyone of influence 4 or more. Returns the mapped contacts of
    ``contact_plan`` with ``focus`` (bool), those in focus first.

    Examples
    --------
    >>> p = pd.DataFrame({"contact_id": ["a", "b", "c"], "role": ["decider", "user", "buyer"],
    ...     "attitude": ["supporter", "neutral", "opponent"], "influence": [5, 3, 2]})
    >>> contact_focus(p, "authoritarian")["focus"].tolist()
    [True, False, False]
    >>> contact_focus(p, "consultative")["contact_id"].tolist()
    ['b', 'c', 'a']
    >>> contact_focus(p, "committee", need_owners=["c"]).query("focus")["contact_id"].tolist()
    ['a', 'c']
    """
    mapped = contact_plan.loc[contact_plan["contact_id"].fillna("").astype(str) != ""].copy()
    influence = pd.to_numeric(mapped["influence"], errors="coerce").fillna(0)
    mapped = mapped.assign(_i=influence).sort_values("_i", ascending=False, kind="stable")
    deciders = mapped["role"] == "decider"
    if style == "authoritarian":
        key = mapped.loc[deciders].index[:1] if deciders.any() else mapped.index[:1]
        focus = mapped.index.isin(key)
    elif style == "consultative":
        focus = pd.Series(True, index=mapped.index).to_numpy()
        order = {"neutral": 0, "opponent": 1, "supporter": 2}
        mapped = mapped.assign(_o=mapped["attitude"].map(order).fillna(3))
        mapped = mapped.sort_values(["_o", "_i"], ascending=[True, False], kind="stable")
        mapped = mapped.drop(columns="_o")
    elif style == "committee":
        focus = (deciders | mapped["contact_id"].isin(list(need_owners))).to_numpy()
    else:
        focus = (deciders | (mapped["_i"] >= 4)).to_numpy()
    mapped = mapped.assign(focus=focus)
    mapped = mapped.sort_values("focus", ascending=False, kind="stable")
    return mapped.drop(columns="_i").reset_index(drop=True)


def need_questions(
    needs: pd.DataFrame, complaints: pd.DataFrame, *, lang: str = "en"
) -> pd.DataFrame:
    """SPIN problem questions from what the customer said: its needs, then its complaints.

    ``needs`` has ``need``, ``owner`` (a name, or blank), ``source`` and ``stated_on``;
    ``complaints`` has ``comment``, ``quarter`` and ``dimension``. Returns rows ``kind``
    (``problem``), ``topic`` (``need`` or ``complaint``) and ``text``, the latest first.

    Examples
    --------
    >>> n = pd.DataFrame({"need": ["Fewer suppliers"], "owner": ["Li"], "source": ["meeting"],
    ...     "stated_on": [pd.Timestamp("2026-08-01")]})
    >>> c = pd.DataFrame({"comment": ["late again"], "quarter": ["2026Q3"],
    ...     "dimension": ["delivery"]})
    >>> need_questions(n, c)["text"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['Li said “Fewer suppliers” (meeting, 2026-08-01): what does it cost you today, and
      where does it hurt most?', 'You told us “late again” (2026Q3): how often does it
      happen, and what does it do to your work?']
    """
    rows = []
    if len(needs):
        ordered = needs.sort_values("stated_on", ascending=False, na_position="last")
        for need in ordered.to_dict("records"):
            date = need.get("stated_on")
            when = "" if date is None or pd.isna(date) else f", {pd.Timestamp(date).date()}"
            owner = need.get("owner")
            key = "plan.spin.need" if isinstance(owner, str) and owner else "plan.spin.need_any"
            said = text(key, lang, owner=owner, need=need["need"], source=need["source"], when=when)
            rows.append({"kind": "problem", "topic": "need", "text": said})
    if len(complaints):
        ordered = complaints.sort_values("quarter", ascending=False, kind="stable")
        for complaint in ordered.drop_duplicates("comment").to_dict("records"):
            said = text(
                "plan.spin.complaint",
                lang,
                comment=complaint["comment"],
                quarter=complaint["quarter"],
            )
            rows.append({"kind": "problem", "topic": "complaint", "text": said})
    return pd.DataFrame(rows, columns=["kind", "topic", "text"])


def negotiation_situation(
    *, tier: str, stage: str, buyer_view: object, urgent: bool
) -> dict[str, str]:
    """Describe the situation of an account's open issue for the conflict mode.

    Stakes are high at a key or development account; the relationship matters from the mid
    stage on, or at a key account; time presses when the issue is ``urgent`` (an unanswered
    complaint, a promise already late); our power follows the buyer's view of us
    (:data:`POWER_BY_BUYER_VIEW`; equal when not known).

    Examples
    --------
    >>> negotiation_situation(tier="key", stage="early", buyer_view="tactical_profit",
    ...     urgent=True)
    {'stakes': 'high', 'relationship': 'high', 'time_pressure': 'high', 'power': 'weaker'}
    """
    mature = STAGES.index(stage) >= STAGES.index("mid") if stage in STAGES else False
    return {
        "stakes": "high" if tier in ("key", "develop") else "low",
        "relationship": "high" if mature or tier == "key" else "low",
        "time_pressure": "high" if urgent else "low",
        "power": POWER_BY_BUYER_VIEW.get(str(buyer_view), "equal"),
    }


def issue_text(issue: str, lang: str = "en", **values) -> str:
    """Return the sentence naming an open issue (catalogue ``plan.issue.<issue>``)."""
    key = f"plan.issue.{issue}"
    return text(key, lang, **values) if has(key) else issue
