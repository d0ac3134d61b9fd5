"""The engagement data model: every table, column and setting, declared once.

The same declarations drive validation (:mod:`kamanalysis.data.engagement`), the
Excel template (:mod:`kamanalysis.data.workbook`) and the data dictionary in
``data/README.md`` (:func:`kamanalysis.base.dictionary.data_dictionary`).

Examples
--------
>>> TABLES["accounts"].key
('account_id',)
>>> TABLES["pest"].column("impact").scale
'pest_impact'
>>> default_settings()["scales"]["rating"]
[1, 5]
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace

from .account_plans import (  # noqa: F401 (issue 22's tables and the decision styles)
    ACTION_STATUSES,
    DECISION_STYLE,
    DECISION_STYLES,
    PLAN_TABLES,
)
from .account_terms import (  # the key-account tiering's terms (issue 17), kept apart
    ACCOUNT_SETTING_NOTES,
    ACCOUNT_SETTINGS,
    ACCOUNT_WEIGHTS,
    COST_TO_SERVE,
    OPTIONAL_ASSESSMENT_COLUMNS,
    TIERS,  # noqa: F401 (the tiers, beside QUADRANTS)
)
from .criteria_terms import (  # the rated criteria and competencies, kept apart
    ATTRACTIVENESS_CRITERIA,
    COMPETENCIES,
    ORGANISATION_FORMS,
    STRENGTH_CRITERIA,
)
from .input_terms import READING_SETTING_NOTES, READING_SETTINGS  # how files are read (issue 25)
from .markets import MARKET_TABLES  # the BCG matrix's markets (issue 26)
from .names import NAMED_COLUMNS, name_columns  # names in Chinese and English (issue 20)

# ----------------------------------------------------------------------------- vocabulary
# Allowed values and default scales, declared once: the tools, the loader, the template,
# the sample generator and the data dictionary all import them from here.

FORCES = ("rivalry", "new_entrants", "substitutes", "buyer_power", "supplier_power")
#: PEST dimensions: code -> name.
PEST_DIMENSIONS = {"P": "political", "E": "economic", "S": "social", "T": "technological"}
PEST_EFFECTS = ("opportunity", "threat")
#: McGahan's two threats of obsolescence.
THREATS = ("core_activities", "core_assets")
#: IFE/EFE matrices and the kinds of factor each holds.
MATRIX_KINDS = {"IFE": ("strength", "weakness"), "EFE": ("opportunity", "threat")}
BENCHMARK_ROLES = ("self", "leader", "competitor")
VALUE_CHAIN_CATEGORIES = ("primary", "support")
BUYING_ROLES = ("decider", "influencer", "user", "gatekeeper", "buyer")
ATTITUDES = ("supporter", "neutral", "opponent")
SOCIAL_STYLES = ("analytical", "driver", "amiable", "expressive")
INFO_SHARING = ("none", "transactional", "regular", "open")
FEEDBACK_SOURCES = ("key_account", "dealer")
#: Key-account selection matrix quadrants (attractiveness x our strength).
QUADRANTS = ("key", "develop", "maintain", "opportunistic")
#: The buyer's view of us (supplier positioning, importance x relative spend).
BUYER_VIEWS = ("strategic_partner", "strategic_security", "tactical_profit", "tactical_convenience")
#: Relationship stages of key-account management, earliest first.
STAGES = ("pre", "early", "mid", "partnership", "synergistic")

#: Default rating scales (lo, hi); ``[scales]`` in engagement.toml overrides them.
DEFAULT_SCALES: dict[str, tuple[float, float]] = {
    "rating": (1, 5),
    "ife_efe": (1, 4),
    "pest_impact": (1, 3),
    "pest_probability": (1, 5),
}
FEEDBACK_DIMENSIONS = (
    "product_quality",
    "delivery",
    "technical_support",
    "service",
    "price",
    "sales_staff",
)


@dataclass(frozen=True)
class Column:
    """One column of an engagement table.

    ``kind`` is one of ``id``, ``text``, ``enum``, ``quarter``, ``date``, ``int``,
    ``number``, ``rating``, ``weight``, ``bool``. ``scale`` names the rating
    scale in the settings (``[scales]``) that a ``rating`` column lies on.
    """

    name: str
    kind: str
    description: str
    unit: str = ""
    nullable: bool = False
    allowed: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    scale: str | None = None
    direction: str = ""
    refers_to: str | None = None
    #: Only check ``refers_to`` on rows where (column, value) holds.
    refers_when: tuple[str, str] | None = None
    #: The column may be left out of the file or sheet altogether (read as all blank).
    optional: bool = False
    #: A date dating its row: as of an earlier quarter a row dated later is left out; any
    #: other later date reads as blank, unknown then (:meth:`Engagement.as_of`).
    dates_row: bool = False

    def expectation(self, scales: dict | None = None) -> str:
        """Describe the values this column accepts, for messages and the dictionary."""
        if self.kind == "enum":
            text = "one of " + ", ".join(self.allowed)
        elif self.kind == "quarter":
            text = "a quarter written like 2026Q3"
        elif self.kind == "date":
            text = "a date written YYYY-MM-DD"
        elif self.kind == "bool":
            text = "yes or no"
        elif self.kind == "rating":
            lo, hi = (scales or {}).get(self.scale, ("lo", "hi"))
            text = f"a rating from {lo} to {hi}"
        elif self.kind == "weight":
            text = "a weight >= 0 (fractions summing to 1, or percent summing to 100)"
        elif self.kind in ("int", "number"):
            noun = "a whole number" if self.kind == "int" else "a number"
            bounds = []
            if self.min is not None:
                bounds.append(f">= {self.min:g}")
            if self.max is not None:
                bounds.append(f"<= {self.max:g}")
            text = noun + (" " + " and ".join(bounds) if bounds else "")
        elif self.kind == "id":
            text = "a non-empty identifier"
        else:
            text = "text"
        if self.nullable:
            text += " (or blank)"
        return text


@dataclass(frozen=True)
class AtLeast:
    """Row rule: ``column`` must be at least ``other`` on the same row (``why`` says why)."""

    column: str
    other: str
    why: str


@dataclass(frozen=True)
class AllowedBy:
    """Row rule: the values allowed in ``column`` depend on the value of ``by``."""

    column: str
    by: str
    allowed: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class RoleCount:
    """Group rule: within each group, how many distinct ``distinct`` have each ``column`` value.

    ``counts`` maps a value to ``(min, max)``; ``max`` None = no upper limit.
    """

    column: str
    distinct: str
    group: tuple[str, ...]
    counts: dict[str, tuple[int, int | None]]


@dataclass(frozen=True)
class Table:
    """One engagement table: a CSV file in a folder, or a sheet in a workbook.

    Besides its columns and key, a table declares the rules the loader checks on it:
    ``weight_groups`` (weights sum to 1 or 100 within each group), ``weight_per`` (one
    weight per value of that column, repeated on each of its rows), ``equal_weights``
    (a group with every weight blank means equal weights), and ``rules`` (row and group
    rules: :class:`AtLeast`, :class:`AllowedBy`, :class:`RoleCount`). ``required`` tables
    must be present; the others may be absent from a partial engagement.
    """

    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    weight_groups: tuple[str, ...] = field(default=())
    weight_per: str | None = None
    equal_weights: bool = False
    rules: tuple = field(default=())
    #: A required table must be present; any other may be absent (its tools: "not assessed").
    required: bool = False

    @property
    def filename(self) -> str:
        """The CSV file name of the table in an engagement folder."""
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        """The column names in their declared order."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _bu() -> Column:
    return Column("bu_id", "id", "business unit the row belongs to", refers_to="business_units")


