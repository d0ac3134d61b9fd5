"""Presentation helpers for notebooks and reports: number formats and headings.

Examples
--------
>>> import pandas as pd
>>> s = styled(pd.DataFrame({"revenue": [1234567.891], "growth_yoy": [0.0523]}))
>>> "1,234,568" in s.to_html() and "5.2%" in s.to_html()
True
"""

from __future__ import annotations

import base64
import io
import itertools

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler as _PandasStyler

from ..base.i18n import YI, bracketed, has, label, money_unit, text
from ..base.markup import safe
from ..data.engagement import Engagement
from ..diagnosis.summary import headline_facts
from .brief import executive_summary  # noqa: F401  (the summary lives in its own module)

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
    "gp_share": "{:.1%}",
    "prior_share": "{:.1%}",
    "cost_to_serve_ratio": "{:.0%}",
    "health": "{:.0f}",
    "health_change": "{:+.0f}",
    "key_rank": "{:.0f}",
    "share_of_wallet": "{:.1%}",
    "top5_share": "{:.1%}",
    # concentration (kamanalysis.tools.accounts.portfolio_concentration)
    "accounts": "{:,.0f}",
    "top_1_share": "{:.1%}",
    "top_3_share": "{:.1%}",
    "top_5_share": "{:.1%}",
    "top_10_share": "{:.1%}",
    "top_20_share": "{:.1%}",
    "herfindahl": "{:.4f}",
    "equivalent_accounts": "{:,.1f}",
    "growth_qoq": "{:+.1%}",
    "growth_yoy": "{:+.1%}",
    # key accounts (kamanalysis.tools.accounts)
    "sales": "{:,.0f}",
    "untapped_spend": "{:,.0f}",
    "avg_margin_pct": "{:.1f}",
    "avg_payment_days": "{:.0f}",
    "purchase_growth": "{:+.1%}",
    "acceleration": "{:+.1%}",
    "robustness": "{:.0%}",
    "flip_probability": "{:.0%}",
    "days_since_decider": "{:.0f}",
    "steps": "{:+.0f}",
    # value chain (kamanalysis.tools.value_chain)
    "cost": "{:,.0f}",
    "cost_share": "{:.0%}",
    "kept_share": "{:.0%}",
    "revenue_yoy": "{:+.1%}",
    "staff_rating": "{:.1f}",
    "staff_rating_change": "{:+.1f}",
    "cost_made": "{:.0%}",
    "cost_lost": "{:.0%}",
}


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


#: Columns whose values may be account codes, shown as "name (code)" in a report.
ACCOUNT_CODE_COLUMNS = ("account_id", "respondent_id", "account", "swap")
#: Columns whose values may be manager codes, shown the same way.
MANAGER_CODE_COLUMNS = ("manager_id", "colleague")


def named_accounts(
    frame: pd.DataFrame, names: pd.Series, managers: pd.Series | None = None
) -> pd.DataFrame:
    """Show accounts (and managers) by name with the code in brackets, never a bare code.

    An ``account_id`` index becomes a column; a table with both a code and a ``name``
    keeps one column, ``name``, written ``name (code)``; a code column without names
    (:data:`ACCOUNT_CODE_COLUMNS`; :data:`MANAGER_CODE_COLUMNS` with ``managers``) gets
    them from ``names`` (id -> name). Codes it does not know (a dealer) stay as they are.

    Examples
    --------
    >>> names = pd.Series({"A1": "Acme"})
    >>> t = pd.DataFrame({"name": ["Acme"], "revenue": [1.0]},
    ...                  index=pd.Index(["A1"], name="account_id"))
    >>> named_accounts(t, names).values.tolist()
    [['Acme (A1)', 1.0]]
    >>> named_accounts(pd.DataFrame({"respondent_id": ["A1", "North"]}), names).values.tolist()
    [['Acme (A1)'], ['North']]
    """
    out = frame.reset_index() if frame.index.name == "account_id" else frame
    lookups = [(c, names) for c in ACCOUNT_CODE_COLUMNS]
    if managers is not None:
        lookups += [(c, managers) for c in MANAGER_CODE_COLUMNS]
    for column, known in lookups:
        if column not in out.columns or out[column].dtype.kind not in "OSU":
            continue
        ids = out[column].astype(str)
        if not ids.isin(known.index).any():
            continue
        merge = column == "account_id" and "name" in out.columns
        own = out["name"].astype(str).to_numpy() if merge else known.reindex(ids).to_numpy()
        shown = [
            f"{n} ({a})" if isinstance(n, str) and n else a for n, a in zip(own, ids, strict=True)
        ]
        out = out.assign(**{"name" if merge else column: shown})
        if merge:
            out = out.drop(columns=column)
    return out


