"""The key-account tiering's vocabulary and settings (issue 17), declared once.

:mod:`kamanalysis.base.schema` takes them into its columns, its default settings and its
data dictionary; they sit here so that the schema stays one readable file.

Examples
--------
>>> TIERS
('key', 'develop', 'maintain', 'opportunistic')
>>> ACCOUNT_SETTINGS["anchors"]["margin_floor"] < ACCOUNT_SETTINGS["anchors"]["margin_target"]
True
"""

from __future__ import annotations

#: Key-account criteria measured in the ledger that have no workshop column (seed 001: a
#: large share of our profit; seed 002: big buyers with heavy service demands).
LEDGER_CRITERIA = {
    "profit_share": "share of the BU's gross profit (not revenue), rated on the cumulative "
    "share bands of ``anchors.share_bands``",
    "cost_to_serve": "cost to serve as a share of the account's gross profit, rated between "
    "``anchors.cost_to_serve_target`` and ``anchors.cost_to_serve_ceiling`` (blank = not assessed)",
}

#: The other meanings of "big" (seed 002), rated in the workshop; optional columns
#: ``att_<name>`` (blank = not assessed, never zero).
WORKSHOP_CRITERIA = {
    "influence": "influence in its industry: a reference that opens the market (5 = sets the "
    "standard others follow)",
    "strategic_fit": "fit with our strategy: segments, products and capabilities we invest in "
    "(5 = at the centre of our plan)",
}

#: The tiers of a BU's accounts (the selection matrix's quadrants, one per account).
TIERS = ("key", "develop", "maintain", "opportunistic")

#: The rest of seed 003's relative-advantage factors: optional columns ``str_<name>``
#: (blank = not assessed, never zero).
MORE_STRENGTH_CRITERIA = {
    "industry_investment": "our investment in the customer's industry (5 = the most committed)",
    "use_value": "use value: what our offer saves or earns the customer (5 = clearly most)",
    "exclusive": "exclusive or preferred-supply agreements (5 = exclusive, long term)",
    "barriers": "barriers that keep rivals out: specifications, approvals, integration (5 = high)",
    "staying_power": "staying power: the resources to keep serving through a downturn "
    "(5 = clearly more)",
    "trust": "trust earned by promises kept (5 = complete)",
}

#: Default weights of the key-account criteria (``weights.attractiveness``: seed 001's share
#: of our gross profit first) and of seed 003's relative-advantage factors
#: (``weights.strength``); the schema's ``DEFAULT_SETTINGS["weights"]``.
ACCOUNT_WEIGHTS: dict = {
    "attractiveness": {
        "profit_share": 0.30,
        "volume": 0.05,
        "margin": 0.15,
        "growth": 0.10,
        "wallet_potential": 0.10,
        "credit": 0.10,
        "strategic_access": 0.05,
        "influence": 0.05,
        "strategic_fit": 0.05,
        "cost_to_serve": 0.05,
    },
    "strength": {
        "price": 0.15,
        "quality": 0.15,
        "service": 0.15,
        "response": 0.10,
        "relationship": 0.10,
        "innovation": 0.05,
        "industry_investment": 0.05,
        "use_value": 0.05,
        "exclusive": 0.05,
        "barriers": 0.05,
        "staying_power": 0.05,
        "trust": 0.05,
    },
}

#: Settings of the tiering and their defaults (``[anchors]`` and ``[capacity]`` in
#: engagement.toml): a consultant's defaults, documented in :data:`ACCOUNT_SETTING_NOTES`.
ACCOUNT_SETTINGS: dict = {
    "anchors": {
        "margin_floor": 15.0,
        "margin_target": 30.0,
        "payment_days_target": 30.0,
        "payment_days_ceiling": 90.0,
        "growth_floor": -0.10,
        "growth_target": 0.20,
        "accelerating_growth": 0.50,
        "small_share": 0.01,
        "share_bands": [0.5, 0.7, 0.85, 0.95],
        "cost_to_serve_target": 0.10,
        "cost_to_serve_ceiling": 0.50,
    },
    "capacity": {"key_accounts_per_manager": 10, "executive_visits_per_quarter": 6},
}

