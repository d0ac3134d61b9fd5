"""The pages of a report run: a quarter's index of its BUs and the index of every quarter.

A quarter's ``index.html`` lists the BUs with a report (the ledger's figures and the
facts each BU's notebook handed over, also written to ``summary.csv``), the BUs that
failed, every positioned BU on one IE and one GE grid and the group's key-account
portfolio health. The top ``index.html`` links every quarter run under the output folder.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from ..base.i18n import YI, label, money_unit, text
from ..base.markup import safe
from ..core.fonts import use_cjk_font
from ..data.engagement import Engagement
from ..data.workbook import neutralise
from ..diagnosis.overview import bu_summary
from ..diagnosis.summary import INDEX_FACTS
from ..tools.position import plot_ge_matrix, plot_ie_matrix
from .display import header, image_tag
from .group_views import bcg_block

__all__ = ["GROUP_COUNTS", "INDEX_COLUMNS", "INDEX_LABELS"]

_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei",
  "Microsoft YaHei", "PingFang SC", "DejaVu Sans", sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }}
th, td {{ border-bottom: 1px solid #ccc; padding: 0.3em 0.8em; text-align: right; }}
th:nth-child(-n+2), td:nth-child(-n+2) {{ text-align: left; }}
.failed {{ color: #b00020; }}
</style></head>
<body>
{body}
</body></html>
"""


def _summary(eng: Engagement, bus: list[str], failures: dict[str, str], folder: Path):
    """One row per BU with a report: the ledger's figures and the facts its notebook gave."""
    summary = bu_summary(eng.for_bus(bus)) if bus else bu_summary(eng).iloc[0:0]
    summary = summary.copy()
    facts = {}
    for bu in summary.index:
        path = folder / f"{bu}.json"
        facts[bu] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for name in INDEX_FACTS:
        summary[name] = [facts[bu].get(name) for bu in summary.index]
    summary["report"] = [f"{bu}.html" for bu in summary.index]
    summary["status"] = [
        "failed this run; previous report kept" if bu in failures else "ok" for bu in summary.index
    ]
    return summary


#: Columns of the index page's table of BUs (``summary.csv`` has them all).
INDEX_COLUMNS = (
    "name",
    "accounts",
    "revenue",
    "growth_yoy",
    "gross_margin_pct",
    "top5_share",
    "ie_cell",
    "ge_strategy",
    "index_to_leader",
    "n_key",
    "n_key_churn_risk",
    "not_assessed",
)
#: The group's portfolio health: the BU facts summed over the BUs.
GROUP_COUNTS = ("n_assessed", "n_key", "n_key_churn_risk", "n_key_single_threaded", "n_frustration")


def _group_health(summary: pd.DataFrame, lang: str) -> str:
    """Return the group's key-account portfolio health as an HTML table."""
    counts = {
        name: pd.to_numeric(summary[name], errors="coerce").sum(min_count=1)
        for name in GROUP_COUNTS
        if name in summary
    }
    shares = pd.to_numeric(summary.get("key_revenue_share"), errors="coerce")
    key_revenue = (shares * summary["revenue"]).sum(min_count=1)
    rows = [(text(f"column.{k}", lang), f"{v:,.0f}") for k, v in counts.items() if v == v]
    if key_revenue == key_revenue and summary["revenue"].sum():
        share = key_revenue / summary["revenue"].sum()
        rows.append((text("index.key_share", lang), f"{share:.0%}"))
    if not rows:
        return f"<p><em>{safe(text('report.not_assessed', lang))}</em></p>"
    body = "".join(f"<tr><td>{safe(name)}</td><td>{value}</td></tr>" for name, value in rows)
    return f"<table><tbody>{body}</tbody></table>"


#: With more BUs than this, the index's grids name only the BUs with most revenue (the
#: others are small dots; the table of BUs gives every BU's cells).
INDEX_LABELS = 12