def _quarter() -> Column:
    return Column("quarter", "quarter", "quarter the row describes, written like 2026Q3")


def _account() -> Column:
    return Column("account_id", "id", "account the row describes", refers_to="accounts")


def _rating(name: str, description: str, direction: str, scale: str = "rating", **kw) -> Column:
    return Column(name, "rating", description, scale=scale, direction=direction, **kw)


_DATES_ROW = {"nullable": True, "optional": True, "dates_row": True}

_assessment_columns = (
    _bu(),
    _account(),
    _quarter(),
    *(
        _rating(f"att_{k}", f"attractiveness: {v}", "higher = more attractive account")
        for k, v in ATTRACTIVENESS_CRITERIA.items()
    ),
    *(
        _rating(f"str_{k}", f"our strength: {v}", "higher = stronger against competitors")
        for k, v in STRENGTH_CRITERIA.items()
    ),
    _rating(
        "buyer_importance",
        "the customer's view: importance and supply risk of our category to them",
        "higher = more important / riskier to the buyer",
    ),
    _rating(
        "buyer_relative_spend",
        "the customer's view: their spend with us relative to their other suppliers",
        "higher = we take a larger part of their spend",
    ),
    Column("contact_points", "int", "people at the account we are in regular contact with", min=0),
    Column("contact_levels", "int", "hierarchy levels those contacts span", min=0, max=6),
    Column("cross_functional_team", "bool", "a joint cross-functional team works on the account"),
    Column(
        "info_sharing",
        "enum",
        "information shared with us: none, transactional (orders), regular (forecasts), "
        "open (plans and costs)",
        allowed=INFO_SHARING,
    ),
    Column("joint_planning", "bool", "we plan jointly with the account's decision makers"),
    Column("contract_months", "int", "length of the current supply contract", unit="months", min=0),
    Column("preferred_supplier", "bool", "the account names us a preferred supplier"),
    Column(
        "executive_visits",
        "int",
        "visits by our senior executives to the account in the four quarters up to this one "
        "(seed 001 tactic 5; none in a year is a sign of indifference, seed 003)",
        min=0,
        nullable=True,
        optional=True,
    ),
    *(  # the tiering's optional columns (issue 17): blank = not assessed
        Column(name, kind, meaning, scale=scale, direction=good, nullable=True, optional=True)
        for name, kind, meaning, scale, good in OPTIONAL_ASSESSMENT_COLUMNS
    ),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "business_units",
            "The business units (BUs) diagnosed; one report is written per BU.",
            (
                Column("bu_id", "id", "short identifier of the BU, used in every other table"),
                Column("name", "text", "name of the BU as the report shows it"),
                Column("industry", "text", "industry the BU competes in"),
                Column(
                    "key_account_organisation",
                    "enum",
                    "how the BU organises key-account management today: none (the regular "
                    "sales force only) or one of the three forms of seed 002",
                    allowed=("none", *ORGANISATION_FORMS),
                    nullable=True,
                    optional=True,
                ),
            ),
            key=("bu_id",),
            required=True,
        ),
        Table(
            "accounts",
            "Customer accounts of each BU.",
            (
                Column("account_id", "id", "identifier of the account, unique across the group"),
                _bu(),
                Column("name", "text", "customer name (any script)"),
                Column("segment", "text", "customer industry or segment"),
                Column("region", "text", "sales region"),
                Column(
                    "since_quarter",
                    "quarter",
                    "first quarter the account bought from us",
                    nullable=True,
                ),
                Column(
                    "manager_id",
                    "id",
                    "the account manager responsible for the account; blank = none assigned",
                    nullable=True,
                    refers_to="managers",
                    optional=True,
                ),
                Column(*DECISION_STYLE, allowed=DECISION_STYLES, nullable=True, optional=True),
            ),
            key=("account_id",),
            required=True,
        ),
        Table(
            "account_quarters",
            "Sales per account per quarter.",
            (
                _bu(),
                _account(),
                _quarter(),
                Column("revenue", "number", "net sales to the account", unit="currency", min=0),
                Column(
                    "gross_margin_pct",
                    "number",
                    "gross margin on those sales",
                    unit="percent of revenue",
                    min=-100,
                    max=100,
                    direction="higher is better",
                ),
                Column("volume", "number", "quantity sold", unit="units", min=0),
                Column(
                    "category_spend",
                    "number",
                    "the customer's total spend in our category, with every supplier "
                    "(share of wallet = revenue / category_spend; must be >= revenue)",
                    unit="currency",
                    min=0,
                ),
                Column(
                    "payment_days",
                    "number",
                    "average days the customer took to pay",
                    unit="days",
                    min=0,
                    direction="lower is better",
                ),
                Column(*COST_TO_SERVE, min=0, nullable=True, optional=True),
            ),
            key=("account_id", "quarter"),
            rules=(
                AtLeast(
                    "category_spend",
                    "revenue",
                    "the customer's whole category spend includes ours",
                ),
            ),
            required=True,
        ),
        Table(
            "pest",
            "PEST factors rated per BU and quarter; several experts may each rate a factor.",
            (
                _bu(),
                _quarter(),
                Column(
                    "dimension",
                    "enum",
                    "P political, E economic, S social, T technological",
                    allowed=tuple(PEST_DIMENSIONS),
                ),
                Column("factor", "text", "the factor, in a few words"),
                Column(
                    "effect",
                    "enum",
                    "whether the factor is an opportunity or a threat to the BU",
                    allowed=PEST_EFFECTS,
                ),
                _rating(
                    "impact",
                    "size of the factor's effect on the BU",
                    "higher = larger effect",
                    scale="pest_impact",
                ),
                _rating(
                    "probability",
                    "likelihood that the change happens in the planning period",
                    "higher = more likely",
                    scale="pest_probability",
                ),
                Column(
                    "expert", "text", "who rated the row; blank = panel consensus", nullable=True
                ),
            ),
            key=("bu_id", "quarter", "factor", "expert"),
        ),
        Table(
            "forces",
            "Drivers of Porter's five forces, rated per BU and quarter.",
            (
                _bu(),
                _quarter(),
                Column("force", "enum", "which of the five forces", allowed=FORCES),
                Column("driver", "text", "the driver rated, e.g. 'buyer concentration'"),
                _rating(
                    "rating",
                    "how strongly the driver pushes the force",
                    "higher = stronger force = less attractive industry",
                ),
                Column(
                    "weight",
                    "weight",
                    "weight of the driver within its force; blank = equal weights",
                    nullable=True,
                ),
            ),
            key=("bu_id", "quarter", "force", "driver"),
            weight_groups=("bu_id", "quarter", "force"),
            equal_weights=True,
        ),
        Table(
            "evolution",
            "Indicators of McGahan's industry-evolution threats, per BU and quarter.",
            (
                _bu(),
                _quarter(),
                Column("indicator", "text", "the observable indicator"),
                Column(
                    "threat_to",
                    "enum",
                    "what the indicator threatens: core activities or core assets",
                    allowed=THREATS,
                ),
                _rating(
                    "rating", "how strongly the indicator is present", "higher = stronger threat"
                ),
            ),
            key=("bu_id", "quarter", "indicator"),
        ),
        Table(
            "ife_efe",
            "Internal (IFE) and external (EFE) factor evaluation, per BU and quarter.",
            (
                _bu(),
                _quarter(),
                Column(
                    "matrix",
                    "enum",
                    "IFE (internal) or EFE (external)",
                    allowed=tuple(MATRIX_KINDS),
                ),
                Column(
                    "kind",
                    "enum",
                    "strength or weakness (IFE); opportunity or threat (EFE)",
                    allowed=tuple(k for kinds in MATRIX_KINDS.values() for k in kinds),
                ),
                Column("factor", "text", "the factor"),
                Column("weight", "weight", "importance of the factor; weights sum to 1 per matrix"),
                _rating(
                    "rating",
                    "IFE: 1 major weakness .. 4 major strength; EFE: 1 poor .. 4 superior response",
                    "higher = better for us",
                    scale="ife_efe",
                ),
            ),
            key=("bu_id", "quarter", "matrix", "factor"),
            weight_groups=("bu_id", "quarter", "matrix"),
            rules=(AllowedBy("kind", "matrix", MATRIX_KINDS),),
        ),
        Table(
            "benchmark",
            "Competitive profile: the BU and industry leaders rated on weighted success factors.",
            (
                _bu(),
                _quarter(),
                Column("factor", "text", "key success factor"),
                Column(
                    "weight",
                    "weight",
                    "importance of the factor; the same for every company, summing to 1 per BU "
                    "and quarter",
                ),
                Column("company", "text", "company rated (the BU itself, a leader, a competitor)"),
                Column(
                    "role",
                    "enum",
                    "self = the BU, leader = an industry leader, competitor = other",
                    allowed=BENCHMARK_ROLES,
                ),
                _rating("rating", "the company's performance on the factor", "higher = better"),
            ),
            key=("bu_id", "quarter", "factor", "company"),
            weight_groups=("bu_id", "quarter"),
            weight_per="factor",
            rules=(
                RoleCount(
                    "role",
                    "company",
                    ("bu_id", "quarter"),
                    {"self": (1, 1), "leader": (1, None)},
                ),
            ),
        ),
        Table(
            "value_chain",
            "Value-chain activities: cost and performance against the leader.",
            (
                _bu(),
                _quarter(),
                Column("activity", "text", "activity of the value chain"),
                Column(
                    "category",
                    "enum",
                    "primary or support activity",
                    allowed=VALUE_CHAIN_CATEGORIES,
                ),
                Column("cost", "number", "the BU's cost of the activity", unit="currency", min=0),
                _rating("our_performance", "our performance in the activity", "higher = better"),
                _rating("leader_performance", "the leader's performance in it", "higher = better"),
            ),
            key=("bu_id", "quarter", "activity"),
        ),
        Table(
            "account_assessments",
            "Per account per quarter: attractiveness criteria, our strength, the customer's "
            "view of us, and relationship indicators.",
            _assessment_columns,
            key=("account_id", "quarter"),
        ),
        Table(
            "contacts",
            "Buying-centre map: the people at each account.",
            (
                Column("contact_id", "id", "identifier of the contact"),
                _bu(),
                _account(),
                Column("name", "text", "the person's name (any script)"),
                Column("title", "text", "job title", nullable=True),
                Column("role", "enum", "buying-centre role", allowed=BUYING_ROLES),
                _rating("influence", "influence on the buying decision", "higher = more"),
                Column(
                    "attitude",
                    "enum",
                    "attitude to us",
                    allowed=ATTITUDES,
                ),
                Column(
                    "social_style",
                    "enum",
                    "social style",
                    allowed=SOCIAL_STYLES,
                    nullable=True,
                ),
                Column(
                    "first_contact",
                    "date",
                    "date we first met or spoke with the person; blank = unknown",
                    **_DATES_ROW,
                ),
                Column(
                    "last_contact", "date", "date last met or spoke; blank = unknown", nullable=True
                ),
            ),
            key=("contact_id",),
            rules=(AtLeast("last_contact", "first_contact", "last met on or after first met"),),
        ),
        Table(
            "feedback",
            "Key-account feedback and dealer evaluations by dimension and quarter.",
            (
                _bu(),
                _quarter(),
                Column(
                    "source",
                    "enum",
                    "who evaluated us",
                    allowed=FEEDBACK_SOURCES,
                ),
                Column(
                    "respondent_id",
                    "id",
                    "the account_id (source key_account) or the dealer's name",
                    refers_to="accounts",
                    refers_when=("source", "key_account"),
                ),
                Column(
                    "dimension",
                    "enum",
                    "what was evaluated",
                    allowed=FEEDBACK_DIMENSIONS,
                ),
                _rating("score", "satisfaction", "higher = more satisfied"),
                Column("comment", "text", "verbatim remark (or complaint)", nullable=True),
                Column(
                    "commented_on",
                    "date",
                    "date the score and comment (or complaint) were made; blank = unknown",
                    **_DATES_ROW,
                ),
                Column(
                    "answered_on",
                    "date",
                    "date we answered the comment; blank = not answered, or unknown",
                    nullable=True,
                    optional=True,
                ),
            ),
            key=("bu_id", "quarter", "source", "respondent_id", "dimension"),
            rules=(AtLeast("answered_on", "commented_on", "answered on or after it was made"),),
        ),
        Table(
            "managers",
            "Key-account managers of each BU and their competencies, rated on the general "
            "scale (the competencies and their sources in the seeds are listed in the "
            "column meanings). Optional: without it, account management is not assessed.",
            (
                Column("manager_id", "id", "identifier of the manager, unique across the group"),
                _bu(),
                Column("name", "text", "the manager's name (any script)"),
                *(
                    _rating(f"comp_{k}", f"competency: {v}", "higher = stronger")
                    for k, v in COMPETENCIES.items()
                ),
            ),
            key=("manager_id",),
        ),
        Table(
            "manager_ratings",
            "The managers' competencies rated again in later quarters (issue 22), so that their "
            "development shows: a report of a quarter uses each manager's latest rating up to it, "
            "else the rating in managers. Optional.",
            (
                _bu(),
                Column("manager_id", "id", "the manager rated", refers_to="managers"),
                Column("quarter", "quarter", "quarter of the rating, written like 2026Q1"),
                *(
                    _rating(f"comp_{k}", f"{k}; blank = not rated again", "higher", nullable=True)
                    for k in COMPETENCIES
                ),
            ),
            key=("manager_id", "quarter"),
        ),
    )
}
TABLES |= {  # the account plan's optional tables (issue 22), declared in account_plans
    name: Table(
        name,
        spec["description"],
        tuple(Column(c, kind, meaning, **kw) for c, kind, meaning, kw in spec["columns"]),
        key=spec["key"],
        rules=tuple(AtLeast(*rule) for rule in spec["at_least"]),
    )
    for name, spec in (PLAN_TABLES | MARKET_TABLES).items()  # markets: issue 26
}
TABLES |= {  # the optional names in Chinese and English (issue 20), declared in names
    t: replace(TABLES[t], columns=TABLES[t].columns + tuple(Column(*c[:3], **c[3]) for c in cols))
    for t in NAMED_COLUMNS
    if (cols := name_columns(t))
}

