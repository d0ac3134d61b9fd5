"""The sample's markets (issue 26): the BUs' market sizes and shares, for the BCG matrix.

Computed without random draws, after everything else, so the rest of the sample does not
change with it. Its story (``data/README.md``): Pumps & Valves leads a slow market (about
6 % a year, relative share above 1: a cash cow, though the GE grid says invest); Industrial
Coatings holds a small and shrinking share of a slow market (a dog); Motion Control is
small in a fast market (15 % a year: a question mark).

Examples
--------
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> eng.markets.loc[eng.markets["quarter"] == "2026Q3", "bu_id"].tolist()
['PV', 'IC', 'MC']
"""

from __future__ import annotations

#: Per BU: market size in the first quarter (currency, four quarters), growth a year, our
#: share at the start and at the end, the largest rival's share.
MARKETS = {
    "PV": (1.40e9, 0.06, 0.180, 0.190, 0.150),
    "IC": (1.30e9, 0.03, 0.100, 0.075, 0.210),
    "MC": (2.20e9, 0.15, 0.090, 0.105, 0.220),
}


def add_markets(rows: dict, quarters: list[str], bus: list[str]) -> None:
    """Append a ``markets`` row per BU and quarter (BUs beyond the three follow them in turn)."""
    stories = list(MARKETS.values())
    for b, bu in enumerate(bus):
        size, growth, first, last, rival = MARKETS.get(bu, stories[b % len(stories)])
        for q, quarter in enumerate(quarters):
            drift = q / max(1, len(quarters) - 1)
            rows["markets"].append(
                {
                    "bu_id": bu,
                    "quarter": quarter,
                    "market_size": round(size * (1 + growth) ** (q / 4), -5),
                    "our_share": round(first + (last - first) * drift, 4),
                    "rival_share": rival,
                }
            )