#: Pairs of anchors where the first must lie below the second (else a clear error).
ANCHOR_ORDER = (
    ("margin_floor", "margin_target"),
    ("payment_days_target", "payment_days_ceiling"),
    ("growth_floor", "growth_target"),
    ("cost_to_serve_target", "cost_to_serve_ceiling"),
)

#: What each setting of :data:`ACCOUNT_SETTINGS` means, by dotted key (and the fuller notes
#: of the weights and the attractiveness cut the tiering reads, which replace the schema's).
ACCOUNT_SETTING_NOTES = {
    "weights.attractiveness": "weight of each key-account criterion; sum to 1 or 100; a group "
    "given in engagement.toml replaces the defaults (a criterion it leaves out weighs 0)",
    "weights.strength": "weight of each relative-advantage factor (str_*, seed 003); sum to 1 or "
    "100; a group given in engagement.toml replaces the defaults",
    "cuts.selection_attractiveness": "key-account criteria score (the attractiveness axis) at or "
    "above which an account is attractive: well above the middle of the scale, so that key and "
    "develop stay a select few",
    "anchors.margin_floor": "gross margin (percent) at or below which the margin criterion is "
    "rated lowest (seed 001: a buyer that forces prices below cost is not key)",
    "anchors.margin_target": "gross margin (percent) at or above which it is rated highest; "
    "must be above the floor",
    "anchors.payment_days_target": "payment days at or below which credit is rated highest",
    "anchors.payment_days_ceiling": "payment days at or above which credit is rated lowest "
    "(seed 001: late payers are not key)",
    "anchors.growth_floor": "purchase growth on the year before (0.1 = +10 %) at or below which "
    "growth is rated lowest",
    "anchors.growth_target": "purchase growth at or above which growth is rated highest",
    "anchors.accelerating_growth": "purchase growth from a small base at or above which an "
    "account is accelerating and at least develop (seed 002: the small account still testing)",
    "anchors.small_share": "a small base: the year before's purchases below this share of the BU's",
    "anchors.share_bands": "cumulative shares of the BU's gross profit (and revenue, untapped "
    "spend) that split ratings 5/4/3/2/1: the accounts that together carry the first 50 % "
    "rate 5",
    "anchors.cost_to_serve_target": "cost to serve / gross profit at or below which it is rated "
    "highest",
    "anchors.cost_to_serve_ceiling": "cost to serve / gross profit at or above which it is rated "
    "lowest",
    "capacity.key_accounts_per_manager": "key accounts one manager can serve (the span); the "
    "team's capacity is managers x span, the excess is named",
    "capacity.executive_visits_per_quarter": "senior-executive visits to key accounts the BU "
    "head can make in a quarter (default 6, one every two weeks); the summary's visits, one per "
    "account, beyond it go to the next quarter, the accounts with the most revenue first",
}

#: Optional columns of ``account_assessments`` the tiering reads, appended to the table:
#: (name, kind, meaning, rating scale, direction); blank = not assessed, never zero.
OPTIONAL_ASSESSMENT_COLUMNS: tuple[tuple[str, str, str, str | None, str], ...] = (
    *(
        (
            f"att_{k}",
            "rating",
            f"attractiveness (seed 002, optional): {v}; blank = not assessed",
            "rating",
            "higher = more attractive account",
        )
        for k, v in WORKSHOP_CRITERIA.items()
    ),
    *(
        (
            f"str_{k}",
            "rating",
            f"our strength (seed 003, optional): {v}; blank = not assessed",
            "rating",
            "higher = stronger against competitors",
        )
        for k, v in MORE_STRENGTH_CRITERIA.items()
    ),
    *(
        (
            name,
            "bool",
            f"{meaning} (seed 000/003: the evidence of synergistic KAM); blank = not assessed",
            None,
            "",
        )
        for name, meaning in (
            ("joint_teams", "joint teams work with the account by objective"),
            ("open_books", "costs and profit are transparent between the two firms"),
            ("joint_development", "we develop the account's end users or products jointly"),
        )
    ),
)

#: The optional ``account_quarters.cost_to_serve`` column: (name, kind, meaning, unit); it
#: may be left out or blank.
COST_TO_SERVE = (
    "cost_to_serve",
    "number",
    "cost of serving the account beyond the cost of goods (technical service, logistics, "
    "special terms); lower is better; blank = not assessed, never zero",
    "currency",
)
