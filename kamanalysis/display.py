"""Presentation helpers for notebooks and reports: number formats and headings.

Examples
--------
>>> import pandas as pd
>>> s = styled(pd.DataFrame({"revenue": [1234567.891], "growth_yoy": [0.0523]}))
>>> "1,234,568" in s.to_html() and "5.2%" in s.to_html()
True
"""

from __future__ import annotations

import html
import itertools

import pandas as pd

from .engagement import Engagement
from .i18n import has, label, text

# Styler ids come from this counter, not from random uuids, so that a notebook executed
# twice renders the same HTML (stored notebook outputs are compared by nbval).
_TABLE_IDS = itertools.count(1)

#: Display format of known column names; unknown float columns get two decimals.
FORMATS = {
    "revenue": "{:,.0f}",
    "category_spend": "{:,.0f}",
    "volume": "{:,.0f}",
    "gross_margin_pct": "{:.1f}",
    "payment_days": "{:.0f}",
    "revenue_share": "{:.1%}",
    "share_of_wallet": "{:.1%}",
    "top5_share": "{:.1%}",
    "growth_qoq": "{:+.1%}",
    "growth_yoy": "{:+.1%}",
    # key accounts (kamanalysis.accounts)
    "sales": "{:,.0f}",
    "untapped_spend": "{:,.0f}",
    "avg_margin_pct": "{:.1f}",
    "avg_payment_days": "{:.0f}",
    "purchase_growth": "{:+.1%}",
    "acceleration": "{:+.1%}",
    "robustness": "{:.0%}",
    "flip_probability": "{:.0%}",
    "days_since_decider": "{:.0f}",
}


def safe(text: object) -> str:
    """Escape a text from the data for Markdown or HTML output: it shows as text, never as markup.

    Examples
    --------
    >>> safe("<script>alert(1)</script> & Co")
    '&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co'
    """
    return html.escape(str(text), quote=False)


def header(name: object, lang: str = "en") -> str:
    """Return a column's header as a reader sees it: the catalogue's ``column.<name>``.

    A column the catalogue does not know shows its name with spaces for underscores.

    Examples
    --------
    >>> header("gross_margin_pct"), header("gross_margin_pct", "zh"), header("my_col")
    ('gross margin (%)', '毛利率（%）', 'my col')
    """
    key = f"column.{name}"
    return text(key, lang) if has(key) else str(name).replace("_", " ")


def styled(frame: pd.DataFrame, lang: str = "en"):
    """Return a Styler showing ``frame`` as a client reads it.

    Headers come from the catalogue in ``lang``, and so do the words of enumerated values
    (a force, a stage, threat / opportunity); numbers get the package's formats; pandas
    row numbers (an unnamed integer index) are hidden; every text is escaped.
    An empty frame shows as the line *None.* instead of a bare header.

    Examples
    --------
    >>> styled(pd.DataFrame({"a": []})).data
    '*None.*'
    """
    if frame.empty:
        from IPython.display import Markdown

        return Markdown(f"*{text('report.none', lang)}*")
    index_kind = frame.index.name
    if frame.index.name is not None:
        frame = frame.rename_axis(safe(header(frame.index.name, lang)))
    formats: dict = {
        c: FORMATS.get(str(c), "{:,.2f}")
        for c in frame.columns
        if pd.api.types.is_float_dtype(frame[c])
    }
    words = [
        c
        for c in frame.columns
        if pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c])
    ]
    formats |= {c: _worded(lang, c) for c in words}
    # escape="html": a name from the data such as <script> shows as text, never as markup
    style = (
        frame.style.format(formats, na_rep="–", escape="html")
        .format_index(_worded(lang, index_kind), escape="html", axis=0)
        .format_index(lambda name: safe(header(name, lang)), axis=1)
        .set_uuid(f"kam{next(_TABLE_IDS)}")
    )
    if frame.index.name is None and pd.api.types.is_integer_dtype(frame.index.dtype):
        style = style.hide(axis="index")  # row numbers mean nothing to a reader
    return style


def _worded(lang: str, kind: object):
    """Return a cell formatter that shows enumerated values in the catalogue's words."""

    def show(value: object) -> str:
        return label(value, lang, kind=str(kind)) if isinstance(value, str) else str(value)

    return show