class Styler(_PandasStyler):
    """A pandas Styler whose plain-text form carries no memory address.

    A notebook stores a table's plain-text form next to its HTML; pandas' own
    (``<pandas.io.formats.style.Styler at 0x7f...>``) changes from run to run, so a
    notebook executed twice would differ. This one reads as pandas' without the address.

    Examples
    --------
    >>> Styler(pd.DataFrame({"a": [1.5]}))
    <pandas.io.formats.style.Styler>
    """

    def __repr__(self) -> str:
        return "<pandas.io.formats.style.Styler>"


#: Columns holding money in units of the engagement's currency: a Chinese report shows
#: them in 万元 or 亿元 (:func:`~kamanalysis.base.i18n.money_unit`), the unit in the header.
MONEY_COLUMNS = ("revenue", "category_spend", "sales", "untapped_spend", "cost")


def _in_chinese_units(frame: pd.DataFrame, currency: str) -> tuple[pd.DataFrame, dict, dict]:
    """Return the frame with its money columns in 万 / 亿, their formats and header units."""
    formats, units = {}, {}
    for c in frame.columns:
        if str(c) not in MONEY_COLUMNS or not pd.api.types.is_numeric_dtype(frame[c]):
            continue
        largest = pd.to_numeric(frame[c], errors="coerce").abs().max()
        divisor, unit = money_unit(largest if largest == largest else 0.0, currency)
        frame = frame.copy() if not units else frame  # the caller's frame stays as it was
        frame[c] = frame[c] / divisor
        formats[c] = "{:,.2f}" if divisor == YI else "{:,.1f}"
        units[c] = unit
    return frame, formats, units


def styled(frame: pd.DataFrame, lang: str = "en", *, decimals: int = 2, currency: str = "CNY"):
    """Return a Styler showing ``frame`` as a client reads it.

    Headers come from the catalogue in ``lang``, and so do the words of enumerated values
    (a force, a stage, threat / opportunity); numbers get the package's formats
    (:data:`FORMATS`; a float column it does not name gets ``decimals`` decimals; in
    Chinese, money (:data:`MONEY_COLUMNS`) in 万 or 亿 of ``currency``, the unit in the
    header: ``收入（万元）``; in English the currency: ``revenue (CNY)``); pandas
    row numbers (an unnamed integer index) are hidden; every text is escaped.
    An empty frame shows as the line *None.* instead of a bare header. The table's
    plain-text form is the same from run to run (:class:`Styler`).

    Examples
    --------
    >>> styled(pd.DataFrame({"a": []})).data
    '*None.*'
    >>> styled(pd.DataFrame({"a": [1.5]}))
    <pandas.io.formats.style.Styler>
    >>> "0.125" in styled(pd.DataFrame({"effect": [0.125]}), decimals=3).to_html()
    True
    >>> html = styled(pd.DataFrame({"revenue": [64_678_909.0]}), "zh").to_html()
    >>> "收入（万元）" in html and "6,467.9" in html
    True
    """
    if frame.empty:
        from IPython.display import Markdown

        return Markdown(f"*{text('report.none', lang)}*")
    kinds = list(frame.index.names)
    if any(name is not None for name in kinds):
        frame = frame.rename_axis(
            [safe(header(name, lang)) if name is not None else None for name in kinds]
        )
    money, units = {}, {}
    if lang == "zh":
        frame, money, units = _in_chinese_units(frame, currency)
    else:  # money as it is, its currency in the header: "revenue (CNY)"
        units = {
            c: currency
            for c in frame.columns
            if str(c) in MONEY_COLUMNS and pd.api.types.is_numeric_dtype(frame[c])
        }
    formats: dict = {
        c: FORMATS.get(str(c), f"{{:,.{decimals}f}}")
        for c in frame.columns
        if pd.api.types.is_float_dtype(frame[c])
    } | money
    words = [
        c
        for c in frame.columns
        if pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c])
    ]
    formats |= {c: _worded(lang, c) for c in words}
    formats |= {c: _worded(lang, "bool") for c in frame.columns if frame[c].dtype == bool}
    # escape="html": a name from the data such as <script> shows as text, never as markup
    style = (
        Styler(frame)
        .format(formats, na_rep="–", escape="html")
        .format_index(lambda name: safe(header(name, lang) + _unit(units.get(name), lang)), axis=1)
        .set_uuid(f"kam{next(_TABLE_IDS)}")
    )
    for level, kind in enumerate(kinds):
        style = style.format_index(_worded(lang, kind), escape="html", axis=0, level=level)
    style = _aligned(style, frame, words)
    if kinds == [None] and pd.api.types.is_integer_dtype(frame.index.dtype):
        style = style.hide(axis="index")  # row numbers mean nothing to a reader
    return style


