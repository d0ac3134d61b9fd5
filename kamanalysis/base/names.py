"""Names in two languages (issue 20): the optional ``<column>_zh`` and ``<column>_en`` columns.

A report names business units, accounts, contacts, managers, factors and competitors. Each
column holding such a name (``name``, ``factor``, ``driver``, ``indicator``, ``activity``,
``company``: :data:`NAMED_COLUMNS`) may have two optional text columns beside it, the name in
Chinese (``name_zh``) and in English (``name_en``). The rule a report follows
(:func:`shown_name`): in a language, the name in that language where given, else the
column itself. The columns are declared here as plain column specifications; the schema
(:mod:`kamanalysis.base.schema`) adds them to its tables.

Examples
--------
>>> NAMED_COLUMNS["benchmark"]
('factor', 'company')
>>> [c[0] for c in name_columns("benchmark")]
['factor_zh', 'factor_en', 'company_zh', 'company_en']
>>> shown_name("Pumps & Valves", "泵阀事业部", None, "zh")
'泵阀事业部'
>>> shown_name("PV", "", None, "zh"), shown_name("PV", "泵阀事业部", None, "en")
('PV', 'PV')
"""

from __future__ import annotations

#: The languages a name may be given in, beside the named column itself.
NAME_LANGUAGES = ("zh", "en")

#: Each table's columns holding a name a report shows (each may have ``_zh`` and ``_en``).
NAMED_COLUMNS: dict[str, tuple[str, ...]] = {
    "business_units": ("name",),
    "accounts": ("name",),
    "contacts": ("name",),
    "managers": ("name",),
    "pest": ("factor",),
    "forces": ("driver",),
    "evolution": ("indicator",),
    "ife_efe": ("factor",),
    "benchmark": ("factor", "company"),
    "value_chain": ("activity",),
}

#: What is named, and where: kind -> (table, column) pairs. ``factor`` covers every factor a
#: tool rates (PEST, five-forces drivers, evolution indicators, IFE/EFE, benchmark, value-chain
#: activities); ``company`` the companies benchmarked (the BU itself, leaders, competitors).
NAME_KINDS: dict[str, tuple[tuple[str, str], ...]] = {
    "bu": (("business_units", "name"),),
    "account": (("accounts", "name"),),
    "contact": (("contacts", "name"),),
    "manager": (("managers", "name"),),
    "factor": (
        ("pest", "factor"),
        ("forces", "driver"),
        ("evolution", "indicator"),
        ("ife_efe", "factor"),
        ("benchmark", "factor"),
        ("value_chain", "activity"),
    ),
    "company": (("benchmark", "company"),),
}

#: The id column of the tables whose rows are named things (a factor or a company is its name).
NAME_IDS = {
    "business_units": "bu_id",
    "accounts": "account_id",
    "contacts": "contact_id",
    "managers": "manager_id",
}

#: Text columns that name a person by the name in another table (an action's owner is one
#: of the managers, by name): shown by that person's name in the report's language.
NAMED_BY: dict[tuple[str, str], tuple[str, str]] = {
    ("account_actions", "owner"): ("managers", "name"),
}

_NOUNS = {
    "name": "the name",
    "factor": "the factor",
    "driver": "the driver",
    "indicator": "the indicator",
    "activity": "the activity",
    "company": "the company's name",
}
_LANGUAGE_NAMES = {"zh": "Chinese", "en": "English"}


def name_columns(table: str) -> tuple[tuple[str, str, str, dict], ...]:
    """Return the optional name columns of ``table``: (name, kind, meaning, keywords).

    Examples
    --------
    >>> name_columns("accounts")[0][:2]
    ('name_zh', 'text')
    >>> name_columns("feedback")
    ()
    """
    return tuple(
        (
            f"{column}_{lang}",
            "text",
            f"{_NOUNS[column]} in {_LANGUAGE_NAMES[lang]}, shown instead of {column} by reports "
            f"in {_LANGUAGE_NAMES[lang]} ({lang}); blank = {column}"
            + (f"; the same on every row of one {column}" if table not in NAME_IDS else ""),
            {"nullable": True, "optional": True},
        )
        for column in NAMED_COLUMNS.get(table, ())
        for lang in NAME_LANGUAGES
    )


def is_blank(value: object) -> bool:
    """Whether a name cell is blank (missing, NA, or only spaces).

    Examples
    --------
    >>> [is_blank(v) for v in (None, float("nan"), " ", "泵阀")]
    [True, True, True, False]
    """
    if value is None:
        return True
    try:
        if value != value:  # NaN, pandas.NA raises below
            return True
    except TypeError:
        return True
    return not str(value).strip()


def shown_name(name: object, name_zh: object, name_en: object, lang: str) -> str:
    """Return the name a report in ``lang`` shows: that language's where given, else ``name``."""
    other = {"zh": name_zh, "en": name_en}.get(lang)
    return str(name) if is_blank(other) else str(other).strip()
