"""The BUs' markets (issue 26): what the BCG growth-share matrix needs, as an optional table.

One small optional table, declared here as plain column specifications (like
:mod:`kamanalysis.base.account_plans`) and merged into
:data:`kamanalysis.base.schema.TABLES`:

- ``markets``: per BU and quarter, the size of the BU's market and the shares of it held by
  the BU and by its largest rival. Market growth is the size's change on the same quarter a
  year earlier; relative market share = our share / the largest rival's. Without the table,
  or without a BU's row in the quarter (or a year earlier), the BU's BCG position is not
  assessed.

Examples
--------
>>> [c[0] for c in MARKET_TABLES["markets"]["columns"]]
['bu_id', 'quarter', 'market_size', 'our_share', 'rival_share']
"""

from __future__ import annotations

_SHARE = "fraction of the market (0.25 = 25 %)"

#: The table: name -> description, columns (name, kind, meaning, keyword arguments of
#: :class:`~kamanalysis.base.schema.Column`), key and ``at_least`` rules (none).
MARKET_TABLES: dict[str, dict] = {
    "markets": {
        "description": "The BU's market per quarter, for the BCG growth-share matrix: the "
        "market's size, our share of it and the largest rival's share. Market growth = the "
        "change of the size since the same quarter a year earlier; relative market share = "
        "our share / the largest rival's (above 1: we lead). Optional: without it (or without "
        "a row a year earlier) the BCG position is not assessed.",
        "columns": (
            ("bu_id", "id", "business unit the row belongs to", {"refers_to": "business_units"}),
            ("quarter", "quarter", "quarter the figures describe, written like 2026Q1", {}),
            (
                "market_size",
                "number",
                "size of the BU's served market over the four quarters up to this one (all "
                "suppliers' sales); only its change over a year is used",
                {"unit": "currency", "min": 0},
            ),
            (
                "our_share",
                "number",
                "the BU's share of that market; must be > 0 for a BCG position",
                {"unit": _SHARE, "min": 0, "max": 1},
            ),
            (
                "rival_share",
                "number",
                "the share of the largest rival (the largest other supplier when we lead)",
                {"unit": _SHARE, "min": 0, "max": 1},
            ),
        ),
        "key": ("bu_id", "quarter"),
        "at_least": (),
    },
}