def _aligned(style, frame: pd.DataFrame, words: list):
    """Align text (columns and index levels of words) left; numbers stay right-aligned.

    Examples
    --------
    >>> html = styled(pd.DataFrame({"name": ["Acme"], "revenue": [1.0]})).to_html()
    >>> "td.col0" in html, "td.col1" in html  # the name left, the revenue as it was
    (True, False)
    """
    left = [{"selector": cell, "props": "text-align: left;"} for cell in ("td", "th")]
    if words:
        style = style.set_table_styles(dict.fromkeys(words, left), overwrite=False)
    index = frame.index
    levels = [index.get_level_values(i) for i in range(index.nlevels)]
    texts = [i for i, values in enumerate(levels) if not pd.api.types.is_numeric_dtype(values)]
    selectors = [f"th.row_heading.level{i}, th.index_name.level{i}" for i in texts]
    return style.set_table_styles(
        [{"selector": s, "props": "text-align: left;"} for s in selectors], overwrite=False
    )


def _unit(unit: str | None, lang: str = "zh") -> str:
    """Return a header's unit: ``（万元）`` in Chinese, `` (CNY)`` in English; none: empty."""
    if not unit:
        return ""
    return f"（{unit}）" if lang == "zh" else f" ({unit})"


def _worded(lang: str, kind: object):
    """Return a cell formatter that shows enumerated values in the catalogue's words.

    A list of values joined by ", " (the churn-risk ``signals`` of an account) is worded
    value by value; yes / no stand for True / False.
    """

    def word(value: str) -> str:
        return label(value, lang, kind=str(kind))

    def show(value: object) -> str:
        if isinstance(value, (bool, np.bool_)):
            return label(str(value), lang, kind="bool")
        if not isinstance(value, str):
            return str(value)
        if ", " in value and has(f"value.{kind}.{value.split(', ')[0]}"):
            return (
                "、".join(map(word, value.split(", ")))
                if lang == "zh"
                else (", ".join(map(word, value.split(", "))))
            )
        return word(value)

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
        bu_name=safe(eng.bu_name(bu_id, lang)),
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
            text("report.field", lang, name=text("report.engagement", lang), value=safe(eng.name))
            + "  ",
            text(
                "report.field",
                lang,
                name=text("report.client", lang),
                value=safe(eng.settings["engagement"]["client"]),
            )
            + "  ",
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
        From :func:`kamanalysis.report.findings.evaluate`.
    section : str
        The section whose findings to show.

    Examples
    --------
    >>> from kamanalysis.report.findings import evaluate
    >>> facts = {"pest_net": -3.0, "pest_top_threat": "<raw materials>"}
    >>> print(findings_markdown(evaluate(facts), "pest"))
    - The environment leans hostile: PEST net balance -3.0; the largest threat is \
“&lt;raw materials&gt;”.<br>→ Track the threat with the key accounts: share market \
information both ways each quarter. *(key-account tactic: 9. keep information flowing \
both ways: their sales data are the market's barometer)*
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
            tactic = safe(text("report.tactic", lang, tactic=row.tactic))
            line += f" *{bracketed(tactic, lang)}*"
    return line


#: The report's numbered sections, in order; their findings carry the same names.
SECTIONS = (
    "overview",
    "external",
    "position",
    "competitive",
    "review",
    "portfolio",
    "management",
)


def heading(key: str, lang: str = "en", *, level: int = 3) -> str:
    """Markdown heading of a report section, from the catalogue: its title and intro.

    A top-level section (:data:`SECTIONS`, ``level`` 2) is numbered.

    Examples
    --------
    >>> print(heading("external", "zh", level=2))
    ## 2. 外部环境
    <BLANKLINE>
    基于本季度研讨会评分的 PEST 分析、波特五力模型和产业演变轨迹（麦加恩）。
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
        From :func:`kamanalysis.report.findings.evaluate`.
    """
    parts = [heading(key, lang, level=level)]
    if (found["section"] == key).any():
        parts.append(findings_markdown(found, key, lang))
    return "\n\n".join(parts)


def alt_text(figure, lang: str = "en") -> str:
    """Describe a chart in words for readers who cannot see it: its titles and axis labels.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set(title="Five forces", xlabel="force", ylabel="intensity")
    >>> alt_text(fig)
    'Chart: Five forces (across: force; up: intensity)'
    >>> plt.close(fig)
    """
    parts = []
    for ax in figure.axes:
        title = " ".join(ax.get_title().split())
        if not title:
            continue
        axes = [
            text(f"report.alt_{side}", lang, label=" ".join(name.split()))
            for side, name in (("x", ax.get_xlabel()), ("y", ax.get_ylabel()))
            if name.strip()
        ]
        between = "；" if lang == "zh" else "; "
        parts.append(
            title + (f"{' ' * (lang == 'en')}{bracketed(between.join(axes), lang)}" if axes else "")
        )
    return text("report.alt", lang, titles=" | ".join(parts) or text("report.chart", lang))


def image_tag(figure, alt: str, *, dpi: int = 100) -> str:
    """Return an ``<img>`` holding the figure as an embedded PNG, with ``alt``; close it.

    A figure laid out by matplotlib's constrained layout already fits its canvas: it is
    saved as it is (cropping it too would lay it out twice, about 0.5 s a figure).
    """
    import matplotlib.pyplot as plt
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    laid_out = isinstance(figure.get_layout_engine(), ConstrainedLayoutEngine)
    buffer = io.BytesIO()
    figure.savefig(
        buffer,
        format="png",
        dpi=dpi,
        bbox_inches=None if laid_out else "tight",
        metadata={"Software": None},
    )
    plt.close(figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'<img alt="{safe(alt)}" src="data:image/png;base64,{data}" '
        'style="max-width: 100%; height: auto;">'
    )


def chart(figure, lang: str = "en", *, alt: str | None = None, dpi: int = 100):
    """Show a matplotlib figure (or the figure of an Axes) as an image with alt text.

    The image is embedded in the output (a self-contained report), carries ``alt``
    (default: :func:`alt_text`), and the figure is closed so that the notebook does not
    show it a second time.

    Returns
    -------
    IPython.display.HTML

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_title("<b>Revenue</b>")
    >>> chart(ax).data[:44]
    '<img alt="Chart: &lt;b&gt;Revenue&lt;/b&gt;"'
    """
    from IPython.display import HTML
    from matplotlib.figure import Figure

    fig = figure if isinstance(figure, Figure) else figure.get_figure()
    return HTML(image_tag(fig, alt if alt is not None else alt_text(fig, lang), dpi=dpi))


#: The output type that carries a BU's headline facts from its notebook to the batch.
FACTS_MIME = "application/vnd.kamanalysis.facts+json"


def hand_over(facts: dict) -> None:
    """Put the BU's headline facts in the notebook's output for the batch's index page.

    The batch (:func:`kamanalysis.report.run_reports`) takes this output out of the
    notebook before the HTML export; in JupyterLab it shows nothing.
    """
    from IPython.display import display

    display({FACTS_MIME: headline_facts(facts)}, raw=True)


def organisation_markdown(organisation: pd.Series, lang: str = "en") -> str:
    """Markdown of the key-account organisation that fits a BU, and why.

    Parameters
    ----------
    organisation : Series
        From :func:`kamanalysis.tools.managers.organisation_form`.
    """
    form = label(organisation["form"], lang)
    current = organisation.get("current")
    now = label(current, lang, kind="organisation_current") if current else "–"
    lines = [
        "- " + text("organisation.fits", lang, form=safe(form), current=safe(now)),
        "- "
        + text(
            "organisation.figures",
            lang,
            n=organisation["n_key"],
            share=organisation["key_share"],
            mature=organisation["mature_share"],
        ),
        "- " + text("organisation.why", lang, reasons=safe(organisation["reasons"])),
        "- " + text("organisation.needs", lang, needs=safe(organisation["needs"])),
    ]
    return "\n".join(lines)