def _grids(positions: pd.DataFrame, lang: str) -> str:
    """Return every positioned BU on one IE and one GE grid, as an embedded image.

    With more than :data:`INDEX_LABELS` BUs, the bubbles are small and only the
    :data:`INDEX_LABELS` with most revenue are named, where no name overlaps another;
    a line under the grids says so.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if positions.empty:
        return f"<p><em>{safe(text('report.not_assessed', lang))}</em></p>"
    # names are text, not mathtext; drawn inside the context (its fonts included)
    with matplotlib.rc_context({"text.parse_math": False}):
        use_cjk_font()  # before the axes make their tick labels
        crowded = len(positions) > INDEX_LABELS
        fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5.5))
        top = INDEX_LABELS if crowded else None
        plot_ie_matrix(positions, ax=left, lang=lang, top=top)
        plot_ge_matrix(positions, ax=right, lang=lang, top=top)
        alt = text("index.grids_alt", lang, bus=", ".join(positions.index.astype(str)))
        image = image_tag(fig, alt)
    if crowded:
        note = text("index.grids_top", lang, n=INDEX_LABELS, total=len(positions))
        image += f"\n<p><em>{safe(note)}</em></p>"
    return image


#: How the index page writes each of its columns (missing values: "–").
_INDEX_FORMATS = {
    "accounts": "{:,.0f}",
    "revenue": "{:,.0f}",
    "growth_yoy": "{:+.1%}",
    "gross_margin_pct": "{:.1f}",
    "top5_share": "{:.1%}",
    "index_to_leader": "{:.0f}",
    "n_key": "{:.0f}",
    "n_key_churn_risk": "{:.0f}",
}


def _index_cell(name: str, value, lang: str, divisor: float = 1.0) -> str:
    if value is None or (isinstance(value, float) and value != value) or value == "":
        return "–"
    if name == "not_assessed":
        joiner = "、" if lang == "zh" else ", "
        return safe(joiner.join(text(f"tool.{t}", lang) for t in str(value).split(", ")))
    if name == "revenue" and divisor != 1.0:  # Chinese: in 万 or 亿, the unit in the header
        return ("{:,.2f}" if divisor == YI else "{:,.1f}").format(float(value) / divisor)
    if name in _INDEX_FORMATS:
        return _INDEX_FORMATS[name].format(float(value))
    return safe(label(str(value), lang))


def _quarter_index(
    eng: Engagement, summary, failures: dict[str, str], positions, group: bool = False
) -> str:
    """Return a quarter's index page; ``group``: link the group page (``group.html``) first."""
    lang = eng.language
    divisor, unit = 1.0, ""
    if lang == "zh" and len(summary):
        divisor, unit = money_unit(pd.to_numeric(summary["revenue"]).abs().max(), eng.currency)
    names = {
        c: header(c, lang) + (f"（{unit}）" if c == "revenue" and unit else "")
        for c in ("bu_id", *INDEX_COLUMNS)
    }
    head = "".join(f"<th>{safe(names[c])}</th>" for c in ("bu_id", *INDEX_COLUMNS))
    rows = []
    for bu, row in summary.iterrows():
        link = f'<a href="{safe(quote(row["report"]))}">{safe(str(row["name"]))}</a>'
        cells = [safe(str(bu)), link] + [
            _index_cell(c, row[c], lang, divisor) for c in INDEX_COLUMNS[1:]
        ]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    table_html = (
        f"<table><thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>"
    )
    failed = "".join(
        f'<li class="failed">BU {safe(bu)}: {safe(msg)}</li>' for bu, msg in failures.items()
    )
    quarter = eng.current_quarter
    title = safe(text("index.title", lang, engagement=eng.name, quarter=quarter))
    intro = text(
        "index.intro",
        lang,
        client=safe(eng.settings["engagement"]["client"]),
        quarter=quarter,
        currency=safe(eng.currency),
    )
    body = f"""<p><a href="../../index.html">{safe(text("index.all_quarters", lang))}</a></p>
<h1>{safe(eng.name)}</h1>
{_group_link(lang) if group else ""}<p>{intro}</p>
{f"<p>{safe(text('index.failed', lang))}</p><ul>{failed}</ul>" if failed else ""}
<h2>{safe(text("index.bus", lang))}</h2>
{table_html}
<h2>{safe(text("index.grids", lang))}</h2>
{_grids(positions, lang)}
{bcg_block(eng, lang)}
<h2>{safe(text("index.health", lang))}</h2>
{_group_health(summary, lang)}"""
    return _PAGE.format(lang=text("report.html_lang", lang), title=title, body=body)


def _group_link(lang: str) -> str:
    """Return the link to the group page, the first of the quarter's index."""
    return (
        f'<p><strong><a href="group.html">{safe(text("index.group_page", lang))}</a></strong></p>\n'
    )


def _top_index(out: Path, lang: str = "en") -> str:
    """Return the page linking every quarter run under ``out``, newest quarter first.

    Its own words are in ``lang`` (the language of the run that writes it).
    """
    runs: dict[str, list[tuple[str, str]]] = {}
    for page in sorted(out.glob("*/*/index.html")):
        engagement, quarter = page.parent.parent.name, page.parent.name
        match = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.S)
        # the title as an earlier run wrote it, escaped again: a planted page stays text
        title = safe(html.unescape(match.group(1))) if match else safe(engagement)
        runs.setdefault(engagement, []).append((quarter, title))
    items = []
    for engagement, quarters in runs.items():
        quarters.sort(reverse=True)
        heading = quarters[0][1].rsplit(" — ", 1)[0]
        where = safe(quote(engagement))
        links = [
            f'<li><a href="{where}/{safe(quote(q))}/index.html">{safe(q)}</a></li>'
            for q, _ in quarters
        ]
        items.append(f"<h2>{heading}</h2>\n<ul>\n" + "\n".join(links) + "\n</ul>")
    title = safe(text("top.title", lang))
    body = f"<h1>{title}</h1>\n<p>{safe(text('top.intro', lang))}</p>\n"
    code = text("report.html_lang", lang)
    return _PAGE.format(lang=code, title=title, body=body + "\n".join(items))


def _csv(summary) -> str:
    """Return the summary as CSV, text cells neutralised against formula injection."""
    frame = summary.reset_index().astype(object).map(neutralise)
    return frame.to_csv(index=False, lineterminator="\n")