def headline(eng: Engagement, bu_id: str, lang: str = "en") -> str:
    """Markdown heading of a BU's diagnosis report.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> headline(eng, "PV").splitlines()[0]
    '# Pumps &amp; Valves (PV): marketing-strategy diagnosis, 2026Q3'
    """
    part = eng.for_bu(bu_id)
    quarters = part.quarters
    span = f"{quarters[0]} – {quarters[-1]}" if quarters else "–"
    title = text(
        "report.title",
        lang,
        bu_name=safe(eng.bu_name(bu_id)),
        bu_id=safe(bu_id),
        quarter=eng.current_quarter,
    )
    data = text(
        "report.data",
        lang,
        accounts=len(part.accounts),
        quarters=len(quarters),
        span=span,
        currency=safe(eng.currency),
    )
    return "\n".join(
        [
            f"# {title}",
            "",
            f"**{text('report.engagement', lang)}:** {safe(eng.name)}  ",
            f"**{text('report.client', lang)}:** {safe(eng.settings['engagement']['client'])}  ",
            data,
        ]
    )


def external_summary(ext) -> str:
    """Markdown sentences summarising a BU's external environment.

    Parameters
    ----------
    ext : ExternalEnvironment
        From :func:`kamanalysis.diagnosis.external_environment`.
    """
    pest, forces, trajectory = ext.pest, ext.forces, ext.trajectory
    lean = "favourable" if pest.net > 0 else "hostile" if pest.net < 0 else "balanced"
    opp = ", ".join(map(safe, pest.top_opportunities["factor"])) or "none"
    thr = ", ".join(map(safe, pest.top_threats["factor"])) or "none"
    strongest = forces.forces["intensity"].idxmax()
    lines = [
        f"- **PEST** ({ext.quarter}): net balance {pest.net:+.1f}, the environment leans "
        f"{lean}. Top opportunities: {opp}. Top threats: {thr}.",
        f"- **Five forces**: mean intensity {forces.intensity:.2f}; industry attractiveness "
        f"{forces.attractiveness:.2f} ({forces.band}). Strongest force: "
        f"{strongest.replace('_', ' ')} ({forces.forces.loc[strongest, 'intensity']:.2f}).",
        f"- **Industry evolution**: {trajectory.trajectory} ({trajectory.chinese}); threat to "
        f"core activities {trajectory.activities_score:.2f}, to core assets "
        f"{trajectory.assets_score:.2f}."
        + (
            f" {len(trajectory.conflicts)} indicator(s) point the other way: "
            + ", ".join(map(safe, trajectory.conflicts["indicator"]))
            + "."
            if trajectory.conflicting
            else " All indicators agree."
        ),
    ]
    return "\n".join(lines)


def position_summary(positions: pd.DataFrame, bu_id: str) -> str:
    """Markdown sentence placing one BU on the IE and GE matrices.

    Parameters
    ----------
    positions : DataFrame
        From :func:`kamanalysis.diagnosis.strategic_position`.
    """
    row = positions.loc[bu_id]
    return (
        f"- **IE matrix**: IFE {row['ife']:.2f}, EFE {row['efe']:.2f} → cell {row['ie_cell']}: "
        f"*{row['ie_strategy']}*.\n"
        f"- **GE-McKinsey matrix**: industry attractiveness {row['attractiveness']:.2f} "
        f"({row['ge_row']}), competitive strength {row['strength']:.2f} ({row['ge_column']}) → "
        f"*{row['ge_strategy']}*."
    )


def findings_markdown(found: pd.DataFrame, section: str, lang: str = "en") -> str:
    """Markdown list of a section's findings, each with its action and seed tactic.

    Parameters
    ----------
    found : DataFrame
        From :func:`kamanalysis.findings.evaluate`.
    section : str
        The section whose findings to show.

    Examples
    --------
    >>> from kamanalysis.findings import evaluate
    >>> facts = {"pest_net": -3.0, "pest_top_threat": "<raw materials>"}
    >>> print(findings_markdown(evaluate(facts), "pest"))
    - The environment leans hostile: PEST net balance -3.0; the largest threat is \
“&lt;raw materials&gt;”.<br>→ Track the threat with the key accounts: share market \
information both ways each quarter. *(seed tactic: 9. keep information flowing both ways: \
their sales data are the market's barometer)*
    """
    rows = found.loc[found["section"] == section]
    if rows.empty:
        return f"*{text('report.none', lang)}*"
    return "\n".join(_finding_line(row, lang) for row in rows.itertuples())


def _finding_line(row, lang: str) -> str:
    line = f"- {safe(row.finding)}"
    if row.action:
        line += f"<br>→ {safe(row.action)}"
        if row.tactic:
            line += f" *({safe(text('report.tactic', lang, tactic=row.tactic))})*"
    return line


#: How many findings and actions the executive summary shows (most urgent first).
SUMMARY_FINDINGS = 8
SUMMARY_ACTIONS = 6