#: Settings of an engagement and their defaults; ``engagement.toml`` overrides them.
DEFAULT_SETTINGS: dict = {
    "engagement": {
        "name": "",
        "client": "",
        "currency": "CNY",
        "current_quarter": "",
        "language": "en",
        **READING_SETTINGS,
    },
    "scales": {name: list(scale) for name, scale in DEFAULT_SCALES.items()},
    "weights": copy.deepcopy(ACCOUNT_WEIGHTS),
    "cuts": {
        "selection_attractiveness": 3.75,
        "selection_strength": 3.0,
        "buyer_importance": 3.0,
        "buyer_spend": 3.0,
    },
    **ACCOUNT_SETTINGS,
}


#: What each setting means, by dotted key (``weights.*`` keys are described by group).
SETTING_NOTES = {
    "engagement.name": "name of the engagement, shown on every report (required)",
    "engagement.client": "the client group",
    "engagement.currency": "currency of every money column, e.g. CNY",
    "engagement.current_quarter": "the quarter diagnosed, written like 2026Q3 (required)",
    "engagement.language": "report language: en or zh",
    **READING_SETTING_NOTES,
    "scales.rating": "[lo, hi] of the general 1-5 ratings (5 = best for us or strongest)",
    "scales.ife_efe": "[lo, hi] of IFE/EFE ratings (textbook: 1-4, 2.5 average)",
    "scales.pest_impact": "[lo, hi] of PEST impact ratings",
    "scales.pest_probability": "[lo, hi] of PEST probability ratings",
    "weights.attractiveness": "weight of each key-account criterion; sum to 1 or 100",
    "weights.strength": "weight of each relative-advantage factor (str_*); sum to 1 or 100",
    "cuts.selection_attractiveness": "criteria score at or above which an account is attractive",
    "cuts.selection_strength": "our strength score at or above which we are strong",
    "cuts.buyer_importance": "buyer importance rating at or above which it is high",
    "cuts.buyer_spend": "buyer relative-spend rating at or above which it is high",
    **ACCOUNT_SETTING_NOTES,
}

REQUIRED_SETTINGS = ("engagement.name", "engagement.current_quarter")
#: Where the settings live: a TOML file in an engagement folder, a sheet in a workbook.
SETTINGS_FILE = "engagement.toml"
SETTINGS_SHEET = "engagement"
LANGUAGES = ("en", "zh")


def default_settings() -> dict:
    """Return a fresh deep copy of :data:`DEFAULT_SETTINGS`."""
    return copy.deepcopy(DEFAULT_SETTINGS)


def flatten_settings(settings: dict, prefix: str = "") -> dict[str, object]:
    """Flatten nested settings to dotted keys.

    Examples
    --------
    >>> flatten_settings({"a": {"b": 1, "c": [1, 2]}})
    {'a.b': 1, 'a.c': [1, 2]}
    """
    flat: dict[str, object] = {}
    for key, value in settings.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten_settings(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat
