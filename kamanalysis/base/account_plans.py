"""The account plan's tables (issue 22): promises as data, and what the customer needs.

Two optional tables, declared here as plain column specifications so that
:mod:`kamanalysis.base.schema` stays one readable file; the schema turns them into its
:class:`~kamanalysis.base.schema.Table` declarations (validation, template, dictionary):

- ``account_actions``: the actions agreed for an account, each with its objective, owner and
  due quarter, and whether it was done (seed 000: keep every promise; apologise and
  compensate at once when one is missed);
- ``account_needs``: the customer's own goals, pressures and problems, each with the person in
  the buying centre who owns it and where we heard it (seed 003: SPIN questions start from
  the customer's problems, not from ours).

Examples
--------
>>> ACTION_STATUSES
('open', 'done', 'dropped')
>>> [c[0] for c in PLAN_TABLES["account_actions"]["columns"]][:4]
['bu_id', 'account_id', 'quarter', 'objective']
"""

from __future__ import annotations

#: What became of an agreed action.
ACTION_STATUSES = ("open", "done", "dropped")

#: How the buying centre decides (seed 003): whom the contact plan targets.
DECISION_STYLES = ("authoritarian", "consultative", "committee")

#: The optional ``accounts.decision_style`` column: (name, kind, meaning).
DECISION_STYLE = (
    "decision_style",
    "enum",
    "how the account's buying centre decides (seed 003): authoritarian (target the key "
    "person), consultative (win over most members), committee (work on the issue); "
    "blank = not known",
)

#: The two tables: name -> description, columns (name, kind, meaning, keyword arguments of
#: :class:`~kamanalysis.base.schema.Column`), key and ``at_least`` rules (column, other, why).
PLAN_TABLES: dict[str, dict] = {
    "account_actions": {
        "description": "The account plan's actions, as promises followed up quarter to quarter "
        "(seed 000: keep every promise): what was agreed for an account in a quarter, for which "
        "objective, who owns it, when it is due, and what became of it. Optional: without it "
        "the plans and reports follow up no actions.",
        "columns": (
            ("bu_id", "id", "business unit the row belongs to", {"refers_to": "business_units"}),
            ("account_id", "id", "account the action is for", {"refers_to": "accounts"}),
            ("quarter", "quarter", "quarter the action was agreed (set), written like 2026Q1", {}),
            ("objective", "text", "the objective the action serves, in a few words", {}),
            ("action", "text", "what will be done, in a few words", {}),
            ("owner", "text", "who on our side owns the action (a name)", {}),
            (
                "due_quarter",
                "quarter",
                "quarter by whose end the action is due; not before the quarter it was set",
                {},
            ),
            (
                "status",
                "enum",
                "open (not done yet), done, or dropped (given up, with the customer's consent "
                "or not: say why in the note)",
                {"allowed": ACTION_STATUSES},
            ),
            (
                "done_quarter",
                "quarter",
                "quarter the action was done or dropped; done after due_quarter = a promise "
                "kept late; blank = open, or not known",
                {"nullable": True, "optional": True},
            ),
            ("note", "text", "a remark: why late, why dropped", {"nullable": True}),
        ),
        "key": ("account_id", "quarter", "action"),
        "at_least": (
            ("due_quarter", "quarter", "due in or after the quarter it was set"),
            ("done_quarter", "quarter", "done in or after the quarter it was set"),
        ),
    },
    "account_needs": {
        "description": "The customer's goals, pressures and problems as the customer states "
        "them (seed 003: the SPIN plan's problem questions start from them): what, whose in the "
        "buying centre, where we heard it, when. Optional.",
        "columns": (
            ("bu_id", "id", "business unit the row belongs to", {"refers_to": "business_units"}),
            ("account_id", "id", "account the need belongs to", {"refers_to": "accounts"}),
            ("need", "text", "the goal, pressure or problem, in the customer's words", {}),
            (
                "owner_contact_id",
                "id",
                "the person in the buying centre who owns the need; blank = the account as a whole",
                {"refers_to": "contacts", "nullable": True},
            ),
            (
                "source",
                "text",
                "where we heard it: a meeting, a complaint, a tender, their annual report",
                {},
            ),
            (
                "stated_on",
                "date",
                "date the customer stated it; blank = unknown",
                {"nullable": True, "optional": True, "dates_row": True},
            ),
        ),
        "key": ("account_id", "need"),
        "at_least": (),
    },
}