def executive_summary(facts: dict, found: pd.DataFrame, lang: str = "en") -> str:
    """Markdown executive summary: verdict, headline figures, what we found, what to do.

    Parameters
    ----------
    facts : dict
        From :func:`kamanalysis.summary.bu_facts`.
    found : DataFrame
        From :func:`kamanalysis.findings.evaluate` on those facts.
    lang : str
        ``en`` or ``zh``.
    """
    lines = [f"## {text('summary.title', lang)}", ""]
    verdicts = found.loc[found["section"] == "summary", "finding"]
    lines += [f"**{safe(v)}**" for v in verdicts] + [""]
    lines += [f"### {text('summary.figures', lang)}", ""]
    lines += [f"| {text('summary.figure', lang)} | {text('summary.value', lang)} |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in _figures(facts, lang)]
    if facts.get("not_assessed"):
        tools = ", ".join(text(f"tool.{t}", lang) for t in facts["not_assessed"])
        lines += ["", f"*{text('summary.not_assessed', lang, tools=tools)}*"]
    others = found.loc[found["section"] != "summary"].sort_values("priority", kind="stable")
    lines += ["", f"### {text('summary.why', lang)}", ""]
    shown = others.loc[others["priority"] <= 2, "finding"].head(SUMMARY_FINDINGS)
    lines += [f"- {safe(f)}" for f in shown]
    actions = others.loc[others["action"] != ""].head(SUMMARY_ACTIONS)
    lines += ["", f"### {text('summary.actions', lang)}", ""]
    for i, row in enumerate(actions.itertuples(), start=1):
        tactic = (
            f" *({safe(text('report.tactic', lang, tactic=row.tactic))})*" if row.tactic else ""
        )
        because = safe(text("summary.because", lang, finding=row.finding))
        lines.append(f"{i}. **{safe(row.action)}**{tactic}<br>{because}")
    return "\n".join(lines)


def _figures(facts: dict, lang: str) -> list[tuple[str, str]]:
    """List the headline figures present in ``facts``, labelled in ``lang``."""
    out = []
    if "revenue_m" in facts:
        name = text("figure.revenue", lang, quarter=facts["quarter"], currency=facts["currency"])
        out.append((name, f"{facts['revenue_m']:,.1f}"))
    if facts.get("revenue_yoy") == facts.get("revenue_yoy"):  # present and not NaN
        out.append((text("figure.revenue_yoy", lang), f"{facts['revenue_yoy']:+.1%}"))
    if "margin" in facts:
        out.append((text("figure.margin", lang), f"{facts['margin']:.1f}"))
    scale = f" / {facts['scale_hi']:g}"
    if "forces_attractiveness" in facts:
        value = f"{facts['forces_attractiveness']:.2f}{scale} ({label(facts['forces_band'], lang)})"
        out.append((text("figure.forces_attractiveness", lang), value))
    if "strength" in facts:
        out.append((text("figure.strength", lang), f"{facts['strength']:.2f}{scale}"))
    if "ge_strategy" in facts:
        out.append((text("figure.ge", lang), label(facts["ge_strategy"], lang)))
    if "ie_cell" in facts:
        value = f"{facts['ie_cell']} ({label(facts['ie_strategy'], lang)})"
        out.append((text("figure.ie", lang), value))
    return out


#: The report's numbered sections, in order; their findings carry the same names.
SECTIONS = ("overview", "external", "position", "competitive", "review", "portfolio")


def heading(key: str, lang: str = "en", *, level: int = 3) -> str:
    """Markdown heading of a report section, from the catalogue: its title and intro.

    A top-level section (:data:`SECTIONS`, ``level`` 2) is numbered.

    Examples
    --------
    >>> print(heading("external", "zh", level=2))
    ## 2. 外部环境
    <BLANKLINE>
    基于本季度研讨会评分的 PEST 分析、波特五力模型和产业演变轨迹（McGahan）。
    """
    title = text(f"section.{key}", lang)
    if level == 2 and key in SECTIONS:
        title = f"{SECTIONS.index(key) + 1}. {title}"
    lines = [f"{'#' * level} {title}"]
    if has(f"section.{key}.intro"):
        lines += ["", text(f"section.{key}.intro", lang)]
    return "\n".join(lines)


def section(key: str, found: pd.DataFrame, lang: str = "en", *, level: int = 2) -> str:
    """Markdown of a section's heading followed by its findings (if it has any rules).

    Parameters
    ----------
    key : str
        The section: its catalogue entry ``section.<key>`` and the ``section`` of its
        findings.
    found : DataFrame
        From :func:`kamanalysis.findings.evaluate`.
    """
    parts = [heading(key, lang, level=level)]
    if (found["section"] == key).any():
        parts.append(findings_markdown(found, key, lang))
    return "\n\n".join(parts)
